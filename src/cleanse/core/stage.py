"""The stage contract.

A stage is a named callable ``Document -> Document`` that records its changes.
:class:`TextStage` is the usual shape: the subclass proposes :class:`Edit`\\ s on
the current text, the base class applies them, records them and keeps timing,
so a stage module holds only what is particular to its concern.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cleanse.core.document import Document, Edit, apply_edits


@dataclass
class StageStats:
    """Running totals a stage keeps across the documents it processed."""

    documents: int = 0
    changed: int = 0
    changes: int = 0
    unresolved: int = 0
    seconds: float = 0.0
    characters: int = 0

    def merge(self, other: StageStats) -> None:
        self.documents += other.documents
        self.changed += other.changed
        self.changes += other.changes
        self.unresolved += other.unresolved
        self.seconds += other.seconds
        self.characters += other.characters


class Stage(ABC):
    """A pipeline step. Subclasses set ``name`` and ``description``."""

    name: str = ""
    description: str = ""
    # Help for each constructor option, shown in `cleanse config` and the docs.
    # Each option is also stored on the instance under its own name (see options()).
    option_help: ClassVar[Mapping[str, str]] = {}

    def __init__(self) -> None:
        self.stats = StageStats()

    @abstractmethod
    def process(self, doc: Document) -> Document:
        """Return ``doc`` transformed, with this stage's changes appended."""

    def record(self, doc: Document, edits: Iterable[Edit]) -> Document:
        """Apply ``edits`` to ``doc.text`` and append their change records."""
        edits = list(edits)
        if not edits:
            return doc
        text, changes = apply_edits(self.name, doc.text, edits)
        return doc.with_changes(text, changes)

    def __call__(self, doc: Document) -> Document:
        started = time.perf_counter()
        out = self.process(doc)
        stats = self.stats
        stats.documents += 1
        stats.characters += len(doc.text)
        if len(out.changes) > len(doc.changes):  # most documents pass most stages unchanged
            new = out.changes[len(doc.changes) :]
            stats.changes += len(new)
            stats.unresolved += sum(1 for c in new if c.unresolved)
            stats.changed += 1
        stats.seconds += time.perf_counter() - started
        return out

    def options(self) -> dict[str, Any]:
        """The options this stage was built with (for reports and recipes)."""
        from cleanse.recipe import stage_options

        return {o.name: getattr(self, o.name, o.default) for o in stage_options(type(self))}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.options().items())
        return f"{type(self).__name__}({args})"


class TextStage(Stage):
    """A stage that works by proposing edits on the current text."""

    def wants(self, doc: Document) -> bool:
        """A cheap scan: ``False`` when the stage certainly has nothing to do."""
        return bool(doc.text)

    @abstractmethod
    def edits(self, doc: Document) -> Iterable[Edit]:
        """Propose non-overlapping edits on ``doc.text``."""

    def process(self, doc: Document) -> Document:
        if not self.wants(doc):
            return doc
        return self.record(doc, self.edits(doc))


@dataclass
class StageInfo:
    """What ``cleanse stages`` shows for a stage."""

    name: str
    description: str
    default: bool = True
    options: dict[str, str] = field(default_factory=dict)
