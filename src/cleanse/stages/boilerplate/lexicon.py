"""Keyword lexicons per boilerplate category, loaded from ``data/boilerplate/*.txt``.

The file format is described in ``data/boilerplate/README.md``. Patterns are
in simplified script and are matched against a line's shadow (see
:mod:`cleanse.stages.boilerplate.features`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cleanse.lang.multistring import Automaton, automaton, occurrences
from cleanse.stages.boilerplate.literals import (
    class_first,
    required_literals,
    worth_searching_for,
)

# Kinds that are not chrome but not article text either: kept or dropped by policy.
BORDERLINE_KINDS: tuple[str, ...] = ("credit", "dateline", "caption", "references")

STRONG = 2
WEAK = 1


@dataclass(frozen=True)
class Pattern:
    category: str
    kind: str  # "exact", "heading", "prefix", "regex", "substring"
    text: str
    weight: int
    regex: re.Pattern[str] | None = None

    def match(self, compact: str) -> str | None:
        """What the pattern matched in ``compact`` (for a regex: the matched text), or None."""
        if self.kind in ("exact", "heading"):
            return self.text if compact.rstrip(":") == self.text else None
        if self.kind == "prefix":
            return self.text if compact.startswith(self.text) else None
        if self.kind == "regex":
            assert self.regex is not None
            found = self.regex.search(compact)
            return found.group() if found else None
        return self.text if self.text in compact else None


@dataclass(frozen=True)
class Hit:
    category: str
    pattern: str
    weight: int
    heading: bool


_PREFIXES = {"=": "exact", "@": "heading", "^": "prefix", "~": "regex", "+": "substring"}


def parse(category: str, text: str) -> list[Pattern]:
    patterns: list[Pattern] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind = _PREFIXES.get(line[0])
        if kind is None:
            patterns.append(Pattern(category, "substring", line.lower(), WEAK))
            continue
        body = line[1:].strip()
        if kind == "regex":
            patterns.append(Pattern(category, kind, body, STRONG, re.compile(body)))
        else:
            patterns.append(Pattern(category, kind, body.lower().rstrip(":"), STRONG))
    return patterns


@lru_cache(maxsize=1)
def lexicon() -> tuple[Pattern, ...]:
    """Every pattern of every category file, in a stable order."""
    folder = resources.files("cleanse.data").joinpath("boilerplate")
    patterns: list[Pattern] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            patterns.extend(parse(entry.name[:-4], entry.read_text(encoding="utf-8")))
    return tuple(patterns)


@dataclass(frozen=True)
class SearchIndex:
    """The lexicon arranged for fast matching.

    Exact lines by dict; every substring pattern, and the required literals of
    every regular expression that has good ones (:mod:`.literals`), in one
    Aho-Corasick automaton: a line is searched once for all of them, and an
    expression runs only on a line that holds one of its literals.
    """

    exact: dict[str, list[Pattern]]
    prefixes: tuple[tuple[str, Pattern], ...]
    prefix_texts: tuple[str, ...]  # for one str.startswith over all of them
    keys: Automaton
    key_texts: tuple[str, ...]
    substrings: dict[str, list[Pattern]]  # key -> the substring patterns it is
    keyed_regexes: tuple[tuple[frozenset[str], Pattern], ...]
    other_regexes: tuple[Pattern, ...]  # no literal worth looking for: always run
    other_searches: tuple[tuple[re.Pattern[str], Pattern], ...]  # the same, class first
    order: dict[int, int]  # id of a pattern -> its place in the lexicon


@lru_cache(maxsize=1)
def search_index() -> SearchIndex:
    exact: dict[str, list[Pattern]] = {}
    prefixes: list[tuple[str, Pattern]] = []
    substrings: dict[str, list[Pattern]] = {}
    keyed: list[tuple[frozenset[str], Pattern]] = []
    others: list[Pattern] = []
    for p in lexicon():
        if p.kind in ("exact", "heading"):
            exact.setdefault(p.text, []).append(p)
        elif p.kind == "prefix":
            prefixes.append((p.text, p))
        elif p.kind == "substring":
            substrings.setdefault(p.text, []).append(p)
        else:
            assert p.regex is not None
            literals = required_literals(p.regex.pattern)
            if literals is not None and worth_searching_for(literals):
                keyed.append((literals, p))
            else:
                others.append(p)
    key_texts = tuple(sorted({*substrings, *(k for lits, _ in keyed for k in lits)} - {""}))
    order = {id(p): k for k, p in enumerate(lexicon())}
    # Compiled with a leading character class where that is the same expression:
    # the engine then tries them only where the class matches.
    other_searches = tuple(
        (re.compile(class_first(p.regex.pattern), p.regex.flags), p)
        for p in others
        if p.regex is not None
    )
    return SearchIndex(
        exact,
        tuple(prefixes),
        tuple(text for text, _ in prefixes),
        automaton(key_texts),
        key_texts,
        substrings,
        tuple(keyed),
        tuple(others),
        other_searches,
        order,
    )


def hits(compact: str) -> list[Hit]:
    """The patterns ``compact`` (a line's shadow without whitespace) matches, in lexicon order."""
    index = search_index()
    found: list[tuple[Pattern, str]] = [
        (p, p.text) for p in index.exact.get(compact.rstrip(":"), ())
    ]
    if compact.startswith(index.prefix_texts):
        found += [(p, text) for text, p in index.prefixes if compact.startswith(text)]
    present = {index.key_texts[k] for k, _, _ in occurrences(index.keys, compact)}
    if present:
        for key in present:
            found += [(p, key) for p in index.substrings.get(key, ())]
        for literals, p in index.keyed_regexes:
            if not literals.isdisjoint(present):
                assert p.regex is not None
                m = p.regex.search(compact)
                if m is not None:
                    found.append((p, m.group()))
    for search, p in index.other_searches:
        m = search.search(compact)
        if m is not None:
            found.append((p, m.group()))
    found.sort(key=lambda item: index.order[id(item[0])])
    return [Hit(p.category, text, p.weight, p.kind == "heading") for p, text in found]
