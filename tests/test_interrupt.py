"""Interrupted runs and --resume, for real: a subprocess stopped by a signal mid-run.

The run is slow because its inputs are: GBK files go through encoding
detection, which takes milliseconds each, so a signal sent after the first
outputs appear lands in the middle of the run. No test hook in the code.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleanse.io.manifest import MANIFEST_NAME
from cleanse.io.outputs import TEMP_SUFFIX

SRC = Path(__file__).resolve().parent.parent / "src"
FILES = 60
PARAGRAPH = "这是一个用于测试中断的段落，内容平淡无奇，只为让解码多花一点时间。\r\n"


def _corpus(folder: Path, files: int = FILES) -> Path:
    folder.mkdir()
    for i in range(files):
        text = f"第{i}篇\r\n" + PARAGRAPH * 60
        (folder / f"doc{i:04d}.txt").write_bytes(text.encode("gbk"))
    return folder


# The stages that matter here are the ones that read and write; the expected outputs
# stay known whatever other stages do.
STAGES = "decode,normalize"


def _start(inputs: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-m", "cleanse", "run", str(inputs), "-o", str(out)]
    return subprocess.Popen(
        [*command, "--stages", STAGES, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _interrupt_midway(proc: subprocess.Popen[bytes], out: Path, sig: int) -> tuple[int, str]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and len(list(out.glob("doc*.txt"))) >= 3:
            break
        time.sleep(0.01)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    return proc.returncode, stdout.decode() + stderr.decode()


def _outputs(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("doc*.txt"))
    }


def _check_complete(out: Path, inputs: Path, names: list[str]) -> None:
    for name in names:
        text = (out / name).read_bytes().decode("utf-8")  # complete UTF-8, never cut
        expected = (inputs / name).read_bytes().decode("gbk").replace("\r\n", "\n")
        assert text == expected, f"{name} is partial or wrong"


def _check_no_partial_files(out: Path, inputs: Path, done: list[str]) -> None:
    assert not list(out.rglob(f"*{TEMP_SUFFIX}")), "temporary files left behind"
    _check_complete(out, inputs, done)
    written = sorted(p.name for p in out.glob("doc*.txt"))
    assert written == sorted(done), "an output exists that the report does not list (or back)"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_no_partial_file_and_resume_finishes(
    tmp_path: Path, sig: int
) -> None:
    inputs = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    code, output = _interrupt_midway(_start(inputs, out), out, sig)
    if code == 0:
        pytest.skip("the run finished before the signal arrived (machine too fast)")
    assert code == 128 + sig, output
    assert f"interrupted ({signal.Signals(sig).name})" in output
    assert "--resume" in output

    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["run"]["complete"] is False
    assert report["run"]["interrupted"] == signal.Signals(sig).name
    done = [f["output"] for f in report["files"]]
    assert 0 < len(done) < FILES
    assert report["totals"]["files"] == len(done)
    assert f"files read: {len(done)}" in output
    _check_no_partial_files(out, inputs, done)
    if sig == signal.SIGTERM:
        return  # the resume is the same for both signals; run it once

    resumed = _start(inputs, out, "--resume")
    stdout, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr.decode()
    assert f"resumed: {len(done)} document(s)" in stdout.decode()
    final = json.loads((out / "report.json").read_text("utf-8"))
    assert final["run"]["complete"] is True and final["run"]["resumed"] == len(done)
    assert final["totals"]["files"] == FILES
    assert [f["path"] for f in final["files"]] == [f"doc{i:04d}.txt" for i in range(FILES)]

    fresh = tmp_path / "fresh"
    whole = _start(inputs, fresh)
    whole.communicate(timeout=120)
    assert whole.returncode == 0
    assert _outputs(out) == _outputs(fresh)
    fresh_report = json.loads((fresh / "report.json").read_text("utf-8"))
    assert final["files"] == fresh_report["files"], "the resumed report differs from a full run"
    manifest_lines = (out / MANIFEST_NAME).read_text("utf-8").splitlines()
    assert len(manifest_lines) == 1 + FILES


def test_killed_run_leaves_only_complete_outputs_and_resume_finishes(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: what is on disk must still be safe, and --resume finish it."""
    inputs = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    code, _ = _interrupt_midway(_start(inputs, out), out, signal.SIGKILL)
    if code == 0:
        pytest.skip("the run finished before the signal arrived (machine too fast)")
    assert code == -signal.SIGKILL
    written = sorted(p.name for p in out.glob("doc*.txt"))
    assert 0 < len(written) < FILES
    _check_complete(out, inputs, written)  # atomic writes: every output there is whole
    journal = (out / MANIFEST_NAME).read_text("utf-8").splitlines()
    assert 1 <= len(journal) <= 1 + len(written) + 1  # header, finished documents, maybe one cut

    resumed = _start(inputs, out, "--resume")
    stdout, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr.decode()
    assert "resumed:" in stdout.decode()
    assert not list(out.rglob(f"*{TEMP_SUFFIX}"))
    final = json.loads((out / "report.json").read_text("utf-8"))
    assert final["totals"]["files"] == FILES and final["run"]["complete"] is True
    _check_complete(out, inputs, [f"doc{i:04d}.txt" for i in range(FILES)])


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux: from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_worker_ends_the_run_with_a_report_and_resume_finishes(tmp_path: Path) -> None:
    """A worker killed by the system (out of memory) or by hand: no traceback and no
    hang, the documents done are reported, exit code 3, and --resume finishes."""
    # Enough files for several chunks of work: a single chunk is cleaned in process.
    files = 6 * FILES
    inputs = _corpus(tmp_path / "in", files)
    out = tmp_path / "out"
    proc = _start(inputs, out, "--jobs", "2")
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None and not workers:
        workers = _children(proc.pid)
        time.sleep(0.005)
    if not workers:
        pytest.skip("the run finished before its workers could be seen (machine too fast)")
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=60)
    output = stdout.decode() + stderr.decode()
    if proc.returncode == 0:
        pytest.skip("the run finished before the worker was killed (machine too fast)")
    assert proc.returncode == 3, output
    assert "Traceback" not in output
    assert "a worker process died" in output and "--resume" in output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["run"]["complete"] is False and report["run"]["aborted"]
    done = [f["output"] for f in report["files"]]
    assert len(done) < files
    _check_no_partial_files(out, inputs, done)

    resumed = _start(inputs, out, "--resume", "--jobs", "2")
    _, stderr_bytes = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr_bytes.decode()
    final = json.loads((out / "report.json").read_text("utf-8"))
    assert final["run"]["complete"] is True and final["totals"]["files"] == files
    _check_complete(out, inputs, [f"doc{i:04d}.txt" for i in range(files)])
