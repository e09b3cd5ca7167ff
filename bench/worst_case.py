"""Worst-case time of every stage and of the pipeline on adversarial inputs.

    python bench/worst_case.py                    # sizes 40k, 160k, 640k characters
    python bench/worst_case.py --repeats 3 --write docs/benchmarks-worst-case.md

For each input kind (tests/adversarial.py) and each stage alone (then the
default pipeline on the UTF-8 bytes), prints the seconds at each size and the
growth over the last step in size, against the growth in size. A
linear stage grows like the input; a quadratic one like its square.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from adversarial import ADVERSARIAL  # noqa: E402
from cleanse import __version__  # noqa: E402
from cleanse.core.document import Document  # noqa: E402
from cleanse.core.pipeline import Pipeline  # noqa: E402
from cleanse.stages import DEFAULT_ORDER, STAGES  # noqa: E402
from cleanse.stages.decode import BinaryInputError  # noqa: E402


def _timed(run: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        with contextlib.suppress(BinaryInputError):  # a refusal takes time too
            run()
        best = min(best, time.perf_counter() - started)
    return best


PIPELINES = {"pipeline": "utf-8", "pipeline-gb18030": "gb18030"}


def _run(name: str, text: str) -> Callable[[], object]:
    if name in PIPELINES:
        pipeline = Pipeline.default()
        data = text.encode(PIPELINES[name])
        return lambda: pipeline(data)
    stage = STAGES[name]()
    doc = Document.from_input(text.encode("utf-8") if name == "decode" else text)
    return lambda: stage(doc)


def measure(sizes: list[int], repeats: int) -> list[tuple[str, str, list[float]]]:
    rows = []
    for kind in sorted(ADVERSARIAL):
        for name in [*DEFAULT_ORDER, *PIPELINES]:
            times = [_timed(_run(name, ADVERSARIAL[kind](n)), repeats) for n in sizes]
            rows.append((kind, name, times))
    return rows


def render(sizes: list[int], rows: list[tuple[str, str, list[float]]]) -> str:
    # Growth is measured over the last step: the smallest sizes fit in the CPU caches
    # and their times (about a millisecond) are mostly noise.
    step = sizes[-1] / sizes[-2]
    head = " | ".join(f"{n:,} chars (s)" for n in sizes)
    lines = [
        f"cleanse {__version__}, Python {platform.python_version()}, {platform.machine()}; "
        f"best of the repeats; growth = time at {sizes[-1]:,} / time at {sizes[-2]:,} "
        f"(input x{step:g}: linear ~x{step:g}, quadratic ~x{step * step:g}). "
        "Flagged: growth over 3x the input's, at more than 20 ms.",
        "",
        f"| input | stage | {head} | growth |",
        "|---|---|" + "---|" * len(sizes) + "---|",
    ]
    for kind, name, times in rows:
        ratio = times[-1] / max(times[-2], 1e-9)
        cells = " | ".join(f"{t:.4f}" for t in times)
        flag = " **super-linear?**" if times[-1] > 0.02 and ratio > 3 * step else ""
        lines.append(f"| {kind} | {name} | {cells} | x{ratio:.1f}{flag} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="40000,160000,640000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", type=Path, help="also write the table into this Markdown file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    table = render(sizes, measure(sizes, args.repeats))
    print(table)
    if args.write:
        text = args.write.read_text("utf-8") if args.write.exists() else ""
        marker = "<!-- results -->"
        head = text.split(marker)[0] if marker in text else text
        args.write.write_text(head + marker + "\n\n" + table, "utf-8")


if __name__ == "__main__":
    main()
