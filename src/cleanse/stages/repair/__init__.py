"""repair: repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters."""

from __future__ import annotations

from collections.abc import Iterable

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage


class RepairStage(TextStage):
    """Repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters."""

    name = "repair"
    description = "repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters"

    def edits(self, doc: Document) -> Iterable[Edit]:
        return ()
