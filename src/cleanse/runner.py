"""A run over files: read each input, clean it, write its output and the report.

The CLI is a thin layer over :func:`run_files`; library users can call it too.
"""

from __future__ import annotations

import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.core.stage import Stage
from cleanse.corpus import CorpusFileReport
from cleanse.io.html_report import HtmlReportWriter
from cleanse.io.inputs import InputFile, discover
from cleanse.io.manifest import Fingerprint, Manifest, header
from cleanse.io.outputs import atomic_write, check_output_dir, prepare_output_dir
from cleanse.io.problems import review
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
from cleanse.scale import ScaleOptions, ScaleRun
from cleanse.stages.decode import BinaryInputError

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
EXIT_ABORTED = 3
WORKER_DIED = "a worker process died (killed by the system, perhaps for lack of memory, or by hand)"


@dataclass
class RunResult:
    """What a run did: per-file reports, the report dict and where it was written."""

    files: list[FileReport]
    report: dict[str, Any]
    output_dir: Path
    seconds: float
    stage_seconds: dict[str, float] = field(default_factory=dict)
    interrupted: int | None = None  # the signal that stopped the run early
    aborted: str | None = None  # why the run stopped early otherwise (a worker died)
    resumed: int = 0  # documents taken over from an earlier run (--resume)
    notes: list[str] = field(default_factory=list)
    html: Path | None = None  # report.html, when written

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.status == "failed")

    @property
    def exit_code(self) -> int:
        """0 all documents read, 1 some failed, 3 stopped early by a worker's death,
        128 + signal number when interrupted."""
        if self.interrupted is not None:
            return 128 + self.interrupted
        if self.aborted is not None:
            return EXIT_ABORTED
        return 1 if self.failed else 0

    @property
    def complete(self) -> bool:
        return self.interrupted is None and self.aborted is None


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


def review_decoder(pipeline: Pipeline) -> Stage | None:
    """A decode stage like the pipeline's, to decode inputs again for the review
    views (its own, so that the run's statistics count cleaned files only)."""
    decode = next((stage for stage in pipeline.stages if stage.name == "decode"), None)
    return None if decode is None else type(decode)(**decode.options())


