"""punctuation: full-width CJK punctuation where a folding left ASCII marks in Chinese text.

A byte-level punctuation pass or NFKC folds `，：；？！（）` into `,:;?!()`
(`2月16日,中国`). With ``policy="cjk"`` (the default; ``"keep"`` does nothing)
the marks come back where the context is Chinese:

- `,` `;` `:` become `，` `；` `：` when one neighbour is a Han character or CJK
  punctuation and the other is not a space: `日,中` `日,2024` `Sora,在`
  `来源:数字营销` `电话:400-068-7188` (a `:` after a Chinese label is Chinese
  even before Latin or digits). With a space after the mark (`名称: 北京`) or
  Latin on both sides it stays ASCII: `10,000K`, `09:33`, `ID:wujicaijing`,
  `GPT-4,Gemini`.
- `?` `!` become `？` `！` when they close a Chinese clause (a Han character or
  CJK punctuation before them, whatever follows) or when a Han character
  follows a non-space. A `?` that is a lossy decoder's mark for a lost byte is
  left alone: one followed by a pinyin syllable and `)` (`?xí)`), next to a
  private-use character, or a run of `?` glued to Han text (`??紤`).
- `(...)` becomes `（...）` when the pair sits in Chinese text (CJK right before
  `(` or right after `)`) and holds CJK text: `Bug(漏洞)不少` -> `Bug（漏洞）不少`.
  A pair that holds only Latin text, digits or symbols keeps its ASCII
  parentheses, as much mainland print sets them: `杰夫·迪恩(Jeff Dean)解释`,
  `字母榜(ID:wujicaijing)`. Restoring full-width ones there would guess at a
  house style the folding erased.
- Nothing inside a URL or an e-mail address changes; `.` and `-` never change
  (`Gemini 1.5 Pro`, `GPT-4`, `3-7秒`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import ClassVar

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage
from cleanse.core.textview import VisibleText, found_in
from cleanse.lang.chars import INVISIBLE_RUN, is_cjk_punctuation, is_han, is_private_use

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
CLAUSE_MARKS = ",;:"
SENTENCE_MARKS = "?!"
MARKS = re.compile(r"[,;:?!]")
# ASCII runs that are addresses; trailing sentence punctuation is not part of them.
ADDRESS = re.compile(
    r"(?:https?://|ftp://|www\.)[\x21-\x7e]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
)
ADDRESS_TRAILER = ",.;:!?)]}'\""
PAIR = re.compile(r"\(([^()\n]*)\)")
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
_HINT = re.compile(r"[,;:?!()]")


# What _is_cjk accepts, as a class for searching a whole stretch at once.
_CJK_CHAR = re.compile(
    "[\u3001-\u303f\uff01-\uff0f\uff1a-\uff20"
    "\u201c\u201d\u2018\u2019\u2026\u2014\u00b7\uff5e\uff3b\uff3d\uff5b\uff5d"
    "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]"
)


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


POLICIES = ("cjk", "keep")
LONG_RUN = 8
MAX_ROUNDS = 4


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


def mark_edit(text: str, i: int) -> Edit | None:
    """The edit for the ASCII mark at ``text[i]``, or ``None`` when it stays."""
    mark = text[i]
    before = _neighbour(text, i, -1)
    after = _neighbour(text, i, 1)
    if mark == "?" and _lost_byte_mark(text, i):
        return None
    if mark in CLAUSE_MARKS:
        chinese = (_is_cjk(before) and not after.isspace()) or (
            _is_cjk(after) and bool(before) and not before.isspace()
        )
    else:
        chinese = _is_cjk(before) or (
            bool(after) and is_han(after) and bool(before) and not before.isspace()
        )
    if not chinese:
        return None
    return Edit(
        i,
        i + 1,
        FULL_WIDTH[mark],
        f"ASCII {mark} in Chinese text to full-width {FULL_WIDTH[mark]}",
        confidence=0.9,
        category="cjk-punctuation",
    )


def pair_edits(text: str, start: int, end: int, converted: set[int]) -> list[Edit]:
    """Edits for the parentheses at ``start`` and ``end - 1`` when the pair is Chinese.

    ``converted`` holds the positions of ASCII marks that become full-width, so
    `(漏洞),` counts as followed by Chinese punctuation.
    """
    inner = text[start + 1 : end - 1]
    if _CJK_CHAR.search(inner) is None:
        return []
    outside = (start - 1, end)
    if not any(0 <= j < len(text) and (_is_cjk(text[j]) or j in converted) for j in outside):
        return []
    reason = "ASCII parentheses around Chinese text in Chinese text to full-width （）"
    return [
        Edit(start, start + 1, "（", reason, confidence=0.9, category="cjk-punctuation"),
        Edit(end - 1, end, "）", reason, confidence=0.9, category="cjk-punctuation"),
    ]


class PunctuationStage(TextStage):
    """Restore full-width CJK punctuation where ASCII marks sit in Chinese text."""

    name = "punctuation"
    description = "restore full-width CJK punctuation where ASCII marks sit in Chinese text"
    option_help: ClassVar[Mapping[str, str]] = {
        "policy": (
            "cjk: ASCII , ; : ? ! ( ) inside Chinese text become full-width (Latin context,\n"
            "URLs, e-mail, numbers and times keep ASCII); keep: leave punctuation as it is."
        ),
    }

    def __init__(self, policy: str = "cjk") -> None:
        super().__init__()
        if policy not in POLICIES:
            raise ValueError(f"unknown punctuation policy {policy!r}")
        self.policy = policy

    def wants(self, doc: Document) -> bool:
        return self.policy == "cjk" and _HINT.search(doc.text) is not None

    def edits(self, doc: Document) -> Iterable[Edit]:
        # Marks are judged as they will stand once normalize has removed invisible
        # and control characters (`一\x01??` is `一??`), as a second cleaning sees them.
        if not found_in(INVISIBLE_RUN, doc.text):
            return self._converged(doc.text)
        view = VisibleText(doc.text, INVISIBLE_RUN)
        return view.edits_in_text(self._converged(view.text))

    @classmethod
    def _converged(cls, text: str) -> list[Edit]:
        # A mark's context can be another mark that becomes full-width (`　:!`), so the
        # decisions are repeated on the converted text until nothing changes: the
        # stage then gives the same result when run again. Every edit replaces one
        # character with one, so positions stay aligned between rounds.
        final: dict[int, Edit] = {}
        for _ in range(MAX_ROUNDS):
            found = [e for e in cls._round(text) if e.start not in final]
            if not found:
                break
            chars = list(text)
            for edit in found:
                chars[edit.start] = edit.after
                final[edit.start] = edit
            text = "".join(chars)
        return sorted(final.values(), key=lambda e: e.start)

    @staticmethod
    def _round(text: str) -> list[Edit]:
        addresses = _address_spans(text)
        edits: list[Edit] = []
        for m in MARKS.finditer(text):
            if _inside(addresses, m.start()):
                continue
            edit = mark_edit(text, m.start())
            if edit is not None:
                edits.append(edit)
        converted = {e.start for e in edits}
        for m in PAIR.finditer(text):
            if _inside(addresses, m.start()) or _inside(addresses, m.end() - 1):
                continue
            edits.extend(pair_edits(text, m.start(), m.end(), converted))
        return edits
