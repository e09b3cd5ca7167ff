"""A run over files: read each input, clean it, write its output and the report.

The CLI is a thin layer over :func:`run_files`; library users can call it too.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.io.inputs import InputFile, discover
from cleanse.io.manifest import Fingerprint, Manifest, header
from cleanse.io.outputs import atomic_write, check_output_dir, prepare_output_dir
from cleanse.io.problems import count, review
from cleanse.io.report import FileReport, build_report, dumps
from cleanse.io.safety import (
    BackupExistsError,
    Interrupted,
    catch_signals,
    is_backup,
    remove_stale_temp_files,
    signals_deferred,
    uninterrupted,
    write_in_place,
)
from cleanse.stages.decode import BinaryInputError

DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@dataclass
class RunResult:
    """What a run did: per-file reports, the report dict and where it was written."""

    files: list[FileReport]
    report: dict[str, Any]
    output_dir: Path
    seconds: float
    stage_seconds: dict[str, float] = field(default_factory=dict)
    interrupted: int | None = None  # the signal that stopped the run early
    resumed: int = 0  # documents taken over from an earlier run (--resume)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.status == "failed")

    @property
    def exit_code(self) -> int:
        """0 all documents read, 1 some failed, 128 + signal number when interrupted."""
        if self.interrupted is not None:
            return 128 + self.interrupted
        return 1 if self.failed else 0


def clean_file(
    item: InputFile, pipeline: Pipeline, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[FileReport, str | None]:
    """Clean one input file; never raises for a bad input, reports it instead."""
    rel = str(item.relative)
    if item.problem:
        return FileReport(path=rel, status="failed", message=item.problem), None
    try:
        size = item.path.stat().st_size
        if size > max_bytes:
            return FileReport(
                path=rel,
                status="skipped",
                message=f"larger than the limit ({size} > {max_bytes} bytes)",
                bytes_in=size,
            ), None
        raw = item.path.read_bytes()
    except OSError as exc:
        return FileReport(
            path=rel, status="failed", message=f"cannot read: {exc.strerror or exc}"
        ), None
    doc = Document.from_input(
        raw, id=rel, metadata={"path": rel, "suffix": item.path.suffix.lower()}
    )
    try:
        out = pipeline.run(doc)
    except BinaryInputError as exc:
        return FileReport(path=rel, status="skipped", message=str(exc), bytes_in=len(raw)), None
    except RecursionError:
        return FileReport(
            path=rel,
            status="failed",
            message="too deeply nested to process (a stage ran out of recursion depth)",
            bytes_in=len(raw),
        ), None
    except Exception as exc:
        return FileReport(
            path=rel, status="failed", message=f"{type(exc).__name__}: {exc}", bytes_in=len(raw)
        ), None
    return FileReport.from_document(rel, rel, out, len(raw)), out.text


def _write_output(
    item: InputFile,
    report: FileReport,
    text: str,
    output_dir: Path,
    input_files: set[Path],
    in_place: bool,
    fingerprint: Fingerprint | None,
) -> tuple[FileReport, bytes | None]:
    """Write one document's clean text; return its report and the bytes written."""
    data = text.encode("utf-8")
    if in_place:
        if report.status != "cleaned":
            report.output = None  # nothing changed: no rewrite, no backup
            return report, None
        try:
            original = item.path.read_bytes()
            if fingerprint is not None and Fingerprint.of(item.path).sha256 != fingerprint.sha256:
                raise RuntimeError(f"{item.path.name} changed on disk while it was being cleaned")
            backup = write_in_place(item.path, original, data)
        except (BackupExistsError, RuntimeError, OSError) as exc:
            return FileReport(path=report.path, status="failed", message=str(exc)), None
        report.output = str(item.path)
        report.message = f"cleaned in place; original kept as {backup.name}"
        return report, data
    assert report.output is not None
    target = output_dir / report.output
    if target.resolve() in input_files:
        return FileReport(
            path=report.path, status="failed", message=f"refusing to overwrite input {target}"
        ), None
    try:
        atomic_write(target, data)
    except OSError as exc:  # a full disk, a name the file system refuses...
        return FileReport(
            path=report.path,
            status="failed",
            message=f"cannot write output: {exc.strerror or exc}",
        ), None
    return report, data


