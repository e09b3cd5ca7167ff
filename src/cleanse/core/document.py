"""Documents and the records of what was changed in them.

A :class:`Document` is immutable: a stage returns a new document whose
``changes`` tuple is the old one plus the stage's own records. The report is
built from these records alone, never by diffing texts afterwards.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True, init=False)
class Edit:
    """A replacement a stage proposes on its input text: ``text[start:end]`` -> ``after``.

    ``unresolved`` marks damage the stage saw but could not restore; such an
    edit may keep the text as it is (``after`` equal to the span) so that the
    report still names it.
    """

    start: int
    end: int
    after: str
    reason: str
    confidence: float = 1.0
    unresolved: bool = False
    category: str | None = None

    # Written out: the generated __init__ of a frozen dataclass sets each field
    # through ``object.__setattr__``; setting the slots directly costs half, and a
    # gateway page makes tens of thousands of edits and records.
    def __init__(
        self,
        start: int,
        end: int,
        after: str,
        reason: str,
        confidence: float = 1.0,
        unresolved: bool = False,
        category: str | None = None,
    ) -> None:
        _set_edit_start(self, start)
        _set_edit_end(self, end)
        _set_edit_after(self, after)
        _set_edit_reason(self, reason)
        _set_edit_confidence(self, confidence)
        _set_edit_unresolved(self, unresolved)
        _set_edit_category(self, category)


@dataclass(frozen=True, slots=True, init=False)
class Change:
    """One recorded change.

    ``start``/``end`` are offsets into the text the stage was applied to (for
    the decode stage: byte offsets into the raw input). ``out_start`` is where
    ``after`` begins in the stage's output text, so a viewer can follow a change
    through to the text that stage produced.
    """

    stage: str
    start: int
    end: int
    before: str
    after: str
    reason: str
    confidence: float = 1.0
    unresolved: bool = False
    category: str | None = None
    out_start: int | None = None

    def __init__(  # written out, as Edit's is
        self,
        stage: str,
        start: int,
        end: int,
        before: str,
        after: str,
        reason: str,
        confidence: float = 1.0,
        unresolved: bool = False,
        category: str | None = None,
        out_start: int | None = None,
    ) -> None:
        _set_change_stage(self, stage)
        _set_change_start(self, start)
        _set_change_end(self, end)
        _set_change_before(self, before)
        _set_change_after(self, after)
        _set_change_reason(self, reason)
        _set_change_confidence(self, confidence)
        _set_change_unresolved(self, unresolved)
        _set_change_category(self, category)
        _set_change_out_start(self, out_start)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        if data["category"] is None:
            del data["category"]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The setter of slot ``name``: it bypasses the frozen class's ``__setattr__``."""
    setter: Callable[[Any, Any], None] = cls.__dict__[name].__set__
    return setter


(
    _set_edit_start,
    _set_edit_end,
    _set_edit_after,
    _set_edit_reason,
    _set_edit_confidence,
    _set_edit_unresolved,
    _set_edit_category,
) = (_slot_setter(Edit, f.name) for f in dataclasses.fields(Edit))
(
    _set_change_stage,
    _set_change_start,
    _set_change_end,
    _set_change_before,
    _set_change_after,
    _set_change_reason,
    _set_change_confidence,
    _set_change_unresolved,
    _set_change_category,
    _set_change_out_start,
) = (_slot_setter(Change, f.name) for f in dataclasses.fields(Change))


