"""Wrong-codec mojibake: bytes of one encoding that were decoded with another.

For each pair (the codec the text was wrongly read with, the codec its bytes
really were in) a line is re-encoded with the wrong codec and decoded with the
right one. Both readings are cut into units at the byte offsets where both
have a character boundary, so a repair covers exactly the bytes that were
misread and the text around them stays as it is. A run of differing units is
replaced only when its new reading decodes cleanly and is clearly more
plausible (:mod:`cleanse.lang.plausibility`); bytes at the edge of a repaired
run that do not decode are reported as unresolved, never guessed.

A cheap scan (:func:`wants`) keeps clean text from being re-encoded at all.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from cleanse.core.document import Edit
from cleanse.lang.chars import LATIN1, LastText, holds, is_cjk, letters_beside_wide
from cleanse.lang.plausibility import cost, known_pairs, suspect_pattern, suspect_positions

# A run of two characters from the upper half of Latin-1 / cp1252: how legacy
# CJK bytes (and UTF-8) look when read as a Western single-byte codec.
_HIGH = "\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
# What legacy CJK bytes or UTF-8 look like when read as Latin-1/cp1252: three
# upper-half characters in a row (a two-byte character and half the next),
# a UTF-8 lead byte (Â-ï) followed by a continuation byte (0x80-0xBF), or two
# pairs whose trail bytes are ASCII. German
# ``öß`` or French ``é`` alone are neither; cp1252's curly quotes and dashes
# alone (“”, ——) are ordinary in Chinese text.
_UPPER = "\u0080-\u009f\u00a1-\u00ff"
_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
LATIN_RUN = re.compile(
    f"(?=[{_HIGH}]{{3}})[{_HIGH}]{{0,2}}[{_UPPER}]"
    f"|[\u00c2-\u00ef][{_CONTINUATION}]"
    # GBK's pinyin letters (row A8): ``B¨§ij¨©ng``.
    "|\u00a8[\u00a1-\u00c0]"
    # Big5 and GBK trail bytes may be ASCII: two characters as ``³o¬O``.
    f"|[\u00a1-\u00fe][\x40-\x7e][\u00a1-\u00fe][\x40-\x7e]"
)
# Every LATIN_RUN match holds, among its first three characters, a Latin-1
# upper-half character with another one of _HIGH beside it or a Latin-1 one two
# after it: matches are looked for only up to two characters before such a one,
# so Chinese text, whose quotes and dashes (“” — …) are cp1252 too, and pinyin
# with tone marks (``yè``: a lone accented letter) cost one search.
LATIN1_TRIGGER = (
    f"[\u0080-\u00ff](?:(?<=[{_HIGH}][\u0080-\u00ff])|(?=[{_HIGH}]|[\\s\\S][\u00a1-\u00fe]))"
)
_LATIN1 = re.compile(LATIN1_TRIGGER)
_LOOK_BACK = 2


def matches_near(
    pattern: re.Pattern[str], trigger: re.Pattern[str], look_back: int, text: str
) -> Iterator[int]:
    """Offsets where ``pattern`` matches, for a pattern whose every match starts at
    most ``look_back`` characters before a ``trigger`` character: each offset is
    tried once, and only near triggers."""
    next_unseen = 0
    for m in trigger.finditer(text):
        for pos in range(max(next_unseen, m.start() - look_back), m.start() + 1):
            if pattern.match(text, pos):
                yield pos
        next_unseen = m.start() + 1


def latin_runs(text: str) -> list[int]:
    """Offsets where LATIN_RUN matches (every one), found near Latin-1 characters only."""
    if not holds(text, LATIN1):
        return []
    return list(matches_near(LATIN_RUN, _LATIN1, _LOOK_BACK, text))


# A CJK character (or other non-Latin letter) glued inside a Latin word: how a
# UTF-8 accented letter looks when read as GBK, Big5, EUC-KR... (``Caf茅``).
INTRUDER = re.compile("[a-z][\u0370-\u1fff\u3040-\ud7ff\uf900-\ufaff][a-z]")

# A replacement run is accepted when it saves at least this much cost...
MIN_GAIN = 6.0
# ...and costs at most this share of what it replaces.
MAX_RATIO = 0.8
# Share of a line's non-ASCII characters that must be suspect (rare Han, odd
# symbols) before CJK-codec misreadings are tried: mojibake is dense with them.
SUSPECT_DENSITY = 0.12
# Share of a line's differing bytes that must decode cleanly under a pair: a
# real misreading decodes almost entirely; a wrong hypothesis mostly fails.
MIN_COVERAGE = 0.7
# Characters of clean UTF-8 a repair must span before its validity alone
# outranks other readings (one lucky pair of bytes proves nothing).
PROOF_LENGTH = 4
PROOF_SHARE = 0.8
# Units of fine text beside a misread run before the run's border is cut there.
MIN_CUT = 3
# Splits of one run by gain before the rest is judged whole (bounds the time).
MAX_SPLITS = 32
EDGE_TOLERANCE = 4.0
# Highest cost per character of a legacy CJK reading (ordinary prose: 4-6).
MAX_MEAN_COST = 8.5
# Characters a GBK<->Big5 repair must span in a line.
MIN_CJK_RUN = 4
# Characters of CJK mojibake a repair to UTF-8 must span in a line.
MIN_UTF8_RUN = 3
# CJK characters a Latin-1 misreading of a legacy CJK codec must give back.
MIN_LEGACY_CJK_CHARS = 3
# A repaired CJK reading holds at least one in-word pair per this many Han characters.
HAN_PER_KNOWN_PAIR = 8


@dataclass(frozen=True)
class CodecPair:
    """Text whose bytes were in ``right`` but were read as ``wrong``."""

    wrong: str
    right: str

    @property
    def label(self) -> str:
        return f"{self.right} read as {self.wrong}"


# Display names of the codecs, as the report names them.
WESTERN = "Latin-1/cp1252"
PAIRS: tuple[CodecPair, ...] = (
    CodecPair(WESTERN, "UTF-8"),
    CodecPair(WESTERN, "GBK"),
    CodecPair(WESTERN, "Big5"),
    CodecPair(WESTERN, "Shift-JIS"),
    CodecPair(WESTERN, "EUC-JP"),
    CodecPair(WESTERN, "EUC-KR"),
    CodecPair("GBK", "UTF-8"),
    CodecPair("GB18030", "UTF-8"),
    CodecPair("Big5", "UTF-8"),
    CodecPair("Shift-JIS", "UTF-8"),
    CodecPair("EUC-JP", "UTF-8"),
    CodecPair("EUC-KR", "UTF-8"),
    CodecPair("GBK", "Big5"),
    CodecPair("Big5", "GBK"),
)

# Python codecs behind each name: the widest superset a decoder may have used.
CODECS = {
    "UTF-8": ("utf-8",),
    "GBK": ("gbk", "gb18030"),
    # The same reader, but with its euro sign read as the two bytes A2 E3.
    "GB18030": ("gb18030",),
    "Big5": ("big5hkscs", "cp950", "big5"),
    "Shift-JIS": ("cp932", "shift_jis"),
    "EUC-JP": ("euc_jp",),
    "EUC-KR": ("cp949",),
}
MAX_CHAR_BYTES = {"EUC-JP": 3, "UTF-8": 4}


@lru_cache(maxsize=1)
def _western_bytes() -> dict[str, int]:
    """Each character a Latin-1 or cp1252 decoder yields, and its byte."""
    table = {chr(b): b for b in range(256)}
    for b in range(0x80, 0xA0):
        with contextlib.suppress(UnicodeDecodeError):
            table[bytes([b]).decode("cp1252")] = b
    return table


@lru_cache(maxsize=1)
def _western_translation() -> dict[int, int]:
    """``str.translate`` table: the cp1252 characters to the Latin-1 characters of
    their bytes (every Latin-1 character already is its own byte)."""
    return {ord(ch): byte for ch, byte in _western_bytes().items() if ord(ch) > 0xFF}


@lru_cache(maxsize=65536)
def _encode_char(ch: str, wrong: str) -> bytes | None:
    """``ch`` as the wrong codec's decoder must have seen it, or ``None``."""
    if wrong == WESTERN:
        byte = _western_bytes().get(ch)
        return None if byte is None else bytes([byte])
    if ch == "\ufffd":
        return None
    if wrong == "GBK" and ch == "\u20ac":
        # Windows-936 and browsers read the lone byte 0x80 as the euro sign; so
        # does GB18030 the pair A2 E3, which the "GB18030" reader tries instead.
        return b"\x80"
    for codec in CODECS[wrong]:
        try:
            b = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        # GB18030's four-byte forms never come out of a GBK decoder.
        return b if len(b) <= MAX_CHAR_BYTES.get(wrong, 2) else None
    return None


