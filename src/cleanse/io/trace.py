"""Following change records through the stages to the original and the final text.

Each record's span refers to the text its own stage was given (for ``decode``:
byte offsets in the raw input; its ``out_start`` says where the dropped bytes
sat in the decoded text). To show a change in the original text and in the
clean text, :func:`trace` replays the records in order over
``original_text`` as a list of pieces: runs of original text and the text each
change produced, plus what each change removed. Every record's ``before`` is
checked against the replayed text and the replay must end at the final text,
so a view built on a trace shows exactly what the stages did.

A stage may record several passes; each pass's spans refer to the previous
pass's output. Passes are told apart by the records themselves: within one
pass spans are ordered, do not overlap, and ``out_start`` equals ``start`` plus
the length difference of the pass's earlier records.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from cleanse.core.document import Change, Document


class TraceError(ValueError):
    """The records do not replay onto the texts they claim to describe."""


@dataclass
class Piece:
    """A run of the text being replayed.

    ``change`` is ``None`` for original text, else the index of the record that
    produced ``text``. ``removed`` (only on the first piece of a change) is what
    that change took away; ``orig_len`` counts the original characters the piece
    stands for, so original positions can be recovered after any replay.
    """

    text: str
    change: int | None = None
    removed: str = ""
    orig_len: int = 0
    head: bool = False  # the first piece of its change: carries ``removed``
    history: bool = False  # what a change removed, kept where a later change rewrote its output

    def cut(self, start: int, end: int) -> Piece:
        """The part of the live text in ``[start:end]``; what was removed stays with the first part."""
        if start == 0 and end == len(self.text):
            return self
        if self.change is None:
            return Piece(self.text[start:end], None, "", end - start)
        if start == 0:
            return Piece(self.text[:end], self.change, self.removed, self.orig_len, self.head)
        return Piece(self.text[start:end], self.change, "", 0, False)


@dataclass(frozen=True)
class Placed:
    """Where one change sits: in the original text and in the final text.

    ``orig_start``/``orig_end`` cover the original characters the change
    (directly or through the earlier changes it rewrote) replaced;
    ``final_start``/``final_end`` cover what survives of its ``after`` in the
    final text. ``superseded_by`` names the later change that rewrote all of it.
    """

    index: int
    change: Change
    orig_start: int
    orig_end: int
    final_start: int
    final_end: int
    superseded_by: int | None = None


@dataclass(frozen=True)
class Trace:
    """The replay of one document: pieces of the final text and each change's place."""

    original: str
    final: str
    pieces: tuple[Piece, ...]
    placed: tuple[Placed, ...]
    passes: int = 0

    def reading_order(self) -> list[Placed]:
        """Changes sorted by where they sit in the original text, then by record order."""
        return sorted(self.placed, key=lambda p: (p.orig_start, p.index))


class LineIndex:
    """Offsets to 1-based (line, column) in one text."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def split_passes(changes: Sequence[tuple[int, Change]]) -> list[list[tuple[int, Change]]]:
    """Group text-stage records into passes whose spans all refer to one text."""
    passes: list[list[tuple[int, Change]]] = []
    delta = 0
    prev: Change | None = None
    for index, change in changes:
        same = (
            prev is not None
            and change.stage == prev.stage
            and change.start >= prev.end
            and (change.out_start is None or change.out_start == change.start + delta)
        )
        if not same:
            passes.append([])
            delta = 0
        passes[-1].append((index, change))
        delta += len(change.after) - (change.end - change.start)
        prev = change
    return passes


def _initial_pieces(original: str, decode: Sequence[tuple[int, Change]]) -> list[Piece]:
    """The original text with the decode stage's dropped bytes as zero-width markers."""
    pieces: list[Piece] = []
    cursor = 0
    for index, change in sorted(decode, key=lambda item: (item[1].out_start or 0, item[0])):
        at = min(max(change.out_start or 0, cursor), len(original))
        if at > cursor:
            pieces.append(Piece(original[cursor:at], None, "", at - cursor))
            cursor = at
        pieces.append(Piece(change.after, index, change.before, 0, True))
    if cursor < len(original) or not pieces:
        pieces.append(Piece(original[cursor:], None, "", len(original) - cursor))
    return pieces


