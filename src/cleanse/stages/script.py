"""script: convert between simplified and traditional script with OpenCC, configuration chosen per document."""

from __future__ import annotations

from collections.abc import Iterable

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage


class ScriptStage(TextStage):
    """Convert between simplified and traditional script with OpenCC, configuration chosen per document."""

    name = "script"
    description = "convert between simplified and traditional script with OpenCC, configuration chosen per document"

    def __init__(self, target: str = "zh-hans") -> None:
        super().__init__()
        if target not in ("zh-hans", "zh-cn", "zh-hant", "zh-tw", "zh-hk", "keep"):
            raise ValueError(f"unknown script target {target!r}")
        self.target = target

    def edits(self, doc: Document) -> Iterable[Edit]:
        return ()