def _right_codec(right: str) -> str:
    return "gb18030" if right == "GBK" else CODECS[right][0]


def _char_bytes(line: str, i: int, pair: CodecPair) -> bytes | None:
    """The bytes behind ``line[i]`` under ``pair``, or ``None`` when unknown.

    A U+FFFD stands for bytes a lossy decoder threw away; which ones depends on
    the decoder (Python's GBK also rejects the user-defined rows that browsers
    map to private use), so it is never turned back into bytes.
    """
    return _encode_char(line[i], pair.wrong)


# Unit, Stretch and Verdict are made by the thousand per line looked at: classes
# with a written-out constructor, which the compiled build makes native (a frozen
# dataclass's generated one sets each field through object.__setattr__, in Python).
class Unit:
    """The smallest span both readings agree on the borders of."""

    __slots__ = ("after", "end", "start", "valid")

    def __init__(self, start: int, end: int, after: str, valid: bool) -> None:
        self.start = start  # in the line's text
        self.end = end
        self.after = after
        self.valid = valid  # the bytes decode cleanly in the right codec


def _decode_one(data: bytes, pos: int, codec: str) -> tuple[str, int] | None:
    """The character the right codec reads at ``data[pos]`` and its length."""
    for size in range(1, 5):
        if pos + size > len(data):
            return None
        try:
            ch = data[pos : pos + size].decode(codec)
        except UnicodeDecodeError:
            continue
        if ch == "\x00" or (ord(ch[0]) < 0x20 and ch not in "\t"):
            return None
        return ch, size
    return None


