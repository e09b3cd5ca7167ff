"""Worst-case time: no stage may take super-linear time on adversarial input.

Each registered stage alone, and the default pipeline, runs on inputs of
about n and 4n characters. Linear work grows about 4x, quadratic 16x; the test
fails above 12x. Times under a floor are too small to judge and pass; a
failing measure is retried (best of three) before it fails, so a busy machine
does not make it flake. ``bench/worst_case.py`` measures the same at larger sizes.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest

from adversarial import ADVERSARIAL
from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.stages import DEFAULT_ORDER, STAGES
from cleanse.stages.decode import BinaryInputError

N = 4000
GROWTH = 4
MAX_RATIO = 12.0
FLOOR_SECONDS = 0.05


def _seconds(run: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _runner(name: str | None, text: str) -> Callable[[], object]:
    if name is None:
        pipeline = Pipeline.default()
        data = text.encode("utf-8")
        return lambda: pipeline(data)
    stage = STAGES[name]()
    doc = (
        Document.from_input(text.encode("utf-8")) if name == "decode" else Document.from_input(text)
    )
    return lambda: stage(doc)


def growth(small: Callable[[], object], large: Callable[[], object]) -> tuple[float, float]:
    """Seconds for the small and the large run; best of three when the first looks bad."""
    for repeats in (1, 3):
        t_small = _seconds(small, repeats)
        t_large = _seconds(large, repeats)
        if t_large < FLOOR_SECONDS or t_large / max(t_small, 1e-9) < MAX_RATIO:
            break
    return t_small, t_large


def check_linear(what: str, small: Callable[[], object], large: Callable[[], object]) -> None:
    t_small, t_large = growth(small, large)
    if t_large < FLOOR_SECONDS:
        return
    ratio = t_large / max(t_small, 1e-9)
    assert ratio < MAX_RATIO, (
        f"{what}: {N} chars {t_small:.3f}s, {N * GROWTH} chars {t_large:.3f}s "
        f"(x{ratio:.1f} for x{GROWTH} input: super-linear)"
    )


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
@pytest.mark.parametrize("name", [*DEFAULT_ORDER, None], ids=[*DEFAULT_ORDER, "pipeline"])
def test_time_grows_linearly(name: str | None, kind: str) -> None:
    make = ADVERSARIAL[kind]
    check_linear(
        f"{name or 'the pipeline'} on {kind!r}",
        _runner(name, make(N)),
        _runner(name, make(N * GROWTH)),
    )


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16-le"])
@pytest.mark.parametrize(
    "kind", ["one-character", "alternating-scripts", "pinyin-parentheses", "short-lines"]
)
def test_decode_time_grows_linearly_in_legacy_codecs(kind: str, encoding: str) -> None:
    make = ADVERSARIAL[kind]
    stage = STAGES["decode"]()
    small = Document.from_input(make(N).encode(encoding, errors="ignore"))
    large = Document.from_input(make(N * GROWTH).encode(encoding, errors="ignore"))

    def decode(doc: Document) -> None:
        with contextlib.suppress(BinaryInputError):  # a refusal takes time too
            stage(doc)

    check_linear(f"decode on {kind!r} in {encoding}", lambda: decode(small), lambda: decode(large))


def test_the_check_catches_quadratic_work() -> None:
    """The timing check itself: a search that rescans the rest of the text from every '('."""
    import re

    def quadratic(text: str) -> int:
        return sum(1 for i in range(len(text)) if re.match(r"\([^)]*\)", text[i:]))

    # x8 input (x64 time) so that a busy machine cannot hide it.
    small, large = "(" * (N // 2), "(" * (N * GROWTH)
    with pytest.raises(AssertionError, match="super-linear"):
        check_linear("quadratic", lambda: quadratic(small), lambda: quadratic(large))
