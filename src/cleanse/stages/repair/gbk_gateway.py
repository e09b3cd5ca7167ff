"""Byte-misaligned GBK damage left by a byte-blind traditional-script gateway.

Such a gateway encodes the page in GBK, then, with plain byte-string
replacement, appends ``(pinyin)`` after the bytes of some characters and turns
full-width ``？！，：；`` into ASCII. Where the trail byte of one character and
the lead byte of the next happen to spell a character (or a full-width mark)
of its tables, the replacement lands *between* the two halves of a real
character. A lossy decoder then turns the orphaned byte into ``?`` (sometimes
swallowing the next byte) or drops it, and the following bytes decode one
byte out of step until an ASCII byte puts them back in step.

Repair is a bounded search over byte hypotheses in short windows around the
evidence (``?`` or a private-use character inside Han text, an annotation that
does not name the character before it or lost its ``(``, an ASCII letter or
symbol glued between Han characters, runs of rare characters, and, in text that
carries the gateway's annotations, a quotation ended by ``!`` without its
closing mark). Each window is re-encoded; for every ``?``, annotation and
ASCII mark the possible byte histories are tried (a lost byte, one that
swallowed the next byte, a dropped one, a full-width mark split across two
characters). The lost bytes are unknowns, constrained by a clean GBK decode, by
the rule that the two bytes before every annotation spell a character with its
reading (the annotation is a checksum), and by the decoder's own behaviour: a
byte was lost only if it could not pair with the byte that followed it. What is
left is ranked by :func:`_plausibility`; the best reading wins if it clearly
beats both the text as it is and the next reading. Annotations the gateway
inserted inside a character are removed; those of real characters are kept
(a later stage strips them). A byte that is gone for good stays ``?`` and the
edit is flagged unresolved; hard evidence that nothing explains is reported
unresolved with the text kept. Search steps are capped per window and per
document.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import product
from typing import NamedTuple

from cleanse.core.document import Edit
from cleanse.lang.chars import (
    ASCII_LETTER_OR_GLUE,
    HAN_RANGES,
    PRIVATE_USE,
    SPECIALS,
    LastText,
    holds,
    is_han,
    is_private_use,
    letters_beside_wide,
    literal_first,
    match_starts,
)
from cleanse.lang.hanzi import (
    is_common_han,
    rare_bmp_han_class,
    simplified_shadow,
    simplified_shadows,
)
from cleanse.lang.pinyin import SYLLABLE, normalize_syllable, readings
from cleanse.lang.plausibility import suspect_positions
from cleanse.lang.segmentation import (
    SharedEnds,
    char_logp,
    segment_logp,
    shared_ends,
    text_logp,
)

CATEGORY = "gbk-gateway"
# Full-width marks the gateway turned into ASCII: ASCII -> trail byte after 0xA3.
STRADDLE_PUNCT: dict[str, int] = {"?": 0xBF, "!": 0xA1, ",": 0xAC, ":": 0xBA, ";": 0xBB}
FULLWIDTH_LEAD = 0xA3
ASCII_OF_FULLWIDTH = {
    bytes((FULLWIDTH_LEAD, t)).decode("gbk"): a for a, t in STRADDLE_PUNCT.items()
}
# ASCII that can stand in a GBK trail position (0x40-0x7E) and so end a misaligned run.
GLUE_SYMBOLS = frozenset("@[\\]^_{|}~`")
ANNOTATION = re.compile(r"\((" + SYLLABLE.pattern + r")\)")
BARE_ANNOTATION = re.compile(r"(" + SYLLABLE.pattern + r")\)")

MAX_WINDOW = 40  # characters
CONTEXT = 400  # characters of the line on each side a window is scored with
GATEWAY_SIGNATURE = 2  # annotations that mark a document as gateway output
MAX_LEFT = 4  # tokens looked back for the start of a misaligned run
MAX_UNKNOWNS = 3  # lost bytes per hypothesis
# Values kept for a lost byte pinned only by plausibility, and search steps per
# window (the walk takes the cheapest histories first, see _hypotheses). On the
# 300 simulated documents of the tests, 6 values restore as many documents as 16
# but one (156 of 224 exactly); fewer lose seed 000's 福克斯 (the 6th best prior).
# With TOP_K_JOINT below, 200 steps restore as many as 1,500 there and on 800 more
# (436 of 637), 150 restore one fewer there; 300 are kept for margin. A depth-first
# walk needed 600 steps for that, and restored 126 of the 224 with 300.
TOP_K = 6
# Values kept for each of two or more such bytes of one history: 16 combinations
# instead of 36 (on heavy text, such histories gave half of the readings scored).
# On the 1,100 simulated documents, 4 and 3 restore exactly what 6 does (592 of
# 861), and the seeds, fixtures and benchmark corpora come out the same; 2 restore 384.
TOP_K_JOINT = 4
WINDOW_BUDGET = 300
DOCUMENT_BUDGET = 60000  # search steps per document

# Costs, in log-probability units, of what a hypothesis assumes happened.
COST_DROPPED = 1.5  # a byte the decoder dropped without a trace
COST_PLAUSIBLE_PIN = 1.0  # a lost byte chosen by plausibility, not by an annotation
COST_STRADDLE = 0.5  # an ASCII mark that was a full-width mark split across characters
COST_LOST = 2.0  # a byte swallowed for good (left as ``?``)
# Acceptance: the winner must beat the text as it is, and its runner-up, by these.
MARGIN_IDENTITY = 4.0
MARGIN_RUNNER_UP = 1.0  # about three times as likely
# Plausibility penalties for what gateway damage typically leaves behind.
PENALTY_GLUED = 6.0  # one ASCII character sandwiched between Han characters
PENALTY_OPEN_QUOTE = 20.0  # a line ending inside a quotation
PENALTY_BAD_LINE_END = 6.0  # a line ending with a mark that cannot end a sentence
PENALTY_STRAY_ANNOTATION = 8.0  # an annotation that names no character before it
PENALTY_DOUBLED_STOP = 5.0  # "。。", "。，": a full stop followed by another stop
DOUBLED_STOP = re.compile(r"。(?=[。，、,.])")
# One ASCII character that is not a space, between two Han characters. The ASCII
# class comes first and the Han before it is checked behind: the engine then tries
# the pattern at ASCII characters only, not at every position.
_GLUABLE = "[\\x00-\\x08\\x0e-\\x1b\\x21-\\x7f]"
GLUED_ASCII = re.compile(f"{_GLUABLE}(?<=[{HAN_RANGES}]{_GLUABLE})(?=[{HAN_RANGES}])")
PENALTY_MARK_RUN = 4.0  # in gateway output: "!?", "??" right after a Han character
MARK_RUN = re.compile(r"(?<=[\u4e00-\u9fff])[!?]{2,}")
PENALTY_FOREIGN_SCRIPT = 5.0  # a character of the other script than the text around


# ---------------------------------------------------------------- byte tables

_EMPTY: frozenset[int] = frozenset()


@lru_cache(maxsize=1)
def _pair_chars() -> dict[int, str]:
    """Every valid two-byte GBK code (``lead << 8 | trail``) and its character."""
    table: dict[int, str] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                ch = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and not is_private_use(ch):
                table[lead << 8 | trail] = ch
    return table


@lru_cache(maxsize=1)
def _valid_codes() -> frozenset[int]:
    return frozenset(_pair_chars())


@lru_cache(maxsize=1)
def _partners() -> tuple[dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    """Valid trails for each lead, valid leads for each trail."""
    trails: dict[int, set[int]] = {}
    leads: dict[int, set[int]] = {}
    for code in _pair_chars():
        trails.setdefault(code >> 8, set()).add(code & 0xFF)
        leads.setdefault(code & 0xFF, set()).add(code >> 8)
    return (
        {k: frozenset(v) for k, v in trails.items()},
        {k: frozenset(v) for k, v in leads.items()},
    )


_HIGH_BYTES = sum(1 << x for x in range(0x81, 0xFF))  # the bytes a decoder can lose


@lru_cache(maxsize=1)
def _partner_masks() -> tuple[list[int], list[int]]:
    """For each byte, its valid trails as a bit set (when a lead) and its valid
    leads (when a trail)."""
    trails, leads = [0] * 256, [0] * 256
    for code in _pair_chars():
        trails[code >> 8] |= 1 << (code & 0xFF)
        leads[code & 0xFF] |= 1 << (code >> 8)
    return trails, leads


@lru_cache(maxsize=4096)  # the same domains come back across hypotheses
def _leads_of_any(trail_mask: int) -> int:
    """The leads that pair with at least one of the trails in ``trail_mask``."""
    leads = _partner_masks()[1]
    return _union(leads, trail_mask)


@lru_cache(maxsize=4096)
def _trails_of_any(lead_mask: int) -> int:
    """The trails that pair with at least one of the leads in ``lead_mask``."""
    trails = _partner_masks()[0]
    return _union(trails, lead_mask)


def _union(masks: list[int], members: int) -> int:
    out = 0
    while members:
        low = members & -members
        out |= masks[low.bit_length() - 1]
        members ^= low
    return out


@lru_cache(maxsize=4096)  # the same domains come back across hypotheses
def _bits(mask: int) -> tuple[int, ...]:
    """The members of the bit set ``mask``, in ascending order."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return tuple(out)