def _apply_pass(
    pieces: list[Piece],
    group: list[tuple[int, Change]],
    superseded: dict[int, int],
    rewritten_at: dict[int, tuple[int, int]],
) -> list[Piece]:
    """Apply one pass; note in ``superseded`` and ``rewritten_at`` the changes it rewrote.

    A cursor walks the pieces once: ``i`` is the current piece and ``k`` how much
    of its live text is already used, so a long piece is never copied more than once.
    """
    out: list[Piece] = []
    i = 0
    k = 0
    pos = 0  # live offset of the cursor
    orig = 0  # original offset of the cursor
    total = sum(len(p.text) for p in pieces)
    for index, change in group:
        if change.end > total or change.start > change.end:
            raise TraceError(
                f"change {index} ({change.stage}) spans [{change.start}:{change.end}] "
                f"beyond its input of length {total}"
            )
        # Keep everything that ends at or before the start, zero-width markers included.
        while i < len(pieces):
            rest = len(pieces[i].text) - k
            if pos + rest > change.start:
                if pos < change.start:  # the start falls inside this piece
                    part = pieces[i].cut(k, k + change.start - pos)
                    out.append(part)
                    k += change.start - pos
                    pos = change.start
                    orig += part.orig_len
                break
            part = pieces[i].cut(k, len(pieces[i].text))
            out.append(part)
            pos += rest
            orig += part.orig_len
            i += 1
            k = 0
        removed: list[str] = []
        history: list[Piece] = []
        orig_len = 0
        while i < len(pieces) and pos < change.end:
            rest = len(pieces[i].text) - k
            if pos + rest > change.end:
                piece = pieces[i].cut(k, k + change.end - pos)
                k += change.end - pos
            else:
                piece = pieces[i].cut(k, len(pieces[i].text))
                i += 1
                k = 0
            if piece.history:
                if change.after:
                    history.append(piece)
            elif piece.change is not None and piece.head:
                superseded[piece.change] = index
                rewritten_at[piece.change] = (orig + orig_len, orig + orig_len + piece.orig_len)
                if change.after and piece.removed:
                    # A rewrite (not a removal): keep the earlier step visible in the chain.
                    history.append(Piece("", piece.change, piece.removed, 0, True, True))
            pos += len(piece.text)
            removed.append(piece.text)
            orig_len += piece.orig_len
        before = "".join(removed)
        if before != change.before:
            raise TraceError(
                f"change {index} ({change.stage}) at [{change.start}:{change.end}] expected "
                f"{change.before!r} but the replayed text has {before!r}"
            )
        out.extend(history)
        out.append(Piece(change.after, index, change.before, orig_len, True))
        orig += orig_len
    if i < len(pieces):
        out.append(pieces[i].cut(k, len(pieces[i].text)))
        out.extend(pieces[i + 1 :])
    return out


def trace(doc: Document) -> Trace:
    """Replay ``doc.changes`` over ``doc.original_text``; raise :class:`TraceError` if they disagree."""
    return trace_changes(doc.original_text or "", doc.text, doc.changes)


def trace_changes(original: str, final: str, changes: Sequence[Change]) -> Trace:
    decode = [(i, c) for i, c in enumerate(changes) if c.stage == "decode"]
    textual = [(i, c) for i, c in enumerate(changes) if c.stage != "decode"]
    pieces = _initial_pieces(original, decode)
    superseded: dict[int, int] = {}
    rewritten_at: dict[int, tuple[int, int]] = {}
    passes = split_passes(textual)
    for group in passes:
        pieces = _apply_pass(pieces, group, superseded, rewritten_at)
    replayed = "".join(p.text for p in pieces)
    if replayed != final:
        raise TraceError("replaying the records does not give the final text")

    spans: dict[int, list[int]] = {}
    final_pos = 0
    orig_pos = 0
    for piece in pieces:
        if piece.change is not None and not piece.history:
            span = spans.setdefault(piece.change, [orig_pos, orig_pos, final_pos, final_pos])
            if piece.head:
                span[0], span[1] = orig_pos, orig_pos + piece.orig_len
            span[3] = final_pos + len(piece.text)
        orig_pos += piece.orig_len
        final_pos += len(piece.text)
    if orig_pos != len(original):
        raise TraceError("replaying the records lost track of the original text")

    resolved: dict[int, Placed] = {}
    # Later changes first, so a rewritten change can borrow its successor's final place.
    for index in range(len(changes) - 1, -1, -1):
        change = changes[index]
        successor = superseded.get(index)
        if successor is None:
            o0, o1, f0, f1 = spans[index]
        else:
            o0, o1 = rewritten_at[index]
            if index in spans:  # part of what it wrote survives
                f0, f1 = spans[index][2:]
            else:
                f0, f1 = resolved[successor].final_start, resolved[successor].final_end
        resolved[index] = Placed(index, change, o0, o1, f0, f1, successor)
    placed = [resolved[i] for i in range(len(changes))]
    return Trace(original, final, tuple(pieces), tuple(placed), len(passes))
