"""normalize: the last, mechanical pass.

Line endings to LF, NFC, invisible and control characters removed (tab and
newline kept), trailing spaces stripped, runs of blank lines collapsed to one,
no blank lines at the start, exactly one newline at the end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from cleanse.core.document import Document, Edit
from cleanse.core.stage import Stage
from cleanse.lang.chars import (
    BREAKS,
    CONTROLS,
    FORMAT,
    INVISIBLE_RUN,
    STRAY_JOINER,
    SURROGATES,
    holds,
)

LINE_ENDING = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")  # as lang.lines.LINE_BREAK, less LF
# C0 and C1 controls except tab and newline (CR is handled as a line ending),
# plus invisible format characters that carry nothing in running text.
INVISIBLE = INVISIBLE_RUN
# Lone surrogates are not characters (text handed in as str may hold them); the
# output must be valid UTF-8.
LONE_SURROGATE = re.compile(r"[\ud800-\udfff][\ud800-\udfff]*")  # class-first: fast scan
TRAILING_SPACE = re.compile(r"[ \t\u3000\u00a0]+$", re.MULTILINE)
BLANK_RUN = re.compile(r"\n{3,}")
# The characters the cheap scan looks for (one class search, made only when the
# text's census holds one of their kinds).
NEEDS_WORK_CHAR = re.compile(
    r"[\r\u2028\u2029\x85\x0b\x0c\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad\ufff9-\ufffb\ud800-\udfff]"
)
TRAILING_SPACES = (" ", "\t", "\u3000", "\u00a0")
# A trailing space before a line break, found by substring searches: a search for
# two characters is a memory scan, a pattern is tried at every space of the text.
SPACE_AT_LINE_END = tuple(f"{space}\n" for space in TRAILING_SPACES)


def needs_work(text: str) -> bool:
    """Whether a character, a trailing space or a blank-line run needs the stage."""
    return (
        (
            holds(text, BREAKS | CONTROLS | FORMAT | SURROGATES)  # all NEEDS_WORK_CHAR finds
            and NEEDS_WORK_CHAR.search(text) is not None
        )
        or any(pair in text for pair in SPACE_AT_LINE_END)
        or text.endswith(TRAILING_SPACES)
        or "\n\n\n" in text
        or text.startswith("\n")
    )


class NormalizeStage(Stage):
    """Line endings, NFC, invisible characters, trailing spaces, blank lines."""

    name = "normalize"
    description = (
        "line endings to LF, NFC, zero-width and control characters removed, "
        "trailing spaces, blank-line runs collapsed, one final newline"
    )

    @staticmethod
    def wants(doc: Document) -> bool:
        text = doc.text
        if not text:
            return False
        return (
            needs_work(text)
            or not text.endswith("\n")
            or text.endswith("\n\n")
            or not unicodedata.is_normalized("NFC", text)
        )

    def process(self, doc: Document) -> Document:
        if not self.wants(doc):
            return doc
        # Each pass sees the previous pass's output, so spans stay exact.
        for pass_ in (
            self._line_endings,
            self._invisible,
            self._nfc,
            self._spaces,
            self._blank_lines,
        ):
            if not doc.text:
                break
            doc = self.record(doc, pass_(doc.text))
        return doc

    # Each pass first asks the text's census (lang.chars.holds) whether it holds a
    # character its search can match at all: most text holds none, and a search
    # such as STRAY_JOINER's, which starts with a lookbehind, is tried at every position.
    @staticmethod
    def _line_endings(text: str) -> Iterator[Edit]:
        if not holds(text, BREAKS):  # every LINE_ENDING match is of them
            return
        for m in LINE_ENDING.finditer(text):
            yield Edit(m.start(), m.end(), "\n", f"line ending {m.group()!r} to LF")

    @staticmethod
    def _invisible(text: str) -> Iterator[Edit]:
        found = (
            [(m.start(), m.end()) for m in INVISIBLE.finditer(text)]
            if holds(text, CONTROLS)
            else []
        )
        if holds(text, FORMAT):  # the joiners
            found += [(m.start(), m.end()) for m in STRAY_JOINER.finditer(text)]
        for start, end in sorted(found):
            names = ", ".join(sorted({f"U+{ord(c):04X}" for c in text[start:end]}))
            yield Edit(start, end, "", f"invisible or control character removed ({names})")
        if not holds(text, SURROGATES):
            return
        for m in LONE_SURROGATE.finditer(text):
            yield Edit(
                m.start(),
                m.end(),
                "",
                "lone surrogate code points (not characters) removed",
                unresolved=True,
            )

    @staticmethod
    def _nfc(text: str) -> Iterator[Edit]:
        if unicodedata.is_normalized("NFC", text):
            return
        # Normalise line by line so each record stays small and readable.
        pos = 0
        for line in text.split("\n"):
            if not unicodedata.is_normalized("NFC", line):
                yield Edit(pos, pos + len(line), unicodedata.normalize("NFC", line), "Unicode NFC")
            pos += len(line) + 1

    @staticmethod
    def _spaces(text: str) -> Iterator[Edit]:
        for m in TRAILING_SPACE.finditer(text):
            yield Edit(m.start(), m.end(), "", "trailing whitespace removed")

    @staticmethod
    def _blank_lines(text: str) -> Iterator[Edit]:
        lead = len(text) - len(text.lstrip("\n"))
        if lead == len(text):
            yield Edit(0, len(text), "", "text is only blank lines")
            return
        if lead:
            yield Edit(0, lead, "", "blank lines at the start removed")
        body_end = len(text.rstrip("\n"))
        for m in BLANK_RUN.finditer(text, lead, body_end):
            yield Edit(m.start(), m.end(), "\n\n", "run of blank lines collapsed to one")
        if text[body_end:] != "\n":
            yield Edit(body_end, len(text), "\n", "exactly one newline at the end")
