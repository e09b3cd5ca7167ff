"""cleanse inside datatrove and Hugging Face datasets gives the CLI's output."""

from __future__ import annotations

import json
from pathlib import Path

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


def _cli_outputs(tmp_path: Path, docs: dict[str, str]) -> dict[str, str]:
    src = tmp_path / "cli-in"
    src.mkdir()
    for name, text in docs.items():
        (src / f"{name}.txt").write_bytes(text.encode("utf-8"))
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(main, ["run", str(src), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return {name: (out / f"{name}.txt").read_bytes().decode("utf-8") for name in docs}


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
    cleaned = {row["id"]: row["text"] for row in rows}
    expected = _cli_outputs(tmp_path, docs)
    # datatrove's reader drops documents with empty text; every other one must match.
    assert set(cleaned) == {name for name, text in docs.items() if text}
    for name, text in cleaned.items():
        assert text == expected[name], name
    summary = rows[0]["metadata"]["cleanse"]
    assert set(summary) == {"changes", "unresolved", "by_stage"}
    assert summary["changes"] == sum(summary["by_stage"].values())


def test_datasets_map_matches_the_cli(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    from cleanse.integrations.hf_datasets import CleanseMap

    docs = _documents()
    ds = datasets.Dataset.from_dict({"id": list(docs), "text": list(docs.values())})
    mapped = ds.map(CleanseMap(), batched=True, batch_size=3, num_proc=2)
    expected = _cli_outputs(tmp_path, docs)
    assert mapped["id"] == list(docs)
    for name, text, summary in zip(mapped["id"], mapped["text"], mapped["cleanse"], strict=True):
        assert text == expected[name], name
        assert summary["changes"] == sum(summary["by_stage"].values())
    crlf = mapped["cleanse"][mapped["id"].index("crlf")]
    assert crlf["by_stage"]["normalize"] >= 2


def test_map_function_pickles_without_its_pipeline() -> None:
    import pickle

    from cleanse.integrations.hf_datasets import CleanseMap

    fn = CleanseMap(stages=["decode", "normalize"])
    assert fn({"text": ["a \n"]})["text"] == ["a\n"]
    clone = pickle.loads(pickle.dumps(fn))
    assert clone._pipeline is None
    assert clone({"text": ["b\r\n"]})["text"] == ["b\n"]
