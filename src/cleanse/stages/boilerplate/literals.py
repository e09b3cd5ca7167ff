"""What text a regular expression cannot match without: its required literals.

``required_literals(r"(发布时间|时间):\\d{4}")`` is ``{"发布时间:", "时间:"}``:
every match contains one of them. The scan (:mod:`.scan`) looks for these
strings with one multi-string search instead of running each expression over
the text; a line that holds none of them cannot match.

The expression is read with the parser of Python's own ``re`` module, so the
answer follows exactly the syntax the classifier compiles. Anything the walk
does not understand (case-insensitive parts, categories such as ``\\d``, large
classes) simply requires nothing, and the caller keeps the expression.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

from cleanse.lang.hanzi import is_common_han

# The parser of the re module: re._parser since Python 3.11, sre_parse before.
_NEW_NAMES = sys.version_info >= (3, 11)
sre_parse: Any = importlib.import_module("re._parser" if _NEW_NAMES else "sre_parse")
sre_constants: Any = importlib.import_module("re._constants" if _NEW_NAMES else "sre_constants")

# Largest set of alternatives kept when alternatives are multiplied out.
MAX_ALTERNATIVES = 64
# Largest character class taken as a set of alternatives.
MAX_CLASS = 8

LITERAL = sre_constants.LITERAL
IN = sre_constants.IN
RANGE = sre_constants.RANGE
SUBPATTERN = sre_constants.SUBPATTERN
BRANCH = sre_constants.BRANCH
REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


def _class(items: list[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is LITERAL:
            chars.add(chr(av))
        elif op is RANGE and av[1] - av[0] < MAX_CLASS:
            chars.update(chr(cp) for cp in range(av[0], av[1] + 1))
        else:
            return None  # negation, categories, large ranges
    return chars if len(chars) <= MAX_CLASS else None


def _exact(item: tuple[Any, Any]) -> set[str] | None:
    """The strings ``item`` matches, when it matches one of a few fixed strings."""
    op, av = item
    if op is LITERAL:
        return {chr(av)}
    if op is IN:
        return _class(av)
    if op is SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return None if add_flags & re.IGNORECASE else _exact_sequence(list(body))
    if op is BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            strings = _exact_sequence(list(alternative))
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= MAX_ALTERNATIVES else None
    return None


def _exact_sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    out = {""}
    for item in items:
        strings = _exact(item)
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > MAX_ALTERNATIVES:
            return None
    return out


def _shortest(strings: set[str]) -> int:
    return min(map(len, strings))


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The best requirement of a sequence: its longest run of fixed strings, or
    what a part it cannot skip requires."""
    best: set[str] | None = None

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if not candidate or "" in candidate:
            return
        if best is None or _shortest(candidate) > _shortest(best):
            best = candidate

    run = {""}
    for item in items:
        strings = _exact(item)
        if strings is not None:
            longer = {a + b for a in run for b in strings}
            if len(longer) <= MAX_ALTERNATIVES:
                run = longer
                continue
            consider(run)
            run = strings
            continue
        consider(run)
        run = {""}
        op, av = item
        if op in REPEATS and av[0] >= 1:
            consider(_required(list(av[2])))
        elif op is SUBPATTERN and not av[1] & re.IGNORECASE:
            consider(_required(list(av[3])))
        elif op is BRANCH:
            each = [_required(list(alternative)) for alternative in av[1]]
            if all(each):
                consider(set().union(*[s for s in each if s]))
    consider(run)
    return best


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or ``None``."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _required(list(parsed))
    return frozenset(found) if found else None


def worth_searching_for(literals: frozenset[str]) -> bool:
    """Whether searching for ``literals`` beats running the expression: strings of
    two characters or more, or single characters that running text seldom holds."""
    return bool(literals) and all(
        len(s) >= 2 or not (s.isascii() or is_common_han(s) or s.isspace()) for s in literals
    )


def class_first(expression: str) -> str:
    """``\\d{4}...`` written ``\\d\\d{3}...``: the same expression, but one that
    starts with a character class, which the engine only tries where the class
    matches (a leading repeat is tried at every position)."""
    lead = re.match(r"\\d\{(\d+)\}", expression)
    if lead is None or int(lead.group(1)) < 1:
        return expression
    return f"\\d\\d{{{int(lead.group(1)) - 1}}}{expression[lead.end() :]}"


_LEADING_DIGITS_AND_CLASS = re.compile(r"\\d\{(\d+)\}(\[(?:\\.|[^\]\\])+\])")


def separator_first(expression: str) -> tuple[str, ...] | None:
    """``\\d{4}[-/]...`` written as ``-(?<=\\d{4}-)...`` and ``/(?<=\\d{4}/)...``: one
    expression for each character of the class after the digits, starting with it
    as a literal, which the engine skips ahead to at memory-scan speed (a leading
    ``\\d`` is tested at every character). Together they match where the expression
    does, each match starting at the class instead of the digits; ``None`` for an
    expression of another shape."""
    lead = _LEADING_DIGITS_AND_CLASS.match(expression)
    if lead is None:
        return None
    parsed = list(sre_parse.parse(lead.group(2)))
    chars = _class(list(parsed[0][1])) if len(parsed) == 1 and parsed[0][0] is IN else None
    if not chars:
        return None
    digits, rest = lead.group(1), expression[lead.end() :]
    return tuple(f"{re.escape(c)}(?<=\\d{{{digits}}}{re.escape(c)}){rest}" for c in sorted(chars))
