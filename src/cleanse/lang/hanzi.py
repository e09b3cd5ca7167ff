"""How common a Han character is, on a simplified shadow of the text.

The frequency table is derived from jieba's word list by
``tools/build_tables.py`` and shipped as ``data/hanzi_freq.tsv``. Traditional
text is scored through OpenCC's ``t2s`` shadow, so one table serves both scripts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from cleanse.lang.chars import (
    SURROGATES,
    CharSearch,
    char_class,
    holds,
    is_cjk_punctuation,
    is_han,
    is_hangul,
    is_kana,
)

# Rank below which a character counts as common in running text. 5,000 covers
# well over 99.5% of the characters of ordinary Chinese prose.
COMMON_RANK = 5000
SURROGATE = re.compile("[\ud800-\udfff]")
OPENCC_UNSAFE = re.compile("[\x00\ud800-\udfff]")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, float], frozenset[str]]:
    text = resources.files("cleanse.data").joinpath("hanzi_freq.tsv").read_text(encoding="utf-8")
    counts: list[tuple[str, int]] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        ch, n = line.split("\t")
        counts.append((ch, int(n)))
    total = sum(n for _, n in counts)
    logp = {ch: math.log(n / total) for ch, n in counts}
    common = frozenset(ch for ch, _ in counts[:COMMON_RANK])
    return logp, common


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def opencc_convert(converter: Any, text: str) -> str:
    """``converter.convert(text)``, leaving NUL characters and lone surrogates where
    they are: OpenCC cannot take a lone surrogate, and its chained configurations
    (``tw2s``, ``s2tw``...) pass C strings between their steps, so a NUL would cut
    off the rest of the text."""
    if OPENCC_UNSAFE.search(text) is None:
        return str(converter.convert(text))
    pieces = OPENCC_UNSAFE.split(text)
    marks = OPENCC_UNSAFE.findall(text)
    out = [str(converter.convert(piece)) if piece else "" for piece in pieces]
    return "".join(p + m for p, m in zip(out, [*marks, ""], strict=True))


@lru_cache(maxsize=1)
def script_markers() -> dict[str, frozenset[str]]:
    """The marker texts of each kind in ``data/script_markers.tsv`` (derived from
    OpenCC's dictionaries by ``tools/build_script_tables.py``)."""
    table = resources.files("cleanse.data").joinpath("script_markers.tsv")
    kinds: dict[str, set[str]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, value = line.split("\t")
            kinds.setdefault(kind, set()).add(value)
    return {kind: frozenset(values) for kind, values in kinds.items()}


@lru_cache(maxsize=1)
def _t2s_changes() -> CharSearch:
    """The characters OpenCC's t2s changes on their own and the phrases it changes
    whose characters it leaves alone (``t2s-char`` and ``t2s-phrase``)."""
    kinds = script_markers()
    return CharSearch(kinds["t2s-char"], kinds["t2s-phrase"], han_logfreq)


def t2s_may_change(text: str) -> bool:
    """Whether ``text`` holds a character or phrase OpenCC's t2s changes (remembered
    for the last text asked: the boilerplate shadow and the script stage ask it of
    the same text)."""
    return _t2s_changes().found_in(text)


def simplified_shadow(text: str) -> str:
    """``text`` in simplified script (same length for almost every input)."""
    if not t2s_may_change(text):
        # Nothing t2s would change: most simplified text, spared the OpenCC call.
        return SURROGATE.sub("\ufffd", text) if holds(text, SURROGATES) else text
    converter = _t2s()
    try:
        return str(converter.convert(text))  # type: ignore[attr-defined]
    except UnicodeEncodeError:
        # Lone surrogates (from a Python string, never from decoded bytes) cannot
        # reach OpenCC; a stand-in of the same length keeps offsets aligned.
        clean = SURROGATE.sub("\ufffd", text)
        return str(converter.convert(clean))  # type: ignore[attr-defined]


class _LastLines:
    """The lines of the last text :func:`simplified_lines` converted with OpenCC, each
    with its conversion."""

    def __init__(self) -> None:
        self.shadows: dict[str, str] = {}


_last_lines = _LastLines()


def simplified_lines(joined: str) -> str:
    """:func:`simplified_shadow` of ``joined``, lines joined by LF. When OpenCC
    converts it, the conversion of each line is remembered until the next call,
    for :func:`known_t2s`."""
    _last_lines.shadows = {}
    if not t2s_may_change(joined) or OPENCC_UNSAFE.search(joined) is not None:
        return simplified_shadow(joined)
    converted = str(_t2s().convert(joined))  # type: ignore[attr-defined]
    lines = joined.split("\n")
    shadows = converted.split("\n")
    if len(lines) == len(shadows):
        _last_lines.shadows = dict(zip(lines, shadows, strict=True))
    return converted


def known_t2s(lines: Sequence[str]) -> list[str] | None:
    """OpenCC ``t2s`` of each of ``lines`` when :func:`simplified_lines` converted
    every one of them last (the script stage converts the lines the boilerplate
    shadow did, most of them unchanged), else None. No OpenCC dictionary entry
    holds a line break, so a line converts the same within any text."""
    shadows = _last_lines.shadows
    if not shadows:
        return None
    known = []
    for line in lines:
        shadow = shadows.get(line)
        if shadow is None:
            return None
        known.append(shadow)
    return known


def simplified_shadows(texts: list[str]) -> list[str]:
    """:func:`simplified_shadow` of each of ``texts`` (single lines), in one OpenCC call:
    the call costs more than converting a short string. No OpenCC dictionary entry
    holds a line break, so converting the lines joined is converting each."""
    if len(texts) < 2 or any("\n" in t for t in texts):
        return [simplified_shadow(t) for t in texts]
    shadows = simplified_shadow("\n".join(texts)).split("\n")
    if len(shadows) != len(texts):  # never seen; one by one should it happen
        return [simplified_shadow(t) for t in texts]
    return shadows


def han_logfreq(ch: str) -> float:
    """Log probability of a (simplified) Han character; a floor for unseen ones."""
    logp, _ = _table()
    return logp.get(ch, -20.0)


def is_common_han(ch: str) -> bool:
    return ch in _table()[1]


# The Han characters of the Basic Multilingual Plane (is_han, outside the supplementary planes).
_BMP_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@lru_cache(maxsize=1)
def rare_bmp_han_class() -> str:
    """A character class of the BMP Han characters that are not common on the
    simplified shadow: derived at first use from the frequency table and one
    OpenCC call over every such character (each on a line of its own, so no
    phrase conversion joins two of them)."""
    chars = [chr(cp) for lo, hi in _BMP_HAN for cp in range(lo, hi + 1)]
    shadows = simplified_shadow("\n".join(chars)).split("\n")
    if len(shadows) != len(chars):  # OpenCC keeps line breaks; should it not, one by one
        shadows = [simplified_shadow(c) for c in chars]
    return char_class([c for c, s in zip(chars, shadows, strict=True) if not is_common_han(s)])


def text_quality(text: str) -> float:
    """Share of characters that look like ordinary running text, in [0, 1].

    Common Han characters (on the simplified shadow), ASCII printable and
    whitespace, CJK punctuation, kana and hangul count as good; rare Han,
    private-use, control and replacement characters do not. Used to choose
    between decodings of the same bytes.
    """
    if not text:
        return 1.0
    shadow = simplified_shadow(text) if any(is_han(c) for c in text[:2000]) else text
    good = 0.0
    for ch in shadow:
        if ch.isascii():
            good += 1 if (ch.isprintable() or ch in "\t\n\r") else 0
        elif is_han(ch):
            good += 1 if is_common_han(ch) else 0
        elif is_cjk_punctuation(ch) or is_kana(ch) or is_hangul(ch):
            good += 1
        elif ch.isprintable() and not (0xE000 <= ord(ch) <= 0xF8FF) and ch != "\ufffd":
            good += 0.5  # Latin-1 letters etc.: plausible, but weaker evidence
    return good / len(shadow)
