"""How plausible a piece of text is as real writing: a cost, lower is better.

The cost of a text is a sum over its characters, roughly the surprise (in
nats) of meeting that character there:

- Han characters are scored on a simplified shadow (OpenCC ``t2s``) with the
  character frequencies of ``data/hanzi_freq.tsv`` and the in-word pairs of
  ``data/hanzi_bigrams.txt`` (both derived from jieba's dictionary by
  ``tools/build_tables.py``), so one table serves both scripts. A Japanese
  kanji of JIS level 1 that the Chinese table lacks costs as a middling Han
  character.
- Kana, hangul (the 2,350 syllables of KS X 1001 being the common ones), Latin
  letters, digits, punctuation and symbols have fixed costs by class; private-use,
  replacement and control characters are expensive.
- Sequences that ftfy's badness heuristic calls mojibake add a penalty.

Candidate readings of the same bytes are compared by their total cost, so the
numbers need not be probabilities, only comparable.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from cleanse.lang.chars import is_cjk_punctuation, is_han, is_hangul, is_kana, is_private_use
from cleanse.lang.hanzi import simplified_shadow

# Cost of a Han character the table has never seen.
UNSEEN_HAN = 16.0
# A Japanese kanji of JIS X 0208 level 1 that the Chinese table lacks (駅, 働...).
JIS_LEVEL1_KANJI = 10.0
# Rank up to which a Han character counts as common for the cheap scan.
COMMON_RANK = 3500
# Penalty for each mojibake-looking sequence ftfy's badness heuristic finds.
BADNESS_PENALTY = 8.0
LN2 = math.log(2)
# Extra cost of a Han character outside the common set (GB2312 level 1 and
# frequent), whatever its count in the word list says.
OUTSIDE_COMMON = 2.0
# Extra cost of a CJK character glued inside a Latin word (``Caf茅``).
WORD_INTRUDER = 6.0
# Extra cost of the look of UTF-8 read as Latin-1 (``å’``, ``Ã©``).
UTF8_SIGNATURE = 6.0
# Extra cost of a single ASCII letter glued after a CJK character.
LONE_LETTER = 5.0
# Hangul syllables in a row beyond which each one costs more.
HANGUL_WORD = 6


class _Tables:
    """Log frequencies of characters and in-word pairs, loaded once."""

    def __init__(self) -> None:
        data = resources.files("cleanse.data")
        counts: dict[str, int] = {}
        for line in data.joinpath("hanzi_freq.tsv").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                ch, n = line.split("\t")
                counts[ch] = int(n)
        total = sum(counts.values())
        self.char_cost = {ch: math.log(total / n) for ch, n in counts.items()}
        self.log_count = {ch: math.log(n) for ch, n in counts.items()}
        ranked = sorted(counts, key=lambda ch: (-counts[ch], ch))
        # jieba's list carries a few one-character entries that are themselves
        # mojibake (鍙, 锛...) with real-looking counts; the standard list of
        # common characters (GB2312 level 1) keeps them out of the common set.
        level1 = gb2312_level1()
        self.common = frozenset(ch for ch in ranked[:COMMON_RANK] if ch in level1)
        self.pair_log_count: dict[str, float] = {}
        text = data.joinpath("hanzi_bigrams.txt").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line and not line.startswith("#"):
                bucket, pairs = line.split("\t")
                value = (int(bucket) + 0.5) * LN2
                for i in range(0, len(pairs), 2):
                    self.pair_log_count[pairs[i : i + 2]] = value


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables()


@lru_cache(maxsize=1)
def gb2312_level1() -> frozenset[str]:
    """The 3,755 characters of GB2312 level 1, China's list of common characters."""
    out = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(out)


@lru_cache(maxsize=1)
def common_hangul() -> frozenset[str]:
    """The 2,350 hangul syllables of KS X 1001 (what EUC-KR can encode)."""
    out = set()
    for cp in range(0xAC00, 0xD7A4):
        ch = chr(cp)
        try:
            ch.encode("euc_kr")
        except UnicodeEncodeError:
            continue
        out.add(ch)
    return frozenset(out)


@lru_cache(maxsize=1)
def jis_level1_kanji() -> frozenset[str]:
    """The kanji of JIS X 0208 level 1 (Shift-JIS lead bytes 0x88-0x98)."""
    out = set()
    for lead in range(0x88, 0x99):
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
            try:
                ch = bytes((lead, trail)).decode("shift_jis")
            except UnicodeDecodeError:
                continue
            if is_han(ch):
                out.add(ch)
    return frozenset(out)


def _badness(text: str) -> int:
    from ftfy.badness import badness

    return int(badness(text))


_LATIN1_LETTER = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")
_CP1252_SPECIALS = frozenset("€‚ƒ„†‡ˆ‰Š‹ŒŽ•˜™š›œžŸ")
# What cp1252 shows for the continuation bytes 0x80-0x9F.
_CP1252_CONTINUATION = _CP1252_SPECIALS | frozenset("‘’“”–—…")


