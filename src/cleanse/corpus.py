"""Corpora of many documents in one file: JSON Lines and Parquet.

Each document is one JSON object per line (or one Parquet row); its text is in
``text_field``, the other fields pass through untouched, the cleaned text is
written back to the same field and, when ``meta_field`` is set, a small
summary of what changed goes into that field. Full change records go to the
per-document report lines (``report.jsonl``), one line per document that was
changed or failed, so the report of a corpus of millions of documents is a
stream, not one giant JSON value.

A line that is not a JSON object is reported with its line number and left out
of the output; a document whose text is missing or whose cleaning raised is
reported and written unchanged (its meta field says ``failed``). The run goes on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cleanse.core.document import Change, Document
from cleanse.core.pipeline import Pipeline
from cleanse.io.jsonlines import json_line, read_json_line
from cleanse.io.report import FileReport
from cleanse.io.streams import open_read, open_write
from cleanse.parallel import DEFAULT_CHUNK_BYTES, LEAD_SHARE, Executor

DEFAULT_TEXT_FIELD = "text"
DEFAULT_ID_FIELD = "id"
DEFAULT_META_FIELD = "cleanse"


@dataclass(frozen=True)
class CorpusOptions:
    """How documents sit in a corpus file."""

    text_field: str = DEFAULT_TEXT_FIELD
    id_field: str = DEFAULT_ID_FIELD
    meta_field: str | None = DEFAULT_META_FIELD


@dataclass
class DocOutcome:
    """What became of one document, small enough to send between processes."""

    status: str  # "cleaned", "unchanged" or "failed"
    out: bytes | None = None  # JSONL: the output line; None: left out of the output
    text: str | None = None  # Parquet: the cleaned text
    meta: dict[str, Any] | None = None  # Parquet: the meta field's value
    record: bytes | None = None  # the report line (cleaned and failed documents)
    summary: dict[str, list[int]] = field(default_factory=dict)  # stage -> [changes, unresolved]
    chars_in: int = 0
    chars_out: int = 0
    message: str | None = None


def doc_summary(doc: Document) -> dict[str, list[int]]:
    summary: dict[str, list[int]] = {}
    for change in doc.changes:
        entry = summary.setdefault(change.stage, [0, 0])
        entry[0] += 1
        entry[1] += int(change.unresolved)
    return summary


def _meta(status: str, summary: dict[str, list[int]], message: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "status": status,
        "changes": sum(c for c, _ in summary.values()),
        "unresolved": sum(u for _, u in summary.values()),
        "stages": {name: c for name, (c, _) in summary.items()},
    }
    if message:
        meta["message"] = message
    return meta


def change_dict(change: Change) -> dict[str, Any]:
    """``change.to_dict()``, without ``dataclasses.asdict``'s deep copy (the hot path
    of records; tests/test_scale.py holds it to ``to_dict``)."""
    data = {
        "stage": change.stage,
        "start": change.start,
        "end": change.end,
        "before": change.before,
        "after": change.after,
        "reason": change.reason,
        "confidence": change.confidence,
        "unresolved": change.unresolved,
        "category": change.category,
        "out_start": change.out_start,
    }
    if change.category is None:
        del data["category"]
    return data


def record_line(
    where: dict[str, Any], status: str, doc: Document | None, message: str | None
) -> bytes:
    entry: dict[str, Any] = {**where, "status": status, "message": message}
    if doc is not None:
        summary = doc_summary(doc)
        entry.update(
            chars_in=len(doc.original_text or ""),
            chars_out=len(doc.text),
            summary={k: {"changes": c, "unresolved": u} for k, (c, u) in summary.items()},
            unresolved=sum(u for _, u in summary.values()),
            changes=[change_dict(c) for c in doc.changes],
        )
    return json_line(entry)


def clean_text(pipeline: Pipeline, text: str, where: dict[str, Any]) -> DocOutcome:
    """Clean one document's text; never raises."""
    doc = Document.from_input(text, id=str(where.get("id", "")))
    try:
        out = pipeline.run(doc)
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}"
        return DocOutcome(
            "failed",
            record=record_line(where, "failed", None, message),
            chars_in=len(text),
            chars_out=len(text),
            message=message,
        )
    status = "cleaned" if out.changes else "unchanged"
    return DocOutcome(
        status,
        text=out.text,
        record=record_line(where, status, out, None) if out.changes else None,
        summary=doc_summary(out),
        chars_in=len(text),
        chars_out=len(out.text),
    )


