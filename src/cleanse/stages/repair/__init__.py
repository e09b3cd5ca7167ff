"""repair: restore text damaged on its way to us; report what cannot be restored.

Passes, each applied to the previous one's output so that every recorded span
is exact:

1. wrong-codec mojibake (:mod:`.codecs`), up to two layers deep;
2. Western mojibake and HTML entities with ftfy (:mod:`.western`);
3. byte-misaligned GBK damage of a traditional-script gateway (:mod:`.gbk_gateway`);
4. leftovers no hypothesis explains, flagged unresolved (:mod:`.leftovers`).
"""

from __future__ import annotations

from cleanse.core.document import Document
from cleanse.core.stage import Stage
from cleanse.stages.repair import codecs, gbk_gateway, leftovers, western


class RepairStage(Stage):
    """Repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters."""

    name = "repair"
    description = "repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters"

    def __init__(
        self,
        codec_layers: int = 2,
        western: bool = True,
        gateway: bool = True,
        leftovers: bool = True,
    ) -> None:
        super().__init__()
        self.codec_layers = codec_layers
        self.western = western
        self.gateway = gateway
        self.leftovers = leftovers

    def process(self, doc: Document) -> Document:
        if not doc.text:
            return doc
        # Undo one wrong decoding per round; mojibake of mojibake needs a second.
        for _ in range(self.codec_layers):
            before = doc.text
            doc = self.record(doc, codecs.codec_edits(doc.text))
            if doc.text == before:
                break
        if self.western:
            doc = self.record(doc, western.western_edits(doc.text))
        if self.gateway:
            doc = self.record(doc, gbk_gateway.gateway_edits(doc.text))
        if self.leftovers:
            doc = self.record(doc, leftovers.leftover_edits(doc.text))
        return doc
