"""Inputs the property tests and fuzzing found, pinned down once fixed."""

from __future__ import annotations

import pytest

from cleanse import clean
from cleanse.core.pipeline import Pipeline
from invariants import check_idempotent, run_checked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A joiner alone: the final newline made it "next to a space" only on a second run.
        ("\u200c", ""),
        ("a\u200d", "a\n"),
        ("\u200dab", "ab\n"),
        # A joiner next to an invisible character: after that one went, it sat next to CJK.
        ("中\u200b\u200cx", "中x\n"),
        ("x\u200c\u200b中", "x中\n"),
        # Joiners that do join something are kept (emoji sequence, Persian half-space).
        ("👩\u200d💻", "👩\u200d💻\n"),
        ("می\u200cخواهم", "می\u200cخواهم\n"),
    ],
)
def test_stray_joiners_removed_in_one_run(text: str, expected: str) -> None:
    result = clean(text, stages=["normalize"])
    assert result.text == expected
    check_idempotent(result.text, lambda: Pipeline.from_names(["normalize"]))
    check_idempotent(clean(text).text)


@pytest.mark.parametrize("stages", [None, ["normalize"]])
def test_lone_surrogates_are_dropped_and_reported(stages: list[str] | None) -> None:
    result = clean("甲\ud800乙\udcff\udcfe", stages=stages)
    assert result.text == "甲乙\n"
    result.text.encode("utf-8")
    dropped = [c for c in result.changes if "surrogate" in c.reason]
    assert [c.before for c in dropped] == ["\ud800", "\udcff\udcfe"]
    assert all(c.unresolved for c in dropped)
    run_checked(Pipeline.from_names(stages), "甲\ud800乙\udcff\udcfe")


def test_fuzz_gb18030_with_a_utf8_line_and_invalid_runs_at_line_ends() -> None:
    """atheris: a GB18030 error span that swallows a newline, then an error at the next
    line's start; the two records were merged with a wrong ``before``."""
    raw = (
        b"\xfb7\n\xef\xac\xa7\n\n\n\x05\xed\xea\xea\xea\xea\xed\xed\xed\xed\xed\xed"
        b"\xff\xff\xff\xff7\n\xef\xff\xff\xff\xff\xff\xff\xff\xed99999"
    )
    doc = run_checked(Pipeline.default(), raw)
    assert doc is not None
    check_idempotent(doc.text)


def test_control_character_inside_mojibake_does_not_hide_it_from_the_first_run() -> None:
    # The backspace went only in normalize: the repair saw "º\x08的" on the first run
    # and "º的" (UTF-8 read as EUC-JP) on the second.
    check_idempotent(clean("̀º\x08的⁰").text)


# Found by randomised fuzzing: a lone Han character among letters of other
# scripts (Latin extended, Yi) was read as UTF-8 mojibake of one Western letter,
# on a second run only: the script stage had made it (t2s: 岡 -> 冈), or its line
# now ended with the final line break normalize added. A Western reading must
# now have Western neighbours.
@pytest.mark.parametrize(
    "data",
    [
        b"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x03\x01\x01\x01\x01\x01\xa0\xa1\\",
        b"\x01\x01\x18\xac\x01\xa0\xc4\x81",
    ],
)
def test_lone_han_among_other_scripts_is_stable(data: bytes) -> None:
    check_idempotent(clean(data).text)


def test_a_misread_letter_of_another_alphabet_inside_a_latin_word_is_not_repaired() -> None:
    # Found by fuzzing: "aÜ¡\x80" stayed (the C1 control spoils the UTF-8 reading)
    # but "aÜ¡", once normalize had removed it, became "aܡ" (Syriac) on a second
    # run. One misread character giving a lone letter of another alphabet against
    # a Latin word is no evidence; a Greek unit or a whole word still is.
    check_idempotent(clean("aÜ¡\x80").text)
    assert clean("xÜ¡y").text == "xÜ¡y\n"
    assert clean("5Î¼m").text == "5μm\n"
    assert clean("Ð¿Ñ€Ð¸Ð²ÐµÑ‚ world").text == "привет world\n"


def test_western_mojibake_is_judged_without_the_invisible_characters_normalize_removes() -> None:
    # Found by fuzzing: ftfy saw "à€?\ufeff" on the first run and "à€?" on the second.
    check_idempotent(clean(b"\xc3\xa0\xe2\x82\xac?\xef\xbb\xbf").text)


def test_mojibake_is_judged_again_without_the_c1_controls_no_repair_used() -> None:
    # Found by fuzzing: "\x86" spoiled the reading of "×²" on the first run;
    # normalize removed it and the second run read "×²" anew.
    check_idempotent(clean("\x86×²").text)
    # The same for ftfy's pass: "\x80" kept it from fixing "É¤".
    check_idempotent(clean("ɐÉ¤\x80\xa0¡").text)


def test_one_han_character_is_read_as_one_western_letter_only_inside_a_latin_word() -> None:
    # Found by fuzzing: t2s made "À裡" into "À里", which a second run read as
    # UTF-8 "Àń" misread as Big5. One character proves a misreading only where a
    # letter is expected (Caf茅 -> Café, with more of the same in the line).
    check_idempotent(clean("\u0300\u0300À裡").text)
    assert clean("Caf茅 and na茂ve r茅sum茅").text == "Café and naïve résumé\n"
    # Inside a Latin word, but a Greek letter: not Western text, not read back.
    check_idempotent(clean("aï§\x9ba").text)


