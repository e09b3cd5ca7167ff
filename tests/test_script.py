"""The script stage, its source detection, and the OpenCC behaviour it relies on."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse import clean
from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.lang.script_detect import detect_script, markers
from cleanse.stages.script import ScriptStage, convert, opencc_converter

# OpenCC's behaviour on these words is why the configuration follows the source.
# If an OpenCC upgrade changes a line here, revisit CONFIGS and opencc_protect.tsv.
OPENCC_WORDS = [
    ("t2s", "意味著 隨著 看著", "意味著 随著 看著"),
    ("tw2s", "意味著 隨著 看著", "意味着 随着 看着"),
    ("hk2s", "意味著 隨著 看著", "意味著 随著 看著"),
    ("tw2sp", "意味著 隨著 看著", "意味着 随着 看着"),
    ("t2s", "著急 睡著了 衣著", "著急 睡著了 衣著"),
    ("tw2s", "著急 睡著了 衣著", "着急 睡着了 衣着"),
    ("t2s", "原著 編著 土著", "原著 编著 土著"),
    ("tw2s", "原著 編著 土著", "原着 编着 土着"),
    ("hk2s", "原著 編著 土著", "原著 编著 土著"),
    ("tw2s", "著名 著作 顯著", "著名 著作 显著"),
    ("tw2s", "么", "幺"),
    ("tw2sp", "么", "幺"),
    ("t2s", "么", "么"),
    ("tw2s", "影片 軟體 網路 資訊 釋出", "影片 软体 网路 资讯 释出"),
    ("tw2sp", "影片 軟體 網路 資訊 釋出", "视频 软件 网络 信息 发布"),
    ("tw2sp", "文件", "文档"),
    ("tw2s", "文件", "文件"),
    ("tw2s", "显著", "显着"),
]


@pytest.mark.parametrize(("config", "source", "expected"), OPENCC_WORDS)
def test_opencc_behaviour_we_rely_on(config: str, source: str, expected: str) -> None:
    assert opencc_converter(config).convert(source) == expected


def _protected_entries() -> list[tuple[str, str]]:
    text = resources.files("cleanse.data").joinpath("opencc_protect.tsv").read_text("utf-8")
    return [
        (line.split("\t")[0], line.split("\t")[1])
        for line in text.splitlines()
        if line and not line.startswith("#")
    ]


@pytest.mark.parametrize(("source", "right"), _protected_entries())
def test_protected_words(source: str, right: str) -> None:
    for config in ("tw2s", "tw2sp"):
        assert convert(source, (config,))[0] == right
        assert convert(f"他說{source}。", (config,))[0] == f"他说{right}。"


def test_protection_does_not_hide_zhe() -> None:
    # 討論著 holds 論著; the longer entry wins and the particle is still converted.
    assert convert("大家討論著原著。", ("tw2s",))[0] == "大家讨论着原著。"


def _stage(text: str, target: str = "zh-hans") -> Document:
    return ScriptStage(target=target)(Document.from_input(text))


def test_detection() -> None:
    assert detect_script("这是一个简单的句子。").source == "simplified"
    assert detect_script("他爲這件事着急,住在村裏。").source == "traditional"
    assert detect_script("隨著時間過去,這意味著改變。為此我們準備好了。").source == (
        "traditional-tw-forms"
    )
    taiwan = "這支影片釋出後,使用者可以在軟體裡觀看,為了資訊安全。"
    assert detect_script(taiwan).source == "taiwan"
    assert detect_script("他説這個計劃很鋭利,閲讀後再決定。").source == "hongkong"
    assert detect_script("OpenAI 2024").source == "none"
    mixed = detect_script("这是简体的句子,说明问题。這是繁體的句子,說明問題。")
    assert mixed.mixed


def test_simplified_is_never_run_through_opencc() -> None:
    # tw2s would turn 么 into 幺 and 显著 into 显着: simplified text must not meet it.
    text = "什么是显著的变化?要么现在,要么以后。么。"
    assert _stage(text).text == text
    assert _stage(text, "zh-cn").text == text


def test_keep_and_unknown_target() -> None:
    text = "這意味著改變。"
    assert _stage(text, "keep").text == text
    with pytest.raises(ValueError):
        ScriptStage(target="zh-xx")


def test_one_change_per_line() -> None:
    doc = _stage("隨著時間過去。\n\n為此我們準備好了。\n简体行。\n")
    assert [c.before for c in doc.changes] == ["隨著時間過去。", "為此我們準備好了。"]
    assert doc.text == "随着时间过去。\n\n为此我们准备好了。\n简体行。\n"


# Simplified text, including the characters and words a traditional-to-simplified
# configuration would break if it ran over them.
SIMPLIFIED_WORDS = ["么", "什么", "这么", "着急", "显著", "著名", "文件", "视频", "软件", "原著"]


def _simplified_chars() -> str:
    hant = markers().hant
    text = resources.files("cleanse.data").joinpath("hanzi_freq.tsv").read_text("utf-8")
    chars = [line.split("\t")[0] for line in text.splitlines()[1:400]]
    return "".join(c for c in chars if c not in hant)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(SIMPLIFIED_WORDS),
            st.text(alphabet=_simplified_chars(), min_size=1, max_size=8),
            st.sampled_from(["，", "。", "\n", " ", "GPT-4", "2024年"]),
        ),
        max_size=30,
    )
)
def test_clean_simplified_survives_zh_hans(parts: list[str]) -> None:
    text = "".join(parts)
    for target in ("zh-hans", "zh-cn"):
        doc = _stage(text, target)
        assert doc.text == text
        assert doc.changes == ()


def test_presence_scan_agrees_with_the_counts() -> None:
    """The two-search presence scan says what counting the markers says."""
    import random

    from cleanse.lang.script_detect import markers, script_counts, scripts_present

    m = markers()
    beyond = sorted(c for c in m.hant | m.hans if ord(c) > 0xFFFF)[:20]
    pool = [*sorted(m.hant)[:50], *sorted(m.hans)[:50], *beyond, *"的是在了中国abc 𠀀"]
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 6)))
        traditional, simplified = script_counts(text)
        assert scripts_present(text) == (traditional > 0, simplified > 0), text


def test_text_without_t2s_characters_is_its_own_simplified_form() -> None:
    """The shadow skips OpenCC when no character t2s changes occurs: check the derived
    table against the installed OpenCC, character by character and in running text."""
    import random

    import opencc

    from cleanse.lang.hanzi import _t2s_changes

    t2s = opencc.OpenCC("t2s")
    changes = _t2s_changes()
    unchanged = []
    for cp in [*range(0x3000, 0xA000), *range(0xF900, 0xFB00), *range(0xFF00, 0xFFF0)]:
        ch = chr(cp)
        if not changes.found_in(ch):
            assert t2s.convert(ch) == ch, f"U+{cp:04X}"
            unchanged.append(ch)
    rng = random.Random(5)
    for _ in range(300):
        text = "".join(rng.choice(unchanged) for _ in range(200))
        assert t2s.convert(text) == text
    # A phrase t2s changes though each of its characters alone stays; the characters
    # alone (common simplified text) are not flagged.
    assert t2s.convert("捏坏") != "捏坏" and changes.found_in("捏坏")
    assert changes.found_in("他把它打坏了") and not changes.found_in("坏了，他捏了一下")
    # Text made of the phrases' characters: whatever is not flagged t2s leaves alone.
    from cleanse.lang.hanzi import script_markers

    phrases = script_markers()["t2s-phrase"]
    pieces = [*sorted({ch for phrase in phrases for ch in phrase}), "的", "了"]
    flagged = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        if changes.found_in(text):
            flagged += 1
        else:
            assert t2s.convert(text) == text, text
    assert flagged  # the check above was not vacuous


def test_term_counts_equal_counting_each_term() -> None:
    """One automaton pass counts what str.count counts, term by term."""
    import random

    from cleanse.lang.script_detect import _count_terms, markers

    m = markers()
    tw = sorted(m.tw_term)
    cn = sorted(m.cn_term)
    pieces = [*tw[:200], *cn[:200], *"的是在了中國哈", "哈哈哈", "\ud800"]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert _count_terms("tw", text) == sum(text.count(t) for t in tw)
        assert _count_terms("cn", text) == sum(text.count(t) for t in cn)


def test_a_nul_character_does_not_cut_the_text_short() -> None:
    # OpenCC's chained configurations (tw2s, s2tw...) pass C strings between their
    # steps: a NUL ended the text there, losing everything after it on the line.
    # Found by fuzzing ("Ā\x00裡" came out as "Ā").
    text = "為了\x00這裡的軟體\n"
    for target in ("zh-hans", "zh-cn", "zh-tw"):
        out = Pipeline([ScriptStage(target=target)]).run(Document.from_input(text)).text
        assert out.count("\x00") == 1 and out.endswith("\n")
        assert len(out.split("\x00")[1]) >= len("這裡的軟體")
    assert clean(b"\xff\xfe\x00\x01\x00\x00\xe1\x88").text == "Ā里\n"


def test_lines_the_boilerplate_shadow_converted_are_not_converted_again() -> None:
    from cleanse.lang.hanzi import known_t2s, simplified_lines
    from cleanse.stages.script import convert_lines

    lines = ["這裡是一個測試。", "電腦軟體和網路", "", "頭髮很長,乾燥的天氣"]
    t2s = opencc_converter("t2s")
    simplified_lines("\n".join(lines))
    assert known_t2s(lines) == [t2s.convert(line) for line in lines]
    assert known_t2s([lines[0], "不在裡面的一行"]) is None
    # Through the memo or through OpenCC, the script stage gets the same lines.
    remembered = convert_lines(lines, ("t2s",))
    simplified_lines("简体文字没有可以转换的")  # converts nothing: forgets the lines
    assert known_t2s(lines) is None
    assert convert_lines(lines, ("t2s",)) == remembered
    assert remembered == [(t2s.convert(line), []) for line in lines]


def test_a_text_with_nul_is_not_remembered_line_by_line() -> None:
    from cleanse.lang.hanzi import known_t2s, simplified_lines

    simplified_lines("這裡\x00是\n電腦")
    assert known_t2s(["電腦"]) is None
