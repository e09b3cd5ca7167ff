"""Bad input: naming what was wrong with a document, and counting it for the summary.

The runner never stops for one bad document. Each gets a status (``skipped``
or ``failed``, or ``cleaned``/``unchanged`` with a note) and a message; this
module adds the notes the stages cannot know about (an empty file, a file name
that is not UTF-8, a text that is nothing but replacement characters) and
sorts every document's trouble into a few kinds, counted in the summary and
in ``report.json`` (``totals.problems``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable

from cleanse.io.inputs import InputFile
from cleanse.io.report import FileReport

REPLACEMENT = "\ufffd"

# (kind, how to recognise it), in the order the summary lists them. Messages come
# from the runner, the input walk and the decode stage.
KINDS: tuple[tuple[str, str], ...] = (
    ("binary", "binary input"),
    ("too large", "larger than the limit"),
    ("empty", "empty file"),
    ("no text", "no text:"),
    ("unreadable", "cannot read"),
    ("broken symlink", "broken symlink"),
    ("symlink loop", "symlink loop"),
    ("not a regular file", "not a regular file"),
    ("missing", "no such file or folder"),
    ("file name not UTF-8", "file name is not valid UTF-8"),
    ("too deeply nested", "too deeply nested"),
    ("output not written", "cannot write output"),
    ("in-place backup exists", "already exists (from an earlier in-place run)"),
    ("in-place backup", "backup kept by an earlier in-place run"),
)


def _add_message(report: FileReport, message: str) -> None:
    report.message = f"{report.message}; {message}" if report.message else message


def review(item: InputFile, report: FileReport, text: str | None) -> tuple[FileReport, str | None]:
    """Add what the stages cannot see to a cleaned document's report.

    A text that is nothing but replacement characters (and spaces) carries no
    information left to restore: it is skipped rather than written.
    """
    if not _name_is_utf8(item):
        _add_message(report, f"file name is not valid UTF-8; output named {str(item.relative)!r}")
    if text is None:
        return report, text
    if report.bytes_in == 0:
        _add_message(report, "empty file")
        return report, text
    stripped = "".join(text.split())
    if stripped and stripped.count(REPLACEMENT) == len(stripped):
        skipped = FileReport(
            path=report.path,
            status="skipped",
            message=(
                "no text: only replacement characters (U+FFFD); the text was lost "
                "before this file was saved and cannot be restored"
            ),
            encoding=report.encoding,
            bytes_in=report.bytes_in,
        )
        return skipped, None
    return report, text


def _name_is_utf8(item: InputFile) -> bool:
    try:
        os.fsencode(item.path.name).decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def kinds(report: FileReport) -> list[str]:
    """The kinds of trouble a document had (empty list: none)."""
    found = []
    message = report.message or ""
    for kind, marker in KINDS:
        if marker in message:
            found.append(kind)
    if report.status == "failed" and not found:
        found.append("error")
    reasons = {c.reason for c in report.changes if c.stage == "decode"}
    if any("mixed encodings" in r for r in reasons):
        found.append("mixed encodings")
    if any(c.stage == "decode" and c.unresolved for c in report.changes):
        found.append("undecodable bytes dropped")
    return found


def count(reports: Iterable[FileReport]) -> dict[str, int]:
    """How many documents had each kind of trouble."""
    counter: Counter[str] = Counter()
    for report in reports:
        counter.update(kinds(report))
    return dict(sorted(counter.items()))
