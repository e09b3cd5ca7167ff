"""What the layout passes need to know about characters and lines."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from cleanse.lang.chars import is_cjk_punctuation, is_han, is_kana

# Characters that end a sentence, and the ones that end a clause so firmly that
# a line ending with them is never continued by a join (a list item, a lead-in).
SENTENCE_END = frozenset("。！？!?…．｡.")
FIRM_STOP = frozenset("；;：:")
# Closing quotes and brackets that may follow the end of a sentence.
CLOSERS = frozenset("”’」』）)》〉】]\"'")
# Punctuation that says a line holds running text (a heading or a field line
# like "编辑:张三 美编:李四" has none of it).
PROSE_PUNCTUATION = frozenset("，。、；！？,;!?")
PROSE_MARK = re.compile(f"[{re.escape(''.join(sorted(PROSE_PUNCTUATION)))}]")
# Full-width stops: they carry their own spacing, so a space beside them is never style.
FULL_WIDTH_STOPS = frozenset("，。、；：！？")
# Half-width punctuation used inside CJK text by many documents.
ASCII_STOPS = frozenset(",;:!?.")
SPACES = " \u00a0\u3000"
# What surrounds a line's content (a CR of a CRLF ending included: normalize runs later).
EDGE = SPACES + "\t\r"
REPLACEMENT = "\ufffd"

# A line that is only a page number, a folio like "- 12 -" or one symbol left by an image.
STRAY_LINE = re.compile(
    r"[ \t\u3000]*(?:\d{1,4}|[-–—]\s?\d{1,4}\s?[-–—]|第\s?\d{1,4}\s?[页頁]|[^\w\s])[ \t\u3000]*"
)
# The start of a list item or a numbered heading: never the continuation of a line.
LIST_MARKER = re.compile(
    r"[ \t\u3000]*(?:[-*•·●○■□◆◇▪▶►]\s?|\d{1,3}[.)、）．](?!\d)|[（(]\d{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十百\d]{1,4}[章节節条條回部篇卷])"
)


def is_cjk_text(ch: str) -> bool:
    """A character of running CJK text written without spaces (not hangul)."""
    return is_han(ch) or is_kana(ch) or is_cjk_punctuation(ch)


def is_latin(ch: str) -> bool:
    return ch.isalpha() and ch.isascii()


def is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or "\uff10" <= ch <= "\uff19"


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    """Cells a character takes in a column: 2 for CJK, 1 for Latin."""
    if unicodedata.east_asian_width(ch) in ("W", "F") or is_cjk_punctuation(ch):
        return 2
    return 1


def text_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def closes_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence or a clause that is never continued.

    Closing quotes and brackets are looked through: ``说完了。”`` ends,
    ``他的“量变”`` does not. A line ending in a replacement character was cut
    off, not wrapped, so it counts as closed too.
    """
    end = len(text.rstrip())
    while end > 0 and text[end - 1] in CLOSERS:
        end -= 1
    if end == 0:
        return True
    last = text[end - 1]
    return last in SENTENCE_END or last in FIRM_STOP or last == REPLACEMENT


# Share of CJK characters from which a paragraph is treated as CJK text. Line
# breaks in Latin-script text (e-mail, plain-text books, code) are left alone:
# whether to reflow them is the user's choice, and code looks much the same.
CJK_SHARE = 0.3


def is_cjk_paragraph(text: str) -> bool:
    letters = [ch for ch in text if not ch.isspace()]
    return bool(letters) and sum(map(is_cjk_text, letters)) >= CJK_SHARE * len(letters)


def is_heading_like(text: str) -> bool:
    """A short line without prose punctuation: a heading, a caption, a field line."""
    body = text.strip()
    return len(body) <= 30 and not any(ch in PROSE_PUNCTUATION for ch in body)


def is_prose(text: str) -> bool:
    """A line of running text: prose punctuation past any list marker."""
    marker = LIST_MARKER.match(text)
    return PROSE_MARK.search(text, marker.end() if marker else 0) is not None


class Line:
    """A line of the text: ``start``..``end`` without its newline. (A written-out
    constructor, native when compiled; a frozen dataclass's runs in Python.)"""

    __slots__ = ("end", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text

    def __repr__(self) -> str:
        return f"Line({self.start}, {self.end}, {self.text!r})"

    @property
    def blank(self) -> bool:
        return not self.text.strip(EDGE)

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(EDGE))

    @property
    def content_start(self) -> int:
        return self.start + self.indent

    @property
    def content_end(self) -> int:
        return self.start + len(self.text.rstrip(EDGE))

    @property
    def content(self) -> str:
        return self.text.strip(EDGE)

    @property
    def stray(self) -> bool:
        return STRAY_LINE.fullmatch(self.text) is not None

    @property
    def list_item(self) -> bool:
        return LIST_MARKER.match(self.text) is not None


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for part in text.split("\n"):
        lines.append(Line(pos, pos + len(part), part))
        pos += len(part) + 1
    return lines


# What closes a line's sentence, and what may trail it before the line break.
LINE_CLOSERS = frozenset("。！？!?…．｡.；;：:\ufffd")
TRAILING = frozenset(" \t\u3000\r")


def has_open_line(text: str) -> bool:
    """Whether a line ends without closing its sentence and more text follows.

    Visits each line break (a handful per document) instead of trying a pattern at
    every character.
    """
    last = len(text.rstrip())  # text follows a line break only before this offset
    pos = text.find("\n")
    while 0 <= pos < last:
        i = pos - 1
        while i >= 0 and text[i] in TRAILING:
            i -= 1
        if i >= 0 and not text[i].isspace() and text[i] not in LINE_CLOSERS:
            return True
        pos = text.find("\n", pos + 1)
    return False