@dataclass(frozen=True)
class Line:
    """One line of a JSON Lines file (``number`` counts from 1)."""

    path: str
    number: int
    data: bytes


def clean_jsonl_line(pipeline: Pipeline, line: Line, options: CorpusOptions) -> DocOutcome:
    """Parse, clean and re-serialise one JSON Lines document; never raises."""
    where: dict[str, Any] = {"path": line.path, "line": line.number}
    try:
        record = read_json_line(line.data)
    except ValueError as exc:
        message = f"line {line.number}: not valid JSON ({exc})"
        return DocOutcome(
            "failed", record=record_line(where, "failed", None, message), message=message
        )
    if not isinstance(record, dict):
        message = f"line {line.number}: not a JSON object"
        return DocOutcome(
            "failed", record=record_line(where, "failed", None, message), message=message
        )
    doc_id = record.get(options.id_field)
    where["id"] = doc_id if isinstance(doc_id, str | int) else f"{line.path}:{line.number}"
    text = record.get(options.text_field)
    if isinstance(text, str):
        outcome = clean_text(pipeline, text, where)
    else:
        message = f"line {line.number}: field {options.text_field!r} is missing or not a string"
        outcome = DocOutcome(
            "failed", record=record_line(where, "failed", None, message), message=message
        )
    if outcome.status == "unchanged" and not options.meta_field:
        outcome.out = line.data.rstrip(b"\r\n") + b"\n"
        return outcome
    if outcome.text is not None:
        record[options.text_field] = outcome.text
    if options.meta_field:
        record[options.meta_field] = _meta(outcome.status, outcome.summary, outcome.message)
    outcome.out = json_line(record)
    outcome.text = None  # already in the line; do not send it twice
    return outcome


def read_lines(fh: Iterable[bytes], path: str) -> Iterator[Line]:
    """The non-blank lines of ``fh`` with their 1-based line numbers."""
    for number, data in enumerate(fh, start=1):
        if data.strip():
            yield Line(path, number, data)


@dataclass
class CorpusFileReport(FileReport):
    """A corpus file: counts per document instead of every change (those are in the records)."""

    documents: dict[str, int] = field(default_factory=dict)
    stage_counts: dict[str, list[int]] = field(default_factory=dict)
    records: str | None = None
    failures: list[str] = field(default_factory=list)

    def add(self, outcome: DocOutcome) -> None:
        tally = Tally()
        tally.add(outcome)
        self.merge(tally)

    def merge(self, tally: Tally) -> None:
        for status, count in tally.documents.items():
            self.documents[status] = self.documents.get(status, 0) + count
        self.chars_in += tally.chars_in
        self.chars_out += tally.chars_out
        for stage, (changes, unresolved, documents) in tally.stage_counts.items():
            entry = self.stage_counts.setdefault(stage, [0, 0, 0])
            entry[0] += changes
            entry[1] += unresolved
            entry[2] += documents
        self.failures.extend(tally.failures[: max(0, 20 - len(self.failures))])

    def finish(self) -> None:
        failed = self.documents.get("failed", 0)
        total = sum(self.documents.values())
        if failed:
            self.status = "failed"
            self.message = f"{failed} of {total} documents failed (see the report records)"
        elif self.status not in ("failed", "skipped"):
            self.status = "cleaned" if self.documents.get("cleaned") else "unchanged"

    def stage_summary(self) -> dict[str, dict[str, int]]:
        return {s: {"changes": c, "unresolved": u} for s, (c, u, _) in self.stage_counts.items()}

    @property
    def change_count(self) -> int:
        return sum(c for c, _, _ in self.stage_counts.values())

    @property
    def unresolved_count(self) -> int:
        return sum(u for _, u, _ in self.stage_counts.values())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CorpusFileReport:
        """The report :meth:`to_dict` wrote (as a resumed run reads it back)."""
        names = {f.name for f in dataclasses.fields(FileReport)}
        base = {k: v for k, v in data.items() if k in names and k != "changes"}
        documents = {k: v for k, v in data.get("documents", {}).items() if k != "total"}
        per_stage = data.get("stage_documents", {})
        stage_counts = {
            stage: [entry["changes"], entry["unresolved"], per_stage.get(stage, 0)]
            for stage, entry in data.get("summary", {}).items()
        }
        return cls(
            **base,
            documents=documents,
            stage_counts=stage_counts,
            records=data.get("records"),
            failures=list(data.get("failures", [])),
        )

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["unresolved"] = self.unresolved_count
        data["documents"] = {"total": sum(self.documents.values()), **self.documents}
        data["stage_documents"] = {s: n for s, (_, _, n) in self.stage_counts.items()}
        data["records"] = self.records
        data["failures"] = self.failures
        return data


