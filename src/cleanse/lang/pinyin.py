"""Readings of Han characters, from pypinyin's dictionary (all readings, tone marks).

Used to decide whether a parenthesised syllable after a character is a reading
of it (a gateway annotation) and, in the repair stage, which byte hypothesis
spells a character with a given reading.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# A syllable with tone marks, or with a tone number 1-5 (``yun4``, ``lv4``, ``lu:4``).
SYLLABLE = re.compile(r"[a-zü\u00e0-\u01dc\u0300-\u036f:]{1,7}[1-5]?")
_NUMBERED = re.compile(r"^([a-zü:]+)([1-5])$")


@lru_cache(maxsize=1)
def _dictionary() -> dict[int, str]:
    """pypinyin's table of character readings, read from its module file alone:
    importing the pypinyin package also loads its phrase tables (some 50 MB),
    which nothing here needs."""
    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.submodule_search_locations, "pypinyin is a dependency"
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.py"
    module_spec = importlib.util.spec_from_file_location("_cleanse_pinyin_dict", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    table: dict[int, str] = module.pinyin_dict
    return table


@lru_cache(maxsize=65536)
def readings(ch: str) -> frozenset[str]:
    """Every tone-marked reading of ``ch`` (lowercase, NFC); empty when unknown."""
    entry = _dictionary().get(ord(ch)) if len(ch) == 1 else None
    if not entry:
        return frozenset()
    return frozenset(unicodedata.normalize("NFC", r) for r in entry.split(","))


@lru_cache(maxsize=4096)
def normalize_syllable(syllable: str) -> str | None:
    """``yun4`` / ``yùn`` / ``YÙN`` -> ``yùn``; ``None`` when it is not a pinyin syllable."""
    s = unicodedata.normalize("NFC", syllable.strip().lower()).replace("u:", "ü").replace("v", "ü")
    if not s or not SYLLABLE.fullmatch(s):
        return None
    numbered = _NUMBERED.match(s)
    if numbered:
        from pypinyin.contrib.tone_convert import to_tone

        base, tone = numbered.groups()
        s = (
            base
            if tone == "5"
            else unicodedata.normalize("NFC", to_tone(base.replace("ü", "v") + tone))
        )
    return s if s in all_syllables() else None


@lru_cache(maxsize=1)
def all_syllables() -> frozenset[str]:
    """Every reading of every character pypinyin knows (tone-marked)."""
    out: set[str] = set()
    for entry in _dictionary().values():
        out.update(unicodedata.normalize("NFC", r) for r in entry.split(","))
    return frozenset(out)


def is_reading(ch: str, syllable: str) -> bool:
    """True when ``syllable`` (tone marks or tone number) is a reading of ``ch``."""
    normal = normalize_syllable(syllable)
    return normal is not None and normal in readings(ch)
