"""Many strings looked for in one pass over a text (Aho-Corasick).

A pass of Python's regular expression engine costs a few nanoseconds per
character and pattern; an alternation of hundreds of words costs more, since
the engine tries them one after the other. An Aho-Corasick automaton reads the
text once, whatever the number of strings.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick_rs

from cleanse.lang.hanzi import SURROGATE

Automaton = ahocorasick_rs.AhoCorasick


def automaton(strings: Iterable[str]) -> Automaton:
    """An automaton for ``strings`` (none of them empty), indexed in sorted order."""
    return ahocorasick_rs.AhoCorasick(
        sorted(set(strings)), implementation=ahocorasick_rs.Implementation.DFA
    )


def occurrences(searcher: Automaton, text: str) -> list[tuple[int, int, int]]:
    """Every occurrence in ``text`` as (string index, start, end), overlapping ones too.

    Lone surrogates (a Python string, not decoded bytes) are in no string; a
    stand-in of the same length keeps the offsets.
    """
    try:
        return searcher.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:
        return searcher.find_matches_as_indexes(SURROGATE.sub("\ufffd", text), overlapping=True)


def count_each(searcher: Automaton, text: str) -> int:
    """The sum, over the automaton's strings, of ``text.count(string)``: each string's
    non-overlapping occurrences, counted from the left."""
    free_from: dict[int, int] = {}
    total = 0
    for index, start, end in occurrences(searcher, text):
        if start >= free_from.get(index, 0):
            total += 1
            free_from[index] = end
    return total