def rebuilt_document(
    item: InputFile, report: FileReport, output_dir: Path, decode: Stage | None
) -> Document | None:
    """The document the review views need for a file cleaned elsewhere: by an
    earlier run (``--resume``) or on a cluster. Its output is read back, its
    changes come with its report, and its input is decoded again by ``decode``
    (:func:`review_decoder`) when the report does not carry the decoded text
    (the input is unchanged, so it decodes the same)."""
    if (
        isinstance(report, CorpusFileReport)
        or report.output is None
        or report.status not in ("cleaned", "unchanged")
    ):
        return None
    try:
        text = (output_dir / report.output).read_text(encoding="utf-8")
        if report.original_text is None:
            if decode is None:
                return None
            raw = item.path.read_bytes()
            report.original_text = decode(Document.from_input(raw, id=report.path)).original_text
    except (OSError, UnicodeDecodeError):
        return None
    return _reviewable(report, text)


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
    html: bool = False,
    on_document: Callable[[FileReport, Document | None], None] | None = None,
    scale: ScaleOptions | None = None,
    resume: bool = False,
    in_place: bool = False,
) -> RunResult:
    """Clean every file under ``inputs`` into ``output_dir`` and write ``report.json`` there.

    ``html`` also writes ``report.html`` (see :mod:`cleanse.io.html_report`);
    ``on_document`` receives each file's report and cleaned document (``None``
    when it was not cleaned). ``scale`` sets worker processes and streaming
    (see :mod:`cleanse.scale`). ``resume`` reuses the documents an earlier run
    into the same folder finished (see :mod:`cleanse.io.manifest`); ``in_place``
    rewrites changed inputs, keeping each original as ``NAME.orig``, and writes
    only the report (and the manifest) into ``output_dir``. SIGINT and SIGTERM
    stop the run between two steps: the report then lists what was done and
    ``interrupted`` is set.
    """
    check_output_dir(output_dir, inputs)
    prepare_output_dir(output_dir)
    input_files = {p.resolve() for p in inputs if p.is_file()}
    started = time.perf_counter()
    # Reports are kept with their place in the input order: with worker processes
    # and --resume, documents are not finished in that order.
    numbered: list[tuple[int, FileReport]] = []
    result = RunResult(files=[], report={}, output_dir=output_dir, seconds=0.0)
    removed = remove_stale_temp_files(output_dir)
    if removed:
        result.notes.append(f"removed {len(removed)} temporary file(s) left by a killed run")
    manifest = Manifest(output_dir, header(pipeline.names, options or {}, max_bytes))
    if resume:
        manifest.load_previous()
        if manifest.note:
            result.notes.append(manifest.note)
    html_writer = HtmlReportWriter(output_dir, pipeline.names) if html else None
    decoder = review_decoder(pipeline) if html and resume and not in_place else None
    pulled: deque[tuple[int, InputFile, Fingerprint | None]] = deque()

    def finish(number: int, report: FileReport, doc: Document | None) -> None:
        if html_writer:
            html_writer.add(report, doc)
        if on_document:
            on_document(report, doc)
        if on_file:
            on_file(report)

    def to_clean() -> Iterator[InputFile]:
        """The inputs that need cleaning; the others are settled here as they come."""
        for number, item in enumerate(discover(inputs)):
            reused = manifest.reusable(item.path, output_dir) if resume else None
            if reused is not None:
                report, fingerprint = reused
                with uninterrupted():
                    sha = manifest.output_sha256(item.path)
                    manifest.add(item.path, report, fingerprint, output_sha256=sha)
                    numbered.append((number, report))
                result.resumed += 1
                view = None
                if html_writer and not in_place:
                    view = rebuilt_document(item, report, output_dir, decoder)
                finish(number, report, view)
                continue
            if in_place and is_backup(item.path):
                report = FileReport(
                    path=str(item.relative),
                    status="skipped",
                    message="backup kept by an earlier in-place run",
                )
                with uninterrupted():
                    manifest.add(item.path, report, None)
                    numbered.append((number, report))
                finish(number, report, None)
                continue
            # Taken before the file is read: a file changed meanwhile is cleaned again on --resume.
            pulled.append((number, item, _fingerprint(item, max_bytes)))
            yield item

    try:
        with catch_signals():
            manifest.start()
            corpus_prepass(pipeline, inputs, max_bytes)
            # Ordinary files come back in input order (from a process pool with
            # scale.jobs > 1); corpus files and large text files are written by ScaleRun.
            cleaned = ScaleRun(pipeline, output_dir, scale).clean(to_clean(), max_bytes)
            for raw_report, text in cleaned:
                number, item, fingerprint = pulled.popleft()
                report, text = review(item, raw_report, text)
                with uninterrupted():
                    written = None
                    if text is not None and report.output is not None:
                        report, written = _write_output(
                            item, report, text, output_dir, input_files, in_place, fingerprint
                        )
                        if in_place and written is not None:
                            fingerprint = Fingerprint.of(item.path, max_bytes)
                    manifest.add(item.path, report, fingerprint, output=written)
                    numbered.append((number, report))
                finish(number, report, _reviewable(report, text) if written is not None else None)
    except Interrupted as exc:
        result.interrupted = exc.signum
    except KeyboardInterrupt:  # our handlers are only set in the main thread
        result.interrupted = signal.SIGINT
    except BrokenExecutor:
        # A worker process was killed (by the system's out-of-memory killer, or by
        # hand): what was done stays done, and --resume finishes the rest.
        result.aborted = WORKER_DIED
    reports = [report for _, report in sorted(numbered, key=lambda pair: pair[0])]
    result.files = reports
    with signals_deferred():
        manifest.finish(complete=result.complete)
        result.seconds = time.perf_counter() - started
        report_dict = build_report(reports, pipeline, options or {}, result.seconds)
        report_dict["run"].update(
            complete=result.complete,
            interrupted=signal.Signals(result.interrupted).name if result.interrupted else None,
            aborted=result.aborted,
            resumed=result.resumed,
            in_place=in_place,
        )
        atomic_write(output_dir / "report.json", dumps(report_dict).encode("utf-8"))
        result.html = html_writer.finish(report_dict) if html_writer else None
    result.report = report_dict
    result.stage_seconds = {s.name: s.stats.seconds for s in pipeline.stages}
    return result


def _fingerprint(item: InputFile, max_bytes: int) -> Fingerprint | None:
    if item.problem:
        return None
    try:
        return Fingerprint.of(item.path, max_bytes)
    except OSError:
        return None
