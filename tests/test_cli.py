"""The command line on the seeds and on bad locations."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cleanse.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_run_seeds_writes_outputs_and_report_and_is_repeatable(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    before = _digest(seeds)
    runner = CliRunner()

    result = runner.invoke(main, ["run", str(seeds)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "seeds.clean"
    assert "files read: 5" in result.output
    names = sorted(p.name for p in seeds.iterdir())
    for name in names:
        text = (out / name).read_bytes().decode("utf-8")  # valid UTF-8
        assert text.endswith("\n")
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["schema_version"] == 1
    assert [f["path"] for f in report["files"]] == names
    assert report["totals"]["files"] == 5 and report["totals"]["failed"] == 0
    for entry in report["files"]:
        assert entry["encoding"] == "utf-8"
        assert sum(s["changes"] for s in entry["summary"].values()) == len(entry["changes"])
    assert _digest(seeds) == before, "inputs must never change"

    first = {k: v for k, v in _digest(out).items() if k != "report.json"}
    again = runner.invoke(main, ["run", str(seeds), "-o", str(tmp_path / "again")])
    assert again.exit_code == 0, again.output
    assert {k: v for k, v in _digest(tmp_path / "again").items() if k != "report.json"} == first


def test_output_inside_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("你好\n", encoding="utf-8")
    before = _digest(tmp_path / "in")
    for target in (tmp_path / "in", tmp_path / "in" / "sub"):
        result = CliRunner().invoke(main, ["run", str(tmp_path / "in"), "-o", str(target)])
        assert result.exit_code == 2
        assert "inside the input folder" in result.output
    assert _digest(tmp_path / "in") == before


def test_bad_inputs_are_counted_not_fatal(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("你好，世界。\n", encoding="utf-8")
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (src / "empty.txt").write_bytes(b"")
    (src / "dangling").symlink_to(src / "missing")
    result = CliRunner().invoke(main, ["run", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1  # the broken symlink is a failed document
    assert "skipped: 1" in result.output and "failed: 1" in result.output
    assert "image.png: binary input (PNG image)" in result.output
    assert (tmp_path / "out" / "empty.txt").read_bytes() == b""
    assert not (tmp_path / "out" / "image.png").exists()


def test_stdin_to_stdout() -> None:
    result = CliRunner().invoke(
        main, ["run", "-", "--stages", "decode,normalize"], input=b"a\r\nb  \n"
    )
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"a\nb\n")


def test_stages_lists_every_stage_in_order() -> None:
    result = CliRunner().invoke(main, ["stages"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == [
        "decode",
        "repair",
        "annotations",
        "boilerplate",
        "layout",
        "script",
        "punctuation",
        "normalize",
    ]


def test_unknown_stage_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["run", str(SEEDS), "-o", str(tmp_path / "o"), "--stages", "decode,bogus"]
    )
    assert result.exit_code == 2
    assert "unknown stage" in result.output
