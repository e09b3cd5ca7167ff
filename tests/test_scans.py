"""Nothing-to-do scans written for speed find what the plain rules find."""

from __future__ import annotations

import random
import re

from cleanse.stages.normalize import NEEDS_WORK

PLAIN_NEEDS_WORK = re.compile(
    r"[\r\u2028\u2029\x85\x0b\x0c\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad\ufff9-\ufffb\ud800-\udfff]"
    r"|[ \t\u3000\u00a0]\n|\n\n\n|^\n|[ \t\u3000\u00a0]$"
)


def test_normalize_scan_agrees_with_the_plain_pattern() -> None:
    alphabet = ["a", "\n", " ", "\t", "\r", "\u3000", "中", "\u200b", "\u00a0"]
    rng = random.Random(1)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
        fast = NEEDS_WORK.search(text) is not None or text.startswith("\n")
        assert fast == (PLAIN_NEEDS_WORK.search(text) is not None), repr(text)