# Characters of the right reading a unit may hold before alignment is given up.
MAX_UNIT = 8


def _units(segment: str, offset: int, pair: CodecPair) -> list[Unit] | None:
    """Align ``segment`` with its reading in ``pair.right`` (``None``: cannot).

    From each point where both readings are in step, characters are read in
    the right codec until they end where a character of the segment ends: that
    is a unit. When the bytes do not decode (or never come back in step), the
    segment's next character is a unit of its own, marked invalid, and reading
    starts again after it, so a misaligned stretch never swallows fine text
    beside it.
    """
    if pair.wrong == WESTERN:
        # One byte per character: the whole segment at once.
        try:
            data = segment.translate(_western_translation()).encode("latin-1")
        except UnicodeEncodeError:
            return None
        bounds = list(range(len(segment) + 1))
    else:
        parts: list[bytes] = []
        for i in range(len(segment)):
            b = _char_bytes(segment, i, pair)
            if b is None:
                return None
            parts.append(b)
        bounds = [0]
        for part in parts:
            bounds.append(bounds[-1] + len(part))
        data = b"".join(parts)
    char_at = {byte: i for i, byte in enumerate(bounds)}
    codec = _right_codec(pair.right)
    units: list[Unit] = []
    i = 0
    while i < len(segment):
        ch = segment[i]
        if " " <= ch <= "~" or ch == "\t":
            # Printable ASCII is one byte in every codec here, and reads as itself
            # where both readings are in step: a unit of its own, no decoding.
            units.append(Unit(offset + i, offset + i + 1, ch, True))
            i += 1
            continue
        pos = bounds[i]
        read: list[str] = []
        end = None
        while len(read) < MAX_UNIT:
            one = _decode_one(data, pos, codec)
            if one is None:
                break
            read.append(one[0])
            pos += one[1]
            if pos in char_at:
                end = char_at[pos]
                break
        if end is None:
            units.append(Unit(offset + i, offset + i + 1, "\ufffd", False))
            i += 1
        else:
            units.append(Unit(offset + i, offset + end, "".join(read), True))
            i = end
    return units


