"""Nothing-to-do scans written for speed find what the plain rules find."""

from __future__ import annotations

import random
import re
import string

from cleanse.lang.chars import letters_beside_wide
from cleanse.stages.normalize import needs_work

PLAIN_NEEDS_WORK = re.compile(
    r"[\r\u2028\u2029\x85\x0b\x0c\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad\ufff9-\ufffb\ud800-\udfff]"
    r"|[ \t\u3000\u00a0]\n|\n\n\n|^\n|[ \t\u3000\u00a0]$"
)


def test_normalize_scan_agrees_with_the_plain_pattern() -> None:
    alphabet = ["a", "\n", " ", "\t", "\r", "\u3000", "中", "\u200b", "\u00a0"]
    rng = random.Random(1)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
        assert needs_work(text) == (PLAIN_NEEDS_WORK.search(text) is not None), repr(text)


def test_mojibake_scans_find_every_match_of_their_patterns() -> None:
    """latin_runs and the Western line flags look near Latin-1 characters only;
    they find every position where their patterns match."""
    from cleanse.stages.repair.codecs import LATIN_RUN, latin_runs
    from cleanse.stages.repair.western import NEEDS_FTFY, _flagged_lines

    alphabet = [*"aZ中。\n&#;x1[ @", *"\u00e4\u00b8\u00ad\u201c\u201d\u2014\u00c2\u00a8\u0080"]
    alphabet += ["\x1b", "\u00e6", "\u2013", "\u20ac", "\u00a1", "\u00e8", "\u00c3", ")"]
    rng = random.Random(4)
    for _ in range(40000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        positions = range(len(text))
        assert latin_runs(text) == [p for p in positions if LATIN_RUN.match(text, p)]
        flagged = {text.rfind("\n", 0, p) + 1 for p in positions if NEEDS_FTFY.match(text, p)}
        assert _flagged_lines(text) == flagged, repr(text)


def test_annotation_hint_agrees_with_its_plain_pattern() -> None:
    from cleanse.stages.annotations import _HINTS

    plain_hint = re.compile(r"[a-z\u00e0-\u01dc\u0300-\u036f1-5][)）]")
    alphabet = [*"ab1)）(中 ", "\u00e0", "\u0301"]
    rng = random.Random(2)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        found = any(hint.search(text) is not None for hint in _HINTS)
        assert (plain_hint.search(text) is not None) == found, repr(text)


def test_boilerplate_scan_takes_out_whitespace_as_the_plain_patterns_do() -> None:
    """The scan's compact shadow and its "spaces only" test against the regular
    expressions they stand for."""
    from cleanse.stages.boilerplate.scan import _compact

    spaces = re.compile(r"[^\S\n]+")
    odd_space = re.compile(r"[^\S \n]")
    whitespace = [chr(cp) for cp in range(0x10000) if chr(cp).isspace() and cp != 10]
    alphabet = [*"ab中。 ", *whitespace]
    rng = random.Random(6)
    for _ in range(3000):
        shadows = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
            for _ in range(rng.randint(1, 4))
        ]
        joined = "\n".join(shadows)
        compact, plain_spaces = _compact(shadows, joined)
        assert compact == spaces.sub("", joined)
        assert plain_spaces == (odd_space.search(joined) is None), repr(joined)


def test_punctuation_cjk_class_is_its_character_test() -> None:
    from cleanse.stages.punctuation.context import _CJK_CHAR, _is_cjk

    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        assert (_CJK_CHAR.fullmatch(ch) is not None) == _is_cjk(ch), hex(cp)


def test_glued_letter_scan_agrees_with_its_plain_pattern() -> None:
    from cleanse.stages.repair.gbk_gateway import _GLUED

    han = r"[\u3400-\u9fff\uf900-\ufaff]"
    plain = re.compile(rf"(?<={han})[A-Za-z@\[\\\]^_{{|}}~`](?={han}|\()")
    alphabet = [*"ab中文(\\^_`|~@[]Z\n 。"]
    rng = random.Random(1)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        expected = [m.start() for m in plain.finditer(text)]
        assert [m.start() for m in _GLUED.finditer(text)] == expected, repr(text)
        found = [p for p in letters_beside_wide(text) if _GLUED.match(text, p)]
        assert found == expected, repr(text)


def test_wrong_codec_intruders_are_found_among_letters_beside_wide_characters() -> None:
    from cleanse.stages.repair.codecs import INTRUDER

    alphabet = [*"abzA中é\n@é ", "\u0416", "\u3042", "\r", "\uac00"]
    rng = random.Random(2)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        # Overlapping matches are found too: the scan only asks which lines hold one.
        expected = [p for p in range(len(text)) if INTRUDER.match(text, p)]
        found = [p for p in letters_beside_wide(text) if INTRUDER.match(text, p)]
        assert found == expected, repr(text)


def test_line_spans_and_lf_lines_agree_with_the_line_break_pattern() -> None:
    from cleanse.lang.lines import LINE_BREAK, lf_lines, line_spans

    alphabet = [*"ab中\n\r", "\u2028", "\x85", "\x0b", "\x0c", "\r\n"]
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        spans, pos = [], 0
        for m in LINE_BREAK.finditer(text):
            spans.append((pos, m.start(), m.end()))
            pos = m.end()
        spans.append((pos, len(text), len(text)))
        assert line_spans(text) == spans, repr(text)
        assert lf_lines(text) == "\n".join(text[a:b] for a, b, _ in spans), repr(text)


