"""Benchmarks: throughput per stage and of the default pipeline, scaling, memory, the peer.

One command, from the repository root::

    python bench/run_bench.py            # 10 MB corpora, 5 repeats
    python bench/run_bench.py --quick    # 2 MB corpora, 3 repeats (a minute)
    python bench/run_bench.py --sizes 10,100 --repeat 5 --json bench/results.json

Corpora are generated deterministically (``--seed``) into ``--workdir`` from
``bench/data/clean.txt`` (clean prose written for this purpose) and the seed
documents: *clean* (paragraphs as written), *light* (line endings, invisible
characters, trailing spaces, ASCII punctuation in Chinese, a traditional-script
sentence, Western mojibake) and *heavy* (the seeds' gateway damage, simulated
on the clean text: traditional script, pinyin annotations, byte-blind ASCII
punctuation on GBK bytes, lossy GBK decoding; plus the seeds themselves).

Every figure is the median of ``--repeat`` runs. Stage timings run in this
process on documents in memory (no I/O); the end-to-end figures run
``cleanse run corpus.jsonl -o out.jsonl`` as the library does it, and peak RSS
is measured on the command in a child process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cleanse import Document, Pipeline, native  # noqa: E402
from cleanse.scale import ScaleOptions, run_corpus_file  # noqa: E402
from cleanse.stages import DEFAULT_ORDER  # noqa: E402

MB = 1_000_000
KINDS = ("clean", "light", "heavy")
IDLE_MB_S = 200  # what a regex or str.translate scan of the text manages, give or take
ASCII_PUNCTUATION = {
    "，": ",",
    "。": ".",
    "？": "?",
    "！": "!",
    "：": ":",
    "；": ";",
    "（": "(",
    "）": ")",
}


# --- corpora -----------------------------------------------------------------


def _paragraphs() -> list[str]:
    text = (ROOT / "bench" / "data" / "clean.txt").read_text("utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _seed_texts() -> list[str]:
    return [
        p.read_bytes().decode("utf-8") for p in sorted((ROOT / "seeds").iterdir()) if p.is_file()
    ]


def _opencc(config: str) -> Callable[[str], str]:
    import opencc

    converter = opencc.OpenCC(config)
    return converter.convert  # type: ignore[no-any-return]


class Damage:
    """Deterministic damage of the kinds our users meet, applied to clean documents."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.s2t = _opencc("s2t")

    def light(self, text: str) -> str:
        rng = self.rng
        paragraphs = text.split("\n\n")
        for i, para in enumerate(paragraphs):
            roll = rng.random()
            if roll < 0.15:
                para = "".join(ASCII_PUNCTUATION.get(ch, ch) for ch in para)
            elif roll < 0.25:
                para = self.s2t(para)
            elif roll < 0.32 and para.isascii():
                # Western mojibake: an English paragraph set with typographic quotes
                # and dashes, then its UTF-8 read as cp1252 (“ -> â€œ, — -> â€”).
                typeset = "\u201c" + para.replace(". ", ".\u201d \u2014 \u201c", 1) + "\u201d"
                para = typeset.encode("utf-8").decode("cp1252", "replace").replace("\ufffd", "?")
            elif roll < 0.4:
                at = rng.randrange(len(para) + 1)
                para = para[:at] + rng.choice(["\u200b", "\ufeff", "\u00ad", "\u3000"]) + para[at:]
            paragraphs[i] = para
        sep = "\r\n" if rng.random() < 0.3 else "\n"
        body = (sep * 2).join(p + (" " if rng.random() < 0.2 else "") for p in paragraphs)
        return body + sep * rng.choice([0, 1, 3])

    def heavy(self, text: str) -> str:
        """The gateway of seeds 000/001: s2t, then byte-blind edits on GBK bytes, lossy GBK.

        Pinyin annotations are inserted after every occurrence of a character's
        two GBK bytes, wherever they occur, also straddling two characters, and
        full-width punctuation bytes are replaced by ASCII the same blind way:
        the byte misalignment the seeds show.
        """
        from pypinyin import Style, pinyin

        rng = self.rng
        data = self.s2t(text).encode("gbk", "replace")
        han = sorted({ch for ch in self.s2t(text) if "\u4e00" <= ch <= "\u9fff"})
        for ch in rng.sample(han, min(len(han), 12)):
            reading = pinyin(ch, style=Style.TONE)[0][0]
            try:
                pattern = ch.encode("gbk")
                note = f"({reading})".encode("gbk")
            except UnicodeEncodeError:
                continue
            data = data.replace(pattern, pattern + note)
        for full, ascii_ in ASCII_PUNCTUATION.items():
            data = data.replace(full.encode("gbk"), ascii_.encode())
        return data.decode("gbk", "replace").replace("\ufffd", "?")