class Verdict:
    """The repairs a pair proposes for one line, and how much they gain."""

    __slots__ = ("edits", "gain", "proof")

    def __init__(self, edits: tuple[Edit, ...], gain: float, proof: bool) -> None:
        self.edits = edits
        self.gain = gain
        self.proof = proof  # the repair decodes as clean UTF-8 across its whole window


class Stretch:
    """Consecutive differing units that all decode cleanly, or one that does not."""

    __slots__ = ("after", "end", "gain", "start", "strong", "valid")

    def __init__(
        self, start: int, end: int, after: str, valid: bool, gain: float, strong: bool
    ) -> None:
        self.start = start
        self.end = end
        self.after = after
        self.valid = valid
        self.gain = gain  # cost saved by the new reading (with one character of context)
        self.strong = strong  # saves enough to stand on its own


def _split_by_gain(text: str, group: list[Unit]) -> list[list[Unit]]:
    """Cut a run of cleanly decoding units where the new reading stops paying.

    Fine text next to a misread run re-encodes into valid but worse characters;
    the run itself is where the per-unit gains add up. The best-scoring
    contiguous piece is found (maximum subarray) and the rest split again
    (with a work list, not recursion: a long run can split many times).
    """
    done: list[list[Unit]] = []
    todo = [group]
    splits = 0
    while todo:
        current = todo.pop()
        # Each split rescans its piece: a budget keeps adversarial runs linear.
        # Pieces left when it runs out stay whole (judged as they are).
        pieces = _split_once(text, current) if splits < MAX_SPLITS else [current]
        splits += 1
        if len(pieces) == 1:
            done.append(current)
            continue
        left, middle, right = pieces
        done.append(middle)
        todo.extend(piece for piece in (left, right) if piece)
    return sorted((piece for piece in done if piece), key=lambda piece: piece[0].start)


def _split_once(text: str, group: list[Unit]) -> list[list[Unit]]:
    """``[group]`` when it stays whole, else ``[left, best piece, right]``."""
    if len(group) < 2:
        return [group]
    gains = []
    prev_old = text[group[0].start - 1 : group[0].start] if group[0].start else ""
    prev_new = prev_old
    for unit in group:
        before = text[unit.start : unit.end]
        old = cost(prev_old + before, False) - cost(prev_old, False)
        new = cost(prev_new + unit.after, False) - cost(prev_new, False)
        gains.append(old - new)
        prev_old, prev_new = before[-1:], unit.after[-1:]
    best, best_start, best_end = 0.0, 0, 0
    running, start = 0.0, 0
    for i, g in enumerate(gains):
        if running <= 0:
            running, start = g, i
        else:
            running += g
        if running > best:
            best, best_start, best_end = running, start, i + 1
    # Per-unit gains are noisy at a run's first and last characters (a pair's
    # gain is counted on its second character): a short edge that costs little
    # stays with the run, fine text that clearly reads worse is cut off.
    if best_start < MIN_CUT and sum(gains[:best_start]) > -EDGE_TOLERANCE:
        best_start = 0
    if len(group) - best_end < MIN_CUT and sum(gains[best_end:]) > -EDGE_TOLERANCE:
        best_end = len(group)
    # A mojibake-looking character just outside the piece (``ρ`` for 老) joins
    # it when it costs little: its gain is counted against a junk neighbour.
    suspect = suspect_pattern()
    while (
        best_start > 0
        and gains[best_start - 1] > -EDGE_TOLERANCE
        and suspect.search(text, group[best_start - 1].start, group[best_start - 1].end)
    ):
        best_start -= 1
    while (
        best_end < len(group)
        and gains[best_end] > -EDGE_TOLERANCE
        and suspect.search(text, group[best_end].start, group[best_end].end)
    ):
        best_end += 1
    if best <= 0 or (best_start == 0 and best_end == len(group)):
        return [group]
    return [group[:best_start], group[best_start:best_end], group[best_end:]]


