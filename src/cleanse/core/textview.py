"""A text seen without the characters a later step will remove, and the way back.

The normalize stage runs last and removes invisible and control characters.
A stage before it that judges characters by their neighbours must judge them
as they will stand once those are gone, or a second cleaning (which no longer
sees them) decides differently. Such a stage works on a :class:`VisibleText`
and maps its edits back with :meth:`VisibleText.edits_in_text`.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable

from cleanse.core.document import Edit
from cleanse.lang.chars import (
    CONTROLS,
    FORMAT,
    INVISIBLE_RUN,
    JOINER,
    REMOVED_BY_NORMALIZE,
    STRAY_JOINER,
    holds,
)


class VisibleText:
    """``text`` without the runs ``hidden`` matches, and offsets back into ``text``."""

    def __init__(self, text: str, hidden: re.Pattern[str]) -> None:
        self.segments: list[tuple[int, int, int]] = []  # (visible start, start, length)
        pieces, pos, visible = [], 0, 0
        for m in [*hidden.finditer(text), None]:
            end = len(text) if m is None else m.start()
            self.segments.append((visible, pos, end - pos))
            pieces.append(text[pos:end])
            visible += end - pos
            if m is not None:
                pos = m.end()
        self.text = "".join(pieces)
        self._visible_starts = [v for v, _, _ in self.segments]
        self._starts = [t for _, t, _ in self.segments]

    def to_text(self, offset: int, end: bool = False) -> int:
        """An offset of the visible text in ``text``: a start goes after the hidden
        characters before it, an end (``end=True``) stays before those after it."""
        if end and offset > 0:
            return self.to_text(offset - 1) + 1
        # Of segments starting at the same visible offset (an empty one where the
        # text starts with hidden characters), the last is the one that holds it.
        k = bisect.bisect_right(self._visible_starts, offset) - 1
        visible, start, _ = self.segments[k]
        return start + offset - visible

    def to_visible(self, offset: int) -> int:
        k = bisect.bisect_right(self._starts, offset) - 1
        visible, start, length = self.segments[k]
        return visible + min(offset - start, length)

    def edits_in_text(self, edits: Iterable[Edit]) -> list[Edit]:
        """Edits made on the visible text, placed in ``text``. An edit that spans
        hidden characters takes them out with it."""
        out = []
        for edit in edits:
            start = self.to_text(edit.start)
            end = self.to_text(edit.end, end=True) if edit.end > edit.start else start
            out.append(dataclasses.replace(edit, start=start, end=end))
        return out


# The last text each pattern was searched in, and the answer. A document's text
# passes several stages unchanged (the same string object), and each asks the
# same question of it: a scan of the whole text, asked once.
_last_answer: dict[re.Pattern[str], tuple[str, bool]] = {}


# Patterns whose every match holds a character of some sparse kinds (see
# cleanse.lang.chars.holds): where a text holds none, the search is not made.
_gates: dict[re.Pattern[str], int] = {}


def gated(pattern: re.Pattern[str], kinds: int) -> re.Pattern[str]:
    """Declare that every match of ``pattern`` holds a character of ``kinds``, so that
    :func:`found_in` answers from the text's census where it holds none of them."""
    _gates[pattern] = kinds
    return pattern


def found_in(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` occurs in ``text`` (remembered for the last text asked)."""
    last = _last_answer.get(pattern)
    if last is not None and last[0] is text:
        return last[1]
    kinds = _gates.get(pattern)
    answer = (kinds is None or holds(text, kinds)) and pattern.search(text) is not None
    _last_answer[pattern] = (text, answer)
    return answer


gated(JOINER, FORMAT)
gated(INVISIBLE_RUN, CONTROLS)


def as_normalize_leaves(text: str) -> tuple[VisibleText | None, str]:
    """``text`` without what the normalize stage removes (invisible and control
    characters, joiners with nothing to join), and the view that maps edits on it
    back; no view when there is nothing to remove."""
    if found_in(JOINER, text) and STRAY_JOINER.search(text) is not None:
        view = VisibleText(text, REMOVED_BY_NORMALIZE)
    elif found_in(INVISIBLE_RUN, text):
        view = VisibleText(text, INVISIBLE_RUN)
    else:
        return None, text
    return view, view.text
