"""The boilerplate scan never misses a line the classifier would call chrome or borderline.

The stage classifies only the lines the scan suspects; these tests check, line
by line, that every line the full classifier labels ``bad`` or ``borderline``
is among them: on every fixture, on the seeds, on the lexicon's own words in
context, and on generated text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanse.core.document import Document
from cleanse.lang.lines import line_spans
from cleanse.stages.boilerplate import BoilerplateStage
from cleanse.stages.boilerplate.classify import classify
from cleanse.stages.boilerplate.features import shadow_lines, split_lines
from cleanse.stages.boilerplate.lexicon import lexicon
from cleanse.stages.boilerplate.scan import suspect_lines

ROOT = Path(__file__).resolve().parent.parent


def missed_lines(text: str) -> list[str]:
    """Lines the classifier calls chrome or borderline that the scan does not suspect."""
    suspects = suspect_lines(shadow_lines(text))
    return [
        line.text
        for line in split_lines(text)
        if classify(line).label in ("bad", "borderline") and line.index not in suspects
    ]


def _texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "tests" / "fixtures").glob("*/input*")):
        data = path.read_bytes()
        try:
            texts.append((path.parent.name, data.decode("utf-8")))
        except UnicodeDecodeError:
            continue  # a legacy-codec decode fixture
    for path in sorted((ROOT / "seeds").iterdir()):
        texts.append((path.name, path.read_text(encoding="utf-8")))
    return texts


@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_scan_suspects_every_chrome_line_of_the_fixtures(name: str, text: str) -> None:
    assert missed_lines(text) == []


def _lexicon_lines() -> list[str]:
    """Every lexicon word and regular expression in a line of its own and inside prose."""
    lines = []
    for pattern in lexicon():
        word = pattern.text
        if pattern.regex is not None:
            word = word.strip("^$").replace("\\d", "1").replace("\\S", "")
            for mark in "()[]{}?*+.|\\":
                word = word.replace(mark, "")
        for line in (word, f"{word}:", f"■ {word}", f"今天{word}的消息，大家都在谈论。"):
            lines.append(line)
    return lines


def test_scan_suspects_the_lexicon_in_context() -> None:
    text = "\n".join(_lexicon_lines())
    assert missed_lines(text) == []


PIECES = [
    "首页",
    "新闻",
    "|",
    " | ",
    ">",
    "»",
    "›",
    "•",
    "©",
    "(c) 2024",
    "Copyright 2023",
    "ICP备12345678号",
    "京ICP证 0001",
    "公网安备 11010502030143号",
    "版权所有",
    "2024年3月15日",
    "2024-03-15 10:00",
    "来源：",
    "编辑：王芳",
    "记者 李明 摄",
    "图片来源：网络",
    "分享到",
    "扫一扫",
    "关注我们",
    "责任编辑",
    "阅读 1234",
    "12",
    "3",
    "A",
    "。",
    "，",
    "：",
    " ",
    "\u3000",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "頁(yè)",
    "廣告",
    "相關閱讀",
    "上一篇",
    "清晨六点，城东的菜市场已经热闹起来。",
    "We review the open issues every Tuesday.",
    "手机 数码 手机 配件 手机壳 手机膜",
    "ＩＣＰ备",
    "①",
    "www.example.com",
    "info@example.com",
    "010-12345678",
    "不代表本站立场",
    "点个在看",
]


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_scan_suspects_every_chrome_line_of_generated_text(pieces: list[str]) -> None:
    assert missed_lines("".join(pieces)) == []


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_stage_output_equals_full_classification(pieces: list[str]) -> None:
    """The scan only saves time: the stage's result equals classifying every line."""
    doc = Document.from_input("".join(pieces))
    fast = BoilerplateStage()(doc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BoilerplateStage, "_could_remove", staticmethod(lambda doc, shadows: True))
        full = BoilerplateStage()(doc)
    assert (fast.text, fast.changes, fast.metadata) == (full.text, full.changes, full.metadata)


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"(发布时间|时间):\d{4}", {"发布时间:", "时间:"}),
        (r"^(摄影|摄)[::]", {"摄影:", "摄:"}),
        (r"记者\S{0,4}摄[。.]?$", {"记者"}),
        (r"cp[备证]\s*\d|公网安备\s*\d", {"cp备", "cp证", "公网安备"}),
        (r"^-*end-*$", {"end"}),
        (r"\d+", None),
        (r"(?i)icp", None),
        (r"a?", None),
    ],
)
def test_required_literals(pattern: str, literals: set[str] | None) -> None:
    from cleanse.stages.boilerplate.literals import required_literals

    found = required_literals(pattern)
    assert (set(found) if found is not None else None) == literals


def test_scan_takes_lone_surrogates() -> None:
    assert missed_lines("\ud800版权所有\n首页 | 新闻 | 体育") == []


def _every_pattern(compact: str) -> list[tuple[str, str, int, bool]]:
    """Every lexicon pattern tried one by one on a compact line, in lexicon order."""
    out = []
    for pattern in lexicon():
        matched = pattern.match(compact)
        if matched is not None:
            out.append((pattern.category, matched, pattern.weight, pattern.kind == "heading"))
    return out


@given(st.lists(st.sampled_from(PIECES + _lexicon_lines()), max_size=8))
def test_indexed_lexicon_finds_what_every_pattern_finds(pieces: list[str]) -> None:
    from cleanse.stages.boilerplate.features import measure_line

    text = "".join(pieces)
    for shadow, (start, end, _) in zip(shadow_lines(text), line_spans(text), strict=True):
        line = measure_line(0, start, end, text, shadow)
        found = [(h.category, h.pattern, h.weight, h.heading) for h in line.hits]
        assert found == (_every_pattern(line.compact) if line.compact else [])