def build_documents(kind: str, size: int, seed: int) -> Iterator[str]:
    """Documents of about 1-8 KB until ``size`` bytes of UTF-8 text."""
    rng = random.Random(f"{seed}-{kind}")
    paragraphs = _paragraphs()
    seeds = _seed_texts()
    damage = Damage(rng)
    total = 0
    while total < size:
        if kind == "heavy" and rng.random() < 0.05:
            text = rng.choice(seeds)
        else:
            picked = [rng.choice(paragraphs) for _ in range(rng.randint(2, 12))]
            text = "\n\n".join(picked) + "\n"
            if kind == "light":
                text = damage.light(text)
            elif kind == "heavy":
                text = damage.heavy(text)
        total += len(text.encode("utf-8"))
        yield text


def corpus_path(workdir: Path, kind: str, size_mb: float, seed: int) -> Path:
    """``<kind>-<size>MB.jsonl``, built once per seed and reused."""
    path = workdir / f"{kind}-{size_mb:g}MB-s{seed}.jsonl"
    workdir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(build_documents(kind, int(size_mb * MB), seed)):
                fh.write(json.dumps({"id": f"{kind}-{i}", "text": text}, ensure_ascii=False) + "\n")
        tmp.replace(path)
    return path


def load_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


# --- measurements ------------------------------------------------------------


