"""Character classes used across stages."""

from __future__ import annotations


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
