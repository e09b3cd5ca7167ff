"""Western mojibake and HTML entities, fixed by ftfy in a CJK-safe configuration.

ftfy is told to leave alone everything that is correct in CJK text: curly
quotes (“” are the Chinese quotation marks), full-width forms, line breaks,
control characters (the normalize stage handles those) and Unicode
normalisation (no NFKC, which would fold full-width punctuation). Each line
ftfy changes is recorded with ftfy's own explanation of the steps it took,
as spans narrowed to the characters that changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any

from cleanse.core.document import Edit
from cleanse.lang.chars import CONTROLS, LATIN1, SURROGATES, LastText, holds, is_cjk
from cleanse.lang.plausibility import cost
from cleanse.stages.repair.codecs import (
    LATIN1_TRIGGER,
    LATIN_RUN,
    latin_runs,
    lone_foreign_letters,
    matches_near,
)

# What can send ftfy to work: two upper-half Latin-1/cp1252 characters in a
# row, an HTML entity, a C1 control, a terminal escape or a lone surrogate.
NEEDS_FTFY = re.compile(
    f"{LATIN_RUN.pattern}|&(?:#[0-9]{{1,7}}|#[xX][0-9a-fA-F]{{1,6}}|[A-Za-z][A-Za-z0-9]{{1,31}});"
    r"|[\x80-\x9f]|\x1b\[|[\ud800-\udfff]|[\u00c2\u00c3] "
)


@lru_cache(maxsize=1)
def _config() -> Any:
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html="auto",
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )


# Every match of NEEDS_FTFY starts at one of these, or (a LATIN_RUN) up to two
# characters before a Latin-1 one of LATIN1_TRIGGER.
# (Written as one class and then the conditions of each kind: a pattern that starts
# with a class lets the engine skip to the characters in it, where an alternation
# of classes is tried at every position, which costs three times as much on text
# with pinyin tone letters.)
_TRIGGER = re.compile(
    "[&\\x1b\\ud800-\\udfff\\x80-\\xff]"
    "(?:(?<=[&\\x1b\\ud800-\\udfff\\x80-\\x9f])|(?<=[\\u00c2\\u00c3])(?= )|(?<="
    + LATIN1_TRIGGER
    + "))"
)
_LOOK_BACK = 2


def _scan_lines(text: str) -> frozenset[int]:
    if "&" not in text and not holds(text, LATIN1 | SURROGATES | CONTROLS):
        return frozenset()  # no _TRIGGER character (\x1b is one of CONTROLS)
    return frozenset(
        text.rfind("\n", 0, pos) + 1 for pos in matches_near(NEEDS_FTFY, _TRIGGER, _LOOK_BACK, text)
    )


# The stage asks :func:`wants` before the pass that scans the same text again.
_flagged = LastText(_scan_lines)


def _flagged_lines(text: str) -> frozenset[int]:
    """Offsets of the starts of lines NEEDS_FTFY matches in (a fast scan)."""
    return _flagged.of(text)


def wants(text: str) -> bool:
    return bool(_flagged_lines(text))


def _describe(explanation: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """A reason and a category from ftfy's list of steps."""
    steps = ", ".join(f"{action} {param}" for action, param in explanation)
    if all(action == "apply" and param == "unescape_html" for action, param in explanation):
        return f"HTML entity decoded (ftfy: {steps})", "html-entity"
    return f"Western mojibake fixed (ftfy: {steps})", "western-mojibake"


def _spans(before: str, after: str) -> list[tuple[int, int, int, int]]:
    """Changed stretches of ``before`` and where they went in ``after``.

    Each stretch is widened over equal non-space characters on both sides, so
    a record shows whole tokens (``&amp;`` -> ``&``, not ``amp;`` -> nothing).
    """
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        while (
            i1 > 0 and j1 > 0 and before[i1 - 1] == after[j1 - 1] and not before[i1 - 1].isspace()
        ):
            i1, j1 = i1 - 1, j1 - 1
        while (
            i2 < len(before)
            and j2 < len(after)
            and before[i2] == after[j2]
            and not before[i2].isspace()
        ):
            i2, j2 = i2 + 1, j2 + 1
        if spans and i1 <= spans[-1][1]:
            spans[-1][1], spans[-1][3] = max(spans[-1][1], i2), max(spans[-1][3], j2)
        else:
            spans.append([i1, i2, j1, j2])
    return [(a, b, c, d) for a, b, c, d in spans]


def _explain(before: str, after: str, fallback: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """ftfy's own explanation of this one stretch, when fixing it alone gives the same."""
    from ftfy import fix_and_explain

    alone = fix_and_explain(before, _config())
    if alone.text == after and alone.explanation:
        return _describe(alone.explanation)
    return _describe(fallback)


def _trusted(line: str, fixed: str, explanation: Sequence[tuple[str, str]]) -> bool:
    """Keep ftfy's fix when it reads better, and not when it only reinterpreted
    C1 controls beside CJK text (remnants of CJK mojibake, not cp1252)."""
    if any(is_cjk(c) for c in line) and all(p == "fix_c1_controls" for _, p in explanation):
        return False
    if latin_runs(fixed):
        # ftfy fixed part of the line and left mojibake it does not know (legacy
        # CJK bytes read as Latin-1): its partial reading is not trusted.
        return False
    if lone_foreign_letters(fixed) > lone_foreign_letters(line):
        return False  # xÜ¡y -> xܡy: a Syriac letter inside a Latin word
    return cost(fixed) <= cost(line)


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def western_edits(text: str, within: list[tuple[int, int]] | None = None) -> list[Edit]:
    """Edits for what ftfy fixes, line by line (only on lines that overlap
    ``within``, when given)."""
    flagged: Collection[int] = _flagged_lines(text)
    if within is not None:
        flagged = {
            start
            for start in flagged
            if any(a <= _line_end(text, start) and b >= start for a, b in within)
        }
    if not flagged:
        return []
    from ftfy import fix_and_explain

    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        if pos in flagged:
            result = fix_and_explain(line, _config())
            fixed, explanation = result.text, result.explanation
            if fixed != line and explanation and _trusted(line, fixed, explanation):
                for i1, i2, j1, j2 in _spans(line, fixed):
                    reason, category = _explain(line[i1:i2], fixed[j1:j2], explanation)
                    edits.append(
                        Edit(pos + i1, pos + i2, fixed[j1:j2], reason, 0.9, category=category)
                    )
        pos += len(line) + 1
    return edits
