"""The census of sparse characters: one scan, and the same answers as each search."""

from __future__ import annotations

import random
import re

from hypothesis import given
from hypothesis import strategies as st

import cleanse.stages  # noqa: F401  (the stages register their gates at import)
from cleanse.core.textview import _gates, found_in
from cleanse.lang import chars
from cleanse.lang.chars import holds, sparse_kinds

KINDS = {
    chars.BREAKS: "\r\x0b\x0c\x85\u2028\u2029",
    chars.CONTROLS: chars.INVISIBLE_CHARS,
    chars.FORMAT: "".join(map(chr, [*range(0x200B, 0x2010), *range(0x2060, 0x2065)])),
    chars.LATIN1: "".join(map(chr, range(0x80, 0x100))),
    chars.SURROGATES: "".join(map(chr, range(0xD800, 0xE000))),
    chars.PRIVATE_USE: "".join(map(chr, range(0xE000, 0xF900))),
    chars.COMPATIBILITY: "".join(map(chr, range(0xF900, 0xFB00))),
    chars.SPECIALS: "".join(map(chr, range(0xFFF9, 0xFFFE))),
}
# Ordinary characters around them, and a few beyond the BMP.
POOL = "今天天气很好，我们去公园。abc XYZ 123\n\t-“”《》" + "".join(KINDS.values()) + "𠀀😀𝐀"


def naive(text: str) -> int:
    found = 0
    for kind, members in KINDS.items():
        if any(ch in members for ch in text):
            found |= kind
    if any(ord(ch) > 0xFFFF for ch in text):
        found |= chars.ASTRAL
    return found


@given(st.text(alphabet=st.sampled_from(POOL), max_size=60))
def test_the_census_finds_every_kind_a_text_holds(text: str) -> None:
    assert sparse_kinds(text) == naive(text)


def test_each_kind_alone_and_together() -> None:
    rng = random.Random(3)
    for kind, members in KINDS.items():
        for ch in rng.sample(members, min(20, len(members))):
            assert sparse_kinds("平常的文字" + ch + "平常的文字") & kind
    assert sparse_kinds("𠀀") == chars.ASTRAL
    assert sparse_kinds("只有平常的字。And ASCII.\n") == 0
    assert holds("a\r\nb", chars.BREAKS) and not holds("a\nb", chars.BREAKS)


def test_a_gated_search_answers_as_the_search_would() -> None:
    """Every pattern registered with a gate finds what it finds without one."""
    rng = random.Random(9)
    assert _gates, "the stages register their gates at import"
    for pattern in list(_gates):
        for _ in range(300):
            text = "".join(rng.choice(POOL) for _ in range(rng.randint(0, 12)))
            assert found_in(pattern, text) == (pattern.search(text) is not None), (
                pattern.pattern,
                text,
            )


def test_each_gate_covers_the_first_character_of_its_pattern() -> None:
    """A gate is only right if every match holds a character of its kinds: try
    every character of the pool as a one-character or two-character text."""
    for pattern, kinds in _gates.items():
        for ch in POOL:
            for text in (ch, ch + "\n", "\r" + ch, ch + "a"):
                if re.search(pattern, text) is not None:
                    assert holds(text, kinds), (pattern.pattern, text)