def test_the_end_of_the_text_is_judged_as_the_line_break_normalize_adds() -> None:
    # Found by fuzzing: a misread run at the very end of the text scored one way
    # without a line break after it and the other way once normalize had added one.
    check_idempotent(clean("ﬀ\xa0¡\xa0A‘†").text)


def test_a_space_after_a_chinese_question_or_exclamation_mark_goes_in_one_run() -> None:
    # Found by fuzzing, and common in scraped text: layout kept "好的! 你呢" as the
    # document's spacing habit, punctuation then wrote "！", and a second run
    # removed the space beside the full-width mark.
    text = "我们今天去了公园, 然后去吃饭. 他说: 好的! 你呢? 我也是.\n"
    out = clean(text).text
    assert out == "我们今天去了公园, 然后去吃饭. 他说: 好的！你呢？我也是.\n"
    check_idempotent(out)
    check_idempotent(clean("好的! Hello world.").text)
    check_idempotent(clean("！! 0").text)  # after CJK punctuation too, as punctuation judges it
    assert clean("好的!! 你呢?! 我也是.").text == "好的！！你呢？！我也是.\n"  # runs of marks
    check_idempotent(clean("㐀:? 0").text)  # a clause mark before it, converted first


def test_question_marks_are_judged_without_the_controls_normalize_removes() -> None:
    # Found by fuzzing: "一\x01??\x01" kept its "??" (glued to a control: a lost
    # byte's mark), then "一??" had them converted on a second run.
    data = b"\x01\x01\xa4@\x01\x01??\x01"
    check_idempotent(clean(data).text)


def test_the_visible_view_maps_every_offset_back() -> None:
    """The repair's view without hidden characters, and its way back to the text."""
    import random

    from cleanse.core.textview import VisibleText
    from cleanse.stages.repair import HIDDEN_RUN

    rng = random.Random(6)
    for _ in range(3000):
        text = "".join(rng.choice("ab中\x08\x00\u200b\ufeff\n") for _ in range(rng.randint(0, 9)))
        view = VisibleText(text, HIDDEN_RUN)
        assert not any(c in view.text for c in "\x08\x00\u200b\ufeff")
        for i, ch in enumerate(view.text):
            assert text[view.to_text(i)] == ch
            assert view.to_visible(view.to_text(i)) == i
            assert view.to_text(i + 1, end=True) == view.to_text(i) + 1


def test_what_the_repair_hides_is_part_of_what_normalize_removes() -> None:
    # The repair skips its views when one remembered scan for INVISIBLE_RUN finds
    # nothing: that holds only while its own sets are subsets of it.
    from cleanse.lang.chars import INVISIBLE_RUN
    from cleanse.stages.repair import HIDDEN_RUN, LEFT_FOR_NORMALIZE

    for cp in range(0x10000):
        ch = chr(cp)
        if HIDDEN_RUN.fullmatch(ch) or LEFT_FOR_NORMALIZE.fullmatch(ch):
            assert INVISIBLE_RUN.fullmatch(ch), hex(cp)


@pytest.mark.parametrize("brk", ["\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"])
def test_layout_reads_every_line_break_as_normalize_will_write_it(brk: str) -> None:
    # Lines broken by CR or NEL were one line to layout, three once normalize had
    # written the breaks LF; a second run then joined the wrapped line.
    text = f"00000000\u038b\u0e5c㐀一{brk}000、、、㐀一{brk}0:"
    result = clean(text)
    assert result.text == clean(text.replace(brk, "\n")).text
    check_idempotent(result.text)


@pytest.mark.parametrize("brk", ["\x0c", "\x0b", "\r", "\r\n", "\u2028", "\u2029", "\x85"])
def test_mojibake_before_any_line_break_is_judged_as_before_lf(brk: str) -> None:
    # A form feed after the run was not the line break the repair judges the end of
    # a run by; normalize then wrote it LF and a second run repaired the mojibake.
    text = f"ã\xa0„{brk}abc"
    assert clean(text).text == "㠄\nabc\n"
    check_idempotent(clean(text).text)


def test_nel_that_is_mojibake_is_still_repaired() -> None:
    # 0x85 is a byte of Latin-1 mojibake ("ㅅ" is e3 85 85): only a NEL no repair
    # used is read as a line break.
    assert clean("ã\x85\x85 and more text").text == "ㅅ and more text\n"


def test_what_ftfy_writes_is_judged_by_the_wrong_codec_pass_in_the_same_run() -> None:
    # ftfy read the C1 controls as cp1252 ("€“"); only a second run asked whether
    # those signs were CJK mojibake in turn.
    check_idempotent(clean("\ue422\x80\x93").text)


@pytest.mark.parametrize("joiner", ["\u200c", "\u200d"])
def test_stray_joiners_are_left_out_where_layout_and_punctuation_judge(joiner: str) -> None:
    # Normalize removes a joiner next to a space; layout judged the space as not
    # beside the full-width mark, and a second run removed it.
    assert clean(f"㐀 {joiner}；").text == "㐀；\n"
    check_idempotent(clean(f"中文{joiner}, 好").text)
