"""Which ASCII marks of a text stand in Chinese context: the judgement of the
punctuation stage, on a whole text at once (compiled where a compiler is: it
looks at every mark of every document).
"""

from __future__ import annotations

import bisect
import re

from cleanse.lang.chars import (
    is_cjk_punctuation,
    is_han,
    is_private_use,
    literal_first,
    match_starts,
)

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
CLAUSE_MARKS = ",;:"
SENTENCE_MARKS = "?!"
MARK_CHARS = CLAUSE_MARKS + SENTENCE_MARKS
_MARK_SEARCHES = literal_first(MARK_CHARS)
# ASCII runs that are addresses; trailing sentence punctuation is not part of them.
ADDRESS = re.compile(
    r"(?:https?://|ftp://|www\.)[\x21-\x7e]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
)
ADDRESS_TRAILER = ",.;:!?)]}'\""
# A `?` standing for a lost byte: followed by a pinyin syllable and `)`, or by a few
# characters and a parenthesised syllable the annotations stage could not match.
LOST_BYTE_PINYIN = re.compile(
    r"\?+(?:[a-zü\u00e0-\u01dc\u0300-\u036f]{1,7}[)）]"
    r"|\S{1,4}?[(（][a-zü\u00e0-\u01dc\u0300-\u036f]{1,7}[)）])"
)
# Looked past when finding a mark's neighbours: quotes and parentheses do not decide
# the context, and invisible or control characters are removed later by normalize
# (judging across them now keeps a second cleaning from changing anything).
TRANSPARENT = frozenset(
    "\"'()\u00ad\u200b\u200c\u200d\u2060\ufeff"
    + "".join(map(chr, range(0x00, 0x09)))
    + "".join(map(chr, range(0x0E, 0x20)))
    + "".join(map(chr, range(0x7F, 0xA0)))
)


# What _is_cjk accepts, as a class for searching a whole stretch at once.
_CJK_CHAR = re.compile(
    "[\u3001-\u303f\uff01-\uff0f\uff1a-\uff20"
    "\u201c\u201d\u2018\u2019\u2026\u2014\u00b7\uff5e\uff3b\uff3d\uff5b\uff5d"
    "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]"
)
# A pair of ASCII parentheses on one line that holds CJK text (innermost pairs: the
# text between holds no parenthesis, so the pairs found do not depend on each other).
# The CJK test is a lookahead: a lazy scan to a CJK character followed by a greedy
# one to the `)` would backtrack quadratically over a long unclosed run of Han text.
CJK_PAIR = re.compile(rf"\((?=[^()\n]*?{_CJK_CHAR.pattern})[^()\n]*\)")


def _is_cjk(ch: str) -> bool:
    # The ideographic space is spacing, not Chinese context (and the layout stage,
    # which runs earlier, may remove it beside full-width marks).
    return bool(ch) and ch != "\u3000" and (is_han(ch) or is_cjk_punctuation(ch))


def _address_spans(text: str) -> list[tuple[int, int]]:
    if "@" not in text and "://" not in text and "www." not in text:
        return []  # what every address needs, found by three C scans
    spans = []
    for m in ADDRESS.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ADDRESS_TRAILER:
            end -= 1
        spans.append((m.start(), end))
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """``pos`` lies in one of ``spans`` (sorted, not overlapping)."""
    if not spans:
        return False
    i = bisect.bisect_right(spans, pos, key=lambda span: span[0]) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


LONG_RUN = 8


def _lost_byte_mark(text: str, i: int) -> bool:
    """True when the ``?`` at ``i`` looks like a decoder's mark for a lost byte."""
    # A run of more than LONG_RUN marks is damage whatever surrounds it; capping the
    # scan keeps a page of question marks linear.
    start = i
    while start > 0 and text[start - 1] == "?":
        start -= 1
        if i - start > LONG_RUN:
            return True
    end = i
    while end < len(text) and text[end] == "?":
        end += 1
        if end - i > LONG_RUN:
            return True
    if LOST_BYTE_PINYIN.match(text, start):
        return True
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if any(ch and is_private_use(ch) for ch in (before, after)) or after == "(":
        return True
    # `??紤`, `治??;`: two or more marks glued to text on the right, or a mark
    # followed by another ASCII clause mark.
    return (end - start >= 2 and bool(after) and not after.isspace() and after not in "\"'") or (
        after in CLAUSE_MARKS and bool(after)
    )


def _neighbour(text: str, i: int, step: int) -> str:
    """The character next to ``text[i]`` in direction ``step``, looking past straight
    quotes and ASCII parentheses (`王炸",AI`, `了)",`): they do not decide the context."""
    j = i + step
    while 0 <= j < len(text) and text[j] in TRANSPARENT:
        j += step
    return text[j] if 0 <= j < len(text) else ""


def is_chinese_mark(text: str, i: int) -> bool:
    """Whether the ASCII mark at ``text[i]`` becomes full-width."""
    mark = text[i]
    # Most neighbours are not transparent: the walk past them is taken only when needed.
    before = text[i - 1] if i else ""
    if before in TRANSPARENT:
        before = _neighbour(text, i, -1)
    after = text[i + 1] if i + 1 < len(text) else ""
    if after in TRANSPARENT:
        after = _neighbour(text, i, 1)
    if mark in CLAUSE_MARKS:
        chinese = (_is_cjk(before) and not after.isspace()) or (
            _is_cjk(after) and bool(before) and not before.isspace()
        )
    else:
        chinese = _is_cjk(before) or (
            bool(after) and is_han(after) and bool(before) and not before.isspace()
        )
    return chinese and not (mark == "?" and _lost_byte_mark(text, i))


def is_chinese_pair(text: str, start: int, end: int, converted: set[int]) -> bool:
    """Whether the parentheses of the CJK_PAIR match ``text[start:end]`` become full-width.

    ``converted`` holds the positions of ASCII marks that become full-width, so
    `(漏洞),` counts as followed by Chinese punctuation.
    """
    outside = (start - 1, end)
    return any(0 <= j < len(text) and (_is_cjk(text[j]) or j in converted) for j in outside)


def with_full_width(text: str, positions: list[int]) -> str:
    """``text`` with the ASCII marks at ``positions`` (ascending) made full-width."""
    pieces: list[str] = []
    done = 0
    for i in positions:
        pieces += (text[done:i], FULL_WIDTH[text[i]])
        done = i + 1
    pieces.append(text[done:])
    return "".join(pieces)


def changed_positions(text: str) -> list[int]:
    """The positions (ascending) of the ASCII marks and parentheses of ``text`` that
    become full-width. Edits are built once, after the last round."""
    addresses = _address_spans(text)
    marks = [
        i
        for i in match_starts(_MARK_SEARCHES, text)
        if not _inside(addresses, i) and is_chinese_mark(text, i)
    ]
    converted = set(marks)
    parentheses: list[int] = []
    for m in CJK_PAIR.finditer(text):
        start, end = m.span()
        if _inside(addresses, start) or _inside(addresses, end - 1):
            continue
        if is_chinese_pair(text, start, end, converted):
            parentheses += (start, end - 1)
    return sorted(marks + parentheses)
