"""Unified diffs of the original (decoded) text and the clean text, for terminals and code review."""

from __future__ import annotations

import difflib
from pathlib import Path

from cleanse.core.document import Document
from cleanse.io.outputs import atomic_write

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: str, original: str, final: str, context: int = 3) -> str:
    """A ``diff -u`` of two texts, with git's marker for a missing final newline.

    Empty when the texts are equal. Lines are split on ``\\n`` only, so a
    carriage return that was removed shows as a changed line.
    """
    if original == final:
        return ""
    before = original.split("\n")
    after = final.split("\n")
    # split() leaves an empty last item for a text ending in a newline; the
    # items are lines with their newline, the last one possibly without.
    old = [line + "\n" for line in before[:-1]] + ([before[-1]] if before[-1] else [])
    new = [line + "\n" for line in after[:-1]] + ([after[-1]] if after[-1] else [])
    out: list[str] = []
    for line in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}", n=context):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + NO_NEWLINE)
    return "".join(out)


def document_diff(path: str, doc: Document, context: int = 3) -> str:
    """The diff of one cleaned document (bytes the decode stage dropped are not in it)."""
    return unified_diff(path, doc.original_text or "", doc.text, context)


def write_diff_file(output_dir: Path, output: str, doc: Document) -> Path | None:
    """Write ``<output>.diff`` beside the clean file; ``None`` when nothing changed in the text."""
    text = document_diff(output, doc)
    if not text:
        return None
    target = output_dir / f"{output}.diff"
    atomic_write(target, text.encode("utf-8"))
    return target