# Read-only, so one empty mapping serves every document without metadata.
_NO_METADATA: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True, init=False)
class Document:
    """A text on its way through the pipeline.

    ``raw`` holds the original bytes when the document came from bytes; the
    decode stage turns them into ``text``. ``original_text`` is the first text
    the pipeline saw (after decoding), kept for diff views.
    """

    id: str
    text: str = ""
    raw: bytes | None = None
    original_text: str | None = None
    encoding: str | None = None
    encoding_confidence: float | None = None
    changes: tuple[Change, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=lambda: _NO_METADATA)

    def __init__(  # written out, as Edit's is: every stage makes a document
        self,
        id: str,
        text: str = "",
        raw: bytes | None = None,
        original_text: str | None = None,
        encoding: str | None = None,
        encoding_confidence: float | None = None,
        changes: tuple[Change, ...] = (),
        metadata: Mapping[str, Any] = _NO_METADATA,
    ) -> None:
        _set_document_id(self, id)
        _set_document_text(self, text)
        _set_document_raw(self, raw)
        _set_document_original_text(self, original_text)
        _set_document_encoding(self, encoding)
        _set_document_encoding_confidence(self, encoding_confidence)
        _set_document_changes(self, changes)
        _set_document_metadata(self, metadata)

    @classmethod
    def from_input(
        cls, data: str | bytes, id: str = "<input>", metadata: Mapping[str, Any] | None = None
    ) -> Document:
        meta = MappingProxyType(dict(metadata or {}))
        if isinstance(data, bytes):
            return cls(id=id, raw=data, metadata=meta)
        return cls(id=id, text=data, original_text=data, encoding=None, metadata=meta)

    @property
    def needs_decoding(self) -> bool:
        return self.raw is not None and self.original_text is None

    # Every stage makes a new document of each one it changes: built directly, a
    # document costs a third of what the generic ``dataclasses.replace`` makes it cost.
    def replace(self, **fields: Any) -> Document:
        if "metadata" in fields and not isinstance(fields["metadata"], MappingProxyType):
            fields["metadata"] = MappingProxyType(dict(fields["metadata"]))
        values = [
            fields.pop(name) if name in fields else getattr(self, name) for name in _DOCUMENT_FIELDS
        ]
        if fields:
            raise TypeError(f"Document has no field(s) {', '.join(sorted(fields))}")
        return Document(*values)

    def with_metadata(self, **items: Any) -> Document:
        return Document(
            self.id,
            self.text,
            self.raw,
            self.original_text,
            self.encoding,
            self.encoding_confidence,
            self.changes,
            MappingProxyType({**self.metadata, **items}),
        )

    def with_decoding(
        self, text: str, encoding: str, confidence: float, changes: Iterable[Change] = ()
    ) -> Document:
        """The document decoded: ``text`` is also its original text."""
        return Document(
            self.id,
            text,
            self.raw,
            text,
            encoding,
            confidence,
            self.changes + tuple(changes),
            self.metadata,
        )

    def with_changes(self, text: str, changes: Iterable[Change]) -> Document:
        return Document(
            self.id,
            text,
            self.raw,
            self.original_text,
            self.encoding,
            self.encoding_confidence,
            self.changes + tuple(changes),
            self.metadata,
        )


(
    _set_document_id,
    _set_document_text,
    _set_document_raw,
    _set_document_original_text,
    _set_document_encoding,
    _set_document_encoding_confidence,
    _set_document_changes,
    _set_document_metadata,
) = (_slot_setter(Document, f.name) for f in dataclasses.fields(Document))

_DOCUMENT_FIELDS = tuple(f.name for f in dataclasses.fields(Document))


def escape_bytes(data: bytes) -> str:
    """Bytes as they appear in a change record's ``before`` (``\\xNN`` each)."""
    return "".join(f"\\x{b:02x}" for b in data)


def apply_edits(stage: str, text: str, edits: Iterable[Edit]) -> tuple[str, list[Change]]:
    """Apply non-overlapping edits to ``text`` and return the new text and its records.

    Edits are sorted by position; an edit that overlaps an earlier one is a bug
    in the stage that proposed it, so it raises instead of being silently dropped.
    """
    ordered = sorted(edits, key=_by_position)
    pieces: list[str] = []
    changes: list[Change] = []
    cursor = 0
    out_len = 0
    size = len(text)
    # Fields read once into locals: a gateway page makes tens of thousands of records.
    for edit in ordered:
        start, end, after = edit.start, edit.end, edit.after
        if start < cursor or end < start or end > size:
            raise ValueError(
                f"stage {stage!r} proposed an invalid or overlapping edit "
                f"[{start}:{end}] (text length {size}, cursor {cursor})"
            )
        pieces.append(text[cursor:start])
        out_len += start - cursor
        before = text[start:end]
        cursor = end
        if before == after and not edit.unresolved:
            pieces.append(before)
            out_len += len(before)
            continue
        changes.append(
            Change(
                stage,
                start,
                end,
                before,
                after,
                edit.reason,
                edit.confidence,
                edit.unresolved,
                edit.category,
                out_len,
            )
        )
        pieces.append(after)
        out_len += len(after)
    pieces.append(text[cursor:])
    return "".join(pieces), changes


_by_position = operator.attrgetter("start", "end")
