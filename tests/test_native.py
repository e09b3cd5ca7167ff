"""The compiled build: it gives what the source gives, and a stale build never runs.

The hot modules are compiled with mypyc at install time where a C compiler is
(``tools/hatch_native.py``). The source is the reference, so the compiled
gateway search and segmentation model are checked against the same modules
loaded from their ``.py`` files, edit for edit and reason for reason.
"""

from __future__ import annotations

import hashlib
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cleanse import native
from cleanse.lang import segmentation
from cleanse.stages.repair import gbk_gateway
from test_repair_gateway import _case

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _from_source(module: ModuleType, alias: str) -> ModuleType:
    """A second copy of ``module``, executed from its source file."""
    source = Path(module.__name__.replace(".", "/") + ".py")
    path = Path(native.__file__).resolve().parent.parent / source
    spec = importlib.util.spec_from_file_location(alias, path)
    assert spec is not None and spec.loader is not None
    copy = importlib.util.module_from_spec(spec)
    sys.modules[alias] = copy  # dataclasses look their module up while it executes
    spec.loader.exec_module(copy)
    return copy


@pytest.fixture(scope="module")
def pure() -> tuple[ModuleType, ModuleType]:
    compiled = native.compiled()
    if gbk_gateway.__name__ not in compiled or segmentation.__name__ not in compiled:
        pytest.skip("this install runs the source itself (nothing compiled to compare)")
    seg = _from_source(segmentation, "pure_segmentation")
    gateway = _from_source(gbk_gateway, "pure_gbk_gateway")
    # The pure search scores with the pure model.
    gateway.text_logp, gateway.segment_logp = seg.text_logp, seg.segment_logp
    gateway.shared_ends = seg.shared_ends
    return seg, gateway


def _texts() -> list[str]:
    seeds = [p.read_text("utf-8") for p in sorted(SEEDS.glob("00[01]_*.txt"))]
    return seeds + [_case(seed)[1] for seed in range(60)]


def test_compiled_gateway_search_equals_the_source(pure: tuple[ModuleType, ModuleType]) -> None:
    _, gateway = pure
    for text in _texts():
        assert gbk_gateway.gateway_edits(text) == gateway.gateway_edits(text)


def test_compiled_segmentation_equals_the_source(pure: tuple[ModuleType, ModuleType]) -> None:
    seg, _ = pure
    rng = random.Random(5)
    pieces = [line for text in _texts()[:2] for line in text.splitlines() if line]
    for _ in range(300):
        line = rng.choice(pieces)
        at = rng.randrange(len(line))
        sample = line[at : at + rng.randint(1, 30)]
        assert segmentation.text_logp(sample) == seg.text_logp(sample)


def test_a_source_edited_after_compiling_runs_from_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = gbk_gateway.__name__
    if native._extension_of(name) is None:
        pytest.skip("nothing compiled in this install")
    other = segmentation.__name__
    unchanged = hashlib.sha256(native._source_of(other).read_bytes()).hexdigest()
    monkeypatch.delenv("CLEANSE_PURE_PYTHON", raising=False)
    native._stale.cache_clear()
    monkeypatch.setattr(native, "_manifest", lambda: {name: "0" * 64, other: unchanged})
    try:
        # All or none: the compiled modules call one another directly.
        assert native._stale() == frozenset({name, other})
        spec = native._SourceFirst(native._stale()).find_spec(name, None)
        assert spec is not None and str(spec.origin).endswith("gbk_gateway.py")
        monkeypatch.setattr(native, "_manifest", lambda: {other: unchanged})
        native._stale.cache_clear()
        assert native._stale() == frozenset()
    finally:
        native._stale.cache_clear()


def test_compiled_lists_only_modules_that_run_compiled() -> None:
    for name in native.compiled():
        module = __import__(name, fromlist=["_"])
        assert not str(module.__file__).endswith(".py")
