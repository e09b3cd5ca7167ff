"""Spaces left inside CJK text by a layout, and the document's own spacing habits.

The rule (docs/layout.md):

- Between two CJK characters (Han, kana, CJK punctuation, or a straight quote
  hugging Han) and next to a full-width stop, a space is never Chinese or
  Japanese orthography: in a line of running text it is removed.
- Between Han and a Latin letter or a digit, and after half-width punctuation
  used inside Chinese text (``,`` ``;``), spacing is a matter of style: some
  documents write ``AI 文字``, others ``AI文字``. The document's habit is
  measured on its lines of running text. A space is removed only when it
  breaks a clear habit (at least three boundaries written tight for each one
  spaced) *and* its line carries other layout remnants (a space inside CJK
  text): a lone ``AI 文字`` in a tidy line is the author's, not the layout's.
- Between Latin words and numbers nothing is touched (``Stable Video Diffusion``,
  ``Gemini 1.5 Pro``); neither is indentation at the start of a line, a run
  of three or more spaces (a gutter or a table), or any line without prose
  punctuation (headings, field lines such as ``编辑:张三 美编:李四``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cleanse.core.document import Edit
from cleanse.lang.chars import is_han, is_kana, literal_first
from cleanse.stages.layout.text import (
    ASCII_STOPS,
    CLOSERS,
    FULL_WIDTH_STOPS,
    LIST_MARKER,
    SPACES,
    is_cjk_text,
    is_digit,
    is_latin,
    is_prose,
    split_lines,
)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"
LATIN = "A-Za-z"
DIGIT = "0-9\uff10-\uff19%\uff05"
RUN = f"[{SPACES}]{{1,2}}"
SENTENCE_STOPS = "?!"
RUN_MARKS = "?!,;:"  # ASCII marks the punctuation stage may make full width
CLOSE = re.escape("".join(sorted(CLOSERS)))
ASTOP = re.escape("".join(sorted(ASCII_STOPS)))

# A mid-line run of one or two spaces (not indentation, not trailing).
SPACE_RUN = re.compile(r"(?<=\S)[ \u00a0\u3000]{1,2}(?=\S)")
# Any space touching a CJK character: the cheap test for "nothing to do". It is
# ``[CJK]{RUN}\S|\S{RUN}[CJK]`` written to start with the space, so the engine
# only stops at spaces.
_CJK_SIDE = f"[{HAN}\u3000-\u303f\uff01-\uff20\u201c\u201d]"
_NEAR_CJK = (
    rf"(?:(?<={_CJK_SIDE}[ \u00a0\u3000])[ \u00a0\u3000]?\S"
    rf"|(?<=\S[ \u00a0\u3000])[ \u00a0\u3000]?{_CJK_SIDE}"
    # ...or after a `?` or `!` closing a Chinese clause (CJK or a closer before it;
    # the mark is tested first, as most spaces follow none).
    rf"|(?<=[?!][ \u00a0\u3000])(?<=[{_CJK_SIDE[1:-1]}{CLOSE}?!,;:][?!][ \u00a0\u3000])"
    rf"[ \u00a0\u3000]?\S)"
)
SPACE_NEAR_CJK = re.compile(rf"[ \u00a0\u3000]{_NEAR_CJK}")
# The same as one search per kind of space: most text holds no ideographic or
# no-break space at all, and a literal is skipped ahead to.
_SPACE_NEAR_CJK_BY_SPACE = literal_first(" \u00a0\u3000", _NEAR_CJK)


def space_near_cjk(text: str) -> bool:
    """Whether :data:`SPACE_NEAR_CJK` occurs in ``text``."""
    return any(search.search(text) is not None for search in _SPACE_NEAR_CJK_BY_SPACE)


def _beside_han(other: str) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """Patterns for Han beside a character of class ``other``, written tight
    (``(?=[Han][other]|[other][Han])``) and spaced (the same with a run of spaces
    between). A character between two Han characters is two boundaries: one
    pattern for each side."""
    tight = (
        re.compile(rf"[{other}](?<=[{HAN}].)"),
        re.compile(rf"[{other}](?=[{HAN}])"),
    )
    spaced = (
        re.compile(rf"[{other}](?:(?<=[{HAN}][{SPACES}].)|(?<=[{HAN}][{SPACES}]{{2}}.))"),
        re.compile(rf"[{other}](?={RUN}[{HAN}])"),
    )
    return tight, spaced


def _stop_after_han(after_stop: str) -> tuple[re.Pattern[str]]:
    """A pattern for ``(?=[Han][closers]*[half-width stop]{after_stop})``, matched at
    the character after the Han."""
    return (
        re.compile(
            rf"[{CLOSE}{ASTOP}](?<=[{HAN}].)"
            rf"(?:(?<=[{ASTOP}])(?={after_stop})|(?<=[{CLOSE}])(?=[{CLOSE}]*[{ASTOP}]{after_stop}))"
        ),
    )


# Tight and spaced forms of each kind of boundary whose spacing is a matter of
# style, each counted as the matches of a few patterns. Every pattern starts with
# the rarer side of the boundary (a Latin letter, a digit, a half-width stop or a
# closer before one) and looks back at the Han: the engine's scan for a first
# character skips the rest, where a pattern opening with a lookahead would be
# tried at every character.
BOUNDARIES: dict[str, tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]] = {
    "latin": _beside_han(LATIN),
    "digit": _beside_han(DIGIT),
    "punct": (_stop_after_han(rf"[^\s{ASTOP}]"), _stop_after_han(rf"{RUN}\S")),
}
# Kinds of space that are never style, and so show a flattened layout.
REMNANT_KINDS = ("cjk", "cjk-stop", "punct-cjk")
# Spaces of those kinds from which the whole document counts as flattened from columns.
FLATTENED_DOCUMENT = 3
WHAT = {
    "latin": "Han and Latin letters",
    "digit": "Han and digits",
    "punct": "half-width punctuation and what follows it in Chinese text",
}


@dataclass(frozen=True)
class Habit:
    """How often the document writes a kind of boundary tight or with a space."""

    kind: str
    tight: int
    spaced: int

    @property
    def style(self) -> str:
        if self.tight >= 1 and self.tight >= 3 * self.spaced:
            return "tight"
        if self.spaced >= 1 and self.spaced >= 3 * self.tight:
            return "spaced"
        return "unknown"

    def describe(self) -> str:
        total = self.tight + self.spaced
        return f"the document writes {WHAT[self.kind]} together ({self.tight} of {total})"


def measure_habits(text: str) -> dict[str, Habit]:
    """Count tight and spaced boundaries of each kind on the lines of running text."""
    # No boundary spans a line break: the lines of running text are counted together.
    prose = "\n".join(line.text for line in split_lines(text) if is_prose(line.text))
    return {
        kind: Habit(kind, _matches(tight, prose), _matches(spaced, prose))
        for kind, (tight, spaced) in BOUNDARIES.items()
    }


def _matches(patterns: tuple[re.Pattern[str], ...], text: str) -> int:
    return sum(len(pattern.findall(text)) for pattern in patterns)


def reads_as_cjk(text: str, i: int, step: int) -> bool:
    """``text[i]`` reads as CJK: a CJK character, or a straight quote hugging Han."""
    ch = text[i]
    if is_cjk_text(ch):
        return True
    j = i + step
    return ch in "\"'" and 0 <= j < len(text) and is_han(text[j])


def _before(text: str, i: int, skipped: frozenset[str] | str) -> str:
    """The character before ``text[i]``, looking past ``skipped`` ones ("" at the start)."""
    j = i - 1
    while j >= 0 and text[j] in skipped:
        j -= 1
    return text[j] if j >= 0 else ""


def _closes_cjk(text: str, i: int) -> bool:
    """``text[i]`` follows CJK text (Han, kana or CJK punctuation), through closers
    and other marks of the same run (``好!!``, ``好?!``, ``好:?``), which the
    punctuation stage converts one after the other."""
    ch = _before(text, i, CLOSERS | frozenset(RUN_MARKS))
    return bool(ch) and is_cjk_text(ch)


def is_stop_in_cjk(text: str, i: int) -> bool:
    """``text[i]`` is half-width punctuation that follows Han (through closers)."""
    if text[i] not in ASCII_STOPS:
        return False
    ch = _before(text, i, CLOSERS)
    return bool(ch) and (is_han(ch) or is_kana(ch))


def _classify(line: str, s: int, e: int) -> str | None:
    """The kind of boundary a space run ``line[s:e]`` sits on (None: leave it)."""
    left, right = line[s - 1], line[e]
    if left in FULL_WIDTH_STOPS or (right in FULL_WIDTH_STOPS and reads_as_cjk(line, s - 1, -1)):
        return "cjk-stop"
    if left in SENTENCE_STOPS and _closes_cjk(line, s - 1):
        # `好的! 你呢`: a `?` or `!` that closes a Chinese clause is Chinese
        # punctuation (the punctuation stage writes it full width), not a matter
        # of style like the spacing after `,` or `;`.
        return "cjk-stop"
    if reads_as_cjk(line, s - 1, -1) and reads_as_cjk(line, e, 1):
        return "cjk"
    if is_stop_in_cjk(line, s - 1):
        return "punct-cjk" if reads_as_cjk(line, e, 1) else "punct"
    han_left = is_han(left) or is_kana(left)
    han_right = is_han(right) or is_kana(right)
    if (han_left and is_latin(right)) or (is_latin(left) and han_right):
        return "latin"
    if (han_left and is_number(right)) or (is_number(left) and han_right):
        return "digit"
    return None


def is_number(ch: str) -> bool:
    """A digit, or the percent sign that closes a number (``15%的``)."""
    return is_digit(ch) or ch in "%\uff05"


def _in_book_title(line: str, at: int) -> bool:
    """Inside 《...》: a title keeps its own spacing (headlines use spaces as separators)."""
    return line.count("《", 0, at) > line.count("》", 0, at)


def space_edits(text: str, habits: dict[str, Habit]) -> Iterator[Edit]:
    prose = [line for line in split_lines(text) if is_prose(line.text)]
    remnants = sum(
        1
        for line in prose
        for m in SPACE_RUN.finditer(line.text)
        if _classify(line.text, m.start(), m.end()) in REMNANT_KINDS
    )
    document_flattened = remnants >= FLATTENED_DOCUMENT
    for line in prose:
        found = [
            (m.start(), m.end(), _classify(line.text, m.start(), m.end()))
            for m in SPACE_RUN.finditer(line.text)
        ]
        # Spaces inside CJK text show that this line (or the whole document) was
        # flattened from a column.
        flattened = document_flattened or any(kind in REMNANT_KINDS for _, _, kind in found)
        # A label at the start of the line keeps its space: 第一条 为了……, 1. 介绍…….
        marker = LIST_MARKER.match(line.text)
        label_end = marker.end() if marker else -1
        for s, e, kind in found:
            if kind is None or s == label_end or _in_book_title(line.text, s):
                continue
            pair = f"{line.text[s - 1]}|{line.text[e]}"
            if kind == "cjk":
                reason = (
                    f"space inside CJK text removed ({pair}): the script is written "
                    "without spaces, so it is a layout remnant"
                )
            elif kind == "cjk-stop":
                reason = (
                    f"space beside full-width punctuation removed ({pair}): "
                    "the punctuation carries its own spacing"
                )
            elif kind == "punct-cjk":
                if habits["punct"].style == "spaced":
                    continue
                reason = (
                    f"space after half-width punctuation inside Chinese text removed ({pair}): "
                    "a layout remnant"
                )
            else:
                habit = habits[kind]
                if not flattened or habit.style != "tight":
                    continue
                reason = (
                    f"space removed ({pair}): {habit.describe()}, and this line carries "
                    "other layout remnants"
                )
            yield Edit(line.start + s, line.start + e, "", reason, category="space")