def test_fast_nfkc_is_nfkc() -> None:
    import unicodedata

    from cleanse.lang.forms import nfkc

    alphabet = [*"，：；？！（）中文a ①ＡＢ１", "e\u0301", "\u3000", "\uff0c\u0301", "ﬁ", "…"]
    rng = random.Random(4)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


def test_western_bytes_of_a_segment_at_once_equal_char_by_char() -> None:
    from cleanse.stages.repair import codecs

    pair = next(p for p in codecs.PAIRS if p.wrong == codecs.WESTERN)
    chars = [*list(codecs._western_bytes())[:400], "中", "\u20ac", "\u2122", "\ufffd", "\x81"]
    rng = random.Random(1)
    for _ in range(5000):
        segment = "".join(rng.choice(chars) for _ in range(rng.randint(1, 8)))
        parts = [codecs._char_bytes(segment, i, pair) for i in range(len(segment))]
        expected = None if None in parts else b"".join(p for p in parts if p is not None)
        try:
            at_once = segment.translate(codecs._western_translation()).encode("latin-1")
        except UnicodeEncodeError:
            at_once = None
        assert at_once == expected, repr(segment)


def test_gateway_marks_are_the_characters_of_their_class() -> None:
    from cleanse.stages.repair.gbk_gateway import _marks_in

    plain = re.compile(r"[?\ufffd(!\ue000-\uf8ff]")
    alphabet = [*"?(!中a) \n", "\ufffd", "\ue000", "\uf8ff", "\ufffb", "\u00e9"]
    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert _marks_in(text) == {m.start() for m in plain.finditer(text)}, repr(text)


def test_punctuation_fast_path_is_its_class() -> None:
    from cleanse.core.document import Document
    from cleanse.stages.punctuation import PunctuationStage

    plain = re.compile(r"[,;:?!()]")
    stage = PunctuationStage()
    alphabet = [*",;:?!()中a .，"]
    rng = random.Random(6)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
        doc = Document.from_input(text)
        assert stage.wants(doc) == (plain.search(text) is not None), repr(text)


def test_census_finds_characters_beyond_the_bmp() -> None:
    from cleanse.lang.chars import ASTRAL, SURROGATES, holds

    alphabet = ["a", "中", "\U00020000", "\U0001f600", "\ud800", "\udc00", "é"]
    beyond = re.compile("[\U00010000-\U0010ffff]")
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
        assert holds(text, ASTRAL) == (beyond.search(text) is not None), repr(text)
        assert holds(text, SURROGATES) == any("\ud800" <= c <= "\udfff" for c in text)


def test_separator_first_expressions_match_where_the_expression_does() -> None:
    from cleanse.stages.boilerplate.literals import separator_first

    expression = r"\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}"
    whole = re.compile(expression)
    parts = [re.compile(e) for e in separator_first(expression) or ()]
    assert len(parts) == 4
    alphabet = [*"12٣-年/.月日 a\n"]
    rng = random.Random(8)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        # Each match of the whole expression is found from its separator, four digits on.
        starts = {m.start() + 4 for m in whole.finditer(text)}
        found = {m.start() for part in parts for m in part.finditer(text)}
        assert starts <= found and all(whole.match(text, i - 4) for i in found), repr(text)


def test_every_traditional_only_character_is_one_t2s_changes() -> None:
    """The script stage skips its search for traditional-only characters where t2s
    changes none."""
    from cleanse.lang.hanzi import t2s_may_change
    from cleanse.lang.script_detect import markers

    assert all(t2s_may_change(ch) for ch in markers().hant)


def test_every_rare_han_character_is_a_suspect_one() -> None:
    """The gateway finds pairs of rare Han characters among the suspect ones."""
    from cleanse.lang.hanzi import rare_bmp_han_class
    from cleanse.lang.plausibility import is_suspect

    rare = re.compile(rare_bmp_han_class())
    for cp in [*range(0x3400, 0xA000), *range(0xF900, 0xFB00)]:
        if rare.match(chr(cp)):
            assert is_suspect(chr(cp)), f"U+{cp:04X}"


def test_shadows_hold_no_whitespace_but_spaces_and_the_listed_kinds() -> None:
    """The boilerplate scan takes the spaces out of a shadow with one replace unless
    it holds SHADOW_WHITESPACE."""
    from cleanse.stages.boilerplate.features import SHADOW_WHITESPACE, shadow_lines

    allowed = {" ", *SHADOW_WHITESPACE}
    for cp in [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 97)]:
        for line in shadow_lines(f"a{chr(cp)}b"):
            assert all(ch in allowed for ch in line if ch.isspace()), f"U+{cp:04X}"


def test_letters_beside_wide_characters_are_those_of_the_plain_pattern() -> None:
    from cleanse.lang.chars import _LETTERS_OR_GLUE, ASCII_LETTER_OR_GLUE

    assert set(string.ascii_letters) | set("@[\\]^_{|}~`") == _LETTERS_OR_GLUE
    plain = re.compile(f"[{ASCII_LETTER_OR_GLUE}](?:(?=[^\\x00-\\x7f])|(?<=[^\\x00-\\x7f].))")
    alphabet = [*"aZ@[\\]^_{|}~`中é\n 1.?", "\u3042", "\U00020000"]
    rng = random.Random(6)
    for _ in range(30000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert letters_beside_wide(text) == [m.start() for m in plain.finditer(text)], repr(text)
