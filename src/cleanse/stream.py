"""A text file too large to read whole, cleaned in blocks of paragraphs.

The encoding is chosen once, from the head of the file, then the bytes are cut
into blocks of about ``block_bytes`` at paragraph boundaries: after a line
break, a run of blank lines, and before a line that has text. Only codecs in
which a newline byte is always a newline (UTF-8, GB18030, Big5, ...) can be cut
like that; a UTF-16 file is not streamed.

Each block goes through the pipeline as a document of its own (in the worker
pool with ``--jobs``). The blank lines *between* two blocks are not part of
either: they go through the pipeline once, between two one-letter paragraphs
(``"a\\n" + blank lines + "a\\n"``), and what the pipeline makes of them there is
what is written between the blocks. This is what the pipeline does to them
inside the whole text for any stage that treats a paragraph break locally
(normalize's blank-line collapsing, line endings, trailing spaces).

The report gets one record per block and per changed joint (``report.jsonl``):
``byte_start`` is where the unit's bytes start in the input, ``char_start`` where
its text starts in the output, and the change spans inside are relative to the
unit, exactly as for a document of its own. Stages that decide per document
(the script direction, boilerplate at the top and bottom of a page) decide per
block here; streaming is meant for files far larger than one page.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from cleanse.core.document import Change, Document
from cleanse.core.pipeline import Pipeline
from cleanse.corpus import CorpusFileReport, RecordWriter, doc_summary, record_line
from cleanse.parallel import Executor
from cleanse.stages.decode import DecodeStage, choose_decoding, decode_lossy

# A quarter megabyte: each block is a document in a worker, whose stages hold a
# few times its size while they work; with 1 MiB blocks a 2-worker run of a large
# file peaked at 280-290 MB (PSS), with these at 208 MB, and ran 10% faster.
DEFAULT_BLOCK_BYTES = 1 << 18
HEAD_BYTES = 1 << 20

# A line break, then one or more lines of ASCII blank space: where a block may end.
PARAGRAPH_BREAK = re.compile(rb"\n((?:[ \t\r\f\v]*\n)+)")
LINE_BREAK = re.compile(rb"\n")


def can_cut_on_newlines(encoding: str) -> bool:
    """True when byte 0x0A is a newline wherever it occurs in text in ``encoding``."""
    name = codecs.lookup(encoding).name
    if name.startswith(("utf-16", "utf-32", "utf_16", "utf_32", "hz")):
        return False
    return "\n".encode(name) == b"\n"


def _has_text(line: str) -> bool:
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") for ch in line)


@dataclass(frozen=True)
class Block:
    """A run of whole paragraphs of a file, and the blank lines that follow it."""

    path: str
    index: int
    byte_start: int
    raw: bytes
    encoding: str
    confidence: float
    skip: int = 0  # a byte-order mark at the start of the file


@dataclass
class BlockOutcome:
    status: str
    out: bytes
    record: bytes | None
    bytes_in: int
    summary: dict[str, list[int]] = field(default_factory=dict)
    chars_in: int = 0
    chars_out: int = 0
    message: str | None = None


def decode_block(block: Block) -> Document:
    """The block as a decoded document, with the decode stage's records for it."""
    decoding = decode_lossy(block.raw[block.skip :], block.encoding, offset=block.skip)
    changes = DecodeStage().records(block.raw, decoding)
    return Document(
        id=f"{block.path}#{block.index}",
        text=decoding.text,
        original_text=decoding.text,
        encoding=block.encoding,
        encoding_confidence=block.confidence,
        changes=tuple(changes),
    )


def clean_block(pipeline: Pipeline, block: Block) -> BlockOutcome:
    """Decode and clean one block; never raises (a failed block is written as decoded)."""
    where: dict[str, Any] = {
        "path": block.path,
        "block": block.index,
        "byte_start": block.byte_start,
    }
    doc = decode_block(block)
    try:
        out = pipeline.run(doc)
    except Exception as exc:
        message = f"block {block.index}: {type(exc).__name__}: {exc}"
        return BlockOutcome(
            "failed",
            doc.text.encode("utf-8"),
            record_line(where, "failed", None, message),
            len(block.raw),
            chars_in=len(doc.text),
            chars_out=len(doc.text),
            message=message,
        )
    status = "cleaned" if out.changes else "unchanged"
    return BlockOutcome(
        status,
        out.text.encode("utf-8"),
        record_line(where, status, out, None) if out.changes else None,
        len(block.raw),
        doc_summary(out),
        len(doc.text),
        len(out.text),
    )


def _find_cut(buffer: bytes, start: int, encoding: str) -> tuple[int, int] | None:
    """``(body_end, next_start)`` of the first paragraph break at or after ``start``."""
    for m in PARAGRAPH_BREAK.finditer(buffer, max(start - 1, 0)):
        body_end, next_start = m.start() + 1, m.end()
        line_start = buffer.rfind(b"\n", 0, m.start()) + 1
        next_end = buffer.find(b"\n", next_start)
        if next_end < 0:
            return None  # the next line is not complete yet
        before = buffer[line_start : m.start()].decode(encoding, "ignore")
        after = buffer[next_start:next_end].decode(encoding, "ignore")
        if _has_text(before) and _has_text(after):
            return body_end, next_start
    return None


