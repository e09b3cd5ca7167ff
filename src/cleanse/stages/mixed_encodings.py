"""UTF-8 text with passages in another codec (a GBK paragraph pasted into a UTF-8 page).

Decoding the whole file in one codec ruins one part or the other: as GB18030
the UTF-8 becomes mojibake, as lossy UTF-8 the foreign bytes are dropped or,
worse, read as stray Latin letters. When most of the non-ASCII bytes sit in
lines that are valid UTF-8, the file is read line by line instead: valid lines
as UTF-8, each run of invalid lines in whichever of UTF-8 (lossy), GB18030 or
Big5-HKSCS reads best. Only when some run reads clearly better in a legacy
codec is this used; otherwise decoding goes on as for any other file.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleanse.core.document import Change, escape_bytes
from cleanse.lang.hanzi import text_quality

LEGACY = ("gb18030", "big5hkscs")
# The share of non-ASCII bytes that must lie in valid UTF-8 lines to call the file UTF-8.
UTF8_SHARE = 0.5
# How much better (in text quality) a legacy codec must read a run than lossy UTF-8.
MARGIN = 0.15


@dataclass
class Block:
    """A run of lines: valid UTF-8 or not."""

    start: int
    end: int
    valid: bool


def _blocks(data: bytes) -> list[Block]:
    blocks: list[Block] = []
    pos = 0
    for line in data.splitlines(keepends=True):
        end = pos + len(line)
        try:
            line.decode("utf-8")
            valid = True
        except UnicodeDecodeError:
            valid = False
        if blocks and blocks[-1].valid == valid:
            blocks[-1].end = end
        else:
            blocks.append(Block(pos, end, valid))
        pos = end
    return blocks


def _non_ascii(data: bytes) -> int:
    return len(data) - len(data.decode("ascii", errors="ignore"))


def _lossy_utf8(data: bytes) -> tuple[str, list[tuple[int, int, int]]]:
    """Decode ``data`` as UTF-8 dropping invalid bytes: text and (start, end, text offset) runs."""
    pieces: list[str] = []
    dropped: list[tuple[int, int, int]] = []
    pos = 0
    out = 0
    while pos < len(data):
        try:
            piece = data[pos:].decode("utf-8")
            pieces.append(piece)
            break
        except UnicodeDecodeError as exc:
            good = data[pos : pos + exc.start].decode("utf-8")
            pieces.append(good)
            out += len(good)
            bad_start, bad_end = pos + exc.start, pos + exc.end
            if dropped and dropped[-1][1] == bad_start:
                dropped[-1] = (dropped[-1][0], bad_end, dropped[-1][2])
            else:
                dropped.append((bad_start, bad_end, out))
            pos = bad_end
    return "".join(pieces), dropped


MIN_FOREIGN_BYTES = 4


def _score(text: str, dropped_bytes: int, size: int) -> float:
    return text_quality(text[:20000]) - 4.0 * dropped_bytes / max(size, 1)


class _StrictUtf8:
    """The strict UTF-8 reading of the last bytes asked about: both the test for
    mixed input and the choice of decoding try it first, on the same bytes."""

    def __init__(self) -> None:
        self.data: bytes | None = None
        self.text: str | None = None


_last_utf8 = _StrictUtf8()


def strict_utf8(data: bytes) -> str | None:
    """``data`` decoded as UTF-8, or ``None`` when it is not valid UTF-8."""
    memo = _last_utf8
    if memo.data is not data:
        try:
            text: str | None = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        memo.data, memo.text = data, text
    return memo.text


def decode_mixed(data: bytes, stage: str) -> tuple[str, list[Change]] | None:
    """Text and records for UTF-8 with runs in a legacy codec, or ``None`` when not that."""
    if not data or b"\x00" in data:
        return None
    if strict_utf8(data) is not None:
        return None  # plain UTF-8
    blocks = _blocks(data)
    valid_non_ascii = sum(_non_ascii(data[b.start : b.end]) for b in blocks if b.valid)
    total_non_ascii = _non_ascii(data)
    if valid_non_ascii < 20 or valid_non_ascii < UTF8_SHARE * total_non_ascii:
        return None

    pieces: list[str] = []
    changes: list[Change] = []
    out = 0
    foreign = False
    for block in blocks:
        chunk = data[block.start : block.end]
        if block.valid:
            text = chunk.decode("utf-8")
            pieces.append(text)
            out += len(text)
            continue
        utf8_text, utf8_dropped = _lossy_utf8(chunk)
        utf8_score = _score(utf8_text, sum(e - s for s, e, _ in utf8_dropped), len(chunk))
        best: tuple[float, str, str] | None = None
        # A byte or a cut-off sequence (a truncated last character) is damage to drop,
        # not a passage in another codec: that takes a few characters' worth of bytes.
        codecs_to_try = (
            LEGACY if sum(e - s for s, e, _ in utf8_dropped) >= MIN_FOREIGN_BYTES else ()
        )
        for codec in codecs_to_try:
            try:
                legacy_text = chunk.decode(codec)
            except UnicodeDecodeError:
                continue  # only a codec that reads the whole run cleanly is believed
            score = _score(legacy_text, 0, len(chunk))
            if best is None or score > best[0]:
                best = (score, codec, legacy_text)
        if best is not None and best[0] >= utf8_score + MARGIN:
            score, codec, legacy_text = best
            foreign = True
            changes.append(
                Change(
                    stage=stage,
                    start=block.start,
                    end=block.end,
                    before=escape_bytes(chunk),
                    after=legacy_text,
                    reason=(
                        "passage in another codec inside UTF-8 text (mixed encodings) "
                        f"decoded as {codec}"
                    ),
                    confidence=round(max(0.0, min(1.0, score)), 3),
                    out_start=out,
                )
            )
            pieces.append(legacy_text)
            out += len(legacy_text)
            continue
        for start, end, at in utf8_dropped:
            changes.append(
                Change(
                    stage=stage,
                    start=block.start + start,
                    end=block.start + end,
                    before=escape_bytes(chunk[start:end]),
                    after="",
                    reason=(
                        "bytes that are not UTF-8 and read as no other codec inside "
                        "UTF-8 text dropped"
                    ),
                    unresolved=True,
                    out_start=out + at,
                )
            )
        pieces.append(utf8_text)
        out += len(utf8_text)
    if not foreign:
        return None
    return "".join(pieces), changes


def _utf8_line(line: bytes) -> str | None:
    """The line as UTF-8 when it is valid UTF-8 with some non-ASCII character."""
    if line.isascii():
        return None
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def utf8_lines_in_legacy(data: bytes, encoding: str, stage: str) -> tuple[str, list[Change]] | None:
    """The other way round: a GB18030 or Big5 file with lines in UTF-8.

    ``encoding`` is the codec chosen for the whole file. A line that is valid
    UTF-8 and reads clearly better so is decoded as UTF-8; the rest as before
    (undecodable bytes dropped and recorded). ``None`` when no line is UTF-8.
    Multi-byte sequences of these codecs never contain a newline byte, so
    cutting at line ends never cuts a character.
    """
    if encoding not in LEGACY or b"\x00" in data:
        return None
    lines = data.splitlines(keepends=True)
    choices: list[str | None] = []
    for line in lines:
        as_utf8 = _utf8_line(line)
        if as_utf8 is not None:
            scratch: list[Change] = []
            legacy_text = _decode_recording(line, encoding, 0, 0, len(line), stage, scratch)
            legacy_dropped = sum(c.end - c.start for c in scratch)
            legacy_score = _score(legacy_text, legacy_dropped, len(line))
            if _score(as_utf8, 0, len(line)) < legacy_score + MARGIN:
                as_utf8 = None
        choices.append(as_utf8)
    if not any(c is not None for c in choices):
        return None

    pieces: list[str] = []
    changes: list[Change] = []
    out = 0
    pos = 0
    for line, as_utf8 in zip(lines, choices, strict=True):
        if as_utf8 is not None:
            changes.append(
                Change(
                    stage=stage,
                    start=pos,
                    end=pos + len(line),
                    before=escape_bytes(line),
                    after=as_utf8,
                    reason=f"passage in UTF-8 inside {encoding} text (mixed encodings) decoded as UTF-8",
                    confidence=round(max(0.0, min(1.0, text_quality(as_utf8))), 3),
                    out_start=out,
                )
            )
            text = as_utf8
        else:
            text = _decode_recording(line, encoding, pos, out, len(data), stage, changes)
        pieces.append(text)
        out += len(text)
        pos += len(line)
    return "".join(pieces), changes


def _decode_recording(
    line: bytes, encoding: str, pos: int, out: int, size: int, stage: str, changes: list[Change]
) -> str:
    """Decode one line in ``encoding``, recording the byte runs it had to drop."""
    pieces: list[str] = []
    at = 0
    while at < len(line):
        try:
            pieces.append(line[at:].decode(encoding))
            break
        except UnicodeDecodeError as exc:
            good = line[at : at + exc.start].decode(encoding)
            pieces.append(good)
            out += len(good)
            start, end = pos + at + exc.start, pos + at + exc.end
            where = (
                "cut off at the end of the input" if end >= size else "in the middle of the input"
            )
            # Runs next to each other in this line make one record (never across lines:
            # ``line`` is all this function sees of the bytes).
            if (
                changes
                and changes[-1].unresolved
                and changes[-1].end == start >= changes[-1].start >= pos
            ):
                last = changes.pop()
                start = last.start
            changes.append(
                Change(
                    stage=stage,
                    start=start,
                    end=end,
                    before=escape_bytes(line[start - pos : end - pos]),
                    after="",
                    reason=f"incomplete {encoding} sequence {where} dropped",
                    unresolved=True,
                    out_start=out,
                )
            )
            at += exc.end
    return "".join(pieces)
