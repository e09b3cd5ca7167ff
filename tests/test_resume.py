"""--resume in process: what is reused and what is cleaned again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cleanse.core.pipeline import Pipeline
from cleanse.io.manifest import MANIFEST_NAME
from cleanse.runner import run_files


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "in"
    src.mkdir()
    for name, text in {"a.txt": "甲\r\n", "b.txt": "乙  \n", "c.txt": "丙\n"}.items():
        (src / name).write_bytes(text.encode())
    (src / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    return src, tmp_path / "out"


def _pipeline() -> Pipeline:
    return Pipeline.from_names(["decode", "normalize"])


def test_resume_reuses_only_what_is_up_to_date(tmp_path: Path) -> None:
    src, out = _setup(tmp_path)
    first = run_files([src], out, _pipeline())
    assert first.exit_code == 0 and first.resumed == 0

    again = run_files([src], out, _pipeline(), resume=True)
    assert again.resumed == 4  # three texts and the skipped image
    assert again.report["files"] == first.report["files"]

    # An input edited since (same size: only the time and the hash tell), an output
    # damaged by hand, an output deleted: those three are cleaned again.
    (src / "a.txt").write_bytes("丁\r\n".encode())
    os.utime(src / "a.txt", ns=(1, 1))
    (out / "b.txt").write_bytes(b"tampered")
    (out / "c.txt").unlink()
    third = run_files([src], out, _pipeline(), resume=True)
    assert third.resumed == 1  # only the image
    assert (out / "a.txt").read_text("utf-8") == "丁\n"
    assert (out / "b.txt").read_text("utf-8") == "乙\n"
    assert (out / "c.txt").read_text("utf-8") == "丙\n"


def test_resume_with_other_options_cleans_everything(tmp_path: Path) -> None:
    src, out = _setup(tmp_path)
    run_files([src], out, _pipeline())
    other = run_files([src], out, Pipeline.from_names(["decode"]), resume=True)
    assert other.resumed == 0
    assert any("another cleanse version, stages or options" in n for n in other.notes)
    assert (out / "b.txt").read_text("utf-8") == "乙  \n"  # decode only now


def test_resume_without_manifest_and_with_a_cut_line(tmp_path: Path) -> None:
    src, out = _setup(tmp_path)
    fresh = run_files([src], out, _pipeline(), resume=True)
    assert fresh.resumed == 0 and any("no manifest" in n for n in fresh.notes)
    # A process killed while appending leaves half a line: it is ignored.
    manifest = out / MANIFEST_NAME
    lines = manifest.read_text("utf-8").splitlines()
    manifest.write_text("\n".join([*lines[:2], lines[2][:15]]) + "\n", "utf-8")
    resumed = run_files([src], out, _pipeline(), resume=True)
    assert resumed.resumed == 1
    assert resumed.report["totals"]["files"] == 4


def test_failed_documents_are_always_retried(tmp_path: Path) -> None:
    src, out = _setup(tmp_path)
    (src / "gone").symlink_to(src / "nowhere")
    first = run_files([src], out, _pipeline())
    assert first.exit_code == 1
    second = run_files([src], out, _pipeline(), resume=True)
    assert second.resumed == 4
    statuses = {f["path"]: f["status"] for f in second.report["files"]}
    assert statuses["gone"] == "failed"
    record = json.loads((out / MANIFEST_NAME).read_text("utf-8").splitlines()[1])
    assert set(record) == {"input", "fingerprint", "output_sha256", "report"}


def test_a_resumed_run_writes_the_same_report_pages_and_corpus_entries(tmp_path: Path) -> None:
    """Files taken over get their review page again (the folder's old pages are
    cleared by every run), and a corpus file's entry keeps its document counts."""
    src, out = _setup(tmp_path)
    lines = [{"id": 1, "text": "甲,乙\r\n"}, {"id": 2, "text": "丙"}]
    (src / "e.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    first = run_files([src], out, _pipeline(), html=True)
    pages = {p.name: p.read_bytes() for p in (out / "report.files").iterdir()}
    index = (out / "report.html").read_bytes()
    assert len(pages) == 3  # the three texts; the image was skipped, the corpus has none

    again = run_files([src], out, _pipeline(), html=True, resume=True)
    assert again.resumed == 5
    assert again.report["files"] == first.report["files"]
    assert again.report["totals"] == first.report["totals"]
    corpus = next(f for f in again.report["files"] if f["path"] == "e.jsonl")
    assert corpus["documents"]["total"] == 2
    assert {p.name: p.read_bytes() for p in (out / "report.files").iterdir()} == pages
    assert (out / "report.html").read_bytes() == index
