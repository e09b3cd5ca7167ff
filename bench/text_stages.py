"""Speed of the annotations, script and punctuation stages, in MB/s of UTF-8 input.

    python bench/text_stages.py [seeds-folder]

Each corpus is repeated to about 2 MB. Clean text is seed 003 after the
default pipeline (simplified, full-width punctuation: the stages only scan it);
the damaged corpora give the stages work: seed 003 as it is (ASCII punctuation),
seed 004 (Taiwan-phrased traditional) and seed 000 (about 500 gateway
annotations per copy). Speeds are CPU time, so a busy machine skews them less.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cleanse import clean
from cleanse.core.document import Document
from cleanse.core.stage import Stage
from cleanse.stages.annotations import AnnotationsStage
from cleanse.stages.punctuation import PunctuationStage
from cleanse.stages.script import ScriptStage

TARGET_BYTES = 2_000_000


def _corpus(path: Path, cleaned: bool = False) -> str:
    text = clean(path.read_bytes()).text if cleaned else path.read_text(encoding="utf-8")
    copies = max(1, TARGET_BYTES // len(text.encode("utf-8")))
    return "\n".join([text] * copies)


def _speed(stage: Stage, text: str) -> float:
    doc = Document.from_input(text)
    stage(Document.from_input(text[:1000]))  # load tables and converters first
    started = time.process_time()
    stage(doc)
    seconds = time.process_time() - started
    return len(text.encode("utf-8")) / 1e6 / seconds


def main() -> None:
    seeds = Path(sys.argv[1] if len(sys.argv) > 1 else "seeds")
    corpora = {
        "clean simplified (003)": _corpus(seeds / "003_3e5185fb91a6beab.txt", cleaned=True),
        "folded simplified (003)": _corpus(seeds / "003_3e5185fb91a6beab.txt"),
        "Taiwan traditional (004)": _corpus(seeds / "004_de22017133ea7dab.txt"),
        "gateway (000)": _corpus(seeds / "000_edcfa5198e97ba78.txt"),
    }
    stages: list[Stage] = [AnnotationsStage(), ScriptStage(), PunctuationStage()]
    print(f"{'stage':<12} " + " ".join(f"{name:>25}" for name in corpora))
    for stage in stages:
        speeds = [_speed(stage, text) for text in corpora.values()]
        print(f"{stage.name:<12} " + " ".join(f"{s:>20.1f} MB/s" for s in speeds))


if __name__ == "__main__":
    main()
