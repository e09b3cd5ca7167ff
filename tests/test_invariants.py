"""Invariants over every registered stage and the default pipeline (hypothesis).

The tests read the stage registry, so they cover each stage as it lands: a new
stage that crashes on some text, records a change that does not match the
texts, or breaks idempotence makes them fail with the stage's name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings

from cleanse.core.pipeline import Pipeline
from cleanse.stages import DEFAULT_ORDER, STAGES
from invariants import InvariantError, any_bytes, any_text, check_idempotent, run_checked

CLEAN = Path(__file__).parent / "data" / "clean"
CLEAN_FILES = sorted(CLEAN.glob("*.txt"))
# Each stage alone, and the default pipeline; text stages see text, decode sees bytes.
PER_STAGE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIPELINE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_registry_is_the_default_order() -> None:
    assert tuple(STAGES) == DEFAULT_ORDER
    for name, cls in STAGES.items():
        assert cls.name == name and cls.description, f"stage {name!r} lacks a name or description"
        cls()  # every option has a default


@pytest.mark.parametrize("name", DEFAULT_ORDER)
@PER_STAGE
@given(text=any_text)
def test_each_stage_alone_on_any_text(name: str, text: str) -> None:
    run_checked(Pipeline.from_names([name]), text)


@PER_STAGE
@given(data=any_bytes)
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe")
@example("中文".encode("gb18030")[:-1])
def test_decode_on_any_bytes(data: bytes) -> None:
    doc = run_checked(Pipeline.from_names(["decode"]), data)
    if doc is not None:
        assert "\x00" not in doc.text or doc.encoding is not None


@PIPELINE
@given(text=any_text)
@example("\r\n\r\n")
@example("a\u200b \n")
@example("\u0065\u0301\u200b\u0301")
def test_default_pipeline_on_any_text_is_consistent_and_idempotent(text: str) -> None:
    doc = run_checked(Pipeline.default(), text)
    assert doc is not None
    check_idempotent(doc.text)


@PIPELINE
@given(data=any_bytes)
def test_default_pipeline_on_any_bytes_is_consistent_and_idempotent(data: bytes) -> None:
    doc = run_checked(Pipeline.default(), data)
    if doc is None:
        return  # refused as binary: a clear, reported outcome
    doc.text.encode("utf-8")  # the output is always valid UTF-8 (no lone surrogates)
    check_idempotent(doc.text)


def _allowed_stages(path: Path) -> set[str]:
    # Documented normalisation of clean text: traditional script to the default target.
    return {"script"} if path.name.startswith("zh-hant") else set()


@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.name)
def test_clean_text_is_left_alone(path: Path) -> None:
    raw = path.read_bytes()
    allowed = _allowed_stages(path)
    for data in (raw, raw.decode("utf-8")):
        doc = run_checked(Pipeline.default(), data)
        assert doc is not None
        wrong = [c for c in doc.changes if c.stage not in allowed]
        assert not wrong, "clean text was changed: " + "; ".join(
            f"{c.stage}: {c.before!r} -> {c.after!r} ({c.reason})" for c in wrong[:5]
        )
        if not allowed:
            assert doc.text == raw.decode("utf-8")
    kept = run_checked(Pipeline.default(script={"target": "keep"}), raw)
    assert kept is not None and kept.text == raw.decode("utf-8"), [
        (c.stage, c.before, c.after) for c in kept.changes
    ]


def test_the_checker_catches_a_lying_stage() -> None:
    """The invariant checks themselves: a stage whose records do not match its output."""
    from cleanse.core.document import Change, Document
    from cleanse.core.stage import Stage

    class Lying(Stage):
        name = "lying"

        def process(self, doc: Document) -> Document:
            wrong = Change(self.name, 0, 1, "x", "y", "claims x->y", out_start=0)
            return doc.with_changes(doc.text.upper(), [wrong])

    with pytest.raises(InvariantError, match="stage 'lying'"):
        run_checked(Pipeline([Lying()]), "abc")
