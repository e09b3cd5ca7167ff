"""Bad input: each kind gets a clear message and a count, and the run goes on."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleanse.cli import main
from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.core.stage import Stage
from cleanse.runner import run_files

GOOD = "好的文字，一切正常。\n"


def _run(src: Path, out: Path, *args: str) -> tuple[int, str, dict[str, dict[str, object]]]:
    result = CliRunner().invoke(main, ["run", str(src), "-o", str(out), *args])
    report = json.loads((out / "report.json").read_text("utf-8"))
    entries = {f["path"]: f for f in report["files"]}
    assert report["totals"]["files"] == len(entries)
    return result.exit_code, result.output, {**entries, "_totals": report["totals"]}


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (src / "nul.bin").write_bytes(bytes(range(256)) * 4)
    (src / "empty.txt").write_bytes(b"")
    (src / "large.txt").write_text("大" * 2000, encoding="utf-8")
    (src / "dangling").symlink_to(src / "missing")
    (src / "self-loop").symlink_to(src / "self-loop")
    (src / "loop-a").symlink_to(src / "loop-b")
    (src / "loop-b").symlink_to(src / "loop-a")
    (src / "dir").mkdir()
    (src / "dir" / "up").symlink_to(src, target_is_directory=True)  # a folder loop
    os.mkfifo(src / "pipe")
    # A file name that is not valid UTF-8 (Latin-1 "café").
    fd = os.open(os.fsencode(src) + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, GOOD.encode())
    os.close(fd)
    (src / "lost.txt").write_text("\ufffd" * 300 + "\n" + "\ufffd\ufffd \ufffd\n", encoding="utf-8")
    utf8 = "这一段是正常的UTF-8文字，讲天气和城市。\n" * 4
    (src / "mixed.txt").write_bytes(
        utf8.encode() + "这一段却是GBK编码的，由别的程序写入。\n".encode("gbk") + utf8.encode()
    )
    return src


def test_every_bad_input_is_named_counted_and_the_run_goes_on(bad: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output, files = _run(bad, out, "--max-bytes", "5000", "--stages", "decode,normalize")
    assert code == 1, output  # some documents failed; the others are done
    totals = files.pop("_totals")

    def message(path: str) -> str:
        return str(files[path]["message"])

    assert files["good.txt"]["status"] == "unchanged"
    assert (out / "good.txt").read_text("utf-8") == GOOD
    assert message("image.png") == "binary input (PNG image), not text"
    assert message("nul.bin") == "binary input (contains NUL bytes), not text"
    assert message("empty.txt") == "empty file"
    assert (out / "empty.txt").read_bytes() == b""
    assert message("large.txt") == "larger than the limit (6000 > 5000 bytes)"
    assert message("dangling") == "broken symlink"
    assert message("self-loop") == "symlink loop: the link points back to itself"
    assert message("loop-a") == "symlink loop: the link points back to itself"
    assert message("dir/up") == "symlink loop: folder already visited"
    assert message("pipe") == "not a regular file (FIFO, socket or device)"
    assert message("caf\\xe9.txt") == "file name is not valid UTF-8; output named 'caf\\\\xe9.txt'"
    assert (out / "caf\\xe9.txt").read_text("utf-8") == GOOD
    assert files["lost.txt"]["status"] == "skipped"
    assert message("lost.txt").startswith("no text: only replacement characters")
    assert not (out / "lost.txt").exists()
    mixed = (out / "mixed.txt").read_text("utf-8")
    assert "这一段却是GBK编码的，由别的程序写入。" in mixed and "天气和城市" in mixed

    assert totals["problems"] == {
        "binary": 2,
        "broken symlink": 1,
        "empty": 1,
        "file name not UTF-8": 1,
        "mixed encodings": 1,
        "no text": 1,
        "not a regular file": 1,
        "symlink loop": 4,
        "too large": 1,
    }
    assert (
        "problems: binary 2, broken symlink 1, empty 1, file name not UTF-8 1, "
        "mixed encodings 1, no text 1, not a regular file 1, symlink loop 4, too large 1"
    ) in output
    assert "  skipped: image.png: binary input (PNG image), not text" in output
    assert "  failed: pipe: not a regular file (FIFO, socket or device)" in output
    assert "  note: caf\\xe9.txt: file name is not valid UTF-8" in output
    assert "  note: mixed.txt: mixed encodings" in output


def _root_reads_anyway(path: Path) -> bool:
    try:
        path.read_bytes()
        return True
    except PermissionError:
        return False


def test_unreadable_file_and_folder_real_permissions(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "closed").mkdir(parents=True)
    (src / "closed" / "x.txt").write_text(GOOD, encoding="utf-8")
    (src / "secret.txt").write_text(GOOD, encoding="utf-8")
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    os.chmod(src / "secret.txt", 0)
    os.chmod(src / "closed", 0)
    try:
        if _root_reads_anyway(src / "secret.txt"):
            pytest.skip("running as root: file permissions do not block reads here")
        code, _output, files = _run(src, tmp_path / "out")
        assert code == 1
        assert files["secret.txt"]["message"] == "cannot read: Permission denied"
        assert files["closed"]["message"] == "cannot read folder: Permission denied"
        assert files["_totals"]["problems"] == {"unreadable": 2}
        assert (tmp_path / "out" / "good.txt").exists()
    finally:
        os.chmod(src / "secret.txt", 0o644)
        os.chmod(src / "closed", 0o755)


def test_unreadable_file_and_folder_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root permissions do not block reads, so the errors the OS would raise are injected."""
    src = tmp_path / "in"
    (src / "closed").mkdir(parents=True)
    (src / "closed" / "x.txt").write_text(GOOD, encoding="utf-8")
    (src / "secret.txt").write_text(GOOD, encoding="utf-8")
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    real_read, real_open, real_scandir = Path.read_bytes, Path.open, os.scandir

    def denied(path: object) -> PermissionError:
        return PermissionError(13, "Permission denied", str(path))

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.txt":
            raise denied(self)
        return real_read(self)

    def open_(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "secret.txt":
            raise denied(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def scandir(path: object) -> object:
        if str(path).endswith("closed"):
            raise denied(path)
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "open", open_)
    monkeypatch.setattr(os, "scandir", scandir)
    code, output, files = _run(src, tmp_path / "out")
    assert code == 1
    assert files["secret.txt"]["message"] == "cannot read: Permission denied"
    assert files["closed"]["message"] == "cannot read folder: Permission denied"
    assert files["_totals"]["problems"] == {"unreadable": 2}
    assert "failed: secret.txt: cannot read: Permission denied" in output
    assert (tmp_path / "out" / "good.txt").read_text("utf-8") == GOOD


class Recursive(Stage):
    """A stage that recurses once per nesting level, as a naive HTML walker would."""

    name = "recursive"

    def process(self, doc: Document) -> Document:
        def depth(at: int) -> int:
            return 1 + depth(at + 5) if doc.text.startswith("<div>", at) else 0

        depth(0)
        return doc


def test_recursion_in_a_stage_fails_the_document_not_the_run(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "deep.html").write_text("<div>" * 100_000 + "正文", encoding="utf-8")
    (src / "flat.html").write_text("<div>正文</div>\n", encoding="utf-8")
    from cleanse.stages import DecodeStage

    result = run_files([src], tmp_path / "out", Pipeline([DecodeStage(), Recursive()]))
    by_path = {f.path: f for f in result.files}
    assert by_path["deep.html"].status == "failed"
    assert by_path["deep.html"].message == (
        "too deeply nested to process (a stage ran out of recursion depth)"
    )
    assert by_path["flat.html"].status == "unchanged"
    assert result.report["totals"]["problems"] == {"too deeply nested": 1}
    assert sys.getrecursionlimit() < 100_000  # the test means something


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.html", "<div>" * 50_000 + "<p>正文在这里。</p>" + "</div>" * 50_000 + "\n"),
        ("unclosed.html", "<div><span><b>" * 20_000 + "没有闭合的标签\n"),
        (
            "enormous.html",
            "<html><body>"
            + "<table>"
            + "<tr><td>单元格</td><td>cell</td></tr>" * 60_000
            + "</table>"
            + "</body></html>\n",
        ),
        ("one-line.txt", "一行很长的文字，没有换行。" * 80_000),
        ("one-line-ascii.txt", "a" * 1_000_000),
    ],
)
def test_huge_and_deep_inputs_through_the_default_pipeline(
    tmp_path: Path, name: str, text: str
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_text(text, encoding="utf-8")
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    result = run_files([src], tmp_path / "out", Pipeline.default())
    by_path = {f.path: f for f in result.files}
    assert by_path["good.txt"].status == "unchanged"
    entry = by_path[name]
    # Cleaned, or refused with a clear message; never a crash of the run.
    assert entry.status in ("cleaned", "unchanged") or entry.message, entry
    if entry.status in ("cleaned", "unchanged"):
        assert entry.output is not None  # HTML comes out as NAME.txt
        out = (tmp_path / "out" / entry.output).read_text("utf-8")
        assert out.endswith("\n") and len(out) > 0


def test_an_output_that_cannot_be_written_fails_that_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from cleanse import runner

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    (src / "b.txt").write_text(GOOD, encoding="utf-8")
    real_write = runner.atomic_write

    def disk_full(path: Path, data: bytes, mode: int | None = None) -> None:
        if path.name == "a.txt":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data, mode)

    monkeypatch.setattr(runner, "atomic_write", disk_full)
    result = run_files([src], tmp_path / "out", Pipeline.from_names(["decode", "normalize"]))
    by_path = {f.path: f for f in result.files}
    assert by_path["a.txt"].status == "failed"
    assert by_path["a.txt"].message == "cannot write output: No space left on device"
    assert (tmp_path / "out" / "b.txt").read_text("utf-8") == GOOD
    assert result.report["totals"]["problems"] == {"output not written": 1}
    assert result.exit_code == 1


@pytest.mark.parametrize("kind", ["file", "impossible"])
def test_an_unusable_output_folder_is_a_usage_error(tmp_path: Path, kind: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    target = tmp_path / "a-file"
    target.write_text("not a folder")
    out = target if kind == "file" else target / "below-a-file"
    result = CliRunner().invoke(main, ["run", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert ("is not a folder" if kind == "file" else "cannot create output folder") in result.output


def test_file_names_at_the_length_limit(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    long_cjk = "长" * 80 + ".txt"  # 244 bytes in UTF-8: near the 255-byte limit
    long_ascii = "n" * 251 + ".txt"
    for name in (long_cjk, long_ascii):
        (src / name).write_text(GOOD, encoding="utf-8")
    result = run_files([src], tmp_path / "out", Pipeline.from_names(["decode", "normalize"]))
    assert result.exit_code == 0, [f.message for f in result.files]
    for name in (long_cjk, long_ascii):
        assert (tmp_path / "out" / name).read_text("utf-8") == GOOD
