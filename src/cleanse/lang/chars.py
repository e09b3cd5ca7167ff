"""Character classes used across stages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

# The code points is_han accepts, as the inside of a regular-expression class.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


def is_han(ch: str) -> bool:
    """A CJK unified or compatibility ideograph."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3134F
    )


def is_private_use(ch: str) -> bool:
    cp = ord(ch)
    return 0xE000 <= cp <= 0xF8FF or 0xF0000 <= cp <= 0x10FFFD


def is_cjk_punctuation(ch: str) -> bool:
    """Ideographic punctuation and full-width forms of ASCII punctuation."""
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x303F
        or 0xFF01 <= cp <= 0xFF0F
        or 0xFF1A <= cp <= 0xFF20
        or ch in ("\u201c\u201d\u2018\u2019\u2026\u2014\u00b7\uff5e\uff3b\uff3d\uff5b\uff5d")
    )


def is_kana(ch: str) -> bool:
    return 0x3040 <= ord(ch) <= 0x30FF


def is_hangul(ch: str) -> bool:
    cp = ord(ch)
    return 0xAC00 <= cp <= 0xD7A3 or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F


def is_cjk(ch: str) -> bool:
    """Any character of CJK running text (ideographs, kana, hangul, CJK punctuation)."""
    return is_han(ch) or is_kana(ch) or is_hangul(ch) or is_cjk_punctuation(ch)


def char_class(chars: Iterable[str]) -> str:
    """A regular-expression character class of ``chars``, consecutive code points as ranges.

    A search for a large class of BMP characters runs at C speed (the engine
    compiles it to a bitmap): the way to find characters of a derived set (rare,
    traditional-only...) without a Python loop over the text. A class with
    characters beyond the BMP is matched range by range: see :class:`CharSearch`.
    """
    points = sorted({ord(c) for c in chars})

    def escape(cp: int) -> str:
        return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"

    parts: list[str] = []
    k = 0
    while k < len(points):
        j = k
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        lo, hi = points[k], points[j]
        parts.append(escape(lo) if lo == hi else f"{escape(lo)}-{escape(hi)}")
        k = j + 1
    return "[" + "".join(parts) + "]" if parts else "[^\\s\\S]"


# C0 and C1 controls except tab, line feed and the line-break controls (CR, VT,
# FF, NEL), and invisible format characters that carry nothing in running text:
# what the normalize stage removes; stages before it judge text without them.
INVISIBLE_CHARS = "".join(
    chr(cp)
    for cp in [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0x85), *range(0x86, 0xA0)]
) + ("\u00ad\u200b\u2060\ufeff\ufff9\ufffa\ufffb")


def listed_class(chars: str) -> str:
    """A character class naming each of ``chars``: the engine tests such a class
    against a bitmap, while a class of a few ranges is tested range after range
    (three times slower on CJK text, whose characters fall outside all of them)."""
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


def literal_first(chars: str, rest: str = "") -> tuple[re.Pattern[str], ...]:
    """``[chars]rest`` as one search per character of ``chars``, each starting with it
    as a literal: the engine skips ahead to a literal at memory-scan speed, while a
    class is tested at every character of the text. Together they match where
    ``[chars]rest`` does (``rest`` must not depend on which character matched)."""
    return tuple(re.compile(re.escape(ch) + rest) for ch in chars)


def match_starts(searches: Iterable[re.Pattern[str]], text: str) -> list[int]:
    """Where each of ``searches`` (as :func:`literal_first` makes them) matches, ascending."""
    return sorted(m.start() for search in searches for m in search.finditer(text))


# Class-first ("[x][x]*", not "[x]+"): the engine skips to where the class matches.
INVISIBLE_RUN = re.compile(listed_class(INVISIBLE_CHARS) + listed_class(INVISIBLE_CHARS) + "*")

# Normalize also removes joiners with nothing to join. Joiners matter inside emoji
# and some scripts; they are junk next to CJK or spaces, at the start or end of the
# text, or next to an invisible character that goes anyway (so that removing it
# cannot leave a stray joiner for a second run to find).
_JOINER_JUNK_NEIGHBOUR = (
    r"[\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
    r"\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\u2060\ufeff\u00ad\ufff9-\ufffb\ud800-\udfff]"
)
STRAY_JOINER = re.compile(
    rf"(?<={_JOINER_JUNK_NEIGHBOUR})[\u200c\u200d]+"
    rf"|[\u200c\u200d]+(?={_JOINER_JUNK_NEIGHBOUR})"
    r"|^[\u200c\u200d]+|[\u200c\u200d]+\Z"
)
JOINER = re.compile("[\u200c\u200d]")
# All that normalize removes (a pattern for text that holds joiners; INVISIBLE_RUN
# alone is the faster scan for text that holds none).
REMOVED_BY_NORMALIZE = re.compile(f"{INVISIBLE_RUN.pattern}|{STRAY_JOINER.pattern}")