class Timing:
    """Medians of wall-clock seconds and of this process's CPU seconds over repeated runs."""

    def __init__(self, wall: float, cpu: float) -> None:
        self.wall = wall
        self.cpu = cpu
        self.changed = 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_seconds(run: Callable[[], object], repeat: int) -> Timing:
    """Wall clock, and CPU time of this process plus its finished children (the worker pool)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        run()
        cpus.append(time.process_time() - cpu + _children_cpu() - children)
        walls.append(time.perf_counter() - wall)
    return Timing(statistics.median(walls), statistics.median(cpus))


def time_stage(names: list[str], texts: list[str], repeat: int) -> Timing:
    """Median seconds for a pipeline of ``names`` over the documents in memory.

    Also counts the documents the pipeline changed (``Timing.changed``): a
    stage that changes nothing should cost no more than a scan of the text.
    """
    pipeline = Pipeline.from_names(names)
    as_bytes = names == ["decode"]
    docs = [Document.from_input(t.encode("utf-8") if as_bytes else t) for t in texts]
    changed = sum(1 for doc in docs if pipeline.run(doc).changes)  # also loads tables first

    def run() -> None:
        for doc in docs:
            pipeline.run(doc)

    timing = median_seconds(run, repeat)
    timing.changed = changed
    return timing


def time_peer(texts: list[str], repeat: int) -> Timing:
    """The hand-glued peer: ftfy.fix_text then OpenCC t2s, per document."""
    import ftfy

    t2s = _opencc("t2s")

    def run() -> None:
        for text in texts:
            t2s(ftfy.fix_text(text))

    return median_seconds(run, repeat)


def time_end_to_end(corpus: Path, out_dir: Path, jobs: int, repeat: int) -> Timing:
    def run() -> None:
        pipeline = Pipeline.default()
        report, _, _ = run_corpus_file(
            corpus, out_dir / "out.jsonl", pipeline, ScaleOptions(jobs=jobs)
        )
        assert report.status in ("cleaned", "unchanged"), report.message

    return median_seconds(run, repeat)


def _tree_memory(pid: int) -> tuple[int, int]:
    """Resident memory of a process tree: the sum of RSS (shared pages counted in
    every process that maps them) and of PSS (shared pages split between them,
    what the tree costs the machine; Linux only, RSS elsewhere)."""
    import psutil

    rss = pss = 0
    try:
        proc = psutil.Process(pid)
        for member in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                info = member.memory_full_info()
                rss += int(info.rss)
                pss += int(getattr(info, "pss", info.rss))
    except psutil.Error:
        return 0, 0
    return rss, pss


def peak_rss(args: list[str]) -> dict[str, float]:
    """Run ``python -m cleanse ARGS`` in a child; peak RSS of its largest process and of the tree."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", probe, sys.executable, "-m", "cleanse", *args],
        stdout=subprocess.PIPE,
        env=env,
    )
    peak_rss_sum = peak_pss_sum = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_rss_sum, peak_pss_sum
        try:
            import psutil  # noqa: F401
        except ImportError:
            return
        while not stop.is_set():
            rss, pss = _tree_memory(proc.pid)
            peak_rss_sum, peak_pss_sum = max(peak_rss_sum, rss), max(peak_pss_sum, pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode:
        raise RuntimeError(f"cleanse {' '.join(args)} failed ({proc.returncode})")
    largest_kb = int(out.decode().strip().splitlines()[-1])
    # The probe interpreter itself (~10 MB) is part of the sampled tree.
    return {
        "largest_process_mb": largest_kb / 1024,
        "tree_rss_mb": peak_rss_sum / 2**20,
        "tree_pss_mb": peak_pss_sum / 2**20,
    }


def text_file(corpus: Path, target: Path) -> Path:
    """The corpus's documents as one plain text file (for the streaming figures)."""
    if not target.exists():
        with target.open("w", encoding="utf-8") as out:
            for text in load_texts(corpus):
                out.write(text.rstrip("\n") + "\n\n")
    return target


# --- the run -----------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="2 MB corpora, 3 repeats")
    parser.add_argument(
        "--sizes", default=None, help="corpus sizes in MB, comma-separated (default 10)"
    )
    parser.add_argument(
        "--repeat", type=int, default=None, help="runs per figure (median; default 5)"
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help="corpora: clean,light,heavy")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora are built (kept)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--no-rss", action="store_true", help="skip the peak-RSS runs")
    parser.add_argument("--no-peer", action="store_true", help="skip the ftfy+OpenCC peer")
    parser.add_argument(
        "--profile",
        metavar="KIND",
        help="profile the default pipeline on one corpus (pyinstrument)",
    )
    args = parser.parse_args(argv)
    if args.profile:
        workdir = args.workdir or Path(tempfile.gettempdir()) / "cleanse-bench"
        size = float((args.sizes or ("2" if args.quick else "10")).split(",")[0])
        profile(corpus_path(workdir, args.profile, size, args.seed))
        return {}

    sizes = [float(s) for s in (args.sizes or ("2" if args.quick else "10")).split(",")]
    repeat = args.repeat or (3 if args.quick else 5)
    kinds = [k for k in args.kinds.split(",") if k]
    workdir = args.workdir or Path(tempfile.gettempdir()) / "cleanse-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    stages = list(DEFAULT_ORDER)
    results: dict[str, Any] = {
        "conditions": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "processor": cpu_model(),
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "compiled": native.compiled(),
            "repeat": repeat,
            "sizes_mb": sizes,
            "seed": args.seed,
        },
        "corpora": {},
    }
    conditions = results["conditions"]
    print(
        f"{conditions['processor']}, {conditions['cpus']} CPUs, Python {conditions['python']}",
        flush=True,
    )
    base = min(sizes)
    for kind in kinds:
        entry: dict[str, Any] = {}
        corpus = corpus_path(workdir, kind, base, args.seed)
        texts = load_texts(corpus)
        mb = sum(len(t.encode("utf-8")) for t in texts) / MB
        entry["documents"] = len(texts)
        entry["mb"] = round(mb, 2)
        per_stage, per_stage_wall, changed = {}, {}, {}
        for name in stages:
            timing = time_stage([name], texts, repeat)
            per_stage[name] = round(mb / timing.cpu, 2)
            per_stage_wall[name] = round(mb / timing.wall, 2)
            changed[name] = timing.changed
            print(f"{kind:>6} {name:<12} {per_stage[name]:>9.2f} MB/s", flush=True)
        entry["stage_mb_s"] = per_stage
        entry["stage_mb_s_wall"] = per_stage_wall
        entry["stage_documents_changed"] = changed
        timing = time_stage(stages, texts, repeat)
        entry["default_in_memory_mb_s"] = round(mb / timing.cpu, 2)
        entry["default_in_memory_mb_s_wall"] = round(mb / timing.wall, 2)
        print(f"{kind:>6} {'default':<12} {entry['default_in_memory_mb_s']:>9.2f} MB/s", flush=True)
        if not args.no_peer:
            timing = time_peer(texts, repeat)
            entry["peer_mb_s"] = round(mb / timing.cpu, 2)
            entry["peer_mb_s_wall"] = round(mb / timing.wall, 2)
            entry["ours_over_peer"] = round(entry["default_in_memory_mb_s"] / entry["peer_mb_s"], 2)
            print(f"{kind:>6} {'peer':<12} {entry['peer_mb_s']:>9.2f} MB/s", flush=True)
        out_dir = workdir / "out"
        one = time_end_to_end(corpus, out_dir, 1, repeat)
        two = time_end_to_end(corpus, out_dir, 2, repeat)
        entry["jsonl_jobs1_mb_s"] = round(mb / one.cpu, 2)
        entry["jsonl_jobs1_mb_s_wall"] = round(mb / one.wall, 2)
        entry["jsonl_jobs2_mb_s_wall"] = round(mb / two.wall, 2)
        entry["speedup_2_over_1"] = round(one.wall / two.wall, 2)
        # CPU spent by parent and workers with 2 processes, relative to 1 process: the
        # work parallelism adds. On two idle cores the speed-up is about 2 / this.
        entry["cpu_cost_2_over_1"] = round(two.cpu / one.cpu, 2)
        print(
            f"{kind:>6} jsonl jobs=1 {mb / one.wall:.2f} MB/s, jobs=2 {mb / two.wall:.2f} MB/s (wall)",
            flush=True,
        )
        results["corpora"][kind] = entry

    if not args.no_rss:
        rss: list[dict[str, Any]] = []
        for size in sizes:
            corpus = corpus_path(workdir, "light", size, args.seed)
            text = text_file(corpus, workdir / f"light-{size:g}MB-s{args.seed}.txt")
            out = workdir / "rss"
            for label, cmd in (
                (
                    "jsonl --jobs 2",
                    ["run", str(corpus), "-o", str(out / "o.jsonl"), "--jobs", "2", "-q"],
                ),
                (
                    "jsonl --jobs 1",
                    ["run", str(corpus), "-o", str(out / "o.jsonl"), "--jobs", "1", "-q"],
                ),
                (
                    "text, streamed",
                    [
                        "run",
                        str(text),
                        "-o",
                        str(out / "t"),
                        "--jobs",
                        "2",
                        "--stream-above",
                        "1000000",
                        "-q",
                    ],
                ),
            ):
                got = peak_rss(cmd)
                rss.append(
                    {"input": label, "size_mb": size, **{k: round(v, 1) for k, v in got.items()}}
                )
                print(f"rss {label:<16} {size:g} MB: {got}", flush=True)
        results["peak_rss"] = rss
    results["conditions"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    return results


def profile(corpus: Path) -> None:
    """Where the default pipeline spends its time on ``corpus``, as pyinstrument sees it."""
    from pyinstrument import Profiler

    texts = load_texts(corpus)
    pipeline = Pipeline.default()
    docs = [Document.from_input(t.encode("utf-8")) for t in texts]
    with Profiler() as profiler:
        for doc in docs:
            pipeline.run(doc)
    print(profiler.output_text(show_all=False))


def cpu_model() -> str:
    """The processor's name where the system tells it (Linux), else the platform's:
    figures from two machines are compared through the peer, not directly."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or platform.machine()


def markdown(results: dict[str, Any]) -> str:
    corpora = results["corpora"]
    kinds = list(corpora)
    lines = ["| MB/s per CPU second | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
    stages = list(next(iter(corpora.values()))["stage_mb_s"]) if corpora else []
    for name in stages:
        lines.append(
            f"| {name} alone | "
            + " | ".join(f"{corpora[k]['stage_mb_s'][name]:.1f}" for k in kinds)
            + " |"
        )
    rows = [
        ("default pipeline, in memory", "default_in_memory_mb_s"),
        ("peer: ftfy.fix_text + OpenCC t2s", "peer_mb_s"),
        ("ours / peer", "ours_over_peer"),
        ("JSONL file to file, --jobs 1", "jsonl_jobs1_mb_s"),
        ("wall clock: default pipeline, in memory", "default_in_memory_mb_s_wall"),
        ("wall clock: JSONL, --jobs 1", "jsonl_jobs1_mb_s_wall"),
        ("wall clock: JSONL, --jobs 2", "jsonl_jobs2_mb_s_wall"),
        ("speed-up, 2 processes / 1 (wall clock)", "speedup_2_over_1"),
        ("CPU seconds, 2 processes / 1", "cpu_cost_2_over_1"),
    ]
    for label, key in rows:
        if all(key in corpora[k] for k in kinds):
            lines.append(
                f"| {label} | " + " | ".join(f"{corpora[k][key]:.2f}" for k in kinds) + " |"
            )
    slow_idle = [
        f"{name} on {kind} ({entry['stage_mb_s'][name]:.0f} MB/s, "
        f"{entry['stage_documents_changed'][name]} of {entry['documents']} documents changed)"
        for kind, entry in corpora.items()
        for name in stages
        if entry["stage_documents_changed"][name] < entry["documents"] * 0.05
        and entry["stage_mb_s"][name] < IDLE_MB_S
    ]
    lines += [
        "",
        f"Fast-path check: stages that changed under 5% of the documents yet ran below "
        f"{IDLE_MB_S} MB/s (a cheap scan should find there is nothing to do): "
        + ("; ".join(slow_idle) if slow_idle else "none"),
    ]
    if "peak_rss" in results:
        lines += [
            "",
            "| input | size MB | largest process (RSS) | process tree (PSS) | process tree (RSS sum) |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in results["peak_rss"]:
            lines.append(
                f"| {row['input']} | {row['size_mb']:g} | {row['largest_process_mb']:.0f} "
                f"| {row['tree_pss_mb']:.0f} | {row['tree_rss_mb']:.0f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
