"""Data safety: where outputs may go, atomic writes, in-place editing with backups."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleanse.cli import main
from cleanse.core.pipeline import Pipeline
from cleanse.io import outputs
from cleanse.io.outputs import TEMP_SUFFIX, OutputLocationError, atomic_write, check_output_dir
from cleanse.io.safety import remove_stale_temp_files
from cleanse.runner import run_files


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_bytes("第一段。\r\n第二段。  \r\n".encode())
    (src / "sub" / "b.txt").write_bytes("已经干净的文字。\n".encode())
    return src


@pytest.mark.parametrize(
    "target",
    [".", "./", "sub", "sub/deeper", "../in", "../in/sub", "link-to-in", "link-to-in/x"],
)
def test_output_inside_input_refused_whatever_the_spelling(
    corpus: Path, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus.parent / "link-to-in").symlink_to(corpus, target_is_directory=True)
    before = _digest(corpus)
    monkeypatch.chdir(corpus if not target.startswith("link") else corpus.parent)
    result = CliRunner().invoke(main, ["run", str(corpus), "-o", target])
    assert result.exit_code == 2, result.output
    assert "inside the input folder" in result.output
    assert _digest(corpus) == before


def test_relative_input_and_symlinked_output_parent(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The output is named through a symlink that points into the input folder.
    (corpus.parent / "door").symlink_to(corpus / "sub", target_is_directory=True)
    monkeypatch.chdir(corpus.parent)
    with pytest.raises(OutputLocationError):
        check_output_dir(Path("door/out"), [Path("in")])
    with pytest.raises(OutputLocationError):
        check_output_dir(Path("in/../in/./sub"), [Path("in")])


def test_output_folder_containing_an_input_is_refused(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(corpus / "sub"), "-o", str(corpus)])
    assert result.exit_code == 2
    assert "contains the input" in result.output


def test_output_folder_is_an_input_file_is_refused(corpus: Path) -> None:
    with pytest.raises(OutputLocationError):
        check_output_dir(corpus / "a.txt", [corpus / "a.txt"])


def test_atomic_write_leaves_old_file_and_no_temp_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    atomic_write(target, b"old\n")
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode & 0o044, "outputs are readable like ordinary files, not 0600"

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new content that must not appear half written\n")
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_stale_temp_files_from_a_killed_run_are_removed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    stale = out / "sub" / f".b.txt.x1y2z3{TEMP_SUFFIX}"
    stale.write_bytes(b"half")
    users = out / "notes.tmp"
    users.write_bytes(b"a file of the user, not ours")
    assert remove_stale_temp_files(out) == [stale]
    assert users.exists()
    result = run_files([corpus], out, Pipeline.from_names(["decode", "normalize"]))
    assert not list(out.rglob(f"*{TEMP_SUFFIX}"))
    assert result.exit_code == 0


def test_in_place_keeps_a_backup_and_never_overwrites_it(corpus: Path, tmp_path: Path) -> None:
    original_a = (corpus / "a.txt").read_bytes()
    original_b = (corpus / "sub" / "b.txt").read_bytes()
    os.chmod(corpus / "a.txt", 0o640)
    report_dir = tmp_path / "report"
    args = ["run", str(corpus), "--in-place", "-o", str(report_dir), "--stages", "decode,normalize"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (corpus / "a.txt").read_bytes() == "第一段。\n第二段。\n".encode()
    assert (corpus / "a.txt.orig").read_bytes() == original_a
    assert stat.S_IMODE((corpus / "a.txt").stat().st_mode) == 0o640
    # Unchanged files are neither rewritten nor backed up.
    assert (corpus / "sub" / "b.txt").read_bytes() == original_b
    assert not (corpus / "sub" / "b.txt.orig").exists()
    # Only the reports and the manifest go to the report folder, no clean text.
    assert sorted(p.name for p in report_dir.iterdir()) == [
        ".cleanse-manifest.jsonl",
        "report.files",
        "report.html",
        "report.json",
    ]
    entry = json.loads((report_dir / "report.json").read_text("utf-8"))["files"][0]
    assert entry["message"] == "cleaned in place; original kept as a.txt.orig"

    # A second in-place run must not replace the backup; the damaged file is restored by hand.
    (corpus / "a.txt").write_bytes(b"x  \r\n")
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1
    assert "backup a.txt.orig already exists" in again.output
    assert "skipped: a.txt.orig: backup kept by an earlier in-place run" in again.output
    assert (corpus / "a.txt.orig").read_bytes() == original_a
    assert (corpus / "a.txt").read_bytes() == b"x  \r\n"


def test_in_place_with_default_report_folder(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(corpus), "--in-place", "--stages", "normalize"])
    assert result.exit_code == 0, result.output
    assert (corpus.parent / "in.clean" / "report.json").exists()
    assert not (corpus.parent / "in.clean" / "a.txt").exists()


def test_in_place_then_resume_reuses_and_keeps_backups(corpus: Path, tmp_path: Path) -> None:
    report_dir = tmp_path / "report"
    pipeline = Pipeline.from_names(["decode", "normalize"])
    first = run_files([corpus], report_dir, pipeline, in_place=True)
    assert first.exit_code == 0
    backup = (corpus / "a.txt.orig").read_bytes()
    again = run_files(
        [corpus],
        report_dir,
        Pipeline.from_names(["decode", "normalize"]),
        in_place=True,
        resume=True,
    )
    assert again.exit_code == 0, [f.message for f in again.files]
    assert again.resumed == 2
    assert (corpus / "a.txt.orig").read_bytes() == backup


def test_in_place_and_resume_need_files() -> None:
    for flag in ("--in-place", "--resume"):
        result = CliRunner().invoke(main, ["run", "-", flag], input=b"x\n")
        assert result.exit_code == 2
        assert "need files, not stdin" in result.output


def test_help_documents_exit_codes_and_safety_flags() -> None:
    text = CliRunner().invoke(main, ["run", "--help"]).output
    for needle in (
        "0    every document was read",
        "1    some documents failed",
        "2    usage error",
    ):
        assert needle in text
    assert "130  interrupted by Ctrl-C (SIGINT); 143 stopped by SIGTERM" in text
    assert "--resume" in text and "--in-place" in text
