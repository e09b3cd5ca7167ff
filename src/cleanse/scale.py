"""A run over inputs of every kind, on every core, in bounded memory.

:class:`ScaleRun` takes the files :func:`cleanse.io.inputs.discover` finds and
cleans each according to its kind:

- ordinary text files go to the worker pool a chunk of files at a time and
  come back in input order (the caller writes them, as before);
- JSON Lines and Parquet corpora are cleaned document by document, their
  documents spread over the pool, the output written beside the others with
  the same name and format, per-document records to ``report.jsonl``;
- text files larger than ``stream_above`` are cleaned in blocks of paragraphs
  (:mod:`cleanse.stream`) and never held whole.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanse.core.pipeline import Pipeline
from cleanse.corpus import CorpusFileReport, CorpusOptions, RecordWriter, run_jsonl, run_parquet
from cleanse.io.inputs import InputFile
from cleanse.io.report import FileReport
from cleanse.io.streams import corpus_kind, open_write
from cleanse.parallel import DEFAULT_CHUNK_BYTES, Executor
from cleanse.stages.decode import BinaryInputError
from cleanse.stream import DEFAULT_BLOCK_BYTES, read_head, stream_text

DEFAULT_STREAM_ABOVE = 64 * 1024 * 1024
RECORDS_NAME = "report.jsonl"


@dataclass(frozen=True)
class ScaleOptions:
    """How a run uses the machine: processes, streaming, corpus fields."""

    jobs: int | None = 1  # None or 0: every core
    stream_above: int = DEFAULT_STREAM_ABOVE  # 0: never stream
    block_bytes: int = DEFAULT_BLOCK_BYTES
    chunk_bytes: int = DEFAULT_CHUNK_BYTES  # work sent to a worker at a time
    corpus: CorpusOptions = field(default_factory=CorpusOptions)


def clean_file_task(
    pipeline: Pipeline, job: tuple[InputFile, int]
) -> tuple[FileReport, str | None]:
    """One ordinary file in a worker (reads it there, so reading is parallel too)."""
    from cleanse.runner import clean_file

    item, max_bytes = job
    return clean_file(item, pipeline, max_bytes)


class ScaleRun:
    """Cleans discovered inputs into ``output_dir``; use as a context manager."""

    def __init__(
        self,
        pipeline: Pipeline,
        output_dir: Path,
        options: ScaleOptions | None = None,
        records_path: Path | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.output_dir = output_dir
        self.options = options or ScaleOptions()
        self.executor: Executor[Any, Any] = Executor(
            pipeline, self.options.jobs, chunk_bytes=self.options.chunk_bytes
        )
        self.records = RecordWriter(records_path or output_dir / RECORDS_NAME)

    def __enter__(self) -> ScaleRun:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.executor.close()
        self.records.close(ok=exc_type is None)

    def kind(self, item: InputFile) -> str:
        if item.problem:
            return "file"
        kind = corpus_kind(item.path)
        if kind:
            return kind
        if self.options.stream_above:
            try:
                if item.path.stat().st_size > self.options.stream_above:
                    return "stream"
            except OSError:
                return "file"
        return "file"

    def clean(
        self, items: Iterable[InputFile], max_bytes: int
    ) -> Iterator[tuple[FileReport, str | None]]:
        """``(report, text)`` per input in order; ``text`` is None when already written.

        The pool is shut down and the records file completed when the iteration
        ends (or abandoned, when it is interrupted).
        """
        ok = False
        try:
            yield from self._clean(items, max_bytes)
            ok = True
        finally:
            self.executor.close()
            self.records.close(ok=ok)

    def _clean(
        self, items: Iterable[InputFile], max_bytes: int
    ) -> Iterator[tuple[FileReport, str | None]]:
        for kind, group in itertools.groupby(items, key=self.kind):
            if kind == "file":
                jobs = ((item, max_bytes) for item in group)
                yield from self.executor.map(clean_file_task, jobs, weigh=_file_weight)
                continue
            for item in group:
                try:
                    yield self.clean_special(item, kind), None
                except _NotStreamable:
                    yield clean_file_task(self.pipeline, (item, max_bytes))

    def clean_special(self, item: InputFile, kind: str) -> FileReport:
        target = self.output_dir / str(item.relative)
        return self.clean_to(item.path, target, str(item.relative), kind)

    def clean_to(self, source: Path, target: Path, name: str, kind: str) -> FileReport:
        """Clean one corpus or large text file ``source`` into ``target``."""
        if target.resolve() == source.resolve():
            return FileReport(
                path=name, status="failed", message=f"refusing to overwrite input {target}"
            )
        corpus = self.options.corpus
        try:
            if kind == "jsonl":
                return run_jsonl(
                    source,
                    target,
                    name,
                    self.executor,
                    self.records,
                    corpus,
                    block_bytes=self.options.chunk_bytes,
                )
            if kind == "parquet":
                return run_parquet(source, target, name, self.executor, self.records, corpus)
            return self._stream(source, target, name)
        except _NotStreamable:
            raise
        except BinaryInputError as exc:
            return FileReport(path=name, status="skipped", message=str(exc))
        except (OSError, RuntimeError, ValueError) as exc:
            return FileReport(path=name, status="failed", message=f"{type(exc).__name__}: {exc}")

    def _stream(self, source: Path, target: Path, name: str) -> FileReport:
        with source.open("rb") as fh:
            head = read_head(fh)
            report: CorpusFileReport | None = None
            with open_write(target) as out:
                report = stream_text(
                    fh, out, name, self.executor, self.records, head, self.options.block_bytes
                )
                if report is None:
                    raise _NotStreamable
            return report


def run_corpus_file(
    source: Path,
    target: Path,
    pipeline: Pipeline,
    options: ScaleOptions | None = None,
    run_options: dict[str, Any] | None = None,
) -> tuple[FileReport, dict[str, Any], Path]:
    """``cleanse run corpus.jsonl -o out.jsonl``: one corpus file to one output file.

    The report goes beside the output: ``out.report.json`` (totals and the file
    entry) and ``out.report.jsonl`` (a record per changed or failed document).
    """
    import time

    from cleanse.io.outputs import atomic_write
    from cleanse.io.report import build_report, dumps
    from cleanse.io.streams import strip_corpus_suffix

    stem = strip_corpus_suffix(target)
    records = stem.with_name(stem.name + ".report.jsonl")
    report_path = stem.with_name(stem.name + ".report.json")
    kind = corpus_kind(source) or "stream"
    started = time.perf_counter()
    with ScaleRun(pipeline, target.parent, options, records_path=records) as run:
        report = run.clean_to(source, target, source.name, kind)
    report.output = target.name if report.status != "failed" or target.exists() else None
    report_dict = build_report([report], pipeline, run_options or {}, time.perf_counter() - started)
    atomic_write(report_path, dumps(report_dict).encode("utf-8"))
    return report, report_dict, report_path


class _NotStreamable(RuntimeError):
    def __init__(self) -> None:
        super().__init__("not streamable: its encoding cannot be cut on newlines (UTF-16/32)")


def _file_weight(job: tuple[InputFile, int]) -> int:
    try:
        return max(1, job[0].path.stat().st_size)
    except OSError:
        return 1


def corpus_file_to_file(inputs: list[Path], output: Path | None) -> bool:
    """True for ``cleanse run corpus.jsonl -o out.jsonl``: one corpus file, output named like one."""
    return (
        len(inputs) == 1
        and output is not None
        and inputs[0].is_file()
        and corpus_kind(inputs[0]) is not None
        and corpus_kind(output) is not None
    )


def corpus_summary(report: FileReport, report_path: Path) -> str:
    """What the command line prints after a corpus-file-to-file run."""
    lines = []
    if isinstance(report, CorpusFileReport):
        docs = report.documents
        lines.append(
            f"documents: {sum(docs.values())}  cleaned: {docs.get('cleaned', 0)}"
            f"  unchanged: {docs.get('unchanged', 0)}  failed: {docs.get('failed', 0)}"
        )
        lines.append(
            f"changes: {report.change_count}  could not restore: {report.unresolved_count}"
        )
        lines.extend(f"  failed: {message}" for message in report.failures)
    if report.message:
        lines.append(f"{report.status}: {report.path}: {report.message}")
    lines.append(f"output: {report.output}  (report: {report_path})")
    return "\n".join(lines)