@lru_cache(maxsize=1)
def _codes_by_reading() -> dict[str, frozenset[int]]:
    """The two-byte codes of the characters with each reading, in one pass."""
    codes: dict[str, set[int]] = {}
    for code, ch in _pair_chars().items():
        for reading in readings(ch):
            codes.setdefault(reading, set()).add(code)
    return {reading: frozenset(found) for reading, found in codes.items()}


def _codes_with_reading(syllable: str) -> frozenset[int]:
    return _codes_by_reading().get(syllable, frozenset())


@lru_cache(maxsize=1)
def _trails_by_reading() -> dict[str, dict[int, int]]:
    """For each reading, the trail bytes (a bit set) that each lead byte pairs with
    into a character with that reading: narrowing a domain then takes one step per
    lead, not one per code."""
    table: dict[str, dict[int, int]] = {}
    for reading, codes in _codes_by_reading().items():
        trails: dict[int, int] = {}
        for code in codes:
            trails[code >> 8] = trails.get(code >> 8, 0) | 1 << (code & 0xFF)
        table[reading] = trails
    return table


def _encode(ch: str) -> bytes | None:
    """The GBK bytes of ``ch`` (user-defined codes through GB18030); None if not 1-2 bytes."""
    try:
        data = ch.encode("gbk")
    except UnicodeEncodeError:
        try:
            data = ch.encode("gb18030")
        except UnicodeEncodeError:
            return None
    return data if len(data) <= 2 else None


# ---------------------------------------------------------------- plausibility


class Neighbours(NamedTuple):
    """What every reading of one window is scored with: the line around it."""

    left: str  # the line up to the window
    near_left: str  # the characters scored with a reading, before and after it
    near_right: str
    foreign: str  # the script foreign to the context ("s", "t" or "")
    line_end: bool  # whether the line ends after the window


def _neighbours(left: str, right: str) -> Neighbours:
    """``left`` is the line up to the window, ``right`` what follows it on the line."""
    return Neighbours(
        left,
        left[-6:],
        right[:6],
        _foreign_script(left[-20:] + right[:20]),
        not right or right.isspace(),
    )


def _plausibility(
    around: Neighbours,
    middle: str,
    near: str,
    shadow: str,
    floor: float = -math.inf,
    shared: SharedEnds | None = None,
) -> float:
    """How well ``middle`` reads as Chinese between its neighbours (higher is better).

    The one place the repair asks "does this read as real text"; swap the model
    here. ``near`` is ``middle`` with the characters around it, ``shadow`` the
    simplified shadow of ``near``; a reading certainly below ``floor`` gets ``-inf``.
    ``shared`` is the segmentation of the start and end the readings of the window share.
    """
    score = segment_logp(shadow, floor, shared)
    if score == -math.inf:
        return score
    if "。" in near:  # a plain search first: most readings hold none
        score -= PENALTY_DOUBLED_STOP * len(DOUBLED_STOP.findall(near))
    score -= PENALTY_GLUED * len(GLUED_ASCII.findall(near))
    # GBK holds both scripts; a traditional text is not repaired into simplified-only
    # characters (and the other way round).
    if around.foreign:
        score -= PENALTY_FOREIGN_SCRIPT * middle.translate(_SCRIPT_MARKS).count(around.foreign)
    if around.line_end:
        if _open_quote(around.left + middle):
            score -= PENALTY_OPEN_QUOTE
        if middle and middle[-1] in "、，,“‘《（(":
            score -= PENALTY_BAD_LINE_END
    return score


@lru_cache(maxsize=4096)  # the same context for every reading of a window
def _foreign_script(context: str) -> str:
    """``"s"`` when ``context`` is mostly traditional-only characters, ``"t"`` when
    mostly simplified-only ones, else ``""``."""
    marks = context.translate(_SCRIPT_MARKS)
    trad = marks.count("t")
    simp = marks.count("s")
    if trad == simp:
        return ""
    return "s" if trad > simp else "t"


class _ScriptMarks(dict[int, str]):
    """A ``str.translate`` table that writes each character as its :func:`_script_of`
    ("t", "s" or nothing), filled in as characters are met: counting a script's
    characters is then one translate and one count, at C speed."""

    def __missing__(self, cp: int) -> str:
        mark = self[cp] = _script_of(chr(cp))
        return mark


_SCRIPT_MARKS = _ScriptMarks()


@lru_cache(maxsize=65536)
def _script_of(ch: str) -> str:
    """``t`` for a traditional-only character, "s" for a simplified-only one, else ""."""
    if not is_han(ch):
        return ""
    if simplified_shadow(ch) != ch:
        return "t"
    if _s2t(ch) != ch:
        return "s"
    return ""


@lru_cache(maxsize=1)
def _s2t_converter() -> object:
    import opencc

    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    return str(_s2t_converter().convert(text))  # type: ignore[attr-defined]


@lru_cache(maxsize=65536)  # the same short strings come back across windows
def _pair_prior(ch: str, before: str = "", after: str = "") -> float:
    """Prior used to shortlist values of a lost byte before full scoring."""
    if not before and not after:
        return char_logp(simplified_shadow(ch))
    return text_logp(before + ch + after)


def _known_char(stream: Sequence[int], char: tuple[int, int]) -> str:
    """The character at ``char`` when none of its bytes is unknown, else ""."""
    start, length = char
    data = stream[start : start + length]
    if any(b < 0 for b in data):
        return ""
    if length == 1:
        return chr(data[0])
    return _pair_chars().get(data[0] << 8 | data[1], "")


# ---------------------------------------------------------------- tokens


