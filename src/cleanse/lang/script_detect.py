"""Which Chinese script, variant forms and phrasing a text is written in.

The markers come from OpenCC's own dictionaries (``data/script_markers.tsv``,
derived by ``tools/build_script_tables.py``):

- script: characters only traditional text uses (`這`, `為`) against characters
  only simplified text uses (`这`, `为`);
- variant forms of traditional text: Taiwan forms (`為`, `裡`, `啟`) against the
  forms OpenCC's standard traditional writes (`爲`, `裏`, `啓`, `着`), and Hong
  Kong forms (`説`, `鋭`) against theirs (`說`, `銳`). A text with Taiwan forms
  writes `著` for the particle zhe (`意味著`), which only the Taiwan
  configurations of OpenCC convert;
- phrasing: Taiwan vocabulary (`影片`, `釋出`, `軟體`) against the mainland
  terms it replaces (`視頻`, `發布`, `軟件`).

Everything is counted, nothing is converted: detection is a cheap scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cleanse.lang.chars import ASTRAL, CharSearch, char_class, holds
from cleanse.lang.hanzi import script_markers, t2s_may_change
from cleanse.lang.multistring import Automaton, automaton, count_each

# How many characters the term counts look at (phrasing is a property of the whole
# text, and a long sample is plenty).
TERM_SAMPLE = 50_000
# A text is one script when the other one's markers are at most this share.
PURE_SHARE = 0.1


@dataclass(frozen=True)
class _Markers:
    hant: frozenset[str]
    hans: frozenset[str]
    tw_form: frozenset[str]
    std_form: frozenset[str]
    hk_form: frozenset[str]
    hk_std: frozenset[str]
    tw_term: frozenset[str]
    cn_term: frozenset[str]


@lru_cache(maxsize=1)
def markers() -> _Markers:
    kinds = script_markers()
    return _Markers(
        hant=kinds["hant"],
        hans=kinds["hans"],
        tw_form=kinds["tw-form"],
        std_form=kinds["std-form"],
        hk_form=kinds["hk-form"],
        hk_std=kinds["hk-std"],
        tw_term=kinds["tw-term"],
        cn_term=kinds["cn-term"],
    )


@lru_cache(maxsize=2)
def _term_searcher(kind: str) -> Automaton:
    m = markers()
    return automaton(m.tw_term if kind == "tw" else m.cn_term)


def _count_terms(kind: str, text: str) -> int:
    """Occurrences of the Taiwan (``"tw"``) or mainland (``"cn"``) terms in ``text``."""
    return count_each(_term_searcher(kind), text)


# The sets of marked characters, by kind: the script sets (disjoint) and the
# variant-form sets (disjoint, and within the traditional script or beside it).
KINDS = ("hant", "hans", "tw_form", "std_form", "hk_form", "hk_std")


class _CharCount:
    """Counts the characters of a set in a span of a text at C speed: a character
    class finds them (a translate pass would cost a dictionary look-up per
    character, marked or not). BMP characters and characters beyond it are counted
    apart: a class mixing both is not compiled to a bitmap and is slow."""

    def __init__(self, chars: Iterable[str]) -> None:
        chars = set(chars)
        bmp = [c for c in chars if ord(c) <= 0xFFFF]
        beyond = [c for c in chars if ord(c) > 0xFFFF]
        self._bmp = re.compile(char_class(bmp)) if bmp else None
        self._beyond = re.compile(char_class(beyond)) if beyond else None

    def count(self, text: str, start: int, end: int, supplementary: bool) -> int:
        """Characters of the set in ``text[start:end]`` (``supplementary``: whether
        the text has characters beyond the BMP at all)."""
        total = len(self._bmp.findall(text, start, end)) if self._bmp else 0
        if supplementary and self._beyond:
            total += len(self._beyond.findall(text, start, end))
        return total


@lru_cache(maxsize=1)
def _counters() -> dict[str, _CharCount]:
    m = markers()
    sets = (m.hant, m.hans, m.tw_form, m.std_form, m.hk_form, m.hk_std)
    return {kind: _CharCount(chars) for kind, chars in zip(KINDS, sets, strict=True)}


class ScriptMarks:
    """Counts of a text's marked characters, for the whole text or any span of it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._counters = _counters()
        self._supplementary = holds(text, ASTRAL)

    def count(self, kind: str, start: int = 0, end: int | None = None) -> int:
        end = len(self.text) if end is None else end
        return self._counters[kind].count(self.text, start, end, self._supplementary)

    def script_counts(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """(traditional-only, simplified-only) characters in ``text[start:end]``."""
        return self.count("hant", start, end), self.count("hans", start, end)

    def line_script(self, start: int = 0, end: int | None = None) -> str | None:
        """``"hant"`` or ``"hans"`` by the majority in ``text[start:end]``; ``None`` when tied."""
        traditional, simplified = self.script_counts(start, end)
        if traditional > simplified:
            return "hant"
        if simplified > traditional:
            return "hans"
        return None


@lru_cache(maxsize=1)
def _script_searches() -> tuple[CharSearch, CharSearch]:
    m = markers()
    return CharSearch(m.hant), CharSearch(m.hans)


def has_traditional(text: str) -> bool:
    """Whether ``text`` has a traditional-only character. Every one is a character
    t2s changes, and whether the text holds one of those is mostly known already
    (the boilerplate shadow asked): where it holds none, nothing is searched."""
    return t2s_may_change(text) and _script_searches()[0].found_in(text)


def has_simplified(text: str) -> bool:
    """Whether ``text`` has a simplified-only character."""
    return _script_searches()[1].found_in(text)


def scripts_present(text: str) -> tuple[bool, bool]:
    """Whether ``text`` has any traditional-only and any simplified-only character:
    two searches, much cheaper than counting them (:func:`script_counts`)."""
    return has_traditional(text), has_simplified(text)


def script_counts(text: str) -> tuple[int, int]:
    """(traditional-only, simplified-only) character counts of ``text``."""
    return ScriptMarks(text).script_counts()


def line_script(text: str) -> str | None:
    """``"hant"`` or ``"hans"`` by the majority of marked characters; ``None`` when tied."""
    return ScriptMarks(text).line_script()


@dataclass(frozen=True)
class ScriptProfile:
    """What :func:`detect_script` found in a text.

    ``source`` is one of ``"simplified"``, ``"traditional"`` (OpenCC's standard
    forms), ``"traditional-tw-forms"`` (Taiwan forms, mainland phrasing),
    ``"taiwan"`` (Taiwan forms and Taiwan phrasing), ``"hongkong"`` or ``"none"``
    (no marked character). ``mixed`` is true when both scripts are present in
    more than a trace. The term counts are 0 unless they were needed (a
    traditional text with Taiwan variant forms).
    """

    source: str
    mixed: bool
    traditional: int
    simplified: int
    tw_forms: int = 0
    std_forms: int = 0
    hk_forms: int = 0
    hk_std: int = 0
    tw_terms: int = 0
    cn_terms: int = 0

    @property
    def dominant(self) -> str | None:
        """``"hant"``, ``"hans"`` or ``None``: the script of most marked characters."""
        if self.traditional > self.simplified:
            return "hant"
        if self.simplified > self.traditional:
            return "hans"
        return None

    def describe(self) -> str:
        label = {
            "simplified": "simplified",
            "traditional": "traditional",
            "traditional-tw-forms": "traditional with Taiwan variant forms",
            "taiwan": "Taiwan-phrased traditional",
            "hongkong": "Hong Kong traditional",
            "none": "no script-specific characters",
        }[self.source]
        return f"{label}{' (mixed with the other script)' if self.mixed else ''}"


def detect_script(text: str, marks: ScriptMarks | None = None) -> ScriptProfile:
    """Profile ``text``: script, traditional variant forms and phrasing (``marks``:
    the text's :class:`ScriptMarks`, when the caller has them)."""
    marks = marks or ScriptMarks(text)
    traditional, simplified = marks.script_counts()
    total = traditional + simplified
    if not total:
        return ScriptProfile("none", False, 0, 0)
    minority = min(traditional, simplified)
    mixed = minority > PURE_SHARE * total and minority >= 2
    if simplified >= traditional:
        return ScriptProfile("simplified", mixed, traditional, simplified)
    counts = {
        "tw_forms": marks.count("tw_form"),
        "std_forms": marks.count("std_form"),
        "hk_forms": marks.count("hk_form"),
        "hk_std": marks.count("hk_std"),
    }
    if counts["hk_forms"] > counts["hk_std"] and counts["hk_forms"] >= 2:
        source = "hongkong"
    elif counts["tw_forms"] > counts["std_forms"]:
        # Phrasing only tells Taiwan text from text with Taiwan forms: the terms are
        # counted for it alone.
        sample = text[:TERM_SAMPLE]
        counts["tw_terms"] = _count_terms("tw", sample)
        counts["cn_terms"] = _count_terms("cn", sample)
        taiwan_phrased = counts["tw_terms"] > counts["cn_terms"] and counts["tw_terms"] >= 3
        source = "taiwan" if taiwan_phrased else "traditional-tw-forms"
    else:
        source = "traditional"
    return ScriptProfile(source, mixed, traditional, simplified, **counts)
