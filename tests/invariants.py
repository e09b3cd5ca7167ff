"""Invariants every stage and the pipeline must keep, checked stage by stage.

Shared by the property tests, the fuzz targets and the bad-input tests. The
checks know nothing about any particular stage: they read the registry
(``cleanse.stages.STAGES``), so a stage added later is checked too, and a
violation names the stage, the record and what was expected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hypothesis import strategies as st

from cleanse.core.document import Change, Document
from cleanse.core.pipeline import Pipeline
from cleanse.core.stage import Stage
from cleanse.stages.decode import BinaryInputError


class InvariantError(AssertionError):
    """A stage broke one of the invariants; the message says which and where."""


def _show(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def check_decode_records(doc: Document) -> None:
    """Decode records: byte spans into ``raw`` and texts placed in the decoded text."""
    raw = doc.raw or b""
    text = doc.original_text or ""
    for i, change in enumerate(c for c in doc.changes if c.stage == "decode"):
        where = f"decode record #{i} {change.reason!r}"
        if not 0 <= change.start <= change.end <= len(raw):
            raise InvariantError(f"{where}: byte span [{change.start}:{change.end}] outside raw")
        escaped = "".join(f"\\x{b:02x}" for b in raw[change.start : change.end])
        if change.before != escaped:
            raise InvariantError(f"{where}: before {change.before!r} != raw bytes {escaped!r}")
        if change.out_start is None or not 0 <= change.out_start <= len(text):
            raise InvariantError(f"{where}: out_start {change.out_start} outside the decoded text")
        placed = text[change.out_start : change.out_start + len(change.after)]
        if placed != change.after:
            raise InvariantError(
                f"{where}: after {_show(change.after)} is not in the decoded text at "
                f"{change.out_start} (found {_show(placed)})"
            )


def replay(stage: str, text: str, changes: Sequence[Change]) -> str:
    """Apply a stage's records to the text it was given, one by one.

    A record's ``out_start`` is where it lands once the earlier records of its
    own pass are applied, which is exactly where it sits in the text being
    rebuilt; so records replay in order without knowing where passes begin.
    """
    for i, change in enumerate(changes):
        where = f"stage {stage!r} record #{i} [{change.start}:{change.end}] {change.reason!r}"
        if change.stage != stage:
            raise InvariantError(f"{where}: recorded under stage {change.stage!r}")
        if change.end - change.start != len(change.before):
            raise InvariantError(
                f"{where}: span length {change.end - change.start} != len(before) "
                f"{len(change.before)}"
            )
        if change.out_start is None:
            raise InvariantError(f"{where}: no out_start")
        at = change.out_start
        found = text[at : at + len(change.before)]
        if found != change.before:
            raise InvariantError(
                f"{where}: before {_show(change.before)} is not what the text holds at "
                f"{at}: {_show(found)}"
            )
        # Records that keep the text: what could not be restored, and the lines the
        # boilerplate stage kept as borderline (documented, for the report).
        kept = change.unresolved or change.category == "borderline"
        if change.before == change.after and not kept:
            raise InvariantError(f"{where}: a change that changes nothing")
        text = text[:at] + change.after + text[at + len(change.before) :]
    return text


def run_checked(pipeline: Pipeline, data: str | bytes, id: str = "<test>") -> Document | None:
    """Run ``pipeline`` stage by stage, checking every stage's records against its output.

    Returns the final document, or ``None`` when decode refuses the input as binary.
    """
    doc = Document.from_input(data, id=id)
    stages: list[Stage] = list(pipeline.stages)
    if doc.needs_decoding and "decode" not in pipeline.names:
        from cleanse.stages.decode import DecodeStage

        stages.insert(0, DecodeStage())
    for stage in stages:
        before = doc
        try:
            doc = stage(before)
        except BinaryInputError:
            if stage.name != "decode":
                raise
            return None
        if not isinstance(doc.text, str):
            raise InvariantError(f"stage {stage.name!r} returned a non-text {type(doc.text)}")
        if doc.changes[: len(before.changes)] != before.changes:
            raise InvariantError(f"stage {stage.name!r} altered the records of earlier stages")
        new = doc.changes[len(before.changes) :]
        if stage.name == "decode" and before.needs_decoding:
            check_decode_records(doc)
            continue
        if before.needs_decoding:
            raise InvariantError(f"stage {stage.name!r} ran on undecoded bytes")
        rebuilt = replay(stage.name, before.text, new)
        if rebuilt != doc.text:
            raise InvariantError(
                f"stage {stage.name!r}: its records replayed on its input do not give its "
                f"output (replayed {_show(rebuilt)}, output {_show(doc.text)})"
            )
    return doc


def check_idempotent(text: str, make: Callable[[], Pipeline] = Pipeline.default) -> None:
    """Cleaning ``text`` (a pipeline's output) again must not change it."""
    second = run_checked(make(), text)
    assert second is not None
    if second.text != text:
        changed = [c for c in second.changes if c.before != c.after]
        first = changed[0] if changed else None
        raise InvariantError(
            "not idempotent: cleaning the output again changed it"
            + (
                f"; first change by stage {first.stage!r}: {_show(first.before)} -> "
                f"{_show(first.after)} ({first.reason})"
                if first
                else ""
            )
        )


# Characters our inputs are made of: CJK and its punctuation, ASCII, pinyin with tones,
# full-width forms, spaces of every width, controls and invisibles, combining marks,
# mojibake-prone Latin-1, separators and brackets, the replacement character.
INTERESTING = (
    "的一是在不了有和人这中大为上们國們說這裡頁面首页新闻转载"
    "abcxyzABC0123456789 .,;:!?'\"()[]{}<>|/\\-_=+*&^%$#@~`"
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
    "，。、；：？！“”‘’（）《》【】…—·～　"
    "\t\n\r\u00a0\u2028\u2029\x85\x0b\x0c\x00\x07\x1b\x7f\u200b\u200c\u200d\u2060\ufeff\u00ad"
    "\u0301\u0308e\u00e9\u00c3\u00a9\u00e2\u20ac\u2122\u00e6\u00b8\u00ad"
    "•»›▶►→|>>※★☆\ufffd"
)

cjk_text = st.text(alphabet=st.sampled_from(INTERESTING), max_size=300)
# Python strings may hold lone surrogates (surrogateescape, broken UTF-16): not text,
# but the library must not fail on them.
with_surrogates = st.text(
    alphabet=st.one_of(st.sampled_from(INTERESTING), st.characters(categories=["Cs"])),
    max_size=50,
)
any_text = st.one_of(st.text(max_size=200), cjk_text, with_surrogates)


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="ignore")


any_bytes = st.one_of(
    st.binary(max_size=300),
    st.builds(_encoded, cjk_text, st.sampled_from(["utf-8", "gb18030", "gbk", "big5", "utf-16"])),
    # UTF-8 with a passage in a legacy codec (mixed encodings in one file).
    st.builds(
        lambda a, b, enc: a.encode() + b"\n" + _encoded(b, enc) + b"\n" + a.encode(),
        cjk_text,
        cjk_text,
        st.sampled_from(["gbk", "big5"]),
    ),
    # And the other way round: a legacy-codec text with a UTF-8 line.
    st.builds(
        lambda a, b, enc: _encoded(a, enc) + b"\n" + b.encode() + b"\n" + _encoded(a, enc),
        cjk_text,
        cjk_text,
        st.sampled_from(["gb18030", "big5"]),
    ),
    # Valid text cut or spliced at an arbitrary byte: truncated and misaligned sequences.
    st.builds(
        lambda t, enc, cut: _encoded(t, enc)[cut:] + _encoded(t, enc)[: cut // 2],
        cjk_text,
        st.sampled_from(["utf-8", "gb18030", "big5"]),
        st.integers(0, 7),
    ),
)
