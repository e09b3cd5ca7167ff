"""JSON Lines serialisation: orjson and the standard library write the same lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleanse import Pipeline
from cleanse.io.jsonlines import NonFinite, json_line, read_json_line, stdlib_json_line
from cleanse.scale import ScaleOptions, run_corpus_file

ASCII = "".join(map(chr, range(128)))
TRICKY = [
    ASCII,
    "\u2028\u2029\ufeff\u00ad\u200b",  # separators and invisibles stay raw (UTF-8)
    "週末我們沿着溪邊 café 😀 \U00020000",
    '"quoted" \\ back/slash',
]


@pytest.mark.parametrize(
    "value",
    [
        {"text": s, "n": i, "confidence": c, "flag": b, "none": None}
        for i, (s, c, b) in enumerate(
            zip(TRICKY, (1.0, 0.95, 0.5, 0.125), (True, False) * 2, strict=True)
        )
    ]
    + [[1, -2, 0.0, 3.25, "x", [], {}], {"nested": {"a": [{"b": "c"}]}}],
)
def test_orjson_and_the_standard_library_write_the_same_line(value: object) -> None:
    line = json_line(value)
    assert line == stdlib_json_line(value)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line) == value


def test_floats_in_exponent_form_are_spelled_differently_but_read_the_same() -> None:
    value = {"small": 1e-07, "large": 1e16}
    assert json.loads(json_line(value)) == json.loads(stdlib_json_line(value)) == value


def test_what_orjson_refuses_is_still_written() -> None:
    # A JSON input may hold lone surrogates as escapes and integers beyond 64 bits.
    value = {"x": "a\ud800b\udfff", "big": 2**70}
    line = json_line(value)
    assert line == b'{"x":"a\\ud800b\\udfff","big":1180591620717411303424}\n'
    assert json.loads(line) == value


def _cleaned(tmp_path: Path, lines: str) -> Path:
    """``lines`` cleaned as a JSON Lines corpus in one process: the output's path."""
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(lines, encoding="utf-8")
    out = tmp_path / "out" / "out.jsonl"
    report, _, _ = run_corpus_file(corpus, out, Pipeline.default(), ScaleOptions(jobs=1))
    assert report.status == "cleaned", report.message
    return out


def test_a_corpus_with_lone_surrogates_is_cleaned_and_every_line_written(tmp_path: Path) -> None:
    out = _cleaned(
        tmp_path,
        '{"id": 1, "text": "abc \\ud800 def", "kept": "\\udc00"}\n'
        '{"id": 2, "text": "ok", "big": 123456789012345678901234567890}\n',
    )
    first, second = (json.loads(line) for line in out.read_text("utf-8").splitlines())
    assert first["text"] == "abc  def\n"  # the surrogate dropped, and reported
    assert first["kept"] == "\udc00"  # a field passed through is passed through
    assert second["big"] == 123456789012345678901234567890
    records = [
        json.loads(line)
        for line in out.with_suffix(".report.jsonl").read_text("utf-8").splitlines()
    ]
    dropped = records[0]["changes"][0]
    assert (dropped["before"], dropped["after"], dropped["unresolved"]) == ("\ud800", "", True)


def test_nan_and_infinities_in_a_field_passed_through_are_kept(tmp_path: Path) -> None:
    out = _cleaned(
        tmp_path,
        '{"id": 1, "text": "ok", "score": NaN, "range": [-Infinity, Infinity]}\n'
        '{"id": 2, "text": "ok", "score": 0.5}\n',
    )
    first, second = out.read_bytes().splitlines()
    assert b'"score":NaN,"range":[-Infinity,Infinity]' in first  # not null
    assert b'"score":0.5' in second
    assert isinstance(read_json_line(first)["score"], NonFinite)
    assert not isinstance(read_json_line(second)["score"], NonFinite)
