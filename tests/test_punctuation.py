"""The punctuation stage: folded marks come back in Chinese text, Latin text keeps ASCII."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.core.document import Document
from cleanse.stages.punctuation import PunctuationStage

HAN = "我们发布了新版本速度更快体积更小中国模型视频数据时间问题"
LATIN = ["Sora", "GPT-4", "Gemini 1.5 Pro", "10,000K", "09:33", "3-7"]


def _run(text: str, policy: str = "cjk") -> str:
    return PunctuationStage(policy=policy)(Document.from_input(text)).text


@st.composite
def chinese_text(draw: st.DrawFn) -> str:
    """Chinese sentences with full-width punctuation between Han runs."""
    pieces = []
    for _ in range(draw(st.integers(1, 8))):
        pieces.append(draw(st.text(alphabet=HAN, min_size=1, max_size=6)))
        kind = draw(st.sampled_from(["，", "：", "；", "？", "！", "（）", "。"]))
        if kind == "（）":
            inner = draw(st.text(alphabet=HAN, min_size=1, max_size=4))
            pieces.append(f"（{inner}）")
        else:
            pieces.append(kind)
    return "".join(pieces)


@settings(max_examples=80, deadline=None)
@given(chinese_text())
def test_folded_punctuation_is_restored(clean: str) -> None:
    # NFKC is the folding that turns `，` into `,` (and leaves `。` alone).
    folded = unicodedata.normalize("NFKC", clean)
    assert _run(folded) == clean


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["Hello", "world", "OK", "it is", "https://example.com/?a=1,2"]),
            st.sampled_from(LATIN),
            st.sampled_from([", ", ": ", "; ", "? ", "! ", " (", ") ", " ", "\n"]),
        ),
        max_size=20,
    )
)
def test_latin_text_keeps_ascii(parts: list[str]) -> None:
    text = "".join(parts)
    assert _run(text) == text


def test_latin_inside_chinese() -> None:
    text = "模型Gemini 1.5 Pro支持10,000K Token。GPT-4和09:33和3-7秒"
    assert _run(text) == text
    assert _run("杰夫·迪恩(Jeff Dean)解释") == "杰夫·迪恩(Jeff Dean)解释"
    assert _run("来源:数字营销,字母榜(ID:wujicaijing)") == "来源：数字营销，字母榜(ID:wujicaijing)"
    assert _run("电话:400-068-7188") == "电话：400-068-7188"
    assert _run("联系tougao@example.com,谢谢") == "联系tougao@example.com，谢谢"


def test_keep_policy() -> None:
    assert _run("2月16日,中国", policy="keep") == "2月16日,中国"


def test_lost_byte_marks_stay() -> None:
    for text in ("甚至?xí)超过", "要求??考虑", "治??;", "因?(yàn)为"):
        assert _run(text) == text
