"""The annotations stage: gateway pinyin goes, every other parenthetical stays."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.core.document import Document
from cleanse.lang.pinyin import is_reading, normalize_syllable, readings
from cleanse.stages.annotations import AnnotationsStage

# Traditional characters a gateway annotates, and plain ones it leaves alone.
ANNOTATED = "頁運營數據發網絡視頻認為會時間與開關還"
PLAIN = "的一是在不了有人我他這中大來上個們到說"
NOT_READINGS = ["Jeff Dean", "ID:abc", "diffusion", "漏洞", "ngbjxym", "GPT-4", "e", "2024"]


def _annotate(text: str, chars: str) -> str:
    """What the gateway does: the first reading after every character of ``chars``."""
    return "".join(f"{c}({sorted(readings(c))[0]})" if c in chars else c for c in text)


def _run(text: str, **options: int) -> Document:
    return AnnotationsStage(**options)(Document.from_input(text))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ANNOTATED + PLAIN + ",。", min_size=1, max_size=80))
def test_gateway_annotations_are_removed_exactly(clean: str) -> None:
    damaged = _annotate(clean, ANNOTATED)
    if damaged.count("(") < 3:
        return  # below the per-document threshold: nothing to claim
    assert _run(damaged).text == clean


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=ANNOTATED + PLAIN, min_size=1, max_size=6),
            st.one_of(
                st.sampled_from(NOT_READINGS),
                st.sampled_from(["yè", "shù", "jù", "de", "yī", "wo3", "ma", "xí", "nèi"]),
            ),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_only_readings_are_removed(parts: list[tuple[str, str]]) -> None:
    text = "".join(f"{han}({inner})" for han, inner in parts)
    doc = _run(text, min_annotations=1)
    removed = [c for c in doc.changes if not c.unresolved]
    for change in removed:
        syllable = change.before.strip("()（）")
        assert is_reading(text[change.start - 1], syllable), change
    # Everything that is not a reading of the character before it is still there.
    kept = [(h, i) for h, i in parts if not is_reading(h[-1], i)]
    for han, inner in kept:
        assert f"{han[-1]}({inner})" in doc.text


def test_few_readings_are_not_a_gateway() -> None:
    text = "字典裡的「一(yī)」和「頁(yè)」。"
    assert _run(text).text == text
    assert _run(text, min_annotations=2).text == "字典裡的「一」和「頁」。"


def test_uppercase_is_never_a_reading() -> None:
    text = "頁(yè)運(yùn)營(yíng)愛(AI)"
    assert _run(text).text == "頁運營愛(AI)"


def test_syllable_forms() -> None:
    assert normalize_syllable("yun4") == "yùn"
    text = "運(yun4)營（yíng）數(shu4)據（jù）"
    assert _run(text).text == "運營數據"
    assert all(c.category == "gateway-annotation" for c in _run(text).changes)


def test_clean_text_without_annotations_is_not_scanned() -> None:
    stage = AnnotationsStage()
    assert not stage.wants(Document.from_input("沒有任何注音的一段文字(漏洞)。"))
    assert stage.wants(Document.from_input("頁(yè)"))


def test_plain_characters_and_reused_characters_are_not_a_gateway() -> None:
    # A pinyin lesson: plain characters, not the traditional-only ones a gateway converts.
    lesson = "我(wǒ)爱(ài)北(běi)京(jīng)。"
    assert _run(lesson).text == lesson
    # Annotated once, then used plain: a gateway annotates every occurrence.
    reused = "學(xué)這(zhè)個(gè)。這個學生在學這個。"
    assert _run(reused).text == reused
    assert _run("學(xué)這(zhè)個(gè)。").text == "學這個。"