T = TypeVar("T")


class LastText(Generic[T]):
    """``scan`` remembered for the last text it was given: a stage's cheap scan and
    the pass after it, or stages that pass a text on unchanged (the same string
    object), ask the same question of the same text."""

    def __init__(self, scan: Callable[[str], T]) -> None:
        self._scan = scan
        self._last: tuple[str, T] | None = None

    def of(self, text: str) -> T:
        last = self._last
        if last is None or last[0] is not text:
            last = self._last = (text, self._scan(text))
        return last[1]


class CharSearch:
    """Whether a text holds any character of a large set, or any of a set of
    phrases, at C speed.

    The set's BMP characters and its supplementary-plane characters are searched
    apart: a class mixing both is not compiled to a bitmap and is slow. A phrase
    is looked for at its rarest character (by ``rarity``, lowest rarest) and
    checked where that character is found, all in the same class search (any
    ``rarity`` finds every phrase; a good one makes fewer checks).
    """

    def __init__(
        self,
        chars: Iterable[str],
        phrases: Iterable[str] = (),
        rarity: Callable[[str], float] = ord,
    ) -> None:
        self._chars = frozenset(chars)
        # Every occurrence of a phrase holds its marker at ``at``, the marker's first
        # place in it; the search visits every occurrence of a marker.
        self._phrases: dict[str, list[tuple[str, int]]] = {}
        for phrase in phrases:
            marker = min(phrase, key=rarity)
            self._phrases.setdefault(marker, []).append((phrase, phrase.index(marker)))
        wanted = {*self._chars, *self._phrases}
        self._bmp = re.compile(char_class(c for c in wanted if ord(c) <= 0xFFFF))
        beyond = [c for c in wanted if ord(c) > 0xFFFF]
        self._beyond = re.compile(char_class(beyond)) if beyond else None
        # The last text asked about and the answer: stages that pass a text on
        # unchanged (the same string object) ask the same question of it.
        self._last: tuple[str, bool] | None = None

    def _found(self, pattern: re.Pattern[str], text: str) -> bool:
        for m in pattern.finditer(text):
            ch = m.group()
            if ch in self._chars:
                return True
            for phrase, at in self._phrases.get(ch, ()):
                start = m.start() - at
                if start >= 0 and text.startswith(phrase, start):
                    return True
        return False

    def found_in(self, text: str) -> bool:
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        found = self._found(self._bmp, text) or (
            self._beyond is not None and holds(text, ASTRAL) and self._found(self._beyond, text)
        )
        self._last = (text, found)
        return found


# ---------------------------------------------------------------- sparse characters

# Kinds of character that ordinary text rarely holds, and that many stages ask
# about before anything else (is there a CR, a private-use character, a Latin-1
# letter...?). One scan of a text answers for every kind (see :func:`holds`).
BREAKS = 1  # line breaks other than LF: CR, VT, FF, NEL, U+2028, U+2029
CONTROLS = 2  # INVISIBLE_CHARS: controls, and the soft hyphen, ZWSP, BOM... normalize removes
FORMAT = 4  # U+200B-U+200F and U+2060-U+2064: zero widths, joiners, marks
LATIN1 = 8  # U+0080-U+00FF
SURROGATES = 16  # lone surrogates (a Python string may hold them)
PRIVATE_USE = 32  # U+E000-U+F8FF
COMPATIBILITY = 64  # CJK compatibility ideographs, U+F900-U+FAFF
SPECIALS = 128  # U+FFF9-U+FFFD (annotation marks, the replacement character)
ASTRAL = 256  # beyond the Basic Multilingual Plane

