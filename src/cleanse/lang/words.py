"""Chinese words from jieba's dictionary: does a word run across a break?

jieba ships its word list with the package, so nothing is downloaded. Its
dictionary is in simplified script; traditional text is looked up through the
OpenCC ``t2s`` shadow (see :mod:`cleanse.lang.hanzi`). The dictionary is loaded
on first use only (about half a second), so texts that never ask pay nothing.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cleanse.lang.chars import is_han
from cleanse.lang.hanzi import simplified_shadow

# How many Han characters on each side of a break are looked at: enough for
# jieba to see the words around the break, few enough to stay local.
WINDOW = 6


@dataclass(frozen=True)
class WordAcross:
    """A dictionary word that spans a break: ``left`` + ``right`` == ``word``."""

    word: str
    left: str
    right: str
    frequency: int
    # How much more often the word occurs than its two halves would meet by chance:
    # log(P(word) / (P(left) P(right))). Common words that meet by accident
    # (是|从, 正|中) score low; a word broken in two (模|拟, 风|貌) scores high.
    association: float


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """jieba's tokenizer, initialised once (its dictionary is the one word list both
    the layout and the repair stages read)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


def _han_tail(text: str) -> str:
    i = len(text)
    while i > 0 and len(text) - i < WINDOW and is_han(text[i - 1]):
        i -= 1
    return text[i:]


def _han_head(text: str) -> str:
    i = 0
    while i < len(text) and i < WINDOW and is_han(text[i]):
        i += 1
    return text[:i]


def _shadow(text: str) -> str:
    shadow = simplified_shadow(text)
    return shadow if len(shadow) == len(text) else text


def _cut(text: str) -> list[str]:
    """jieba's segmentation of ``text`` (dictionary only, no guessed words): a run of
    Han characters through the compiled route, anything else through jieba."""
    from cleanse.lang.segmentation import jieba_words

    words = jieba_words(text)
    return words if words is not None else list(tokenizer().cut(text, HMM=False))


def tokens(text: str) -> list[str]:
    """jieba's segmentation of ``text`` (dictionary only, no guessed words)."""
    return _cut(_shadow(text))


def word_frequency(word: str) -> int:
    return int(tokenizer().FREQ.get(_shadow(word), 0) or 0)


def word_across(before: str, after: str) -> WordAcross | None:
    """The word jieba reads across the break between ``before`` and ``after``.

    Only the Han characters touching the break count. ``None`` when the break
    falls between two words (or either side does not end/start with Han).
    """
    left = _han_tail(before)
    right = _han_head(after)
    if not left or not right:
        return None
    joined = left + right
    shadow = _shadow(joined)
    pos = 0
    for token in _cut(shadow):
        end = pos + len(token)
        if pos < len(left) < end:
            frequency = int(tokenizer().FREQ.get(token, 0) or 0)
            if len(token) < 2 or frequency <= 0:
                return None
            freq = tokenizer().FREQ
            total = tokenizer().total
            halves = max(freq.get(shadow[pos : len(left)], 0) or 0, 1) * max(
                freq.get(shadow[len(left) : end], 0) or 0, 1
            )
            return WordAcross(
                word=joined[pos:end],
                left=joined[pos : len(left)],
                right=joined[len(left) : end],
                frequency=frequency,
                association=math.log(frequency * total / halves),
            )
        pos = end
    return None


def last_token(text: str) -> str:
    """The last jieba token of the Han run that ends ``text`` ('' if none)."""
    tail = _han_tail(text)
    if not tail:
        return ""
    return tokens(tail)[-1]