def _latin_like(ch: str) -> bool:
    """A letter, sign or punctuation mark of Western text."""
    cp = ord(ch)
    return cp <= 0x24F or 0x2010 <= cp <= 0x206F or 0x20A0 <= cp <= 0x20CF or ch == "\u2122"


def _letter_in_word(after: str, left: str, right: str) -> bool:
    """Accented Latin letters touching an ASCII letter: part of a Latin word."""
    return (
        bool(after)
        and all(c.isalpha() and not c.isascii() and ord(c) <= 0x24F for c in after)
        and any(c.isascii() and c.isalpha() for c in left[-1:] + right[:1])
    )


def _foreign_letter(ch: str) -> bool:
    """A letter of an alphabet other than Latin or Greek, and not CJK. (Greek is
    spared for its units, ``5μm``; CJK because it is written against Latin words.)"""
    cp = ord(ch)
    return ch.isalpha() and not (cp <= 0x24F or 0x370 <= cp <= 0x3FF or is_cjk(ch))


def lone_foreign_letters(text: str) -> int:
    """Letters of another alphabet standing alone inside or against a Latin word
    (``xܡy``): what one misread character gives, and what text almost never has."""
    count = 0
    for i, ch in enumerate(text):
        if not _foreign_letter(ch):
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if any(_foreign_letter(c) for c in before + after):
            continue
        if any(c.isascii() and c.isalpha() for c in before + after):
            count += 1
    return count


def _glued_foreign_letter(after: str, left: str, right: str) -> bool:
    """One misread character giving a lone foreign letter against a Latin word
    (``xÜ¡y`` -> ``xܡy``): the weakest evidence and the least likely text."""
    return len(after) == 1 and lone_foreign_letters(left[-1:] + after + right[:1]) > 0


def _expected_output(after: str, left: str, right: str) -> bool:
    """What undoing a CJK misreading can give: CJK text, or Western letters and
    signs among Western text (``Caf茅`` -> ``Café``, ``竄ｬ`` -> ``€``); not
    stray Arabic or math signs in a CJK line."""
    if any(is_cjk(c) for c in after):
        return True
    odd = [c for c in after if not c.isascii()]
    neighbours = left[-1:] + right[:1]
    # A single letter is read back only inside a Latin word (``Caf茅``): beside
    # anything else one CJK character proves no misreading.
    if (
        len(after) == 1
        and after.isalpha()
        and not any(c.isascii() and c.isalpha() for c in neighbours)
    ):
        return False
    # Among Western text: the characters beside it are Western too (another
    # script there, CJK or not, makes the Western reading the odd one out).
    return bool(odd) and all(_latin_like(c) for c in odd + list(neighbours))


def _stretches(text: str, run: list[Unit], pair: CodecPair) -> list[Stretch]:
    groups: list[list[Unit]] = []
    for unit in run:
        if unit.valid and groups and groups[-1][-1].valid:
            groups[-1].append(unit)
        else:
            groups.append([unit])
    out = []
    for whole in groups:
        if not whole[0].valid:
            after = "".join(u.after for u in whole)
            out.append(Stretch(whole[0].start, whole[-1].end, after, False, 0.0, False))
            continue
        for group in _split_by_gain(text, whole):
            start, end = group[0].start, group[-1].end
            after = "".join(u.after for u in group)
            # One character of context on each side, the same for both readings.
            # The end of the text reads as the line break normalize will put there.
            left, right = text[max(0, start - 1) : start], text[end : end + 1] or "\n"
            old, new = cost(left + text[start:end] + right), cost(left + after + right)
            # Two Latin-1 characters making one CJK character prove little on their own.
            shortest = 4 if pair.wrong == WESTERN and pair.right != "UTF-8" else 1
            if _letter_in_word(after, left, right):
                shortest = 1  # GBK's pinyin letters: ``B¨§ij¨©ng`` -> ``Běijīng``
            strong = new <= old - MIN_GAIN and new <= old * MAX_RATIO and end - start >= shortest
            # A CJK reading must read as ordinary text, not merely as less odd
            # junk (a lossy reader's shifted bytes decode to junk too), and must
            # give what undoing CJK mojibake can give.
            ordinary = (
                pair.wrong == WESTERN and pair.right == "UTF-8"
            ) or new <= MAX_MEAN_COST * len(left + after + right)
            if (
                not ordinary
                or (pair.wrong != WESTERN and not _expected_output(after, left, right))
                or (pair.wrong == WESTERN and _glued_foreign_letter(after, left, right))
            ):
                strong, old = False, new  # counts as no gain: never repaired
            out.append(Stretch(start, end, after, True, old - new, strong))
    return out


