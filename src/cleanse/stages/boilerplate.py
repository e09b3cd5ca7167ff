"""boilerplate: remove site chrome (navigation, share bars, disclaimers, copyright and ICP lines, related links)."""

from __future__ import annotations

from collections.abc import Iterable

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage


class BoilerplateStage(TextStage):
    """Remove site chrome (navigation, share bars, disclaimers, copyright and ICP lines, related links)."""

    name = "boilerplate"
    description = "remove site chrome (navigation, share bars, disclaimers, copyright and ICP lines, related links)"

    def edits(self, doc: Document) -> Iterable[Edit]:
        return ()
