"""Figures for the repair stage: plausibility accuracy, success per damage, throughput.

Run from the repository root: ``PYTHONPATH=src:tests python bench/repair_measure.py``.
Uses the corruption simulator and the clean sentences of the test suite, and
the seeds for throughput on real clean text.
"""

from __future__ import annotations

import collections
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from cleanse.core.document import Document  # noqa: E402
from cleanse.lang.plausibility import pick  # noqa: E402
from cleanse.stages.repair import RepairStage  # noqa: E402
from cleanse.stages.repair.codecs import PAIRS, _encode_char, _right_codec  # noqa: E402
from repair_corpus import ALL, HELD_OUT  # noqa: E402
from repair_simulator import WRONG_CODEC, wrong_codec_cases  # noqa: E402


def inverses(text: str) -> list[str]:
    out = []
    for pair in PAIRS:
        parts = [_encode_char(ch, pair.wrong) for ch in text]
        if any(p is None for p in parts):
            continue
        try:
            out.append(b"".join(p for p in parts if p is not None).decode(_right_codec(pair.right)))
        except UnicodeDecodeError:
            continue
    return [o for o in dict.fromkeys(out) if o != text]


def plausibility_accuracy(cases: int) -> None:
    right = total = 0
    for case in wrong_codec_cases(ALL, seed=3, count=cases):
        if "(run)" in case.family or ", then" in case.family:
            continue
        candidates = [case.damaged, *inverses(case.damaged)]
        if case.original in candidates:
            total += 1
            right += candidates[pick(candidates)] == case.original
    clean_right = sum(pick([t, *inverses(t)]) == 0 for t in ALL)
    print(f"plausibility: picks the original among all readings in {right}/{total} damaged runs")
    print(f"plausibility: keeps clean text against its misreadings in {clean_right}/{len(ALL)}")


def success(cases: int, sentences: tuple[str, ...] = ALL, seed: int = 5) -> None:
    stage = RepairStage()
    ok: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    for case in wrong_codec_cases(sentences, seed=seed, count=cases):
        family = "two layers" if ", then" in case.family else case.family
        total[family] += 1
        ok[family] += stage(Document.from_input(case.damaged)).text == case.expected
    for family in sorted(total):
        print(f"  {family:42} {ok[family]:4}/{total[family]:<4} {ok[family] / total[family]:.0%}")
    print(f"  {'all (lossless damage)':42} {sum(ok.values()):4}/{sum(total.values())}")
    if sentences is not ALL:
        return
    # Lossy readers: how much comes back, and whether anything wrong is written.
    restored = chars = wrong = edits = 0
    for text in ALL:
        for damage in WRONG_CODEC:
            damaged = damage.apply(text)
            if damaged is None or "\ufffd" not in damaged:
                continue
            out = stage(Document.from_input(damaged))
            for change in out.changes:
                if not change.unresolved:
                    edits += 1
                    wrong += change.after not in text
            chars += len(text)
            restored += sum(1 for a, b in zip(out.text, text, strict=False) if a == b)
    print(
        f"  lossy readers (U+FFFD in the damage): {edits} repairs, {wrong} not in the original;"
        f" leading characters right: {restored / max(chars, 1):.0%}"
    )


def throughput() -> None:
    stage = RepairStage()
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("00[234]*"))]
    for name, text in (("clean sentences", "\n".join(ALL)), ("seeds 002-004", "\n".join(seeds))):
        big = text * max(1, 4_000_000 // len(text.encode()))
        stage(Document.from_input(text))  # load tables
        started = time.perf_counter()
        out = stage(Document.from_input(big))
        seconds = time.perf_counter() - started
        size = len(big.encode()) / 1e6
        print(f"throughput on {name}: {size / seconds:.1f} MB/s ({len(out.changes)} changes)")


if __name__ == "__main__":
    plausibility_accuracy(600)
    print("repair success, sentences the stage was tuned on:")
    success(1000)
    print("repair success, held-out sentences:")
    success(600, HELD_OUT, seed=21)
    throughput()
