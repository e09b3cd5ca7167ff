"""Throughput of the layout stage on the seeds (run by hand, not in the test suite).

    python bench/layout_throughput.py [repeat]

Prints characters per second for the seeds concatenated ``repeat`` times and
for seed 002 (the newspaper page) alone, after jieba's dictionary is loaded.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cleanse.core.document import Document
from cleanse.lang.words import word_across
from cleanse.stages.decode import DecodeStage
from cleanse.stages.layout import LayoutStage

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main(repeat: int = 20) -> None:
    word_across("模", "拟")  # load the dictionary once, outside the timings
    texts = {
        p.name: DecodeStage()(Document.from_input(p.read_bytes())).text
        for p in sorted(SEEDS.glob("*.txt"))
    }
    newspaper = next(t for name, t in texts.items() if name.startswith("002_"))
    for label, text in (
        (f"seeds x{repeat}", "\n\n".join(texts.values()) * repeat),
        (f"seed 002 x{repeat}", "\n\n".join([newspaper] * repeat)),
    ):
        stage = LayoutStage()
        started = time.perf_counter()
        out = stage(Document.from_input(text))
        seconds = time.perf_counter() - started
        print(
            f"{label}: {len(text):,} chars in {seconds:.2f} s "
            f"({len(text) / seconds / 1e6:.2f} M chars/s), {len(out.changes)} changes"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
