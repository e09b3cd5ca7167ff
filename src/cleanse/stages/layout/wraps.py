"""Hard-wrapped lines: a paragraph broken into lines at a column width.

A block (lines between blank lines) is taken as set in a column when most of
its lines are *full*: the first word of the next line would not have fitted
on the line (CJK characters take two cells, Latin one; a character that may
not start a line, like ``，``, travels with the one before it). A full line
inside such a block is joined to the next one unless the next line starts a
paragraph (it is indented more, or is a list item) or the line ends a
sentence in a document that does not mark its paragraphs otherwise.

Poetry and lists are left alone: their lines are short and uneven, rarely
hold punctuation in the middle, and end on punctuation; a block needs a column
of at least ``MIN_COLUMN`` cells, prose punctuation inside its lines and a full
line cut inside a clause. Only CJK text is reflowed (see docs/layout.md).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from cleanse.core.document import Edit
from cleanse.lang.words import word_across
from cleanse.stages.layout.joins import joiner
from cleanse.stages.layout.spaces import Habit
from cleanse.stages.layout.text import (
    CLOSERS,
    FIRM_STOP,
    PROSE_PUNCTUATION,
    REPLACEMENT,
    SENTENCE_END,
    Line,
    closes_sentence,
    is_cjk_paragraph,
    is_cjk_text,
    split_lines,
    text_width,
)

MIN_COLUMN = 16  # cells: eight CJK characters
SLACK = 2  # cells a full line may fall short (kinsoku, proportional fonts)
# What a line of verse or a list ends on; a column cuts lines anywhere else too.
CLAUSE_MARKS = PROSE_PUNCTUATION | SENTENCE_END | FIRM_STOP | CLOSERS | frozenset("—-–")
# Characters that may not start a line; a wrapper moves the one before along with them.
NO_LINE_START = frozenset("，。、；：！？）」』”’》〉】,.;:!?)") | CLOSERS


def first_unit_width(text: str) -> int:
    """Width of what a wrapper must put on a line as one piece: a CJK character
    with the punctuation that may not start a line, or a whole Latin word."""
    if not text:
        return 0
    if is_cjk_text(text[0]) and text[0] not in NO_LINE_START:
        i = 1
        while i < len(text) and text[i] in NO_LINE_START:
            i += 1
        return text_width(text[:i])
    i = 0
    while i < len(text) and not text[i].isspace() and not is_cjk_text(text[i]):
        i += 1
    return text_width(text[: max(i, 1)])


def is_full(line: Line, following: Line, column: int) -> bool:
    """Whether the next line's first piece would not have fitted on ``line``."""
    body = line.text.rstrip()
    head = following.content
    if not body or not head:
        return False
    gap = 0 if is_cjk_text(body[-1]) or is_cjk_text(head[0]) else 1
    return text_width(body) + gap + first_unit_width(head) > column - SLACK


def _mid_punctuation(lines: list[Line]) -> bool:
    return any(ch in PROSE_PUNCTUATION for ln in lines for ch in ln.content[:-1])


@dataclass
class Block:
    lines: list[Line]
    column: int = 0
    wrapped: bool = False


def _blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: list[Line] = []
    for line in split_lines(text):
        if line.blank:
            if current:
                blocks.append(Block(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(Block(current))
    return blocks


def _cut_mid_clause(line: Line) -> bool:
    body = line.text.rstrip()
    return bool(body) and body[-1] not in CLAUSE_MARKS


def _measure(block: Block) -> None:
    lines = block.lines
    if len(lines) < 3 or not _mid_punctuation(lines):
        return
    if not is_cjk_paragraph("".join(ln.text for ln in lines)):
        return
    inner = lines[:-1]
    column = max(text_width(ln.text.rstrip()) for ln in inner)
    if column < MIN_COLUMN:
        return
    full = [a for a, b in zip(inner, lines[1:], strict=True) if is_full(a, b, column)]
    # Some full line must be cut inside a clause (after a letter, not punctuation):
    # a block whose lines all end on punctuation is verse or a list set line by line.
    if len(full) >= 2 and len(full) * 2 >= len(inner) and any(_cut_mid_clause(a) for a in full):
        block.column, block.wrapped = column, True


def _ends_paragraph_clearly(line: Line, following: Line, column: int) -> bool:
    return closes_sentence(line.text) and not is_full(line, following, column)


def wrap_edits(text: str, habits: dict[str, Habit]) -> Iterator[Edit]:
    blocks = _blocks(text)
    for block in blocks:
        _measure(block)
    widths = Counter(b.column for b in blocks if b.wrapped)
    doc_column = widths.most_common(1)[0][0] if widths else 0
    for block in blocks:
        lines = block.lines
        # Too short to measure on its own: use the column of the rest of the document.
        if (
            len(lines) == 2
            and doc_column
            and _mid_punctuation(lines)
            and text_width(lines[0].text.rstrip()) <= doc_column + SLACK
            and is_cjk_paragraph(lines[0].text + lines[1].text)
        ):
            block.column, block.wrapped = doc_column, True
        if not block.wrapped:
            continue
        column = block.column
        pairs = list(itertools.pairwise(lines))
        base_indent = min(ln.indent for ln in lines[1:])
        clear_ends = [b for a, b in pairs if _ends_paragraph_clearly(a, b, column)]
        # Paragraphs inside the block are marked by indentation, or there is only one:
        # then a full line that ends a sentence is a wrap too.
        marked = all(b.indent > base_indent for b in clear_ends)
        for a, b in pairs:
            if not is_full(a, b, column) or b.list_item or b.indent > base_indent:
                continue
            body = a.text.rstrip()
            if body.endswith(REPLACEMENT):
                continue
            if closes_sentence(body) and not marked:
                continue
            after = text[b.content_start : b.end]
            glue = joiner(body, after, habits)
            word = word_across(body, after)
            detail = f"; {word.left}|{word.right} forms {word.word}" if word else ""
            ends = body.rstrip("".join(CLOSERS))[-1:]
            why = (
                "the sentence goes on"
                if ends not in SENTENCE_END and ends not in FIRM_STOP
                else "paragraphs are marked by indentation or blank lines"
            )
            yield Edit(
                a.content_end,
                b.content_start,
                glue,
                f"hard-wrap join: line fills the {column}-cell column and {why} "
                f"({body[-1]}|{after[0]}){detail}",
                category="join",
            )