def run_files(
    inputs: Sequence[Path],
    output_dir: Path,
    pipeline: Pipeline,
    options: dict[str, Any] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[FileReport], None] | None = None,
    resume: bool = False,
    in_place: bool = False,
) -> RunResult:
    """Clean every file under ``inputs`` into ``output_dir`` and write ``report.json`` there.

    ``resume`` reuses the documents an earlier run into the same folder finished
    (see :mod:`cleanse.io.manifest`); ``in_place`` rewrites changed inputs,
    keeping each original as ``NAME.orig``, and writes only the report (and the
    manifest) into ``output_dir``. SIGINT and SIGTERM stop the run between two
    steps: the report then lists what was done and ``interrupted`` is set.
    """
    check_output_dir(output_dir, inputs)
    prepare_output_dir(output_dir)
    input_files = {p.resolve() for p in inputs if p.is_file()}
    started = time.perf_counter()
    reports: list[FileReport] = []
    result = RunResult(files=reports, report={}, output_dir=output_dir, seconds=0.0)
    removed = remove_stale_temp_files(output_dir)
    if removed:
        result.notes.append(f"removed {len(removed)} temporary file(s) left by a killed run")
    manifest = Manifest(output_dir, header(pipeline.names, options or {}, max_bytes))
    if resume:
        manifest.load_previous()
        if manifest.note:
            result.notes.append(manifest.note)
    try:
        with catch_signals():
            manifest.start()
            for item in discover(inputs):
                reused = manifest.reusable(item.path, output_dir) if resume else None
                if reused is not None:
                    report, fingerprint = reused
                    with uninterrupted():
                        manifest.add(
                            item.path,
                            report,
                            fingerprint,
                            output_sha256=manifest.output_sha256(item.path),
                        )
                        reports.append(report)
                    result.resumed += 1
                else:
                    report = _clean_and_write(
                        item,
                        pipeline,
                        max_bytes,
                        output_dir,
                        input_files,
                        in_place,
                        manifest,
                        reports,
                    )
                if on_file:
                    on_file(report)
    except Interrupted as exc:
        result.interrupted = exc.signum
    except KeyboardInterrupt:  # our handlers are only set in the main thread
        result.interrupted = signal.SIGINT
    with signals_deferred():
        manifest.finish(complete=result.interrupted is None)
        result.seconds = time.perf_counter() - started
        report_dict = build_report(reports, pipeline.names, options or {}, result.seconds)
        report_dict["totals"]["problems"] = count(reports)
        report_dict["run"].update(
            complete=result.interrupted is None,
            interrupted=signal.Signals(result.interrupted).name if result.interrupted else None,
            resumed=result.resumed,
            in_place=in_place,
        )
        atomic_write(output_dir / "report.json", dumps(report_dict).encode("utf-8"))
    result.report = report_dict
    result.stage_seconds = {s.name: s.stats.seconds for s in pipeline.stages}
    return result


def _clean_and_write(
    item: InputFile,
    pipeline: Pipeline,
    max_bytes: int,
    output_dir: Path,
    input_files: set[Path],
    in_place: bool,
    manifest: Manifest,
    reports: list[FileReport],
) -> FileReport:
    """Clean one document (interruptible), then write, journal and list it (all or none)."""
    if in_place and is_backup(item.path):
        report = FileReport(
            path=str(item.relative),
            status="skipped",
            message="backup kept by an earlier in-place run",
        )
        with uninterrupted():
            manifest.add(item.path, report, None)
            reports.append(report)
        return report
    fingerprint = None
    if not item.problem:
        try:  # before reading: a file changed meanwhile is then cleaned again on --resume
            fingerprint = Fingerprint.of(item.path, max_bytes)
        except OSError:
            fingerprint = None
    report, text = review(item, *clean_file(item, pipeline, max_bytes))
    with uninterrupted():
        written = None
        if text is not None and report.output is not None:
            report, written = _write_output(
                item, report, text, output_dir, input_files, in_place, fingerprint
            )
            if in_place and written is not None:
                fingerprint = Fingerprint.of(item.path, max_bytes)
        manifest.add(item.path, report, fingerprint, output=written)
        reports.append(report)
    return report