# The inside of a character class of each kind.
_KIND_CLASSES: dict[int, str] = {
    BREAKS: "\\r\\x0b\\x0c\\x85\\u2028\\u2029",
    CONTROLS: char_class(INVISIBLE_CHARS)[1:-1],
    FORMAT: "\\u200b-\\u200f\\u2060-\\u2064",
    LATIN1: "\\x80-\\xff",
    SURROGATES: "\\ud800-\\udfff",
    PRIVATE_USE: "\\ue000-\\uf8ff",
    COMPATIBILITY: "\\uf900-\\ufaff",
    SPECIALS: "\\ufff9-\\ufffd",
    ASTRAL: "\\U00010000-\\U0010ffff",
}
_EVERY_KIND = sum(_KIND_CLASSES)
# The kinds one search answers: those of the BMP. A class that mixes in characters
# beyond it is no longer a bitmap and costs half as much again; whether a text holds
# any of those is asked apart, and only when asked (see _holds_astral).
_BMP_KINDS = _EVERY_KIND & ~ASTRAL
_KIND_PATTERNS = {kind: re.compile(f"[{inside}]") for kind, inside in _KIND_CLASSES.items()}
_census_patterns: dict[int, re.Pattern[str]] = {}


def _census_pattern(kinds: int) -> re.Pattern[str]:
    """One class of every character of ``kinds``."""
    pattern = _census_patterns.get(kinds)
    if pattern is None:
        inside = "".join(c for k, c in _KIND_CLASSES.items() if kinds & k)
        pattern = _census_patterns[kinds] = re.compile(f"[{inside}]")
    return pattern


def _kinds_of(ch: str) -> int:
    return sum(kind for kind, pattern in _KIND_PATTERNS.items() if pattern.match(ch))


def _holds_astral(text: str) -> bool:
    """Whether ``text`` holds a character beyond the BMP: such a character takes two
    UTF-16 code units (a lone surrogate takes one), and encoding is a memory copy."""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


class _Census:
    """The kinds found in the last text asked about: the stages a text passes
    unchanged (the same string object) share one scan of it."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.kinds = 0  # the BMP kinds found
        self.astral: bool | None = None  # not asked yet


_last_census = _Census()


def _census(text: str) -> _Census:
    """The census of ``text``'s BMP kinds.

    One search for a character of any kind; from each one found on, the search
    goes on for the kinds still missing only, so the text is scanned once.
    """
    memo = _last_census
    if memo.text is text:
        return memo
    found = 0
    pos = 0
    while found != _BMP_KINDS:
        m = _census_pattern(_BMP_KINDS & ~found).search(text, pos)
        if m is None:
            break
        found |= _kinds_of(m.group())
        pos = m.end()
    memo.text, memo.kinds, memo.astral = text, found, None
    return memo


def sparse_kinds(text: str) -> int:
    """The kinds (above) of the characters ``text`` holds, as a bit set."""
    return _census(text).kinds | (ASTRAL if holds(text, ASTRAL) else 0)


def holds(text: str, kinds: int) -> bool:
    """Whether ``text`` holds a character of any of ``kinds``: a stage asks this
    before a search that can only match where such a character is."""
    census = _census(text)
    if census.kinds & kinds:
        return True
    if not kinds & ASTRAL:
        return False
    if census.astral is None:
        census.astral = _holds_astral(text)
    return census.astral


# ASCII letters and the symbols a lossy GBK gateway leaves glued between Han
# characters: the character every "Latin letter beside a wide character" scan
# starts at (the wrong-codec intruder, the gateway's glued letter).
ASCII_LETTER_OR_GLUE = r"A-Za-z@\[\\\]^_{|}~`"
_LETTERS_OR_GLUE = frozenset(
    c for c in map(chr, range(128)) if re.match(f"[{ASCII_LETTER_OR_GLUE}]", c)
)
# Runs of non-ASCII characters: a repeated class runs at memory speed, so the
# letters beside them are found from the runs' ends (a search from each letter
# would stop at every letter of English text).
_WIDE_RUN = re.compile(r"[^\x00-\x7f][^\x00-\x7f]*")


class _LetterScan:
    """The positions found in the last text asked about."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.positions: list[int] = []


_last_letter_scan = _LetterScan()


def letters_beside_wide(text: str) -> list[int]:
    """Positions of ASCII letters and glue symbols (:data:`ASCII_LETTER_OR_GLUE`)
    next to a non-ASCII character, ascending. A scan whose matches all start at
    one asks for these and tries its pattern there: several such scans of a text
    share one pass over it."""
    memo = _last_letter_scan
    if memo.text is not text:
        found: list[int] = []
        if not text.isascii():
            n = len(text)
            letters = _LETTERS_OR_GLUE
            for m in _WIDE_RUN.finditer(text):
                start, end = m.span()
                # (One letter between two runs is found once, after the first.)
                if start and text[start - 1] in letters and (not found or found[-1] != start - 1):
                    found.append(start - 1)
                if end < n and text[end] in letters:
                    found.append(end)
        memo.text, memo.positions = text, found
    return memo.positions
