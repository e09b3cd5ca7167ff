"""Corpus mode: lines that repeat across many documents of one site are chrome.

The CCNet approach: each line is normalised (shadowed, punctuation and spaces
out) and hashed. Unlike CCNet, digits are kept: a serial title ("第3期") must
not collide with its siblings, and lines that differ only in numbers (counters,
dates) are caught by the per-document classifier already; a line shared by at least
``min_docs`` documents of the same group (and at least ``min_share`` of the
group's documents) is boilerplate. A cheap pre-pass counts, a second pass
(the stage itself) removes.

Memory is bounded by the number of distinct *frequent* lines, not by the
corpus: document frequencies go into a count-min sketch of fixed size
(``depth`` rows of ``width`` counters, conservative update), and only the
hashes whose estimate crosses the threshold are kept in a set. A sketch can
only over-count, so a rare line is called frequent only on a hash collision
in every row; with the defaults that is negligible, and a line the
per-document classifier calls content with high confidence is never removed
on corpus evidence alone.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections import Counter
from collections.abc import Iterable

from cleanse.stages.boilerplate.features import shadow_lines

_NOISE = re.compile(r"[\s\W_]+")


def line_key(shadow: str) -> str:
    """The normalised form of a shadowed line that repeated lines share."""
    return _NOISE.sub("", shadow)


class CorpusLineStats:
    """Document frequency of normalised lines, per group (by default: per folder)."""

    def __init__(
        self,
        min_docs: int = 3,
        min_share: float = 0.1,
        width: int = 1 << 18,
        depth: int = 4,
        min_length: int = 2,
    ) -> None:
        if min_docs < 2:
            raise ValueError("min_docs must be at least 2 (a line repeated in one document)")
        self.min_docs = min_docs
        self.min_share = min_share
        self.width = width
        self.depth = depth
        self.min_length = min_length
        self._rows = [array("I", bytes(4 * width)) for _ in range(depth)]
        self._frequent: set[bytes] = set()
        self._group_docs: Counter[str] = Counter()

    def _hash(self, group: str, key: str) -> bytes:
        return hashlib.blake2b(f"{group}\0{key}".encode(), digest_size=16).digest()

    def _cells(self, digest: bytes) -> list[int]:
        return [
            int.from_bytes(digest[2 * r : 2 * r + 4], "little") % self.width
            for r in range(self.depth)
        ]

    def add_document(self, group: str, text: str) -> None:
        """Count each distinct line of ``text`` once for ``group``."""
        self._group_docs[group] += 1
        seen: set[bytes] = set()
        for shadow in shadow_lines(text):
            key = line_key(shadow)
            if len(key) < self.min_length:
                continue
            digest = self._hash(group, key)
            if digest in seen:
                continue
            seen.add(digest)
            cells = self._cells(digest)
            low = min(self._rows[r][c] for r, c in enumerate(cells))
            for r, c in enumerate(cells):
                if self._rows[r][c] == low:  # conservative update
                    self._rows[r][c] = low + 1
            if low + 1 >= self.min_docs:
                self._frequent.add(digest)

    def add_documents(self, items: Iterable[tuple[str, str]]) -> None:
        for group, text in items:
            self.add_document(group, text)

    def documents(self, group: str) -> int:
        return self._group_docs[group]

    def estimate(self, group: str, shadow: str) -> int:
        """How many documents of ``group`` share this line (an upper bound)."""
        key = line_key(shadow)
        if len(key) < self.min_length:
            return 0
        cells = self._cells(self._hash(group, key))
        return min(self._rows[r][c] for r, c in enumerate(cells))

    def is_frequent(self, group: str, shadow: str) -> bool:
        key = line_key(shadow)
        if len(key) < self.min_length or self._hash(group, key) not in self._frequent:
            return False
        return self.estimate(group, shadow) >= self.min_share * self._group_docs[group]

    @property
    def frequent_lines(self) -> int:
        return len(self._frequent)
