"""Derive the character tables shipped in ``src/cleanse/data`` from dependencies.

Run after upgrading jieba: ``python tools/build_tables.py``. The output is
deterministic, so a diff of the data files shows exactly what an upgrade changed.

- ``hanzi_freq.tsv``: every Han character of jieba's word list with the summed
  frequency of the words it occurs in (simplified script).
"""

from __future__ import annotations

import collections
import pathlib

import jieba

DATA = pathlib.Path(__file__).resolve().parent.parent / "src" / "cleanse" / "data"


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F


def build_hanzi_freq() -> None:
    source = pathlib.Path(jieba.__file__).parent / "dict.txt"
    counts: collections.Counter[str] = collections.Counter()
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            for ch in word:
                if is_han(ch):
                    counts[ch] += freq
    out = DATA / "hanzi_freq.tsv"
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("# char\tcount (derived from jieba's dict.txt by tools/build_tables.py)\n")
        for ch, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"{ch}\t{n}\n")
    print(f"{out}: {len(counts)} characters")


if __name__ == "__main__":
    build_hanzi_freq()
