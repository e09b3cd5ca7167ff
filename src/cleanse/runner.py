"""A run over files: read each input, clean it, write its output and the report.

The CLI is a thin layer over :func:`run_files`; library users can call it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.io.html_report import HtmlReportWriter
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
    html: Path | None = None  # report.html, when written

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.status == "failed")


def clean_file(
    item: InputFile,
    pipeline: Pipeline,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_document: Callable[[Document], None] | None = None,
) -> tuple[FileReport, str | None]:
    """Clean one input file; never raises for a bad input, reports it instead.

    ``on_document`` receives the cleaned document (for views that need its texts).
    """
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
    # A stage that changes the kind of text (HTML to plain text) names the output suffix.
    output = rel + str(out.metadata.get("output_suffix", ""))
    if on_document:
        on_document(out)
    return FileReport.from_document(rel, output, out, len(raw)), out.text


def _reviewable(report: FileReport, text: str | None) -> Document | None:
    """The document the views need (texts and changes), rebuilt from a file's report.

    Reports come back from worker processes, so the views work from them rather
    than from the worker's Document.
    """
    if (
        text is None
        or report.original_text is None
        or report.status not in ("cleaned", "unchanged")
    ):
        return None
    return Document(
        id=report.path,
        text=text,
        original_text=report.original_text,
        encoding=report.encoding,
        encoding_confidence=report.encoding_confidence,
        changes=tuple(report.changes),
    )


def corpus_prepass(
    pipeline: Pipeline, inputs: Sequence[Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> None:
    """Let stages that learn from the whole corpus (boilerplate in corpus mode) read it first.

    A cheap pass: each input is only read and decoded; unreadable, oversized
    and binary inputs are left out, as the main pass will report them.
    """
    stages = [s for s in pipeline.stages if getattr(s, "corpus", False)]
    stages = [s for s in stages if callable(getattr(s, "corpus_prepass", None))]
    if not stages:
        return
    from cleanse.stages.decode import DecodeStage

    def documents() -> Iterator[Document]:
        decode = DecodeStage()
        for item in discover(inputs):
            rel = str(item.relative)
            try:
                if item.problem or item.path.stat().st_size > max_bytes:
                    continue
                raw = item.path.read_bytes()
                yield decode(
                    Document.from_input(
                        raw, id=rel, metadata={"path": rel, "suffix": item.path.suffix.lower()}
                    )
                )
            except Exception:  # the main pass reports what cannot be read
                continue

    for stage in stages:
        stage.corpus_prepass(documents())  # type: ignore[attr-defined]


def run_files(
    inputs: Sequence[Path],
    output_dir: Path,
    pipeline: Pipeline,
    options: dict[str, Any] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[FileReport], None] | None = None,
    html: bool = False,
    on_document: Callable[[FileReport, Document | None], None] | None = None,
    scale: ScaleOptions | None = None,
) -> RunResult:
    """Clean every file under ``inputs`` into ``output_dir`` and write ``report.json`` there.

    ``html`` also writes ``report.html`` (see :mod:`cleanse.io.html_report`);
    ``on_document`` receives each file's report and cleaned document (``None``
    when it was not cleaned).
    """
    check_output_dir(output_dir, inputs)
    input_files = {p.resolve() for p in inputs if p.is_file()}
    started = time.perf_counter()
    corpus_prepass(pipeline, inputs, max_bytes)
    reports: list[FileReport] = []
    html_writer = HtmlReportWriter(output_dir, pipeline.names) if html else None
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
        doc = _reviewable(report, text)
        if html_writer:
            html_writer.add(report, doc)
        if on_document:
            on_document(report, doc)
        if on_file:
            on_file(report)
    seconds = time.perf_counter() - started
    report_dict = build_report(reports, pipeline, options or {}, seconds)
    atomic_write(output_dir / "report.json", dumps(report_dict).encode("utf-8"))
    html_path = html_writer.finish(report_dict) if html_writer else None
    return RunResult(
        files=reports,
        report=report_dict,
        output_dir=output_dir,
        seconds=seconds,
        stage_seconds={s.name: s.stats.seconds for s in pipeline.stages},
        html=html_path,
    )
