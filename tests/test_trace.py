"""Following change records through the stages (cleanse.io.trace)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.core.document import Change, Document, Edit, apply_edits
from cleanse.io.trace import LineIndex, TraceError, split_passes, trace
from report_samples import ORIGINAL, multi_stage_document


def _placed_by_before(doc: Document, stage: str, before: str):  # type: ignore[no-untyped-def]
    result = trace(doc)
    (found,) = [p for p in result.placed if p.change.stage == stage and p.change.before == before]
    return found


def test_multi_stage_document_replays_to_its_final_text() -> None:
    doc = multi_stage_document()
    result = trace(doc)
    assert "".join(p.text for p in result.pieces) == doc.text
    assert len(result.placed) == len(doc.changes)
    # normalize recorded two passes; every other stage one.
    stages = [group[0][1].stage for group in split_passes(list(enumerate(doc.changes))[1:])]
    assert stages == [
        "repair", "annotations", "boilerplate", "layout", "script", "punctuation",
        "normalize", "normalize",
    ]  # fmt: skip


def test_a_conversion_is_found_in_the_original_and_in_the_clean_text() -> None:
    doc = multi_stage_document()
    placed = _placed_by_before(doc, "script", "會")
    assert ORIGINAL[placed.orig_start : placed.orig_end] == "會"
    assert doc.text[placed.final_start : placed.final_end] == "会"
    assert LineIndex(doc.text).line_col(placed.final_start) == (2, 12)
    assert LineIndex(ORIGINAL).line_col(placed.orig_start) == (4, 12)


def test_a_chain_of_changes_points_to_its_last_step() -> None:
    doc = multi_stage_document()
    repair = _placed_by_before(doc, "repair", "発佈")
    script = _placed_by_before(doc, "script", "發佈")
    assert repair.superseded_by == script.index
    assert ORIGINAL[repair.orig_start : repair.orig_end] == "発佈"
    assert doc.text[script.final_start : script.final_end] == "发布"
    assert (repair.final_start, repair.final_end) == (script.final_start, script.final_end)
    # The earlier step stays visible in the chain: a history piece before the script change.
    kinds = [
        (p.change, p.history) for p in trace(doc).pieces if p.change in (repair.index, script.index)
    ]
    assert kinds == [(repair.index, True), (script.index, False)]


def test_removed_boilerplate_covers_the_annotations_inside_it() -> None:
    doc = multi_stage_document()
    nav = _placed_by_before(doc, "boilerplate", "首頁|新聞|視頻|專訪\n首頁 >> 科技 >> 正文\n")
    assert (
        ORIGINAL[nav.orig_start : nav.orig_end]
        == "首頁(yè)|新聞|視頻|專訪\n首頁(yè) >> 科技 >> 正文\n"
    )
    assert nav.final_start == nav.final_end == 0
    inner = [
        p
        for p in trace(doc).placed
        if p.change.stage == "annotations" and p.orig_start < nav.orig_end
    ]
    assert len(inner) == 2 and all(p.superseded_by == nav.index for p in inner)


def test_decode_drop_sits_where_the_bytes_were() -> None:
    doc = multi_stage_document()
    (placed,) = [p for p in trace(doc).placed if p.change.stage == "decode"]
    assert placed.orig_start == placed.orig_end == ORIGINAL.index("谷歌")
    assert doc.text[placed.final_start :].startswith("谷歌")


def test_kept_unresolved_span_is_placed_on_its_text() -> None:
    doc = multi_stage_document()
    placed = _placed_by_before(doc, "script", "張三")
    assert placed.change.unresolved
    assert doc.text[placed.final_start : placed.final_end] == "張三"
    assert ORIGINAL[placed.orig_start : placed.orig_end] == "張三"


def test_records_that_do_not_match_the_text_raise() -> None:
    doc = multi_stage_document()
    changes = list(doc.changes)
    changes[3] = dataclasses.replace(changes[3], before="(xx)")
    with pytest.raises(TraceError):
        trace(doc.replace(changes=tuple(changes)))
    with pytest.raises(TraceError):
        trace(doc.replace(text=doc.text + "x"))


def test_a_document_without_changes() -> None:
    result = trace(Document(id="a", text="你好\n", original_text="你好\n"))
    assert result.placed == () and [p.text for p in result.pieces] == ["你好\n"]
    assert trace(Document(id="e", text="", original_text="")).placed == ()


@st.composite
def runs(draw: st.DrawFn) -> tuple[str, list[list[Change]], str]:
    """A text and several passes of random non-overlapping edits, applied for real."""
    alphabet = st.sampled_from(list("ab 中文\n，"))
    text = draw(st.text(alphabet, max_size=30))
    original = text
    passes: list[list[Change]] = []
    for number in range(draw(st.integers(1, 5))):
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
        edits = []
        cursor = 0
        for a, b in zip(cuts[::2], cuts[1::2], strict=False):
            if a < cursor:
                continue
            after = draw(st.text(alphabet, max_size=4))
            unresolved = after == text[a:b] and a < b
            edits.append(Edit(a, b, after, f"edit {number}", unresolved=unresolved))
            cursor = b if b > a else a + 1
        stage = draw(st.sampled_from(["repair", "script", "normalize"]))
        text, changes = apply_edits(stage, text, edits)
        passes.append(changes)
    return original, passes, text


@settings(max_examples=300, deadline=None)
@given(runs())
def test_random_passes_replay_and_place_every_change(
    run: tuple[str, list[list[Change]], str],
) -> None:
    original, passes, final = run
    changes = tuple(c for group in passes for c in group)
    result = trace(Document(id="x", text=final, original_text=original, changes=changes))
    assert "".join(p.text for p in result.pieces) == final
    assert sum(p.orig_len for p in result.pieces) == len(original)
    first = len(passes[0])
    last = len(changes) - len(passes[-1])
    for placed in result.placed:
        assert 0 <= placed.orig_start <= placed.orig_end <= len(original)
        assert 0 <= placed.final_start <= placed.final_end <= len(final)
        if placed.index < first and placed.superseded_by is None:
            assert original[placed.orig_start : placed.orig_end] == placed.change.before
        if placed.index >= last:
            assert final[placed.final_start : placed.final_end] == placed.change.after
