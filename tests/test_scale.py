"""Corpora (JSON Lines, Parquet), worker processes, streaming and Dask give one answer."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleanse import Document, Edit, Pipeline, TextStage, clean
from cleanse.cli import main
from cleanse.parallel import Executor
from cleanse.runner import run_files
from cleanse.scale import ScaleOptions
from cleanse.stages.decode import DecodeStage

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
STAGES = ["decode", "normalize"]

DOCS = [
    {"id": "a", "text": "第一行  \r\n第二行\u200b\n\n\n\n結尾", "lang": "zh", "n": 1},
    {"id": "b", "text": "already clean\n", "tags": ["x", "y"]},
    {"id": "c", "text": "cafe\u0301 au lait\r\n", "score": 0.5, "nested": {"k": None}},
]


def _corpus_lines() -> list[bytes]:
    lines = [json.dumps(d, ensure_ascii=False).encode("utf-8") + b"\n" for d in DOCS]
    lines.insert(1, b"{this is not json\n")
    lines.insert(3, b'{"id": "no-text", "body": "x"}\n')
    lines.insert(4, b"\n")  # a blank line is not a document
    return lines


def _read_jsonl(data: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in data.splitlines()]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["run", *args, "--stages", ",".join(STAGES)])
    return result.exit_code, result.output


def test_jsonl_round_trip_keeps_fields_order_and_reports_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "corpus.jsonl"
    src.write_bytes(b"".join(_corpus_lines()))
    code, output = _run(str(src), "-o", str(tmp_path / "out.jsonl"), "--jobs", "1")
    assert code == 1, output  # two documents failed; the run went on
    out = _read_jsonl((tmp_path / "out.jsonl").read_bytes())
    # The unparsable line is left out; the record without text is written unchanged.
    assert [d["id"] for d in out] == ["a", "b", "no-text", "c"]
    by_id = {d["id"]: d for d in out}
    for doc in DOCS:
        got = by_id[doc["id"]]
        assert got["text"] == clean(str(doc["text"]), stages=STAGES).text
        assert {k: v for k, v in got.items() if k not in ("text", "cleanse")} == {
            k: v for k, v in doc.items() if k != "text"
        }
    assert by_id["a"]["cleanse"]["status"] == "cleaned"
    assert by_id["a"]["cleanse"]["changes"] == by_id["a"]["cleanse"]["stages"]["normalize"] > 0
    assert by_id["b"]["cleanse"] == {
        "status": "unchanged",
        "changes": 0,
        "unresolved": 0,
        "stages": {},
    }
    assert by_id["no-text"]["cleanse"]["status"] == "failed"
    assert by_id["no-text"]["body"] == "x"

    records = _read_jsonl((tmp_path / "out.report.jsonl").read_bytes())
    assert [(r["line"], r["status"]) for r in records] == [
        (1, "cleaned"),
        (2, "failed"),
        (4, "failed"),
        (6, "cleaned"),
    ]
    assert "line 2: not valid JSON" in records[1]["message"]
    assert records[2]["id"] == "no-text" and "'text'" in records[2]["message"]
    first = records[0]
    original = str(DOCS[0]["text"])
    assert first["id"] == "a" and first["chars_in"] == len(original)
    assert (
        first["changes"][0]["before"]
        == original[first["changes"][0]["start"] : first["changes"][0]["end"]]
    )
    report = json.loads((tmp_path / "out.report.json").read_text("utf-8"))
    entry = report["files"][0]
    assert entry["documents"] == {"total": 5, "cleaned": 2, "failed": 2, "unchanged": 1}
    assert report["totals"]["changes"] == sum(len(r.get("changes", [])) for r in records)
    assert "line 2" in output


def test_meta_field_can_be_renamed_or_left_out(tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    src.write_bytes(b"".join(_corpus_lines()))
    _run(str(src), "-o", str(tmp_path / "m.jsonl"), "--meta-field", "qa", "-j", "1")
    assert all(
        "qa" in d and "cleanse" not in d for d in _read_jsonl((tmp_path / "m.jsonl").read_bytes())
    )
    _run(str(src), "-o", str(tmp_path / "n.jsonl"), "--meta-field", "", "-j", "1")
    lines = (tmp_path / "n.jsonl").read_bytes().splitlines(keepends=True)
    assert all("cleanse" not in d for d in _read_jsonl(b"".join(lines)))
    # An unchanged document without a meta field is written as it came.
    assert json.dumps(DOCS[1], ensure_ascii=False).encode() + b"\n" in lines


def test_text_field_option(tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text(json.dumps({"content": "x  \r\n", "text": "keep  "}) + "\n", "utf-8")
    code, _ = _run(str(src), "-o", str(tmp_path / "o.jsonl"), "--text-field", "content", "-j", "1")
    assert code == 0
    (doc,) = _read_jsonl((tmp_path / "o.jsonl").read_bytes())
    assert doc["content"] == "x\n" and doc["text"] == "keep  "


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_jsonl_mirrors_plain(tmp_path: Path, suffix: str) -> None:
    data = b"".join(_corpus_lines())
    plain = tmp_path / "c.jsonl"
    plain.write_bytes(data)
    packed = tmp_path / f"c{suffix}"
    if suffix == ".jsonl.gz":
        packed.write_bytes(gzip.compress(data))
        unpack = gzip.decompress
    else:
        zstandard = pytest.importorskip("zstandard")
        packed.write_bytes(zstandard.ZstdCompressor().compress(data))

        def unpack(raw: bytes) -> bytes:
            return zstandard.ZstdDecompressor().decompressobj().decompress(raw)  # type: ignore[no-any-return]

    _run(str(plain), "-o", str(tmp_path / "p.jsonl"), "-j", "1")
    _run(str(packed), "-o", str(tmp_path / f"q{suffix}"), "-j", "1")
    assert unpack((tmp_path / f"q{suffix}").read_bytes()) == (tmp_path / "p.jsonl").read_bytes()
    records = _read_jsonl((tmp_path / "q.report.jsonl").read_bytes())
    assert {r.pop("path") for r in records} == {packed.name}
    plain_records = _read_jsonl((tmp_path / "p.report.jsonl").read_bytes())
    assert {r.pop("path") for r in plain_records} == {"c.jsonl"}
    assert records == plain_records


def test_parquet_round_trip(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    texts = [str(d["text"]) for d in DOCS] * 3 + [None]
    table = pa.table(
        {"id": [f"d{i}" for i in range(len(texts))], "text": texts, "n": list(range(len(texts)))}
    )
    pq.write_table(table, tmp_path / "c.parquet", row_group_size=4)
    code, output = _run(str(tmp_path / "c.parquet"), "-o", str(tmp_path / "o.parquet"), "-j", "2")
    assert code == 1, output  # the null text is a failed document
    out = pq.read_table(tmp_path / "o.parquet")
    assert out.column("id").to_pylist() == table.column("id").to_pylist()
    assert out.column("n").to_pylist() == list(range(len(texts)))
    assert out.column("text").to_pylist() == [
        clean(t, stages=STAGES).text if t is not None else None for t in texts
    ]
    meta = out.column("cleanse").to_pylist()
    assert [m["status"] for m in meta[:3]] == ["cleaned", "unchanged", "cleaned"]
    assert meta[-1]["status"] == "failed"
    records = _read_jsonl((tmp_path / "o.report.jsonl").read_bytes())
    assert [r["row"] for r in records] == [0, 2, 3, 5, 6, 8, 9]
    assert records[-1]["status"] == "failed" and records[-1]["id"] == "d9"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        # report.json holds timings; the --resume journal is the local runner's own.
        if p.is_file() and p.name not in ("report.json", ".cleanse-manifest.jsonl")
    }


def _report_without_time(folder: Path) -> dict[str, object]:
    report = json.loads((folder / "report.json").read_text("utf-8"))
    report.pop("run")
    return report  # type: ignore[no-any-return]


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    lines = _corpus_lines() * 40
    (src / "corpus.jsonl").write_bytes(b"".join(lines))
    (src / "sub").mkdir()
    (src / "sub" / "more.jsonl.gz").write_bytes(gzip.compress(b"".join(lines[:7])))
    (src / "sub" / "tiny.txt").write_bytes(b"a  \r\nb\n\n\n")
    return src


def test_jobs_two_equals_jobs_one_byte_for_byte(mixed_inputs: Path, tmp_path: Path) -> None:
    for jobs in (1, 2):
        # Small chunks, so that two workers really share the files and documents.
        options = ScaleOptions(jobs=jobs, chunk_bytes=2000)
        result = run_files(
            [mixed_inputs], tmp_path / f"j{jobs}", Pipeline.from_names(STAGES), scale=options
        )
        assert result.failed == 2  # the corpora hold bad lines
    one, two = _tree(tmp_path / "j1"), _tree(tmp_path / "j2")
    assert sorted(one) == sorted(two) and "report.jsonl" in one
    assert one == two
    assert _report_without_time(tmp_path / "j1") == _report_without_time(tmp_path / "j2")
    code, output = _run(str(mixed_inputs), "-o", str(tmp_path / "cli"), "--jobs", "2", "--no-html")
    assert code == 1 and "failed: 2" in output
    assert _tree(tmp_path / "cli") == one


def test_executor_keeps_order_across_chunks_and_merges_stage_stats() -> None:
    pipeline = Pipeline.from_names(["normalize"])
    texts = [f"{i}  \r\n" * (i % 7 + 1) for i in range(300)]
    with Executor[str, str](pipeline, jobs=2, chunk_bytes=64, chunk_items=5) as executor:
        got = list(executor.map(_clean_text, texts, weigh=len))
    assert got == [clean(t, stages=["normalize"]).text for t in texts]
    assert pipeline.stages[0].stats.documents == 300


def test_workers_inherit_a_warm_pipeline_without_counting_twice() -> None:
    """Totals made before the pool starts stay; the warm-up run and the workers'
    inherited copies of those totals are not counted again."""
    pipeline = Pipeline.default()
    pipeline.run(Document.from_input("第一篇。\n"))
    texts = [f"第{i}篇,内容  \n" for i in range(200)]
    with Executor[str, str](pipeline, jobs=2, chunk_bytes=64, chunk_items=5) as executor:
        got = list(executor.map(_clean_text, texts, weigh=len))
    assert got == [clean(t).text for t in texts]
    assert all(stage.stats.documents == 201 for stage in pipeline.stages)


def _clean_text(pipeline: Pipeline, text: str) -> str:
    return pipeline.run(Document.from_input(text)).text


class ShoutStage(TextStage):
    """A stage built by hand, not from a registered name: it travels pickled."""

    name = "shout"

    def edits(self, doc: Document) -> Iterable[Edit]:
        return [Edit(0, len(doc.text), doc.text.upper(), "shout")]


def test_a_hand_built_pipeline_runs_in_workers(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        (src / f"{i}.txt").write_text(f"doc {i}\n", "utf-8")
    pipeline = Pipeline([DecodeStage(), ShoutStage()])
    result = run_files([src], tmp_path / "out", pipeline, scale=ScaleOptions(jobs=2, chunk_bytes=1))
    assert result.failed == 0
    assert (tmp_path / "out" / "3.txt").read_text("utf-8") == "DOC 3\n"
    assert pipeline.stages[1].stats.documents == 6


def _damaged_text(paragraphs: int, seed: int) -> bytes:
    rng = random.Random(seed)
    words = [
        "你好",
        "世界",
        "文本",
        "清洗",
        "corpus",
        "數據",
        "\u200b",
        "  ",
        "e\u0301",
        "。",
        "，",
    ]
    parts = ["\n\n"]
    for _ in range(paragraphs):
        parts.append("".join(rng.choice(words) for _ in range(rng.randint(1, 30))))
        parts.append(rng.choice(["\n", "\r\n", "  \n"]))
        parts.append(rng.choice(["", "\n", "\n\n", " \n\n\n", "\r\n", "\u3000\n", "\f\n"]))
    data = "".join(parts).encode("utf-8")
    # A few bytes that are not UTF-8 at all: the decode stage drops and reports them.
    cut = len(data) // 3
    cut = data.index(b"\n", cut) + 1
    return data[:cut] + b"\xff" + data[cut:] + "尾".encode()[:2]


def test_streaming_a_large_text_file_equals_whole_file_processing(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    raw = _damaged_text(1500, seed=8)
    (src / "big.txt").write_bytes(raw)
    whole = Pipeline.from_names(STAGES)
    run_files([src], tmp_path / "whole", whole, scale=ScaleOptions(stream_above=0))
    streamed = Pipeline.from_names(STAGES)
    options = ScaleOptions(jobs=2, stream_above=1000, block_bytes=2000)
    result = run_files([src], tmp_path / "stream", streamed, scale=options)
    expected = (tmp_path / "whole" / "big.txt").read_bytes()
    output = (tmp_path / "stream" / "big.txt").read_bytes()
    assert output == expected

    entry = result.report["files"][0]
    assert entry["documents"]["total"] > 20  # it really went in blocks
    assert entry["bytes_in"] == len(raw) and entry["bytes_out"] == len(output)
    text_out = output.decode("utf-8")
    records = _read_jsonl((tmp_path / "stream" / "report.jsonl").read_bytes())
    dropped = [
        (r["byte_start"] + c["start"], r["byte_start"] + c["end"])
        for r in records
        for c in r["changes"]
        if c["stage"] == "decode"
    ]
    assert [raw[s:e] for s, e in dropped] == [b"\xff", "尾".encode()[:2]]
    for record in records:
        if "block" not in record:
            continue
        # Every block's last change ends where the block's text ends in the output.
        last = [c for c in record["changes"] if c["stage"] == "normalize"][-1]
        assert record["char_start"] + record["chars_out"] <= len(text_out)
        assert last["out_start"] + len(last["after"]) <= record["chars_out"]
        block = raw[record["byte_start"] :].decode("utf-8", "ignore")
        first = next(c for c in record["changes"] if c["stage"] == "normalize")
        assert block[first["start"] : first["end"]] == first["before"]


def test_dask_local_cluster_matches_single_process(
    mixed_inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    from cleanse.engines.dask import run_dask

    # Workers are new processes: they must import this checkout's cleanse.
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent / "src"))
    run_files(
        [mixed_inputs],
        tmp_path / "local",
        Pipeline.from_names(STAGES),
        scale=ScaleOptions(jobs=1),
        html=True,
    )
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit="400MiB",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pipeline = Pipeline.from_names(STAGES)
        result = run_dask([mixed_inputs], tmp_path / "dask", pipeline, client=client, html=True)
    # Outputs, records and the HTML review pages, byte for byte.
    assert any(name.startswith("report.files/") for name in _tree(tmp_path / "dask"))
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")
    dask_report, local_report = (_report_without_time(tmp_path / n) for n in ("dask", "local"))
    for a, b in zip(dask_report["files"], local_report["files"], strict=True):  # type: ignore[call-overload]
        assert a == b
    assert dask_report == local_report
    assert result.report["totals"]["files"] == 8
    assert pipeline.stages[1].stats.documents > 0  # worker stats came back


def test_fast_change_records_equal_to_dict() -> None:
    from cleanse.core.document import Change
    from cleanse.corpus import change_dict

    plain = Change("normalize", 1, 2, "\r", "", "line ending", out_start=1)
    tagged = Change("boilerplate", 0, 5, "abcde", "", "nav", 0.5, True, "navigation", 0)
    for change in (plain, tagged):
        assert change_dict(change) == change.to_dict()
        assert list(change_dict(change)) == list(change.to_dict())


@pytest.mark.parametrize("stages", [["decode"], ["decode", "normalize"]])
def test_streaming_matches_whole_file_for_other_pipelines(
    tmp_path: Path, stages: list[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_bytes(_damaged_text(600, seed=3))
    for name, options in (
        ("whole", ScaleOptions(stream_above=0)),
        ("stream", ScaleOptions(stream_above=1, block_bytes=1500)),
    ):
        run_files([src], tmp_path / name, Pipeline.from_names(stages), scale=options)
    assert (tmp_path / "stream" / "big.txt").read_bytes() == (
        tmp_path / "whole" / "big.txt"
    ).read_bytes()


def test_a_large_utf16_file_is_read_whole_not_cut(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = "第一段。\r\n\r\n第二段  \r\n\r\n\r\n第三段\r\n" * 200
    (src / "wide.txt").write_bytes(text.encode("utf-16"))  # with a BOM
    result = run_files(
        [src], tmp_path / "out", Pipeline.from_names(STAGES), scale=ScaleOptions(stream_above=100)
    )
    assert result.failed == 0
    assert (tmp_path / "out" / "wide.txt").read_text("utf-8") == clean(
        text.encode("utf-16"), stages=STAGES
    ).text
    assert result.report["files"][0]["encoding"] == "utf-16-le"


def test_corpus_in_a_folder_keeps_its_name_and_compression(
    mixed_inputs: Path, tmp_path: Path
) -> None:
    code, _ = _run(str(mixed_inputs), "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 1
    packed = (tmp_path / "out" / "sub" / "more.jsonl.gz").read_bytes()
    docs = _read_jsonl(gzip.decompress(packed))
    assert [d["id"] for d in docs] == ["a", "b", "no-text", "c", "a"]
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    entry = next(f for f in report["files"] if f["path"] == "sub/more.jsonl.gz")
    assert entry["records"] == "report.jsonl" and entry["documents"]["total"] == 6
    records = _read_jsonl((tmp_path / "out" / "report.jsonl").read_bytes())
    assert {r["path"] for r in records} == {"corpus.jsonl", "sub/more.jsonl.gz"}


def test_a_large_binary_file_is_skipped_not_streamed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = run_files(
        [src], tmp_path / "out", Pipeline.from_names(STAGES), scale=ScaleOptions(stream_above=100)
    )
    assert [f.status for f in result.files] == ["skipped"]
    assert "PNG" in (result.files[0].message or "")
    assert not (tmp_path / "out" / "image.png").exists()
