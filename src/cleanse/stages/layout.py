"""layout: repair print and OCR layout (hard-wrapped lines, spaces inside CJK runs, split paragraphs)."""

from __future__ import annotations

from collections.abc import Iterable

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage


class LayoutStage(TextStage):
    """Repair print and OCR layout (hard-wrapped lines, spaces inside CJK runs, split paragraphs)."""

    name = "layout"
    description = (
        "repair print and OCR layout (hard-wrapped lines, spaces inside CJK runs, split paragraphs)"
    )

    def edits(self, doc: Document) -> Iterable[Edit]:
        return ()
