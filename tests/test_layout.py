"""The layout stage: properties, the newspaper seed, and texts it must leave alone."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cleanse.core.document import Document, apply_edits
from cleanse.stages.decode import DecodeStage
from cleanse.stages.layout import LayoutStage
from cleanse.stages.layout.spaces import measure_habits
from cleanse.stages.layout.text import is_cjk_paragraph
from layout_damage import set_in_column, wrap

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Words to build clean paragraphs from, in both script forms, with Latin words and numbers.
HANS = [
    "城市",
    "居民",
    "共享",
    "单车",
    "地铁",
    "公司",
    "上班族",
    "选择",
    "骑车",
    "换乘",
    "统计",
    "增长",
    "管理",
    "难题",
    "企业",
    "技术",
    "用户",
    "区域",
    "效果",
    "明显",
    "研究",
    "团队",
    "发布",
    "模型",
    "视频",
    "数据",
    "训练",
    "问题",
    "方向",
    "机会",
    "影响",
    "发展",
    "变化",
    "市场",
    "工具",
    "生活",
    "读者",
    "编辑",
    "记者",
    "报道",
]
HANT = [
    "城市",
    "居民",
    "共享",
    "單車",
    "地鐵",
    "公司",
    "上班族",
    "選擇",
    "騎車",
    "換乘",
    "統計",
    "增長",
    "管理",
    "難題",
    "企業",
    "技術",
    "用戶",
    "區域",
    "效果",
    "明顯",
    "研究",
    "團隊",
    "發佈",
    "模型",
    "影片",
    "數據",
    "訓練",
    "問題",
    "方向",
    "機會",
    "影響",
    "發展",
    "變化",
    "市場",
    "工具",
    "生活",
    "讀者",
    "編輯",
    "記者",
    "報導",
]
FUNCTION = ["的", "了", "在", "和", "把", "对", "从", "也", "都", "就", "还", "又", "很"]
LATIN = ["AI", "GPS", "Python", "Sora", "Stable Video Diffusion", "Gemini 1.5 Pro", "GPT-4"]
NUMBERS = ["2024年", "3只", "60秒", "15%", "1.5倍", "120万"]


@st.composite
def paragraphs(draw: st.DrawFn, words: list[str]) -> str:
    sentences = []
    for _ in range(draw(st.integers(3, 6))):
        clauses = []
        for _ in range(draw(st.integers(1, 3))):
            pieces = draw(
                st.lists(
                    st.one_of(
                        st.sampled_from(words),
                        st.sampled_from(words),
                        st.sampled_from(FUNCTION),
                        st.sampled_from(LATIN),
                        st.sampled_from(NUMBERS),
                    ),
                    min_size=3,
                    max_size=8,
                )
            )
            # Latin words and numbers side by side keep a space between them.
            clause = pieces[0]
            for piece in pieces[1:]:
                latin_pair = clause[-1].isascii() and piece[0].isascii()
                clause += (" " if latin_pair else "") + piece
            clauses.append(clause)
        sentences.append("，".join(clauses) + draw(st.sampled_from(["。", "？", "！"])))
    return "".join(sentences)


@st.composite
def documents(draw: st.DrawFn) -> str:
    words = draw(st.sampled_from([HANS, HANT]))
    return "\n\n".join(draw(st.lists(paragraphs(words), min_size=1, max_size=4)))


def _habit_visible(text: str, damaged: str) -> bool:
    """The damaged text still shows the habit of writing Han and Latin (digits) together.

    When every such boundary fell on a break, nothing tells the stage how the
    document writes them, and it rightly keeps a space there.
    """
    clean, seen = measure_habits(text), measure_habits(damaged)
    return all(clean[k].tight == 0 or seen[k].style == "tight" for k in clean)


def _wrap_visible(text: str, width: int) -> bool:
    """Some paragraph of three lines or more is cut inside a clause somewhere.

    When every line of a paragraph ends a sentence, nothing tells a wrapped
    paragraph from one sentence per line, and the stage rightly keeps the lines.
    """
    long = [wrap(p, width) for p in text.split("\n\n") if len(wrap(p, width)) >= 3]
    return bool(long) and all(any(ln[-1] not in "，。？！" for ln in lines[:-1]) for lines in long)


def _cjk(ch: str) -> bool:
    return not ch.isascii()


def _flattening_visible(text: str, width: int) -> bool:
    """A break flattened between Han and Latin has a break inside CJK text beside it.

    A lone space between Han and Latin is indistinguishable from the author's
    own style, so the stage needs such evidence (in the same paragraph, or
    three anywhere in the document) before it removes one.
    """
    kinds = []
    for paragraph in text.split("\n\n"):
        lines = wrap(paragraph, width)
        kinds.append(
            [
                (_cjk(a[-1]) and _cjk(b[0]), _cjk(a[-1]) != _cjk(b[0]))
                for a, b in itertools.pairwise(lines)
            ]
        )
    if sum(inside for breaks in kinds for inside, _ in breaks) >= 3:
        return True
    return all(
        any(inside for inside, _ in breaks) or not any(mixed for _, mixed in breaks)
        for breaks in kinds
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(20, 44), st.sampled_from(["newline", "newline-space", "flat"]))
def test_rewrapped_paragraphs_come_back(text: str, width: int, style: str) -> None:
    damaged = set_in_column(text, width, style)
    # The stage reflows CJK text only (Latin-script line breaks are the user's call).
    assume(all(is_cjk_paragraph(p) for p in text.split("\n\n")))
    # The column must be measurable: some paragraph spans three lines or more.
    assume(_wrap_visible(text, width))
    assume(_habit_visible(text, damaged))
    assume(style != "flat" or _flattening_visible(text, width))
    out = LayoutStage()(Document.from_input(damaged))
    assert out.text == text


@settings(max_examples=40, deadline=None)
@given(documents())
def test_clean_text_is_unchanged(text: str) -> None:
    out = LayoutStage()(Document.from_input(text))
    assert out.text == text
    assert out.changes == ()


def test_changes_replay_to_the_output() -> None:
    text = set_in_column("研究团队发布了新的模型，用户可以用Python调用它，效果很明显。" * 4, 24)
    doc = Document.from_input(text)
    out = LayoutStage()(doc)
    assert out.text != text
    # Each pass recorded spans on its own input: replaying them pass by pass gives the output.
    current = text
    for reason_kind in ("space", "join"):
        edits = [c for c in out.changes if c.category == reason_kind]
        if edits:
            from cleanse.core.document import Edit

            current, _ = apply_edits(
                "layout",
                current,
                [Edit(c.start, c.end, c.after, c.reason) for c in edits],
            )
    assert current == out.text


def _seed(name: str) -> Document:
    (path,) = SEEDS.glob(f"{name}_*.txt")
    return DecodeStage()(Document.from_input(path.read_bytes(), id=path.name))


def test_seed_002_newspaper_page() -> None:
    doc = _seed("002")
    out = LayoutStage()(doc)
    text = out.text
    assert (
        "但依旧未攻克难以准确模拟复杂场景和行为交互、难以准确理解因果关系和空间细节等缺陷\n" in text
    )
    assert "它更可能是作为一种补充和辅助工具而存在。" in text
    assert "在嬉戏打闹中" in text and "从3只到5只" in text and "的指令下" in text
    assert "Stable Video Diffusion" in text and "Runway CEO" in text
    assert '"A panda eating bamboo on a rock"' in text
    # The continuation was moved, not copied; the sidebar stays after the joined paragraph.
    assert text.count("拟复杂场景") == 1
    assert text.index("等缺陷") < text.index("■延伸阅读")
    # No space is left inside Chinese running text (field lines like the masthead keep theirs).
    prose = [ln for ln in text.splitlines() if "," in ln or "。" in ln]
    for line in prose:
        for i, ch in enumerate(line):
            if ch == " ":
                assert line[i - 1].isascii() and line[i + 1].isascii(), line[i - 5 : i + 5]
    assert text.startswith("A16 封底 2024年2月21日 星期三")
    assert "编辑:魏银科 美编:刘燕 组版:侯波" in text
    moves = [c for c in out.changes if c.category == "move"]
    assert len(moves) == 2
    assert "模|拟 forms 模拟" in moves[0].reason
    # A second run finds nothing left to do.
    assert LayoutStage()(Document.from_input(text)).changes == ()


@pytest.mark.parametrize("name", ["000", "001", "003", "004"])
def test_other_seeds_barely_change(name: str) -> None:
    out = LayoutStage()(_seed(name))
    # Only spaces beside CJK punctuation or inside CJK text; nothing joined or moved.
    assert len(out.changes) <= 2
    assert all(c.category == "space" for c in out.changes)


NEGATIVE = {
    "poem": "春天的早晨\n我走过一条河\n河水很安静\n像一封没有寄出的信\n风从北方来\n带着去年的雪\n",
    "quatrain": "白日依山尽，\n黄河入海流。\n欲穷千里目，\n更上一层楼。\n",
    "list": "议程如下：\n1. 介绍新成员和本季度的工作安排\n2. 讨论预算的分配方案以及审批流程\n- 其他事项\n",
    "headings": "第一章 总则\n\n本规定适用于全市范围内的公共自行车管理。\n\n第二章 停放管理\n\n单车应当停放在指定区域内。\n",
    "spaced style": "我们用 AI 生成文字，也用 Python 写脚本。2024 年有 30 位同学参加。\n\n他们说 GPT 的回答有时不准确。\n",
    "indentation": "\u3000\u3000这是第一段，开头有全角空格的缩进。\n\u3000\u3000这是第二段，同样缩进。\n",
    "field line": "编辑:张三 美编:李四 组版:王五\n",
    "book title": "参考资料：5、某报:《AI圈子不太平 开源模型开发商被曝寻求出售》\n",
    "latin wrapped": "The committee met on Tuesday and agreed\nthat the new bridge, which has been\ndelayed twice, should open in May.\n",
    "truncated lines": "这一段在网页上被截断了，后面还有很多内容没有显示出\n下一段讲的是另外一件事，和上面没有关系。\n",
}


@pytest.mark.parametrize("name", list(NEGATIVE))
def test_leaves_alone(name: str) -> None:
    text = NEGATIVE[name]
    out = LayoutStage()(Document.from_input(text))
    assert out.text == text, [c.reason for c in out.changes]


def test_cheap_scan_skips_text_without_candidates() -> None:
    text = "这是一段完整的文字。\n\n第二段也完整。\nEnglish words stay apart.\n" * 2000
    doc = Document.from_input(text)
    stage = LayoutStage()
    assert not stage.wants(doc)
    started = time.perf_counter()
    assert stage(doc) is doc
    assert time.perf_counter() - started < 2.0  # generous: a scan of ~100 kB


def test_nothing_to_do_scans_agree_with_their_patterns() -> None:
    """The scans written for speed find exactly what the plain patterns find."""
    import random
    import re

    from cleanse.stages.layout import has_open_line
    from cleanse.stages.layout.spaces import CLOSE, HAN, RUN, SPACE_NEAR_CJK, space_near_cjk

    cjk = rf"[{HAN}\u3000-\u303f\uff01-\uff20\u201c\u201d]"
    closing = rf"[{HAN}\u3000-\u303f\uff01-\uff20\u201c\u201d{CLOSE}?!,;:]"
    plain_space = re.compile(rf"{cjk}{RUN}\S|\S{RUN}{cjk}|{closing}[?!]{RUN}\S")
    plain_open = re.compile(r"[^\s。！？!?…．｡.；;：:\ufffd][ \t\u3000\r]*\n\s*\S")
    alphabet = ["中", "a", "。", ".", " ", "\u3000", "\u00a0", "\t", "\r", "\n", "\x0b", "“", "1"]
    alphabet += ["?", "!", "”", ")", "！", ":"]
    rng = random.Random(2)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        assert (plain_open.search(text) is not None) == has_open_line(text), repr(text)
        assert (plain_space.search(text) is not None) == (
            SPACE_NEAR_CJK.search(text) is not None
        ), repr(text)
        assert space_near_cjk(text) == (SPACE_NEAR_CJK.search(text) is not None), repr(text)
