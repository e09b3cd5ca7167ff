"""A run over files: read each input, clean it, write its output and the report.

The CLI is a thin layer over :func:`run_files`; library users can call it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.io.inputs import InputFile, discover
from cleanse.io.outputs import atomic_write, check_output_dir
from cleanse.io.report import FileReport, build_report, dumps
from cleanse.scale import ScaleOptions, ScaleRun
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

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.status == "failed")


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
    except Exception as exc:
        return FileReport(
            path=rel, status="failed", message=f"{type(exc).__name__}: {exc}", bytes_in=len(raw)
        ), None
    return FileReport.from_document(rel, rel, out, len(raw)), out.text


def run_files(
    inputs: Sequence[Path],
    output_dir: Path,
    pipeline: Pipeline,
    options: dict[str, Any] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[FileReport], None] | None = None,
    scale: ScaleOptions | None = None,
) -> RunResult:
    """Clean every file under ``inputs`` into ``output_dir`` and write ``report.json`` there."""
    check_output_dir(output_dir, inputs)
    input_files = {p.resolve() for p in inputs if p.is_file()}
    started = time.perf_counter()
    reports: list[FileReport] = []
    # Ordinary files in input order (on a process pool with scale.jobs > 1);
    # corpus files and large text files are written by ScaleRun itself.
    for report, text in ScaleRun(pipeline, output_dir, scale).clean(discover(inputs), max_bytes):
        if text is not None and report.output is not None:
            target = output_dir / report.output
            if target.resolve() in input_files:
                report = FileReport(
                    path=report.path,
                    status="failed",
                    message=f"refusing to overwrite input {target}",
                )
            else:
                atomic_write(target, text.encode("utf-8"))
        reports.append(report)
        if on_file:
            on_file(report)
    seconds = time.perf_counter() - started
    report_dict = build_report(reports, pipeline.names, options or {}, seconds)
    atomic_write(output_dir / "report.json", dumps(report_dict).encode("utf-8"))
    return RunResult(
        files=reports,
        report=report_dict,
        output_dir=output_dir,
        seconds=seconds,
        stage_seconds={s.name: s.stats.seconds for s in pipeline.stages},
    )
