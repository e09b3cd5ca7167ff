"""Byte-misaligned GBK damage left by a byte-blind traditional-script gateway.

Not implemented yet: proposes no edits.
"""

from __future__ import annotations

from cleanse.core.document import Edit


def gateway_edits(text: str) -> list[Edit]:
    """Edits that restore misaligned GBK runs in ``text`` (none yet)."""
    return []
