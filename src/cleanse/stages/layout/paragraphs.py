"""Paragraphs split by a blank line, a page break or an interleaved block.

A paragraph that stops without closing its sentence is joined to a later one
only when the join is clearly right:

- a word of jieba's dictionary runs across the break (``模|拟`` forms ``模拟``);
- or the paragraph ends inside a quotation that the next paragraph closes;

A comma or a connective (``和``, ``并``) at the end is not enough: web copies
cut paragraphs at a fixed length, and a cut falls after ``和`` or ``，`` as
easily as anywhere; on texts cut at random such joins were wrong more often
than right. A dictionary word is accepted only when its halves belong together
far more than chance (``是|从`` and ``正|中`` are words, but also two common
characters that meet all the time).

The next paragraph is tried first (stray page numbers and image remnants
between the halves are removed and recorded). When the next paragraph does not
continue it, later paragraphs are searched for an orphaned continuation: one
that follows a closed sentence and whose first character completes a word
broken at the end of the paragraph (one half of the word a single character
that jieba cannot attach on its own side). The continuation is moved up to
the paragraph; the interleaved block (a sidebar, a caption, the story's other
column) stays as it is, after the joined paragraph. A move is recorded as two
changes: the insertion at the join and the removal where it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cleanse.core.document import Edit
from cleanse.lang.chars import is_han
from cleanse.lang.words import WordAcross, last_token, tokens, word_across
from cleanse.stages.layout.joins import joiner
from cleanse.stages.layout.spaces import Habit
from cleanse.stages.layout.text import (
    SENTENCE_END,
    Line,
    closes_sentence,
    is_cjk_paragraph,
    is_heading_like,
    is_prose,
    split_lines,
)

QUOTE_PAIRS = (("\u201c", "\u201d"), ("\u300c", "\u300d"), ("\u300e", "\u300f"))
# How strongly the halves must belong together (see WordAcross.association): a
# join of the next paragraph, and a move from further down (more candidates, so
# more chances of a chance match: a stricter bar).
JOIN_ASSOCIATION = 5.0
MOVE_ASSOCIATION = 6.0
# How far down a continuation is looked for: a page of a newspaper.
MAX_UNITS = 40
MAX_DISTANCE = 8000


def open_quote(text: str) -> str | None:
    """The closing quote ``text`` still waits for, if it ends inside a quotation."""
    if text.count('"') % 2 == 1:
        return '"'
    for opening, closing in QUOTE_PAIRS:
        if text.count(opening) > text.count(closing):
            return closing
    return None


def closes_quote(text: str, closing: str) -> bool:
    """``text`` closes a quotation opened before it, within its first sentence.

    The closing quote must come before any quote of its own is opened, not at
    the very start (a paragraph starting with a quote opens one), and no
    sentence may end before it except right at it (``……而存在。"``).
    """
    if closing == '"':
        if text.count('"') % 2 == 0:
            return False
        at = text.find('"')
    else:
        opening = {c: o for o, c in QUOTE_PAIRS}[closing]
        at = text.find(closing)
        if at < 0 or 0 <= text.find(opening) < at:
            return False
    if at <= 0 or any(ch in SENTENCE_END for ch in text[: at - 1]):
        return False
    if closing != '"':
        return True
    # A straight quote is ambiguous: it reads as closing when a sentence ends
    # before it or punctuation follows it (……而存在。" / ……"量变"，).
    after = text[at + 1 : at + 2]
    return text[at - 1] in SENTENCE_END or not after or after in "，。、；：！？,.;:!?）)"


@dataclass(frozen=True)
class Evidence:
    why: str
    confidence: float
    word: WordAcross | None = None


def _evidence(first: Line, second: Line) -> Evidence | None:
    before, after = first.content, second.content
    word = word_across(before, after)
    if word is not None and word.association >= JOIN_ASSOCIATION:
        return Evidence(f"{word.left}|{word.right} forms {word.word}", 0.9, word)
    closing = open_quote(before)
    if closing is not None and closes_quote(after, closing):
        return Evidence(
            f"the paragraph ends inside a quotation that the next one closes ({closing})", 0.9
        )
    return None


def _can_continue(line: Line) -> bool:
    """A CJK paragraph that stops mid-sentence and is running text, not a heading."""
    return (
        not closes_sentence(line.text)
        and not is_heading_like(line.text)
        and is_cjk_paragraph(line.text)
    )


def _is_fragment(word: WordAcross, first: Line, second: Line) -> bool:
    """One half of the word is a single character jieba leaves alone on its side."""
    if len(word.right) == 1 and tokens(second.content[:6])[:1] == [word.right]:
        return True
    return len(word.left) == 1 and last_token(first.content) == word.left


class _Claims:
    """Spans already edited in this pass: edits must not overlap."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, *spans: tuple[int, int]) -> bool:
        return all(
            not (s < e2 and s2 < e) and not (s == e == s2 == e2)
            for s, e in spans
            for s2, e2 in self.spans
        )

    def take(self, *spans: tuple[int, int]) -> None:
        self.spans.extend(spans)


def paragraph_edits(text: str, habits: dict[str, Habit]) -> Iterator[Edit]:
    lines = split_lines(text)
    units = [ln for ln in lines if not ln.blank]
    moved: set[int] = set()
    claims = _Claims()
    for k, first in enumerate(units):
        if k in moved or first.stray or not _can_continue(first):
            continue
        # The next unit, past stray lines (page numbers, image remnants).
        n = k + 1
        strays: list[Line] = []
        while n < len(units) and units[n].stray:
            strays.append(units[n])
            n += 1
        if n >= len(units):
            break
        second = units[n]
        found = None
        if n not in moved and not second.list_item and second.indent <= first.indent:
            found = _evidence(first, second)
            if found and is_heading_like(second.text) and found.word is None:
                found = None
        if found is not None:
            yield from _join(text, first, second, strays, found, habits, claims)
            continue
        if not is_prose(first.text):
            continue
        move = _find_continuation(units, k, n, first, moved)
        if move is None:
            continue
        r, word = move
        source = units[r]
        previous = units[r - 1]
        glue = joiner(first.content, source.content, habits)
        insert = (first.content_end, first.content_end)
        remove = (previous.end, source.end)
        # Page numbers left right after the first half belong to the same break.
        stops = [*(s.start for s in strays[1:]), second.start]
        stray_spans = [
            (s.start, stop) for s, stop in zip(strays, stops[: len(strays)], strict=True)
        ]
        if not claims.free(insert, remove, *stray_spans):
            continue
        claims.take(insert, remove, *stray_spans)
        moved.add(r)
        between = r - k - 1
        yield Edit(
            *insert,
            glue + source.content,
            f"paragraph continuation moved here from offset {source.content_start} "
            f"(past {between} interleaved lines): {word.left}|{word.right} forms {word.word}",
            confidence=0.8,
            category="move",
        )
        yield Edit(
            *remove,
            "",
            f"continuation of the paragraph ending at offset {first.content_end} moved up "
            f"there ({word.left}|{word.right} forms {word.word}); the interleaved block stays",
            confidence=0.8,
            category="move",
        )
        for span, stray in zip(stray_spans, strays, strict=True):
            yield _stray_edit(span, stray)


def _stray_edit(span: tuple[int, int], stray: Line) -> Edit:
    return Edit(
        *span,
        "",
        f"stray line {stray.content!r} at the break of a split paragraph removed "
        "(a page number or an image remnant)",
        category="stray",
    )


def _join(
    text: str,
    first: Line,
    second: Line,
    strays: list[Line],
    found: Evidence,
    habits: dict[str, Habit],
    claims: _Claims,
) -> Iterator[Edit]:
    cut = strays[0].start if strays else second.content_start
    spans = [(first.content_end, cut)]
    if strays:
        stops = [*(s.start for s in strays[1:]), second.content_start]
        spans += [(s.start, stop) for s, stop in zip(strays, stops, strict=True)]
    if not claims.free(*spans):
        return
    claims.take(*spans)
    gap = text[first.content_end : second.content_start]
    where = "a blank line" if "\n\n" in gap or strays else "a line break"
    glue = joiner(first.content, second.content, habits)
    yield Edit(
        first.content_end,
        cut,
        glue,
        f"paragraph join across {where}: {found.why}",
        confidence=found.confidence,
        category="join",
    )
    for span, stray in zip(spans[1:], strays, strict=True):
        yield _stray_edit(span, stray)


def _find_continuation(
    units: list[Line], k: int, n: int, first: Line, moved: set[int]
) -> tuple[int, WordAcross] | None:
    if not first.content or not is_han(first.content[-1]):
        return None
    for r in range(n + 1, min(len(units), n + 1 + MAX_UNITS)):
        source = units[r]
        if source.start - first.end > MAX_DISTANCE:
            break
        if r in moved or source.stray or source.list_item or is_heading_like(source.text):
            continue
        previous = units[r - 1]
        # An orphan: it follows a closed sentence (or a heading) after a blank line.
        if previous.end + 1 == source.start:
            continue
        if not (closes_sentence(previous.text) or is_heading_like(previous.text)):
            continue
        if source.indent > first.indent or not is_han(source.content[0]):
            continue
        word = word_across(first.content, source.content)
        if (
            word is not None
            and word.association >= MOVE_ASSOCIATION
            and _is_fragment(word, first, source)
        ):
            return r, word
    return None
