"""``cleanse explain``: every change of one document in reading order, one per line.

Like ftfy's explanations, but for the whole pipeline: where the change sits
(line:column in the original text → in the clean text), the stage, what was
replaced by what, and why.
"""

from __future__ import annotations

from cleanse.core.document import Document
from cleanse.io.trace import LineIndex, TraceError, trace
from cleanse.io.visible import plain


def explain(doc: Document, path: str, width: int = 40) -> str:
    """The explanation of ``doc`` as text, ending in a newline."""
    changes = doc.changes
    unresolved = sum(1 for c in changes if c.unresolved)
    encoding = doc.encoding or "text"
    if doc.encoding_confidence is not None:
        encoding += f" (confidence {doc.encoding_confidence:.2f})"
    lines = [
        f"{path}: {encoding}, {len(changes)} change{'s' if len(changes) != 1 else ''}, "
        f"{unresolved} could not be restored"
    ]
    if not changes:
        return lines[0] + "\n"
    try:
        result = trace(doc)
    except TraceError as exc:
        lines.append(f"  (positions unknown: {exc})")
        for number, change in enumerate(changes, 1):
            lines.append(_line(number, change.stage, "?", change.before, change.after, width))
            lines.append(_reason(change.reason, change.unresolved, change.category, None, None))
        return "\n".join(lines) + "\n"
    original = LineIndex(result.original)
    final = LineIndex(result.final)
    numbers = {p.index: n for n, p in enumerate(result.reading_order(), 1)}
    for placed in result.reading_order():
        change = placed.change
        ol, oc = original.line_col(placed.orig_start)
        fl, fc = final.line_col(placed.final_start)
        where = f"{ol}:{oc} → {fl}:{fc}"
        number = numbers[placed.index]
        lines.append(_line(number, change.stage, where, change.before, change.after, width))
        then = numbers.get(placed.superseded_by) if placed.superseded_by is not None else None
        byte = change.start if change.stage == "decode" else None
        lines.append(_reason(change.reason, change.unresolved, change.category, then, byte))
    return "\n".join(lines) + "\n"


def _line(number: int, stage: str, where: str, before: str, after: str, width: int) -> str:
    shown = f'"{plain(before, width)}" → "{plain(after, width)}"'
    if before == after:
        shown = f'"{plain(before, width)}" (kept)'
    return f"{number:>5}  {where:<15} {stage:<12} {shown}"


def _reason(
    reason: str, unresolved: bool, category: str | None, then: int | None, byte: int | None
) -> str:
    notes = []
    if category:
        notes.append(f"category: {category}")
    if byte is not None:
        notes.append(f"byte {byte} of the input")
    if unresolved:
        notes.append("COULD NOT RESTORE")
    if then is not None:
        notes.append(f"rewritten by #{then}")
    return f"{'':>23}{reason}" + (f"  ({'; '.join(notes)})" if notes else "")