def _verdict(text: str, stretches: list[Stretch], pair: CodecPair) -> Verdict:
    """Repair the strong stretches of a line, and the weaker ones beside them.

    A stretch that reads better but not by enough to stand alone (``Caf茅 `` ->
    ``Café ``) is repaired when the same misreading was proven elsewhere in the
    line. Undecodable stretches next to a repair are reported, not guessed.
    """
    strong = [i for i, s in enumerate(stretches) if s.strong]
    if not strong:
        return Verdict((), 0.0, False)
    # Between the first and the last strong repair, a real misreading decodes
    # almost entirely; a wrong hypothesis scores a few lucky characters among
    # many that fail.
    first, last = strong[0], strong[-1]
    window = stretches[first : last + 1]
    differing = sum(s.end - s.start for s in window)
    decodable = sum(s.end - s.start for s in window if s.valid and s.gain > 0)
    if decodable < MIN_COVERAGE * differing:
        return Verdict((), 0.0, False)

    def joins(a: Stretch, b: Stretch) -> bool:
        # Weaker repairs beside the window ride along when nothing but ASCII
        # (spaces, Latin letters) separates them; fine CJK text stops them.
        return a.valid and a.gain > 0 and text[min(a.end, b.end) : max(a.start, b.start)].isascii()

    while first > 0 and joins(stretches[first - 1], stretches[first]):
        first -= 1
    while last + 1 < len(stretches) and joins(stretches[last + 1], stretches[last]):
        last += 1
    accepted = [
        first <= i <= last and s.valid and (s.strong or s.gain > 0) for i, s in enumerate(stretches)
    ]
    if pair.wrong != WESTERN:
        # Read with a CJK codec, a rare character or two that read as common
        # ones are no proof of a misreading (names, classical text): a repair
        # must span a few characters, unless it restores Western letters.
        taken = [s for s, ok in zip(stretches, accepted, strict=True) if ok]
        western = all(not any(is_cjk(c) for c in s.after) for s in taken)
        shortest = MIN_CJK_RUN if pair.right != "UTF-8" else MIN_UTF8_RUN
        if not western and sum(s.end - s.start for s in taken) < shortest:
            return Verdict((), 0.0, False)
        # Real words: some pairs of the new reading occur inside known words.
        pairs, han = known_pairs("".join(s.after for s in taken))
        if han >= 2 and pairs < max(1, han // HAN_PER_KNOWN_PAIR):
            return Verdict((), 0.0, False)
    elif pair.right != "UTF-8":
        # Latin-1 letters read back as a legacy CJK codec: two characters are too
        # few to tell a misreading from accented letters (``\xa0¡Ýé`` is not 젩憊).
        taken_after = "".join(s.after for s, ok in zip(stretches, accepted, strict=True) if ok)
        cjk_chars = sum(1 for c in taken_after if is_cjk(c))
        if 0 < cjk_chars < MIN_LEGACY_CJK_CHARS:
            return Verdict((), 0.0, False)
    # UTF-8 that decodes cleanly across the whole window is proof on its own:
    # legacy or Latin text almost never forms valid multi-byte sequences.
    span = stretches[first : last + 1]
    proof = (
        pair.right == "UTF-8"
        and all(s.valid for s in span)
        and sum(s.end - s.start for s in span) >= PROOF_LENGTH
    )
    edits: list[Edit] = []
    gain = 0.0
    for i, stretch in enumerate(stretches):
        if accepted[i]:
            gain += stretch.gain
            edits.append(
                Edit(
                    stretch.start,
                    stretch.end,
                    stretch.after,
                    f"mojibake: {pair.label}, re-encoded and decoded again",
                    confidence=0.95 if stretch.strong else 0.8,
                    category="wrong-codec",
                )
            )
        elif (
            not stretch.valid
            and (
                (i > 0 and accepted[i - 1] and stretches[i - 1].end == stretch.start)
                or (
                    i + 1 < len(stretches)
                    and accepted[i + 1]
                    and stretches[i + 1].start == stretch.end
                )
            )
            # Fine text right beside a repaired run fails to decode too: only
            # mojibake-looking leftovers are reported.
            and suspect_pattern().search(text, stretch.start, stretch.end) is not None
        ):
            edits.append(
                Edit(
                    stretch.start,
                    stretch.end,
                    text[stretch.start : stretch.end],
                    f"mojibake: {pair.label}, but these bytes do not decode "
                    "(a character cut or lost); kept as they are",
                    confidence=0.5,
                    unresolved=True,
                    category="wrong-codec",
                )
            )
    return Verdict(tuple(edits), gain, proof)


# cp1252 punctuation that is ordinary in CJK text (curly quotes, dashes, ellipsis).
_CJK_PUNCT_IN_CP1252 = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00b7")


def _segments(line: str, pair: CodecPair, trim: bool = False) -> Iterator[tuple[int, int]]:
    """Maximal stretches of ``line`` the wrong codec can spell.

    ``trim``: curly quotes and dashes touching CJK text at a stretch's edge
    belong to that text, not to the mojibake beside it (left in, they shift
    every byte pair after them); but they are also Shift-JIS and GBK lead
    bytes, so both ways are tried.
    """
    start = None
    for i in range(len(line) + 1):
        if i < len(line) and _char_bytes(line, i, pair) is not None:
            if start is None:
                start = i
            continue
        if start is not None:
            end = i
            if trim:
                while (
                    start < end
                    and line[start] in _CJK_PUNCT_IN_CP1252
                    and start > 0
                    and is_cjk(line[start - 1])
                ):
                    start += 1
                while (
                    end > start
                    and line[end - 1] in _CJK_PUNCT_IN_CP1252
                    and end < len(line)
                    and is_cjk(line[end])
                ):
                    end -= 1
            if start < end:
                yield start, end
            start = None


def _pair_verdict(text: str, start: int, end: int, pair: CodecPair) -> Verdict:
    verdict = _line_verdict(text, start, end, pair, trim=False)
    if pair.wrong == WESTERN and not verdict.edits:
        # Nothing found: perhaps a quote mark of the fine text beside the run
        # shifted the byte pairs (``”Í¼Êé`` for ``”图书``).
        verdict = _line_verdict(text, start, end, pair, trim=True)
    return verdict


def _line_verdict(text: str, start: int, end: int, pair: CodecPair, trim: bool) -> Verdict:
    stretches: list[Stretch] = []
    line = text[start:end]
    for s, e in _segments(line, pair, trim):
        if line[s:e].isascii():
            continue
        units = _units(line[s:e], start + s, pair)
        if units is None:
            continue
        run: list[Unit] = []
        for unit in [*units, None]:
            if unit is not None and text[unit.start : unit.end] != unit.after:
                run.append(unit)
                continue
            if run:
                stretches.extend(_stretches(text, run, pair))
                run = []
    verdict = _verdict(text, stretches, pair)
    if verdict.proof:
        # Proof needs the clean UTF-8 to cover most of the line's non-ASCII
        # text: two Latin-1 characters form a valid sequence by chance often.
        non_ascii = len(line) - len(line.encode("ascii", "ignore"))
        covered = sum(e.end - e.start for e in verdict.edits if not e.unresolved)
        if covered < PROOF_SHARE * non_ascii:
            verdict = Verdict(verdict.edits, verdict.gain, False)
    return verdict


def _candidate_pairs(line: str) -> list[CodecPair]:
    latin = LATIN_RUN.search(line) is not None
    suspects = INTRUDER.search(line) is not None
    if not suspects:
        found = len(suspect_pattern().findall(line))
        if found >= 2:
            non_ascii = len(line) - len(line.encode("ascii", "ignore"))
            suspects = found >= SUSPECT_DENSITY * non_ascii
    return [p for p in PAIRS if (latin if p.wrong == WESTERN else suspects)]


def _lines(text: str) -> list[tuple[int, int]]:
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
    ends = [s - 1 for s in starts[1:]] + [len(text)]
    return list(zip(starts, ends, strict=True))


_NEWLINE = re.compile("\n")


def _lines_to_look_at(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The lines of ``text`` and the indices of those the cheap scan flags (the
    scan :func:`wants` makes, on the whole text at once and each search once)."""
    return _looked_at.of(text)


def _scan_lines(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    if text.isascii():
        return [], []
    # Every match starts at a lowercase letter with a wide character after it
    # (overlapping ones are found too: only the lines they are on count).
    intruders = [p for p in letters_beside_wide(text) if INTRUDER.match(text, p)]
    latin = latin_runs(text)
    suspects = suspect_positions(text)
    if not intruders and not latin and len(suspects) < 2:
        return [], []
    lines = _lines(text)
    starts = [start for start, _ in lines]
    flagged = {bisect.bisect_right(starts, pos) - 1 for pos in [*latin, *intruders]}
    per_line = collections.Counter(bisect.bisect_right(starts, pos) - 1 for pos in suspects)
    flagged.update(i for i, n in per_line.items() if n >= 2)
    return lines, sorted(flagged)


# The stage asks :func:`wants` before the pass that scans the same text again.
_looked_at = LastText(_scan_lines)


# Pairs fully judged per line, after a quick look at all of them.
PAIRS_JUDGED = 3


def _quick_score(line: str, pair: CodecPair) -> float:
    """Share of the line's non-ASCII characters whose new reading is ordinary."""
    parts = [_char_bytes(line, i, pair) for i in range(len(line))]
    data = b"".join(p for p in parts if p is not None)
    decoded = data.decode(_right_codec(pair.right), errors="surrogateescape")
    odd = len(suspect_pattern().findall(decoded)) + sum(
        1 for c in decoded if 0xDC80 <= ord(c) <= 0xDCFF
    )
    non_ascii = sum(1 for c in decoded if not c.isascii())
    return 1.0 - odd / max(non_ascii, 1)


def _most_promising(line: str, pairs: list[CodecPair]) -> list[CodecPair]:
    """The few pairs whose reading of the line looks most ordinary at a glance."""
    if len(pairs) <= PAIRS_JUDGED:
        return pairs
    ranked = sorted(pairs, key=lambda p: -_quick_score(line, p))
    # UTF-8 is always judged: its clean decoding is the strongest proof there is.
    keep = ranked[:PAIRS_JUDGED]
    return [p for p in pairs if p in keep or p.right == "UTF-8"]


def wants(text: str) -> bool:
    """Whether :func:`codec_edits` has a line to look at (its cheap scan)."""
    return bool(_lines_to_look_at(text)[1])


def codec_edits(text: str, within: list[tuple[int, int]] | None = None) -> list[Edit]:
    """Edits that undo one layer of wrong-codec mojibake, line by line.

    ``within``: spans of ``text`` a previous layer repaired; when given, only
    the lines holding them are looked at again (a second layer undoes the
    first layer's output).
    """
    edits: list[Edit] = []
    lines, flagged = _lines_to_look_at(text)
    for index in flagged:
        start, end = lines[index]
        line = text[start:end]
        if within is not None and not any(a < end and b > start for a, b in within):
            continue
        pairs = _most_promising(line, _candidate_pairs(line))
        best: Verdict | None = None
        for pair in pairs:
            verdict = _pair_verdict(text, start, end, pair)
            if verdict.gain > 0 and (
                best is None or (verdict.proof, verdict.gain) > (best.proof, best.gain)
            ):
                best = verdict
        if best is not None:
            edits.extend(best.edits)
    return edits