# The search's records (Token, Hypothesis, Option, Solution, Reading, Candidate) are
# plain classes, not dataclasses or named tuples: compiled, a written-out __init__
# is native, while a dataclass's generated __init__ and a named tuple's __new__ stay
# interpreted, and the search builds them at every step.
class Token:
    """One unit of a window: a character, a ``?``-like mark, or an annotation."""

    __slots__ = ("data", "end", "kind", "paren", "spelled", "start", "syllable")

    def __init__(
        self,
        kind: str,  # "char", "lost" (? or U+FFFD), "ann"
        start: int,
        end: int,
        data: bytes = b"",  # the GBK bytes of a "char"; the mark itself (UTF-8) for a "lost"
        syllable: str = "",  # normalized reading of an "ann"
        spelled: str = "",  # the syllable as written
        paren: bool = True,  # an "ann" that kept its "("
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.data = data
        self.syllable = syllable
        self.spelled = spelled
        self.paren = paren


def _annotation_at(text: str, i: int) -> Token | None:
    m = ANNOTATION.match(text, i)
    if m and (normal := normalize_syllable(m.group(1))) is not None:
        return Token("ann", i, m.end(), syllable=normal, spelled=m.group(1))
    return None


def _syllable_at(text: str, i: int) -> str | None:
    """The normalized syllable of the annotation at ``i`` (no token built: the
    search for evidence asks this of every annotation of a gateway page)."""
    m = ANNOTATION.match(text, i)
    return normalize_syllable(m.group(1)) if m else None


def _tokens(text: str, start: int, end: int) -> list[Token] | None:
    out: list[Token] = []
    i = start
    while i < end:
        ch = text[i]
        ann = _annotation_at(text, i) if ch == "(" else None
        if ann is not None and ann.end <= end:
            out.append(ann)
            i = ann.end
            continue
        if ch in "?\ufffd":
            out.append(Token("lost", i, i + 1, data=ch.encode()))
            bare = BARE_ANNOTATION.match(text, i + 1)
            if bare and bare.end() <= end and (normal := normalize_syllable(bare.group(1))):
                out.append(
                    Token(
                        "ann",
                        i + 1,
                        bare.end(),
                        syllable=normal,
                        spelled=bare.group(1),
                        paren=False,
                    )
                )
                i = bare.end()
            else:
                i += 1
            continue
        data = _encode(ch)
        if data is None:
            return None
        out.append(Token("char", i, i + 1, data=data))
        i += 1
    return out


# ---------------------------------------------------------------- hypotheses

# A stream element: a known byte (0-255) or an unknown byte (negative id).
Stream = list[int]


class Hypothesis:
    """A byte history of a window under construction (one path of the walk)."""

    __slots__ = (
        "boundary",
        "broken",
        "cost",
        "dropped",
        "follows",
        "lost_at",
        "marks",
        "notes",
        "straddles",
        "stream",
        "unknowns",
    )

    def __init__(
        self,
        stream: Stream,
        dropped: frozenset[int],  # unknown ids that left no trace
        marks: list[tuple[int, Token]],  # (stream index, annotation)
        lost_at: list[int],  # stream indices of bytes swallowed for good
        notes: list[str],
        cost: float,
        unknowns: int,
        straddles: tuple[int, ...] = (),  # stream indices of A3 bytes put back
        # (unknown id, the byte the decoder saw right after it): a byte was lost
        # only if it could not pair with that one.
        follows: tuple[tuple[int, int], ...] = (),
        # The stream parsed so far, kept up to date as bytes are appended so that
        # no step re-parses the whole path: where the last complete character ends
        # (a lead byte may wait after it), and whether a complete character failed.
        boundary: int = 0,
        broken: bool = False,
    ) -> None:
        self.stream = stream
        self.dropped = dropped
        self.marks = marks
        self.lost_at = lost_at
        self.notes = notes
        self.cost = cost
        self.unknowns = unknowns
        self.straddles = straddles
        self.follows = follows
        self.boundary = boundary
        self.broken = broken

    def copy(self) -> Hypothesis:
        return Hypothesis(
            self.stream,
            self.dropped,
            self.marks,
            self.lost_at,
            self.notes,
            self.cost,
            self.unknowns,
            self.straddles,
            self.follows,
            self.boundary,
            self.broken,
        )

    @property
    def dangling(self) -> bool:
        """Whether the stream ends with a lead byte still waiting for its trail."""
        return self.boundary < len(self.stream)


def _advance(stream: Sequence[int], boundary: int, broken: bool) -> tuple[int, bool]:
    """Parse ``stream`` on from ``boundary`` (the greedy split of :func:`_parse`):
    the new boundary, and whether a complete character is now known not to decode.

    Failing is final: appending bytes never repairs a character already complete.
    """
    n = len(stream)
    i = boundary
    if broken:
        while i < n:
            b = stream[i]
            if 0 <= b < 0x80:
                i += 1
            elif i + 1 < n:
                i += 2
            else:
                break
        return i, True
    pairs = _pair_chars()
    trails, leads = _partners()
    while i < n:
        b = stream[i]
        if 0 <= b < 0x80:
            i += 1
            continue
        if i + 1 >= n:
            break
        t = stream[i + 1]
        if b in (0x80, 0xFF):
            broken = True
        elif b >= 0 and t >= 0:
            broken = broken or (b << 8 | t) not in pairs
        elif (b >= 0 and not trails.get(b)) or (t >= 0 and not leads.get(t)):
            broken = True
        i += 2
    return i, broken


def _parse(stream: Sequence[int]) -> list[tuple[int, int]] | None:
    """Split ``stream`` into characters as (start, length); None when impossible."""
    out: list[tuple[int, int]] = []
    i = 0
    n = len(stream)
    trails, leads = _partners()
    while i < n:
        b = stream[i]
        if 0 <= b < 0x80:
            out.append((i, 1))
            i += 1
            continue
        if b in (0x80, 0xFF) or i + 1 >= n:
            return None
        t = stream[i + 1]
        if b >= 0 and t >= 0:
            if (b << 8 | t) not in _pair_chars():
                return None
        elif (b >= 0 and not trails.get(b)) or (t >= 0 and not leads.get(t)):
            return None
        out.append((i, 2))
        i += 2
    return out


LOST_FOR_GOOD = 1 << 16  # not a byte: marks a byte the decoder swallowed and nobody can recover


class Option:
    """One byte history of a token."""

    __slots__ = ("cost", "data", "dropped", "note", "straddle")

    def __init__(
        self,
        data: list[int],  # its bytes, unknown ones negative
        note: str,  # what it assumes, for the report
        cost: float,
        dropped: frozenset[int] = _EMPTY,  # unknown bytes that left no trace
        straddle: int = -1,  # index in ``data`` of the A3 byte of a full-width mark put back
    ) -> None:
        self.data = data
        self.note = note
        self.cost = cost
        self.dropped = dropped
        self.straddle = straddle


# What an option assumes, for the report (written once, not at every search step).
_MIDDLE_NOTE = {
    mark: f"ASCII {mark!r} was the middle of a full-width mark (A3 {trail:02X})"
    for mark, trail in STRADDLE_PUNCT.items()
}
_SWALLOWED_NOTE = {
    mark: f"'?' is a lost byte that swallowed an ASCII {mark!r}, "
    f"the middle of a full-width mark (A3 {trail:02X})"
    for mark, trail in STRADDLE_PUNCT.items()
}


def _options(tok: Token, nxt: Token | None, new_id: Iterator[int], line_end: bool) -> list[Option]:
    """The byte histories a token may stand for.

    A straddled mark may also have lost the lead byte before it (the decoder
    dropped the orphan); at the end of a line, the trail byte after it too
    (``。”`` turned into ``!``).
    """
    if tok.kind == "char":
        opts: list[Option] = [Option(list(tok.data), "", 0.0)]
        mark = chr(tok.data[0]) if len(tok.data) == 1 else ""
        if mark in STRADDLE_PUNCT:
            fw = [FULLWIDTH_LEAD, STRADDLE_PUNCT[mark]]
            note = _MIDDLE_NOTE[mark]
            a, b, c, d = next(new_id), next(new_id), next(new_id), next(new_id)
            opts += [
                Option(fw, note, COST_STRADDLE, straddle=0),
                Option(
                    [a, *fw],
                    note + ", the lead byte before it dropped",
                    COST_STRADDLE + COST_DROPPED,
                    frozenset({a}),
                    straddle=1,
                ),
            ]
            if line_end:
                opts += [
                    Option(
                        [*fw, b],
                        note + ", the trail byte after it dropped",
                        COST_STRADDLE + COST_DROPPED,
                        frozenset({b}),
                        straddle=0,
                    ),
                    Option(
                        [c, *fw, d],
                        note + ", the bytes around it dropped",
                        COST_STRADDLE + 2 * COST_DROPPED,
                        frozenset({c, d}),
                        straddle=1,
                    ),
                ]
        return opts
    if tok.kind != "lost":
        return []
    u = next(new_id)
    if nxt is not None and nxt.kind == "ann" and not nxt.paren:
        return [Option([u], "'?' is a lost byte that swallowed the annotation's '('", 0.0)]
    # Before a digit, a lost byte may have swallowed another digit: never assume it did not.
    digit_next = nxt is not None and nxt.kind == "char" and nxt.data.isdigit()
    opts = [] if digit_next else [Option([u], "'?' is a lost byte", 0.0)]
    if tok.data == b"?":
        fw = [FULLWIDTH_LEAD, STRADDLE_PUNCT["?"]]
        opts += [
            Option([0x3F], "", 0.0),
            Option(fw, "'?' was the middle of a full-width '？'", COST_STRADDLE, straddle=0),
        ]
        # The lost byte may have swallowed a straddled mark that followed it.
        for mark, trail in STRADDLE_PUNCT.items():
            opts.append(
                Option(
                    [next(new_id), FULLWIDTH_LEAD, trail],
                    _SWALLOWED_NOTE[mark],
                    COST_STRADDLE,
                    straddle=1,
                )
            )
    w = next(new_id)
    opts.append(
        Option([w, LOST_FOR_GOOD], "'?' is a lost byte that swallowed the next byte", COST_LOST)
    )
    return opts


def _follow(nxt: Token | None, after_byte: int | None) -> int | None:
    """The byte the decoder saw after a lost byte, when the next token tells it."""
    if nxt is None:
        return after_byte
    if nxt.kind == "ann":
        return 0x28  # its "("
    if nxt.kind == "char":
        return nxt.data[0]
    return None


def _hypotheses(
    tokens: list[Token], budget: list[int], at_line_end: bool = False, after_byte: int | None = None
) -> Iterator[Hypothesis]:
    """Every byte history of the window that parses, cheapest first, within ``budget``.

    The walk is best-first: of the histories begun, the one that has assumed least
    is taken on next (every assumption costs something, so a history never gets
    cheaper as it goes on). A window whose budget runs out has then tried its
    cheapest histories, not those of the first branch. Histories of the same cost
    come in depth-first order (their path of choices breaks the tie); a window
    searched to the end sees every history, as a depth-first walk would.
    """
    ids = itertools.count(-1, -1)

    def extend(h: Hypothesis, option: Option) -> Hypothesis:
        data = option.data
        straddles = h.straddles
        if option.straddle >= 0:
            straddles = (*straddles, len(h.stream) + option.straddle)
        stream = [*h.stream, *data]
        boundary, broken = _advance(stream, h.boundary, h.broken)
        return Hypothesis(
            stream,
            h.dropped | option.dropped if option.dropped else h.dropped,
            h.marks,
            h.lost_at,
            [*h.notes, option.note] if option.note else h.notes,
            h.cost + option.cost,
            h.unknowns + sum(1 for b in data if b < 0),
            straddles,
            h.follows,
            boundary,
            broken,
        )

    # A two-byte character has one history: a run of them is followed in one loop
    # (one step each) rather than one state per character.
    plain = [t.kind == "char" and len(t.data) == 2 for t in tokens]
    done = len(tokens) + 1  # the place of a finished history waiting its turn
    # (cost, path of choices, next token, history); the path is unique, so no two
    # entries tie and histories are never compared.
    frontier: list[tuple[float, tuple[int, ...], int, Hypothesis]] = [
        (0.0, (), 0, Hypothesis([], frozenset(), [], [], [], 0.0, 0))
    ]
    while frontier:
        _, path, k, h = heapq.heappop(frontier)
        if k == done:
            yield h
            continue
        budget[0] -= 1
        if budget[0] <= 0:
            return
        if k < len(tokens) and plain[k]:
            stream = list(h.stream)
            boundary, broken = h.boundary, h.broken
            while True:
                stream += tokens[k].data
                boundary, broken = _advance(stream, boundary, broken)
                if broken:
                    break
                k += 1
                budget[0] -= 1
                if budget[0] <= 0:
                    return
                if not (k < len(tokens) and plain[k]):
                    break
            if broken:
                continue
            h = h.copy()
            h.stream, h.boundary, h.broken = stream, boundary, broken
        children: list[tuple[int, Hypothesis]] = []
        if k == len(tokens):
            if h.dangling:
                if h.unknowns < MAX_UNKNOWNS:
                    v = next(ids)
                    end = extend(
                        h,
                        Option(
                            [v], "a trail byte dropped at the end", COST_DROPPED, frozenset({v})
                        ),
                    )
                    if after_byte is not None:
                        end.follows = (*end.follows, (v, after_byte))
                    children.append((done, end))
            elif h.stream:
                yield h
        elif tokens[k].kind == "ann":
            tok = tokens[k]
            children.append((k + 1, _mark(h, tok)))
            # A dropped byte before it, unless a lost byte swallowed its "(".
            if h.unknowns < MAX_UNKNOWNS and tok.paren:
                v = next(ids)
                moved = extend(
                    h,
                    Option(
                        [v], "a byte dropped before an annotation", COST_DROPPED, frozenset({v})
                    ),
                )
                children.append((k + 1, _mark(moved, tok)))
        else:
            tok = tokens[k]
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            for option in _options(tok, nxt, ids, at_line_end and k == len(tokens) - 1):
                lost_at = h.lost_at
                data = option.data
                if data[-1] == LOST_FOR_GOOD:
                    data = data[:-1]
                    new = extend(
                        h, Option(data, option.note, option.cost, option.dropped, option.straddle)
                    )
                    if new.dangling:
                        continue
                    lost_at = [*lost_at, len(h.stream) + len(data)]
                else:
                    new = extend(h, option)
                if new.unknowns > MAX_UNKNOWNS or new.broken:
                    continue
                new.lost_at = lost_at
                if tok.kind == "lost" and len(data) == 1 and data[0] < 0:
                    follow = _follow(nxt, after_byte)
                    if follow is not None:
                        new.follows = (*new.follows, (data[0], follow))
                children.append((k + 1, new))
            # An ASCII byte after a dangling lead: the lead may have lost its trail.
            if (
                tok.kind == "char"
                and len(tok.data) == 1
                and h.unknowns < MAX_UNKNOWNS
                and h.dangling
            ):
                v = next(ids)
                new = extend(
                    h,
                    Option(
                        [v, tok.data[0]],
                        "a trail byte dropped before an ASCII byte",
                        COST_DROPPED,
                        frozenset({v}),
                    ),
                )
                new.follows = (*new.follows, (v, tok.data[0]))
                if not new.broken:
                    children.append((k + 1, new))
        for choice, (place, child) in enumerate(children):
            heapq.heappush(frontier, (child.cost, (*path, choice), place, child))


def _mark(h: Hypothesis, tok: Token) -> Hypothesis:
    marked = h.copy()
    marked.marks = [*h.marks, (len(h.stream), tok)]
    return marked


# ---------------------------------------------------------------- solving unknowns


class Candidate:
    """A reading of a window, scored."""

    __slots__ = ("reading", "score")

    def __init__(self, reading: Reading, score: float) -> None:
        self.reading = reading
        self.score = score

    @property
    def output(self) -> str:
        """The repaired window text."""
        return self.reading.output

    @property
    def lost(self) -> int:
        """Bytes swallowed for good (kept as ``?``)."""
        return len(self.reading.hypothesis.lost_at)

    @property
    def reason(self) -> str:
        """What the reading assumes (written out only for the reading chosen)."""
        r = self.reading
        parts = ["misaligned GBK run re-decoded", *r.solution.notes, *r.hypothesis.notes]
        if r.straddles:
            parts.append("straddle annotation " + " ".join(r.straddles) + " removed")
        if r.restored:
            parts.append(
                "annotation put back as the gateway wrote it elsewhere: " + " ".join(r.restored)
            )
        return "; ".join(parts)


def _domains(h: Hypothesis, chars: list[tuple[int, int]]) -> dict[int, tuple[int, str]] | None:
    """Candidate values for each unknown (a bit set) and the annotation that pins
    it ("" if none).

    Two kinds of constraint tie bytes together: each two-byte character must be
    a valid GBK code, and the two bytes before each annotation must spell a
    character with its reading. Domains are narrowed until every value has a
    partner in every constraint (arc consistency); a character made of two
    unknown bytes that no annotation pins would be invented, so it is refused.
    """
    s = h.stream
    valid = _valid_codes()
    # Each constraint: its two bytes, its codes, and what narrows it: None for the
    # valid codes (the partner masks), else the trails of each lead with the reading.
    constraints: list[tuple[int, int, frozenset[int], dict[int, int] | None]] = []
    for start, length in chars:
        if length == 2:
            constraints.append((s[start], s[start + 1], valid, None))
    by_reading = _trails_by_reading()
    pinned: dict[int, str] = {}
    for index, ann in h.marks:
        if index < 2:
            return None
        a, b = s[index - 2], s[index - 1]
        constraints.append(
            (a, b, _codes_with_reading(ann.syllable), by_reading.get(ann.syllable, {}))
        )
        pinned.update((x, f"({ann.spelled})") for x in (a, b) if x < 0)
    # A decoder never loses an ASCII byte: it prints it. Every unknown byte is
    # one it could not place, 0x81-0xFE, even where it would be a trail byte.
    # Domains are bit sets (bit ``x`` for byte value ``x``).
    domains: dict[int, int] = {}
    for a, b, _, _ in constraints:
        for u in (a, b):
            if u < 0:
                domains.setdefault(u, _HIGH_BYTES)
    for a, b, codes, _ in constraints:
        if a >= 0 and b >= 0 and (a << 8 | b) not in codes:
            return None
    # Only constraints on an unknown byte can narrow a domain; the others hold
    # (checked just above, or by the parse for the valid-code ones).
    open_constraints = [(a, b, trails_of) for a, b, _, trails_of in constraints if a < 0 or b < 0]
    for _ in range(3):
        changed = False
        for a, b, trails_of in open_constraints:
            lead_values = domains[a] if a < 0 else 1 << a
            trail_values = domains[b] if b < 0 else 1 << b
            if trails_of is None:
                new_leads = lead_values & _leads_of_any(trail_values)
                new_trails = trail_values & _trails_of_any(lead_values)
            else:
                new_leads = new_trails = 0
                for lead, trails in trails_of.items():
                    if lead_values >> lead & 1:
                        pairs = trails & trail_values
                        if pairs:
                            new_leads |= 1 << lead
                            new_trails |= pairs
            if not new_leads or not new_trails:
                return None
            if a < 0 and domains[a] != new_leads:
                domains[a] = new_leads
                changed = True
            if b < 0 and domains[b] != new_trails:
                domains[b] = new_trails
                changed = True
        if not changed:
            break  # a round that narrows nothing is followed by others that do not
    lead_masks = _partner_masks()[1]
    for u, follow in h.follows:
        if u in domains:
            domains[u] &= ~lead_masks[follow]
            if not domains[u]:
                return None
    for start, length in chars:
        if (
            length == 2
            and s[start] < 0
            and s[start + 1] < 0
            and not ({s[start], s[start + 1]} & pinned.keys())
        ):
            return None
    return {u: (mask, pinned.get(u, "")) for u, mask in domains.items()}


def _shortlist(
    u: int,
    values: int,
    h: Hypothesis,
    chars: list[tuple[int, int]],
    domains: dict[int, tuple[int, str]],
) -> tuple[int, ...]:
    """The ``TOP_K`` values (of the bit set ``values``) of a plausibility-pinned
    unknown with the best unigram prior."""
    s = h.stream
    for k, (start, length) in enumerate(chars):
        if length == 2 and u in (s[start], s[start + 1]):
            # Score each value with its neighbours when they are known: 表示 beats 表是.
            before = _known_char(s, chars[k - 1]) if k > 0 else ""
            after = _known_char(s, chars[k + 1]) if k + 1 < len(chars) else ""
            partner = s[start + 1] if s[start] == u else s[start]
            # A partner that is itself unknown is pinned by an annotation: try its values.
            partner_values = _bits(domains[partner][0]) if partner < 0 else (partner,)
            return _best_values(values, partner_values, s[start] == u, before, after)
    return ()


@lru_cache(maxsize=16384)  # hypotheses of a window share most of their unknowns' contexts
def _best_values(
    values: int, partner_values: tuple[int, ...], lead: bool, before: str, after: str
) -> tuple[int, ...]:
    table = _pair_chars()
    scored: list[tuple[float, int]] = []
    for v in _bits(values):
        best = -math.inf
        for p in partner_values:
            ch = table.get(v << 8 | p if lead else p << 8 | v)
            if ch is not None:
                best = max(best, _pair_prior(ch, before, after))
        if best > -math.inf:
            scored.append((best, v))
    scored.sort(reverse=True)
    return tuple(v for _, v in scored[:TOP_K])


class StreamShape(NamedTuple):
    """What every assignment of a hypothesis's unknown bytes shares: how its
    stream splits into characters and where its annotations fall."""

    chars: list[tuple[int, int]]
    marks_at: dict[int, list[Token]]  # annotations at a character boundary, by position
    straddles: list[str]  # annotations that fall inside a character (removed)
    lost: dict[int, int]  # bytes swallowed for good, by stream position (none: absent)
    first_damage: int  # characters ending after it were rebuilt from the run


def _stream_shape(h: Hypothesis, chars: list[tuple[int, int]]) -> StreamShape:
    marks_at: dict[int, list[Token]] = {}
    straddles: list[str] = []
    if h.marks:
        boundary = {start + length for start, length in chars}
        for index, ann in h.marks:
            if index in boundary:
                marks_at.setdefault(index, []).append(ann)
            else:
                straddles.append(f"({ann.spelled})")
    stream = h.stream
    first_unknown = next((i for i, b in enumerate(stream) if b < 0), len(stream))
    first_damage = min([first_unknown, *h.straddles, *h.lost_at])
    lost: dict[int, int] = {}
    for index in h.lost_at:
        lost[index] = lost.get(index, 0) + 1
    return StreamShape(chars, marks_at, straddles, lost, first_damage)


class Solution:
    """An assignment of a hypothesis's unknown bytes that decodes cleanly: the value
    of each unknown byte of the hypothesis's stream (its bytes are not copied)."""

    __slots__ = ("how", "place", "shape", "values")

    def __init__(
        self,
        values: tuple[int, ...],  # the value of each unknown, in the order of ``how``
        how: list[str],  # how each unknown was chosen, with a ``{:02X}`` for its value
        shape: StreamShape,
        place: dict[int, int],  # each unknown byte's index in ``values``, by its id
    ) -> None:
        self.values = values
        self.how = how
        self.shape = shape
        self.place = place

    @property
    def notes(self) -> list[str]:
        """How each unknown byte got its value (built only for a reading that is kept)."""
        return [note.format(x) for note, x in zip(self.how, self.values, strict=True)]


# Two bytes of a combination that must spell one of the codes: each named by its
# place in the combination, or by its value as (-1, value) when it is known.
Check = tuple[tuple[int, int], tuple[int, int], frozenset[int]]


def _solutions(h: Hypothesis, budget: list[int]) -> Iterator[Solution]:
    """Assignments of the unknown bytes of ``h`` that decode cleanly and fit every
    annotation, with the shape they share."""
    chars = _parse(h.stream)
    if chars is None:
        return
    # A full-width mark put back must straddle two characters: its A3 is a trail byte.
    if h.straddles:
        starts = {start for start, _ in chars}
        if any(i in starts for i in h.straddles):
            return
    domains = _domains(h, chars)
    if domains is None:
        return
    stream = h.stream
    shape = _stream_shape(h, chars)
    if not domains:
        budget[0] -= 1
        if budget[0] > 0:
            yield Solution((), [], shape, {})
        return
    unknowns = sorted(domains)
    # Two or more bytes chosen by plausibility alone keep fewer values each.
    free = sum(1 for u in unknowns if not domains[u][1])
    kept = TOP_K if free < 2 else TOP_K_JOINT
    choices: list[Sequence[int]] = []
    for u in unknowns:
        values, pinned = domains[u]
        choices.append(_bits(values) if pinned else _shortlist(u, values, h, chars, domains)[:kept])
    valid = _valid_codes()
    # Characters and annotations made of known bytes only passed _domains already:
    # each combination needs checking only where it fills an unknown byte in.
    # A byte is named by its place in the combination, or by its value (-1, value)
    # when it is known.
    place = {u: k for k, u in enumerate(unknowns)}

    def named(b: int) -> tuple[int, int]:
        return (place[b], 0) if b < 0 else (-1, b)

    checks: list[Check] = [
        (named(stream[i]), named(stream[i + 1]), valid)
        for i, length in chars
        if length == 2 and (stream[i] < 0 or stream[i + 1] < 0)
    ]
    checks += [
        (named(stream[i - 2]), named(stream[i - 1]), _codes_with_reading(ann.syllable))
        for i, ann in h.marks
        if stream[i - 2] < 0 or stream[i - 1] < 0
    ]
    how = [
        ("dropped" if u in h.dropped else "lost")
        + " byte 0x{:02X} "
        + (f"pinned by annotation {domains[u][1]}" if domains[u][1] else "chosen by plausibility")
        for u in unknowns
    ]
    for combo in product(*choices):
        budget[0] -= 1
        if budget[0] <= 0:
            return
        fits = True
        for (ka, a), (kb, b), codes in checks:
            if ((combo[ka] if ka >= 0 else a) << 8 | (combo[kb] if kb >= 0 else b)) not in codes:
                fits = False
                break
        if fits:
            yield Solution(combo, how, shape, place)


class Rendering(NamedTuple):
    """How every solution of a hypothesis decodes: the text of the output and of its
    annotation-free twin between the characters that hold an unknown byte, decoded
    once, and those characters' slots, decoded per solution."""

    out: list[str]  # the output between the slots (one more piece than slots)
    stripped: list[str]  # the same for the annotation-free twin
    # (lead, trail, length, may get its annotation back, place among the
    # characters) of each character with an unknown byte; a byte is its value, or
    # ``~k`` for the k-th value of a solution
    slots: list[tuple[int, int, int, bool, int]]
    restored: list[tuple[int, str]]  # (place, "字(zì)") of the characters without one
    straddles: list[str]


def _rendering(
    stream: list[int],
    shape: StreamShape,
    place_of: dict[int, int],
    table_of: dict[str, str],
    last_annotated: bool,
) -> Rendering:
    table = _pair_chars()
    marks_at, lost, first_damage = shape.marks_at, shape.lost, shape.first_damage
    out: list[list[str]] = [[]]  # the pieces before the first slot, after it, ...
    stripped: list[list[str]] = [[]]
    slots: list[tuple[int, int, int, bool, int]] = []
    restored: list[tuple[int, str]] = []
    for place, (start, length) in enumerate(shape.chars):
        if lost and start in lost:
            out[-1].append("?" * lost[start])
            stripped[-1].append("?" * lost[start])
        end = start + length
        anns = marks_at.get(end) if marks_at else None
        # A character rebuilt from the run whose own annotation the damage took
        # away gets it back, if the gateway annotates it elsewhere in the text.
        may_restore = (
            not anns
            and length == 2
            and end > first_damage
            and not (last_annotated and end == len(stream))
        )
        if any(b < 0 for b in stream[start:end]):
            lead, trail = stream[start], stream[end - 1]
            slots.append(
                (
                    lead if lead >= 0 else ~place_of[lead],
                    trail if trail >= 0 else ~place_of[trail],
                    length,
                    may_restore,
                    place,
                )
            )
            out.append([])
            stripped.append([])
        else:
            ch = (
                chr(stream[start]) if length == 1 else table[stream[start] << 8 | stream[start + 1]]
            )
            # A whole full-width mark is one the gateway turned into ASCII anyway.
            ch = ASCII_OF_FULLWIDTH.get(ch, ch)
            stripped[-1].append(ch)
            if may_restore and ch in table_of:
                out[-1].append(f"{ch}({table_of[ch]})")
                restored.append((place, f"{ch}({table_of[ch]})"))
            else:
                out[-1].append(ch)
        if anns:
            out[-1].extend(f"({ann.spelled})" for ann in anns)
    if len(stream) in lost:
        out[-1].append("?" * lost[len(stream)])
        stripped[-1].append("?" * lost[len(stream)])
    return Rendering(
        ["".join(pieces) for pieces in out],
        ["".join(pieces) for pieces in stripped],
        slots,
        restored,
        shape.straddles,
    )


def _render(
    values: tuple[int, ...], rendering: Rendering, table_of: dict[str, str]
) -> tuple[str, str, list[str], list[str]]:
    """Decode a solution; keep annotations at character boundaries, drop straddles."""
    table = _pair_chars()
    between, between_stripped = rendering.out, rendering.stripped
    out = [between[0]]
    stripped = [between_stripped[0]]
    restored = rendering.restored
    for k, (lead, trail, length, may_restore, place) in enumerate(rendering.slots):
        a = lead if lead >= 0 else values[~lead]
        b = trail if trail >= 0 else values[~trail]  # the lead again for a 1-byte character
        ch = chr(a) if length == 1 else table[a << 8 | b]
        ch = ASCII_OF_FULLWIDTH.get(ch, ch)
        stripped += (ch, between_stripped[k + 1])
        if may_restore and ch in table_of:
            piece = f"{ch}({table_of[ch]})"
            restored = sorted([*restored, (place, piece)])
        else:
            piece = ch
        out += (piece, between[k + 1])
    return (
        "".join(out),
        "".join(stripped),
        rendering.straddles,
        [piece for _, piece in restored],
    )


# ---------------------------------------------------------------- windows


def _is_glued(text: str, i: int) -> bool:
    ch = text[i]
    if not (ch.isascii() and (ch.isalpha() or ch in GLUE_SYMBOLS)):
        return False
    if i == 0 or i + 1 >= len(text) or not is_han(text[i - 1]):
        return False
    return is_han(text[i + 1]) or text[i + 1] == "("


@lru_cache(maxsize=65536)
def _is_rare(ch: str) -> bool:
    return is_han(ch) and not is_common_han(simplified_shadow(ch))


def _prev_han(text: str, i: int) -> bool:
    """Whether the character before ``i`` (skipping one annotation or mark) is Han."""
    j = i
    if j > 1 and text[j - 1] in STRADDLE_PUNCT:
        j -= 1
    if j > 0 and text[j - 1] == ")":
        k = text.rfind("(", max(0, j - 10), j)
        if k > 0:
            j = k
    return j > 0 and is_han(text[j - 1])


# Where evidence can start: marks, replacement and private-use characters, an
# opening parenthesis, an ASCII letter or symbol right after Han, and two rare
# Han characters in a row. Found by regular expressions, so clean text is
# scanned at C speed. The marks (? ( ! U+FFFD and private-use characters) are
# searched apart: the ASCII ones each as a literal (lang.chars.literal_first), the
# others only where the census finds a private-use or special character.
_ASCII_MARKS = literal_first("?(!")
_RARE_MARKS = re.compile(r"[\ufffd\ue000-\uf8ff]")
# (The character class first, the lookbehind after it: a pattern that starts with
# a class is only tried where the class matches.)
_GLUED = re.compile(
    f"[{ASCII_LETTER_OR_GLUE}]"
    r"(?<=[\u3400-\u9fff\uf900-\ufaff].)(?=[\u3400-\u9fff\uf900-\ufaff(])"
)


@lru_cache(maxsize=1)
def _rare_pair() -> re.Pattern[str]:
    """A rare BMP Han character followed by another (see :func:`rare_bmp_han_class`)."""
    rare = rare_bmp_han_class()
    return re.compile(f"{rare}(?={rare})")


def _marks_in(text: str) -> set[int]:
    """The positions of the marks of evidence in ``text``."""
    found = set(match_starts(_ASCII_MARKS, text))
    if holds(text, PRIVATE_USE | SPECIALS):
        found.update(m.start() for m in _RARE_MARKS.finditer(text))
    return found


def _candidates_of_evidence(text: str) -> list[int]:
    return _evidence_found.of(text)


def _evidence(text: str) -> list[int]:
    found = _marks_in(text)
    # Every glued letter has a Han character before it.
    found.update(p for p in letters_beside_wide(text) if _GLUED.match(text, p))
    # Every rare Han character is a suspect one (lang.plausibility), so a rare pair
    # is two suspects side by side: the repair's scan for those has found them already.
    suspects = suspect_positions(text)
    rare_pair = _rare_pair()
    found.update(
        i
        for i, j in itertools.pairwise(suspects)
        if j == i + 1 and rare_pair.match(text, i) is not None
    )
    return sorted(found)


# The stage asks :func:`wants` before the pass that scans the same text again.
_evidence_found = LastText(_evidence)


def _triggers(text: str) -> Iterator[int]:
    """Positions of evidence of gateway damage, in order."""
    n = len(text)
    for i in _candidates_of_evidence(text):
        ch = text[i]
        if ch in "?\ufffd":
            if _prev_han(text, i) or (i + 1 < n and is_han(text[i + 1])):
                yield i
        elif is_private_use(ch):
            if _encode(ch) is not None:
                yield i
        elif ch == "(":
            if i > 0 and is_han(text[i - 1]):
                syllable = _syllable_at(text, i)
                if syllable is not None and syllable not in readings(text[i - 1]):
                    yield i - 1
        elif _is_glued(text, i) or (_is_rare(ch) and i + 1 < n and _is_rare(text[i + 1])):
            yield i
        elif ch in "!?" and (i + 1 == n or text[i + 1] == "\n") and _prev_han(text, i):
            yield i  # kept only if the line has an open quotation (see gateway_edits)


def _odd_question_marks(text: str, i: int) -> bool:
    """``?`` in a run of two or more after a Han character, going on mid-sentence (``治??;``)."""
    a = i
    while a > 0 and text[a - 1] == "?":
        a -= 1
    b = i
    while b < len(text) and text[b] == "?":
        b += 1
    if b - a < 2 or a == 0 or not is_han(text[a - 1]):
        return False
    after = text[b] if b < len(text) else "\n"
    return is_han(after) or after in ";,:、，；："


def _hard_evidence(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of damage in a window that must be reported even if not repaired."""
    hits = []
    for i in range(start, end):
        ch = text[i]
        junk = ch == "\ufffd" or is_private_use(ch)
        lost = ch == "?" and (BARE_ANNOTATION.match(text, i + 1) or _odd_question_marks(text, i))
        if junk or lost:
            hits.append(i)
    if not hits:
        return None
    return hits[0], hits[-1] + 1


def _window(text: str, trigger: int, floor: int) -> tuple[int, int]:
    """The span around ``trigger`` that a misaligned run can occupy."""
    lo = max(floor, text.rfind("\n", floor, trigger) + 1)
    # Look back a few characters for where the run may have started.
    start = trigger
    i = trigger
    steps = 0
    while i > lo and steps < MAX_LEFT:
        i -= 1
        ch = text[i]
        if ch == ")":
            k = text.rfind("(", lo, i)
            if k >= lo and _annotation_at(text, k) is not None:
                i = k
                continue
        steps += 1
        if ch in STRADDLE_PUNCT or ch == "\ufffd" or is_private_use(ch):
            start = i
        elif ch == "\n" or (ch.isascii() and ch not in STRADDLE_PUNCT):
            break
    # The anchor: the character before the run, with its annotation.
    i = start
    if i > lo and text[i - 1] == ")":
        k = text.rfind("(", lo, i - 1)
        if k >= lo and _annotation_at(text, k) is not None:
            i = k
    if i > lo and not text[i - 1].isascii() and _encode(text[i - 1]) is not None:
        i -= 1
    start = i
    # Forward: through two-byte characters, ?, annotations, up to the first ASCII.
    end = trigger
    limit = min(len(text), start + MAX_WINDOW)
    while end < limit:
        ch = text[end]
        if ch == "\n":
            break
        if ch == "(":
            ann = _annotation_at(text, end)
            if ann is not None and ann.end <= limit:
                end = ann.end
                continue
            break
        if ch in "?\ufffd":
            end += 1
            bare = BARE_ANNOTATION.match(text, end)
            if bare and bare.end() <= limit:
                end = bare.end()
            continue
        if ch in STRADDLE_PUNCT:
            after = text[end + 1] if end + 1 < len(text) else "\n"
            if end == trigger or after in "?\ufffd\n" or is_private_use(after) or _is_rare(after):
                end += 1
                continue
        if ch.isascii():
            # A trail-range byte may belong to the run; a digit tells whether a
            # ``?`` before it may have swallowed another one.
            if 0x40 <= ord(ch) <= 0x7E or ch.isdigit():
                end += 1
                ann = _annotation_at(text, end)
                if ann is not None and ann.end <= limit:  # it pins the run's last character
                    end = ann.end
            break
        end += 1
    return start, max(end, trigger + 1)


def _doc_annotations(text: str) -> tuple[dict[str, str], bool]:
    """Characters the gateway annotated in this document, with their usual syllable,
    and whether there are enough annotations to call the document gateway output."""
    counts: dict[tuple[str, str], int] = {}  # (character, syllable), in order of appearance
    judged: dict[tuple[str, str], bool] = {}  # most annotations repeat
    for m in ANNOTATION.finditer(text):
        if m.start() == 0:
            continue
        ch = text[m.start() - 1]
        syllable = m.group(1)
        key = (ch, syllable)
        reading = judged.get(key)
        if reading is None:
            normal = normalize_syllable(syllable)
            reading = judged[key] = is_han(ch) and normal is not None and normal in readings(ch)
        if reading:
            counts[key] = counts.get(key, 0) + 1
    # Each character's most frequent syllable; on a tie, the one that came first.
    table: dict[str, str] = {}
    most: dict[str, int] = {}
    for (ch, syllable), n in counts.items():
        if n > most.get(ch, 0):
            most[ch] = n
            table[ch] = syllable
    return table, sum(counts.values()) >= GATEWAY_SIGNATURE


def _strip_annotations(tokens: list[Token], text: str) -> str:
    return "".join(text[t.start : t.end] for t in tokens if t.kind != "ann")


def _edited_left(text: str, start: int, edits: list[Edit]) -> str:
    """The line before ``start`` (at most ``CONTEXT`` characters of it) as it reads
    with the edits already made on it."""
    lo = max(0, start - CONTEXT)
    line_start = text.rfind("\n", lo, start) + 1 or lo
    recent = []
    for edit in reversed(edits):  # edits come in text order: only the last few matter
        if edit.start < line_start:
            break
        recent.append(edit)
    pieces = []
    cursor = line_start
    for edit in reversed(recent):
        pieces += [text[cursor : edit.start], edit.after]
        cursor = edit.end
    pieces.append(text[cursor:start])
    return "".join(pieces)


def _open_quote(line: str) -> bool:
    return line.count("“") > line.count("”")


class Reading:
    """A decoding of a window found by the search, before it is scored."""

    __slots__ = ("hypothesis", "output", "pins", "restored", "solution", "straddles", "stripped")

    def __init__(
        self,
        output: str,  # the repaired window text
        stripped: str,  # the same without annotations, for scoring
        hypothesis: Hypothesis,
        pins: int,  # lost bytes chosen by plausibility
        solution: Solution,
        straddles: list[str],
        restored: list[str],
    ) -> None:
        self.output = output
        self.stripped = stripped
        self.hypothesis = hypothesis
        self.pins = pins
        self.solution = solution
        self.straddles = straddles
        self.restored = restored


# Slack on the bound below which a reading is not scored: far above the rounding
# of a few float operations, far below any margin that decides.
PRUNE_SLACK = 1e-6


def _scores(
    around: Neighbours,
    readings_found: list[Reading],
    near_of: dict[str, tuple[str, str]],
) -> dict[str, float]:
    """The plausibility of each distinct reading that could matter to the decision.

    Only the best reading, and whether another comes within MARGIN_RUNNER_UP of
    it, decide a window; so a reading that certainly scores MARGIN_RUNNER_UP or
    more below the best one seen so far is not scored to the end (its
    segmentation stops as soon as that is certain) and is left out.
    """
    cheapest: dict[str, float] = {}  # the lowest cost of the readings of each text
    for reading in readings_found:
        cost = reading.hypothesis.cost + COST_PLAUSIBLE_PIN * reading.pins
        if cost < cheapest.get(reading.stripped, math.inf):
            cheapest[reading.stripped] = cost
    scores: dict[str, float] = {}
    top = -math.inf
    shared = shared_ends([near_of[stripped][1] for stripped in cheapest])
    for stripped, cost in cheapest.items():
        floor = top - MARGIN_RUNNER_UP + cost - PRUNE_SLACK
        score = _plausibility(around, stripped, *near_of[stripped], floor, shared)
        if score == -math.inf:
            continue
        scores[stripped] = score
        top = max(top, score - cost)
    return scores


def _candidates(
    text: str,
    start: int,
    end: int,
    table_of: dict[str, str],
    budget: list[int],
    left: str,
    signed: bool = False,
) -> tuple[float, list[Candidate]] | None:
    """The score of the window as it is, and its repaired readings, best first.

    ``signed``: the document carries the gateway's annotations, so runs of
    ASCII marks after a Han character (``規!?``) are more likely its damage.
    """
    tokens = _tokens(text, start, end)
    if tokens is None:
        return None
    line_end = text.find("\n", end, end + CONTEXT)
    right = text[end : min(len(text), end + CONTEXT) if line_end < 0 else line_end]
    original = text[start:end]
    stray = sum(
        1
        for k, t in enumerate(tokens)
        if t.kind == "ann"
        and (not t.paren or k == 0 or t.syllable not in readings(text[t.start - 1]))
    )
    plain = _strip_annotations(tokens, text)
    local = [min(WINDOW_BUDGET, budget[0])]
    at_line_end = end == len(text) or text[end] == "\n"
    after = _encode(text[end]) if end < len(text) else b"\n"
    after_byte = after[0] if after else None
    last_annotated = _annotation_at(text, end) is not None  # the text after keeps it
    # Every reading first, then one scoring of the distinct ones (their shadows in
    # one conversion); the search budget counts search steps, not scorings.
    readings_found: list[Reading] = []
    for h in _hypotheses(tokens, local, at_line_end, after_byte):
        # What every solution of ``h`` shares, worked out at its first solution.
        pins = -1  # plausibility-chosen bytes
        rendering: Rendering | None = None
        for solution in _solutions(h, local):
            if rendering is None:
                pins = sum(1 for note in solution.how if "plausibility" in note)
                rendering = _rendering(
                    h.stream, solution.shape, solution.place, table_of, last_annotated
                )
            output, stripped, straddles, restored = _render(solution.values, rendering, table_of)
            if output != original:
                readings_found.append(
                    Reading(output, stripped, h, pins, solution, straddles, restored)
                )
        if local[0] <= 0:
            break
    around = _neighbours(left, right)
    middles = list(dict.fromkeys([plain, *(reading.stripped for reading in readings_found)]))
    nears = [around.near_left + middle + around.near_right for middle in middles]
    near_of = dict(zip(middles, zip(nears, simplified_shadows(nears), strict=True), strict=True))
    identity = _plausibility(around, plain, *near_of[plain])
    identity -= PENALTY_STRAY_ANNOTATION * stray
    if signed:
        identity -= PENALTY_MARK_RUN * len(MARK_RUN.findall(plain))
    scores = _scores(around, readings_found, near_of)
    best: dict[str, Candidate] = {}
    for r in readings_found:
        if r.stripped not in scores:
            continue  # it can be neither the best reading nor a close second
        score = scores[r.stripped] - r.hypothesis.cost
        score -= COST_PLAUSIBLE_PIN * r.pins
        if r.output in best and best[r.output].score >= score:
            continue
        best[r.output] = Candidate(r, score)
    budget[0] -= min(WINDOW_BUDGET, budget[0]) - max(local[0], 0)
    return identity, sorted(best.values(), key=lambda c: c.score, reverse=True)


def _repair_window(
    text: str,
    start: int,
    end: int,
    table_of: dict[str, str],
    budget: list[int],
    left: str,
    signed: bool = False,
) -> Edit | None:
    found = _candidates(text, start, end, table_of, budget, left, signed)
    if found is None:
        return None
    identity, ranked = found
    hard = _hard_evidence(text, start, end)
    if ranked:
        top = ranked[0]
        runner = ranked[1].score if len(ranked) > 1 else -math.inf
        if top.score - identity >= MARGIN_IDENTITY and top.score - runner >= MARGIN_RUNNER_UP:
            if top.lost:
                return Edit(
                    start,
                    end,
                    top.output,
                    top.reason
                    + f"; {top.lost} byte(s) swallowed by the decoder cannot be restored (kept as '?')",
                    confidence=0.6,
                    unresolved=True,
                    category=CATEGORY,
                )
            return Edit(start, end, top.output, top.reason, confidence=0.9, category=CATEGORY)
    if hard is None:
        return None
    why = (
        "no byte hypothesis explains it"
        if not ranked
        else "no byte hypothesis is clearly best"
        + (f" (best reading {ranked[0].output!r})" if ranked else "")
    )
    a, b = hard
    return Edit(
        a,
        b,
        text[a:b],
        f"gateway damage (lost GBK bytes) could not be restored: {why}",
        confidence=0.0,
        unresolved=True,
        category=CATEGORY,
    )


def _opens_inside(suffix: str) -> bool:
    """Whether ``suffix`` starts inside a parenthesised annotation."""
    close = suffix.find(")")
    return close >= 0 and "(" not in suffix[:close]


def _trimmed(text: str, edit: Edit) -> Edit:
    """``edit`` without the unchanged characters at its ends (the anchor and context)."""
    before = text[edit.start : edit.end]
    after = edit.after
    if before == after:
        return edit
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    # Never cut through an annotation: it is removed or kept whole.
    while head and after[:head].rfind("(") > after[:head].rfind(")"):
        head -= 1
    while tail and _opens_inside(after[len(after) - tail :]):
        tail -= 1
    return dataclasses.replace(
        edit, start=edit.start + head, end=edit.end - tail, after=after[head : len(after) - tail]
    )


def wants(text: str) -> bool:
    """Whether :func:`gateway_edits` finds any evidence to look at (its cheap scan)."""
    return next(_triggers(text), None) is not None


def gateway_edits(text: str, budget: int = DOCUMENT_BUDGET) -> list[Edit]:
    """Edits that restore misaligned GBK runs in ``text``.

    ``budget`` bounds the search steps for the whole document; once it is spent,
    remaining evidence is reported as unresolved without searching.
    """
    edits: list[Edit] = []
    floor = 0
    remaining = [budget]
    table_of: dict[str, str] | None = None
    signed = False
    for trigger in _triggers(text):
        if trigger < floor:
            continue
        start, end = _window(text, trigger, floor)
        if remaining[0] <= 0:
            hard = _hard_evidence(text, start, end)
            if hard is not None:
                edits.append(
                    Edit(
                        hard[0],
                        hard[1],
                        text[hard[0] : hard[1]],
                        "gateway damage suspected; search budget spent, left as is",
                        confidence=0.0,
                        unresolved=True,
                        category=CATEGORY,
                    )
                )
            floor = end
            continue
        left = _edited_left(text, start, edits)
        at_line_end = trigger + 1 == len(text) or text[trigger + 1] == "\n"
        if table_of is None:
            table_of, signed = _doc_annotations(text)
        # A line ending inside a quotation is evidence only in a text that
        # carries the gateway's signature (its pinyin annotations).
        quote_end = text[trigger] in "!?" and at_line_end
        if quote_end and not (signed and _open_quote(left + text[start:trigger])):
            continue
        edit = _repair_window(text, start, end, table_of, remaining, left, signed)
        if edit is not None:
            edits.append(_trimmed(text, edit))
        floor = end
    return edits
