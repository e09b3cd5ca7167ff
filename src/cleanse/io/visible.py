"""Showing changed text so that whitespace and invisible characters can be seen."""

from __future__ import annotations

import unicodedata

# Whitespace shown as a glyph; the character itself stays beside it for copy and the plain views.
WHITESPACE_GLYPHS = {" ": "·", "\t": "→", "\u3000": "□"}


def is_invisible(ch: str) -> bool:
    """Format and control characters (and odd spaces) that render as nothing."""
    if ch in "\n\t":
        return False
    category = unicodedata.category(ch)
    return category in ("Cf", "Cc", "Co", "Cn") or (
        category == "Zs" and ch not in WHITESPACE_GLYPHS
    )


# Short names for the invisible characters scraped text is full of.
SHORT_NAMES = {
    "\u00a0": "NBSP",
    "\u00ad": "SHY",
    "\u200b": "ZWSP",
    "\u200c": "ZWNJ",
    "\u200d": "ZWJ",
    "\u2060": "WJ",
    "\ufeff": "BOM",
    "\r": "CR",
}


def codepoint_label(ch: str) -> str:
    return SHORT_NAMES.get(ch) or f"U+{ord(ch):04X}"


def plain(text: str, limit: int = 60) -> str:
    """A one-line rendering for terminals: escapes for whitespace and invisible characters."""
    out: list[str] = []
    for ch in text:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch in "\u3000\u00a0":
            out.append(f"\\u{ord(ch):04x}")
        elif is_invisible(ch):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    shown = "".join(out)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown
