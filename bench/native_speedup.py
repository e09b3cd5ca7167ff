"""The compiled build against the source and the peer, on the same corpora, in turns.

    python bench/native_speedup.py                      # heavy 2 MB, light and clean 10 MB
    python bench/native_speedup.py --kinds heavy --rounds 7

Each round runs the default pipeline over one corpus in a fresh process twice:
once as installed (the compiled modules where the install could compile them)
and once with ``CLEANSE_PURE_PYTHON=1`` (every module from its source); then
the hand-glued peer (``ftfy.fix_text`` + OpenCC ``t2s``). Taking them in
turns, round after round, spreads whatever else the machine is doing over all
three, and the fastest round of each is taken (what else the machine does only
ever adds time), so their ratios hold on a shared machine where single figures
move by a factor of two within minutes; the peer is also the yardstick that
carries a figure from one machine to another.
The corpora are those of ``run_bench.py`` (same ``--seed`` and ``--workdir``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run_bench import MB, corpus_path, load_texts  # noqa: E402

# Run in the child: the CPU seconds of the default pipeline over the corpus,
# after a first pass over its first documents (tables loaded, caches warm).
_CHILD = """
import json, sys, time
from cleanse import Document, Pipeline, native
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
pipeline = Pipeline.default()
docs = [Document.from_input(t.encode("utf-8")) for t in texts]
for doc in docs[:50]:
    pipeline.run(doc)
started = time.process_time()
for doc in docs:
    pipeline.run(doc)
print(json.dumps({"cpu": time.process_time() - started, "compiled": len(native.compiled())}))
"""
_PEER = """
import json, sys, time
import ftfy, opencc
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
t2s = opencc.OpenCC("t2s")
for text in texts[:50]:
    t2s.convert(ftfy.fix_text(text))
started = time.process_time()
for text in texts:
    t2s.convert(ftfy.fix_text(text))
print(json.dumps({"cpu": time.process_time() - started, "compiled": 0}))
"""


def _run(corpus: Path, pure: bool, code: str = _CHILD) -> tuple[float, int]:
    env = dict(os.environ)
    env.pop("CLEANSE_PURE_PYTHON", None)
    if pure:
        env["CLEANSE_PURE_PYTHON"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", code, str(corpus)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return float(out["cpu"]), int(out["compiled"])


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kinds", default="heavy,light,clean")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.gettempdir()) / "cleanse-bench"
    results: dict[str, dict[str, float]] = {}
    for kind in [k for k in args.kinds.split(",") if k]:
        corpus = corpus_path(workdir, kind, 2 if kind == "heavy" else 10, args.seed)
        mb = sum(len(text.encode("utf-8")) for text in load_texts(corpus)) / MB
        compiled_cpu, pure_cpu, peer_cpu = [], [], []
        modules = 0
        for _ in range(args.rounds):
            cpu, modules = _run(corpus, pure=False)
            compiled_cpu.append(cpu)
            pure_cpu.append(_run(corpus, pure=True)[0])
            peer_cpu.append(_run(corpus, pure=False, code=_PEER)[0])
        # The fastest of the rounds: what else the machine did only ever adds time.
        compiled_s, pure_s, peer_s = min(compiled_cpu), min(pure_cpu), min(peer_cpu)
        results[kind] = entry = {
            "mb": round(mb, 2),
            "compiled_modules": modules,
            "compiled_mb_s": round(mb / compiled_s, 2),
            "source_mb_s": round(mb / pure_s, 2),
            "speed_up": round(pure_s / compiled_s, 2),
            "median_speed_up": round(
                statistics.median(pure_cpu) / statistics.median(compiled_cpu), 2
            ),
            "peer_mb_s": round(mb / peer_s, 2),
            "compiled_over_peer": round(peer_s / compiled_s, 2),
            "source_over_peer": round(peer_s / pure_s, 2),
        }
        print(
            f"{kind:>6} {mb:5.1f} MB: compiled ({modules} modules) {entry['compiled_mb_s']:6.2f}"
            f" MB/s, source {entry['source_mb_s']:6.2f} MB/s, speed-up {entry['speed_up']:.2f};"
            f" peer {entry['peer_mb_s']:6.2f} MB/s: compiled {entry['compiled_over_peer']:.2f} x"
            f" the peer, source {entry['source_over_peer']:.2f} x (fastest of {args.rounds}"
            f" rounds; speed-up of the medians {entry['median_speed_up']:.2f})",
            flush=True,
        )
    return results


if __name__ == "__main__":
    main()