class JointCleaner:
    """What the pipeline writes for the blank lines between two blocks (cached per form)."""

    PROBE = "a\n"

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._cache: dict[str, tuple[str, list[Change]]] = {}

    def __call__(self, sep: str) -> tuple[str, list[Change]]:
        if sep not in self._cache:
            self._cache[sep] = self._probe(sep)
        return self._cache[sep]

    def _probe(self, sep: str) -> tuple[str, list[Change]]:
        probe = self.PROBE
        doc = Document.from_input(probe + sep + probe, id="<joint>")
        current = sep
        changes: list[Change] = []
        for stage in self.pipeline.stages:
            before = len(doc.changes)
            doc = stage.process(doc)
            text = doc.text
            if not (
                text.startswith(probe) and text.endswith(probe) and len(text) >= 2 * len(probe)
            ):
                return sep, []  # the stage joined the paragraphs: leave the break as it was
            middle = text[len(probe) : len(text) - len(probe)]
            if middle != current:
                reasons = dict.fromkeys(c.reason for c in doc.changes[before:])
                changes.append(
                    Change(
                        stage=stage.name,
                        start=0,
                        end=len(current),
                        before=current,
                        after=middle,
                        reason="paragraph break between blocks: " + "; ".join(reasons),
                        out_start=0,
                    )
                )
                current = middle
        return current, changes


def _blocks(
    source: IO[bytes],
    head: bytes,
    path: str,
    encoding: str,
    confidence: float,
    skip: int,
    block_bytes: int,
    seps: deque[bytes],
) -> Iterator[Block]:
    """Cut ``head`` + the rest of ``source`` into blocks; each block's joint goes to ``seps``."""
    buffer = head
    offset = 0
    index = 0
    eof = False
    while True:
        while not eof and len(buffer) < 2 * block_bytes:
            data = source.read(block_bytes)
            if not data:
                eof = True
            buffer += data
        cut = _find_cut(buffer, block_bytes, encoding) if len(buffer) > block_bytes else None
        if cut is None and not eof and len(buffer) >= 8 * block_bytes:
            # No paragraph break in sight: cut after a line break instead.
            nl = buffer.find(b"\n", block_bytes)
            cut = (nl + 1, nl + 1) if nl >= 0 else None
        if cut is None and not eof:
            data = source.read(block_bytes)
            if not data:
                eof = True
            buffer += data
            continue
        if cut is None:
            body_end = next_start = len(buffer)
        else:
            body_end, next_start = cut
        seps.append(buffer[body_end:next_start])
        yield Block(
            path, index, offset, buffer[:body_end], encoding, confidence, skip if index == 0 else 0
        )
        offset += next_start
        buffer = buffer[next_start:]
        index += 1
        if eof and not buffer:
            return


def read_head(source: IO[bytes], size: int = HEAD_BYTES) -> bytes:
    head = b""
    while len(head) < size:
        data = source.read(size - len(head))
        if not data:
            break
        head += data
    return head


def stream_encoding(head: bytes) -> tuple[str, float, int] | None:
    """The file's encoding, confidence and BOM length from its head, or None when not streamable."""
    cut = head.rfind(b"\n")
    sample = head[: cut + 1] if cut > 0 else head
    decoding, confidence = choose_decoding(sample)
    if not can_cut_on_newlines(decoding.encoding):
        return None
    return decoding.encoding, confidence, decoding.offset


def stream_text(
    source: IO[bytes],
    out: IO[bytes],
    name: str,
    executor: Executor[Any, Any],
    records: RecordWriter | None,
    head: bytes,
    block_bytes: int = DEFAULT_BLOCK_BYTES,
) -> CorpusFileReport | None:
    """Clean ``head`` + the rest of ``source`` into ``out`` in blocks.

    Returns ``None`` (having read nothing more) when the encoding cannot be cut
    on newlines; the caller then reads the input whole.
    """
    found = stream_encoding(head)
    if found is None:
        return None
    encoding, confidence, skip = found
    report = CorpusFileReport(
        path=name,
        status="unchanged",
        output=name,
        encoding=encoding,
        encoding_confidence=confidence,
        records=records.path.name if records else None,
    )
    joints = JointCleaner(executor.pipeline)
    seps: deque[bytes] = deque()
    blocks = _blocks(source, head, name, encoding, confidence, skip, block_bytes, seps)
    char_start = 0
    for index, outcome in enumerate(executor.map(clean_block, blocks, weigh=lambda b: len(b.raw))):
        sep = seps.popleft()
        report.documents[outcome.status] = report.documents.get(outcome.status, 0) + 1
        report.chars_in += outcome.chars_in
        report.chars_out += outcome.chars_out
        _count(report, outcome.summary)
        if outcome.message and len(report.failures) < 20:
            report.failures.append(outcome.message)
        if outcome.record is not None and records is not None:
            records.write(b'{"char_start": %d, ' % char_start + outcome.record[1:])
        out.write(outcome.out)
        report.bytes_in += outcome.bytes_in
        report.bytes_out += len(outcome.out)
        char_start += outcome.chars_out
        if not sep:
            continue
        text = sep.decode(encoding)
        joint, changes = joints(text)
        data = joint.encode("utf-8")
        out.write(data)
        report.chars_in += len(text)
        report.chars_out += len(joint)
        report.bytes_out += len(data)
        if changes:
            joint_doc = Document(id="", text=joint, original_text=text, changes=tuple(changes))
            _count(report, doc_summary(joint_doc))
            if records is not None:
                where = {
                    "char_start": char_start,
                    "path": name,
                    "joint": index,
                    "byte_start": report.bytes_in,
                }
                records.write(record_line(where, "cleaned", joint_doc, None))
        report.bytes_in += len(sep)
        char_start += len(joint)
    report.finish()
    return report


def _count(report: CorpusFileReport, summary: dict[str, list[int]]) -> None:
    for stage, (changes, unresolved) in summary.items():
        entry = report.stage_counts.setdefault(stage, [0, 0, 0])
        entry[0] += changes
        entry[1] += unresolved
        entry[2] += 1
