"""What no hypothesis explained: flagged as damage that could not be restored.

Runs after every restoring pass. A U+FFFD anywhere, a ``?`` between Han
characters, a private-use character beside one, and the classic double damage of
``锟斤拷`` (two U+FFFD, UTF-8 bytes read as GBK) or of ``烫烫烫``/``屯屯屯``
(uninitialised memory, 0xCC/0xCD bytes read as GBK) are recorded with
``unresolved=True``. The text is kept, except for 锟斤拷 and long fill runs,
which are certainly junk and are dropped. Nothing is ever guessed in.
"""

from __future__ import annotations

import re

from cleanse.core.document import Edit
from cleanse.lang.chars import PRIVATE_USE, SPECIALS, holds

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PUA = r"\ue000-\uf8ff"
KUNKAO = re.compile(r"(?:锟斤拷)+(?:锟斤?)?")
# Debug fill bytes of MSVC: 0xCC (stack) reads as 烫, 0xCD (heap) as 屯 in GBK.
FILL_RUN = re.compile(r"烫{3,}|屯{3,}")
# Four or more fill characters are never a word; three may be a quoted joke.
FILL_DROP = 4
REPLACEMENT_RUN = re.compile(r"\ufffd+")
QUESTION_OR_PUA = re.compile(f"[?{_PUA}][?{_PUA}]*")  # class-first: fast scan
_IS_HAN = re.compile(f"[{_HAN}]")
NEEDS_LOOK = re.compile(f"[\ufffd{_PUA}锟烫屯?]")
# Half-width punctuation right after Han: the writer uses ASCII marks, so one
# ``?`` between two Han characters is a question mark, not a lost character.
ASCII_MARKS_IN_HAN = re.compile(f"[{_HAN}][,!;:.]")


def wants(text: str) -> bool:
    # Finds of one character and the census cost less than the search, and most
    # text holds none of NEEDS_LOOK's characters.
    if not (
        "?" in text
        or "锟" in text
        or "烫" in text
        or "屯" in text
        or holds(text, PRIVATE_USE | SPECIALS)
    ):
        return False
    return NEEDS_LOOK.search(text) is not None


def leftover_edits(text: str) -> list[Edit]:
    if not wants(text):
        return []
    found: list[Edit] = []
    for m in KUNKAO.finditer(text) if "锟斤" in text else ():
        found.append(
            Edit(
                m.start(),
                m.end(),
                "",
                "锟斤拷: replacement characters whose UTF-8 bytes were read as GBK; "
                "the characters they stood for are lost, junk dropped",
                unresolved=True,
                category="double-damage",
            )
        )
    for m in FILL_RUN.finditer(text) if "烫烫烫" in text or "屯屯屯" in text else ():
        drop = len(m.group()) >= FILL_DROP
        found.append(
            Edit(
                m.start(),
                m.end(),
                "" if drop else m.group(),
                "uninitialised-memory fill (0xCC/0xCD bytes read as GBK)"
                + ("; junk dropped" if drop else "; kept, too short to be sure"),
                unresolved=True,
                category="double-damage",
            )
        )
    for m in REPLACEMENT_RUN.finditer(text) if "\ufffd" in text else ():
        found.append(
            Edit(
                m.start(),
                m.end(),
                m.group(),
                "replacement character: bytes lost before this text reached us; kept",
                unresolved=True,
                category="lost-character",
            )
        )
    for m in QUESTION_OR_PUA.finditer(text):
        before_han = m.start() > 0 and _IS_HAN.match(text, m.start() - 1) is not None
        after_han = _IS_HAN.match(text, m.end()) is not None
        # A ``?`` between two Han characters; a private-use character beside one.
        if not (before_han and after_han if m.group()[0] == "?" else before_han or after_han):
            continue
        if m.group() == "?":
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start : len(text) if line_end < 0 else line_end]
            if ASCII_MARKS_IN_HAN.search(line):
                continue
        what = "'?'" if m.group()[0] == "?" else "private-use character"
        found.append(
            Edit(
                m.start(),
                m.end(),
                m.group(),
                f"{what} inside Han text: probably a character lost by a lossy decoder; "
                "no hypothesis restores it; kept",
                unresolved=True,
                category="lost-character",
            )
        )
    found.sort(key=lambda e: (e.start, e.end))
    edits: list[Edit] = []
    for edit in found:
        if edits and edit.start < edits[-1].end:
            continue
        edits.append(edit)
    return edits
