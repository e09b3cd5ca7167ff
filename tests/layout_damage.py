"""Set clean paragraphs in a column, as a print or OCR layout does (test helper).

``set_in_column`` breaks each paragraph greedily at ``width`` cells (a CJK
character takes two, Latin one; Latin words are never split; punctuation that
may not start a line travels with the character before it) and then leaves
the breaks in one of three ways:

- ``"newline"``: a line break;
- ``"newline-space"``: a space, then the line break (what many OCR tools leave);
- ``"flat"``: the break flattened into a space, the line breaks lost (seed 002).

A break that falls on a space between two Latin words uses that space up.
"""

from __future__ import annotations

import unicodedata

NO_LINE_START = set("，。、；：！？）」』”’》〉】,.;:!?)\"'")


def _cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") or ch in "“”‘’…—"


def _width(text: str) -> int:
    return sum(2 if _cjk(ch) else 1 for ch in text)


def _pieces(paragraph: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces and whether a space preceded each one."""
    pieces: list[tuple[str, bool]] = []
    i = 0
    spaced = False
    while i < len(paragraph):
        ch = paragraph[i]
        if ch == " ":
            spaced = True
            i += 1
            continue
        j = i + 1
        if not _cjk(ch) or ch in NO_LINE_START:
            while j < len(paragraph) and paragraph[j] != " " and not _cjk(paragraph[j]):
                j += 1
        while j < len(paragraph) and paragraph[j] in NO_LINE_START:
            j += 1
        pieces.append((paragraph[i:j], spaced))
        spaced = False
        i = j
    return pieces


def wrap(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for piece, spaced in _pieces(paragraph):
        glue = " " if spaced and current else ""
        if current and _width(current + glue + piece) > width:
            lines.append(current)
            current = piece
        else:
            current += glue + piece
    if current:
        lines.append(current)
    return lines


def set_in_column(text: str, width: int, style: str = "newline") -> str:
    """Wrap every paragraph (a line of ``text``) and leave the breaks as ``style`` says."""
    sep = {"newline": "\n", "newline-space": " \n", "flat": " "}[style]
    out = []
    for paragraph in text.split("\n"):
        out.append(sep.join(wrap(paragraph, width)) if paragraph.strip() else paragraph)
    return "\n".join(out)
