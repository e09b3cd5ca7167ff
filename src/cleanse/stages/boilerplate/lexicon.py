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


def hits(compact: str) -> list[Hit]:
    """The patterns ``compact`` (a line's shadow without whitespace) matches."""
    found: list[Hit] = []
    for p in lexicon():
        matched = p.match(compact)
        if matched is not None:
            found.append(Hit(p.category, matched, p.weight, p.kind == "heading"))
    return found