class RecordWriter:
    """Per-document report lines, written to a file that appears only when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._context: Any = None
        self._fh: IO[bytes] | None = None
        self.lines = 0

    def write(self, line: bytes) -> None:
        if self._fh is None:
            self._context = open_write(self.path)
            self._fh = self._context.__enter__()
        self._fh.write(line)
        self.lines += 1

    def close(self, ok: bool = True) -> None:
        if self._context is not None:
            if ok:
                self._context.__exit__(None, None, None)
            else:
                err = RuntimeError("run interrupted")
                with contextlib.suppress(RuntimeError):
                    self._context.__exit__(type(err), err, None)
            self._context = None
            self._fh = None


@dataclass(frozen=True)
class LinesBlock:
    """A block of whole lines of a JSON Lines file; ``first_line`` counts from 1."""

    path: str
    first_line: int
    data: bytes


@dataclass
class Tally:
    """Counts over some documents, merged into the file's report."""

    documents: dict[str, int] = field(default_factory=dict)
    stage_counts: dict[str, list[int]] = field(default_factory=dict)
    chars_in: int = 0
    chars_out: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, outcome: DocOutcome) -> None:
        self.documents[outcome.status] = self.documents.get(outcome.status, 0) + 1
        self.chars_in += outcome.chars_in
        self.chars_out += outcome.chars_out
        for stage, (changes, unresolved) in outcome.summary.items():
            entry = self.stage_counts.setdefault(stage, [0, 0, 0])
            entry[0] += changes
            entry[1] += unresolved
            entry[2] += 1
        if outcome.status == "failed" and outcome.message and len(self.failures) < 20:
            self.failures.append(outcome.message)


@dataclass
class BlockResult:
    """A block's output lines, report lines and counts, each in one piece (cheap to send back)."""

    out: bytes
    records: bytes
    tally: Tally


def clean_jsonl_block(pipeline: Pipeline, block: LinesBlock, options: CorpusOptions) -> BlockResult:
    """Clean every document of a block of lines; never raises."""
    out: list[bytes] = []
    records: list[bytes] = []
    tally = Tally()
    lines = block.data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    for number, data in enumerate(lines, start=block.first_line):
        if not data.strip():
            continue
        outcome = clean_jsonl_line(pipeline, Line(block.path, number, data), options)
        tally.add(outcome)
        if outcome.out is not None:
            out.append(outcome.out)
        if outcome.record is not None:
            records.append(outcome.record)
    return BlockResult(b"".join(out), b"".join(records), tally)


def read_blocks(
    fh: IO[bytes], path: str, size: int, first_size: int | None = None
) -> Iterator[LinesBlock]:
    """``fh`` in blocks of about ``size`` bytes (the first of ``first_size``) that end
    at a line break."""
    line = 1
    want = first_size or size
    while True:
        data = fh.read(want)
        want = size
        if not data:
            return
        if not data.endswith(b"\n"):
            data += fh.readline()
        yield LinesBlock(path, line, data)
        line += data.count(b"\n")


