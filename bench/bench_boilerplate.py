"""Throughput of the boilerplate stage on the seeds (per document and the corpus pre-pass).

python bench/bench_boilerplate.py [rounds]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cleanse.core.document import Document
from cleanse.stages.boilerplate import BoilerplateStage
from cleanse.stages.decode import DecodeStage

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main(rounds: int = 30) -> None:
    decode = DecodeStage()
    docs = [
        decode(Document.from_input(p.read_bytes(), id=p.name, metadata={"path": p.name}))
        for p in sorted(SEEDS.iterdir())
    ]
    stage = BoilerplateStage()
    stage(docs[0])  # load lexicons and OpenCC once
    chars = sum(len(d.text) for d in docs) * rounds
    started = time.perf_counter()
    for _ in range(rounds):
        for doc in docs:
            stage(doc)
    seconds = time.perf_counter() - started
    print(
        f"per document: {len(docs) * rounds / seconds:.0f} docs/s, "
        f"{chars / seconds / 1e6:.2f} M chars/s"
    )
    started = time.perf_counter()
    for _ in range(rounds):
        stage.corpus_prepass(docs)
    seconds = time.perf_counter() - started
    print(f"corpus pre-pass: {len(docs) * rounds / seconds:.0f} docs/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
