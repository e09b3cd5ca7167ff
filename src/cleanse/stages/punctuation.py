"""punctuation: restore full-width CJK punctuation where ASCII marks sit between CJK characters."""

from __future__ import annotations

from collections.abc import Iterable

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage


class PunctuationStage(TextStage):
    """Restore full-width CJK punctuation where ASCII marks sit between CJK characters."""

    name = "punctuation"
    description = "restore full-width CJK punctuation where ASCII marks sit between CJK characters"

    def __init__(self, policy: str = "cjk") -> None:
        super().__init__()
        if policy not in ("cjk", "keep"):
            raise ValueError(f"unknown punctuation policy {policy!r}")
        self.policy = policy

    def edits(self, doc: Document) -> Iterable[Edit]:
        return ()
