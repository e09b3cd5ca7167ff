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

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cleanse.lang.chars import CharSearch
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
    text = (
        resources.files("cleanse.data").joinpath("script_markers.tsv").read_text(encoding="utf-8")
    )
    kinds: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            kind, value = line.split("\t")
            kinds.setdefault(kind, set()).add(value)
    return _Markers(
        hant=frozenset(kinds["hant"]),
        hans=frozenset(kinds["hans"]),
        tw_form=frozenset(kinds["tw-form"]),
        std_form=frozenset(kinds["std-form"]),
        hk_form=frozenset(kinds["hk-form"]),
        hk_std=frozenset(kinds["hk-std"]),
        tw_term=frozenset(kinds["tw-term"]),
        cn_term=frozenset(kinds["cn-term"]),
    )


@lru_cache(maxsize=2)
def _term_searcher(kind: str) -> Automaton:
    m = markers()
    return automaton(m.tw_term if kind == "tw" else m.cn_term)


def _count_terms(kind: str, text: str) -> int:
    """Occurrences of the Taiwan (``"tw"``) or mainland (``"cn"``) terms in ``text``."""
    return count_each(_term_searcher(kind), text)


# The kinds of marked character: the script sets (disjoint) and the variant-form
# sets (disjoint, and within the traditional script or beside it).
KINDS = ("hant", "hans", "tw_form", "std_form", "hk_form", "hk_std")


@lru_cache(maxsize=1)
def _marking() -> tuple[dict[int, int], dict[str, tuple[str, ...]]]:
    """One translate table that marks each marked character by the set of kinds it
    belongs to (a mark per combination that occurs: a handful), and the marks of
    each kind. Characters that are marks themselves become NUL, so the marked text
    keeps the text's length and offsets."""
    m = markers()
    sets = dict(
        zip(KINDS, (m.hant, m.hans, m.tw_form, m.std_form, m.hk_form, m.hk_std), strict=True)
    )
    combos: dict[int, tuple[str, ...]] = {}
    for kind, chars in sets.items():
        for ch in chars:
            combos[ord(ch)] = (*combos.get(ord(ch), ()), kind)
    mark_of = {combo: chr(1 + k) for k, combo in enumerate(sorted(set(combos.values())))}
    table = {ord(mark): 0 for mark in mark_of.values()}
    table.update({cp: ord(mark_of[combo]) for cp, combo in combos.items()})
    marks = {
        kind: tuple(mark for combo, mark in mark_of.items() if kind in combo) for kind in KINDS
    }
    return table, marks


class ScriptMarks:
    """Every marked character of a text found in one translate pass; counts for the
    whole text or any span of it are then counts of marks (C speed)."""

    def __init__(self, text: str) -> None:
        table, self._marks = _marking()
        self.marked = text.translate(table)

    def count(self, kind: str, start: int = 0, end: int | None = None) -> int:
        end = len(self.marked) if end is None else end
        return sum(self.marked.count(mark, start, end) for mark in self._marks[kind])

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


def scripts_present(text: str) -> tuple[bool, bool]:
    """Whether ``text`` has any traditional-only and any simplified-only character:
    two searches, much cheaper than counting them (:func:`script_counts`)."""
    hant, hans = _script_searches()
    return hant.found_in(text), hans.found_in(text)


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
    more than a trace.
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
    sample = text[:TERM_SAMPLE]
    counts = {
        "tw_forms": marks.count("tw_form"),
        "std_forms": marks.count("std_form"),
        "hk_forms": marks.count("hk_form"),
        "hk_std": marks.count("hk_std"),
        "tw_terms": _count_terms("tw", sample),
        "cn_terms": _count_terms("cn", sample),
    }
    if counts["hk_forms"] > counts["hk_std"] and counts["hk_forms"] >= 2:
        source = "hongkong"
    elif counts["tw_forms"] > counts["std_forms"]:
        taiwan_phrased = counts["tw_terms"] > counts["cn_terms"] and counts["tw_terms"] >= 3
        source = "taiwan" if taiwan_phrased else "traditional-tw-forms"
    else:
        source = "traditional"
    return ScriptProfile(source, mixed, traditional, simplified, **counts)
