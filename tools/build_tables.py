"""Derive the character tables shipped in ``src/cleanse/data`` from dependencies.

Run after upgrading jieba: ``python tools/build_tables.py``. The output is
deterministic, so a diff of the data files shows exactly what an upgrade changed.

- ``hanzi_freq.tsv``: every Han character of jieba's word list with the summed
  frequency of the words it occurs in (simplified script).
- ``hanzi_bigrams.txt``: the most frequent pairs of adjacent Han characters
  inside jieba's words, grouped by the integer part of log2 of their summed
  frequency (one line per group: the bucket, a tab, then the pairs run
  together), so the plausibility model can tell real words from mojibake.
"""

from __future__ import annotations

import collections
import itertools
import pathlib
from collections.abc import Iterator

import jieba

DATA = pathlib.Path(__file__).resolve().parent.parent / "src" / "cleanse" / "data"
# Enough pairs to cover the words of ordinary prose, few enough to stay ~200 KB.
BIGRAMS_KEPT = 32000


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F


def jieba_words() -> Iterator[tuple[str, int]]:
    """``(word, frequency)`` of every entry of jieba's dictionary."""
    source = pathlib.Path(jieba.__file__).parent / "dict.txt"
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                yield parts[0], int(parts[1])


def build_hanzi_freq() -> None:
    counts: collections.Counter[str] = collections.Counter()
    for word, freq in jieba_words():
        for ch in word:
            if is_han(ch):
                counts[ch] += freq
    out = DATA / "hanzi_freq.tsv"
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("# char\tcount (derived from jieba's dict.txt by tools/build_tables.py)\n")
        for ch, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"{ch}\t{n}\n")
    print(f"{out}: {len(counts)} characters")


def build_hanzi_bigrams() -> None:
    counts: collections.Counter[str] = collections.Counter()
    for word, freq in jieba_words():
        for a, b in itertools.pairwise(word):
            if is_han(a) and is_han(b) and freq > 0:
                counts[a + b] += freq
    kept = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:BIGRAMS_KEPT]
    buckets: dict[int, list[str]] = collections.defaultdict(list)
    for pair, n in kept:
        buckets[n.bit_length() - 1].append(pair)
    out = DATA / "hanzi_bigrams.txt"
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            "# floor(log2(count))\tadjacent Han pairs inside words "
            "(derived from jieba's dict.txt by tools/build_tables.py)\n"
        )
        for bucket in sorted(buckets, reverse=True):
            fh.write(f"{bucket}\t{''.join(sorted(buckets[bucket]))}\n")
    print(f"{out}: {len(kept)} pairs")


if __name__ == "__main__":
    build_hanzi_freq()
    build_hanzi_bigrams()
