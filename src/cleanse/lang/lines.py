"""Where lines end: one definition for every stage.

The normalize stage turns each of these line endings into LF; stages that judge
text line by line before it must cut lines the same way, or a second cleaning
(after the endings became LF) would judge the lines differently.
"""

from __future__ import annotations

import re

from cleanse.lang.chars import BREAKS, holds

LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x85\x0b\x0c]")
_OTHER_THAN_LF = re.compile(r"[\r\u2028\u2029\x85\x0b\x0c]")


def _other_than_lf(text: str) -> bool:
    return holds(text, BREAKS) and _OTHER_THAN_LF.search(text) is not None


def line_spans(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, next_start)`` of each line of ``text``, line break excluded."""
    spans = []
    pos = 0
    if not _other_than_lf(text):
        # Only LF, as after the normalize stage: str.split finds them at C speed.
        for line in text.split("\n"):
            end = pos + len(line)
            spans.append((pos, end, end + 1))
            pos = end + 1
        spans[-1] = (spans[-1][0], len(text), len(text))
        return spans
    for m in LINE_BREAK.finditer(text):
        spans.append((pos, m.start(), m.end()))
        pos = m.end()
    spans.append((pos, len(text), len(text)))
    return spans


def lf_lines(text: str) -> str:
    """``text`` with every line break written LF: its lines (as :func:`line_spans`
    cuts them) joined by LF. Text whose breaks are all LF already is returned as is."""
    if not _other_than_lf(text):
        return text
    return LINE_BREAK.sub("\n", text)