def _other_cost(ch: str, prev: str) -> float:
    """Cost of a character that is not Han, by class."""
    cp = ord(ch)
    if cp < 0x80:
        if ch.isalnum():
            return 2.0
        if ch in " \n\t":
            return 1.0
        if ch == "\r":
            return 2.0
        if ch.isprintable():
            return 2.5
        return 25.0
    if is_cjk_punctuation(ch):
        return 3.0
    if is_kana(ch):
        return 5.0 if cp < 0x30A0 else 6.0
    if 0xFF61 <= cp <= 0xFF9F:  # half-width katakana: rare outside old Japanese data
        return 12.0
    if is_hangul(ch):
        return 5.0 if ch in common_hangul() else 13.0
    if ch == "\ufffd" or is_private_use(ch):
        return 20.0
    if 0x80 <= cp <= 0x9F or 0xD800 <= cp <= 0xDFFF:
        return 25.0
    if cp <= 0xFF:
        if _LATIN1_LETTER.match(ch):
            # A second non-ASCII Latin letter in a row is a mojibake signature.
            return 8.0 if 0xA0 <= ord(prev or " ") <= 0x24F else 5.0
        if ch == "\u00a0":
            return 3.0
        # A symbol right after another upper-half Latin-1 character is a mojibake signature.
        return 8.0 if 0xA0 <= ord(prev or " ") <= 0x24F else 6.0
    if ch in _CP1252_SPECIALS:
        return 9.0
    if 0x100 <= cp <= 0x24F:
        return 6.0
    if 0x370 <= cp <= 0x52F:  # Greek and Cyrillic: real letters, odd beside Han
        return 12.0 if prev and is_han(prev) else 6.0
    if 0x2010 <= cp <= 0x206F or 0x20A0 <= cp <= 0x20CF:  # punctuation, currency
        return 4.0
    if 0x2070 <= cp <= 0x2BFF or 0x3100 <= cp <= 0x33FF or 0xFE30 <= cp <= 0xFFEF:
        return 10.0  # symbols, arrows, bopomofo, enclosed and compatibility forms
    if ch.isprintable():
        # Any other script: a random multi-byte character lands here, so it
        # must not look cheaper than a rare Han character.
        return 18.0
    return 25.0


def _is_latin(ch: str) -> bool:
    return bool(ch) and ch.isalpha() and ord(ch) <= 0x24F


def _is_cjk_letter(ch: str) -> bool:
    return bool(ch) and (is_han(ch) or is_kana(ch) or is_hangul(ch))


def cost(text: str, sequences: bool = True) -> float:
    """Total cost of ``text`` (lower reads more like real writing).

    ``sequences=False`` leaves out ftfy's look for mojibake sequences, which
    means nothing on a character or two and is the slow part.
    """
    # The repair stage scores many short pieces again and again.
    return _cost_short(text, sequences) if len(text) <= SHORT else _cost(text, sequences)


# Pieces up to this length are remembered.
SHORT = 12


@lru_cache(maxsize=1 << 16)
def _cost_short(text: str, sequences: bool) -> float:
    return _cost(text, sequences)


def _cost(text: str, sequences: bool) -> float:
    if not text:
        return 0.0
    tables = _tables()
    has_han = any(is_han(c) for c in text)
    if has_han:
        to_simplified = _char_shadow()
        shadow = "".join([to_simplified.get(c, c) for c in text])
    else:
        shadow = text
    total = 0.0
    prev = ""
    prev_shadow = ""
    hangul_run = 0
    for i, (ch, sh) in enumerate(zip(text, shadow, strict=True)):
        if is_han(ch):
            c = tables.char_cost.get(sh)
            if c is None:
                c = JIS_LEVEL1_KANJI if ch in jis_level1_kanji() else UNSEEN_HAN
            elif sh not in tables.common:
                c += OUTSIDE_COMMON
            elif prev_shadow:
                pair = tables.pair_log_count.get(prev_shadow + sh)
                if pair is not None:
                    # -log P(ch | prev) from in-word pairs; a known pair never costs more.
                    conditional = tables.log_count[prev_shadow] - pair
                    c = min(c, max(conditional, 0.5))
            prev_shadow = sh if sh in tables.char_cost else ""
        else:
            c = _other_cost(ch, prev)
            prev_shadow = ""
        if not ch.isascii() and ch.isalpha():
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalpha():
                # One CJK or odd letter inside a Latin word: a UTF-8 letter misread.
                c += WORD_INTRUDER if ord(ch) > 0x24F else 0.0
            elif not _is_cjk_letter(ch) and (_is_cjk_letter(prev) or _is_cjk_letter(nxt)):
                # An accented Latin (or Greek, Cyrillic...) letter glued to CJK
                # text: a CJK character misread.
                c += WORD_INTRUDER
            elif _is_cjk_letter(ch) and (_is_latin(prev) or _is_latin(nxt)):
                # A CJK character touching a Latin word: common in mixed text
                # (``Sora的``), a little less so than a space or punctuation.
                c += 3.0
        if ch.isascii() and ch.isalpha() and _is_cjk_letter(prev):
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if not (nxt.isascii() and nxt.isalpha()):
                # One Latin letter alone after a CJK character (``礁w``): a
                # trail byte that lost its lead, more often than a real ``A股``.
                c += LONE_LETTER
        if 0xC2 <= ord(prev or " ") <= 0xEF and (
            0x80 <= ord(ch) <= 0xBF or ch in _CP1252_CONTINUATION
        ):
            # A UTF-8 lead byte read as Latin-1 followed by a continuation byte.
            c += UTF8_SIGNATURE
        if is_hangul(ch):
            hangul_run += 1
            # Korean puts a space every few syllables; long unbroken runs are mojibake.
            if hangul_run > HANGUL_WORD:
                c += 4.0
        else:
            hangul_run = 0
        total += c
        prev = ch
    if sequences and (not has_han or any(0x80 <= ord(c) <= 0x2FF for c in text)):
        total += BADNESS_PENALTY * _badness(text)
    return total


