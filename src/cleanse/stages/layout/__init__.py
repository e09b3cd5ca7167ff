"""layout: repair print and OCR layout (hard-wrapped lines, spaces inside CJK runs, split paragraphs).

Three passes, each on the output of the one before so that every span is exact:

1. spaces left inside CJK text by a flattened column (:mod:`.spaces`);
2. lines broken at a column width joined back (:mod:`.wraps`);
3. paragraphs split by a blank line, a page break or an interleaved block
   joined, the continuation moved up to where it belongs (:mod:`.paragraphs`).

The rules are written out in docs/layout.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import ClassVar

from cleanse.core.document import Document, Edit
from cleanse.core.stage import Stage
from cleanse.core.textview import VisibleText, as_normalize_leaves, found_in, gated
from cleanse.lang.chars import BREAKS
from cleanse.stages.layout.paragraphs import paragraph_edits
from cleanse.stages.layout.spaces import Habit, measure_habits, space_edits, space_near_cjk
from cleanse.stages.layout.text import has_open_line
from cleanse.stages.layout.wraps import wrap_edits

# A line break of one character other than LF (a CR not followed by LF, NEL, the
# Unicode line and paragraph separators, VT, FF): normalize writes each as LF.
# Written to start with a class of the break characters, so that a search skips
# ahead to them instead of trying the pattern at every character.
LONE_BREAK = gated(re.compile(r"[\r\u2028\u2029\x85\x0b\x0c](?:(?<=\r)(?!\n)|(?<!\r))"), BREAKS)


class LayoutStage(Stage):
    """Repair print and OCR layout (hard-wrapped lines, spaces inside CJK runs, split paragraphs)."""

    name = "layout"
    description = (
        "repair print and OCR layout (hard-wrapped lines, spaces inside CJK runs, split paragraphs)"
    )
    option_help: ClassVar[Mapping[str, str]] = {
        "spaces": "Remove layout spaces inside CJK runs and spaces that break the document's CJK-Latin habit.",
        "lines": "Join lines hard-wrapped by a column width.",
        "paragraphs": "Join a paragraph split by a page break, blank line or interleaved block.",
    }

    def __init__(self, spaces: bool = True, lines: bool = True, paragraphs: bool = True) -> None:
        super().__init__()
        self.spaces = spaces
        self.lines = lines
        self.paragraphs = paragraphs

    def wants(self, doc: Document) -> bool:
        """A cheap scan: no space beside CJK text and no line left open means nothing to do."""
        return _worth_a_look(_visible(doc.text)[1])

    def process(self, doc: Document) -> Document:
        view, text = _visible(doc.text)
        if not _worth_a_look(text):
            return doc
        # Habits are measured once, on the text as it came in.
        habits = measure_habits(text)
        passes: list[tuple[bool, Callable[[str, dict[str, Habit]], Iterable[Edit]]]] = [
            (self.spaces, space_edits),
            (self.lines, wrap_edits),
            (self.paragraphs, paragraph_edits),
        ]
        judged = doc.text
        for enabled, find in passes:
            if not enabled:
                continue
            if doc.text is not judged:  # an earlier pass changed it
                view, text = _visible(doc.text)
                judged = doc.text
            edits = list(find(text, habits))
            doc = self.record(doc, view.edits_in_text(edits) if view else edits)
        return doc


def _visible(text: str) -> tuple[VisibleText | None, str]:
    """The text as it will stand after normalize, so that a second cleaning judges
    the same text: its one-character line breaks written LF (same offsets) and what
    normalize removes left out (the view maps edits back); no view when there is
    nothing to remove."""
    if found_in(LONE_BREAK, text):
        text = LONE_BREAK.sub("\n", text)
    return as_normalize_leaves(text)


def _worth_a_look(text: str) -> bool:
    return bool(text) and (space_near_cjk(text) or has_open_line(text))
