"""annotations: remove pinyin annotations a gateway left after characters, where the syllable is a reading of that character."""

from __future__ import annotations

from collections.abc import Iterable

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage


class AnnotationsStage(TextStage):
    """Remove pinyin annotations a gateway left after characters, where the syllable is a reading of that character."""

    name = "annotations"
    description = "remove pinyin annotations a gateway left after characters, where the syllable is a reading of that character"

    def edits(self, doc: Document) -> Iterable[Edit]:
        return ()