def known_pairs(text: str) -> tuple[int, int]:
    """(adjacent Han pairs that occur inside words, Han characters) of ``text``."""
    tables = _tables()
    to_simplified = _char_shadow()
    shadow = [to_simplified.get(c, c) if is_han(c) else "" for c in text]
    pairs = sum(
        1 for a, b in itertools.pairwise(shadow) if a and b and (a + b) in tables.pair_log_count
    )
    return pairs, sum(1 for c in shadow if c)


def mean_cost(text: str) -> float:
    """Cost per character."""
    return cost(text) / len(text) if text else 0.0


def pick(candidates: Sequence[str]) -> int:
    """Index of the most plausible of several readings of the same bytes."""
    if not candidates:
        raise ValueError("no candidates")
    costs = [cost(c) for c in candidates]
    return min(range(len(costs)), key=lambda i: (costs[i], i))


@lru_cache(maxsize=1)
def _char_shadow() -> dict[str, str]:
    """Traditional Han character -> its simplified form, one character at a time."""
    han = [
        chr(cp) for cp in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000), *range(0xF900, 0xFB00))
    ]
    shadow = simplified_shadow("\n".join(han)).split("\n")
    if len(shadow) != len(han):  # pragma: no cover - OpenCC keeps lines
        return {}
    return {h: s for h, s in zip(han, shadow, strict=True) if len(s) == 1 and s != h}


@lru_cache(maxsize=1)
def _suspect_pattern() -> re.Pattern[str]:
    """A character class of what ordinary text rarely holds: rare Han, odd kana..."""
    tables = _tables()
    han = [chr(cp) for cp in range(0x4E00, 0xA000)]
    to_simplified = _char_shadow()
    shadow = [to_simplified.get(h, h) for h in han]
    # JIS level-1 kanji are not exempt: many (鍙, 涓...) are what UTF-8 read as
    # GBK is made of, and Japanese text is mostly kana, so it stays below the density.
    common = [h for h, s in zip(han, shadow, strict=True) if s in tables.common]
    ordinary = sorted(set(common) | common_hangul())
    ranges: list[tuple[int, int]] = []
    for ch in ordinary:
        cp = ord(ch)
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    parts = [
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    ]
    # Everything outside ASCII, Latin, general punctuation, CJK punctuation,
    # full-width forms and kana, and not an ordinary Han or hangul character.
    allowed = "\\x00-\\u02ff\\u2000-\\u206f\\u3000-\\u303f\\u3040-\\u30ff\\uff01-\\uff60" + "".join(
        parts
    )
    return re.compile(f"[^{allowed}]")


def suspect_pattern() -> re.Pattern[str]:
    """Matches one character that ordinary text rarely holds (see :func:`is_suspect`)."""
    return _suspect_pattern()


class _LastSuspects:
    """The suspect characters of the last text asked about: the repair's passes
    judge the same string one after another, and each wants them."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.positions: list[int] = []


_last_suspects = _LastSuspects()


def suspect_positions(text: str) -> list[int]:
    """The offsets of the characters of ``text`` that :func:`suspect_pattern` matches."""
    memo = _last_suspects
    if memo.text is not text:
        memo.positions = [m.start() for m in _suspect_pattern().finditer(text)]
        memo.text = text
    return memo.positions


def is_suspect(ch: str) -> bool:
    """True for a rare Han character, a rare hangul syllable, a private-use or
    replacement character, half-width katakana or a box-drawing symbol: the
    material mojibake is made of."""
    return _suspect_pattern().match(ch) is not None
