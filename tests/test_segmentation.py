"""The word model's segmentation: scoring a shared start and end once changes nothing, and
jieba's route worked out in compiled code is jieba's own."""

from __future__ import annotations

import math
import random
import re
from pathlib import Path

from cleanse.lang.hanzi import simplified_shadow
from cleanse.lang.segmentation import exact_cost, segment_logp, shared_ends

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _lines() -> list[str]:
    text = "".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("00[01]_*.txt")))
    return [simplified_shadow(line) for line in text.splitlines() if len(line) > 12]


def _family(rng: random.Random, lines: list[str], start: bool, end: bool) -> list[str]:
    """Texts that share a start and an end and differ between them, like the
    readings of one window between the same neighbours."""
    line = rng.choice(lines)
    cut = rng.randrange(len(line))
    head = line[:cut][-rng.randint(0, 14) :] if start else ""
    tail = line[cut:][: rng.randint(0, 10)] if end else ""
    middles = [rng.choice(lines) for _ in range(rng.randint(1, 7))]
    return [head + m[rng.randrange(len(m)) :][: rng.randint(0, 9)] + tail for m in middles]


def _compare(texts: list[str]) -> bool:
    shared = shared_ends(texts)
    if shared is None:
        return False
    assert all(len(text) - shared.tail >= shared.resume for text in texts)
    for text in texts:
        plain = segment_logp(text)
        # The very same float, not a close one: every sum of costs is exact.
        assert segment_logp(text, shared=shared) == plain
        # With a floor: the same answer, -inf exactly below it.
        above = math.nextafter(plain, math.inf)
        for floor in (plain - 5.0, plain - 1e-9, plain, above, plain + 5.0, shared.gate):
            expected = plain if plain >= floor else -math.inf
            assert segment_logp(text, floor) == expected
            assert segment_logp(text, floor, shared) == expected
    return True


def test_a_shared_start_and_end_give_the_same_scores() -> None:
    rng = random.Random(11)
    lines = _lines()
    kinds = {(True, False): 0, (False, True): 0, (True, True): 0}
    for _ in range(1500):
        start, end = rng.choice(list(kinds))
        texts = _family(rng, lines, start, end)
        if _compare(texts):
            kinds[start, end] += 1
    assert min(kinds.values()) > 100, kinds


def test_costs_are_exact_multiples_so_sums_do_not_depend_on_their_order() -> None:
    costs = [exact_cost(-math.pi * k / 7) for k in range(1, 60)]
    forward = 0.0
    for c in costs:
        forward += c
    backward = 0.0
    for c in reversed(costs):
        backward = c + backward
    assert forward == backward
    assert exact_cost(-math.inf) == -math.inf


def test_texts_that_share_little_get_nothing_shared() -> None:
    assert shared_ends(["天气很好", "今天下雨"]) is None
    assert shared_ends(["只有一个文本"]) is None
    assert shared_ends(["我们今天去公园", "他们今天在家"]) is None  # 3 shared: too few
    start_only = shared_ends(["我们今天下午一起去公园", "我们今天下午一起去学校"])
    assert start_only is not None and start_only.length and not start_only.tail
    end_only = shared_ends(["昨天我们一起去学校上课", "今天他们一起去学校上课"])
    assert end_only is not None and end_only.tail and not end_only.length


def test_the_shared_end_stays_out_of_the_shared_start() -> None:
    # Both end in 下午一起去学校上课 (9), but 下午一起 is the shorter one's shared start.
    texts = ["我们今天下午一起去学校上课", "我们今天下午一起玩下午一起去学校上课"]
    shared = shared_ends(texts)
    assert shared is not None
    assert (shared.length, shared.resume, shared.tail) == (8, 5, 8)
    assert _compare(texts)


def test_the_gate_is_the_early_stop_within_the_prefix() -> None:
    texts = ["我们今天下午一起去公园玩", "我们今天下午一起去学校上课"]
    shared = shared_ends(texts)
    assert shared is not None
    for text in texts:
        above = math.nextafter(shared.gate, math.inf)
        assert segment_logp(text, above) == -math.inf
        assert segment_logp(text, above, shared) == -math.inf


def test_jieba_words_is_jiebas_own_cut() -> None:
    import jieba

    from cleanse.lang.segmentation import jieba_words
    from cleanse.lang.words import tokenizer

    tokenizer()  # initialised (and quiet) the way the project does it
    runs = [run for line in _lines() for run in re.findall("[\u4e00-\u9fd5]+", line)]
    rng = random.Random(3)
    for _ in range(3000):
        run = rng.choice(runs)
        start = rng.randrange(len(run))
        text = run[start : start + rng.randint(1, 14)]
        if rng.random() < 0.2:  # characters that rarely meet
            text = "".join(rng.choice(runs)[0] for _ in range(rng.randint(1, 8)))
        assert jieba_words(text) == list(jieba.cut(text, HMM=False))


def test_jieba_words_leaves_other_text_to_jieba() -> None:
    from cleanse.lang.segmentation import jieba_words

    assert jieba_words("") is None
    assert jieba_words("abc中文") is None
    assert jieba_words("\u3400中") is None  # Extension A: outside jieba's Han block
