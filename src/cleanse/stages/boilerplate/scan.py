"""The cheap scan: which lines of a document could be boilerplate at all.

Article prose is most of what a corpus holds, and classifying every line of it
costs dozens of searches per line. This scan runs a handful of searches over
the whole shadow instead (one alternation of every lexicon word, the lexicon's
regular expressions, the structural marks the classifier looks for) and
returns the lines that match any of them: every line the classifier could call
chrome or borderline is among them (a property the tests check on every
fixture and on generated text). The stage classifies just those; when none of
them is chrome or borderline, the document has nothing to remove.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache

from cleanse.stages.boilerplate.features import BULLET
from cleanse.stages.boilerplate.lexicon import lexicon

_SPACES = re.compile(r"[^\S\n]+")
_LINE_BULLET = re.compile(BULLET.pattern, re.MULTILINE)
# The separators of navigation bars and breadcrumbs (features.SEPARATORS).
_SEPARATOR = re.compile(r"[|»›•>]")
_HAN_PAIR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]{2}")
# Supersets of features.ICP and features.COPYRIGHT without their IGNORECASE, which
# would make them ten times slower: the shadow is lower case already, "cp" is part of
# "icp" whatever stands for its "i", and "." stands for the "i" of "copyright".
_ICP = re.compile(r"cp[备证]\s*\d|公网安备\s*\d")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|copyr.ght|版权所有")
_GAP = re.compile(r"[^\S\n]+")
# Keyword stuffing needs five tokens of up to 12 characters: four gaps, 12 characters.
_STUFFING_GAPS = 4
_STUFFING_LENGTH = 12


@lru_cache(maxsize=1)
def _searches() -> tuple[re.Pattern[str], ...]:
    """Every search of the scan, compiled once, run over the whole compact shadow."""
    words: set[str] = set()
    anchored: list[str] = []
    floating: list[re.Pattern[str]] = []
    for pattern in lexicon():
        if pattern.regex is None:
            # Exact, heading and prefix patterns are substrings of the lines they match.
            words.add(pattern.text)
        elif pattern.regex.pattern.startswith("^"):
            anchored.append(pattern.regex.pattern[1:])
        else:
            floating.append(re.compile(pattern.regex.pattern, re.MULTILINE))
    searches: list[re.Pattern[str]] = [_SEPARATOR, _ICP, _COPYRIGHT]
    if words - {""}:
        searches.append(re.compile(_trie(words - {""})))
    if anchored:
        searches.append(
            re.compile("^(?:" + "|".join(f"(?:{a})" for a in anchored) + ")", re.MULTILINE)
        )
    searches.extend(floating)
    # On the joined text a match may run over a line break (``\s*``): it then
    # marks every line it touches, so a match it hides is still on a marked line.
    return tuple(searches)


def _trie(words: Iterable[str]) -> str:
    """One regular expression for ``words``, shared prefixes factored out.

    The regular expression engine tries the alternatives of a group one by one;
    a trie makes that one per distinct next character instead of one per word.
    """
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


def _line_starts(joined: str) -> list[int]:
    starts = [0]
    pos = joined.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = joined.find("\n", pos + 1)
    return starts


def _lines_touched(joined: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    starts = _line_starts(joined)
    marked: set[int] = set()
    for start, end in spans:
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, max(start, end - 1)) - 1
        marked.update(range(first, last + 1))
    return marked


def suspect_lines(shadows: Sequence[str]) -> set[int]:
    """Indices of the lines (by their shadows) that could be chrome or borderline."""
    joined = _LINE_BULLET.sub("", _SPACES.sub("", "\n".join(shadows)))
    spans = [m.span() for search in _searches() for m in search.finditer(joined)]
    marked = _lines_touched(joined, spans)
    for i, compact in enumerate(joined.split("\n")):
        # A lone character or a lone number.
        if len(compact) == 1 or (compact and compact.isdigit()):
            marked.add(i)
    for i, shadow in enumerate(shadows):
        if (
            len(shadow) >= _STUFFING_LENGTH
            and _HAN_PAIR.search(shadow)
            and len(_GAP.findall(shadow)) >= _STUFFING_GAPS
        ):
            marked.add(i)
    return marked
