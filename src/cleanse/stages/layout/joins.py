"""What goes between two pieces of text when a line break inside a sentence is undone."""

from __future__ import annotations

from cleanse.lang.chars import is_han, is_kana
from cleanse.stages.layout.spaces import Habit, is_number, is_stop_in_cjk, reads_as_cjk
from cleanse.stages.layout.text import FULL_WIDTH_STOPS, is_latin


def joiner(before: str, after: str, habits: dict[str, Habit]) -> str:
    """``""`` or ``" "``: how the document writes the boundary the break fell on.

    Inside CJK text nothing; between Latin words or numbers a space; between
    Han and Latin or digits, and after half-width punctuation, the document's
    habit, and a space when it has none (a line break is whitespace, and
    keeping it as one space never joins two words that were apart).
    """
    if not before or not after:
        return ""
    left, right = before[-1], after[0]
    probe = before + after
    i = len(before) - 1
    if left in FULL_WIDTH_STOPS or right in FULL_WIDTH_STOPS:
        return ""
    if reads_as_cjk(probe, i, -1) and reads_as_cjk(probe, i + 1, 1):
        return ""
    if is_stop_in_cjk(probe, i):
        style = habits["punct"].style
        if reads_as_cjk(probe, i + 1, 1):
            return " " if style == "spaced" else ""
        return "" if style == "tight" else " "
    if left == "-" and len(before) > 1 and is_latin(before[-2]) and is_latin(right):
        return ""  # a hyphenated word or name broken at its hyphen: keep the hyphen, no space
    han_left = is_han(left) or is_kana(left)
    han_right = is_han(right) or is_kana(right)
    for kind, other in (("latin", is_latin), ("digit", is_number)):
        if (han_left and other(right)) or (other(left) and han_right):
            return "" if habits[kind].style == "tight" else " "
    if reads_as_cjk(probe, i, -1) or reads_as_cjk(probe, i + 1, 1):
        return ""
    return " "
