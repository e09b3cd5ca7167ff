"""The cheap scan: which lines of a document could be boilerplate at all.

Article prose is most of what a corpus holds, and classifying every line of it
costs dozens of searches per line. This scan looks at the whole shadow at
once and returns the lines that hold any trace of chrome: every line the
classifier could call chrome or borderline is among them (a property the tests
check on every fixture and on generated text). The stage classifies just
those; when none of them is chrome or borderline, the document has nothing to
remove.

The traces, on the compact shadow (whitespace out, lines joined by LF):

- one Aho-Corasick search for a set of keys: every lexicon word, the required
  literals of the lexicon's regular expressions (:mod:`.literals`), the
  separators of navigation bars and breadcrumbs, the marks of ICP and
  copyright lines. A key that stands for nothing but whole lines, line
  starts or regular expressions (``阅读`` for a counter, ``阅读:12``) marks its line
  only when the line is that line, starts so or matches one of them: the
  classifier sees the lexicon through the same tests (:func:`.lexicon.hits`),
  and prose that merely holds such a word is not classified;
- the few regular expressions whose required literals are too common to look
  for (a date needs only a digit and ``-``): searched as they are, the ones
  anchored at a line start in one pass that stops at line breaks only;
- per line: a lone character or number, and keyword stuffing (four gaps
  between words and two Han characters in a row).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from cleanse.lang.chars import HAN_RANGES
from cleanse.lang.multistring import Automaton, automaton, occurrences
from cleanse.stages.boilerplate.features import BULLET, SHADOW_WHITESPACE
from cleanse.stages.boilerplate.lexicon import search_index
from cleanse.stages.boilerplate.literals import (
    class_first,
    required_literals,
    separator_first,
    worth_searching_for,
)

# Bullets after a line break (the first line's are taken with BULLET itself).
_LINE_BULLET = re.compile("\n" + BULLET.pattern.removeprefix("^"))
# The separators of navigation bars and breadcrumbs (features.SEPARATORS).
_SEPARATORS = ("|", "»", "›", "•", ">")
# Supersets of features.ICP and features.COPYRIGHT without their IGNORECASE: the
# shadow is lower case already, "cp" is part of "icp" whatever stands for its "i",
# and "." stands for the "i" of "copyright".
_ICP = r"cp[备证]\s*\d|公网安备\s*\d"
_COPYRIGHT = r"©|\(c\)\s*\d{4}|copyr.ght|版权所有"
_HAN_PAIR = re.compile(f"[{HAN_RANGES}]{{2}}")
_GAP = re.compile(r"[^\S\n]+")
# Keyword stuffing needs five tokens of up to 12 characters: four gaps, 12 characters.
_STUFFING_GAPS = 4
_STUFFING_LENGTH = 12


@dataclass(frozen=True)
class _KeyCheck:
    """What a line holding a key must also be for the key to mark it: the whole
    line (one of ``lines``), its start (one of ``starts``) or a match of one of
    ``expressions``, the lexicon patterns the key stands for."""

    lines: frozenset[str] = frozenset()
    starts: tuple[str, ...] = ()
    expressions: tuple[re.Pattern[str], ...] = ()

    def holds(self, line: str) -> bool:
        return (
            line.rstrip(":") in self.lines
            or (bool(self.starts) and line.startswith(self.starts))
            or any(e.search(line) is not None for e in self.expressions)
        )


@dataclass(frozen=True)
class _Searches:
    """Every search of the scan, compiled once.

    On the joined text a match may run over a line break (``\\s*``): it then
    marks every line it touches, so a match it hides is still on a marked line.
    """

    keys: Automaton
    # By key index: None where the key marks every line it is on, else its check.
    checks: tuple[_KeyCheck | None, ...]
    anywhere: tuple[re.Pattern[str], ...]
    line_start: re.Pattern[str] | None  # anchored expressions, right after a line break
    first_line: re.Pattern[str] | None  # the same, matched at offset 0


@lru_cache(maxsize=1)
def _searches() -> _Searches:
    index = search_index()
    # Keys that mark every line they are on: separators, substring words, and the
    # literals of the expressions searched for below.
    direct: set[str] = {*_SEPARATORS, *index.substrings}
    lines: dict[str, set[str]] = {}
    starts: dict[str, set[str]] = {}
    expressions: dict[str, list[re.Pattern[str]]] = {}
    # Exact, heading and prefix patterns are substrings of the lines they match.
    for text in index.exact:
        lines.setdefault(text, set()).add(text)
    for text in index.prefix_texts:
        starts.setdefault(text, set()).add(text)
    for keyed_by, pattern in index.keyed_regexes:
        assert pattern.regex is not None
        for literal in keyed_by:
            expressions.setdefault(literal, []).append(pattern.regex)
    anchored: list[str] = []
    anywhere: list[re.Pattern[str]] = []
    others = [p.regex.pattern for p in index.other_regexes if p.regex is not None]
    for expression in [*others, _ICP, _COPYRIGHT]:
        literals = required_literals(expression)
        if literals is not None and worth_searching_for(literals):
            direct.update(literals)
        elif expression.startswith("^"):
            anchored.append(f"(?:{expression[1:]})")
        elif (by_separator := separator_first(expression)) is not None:
            # (A match starts at its separator, on the line its digits are on.)
            anywhere.extend(re.compile(e, re.MULTILINE) for e in by_separator)
        else:
            anywhere.append(re.compile(class_first(expression), re.MULTILINE))
    keys = sorted(({*direct, *lines, *starts, *expressions}) - {""})
    # A key is found within one line: its occurrence names the line it marks.
    assert not any("\n" in key for key in keys)
    checks = tuple(
        None
        if key in direct
        else _KeyCheck(
            frozenset(lines.get(key, ())),
            tuple(sorted(starts.get(key, ()))),
            tuple(expressions.get(key, ())),
        )
        for key in keys
    )
    body = "|".join(anchored)
    return _Searches(
        automaton(keys),
        checks,
        tuple(anywhere),
        # A line break is a literal the engine finds fast; the first line is matched apart.
        re.compile(f"\\n(?:{body})", re.MULTILINE) if anchored else None,
        re.compile(f"(?:{body})", re.MULTILINE) if anchored else None,
    )


def _lines_touched(starts: list[int], spans: Iterable[tuple[int, int]]) -> set[int]:
    marked: set[int] = set()
    for start, end in spans:
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, max(start, end - 1)) - 1
        marked.update(range(first, last + 1))
    return marked


def _compact(shadows: Sequence[str], joined: str) -> tuple[str, bool]:
    """The shadows without whitespace, joined by LF, and whether spaces are the only
    whitespace of ``joined`` (the shadows joined by LF) but its LFs.

    str.split takes out what str.isspace calls whitespace, at C speed; every
    character taken out is a space only if as many were taken out as there are.
    """
    compact = "\n".join(["".join(shadow.split()) for shadow in shadows])
    return compact, len(joined) - len(compact) == joined.count(" ")


def suspect_lines(shadows: Sequence[str]) -> set[int]:
    """Indices of the lines (by their shadows) that could be chrome or borderline."""
    searches = _searches()
    joined_shadow = "\n".join(shadows)
    if any(space in joined_shadow for space in SHADOW_WHITESPACE):
        compact, plain_spaces = _compact(shadows, joined_shadow)
    else:  # spaces are its only whitespace but LFs: one replace takes them out
        compact, plain_spaces = joined_shadow.replace(" ", ""), True
    joined = BULLET.sub("", _LINE_BULLET.sub("\n", compact), count=1)
    lines = joined.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    spans = [m.span() for search in searches.anywhere for m in search.finditer(joined)]
    if searches.line_start is not None and searches.first_line is not None:
        spans += [(m.start() + 1, m.end()) for m in searches.line_start.finditer(joined)]
        first = searches.first_line.match(joined)
        if first is not None:
            spans.append(first.span())
    marked = _lines_touched(starts, spans)
    checks = searches.checks
    for key, start, _ in occurrences(searches.keys, joined):
        i = bisect_right(starts, start) - 1
        if i not in marked:
            check = checks[key]
            if check is None or check.holds(lines[i]):
                marked.add(i)
    for i, compact in enumerate(lines):
        # A lone character or a lone number.
        if len(compact) == 1 or (compact and compact.isdigit()):
            marked.add(i)
    # Keyword stuffing: four gaps between words, so four spaces when spaces are the
    # only whitespace (the common case, checked once for the document).
    if plain_spaces and joined_shadow.count(" ") < _STUFFING_GAPS:
        return marked  # not four spaces in the whole document
    for i, shadow in enumerate(shadows):
        if (
            len(shadow) >= _STUFFING_LENGTH
            and (not plain_spaces or shadow.count(" ") >= _STUFFING_GAPS)
            and not shadow.isascii()  # (no Han character then)
            and _HAN_PAIR.search(shadow)
            and len(_GAP.findall(shadow)) >= _STUFFING_GAPS
        ):
            marked.add(i)
    return marked
