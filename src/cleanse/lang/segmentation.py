"""How well a short Chinese string segments into known words.

Word frequencies come from jieba's dictionary (a core dependency), through
jieba's own tokenizer tables; single characters are scored with the project's character table
(:func:`cleanse.lang.hanzi.han_logfreq`). Text is scored on its simplified shadow,
so traditional and simplified input share one table. This is a small, local
model of "reads as real Chinese", good enough to rank a handful of candidate
decodings of the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from cleanse.lang.hanzi import han_logfreq, simplified_shadow
from cleanse.lang.words import tokenizer as jieba_tokenizer

# Longest word considered by the segmenter; longer dictionary entries add little.
# (segment_logp's early stop is written out for this length.)
MAX_WORD = 4
# Words seen fewer times than this in jieba's counts are noise for our purpose.
MIN_COUNT = 3


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], int]:
    """jieba's word counts and their total, from its tokenizer's own tables (not a
    second copy of the word list: a process that also segments words shares them)."""
    tokenizer = jieba_tokenizer()
    return tokenizer.FREQ, tokenizer.total


# Every cost in the tables is a multiple of 2**-32. The texts scored are short (a
# window of the repair and its neighbours), so a score stays far below 2**21 in
# size and every sum of costs is exact: it does not depend on the order of its
# terms, and a segmentation split into a start, a middle and an end that are
# scored apart adds up to the very same float.
_COST_STEP = 2.0**-32


def exact_cost(cost: float) -> float:
    """``cost`` rounded to the table's step (-inf stays -inf)."""
    return round(cost / _COST_STEP) * _COST_STEP if cost > -math.inf else cost


class _Costs(dict[object, float]):
    """A table filled in on first use: a subscript is cheaper than a cached call,
    and the segmenter looks up every character and every word it meets."""

    def __init__(self, cost: Callable[[Any], float]) -> None:
        super().__init__()
        self.cost = cost

    def __missing__(self, key: object) -> float:
        value = self[key] = exact_cost(self.cost(key))
        return value


def _word_cost(count: int) -> float:
    return math.log(count / _dictionary()[1])


_WORD_COST = _Costs(_word_cost)  # by the word's count in jieba's table


class SharedEnds(NamedTuple):
    """The segmentation of the start and of the end that several texts share, worked
    out once for all of them (see :func:`shared_ends`)."""

    length: int  # characters shared at the start (0: the start is not shared)
    resume: int  # the first start position left to each text
    best: list[float]  # best[0..length] once every start before ``resume`` is done
    gate: float  # a floor above this is certainly missed within the shared start
    tail: int  # characters shared at the end (0: the end is not shared)
    # after[k], k < MAX_WORD: the best score of the last ``tail - k`` characters
    # segmented alone (a text's first cut into the shared end is among those places)
    after: list[float]


def _common_start(texts: Sequence[str]) -> int:
    # The characters every text shares are those the first and last in order share.
    first, last = min(texts), max(texts)
    length = 0
    limit = min(len(first), len(last))
    while length < limit and first[length] == last[length]:
        length += 1
    return length


def shared_ends(texts: Sequence[str]) -> SharedEnds | None:
    """The part of :func:`segment_logp`'s work that ``texts`` share, or None when
    they share too little for it to matter.

    A word starting before ``resume`` ends within the shared start, so the scores
    it gives are the same in every text. At the end, every segmentation has a
    first cut at or after the place where the shared end begins; what follows that
    cut is scored once (``after``), and each text adds it to its own score there.
    """
    if len(texts) < 2:
        return None
    length = _common_start(texts)
    resume = length - (MAX_WORD - 1)
    best: list[float] = []
    gate = math.inf
    if resume >= MAX_WORD:
        best = [0.0] + [-math.inf] * length
        _segment(texts[0][:length], best, 0, resume)
        # The early stop of segment_logp at a start before ``resume``: it fires when
        # the four scores up to that start are all below the floor.
        gate = min(max(best[start - 3 : start + 1]) for start in range(3, resume))
    else:
        length = resume = 0
    # The shared end may not reach into the shared start of the shortest text.
    tail = min(_common_start([text[::-1] for text in texts]), min(map(len, texts)) - resume)
    if tail < MAX_WORD:
        tail = 0
    if not length and not tail:
        return None
    end = texts[0][len(texts[0]) - tail :]
    after = [segment_logp(end[k:]) for k in range(MAX_WORD)] if tail else []
    return SharedEnds(length, resume, best, gate, tail, after)


def _segment(text: str, best: list[float], begin: int, end: int, floor: float = -math.inf) -> bool:
    """Extend ``best`` (the best score of each cut of ``text``) with the words that
    start at ``begin``..``end - 1``; False as soon as every segmentation is
    certainly below ``floor``.

    Every cost is negative, so a score only falls as the text goes on, and every
    segmentation has a cut among any ``MAX_WORD`` consecutive positions.
    """
    freq = _dictionary()[0]
    char_cost, word_cost = _CHAR_COST, _WORD_COST
    n = len(text)
    bounded = floor > -math.inf
    # From each position, extend to every word that starts there. jieba's table
    # holds every word's prefixes too (with a count of 0), so the first string
    # missing from it ends the search: no longer word starts with it.
    for start in range(begin, end):
        here = best[start]
        # best[0..start] are final here: the best score any segmentation can still
        # reach is that of its last cut at or before ``start``.
        if (  # written out for MAX_WORD = 4
            bounded
            and here < floor
            and start >= 3
            and best[start - 1] < floor
            and best[start - 2] < floor
            and best[start - 3] < floor
        ):
            return False
        score = here + char_cost[text[start]]
        if score > best[start + 1]:
            best[start + 1] = score
        stop = start + MAX_WORD if start + MAX_WORD < n else n
        cut = start + 2
        while cut <= stop:
            count = freq.get(text[start:cut])
            if count is None:
                break
            if count >= MIN_COUNT:
                score = here + word_cost[count]
                if score > best[cut]:
                    best[cut] = score
            cut += 1
    return True


