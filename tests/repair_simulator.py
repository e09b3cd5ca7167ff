"""A corruption simulator for the repair stage: known damage applied to clean text.

Each function takes clean text and returns it damaged the way real pipelines
damage text, or ``None`` when that damage cannot happen to it (a codec that
cannot spell the text). Decoders behave as they do in the wild: a lossy
decoder turns undecodable bytes into U+FFFD, and "Latin-1" is the browsers'
windows-1252, whose five undefined bytes come out as C1 controls.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

# Python codecs a writer (right) and a reader (wrong) used, by display name.
WRITERS = {
    "UTF-8": "utf-8",
    "GBK": "gbk",
    "Big5": "big5",
    "Shift-JIS": "cp932",
    "EUC-JP": "euc_jp",
    "EUC-KR": "cp949",
}
# Readers as browsers have them (WHATWG): GBK is read with the GB18030 decoder,
# Big5 with Big5-HKSCS, EUC-KR with Windows-949.
READERS = {**WRITERS, "GBK": "gb18030", "Big5": "big5hkscs", "Latin-1/cp1252": "windows-1252"}


def read_as(data: bytes, reader: str) -> str:
    """Decode ``data`` the way a lossy reader in ``reader`` would."""
    if reader == "Latin-1/cp1252":
        # windows-1252 as browsers do it: undefined bytes become C1 controls.
        return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)
    return data.decode(READERS[reader], errors="replace")


@dataclass(frozen=True)
class Damage:
    """Text written in ``right`` and read as ``wrong``."""

    right: str
    wrong: str

    def apply(self, text: str) -> str | None:
        try:
            data = text.encode(WRITERS[self.right])
        except UnicodeEncodeError:
            return None
        damaged = read_as(data, self.wrong)
        return None if damaged == text else damaged

    def lossless(self, text: str) -> bool:
        """True when the damage kept every byte (no U+FFFD from the reader)."""
        damaged = self.apply(text)
        return damaged is not None and "\ufffd" not in damaged

    @property
    def label(self) -> str:
        return f"{self.right} read as {self.wrong}"


# Family 1: every pair the repair stage knows.
WRONG_CODEC = tuple(
    Damage(right, wrong)
    for wrong, right in (
        ("Latin-1/cp1252", "UTF-8"),
        ("Latin-1/cp1252", "GBK"),
        ("Latin-1/cp1252", "Big5"),
        ("Latin-1/cp1252", "Shift-JIS"),
        ("Latin-1/cp1252", "EUC-JP"),
        ("Latin-1/cp1252", "EUC-KR"),
        ("GBK", "UTF-8"),
        ("Big5", "UTF-8"),
        ("Shift-JIS", "UTF-8"),
        ("EUC-JP", "UTF-8"),
        ("EUC-KR", "UTF-8"),
        ("GBK", "Big5"),
        ("Big5", "GBK"),
    )
)


def two_layers(text: str, first: Damage, second: Damage) -> str | None:
    """Mojibake of mojibake: damaged once, then the result damaged again."""
    once = first.apply(text)
    return None if once is None else second.apply(once)


# Family 2: HTML entities a careless exporter leaves in plain text.
def html_escaped(text: str) -> str:
    """``&``, ``<``, ``>`` and quotes as entities, non-ASCII letters as numeric references."""
    out = html.escape(text, quote=True)
    return "".join(f"&#{ord(c)};" if 0xC0 <= ord(c) <= 0x17F else c for c in out)


# Family 4: damage that leaves nothing to restore from.
def kunkao(text: str, at: int, lost: int = 2) -> tuple[str, str]:
    """``lost`` characters at ``at`` replaced by 锟斤拷 (UTF-8 of two U+FFFD read as GBK).

    Returns the damaged text and what the best repair can give: the text with
    the lost characters missing (the junk dropped, nothing invented).
    """
    damaged = text[:at] + "锟斤拷" * (lost // 2 or 1) + text[at + lost :]
    return damaged, text[:at] + text[at + lost :]


def replacement(text: str, at: int) -> str:
    """One character at ``at`` lost to U+FFFD."""
    return text[:at] + "\ufffd" + text[at + 1 :]


@dataclass(frozen=True)
class Case:
    """One damaged text, what a perfect repair gives, and the damage's name."""

    family: str
    damaged: str
    expected: str
    original: str


def wrong_codec_cases(sentences: tuple[str, ...], seed: int, count: int) -> list[Case]:
    """Whole lines, runs inside fine text, and two layers, drawn at random (seeded).

    Only damage that kept every byte is drawn: where a lossy reader left U+FFFD,
    exact restoration is impossible by construction (see the known-failure fixture).
    """
    import random

    rng = random.Random(seed)
    cases: list[Case] = []
    tries = 0
    while len(cases) < count and tries < count * 50:
        tries += 1
        kind = rng.choice(("line", "line", "run", "layers"))
        text = rng.choice(sentences)
        damage = rng.choice(WRONG_CODEC)
        if kind == "layers":
            second = rng.choice(
                [d for d in WRONG_CODEC if d.wrong == "Latin-1/cp1252" and d.right == "UTF-8"]
            )
            damaged = two_layers(text, damage, second)
            if damaged is None or "\ufffd" in damaged or "\ufffd" in (damage.apply(text) or ""):
                continue
            cases.append(Case(f"{damage.label}, then {second.label}", damaged, text, text))
            continue
        damaged = damage.apply(text)
        if damaged is None or "\ufffd" in damaged:
            continue
        if kind == "run":
            before, after = rng.choice(sentences), rng.choice(sentences)
            cases.append(
                Case(f"{damage.label} (run)", before + damaged + after, before + text + after, text)
            )
        else:
            cases.append(Case(damage.label, damaged, text, text))
    return cases
