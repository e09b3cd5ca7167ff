"""The word model's segmentation: starting from a shared prefix changes nothing."""

from __future__ import annotations

import math
import random
from pathlib import Path

from cleanse.lang.hanzi import simplified_shadow
from cleanse.lang.segmentation import segment_logp, shared_prefix

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _lines() -> list[str]:
    text = "".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("00[01]_*.txt")))
    return [simplified_shadow(line) for line in text.splitlines() if len(line) > 12]


def _family(rng: random.Random, lines: list[str]) -> list[str]:
    """Texts that share a start and part ways, like the readings of one window."""
    line = rng.choice(lines)
    cut = rng.randrange(len(line))
    head = line[:cut]
    others = [rng.choice(lines) for _ in range(rng.randint(1, 6))]
    return [head + other[rng.randrange(len(other)) :][:20] for other in [line, *others]]


def test_a_shared_prefix_gives_the_same_scores() -> None:
    rng = random.Random(11)
    lines = _lines()
    compared = 0
    for _ in range(400):
        texts = _family(rng, lines)
        prefix = shared_prefix(texts)
        if prefix is None:
            continue
        compared += 1
        for text in texts:
            plain = segment_logp(text)
            assert segment_logp(text, prefix=prefix) == plain
            # With a floor: the same answer, and -inf exactly where the plain run stops.
            for floor in (plain - 5.0, plain - 1e-9, plain + 1e-9, plain + 5.0, prefix.gate):
                assert segment_logp(text, floor, prefix) == segment_logp(text, floor)
    assert compared > 100


def test_texts_that_share_little_get_no_prefix() -> None:
    assert shared_prefix(["天气很好", "今天下雨"]) is None
    assert shared_prefix(["只有一个文本"]) is None
    assert shared_prefix(["我们今天去公园", "我们今天在家"]) is None  # 4 shared: too few
    assert shared_prefix(["我们今天下午一起去公园", "我们今天下午一起去学校"]) is not None


def test_the_gate_is_the_early_stop_within_the_prefix() -> None:
    texts = ["我们今天下午一起去公园玩", "我们今天下午一起去学校上课"]
    prefix = shared_prefix(texts)
    assert prefix is not None
    for text in texts:
        above = math.nextafter(prefix.gate, math.inf)
        assert segment_logp(text, above) == -math.inf
        assert segment_logp(text, above, prefix) == -math.inf