def segment_logp(text: str, floor: float = -math.inf, shared: SharedEnds | None = None) -> float:
    """Log probability of the best segmentation of ``text`` (already simplified).

    Han characters outside any known word cost their character log frequency;
    other characters are scored by :func:`char_logp`. With ``floor``, a text
    whose score is below it gets ``-inf`` (its segmentation stops as soon as that
    is certain). With ``shared`` (from :func:`shared_ends` over texts that include
    this one), the shared start and end are not segmented again; the result is the
    same float.
    """
    n = len(text)
    begin = 0
    best: list[float] | None = None
    tail = 0
    if shared is not None:
        if shared.length:
            if floor > shared.gate:
                return -math.inf  # the early stop would have fired within the shared start
            begin = shared.resume
            best = shared.best + [-math.inf] * (n - shared.length)
        tail = shared.tail
    if best is None:
        best = [0.0] + [-math.inf] * n
    end = n - tail
    if not _segment(text, best, begin, end, floor):
        return -math.inf
    if tail:
        # The first cut at or after ``end``: a word from before it reaches at most
        # MAX_WORD - 1 characters past it, and the shared end is scored from there.
        after = shared.after if shared is not None else []
        score = best[end] + after[0]
        for k in range(1, MAX_WORD):  # a loop, not max() over a generator: it is compiled
            if best[end + k] + after[k] > score:
                score = best[end + k] + after[k]
    else:
        score = best[n]
    return score if score >= floor else -math.inf


# The characters jieba's default pattern takes as one block of Han text (its
# re_han_default holds U+4E00..U+9FD5 and ASCII besides).
JIEBA_HAN_FIRST, JIEBA_HAN_LAST = "\u4e00", "\u9fd5"


def jieba_words(text: str) -> list[str] | None:
    """``list(jieba.cut(text, HMM=False))`` for a ``text`` of jieba's Han characters
    only (None for any other text): its dictionary route, worked out the way jieba
    works it out (``get_DAG``, then ``calc`` from the end: the same floats, the same
    ties), without its generators and regular expressions.
    """
    n = len(text)
    if not n or not all(JIEBA_HAN_FIRST <= ch <= JIEBA_HAN_LAST for ch in text):
        return None
    freq, total = _dictionary()
    log_total = math.log(total)
    score = [0.0] * (n + 1)  # route[i][0]: the best score from i to the end
    last = [0] * (n + 1)  # route[i][1]: where the word starting at i ends
    for start in range(n - 1, -1, -1):
        best_score = -math.inf
        best_end = -1
        end = start
        fragment = text[start]
        found = False
        # The words starting at ``start`` (jieba's DAG), each scored as it is found;
        # a later end wins a tie, as in max() over (score, end).
        while end < n and fragment in freq:
            count = freq[fragment]
            if count:
                found = True
                candidate = math.log(count) - log_total + score[end + 1]
                if candidate > best_score or (candidate == best_score and end > best_end):
                    best_score, best_end = candidate, end
            end += 1
            fragment = text[start : end + 1]
        if not found:
            best_score = math.log(freq.get(text[start]) or 1) - log_total + score[start + 1]
            best_end = start
        score[start] = best_score
        last[start] = best_end
    words = []
    i = 0
    while i < n:
        j = last[i] + 1
        words.append(text[i:j])
        i = j
    return words


@lru_cache(maxsize=65536)  # called for every character of every scored string
def char_logp(ch: str) -> float:
    """A log-probability-like cost of one character in running Chinese text."""
    cp = ord(ch)
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF:
        return han_logfreq(ch)
    if ch.isascii():
        if ch.isalnum():
            return -6.0
        if ch in " \n":
            return -3.0
        # "?" and "!" often stand for "？" and "！" in text that went through an
        # ASCII punctuation pass, so they cost what the full-width marks cost.
        return -5.5 if ch in "?!" else -6.0
    if ch in "。，、":  # as common in running text as the most common characters
        return -3.5
    if ch in "“”":
        return -4.5
    if ch in "？！：；《》（）‘’…—·":
        return -5.5
    if 0x3000 <= cp <= 0x303F or 0xFF01 <= cp <= 0xFF5E:  # brackets and signs seen less often
        return -10.0
    if 0xE000 <= cp <= 0xF8FF or ch == "\ufffd":
        return -30.0
    return -15.0


_CHAR_COST = _Costs(char_logp)


def text_logp(text: str) -> float:
    """:func:`segment_logp` on the simplified shadow of ``text``."""
    return segment_logp(simplified_shadow(text))
