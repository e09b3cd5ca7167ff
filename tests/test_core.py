"""The core: edits become change records whose spans agree with the texts."""

from __future__ import annotations

import pytest

from cleanse import Document, Edit, Pipeline, clean
from cleanse.core.document import Change, apply_edits


def test_apply_edits_records_spans_in_input_and_output() -> None:
    text = "甲乙丙丁"
    out, changes = apply_edits("demo", text, [Edit(2, 3, "", "drop"), Edit(0, 1, "AA", "widen")])
    assert out == "AA乙丁"
    assert [(c.start, c.end, c.before, c.after, c.out_start) for c in changes] == [
        (0, 1, "甲", "AA", 0),
        (2, 3, "丙", "", 3),
    ]
    for c in changes:
        assert text[c.start : c.end] == c.before
        assert c.out_start is not None
        assert out[c.out_start : c.out_start + len(c.after)] == c.after


def test_overlapping_edits_are_a_bug() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        apply_edits("demo", "abcdef", [Edit(0, 3, "x", "a"), Edit(2, 4, "y", "b")])


def test_unresolved_edit_is_recorded_even_when_text_is_kept() -> None:
    out, changes = apply_edits("demo", "a?b", [Edit(1, 2, "?", "unknown", unresolved=True)])
    assert out == "a?b"
    assert len(changes) == 1 and changes[0].unresolved


def test_clean_accepts_text_and_bytes() -> None:
    assert clean("雙擊\u200b這裡\r\n", stages=["normalize"]).text == "雙擊這裡\n"
    result = clean("你好，世界。\n".encode("gbk"), stages=["decode"])
    assert result.text == "你好，世界。\n"
    assert result.encoding == "gb18030"


def test_pipeline_keeps_canonical_order_and_rejects_unknown_stages() -> None:
    assert Pipeline.from_names(["normalize", "decode"]).names == ["decode", "normalize"]
    assert "layout" not in Pipeline.from_names(skip=["layout", "script"]).names
    with pytest.raises(ValueError, match="unknown stage"):
        Pipeline.from_names(["decode", "nonsense"])


def test_document_is_immutable() -> None:
    doc = Document.from_input("text")
    with pytest.raises(AttributeError):
        doc.text = "other"  # type: ignore[misc]


def test_change_records_chain_through_stages() -> None:
    # Each record's span refers to the text its own stage saw.
    result = clean(b"\xef\xbb\xbfab \r\n", stages=["decode", "normalize"])
    assert result.text == "ab\n"
    assert [(c.stage, c.before, c.after) for c in result.changes] == [
        ("decode", "\\xef\\xbb\\xbf", ""),
        ("normalize", "\r\n", "\n"),
        ("normalize", " ", ""),
    ]


def test_a_remembered_scan_answers_only_for_the_same_text() -> None:
    import re

    from cleanse.core.textview import found_in

    digit = re.compile(r"\d")
    with_digit = "".join(["a", "1"])
    assert found_in(digit, with_digit) is True
    assert found_in(digit, with_digit) is True  # remembered
    equal_text = "".join(["a", "1"])  # equal, but another string: asked again
    assert found_in(digit, equal_text) is True
    assert found_in(digit, "ab") is False
    assert found_in(digit, with_digit) is True


@pytest.mark.parametrize("cls", [Edit, Change, Document])
def test_written_out_constructors_take_the_fields_in_order_with_their_defaults(cls: type) -> None:
    # Edit, Change and Document set their slots in an __init__ of their own (for
    # speed): it must take exactly the dataclass's fields, in order, with the same
    # defaults, and a copy must equal its original.
    import dataclasses
    import inspect

    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert p.default == f.default_factory(), f.name
        else:
            assert p.default is inspect.Parameter.empty, f.name
    sample = {Edit: Edit(1, 2, "b", "r"), Change: Change("s", 1, 2, "a", "b", "r")}.get(
        cls, Document("d", "text")
    )
    assert dataclasses.replace(sample) == sample
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(sample, fields[0].name, None)
