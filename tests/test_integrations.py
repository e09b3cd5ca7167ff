"""cleanse inside datatrove and Hugging Face datasets gives the CLI's output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleanse.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXTRA = {
    "crlf": "第一行\r\n第二行  \r\n",
    "gateway-like": "首頁(yè) >> 正文\n運(yùn)營(yíng)數(shù)據(jù)",
    "empty": "",
}


def _documents() -> dict[str, str]:
    docs = {p.stem: p.read_text("utf-8") for p in sorted(SEEDS.iterdir())}
    docs.update(EXTRA)
    return docs


def _cli_outputs(tmp_path: Path, docs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """What `cleanse run docs.jsonl -o out.jsonl` writes for each document."""
    source = tmp_path / "cli.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for name, text in docs.items():
            fh.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
    out = tmp_path / "cli.out.jsonl"
    result = CliRunner().invoke(main, ["run", str(source), "-o", str(out), "-q", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    return {row["id"]: row for row in rows}


def _same_counts(summary: dict[str, Any], cli_meta: dict[str, Any]) -> None:
    assert summary["changes"] == cli_meta["changes"]
    assert summary["unresolved"] == cli_meta["unresolved"]
    assert {k: v for k, v in summary["stages"].items() if v} == cli_meta["stages"]


def test_datatrove_step_matches_the_cli(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleanse.integrations.datatrove import CleanseStep

    docs = _documents()
    data = tmp_path / "dt-in"
    data.mkdir()
    with (data / "docs.jsonl").open("w", encoding="utf-8") as fh:
        for name, text in docs.items():
            fh.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
    out = tmp_path / "dt-out"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(data)),
            CleanseStep(),
            JsonlWriter(str(out), compression=None),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "dt-logs"),
    ).run()
    rows = [
        json.loads(line)
        for path in sorted(out.glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]
    expected = _cli_outputs(tmp_path, docs)
    # datatrove's reader drops documents with empty text; every other one must match.
    assert {row["id"] for row in rows} == {name for name, text in docs.items() if text}
    for row in rows:
        assert row["text"] == expected[row["id"]]["text"], row["id"]
        _same_counts(row["metadata"]["cleanse"], expected[row["id"]]["cleanse"])


def test_datasets_map_matches_the_cli(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    from cleanse.integrations.hf_datasets import CleanseMap

    docs = _documents()
    ds = datasets.Dataset.from_dict({"id": list(docs), "text": list(docs.values())})
    mapped = ds.map(CleanseMap(), batched=True, batch_size=3, num_proc=2)
    expected = _cli_outputs(tmp_path, docs)
    assert mapped["id"] == list(docs)
    for name, text, summary in zip(mapped["id"], mapped["text"], mapped["cleanse"], strict=True):
        assert text == expected[name]["text"], name
        _same_counts(summary, expected[name]["cleanse"])
    crlf = mapped["cleanse"][mapped["id"].index("crlf")]
    assert crlf["stages"]["normalize"] >= 2


def test_map_function_pickles_without_its_pipeline() -> None:
    import pickle

    from cleanse.integrations.hf_datasets import CleanseMap

    fn = CleanseMap(stages=["decode", "normalize"])
    assert fn({"text": ["a \n"]})["text"] == ["a\n"]
    clone = pickle.loads(pickle.dumps(fn))
    assert clone._pipeline is None
    assert clone({"text": ["b\r\n"]})["text"] == ["b\n"]
