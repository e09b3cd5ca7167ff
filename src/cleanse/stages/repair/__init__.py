"""repair: repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters."""

from __future__ import annotations

from collections.abc import Iterable

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage
from cleanse.stages.repair.gbk_gateway import gateway_edits


class RepairStage(TextStage):
    """Repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters."""

    name = "repair"
    description = "repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters"

    def edits(self, doc: Document) -> Iterable[Edit]:
        return gateway_edits(doc.text)