def run_jsonl(
    source: Path,
    target: Path,
    name: str,
    executor: Executor[Any, Any],
    records: RecordWriter,
    options: CorpusOptions,
    block_bytes: int = DEFAULT_CHUNK_BYTES,
) -> CorpusFileReport:
    """Clean every document of a JSON Lines file into ``target`` (same compression).

    The file travels to the workers in blocks of whole lines and comes back in
    blocks, so that the parent process does almost nothing per document.
    """
    report = CorpusFileReport(path=name, status="unchanged", output=name, records=records.path.name)
    task = functools.partial(clean_jsonl_block, options=options)
    bytes_in = 0

    def counted(fh: IO[bytes]) -> Iterator[LinesBlock]:
        nonlocal bytes_in
        # A small first block: the caller cleans it itself before forking workers.
        for block in read_blocks(fh, name, block_bytes, max(1, block_bytes // LEAD_SHARE)):
            bytes_in += len(block.data)
            yield block

    with open_read(source) as fh, open_write(target) as out:
        for result in executor.map(task, counted(fh), weigh=lambda b: len(b.data)):
            report.merge(result.tally)
            out.write(result.out)
            report.bytes_out += len(result.out)
            if result.records:
                records.write(result.records)
    report.bytes_in = bytes_in
    report.finish()
    return report


@dataclass(frozen=True)
class Row:
    """One Parquet row's text (``number`` counts rows of the file from 0)."""

    path: str
    number: int
    id: str | int | None
    text: str | None


def clean_parquet_row(pipeline: Pipeline, row: Row, options: CorpusOptions) -> DocOutcome:
    where: dict[str, Any] = {
        "path": row.path,
        "row": row.number,
        "id": row.id if row.id is not None else f"{row.path}:{row.number}",
    }
    if row.text is None:
        message = f"row {row.number}: field {options.text_field!r} is null"
        outcome = DocOutcome(
            "failed", record=record_line(where, "failed", None, message), message=message
        )
    else:
        outcome = clean_text(pipeline, row.text, where)
    if options.meta_field:
        outcome.meta = _meta(outcome.status, outcome.summary, outcome.message)
    return outcome


def run_parquet(
    source: Path,
    target: Path,
    name: str,
    executor: Executor[Any, DocOutcome],
    records: RecordWriter,
    options: CorpusOptions,
) -> CorpusFileReport:
    """Clean a Parquet file row group by row group into ``target`` (needs pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("Parquet needs pyarrow: pip install 'cleanse[parquet]'") from exc
    import os
    import tempfile

    report = CorpusFileReport(path=name, status="unchanged", output=name, records=records.path.name)
    report.bytes_in = source.stat().st_size
    task = functools.partial(clean_parquet_row, options=options)
    parquet = pq.ParquetFile(source)
    if options.text_field not in parquet.schema_arrow.names:
        report.status = "failed"
        report.message = f"no column {options.text_field!r}"
        return report
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    writer: Any = None
    first_row = 0
    meta_type = pa.struct(
        [
            ("status", pa.string()),
            ("changes", pa.int64()),
            ("unresolved", pa.int64()),
            ("stages", pa.map_(pa.string(), pa.int64())),
            ("message", pa.string()),
        ]
    )
    try:
        for group in range(parquet.num_row_groups):
            table = parquet.read_row_group(group)
            texts = table.column(options.text_field).to_pylist()
            ids = (
                table.column(options.id_field).to_pylist()
                if options.id_field in table.column_names
                else [None] * len(texts)
            )
            rows = (
                Row(name, first_row + i, ids[i] if isinstance(ids[i], str | int) else None, t)
                for i, t in enumerate(texts)
            )
            cleaned: list[str | None] = []
            metas: list[dict[str, Any] | None] = []
            for text, outcome in zip(
                texts, executor.map(task, rows, weigh=lambda r: len(r.text or "")), strict=True
            ):
                report.add(outcome)
                cleaned.append(outcome.text if outcome.text is not None else text)
                if outcome.meta is not None:
                    outcome.meta["stages"] = list(outcome.meta["stages"].items())
                    outcome.meta.setdefault("message", None)
                metas.append(outcome.meta)
                if outcome.record is not None:
                    records.write(outcome.record)
            first_row += len(texts)
            index = table.column_names.index(options.text_field)
            table = table.set_column(
                index,
                table.schema.field(index),
                pa.array(cleaned, type=table.schema.field(index).type),
            )
            if options.meta_field:
                meta_column = pa.array(metas, type=meta_type)
                if options.meta_field in table.column_names:
                    at = table.column_names.index(options.meta_field)
                    table = table.set_column(at, options.meta_field, meta_column)
                else:
                    table = table.append_column(options.meta_field, meta_column)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table)
        if writer is None:  # no row groups: an empty file with the same columns
            writer = pq.ParquetWriter(tmp, parquet.schema_arrow)
        writer.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        if writer is not None:
            writer.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    report.bytes_out = target.stat().st_size
    report.finish()
    return report
