"""A smoke test of the benchmark script on a 100 KB corpus (no timing is checked)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run_bench.py"


def test_bench_script_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("run_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "results.json"
    args = ["--sizes", "0.1", "--repeat", "1", "--kinds", "light,heavy", "--no-rss"]
    bench.main([*args, "--workdir", str(tmp_path / "work"), "--json", str(out)])
    results = json.loads(out.read_text("utf-8"))
    for kind in ("light", "heavy"):
        entry = results["corpora"][kind]
        assert entry["mb"] >= 0.1 and entry["documents"] > 5
        assert set(entry["stage_mb_s"]) >= {"decode", "normalize"}
        assert entry["default_in_memory_mb_s"] > 0 and entry["peer_mb_s"] > 0
    # The corpora are deterministic: building them again gives the same bytes.
    corpus = next((tmp_path / "work").glob("heavy-*.jsonl"))
    again = bench.corpus_path(tmp_path / "again", "heavy", 0.1, 8)
    assert again.read_bytes() == corpus.read_bytes()
