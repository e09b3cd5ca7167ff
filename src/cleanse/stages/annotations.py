"""annotations: remove the pinyin a gateway left after characters (`運(yùn)營(yíng)` -> `運營`).

Some "traditional Chinese" web gateways append the reading of a character in
parentheses after it, every time that character occurs. Two checks decide
whether a parenthesised syllable is such an annotation:

* per annotation: the syllable (tone marks or a tone number, ASCII or
  full-width parentheses, lowercase) is a reading of the Han character right
  before the opening parenthesis (pypinyin, every reading);
* per document: at least ``min_annotations`` such annotations occur; at least
  half of them follow a character only traditional script uses (`頁`, `運`,
  not `一`); and the annotated characters are annotated nearly everywhere they
  occur (``min_consistency``). The gateway converts a page to traditional
  script and annotates every occurrence of the characters it converted,
  hundreds of them. A real parenthetical reading like `一(yī)` in a dictionary
  entry is rare and alone, and a lesson annotates a character once and then
  uses it plain. Any other document keeps its parentheses.

Everything else stays: `(Jeff Dean)`, `(ID:wujicaijing)`, `(diffusion)`,
`(漏洞)`, `(ngbjxym)`, `(e)` after a Latin letter. In a gateway document a
syllable that is not a reading of the character before it, or one whose opening
parenthesis was lost (`?(xí)` or `詢?nèi)`), is a trace of byte-misaligned damage
that the repair stage deals with; this stage keeps the text and records it as
"could not restore".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import ClassVar, NamedTuple

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage
from cleanse.lang.chars import is_han, is_private_use, literal_first
from cleanse.lang.pinyin import is_reading, normalize_syllable
from cleanse.lang.script_detect import markers

# Lowercase only: an uppercase run in parentheses is an acronym or a name, never
# a gateway's reading.
_SYLLABLE = r"[a-zü\u00e0-\u01dc\u0300-\u036f:]{1,7}[1-5]?"
ANNOTATION = re.compile(rf"[(（](?P<syllable>{_SYLLABLE})[)）]")
# A syllable closed by a parenthesis whose opening one a lossy decoder swallowed.
ORPHAN = re.compile(rf"(?<=[?\ufffd])(?P<syllable>{_SYLLABLE})[)）]")
# Cheap fast-path test: a closing parenthesis right after a lowercase letter (the
# parenthesis first, the letter looked back at only there).
_HINTS = literal_first(")）", r"(?<=[a-z\u00e0-\u01dc\u0300-\u036f1-5].)")


# A named tuple, not a dataclass: a gateway page holds thousands of annotations, and
# a tuple is built several times faster.
class Annotation(NamedTuple):
    """A parenthesised syllable and the character it follows."""

    start: int
    end: int
    syllable: str
    after: str  # the character just before the opening parenthesis ("" at the start)

    @property
    def is_reading(self) -> bool:
        return _is_reading_of(self.after, self.syllable)


@lru_cache(maxsize=65536)  # a gateway page repeats the same few annotations
def _is_reading_of(ch: str, syllable: str) -> bool:
    return bool(ch) and is_han(ch) and is_reading(ch, syllable)


def find_annotations(text: str) -> list[Annotation]:
    """Every parenthesised pinyin syllable in ``text``, matching its character or not."""
    found = []
    for m in ANNOTATION.finditer(text):
        syllable = m.group("syllable")
        if normalize_syllable(syllable) is None:
            continue
        start, end = m.span()
        found.append(Annotation(start, end, syllable, text[start - 1] if start else ""))
    return found


def is_gateway_text(
    text: str,
    annotations: Iterable[Annotation],
    min_annotations: int = 3,
    min_consistency: float = 0.8,
) -> bool:
    """True when the annotations that match their character look like a gateway's:
    enough of them, mostly after traditional-only characters, and on (nearly)
    every occurrence of the characters they annotate."""
    return _is_gateway_text(
        text, [a for a in annotations if a.is_reading], min_annotations, min_consistency
    )


def _is_gateway_text(
    text: str, matching: list[Annotation], min_annotations: int, min_consistency: float
) -> bool:
    """:func:`is_gateway_text` given the annotations that match their character."""
    if len(matching) < min_annotations:
        return False
    traditional = markers().hant
    if 2 * sum(1 for a in matching if a.after in traditional) < len(matching):
        return False
    annotated = {a.after for a in matching}
    occurrences = sum(text.count(ch) for ch in annotated)
    return len(matching) >= min_consistency * occurrences


def _looks_damaged(text: str, annotation: Annotation) -> bool:
    """An annotation after ``?``, a Han or private-use character, or a lone letter glued to Han."""
    ch = annotation.after
    if not ch:
        return False
    if ch == "?" or is_han(ch) or is_private_use(ch):
        return True
    # A trail byte that lost its lead decodes as a lone ASCII letter between Han characters.
    before = text[annotation.start - 2] if annotation.start >= 2 else ""
    return (
        ch.isascii()
        and ch.isalpha()
        and bool(before)
        and (is_han(before) or is_private_use(before))
    )


class AnnotationsStage(TextStage):
    """Remove gateway pinyin annotations whose syllable is a reading of the character before."""

    name = "annotations"
    description = (
        "remove pinyin annotations a gateway left after characters, where the "
        "syllable is a reading of that character"
    )
    option_help: ClassVar[Mapping[str, str]] = {
        "min_annotations": (
            "A document is treated as gateway output only with at least this many\n"
            "annotations that are readings of the character before them."
        ),
        "min_consistency": (
            "...and only when at least this share of the occurrences of the annotated\n"
            "traditional-only characters carry an annotation (a pinyin lesson does not)."
        ),
    }

    def __init__(self, min_annotations: int = 3, min_consistency: float = 0.8) -> None:
        super().__init__()
        if min_annotations < 1:
            raise ValueError("min_annotations must be at least 1")
        if not 0.0 <= min_consistency <= 1.0:
            raise ValueError("min_consistency must lie between 0 and 1")
        self.min_annotations = min_annotations
        self.min_consistency = min_consistency

    def wants(self, doc: Document) -> bool:
        return any(hint.search(doc.text) is not None for hint in _HINTS)

    def edits(self, doc: Document) -> Iterable[Edit]:
        text = doc.text
        annotations = find_annotations(text)
        matches = [a.is_reading for a in annotations]  # asked once per annotation
        matching = [a for a, matches_char in zip(annotations, matches, strict=True) if matches_char]
        if not _is_gateway_text(text, matching, self.min_annotations, self.min_consistency):
            return []
        edits = []
        for a, matches_char in zip(annotations, matches, strict=True):
            if matches_char:
                edits.append(
                    Edit(
                        a.start,
                        a.end,
                        "",
                        f"gateway pinyin annotation removed: {a.syllable} is a reading of {a.after}",
                        confidence=0.99,
                        category="gateway-annotation",
                    )
                )
            elif _looks_damaged(text, a):
                edits.append(
                    Edit(
                        a.start,
                        a.end,
                        text[a.start : a.end],
                        f"pinyin annotation whose syllable {a.syllable} is not a reading of "
                        f"{a.after}: byte-misaligned gateway damage, kept",
                        unresolved=True,
                        category="gateway-annotation",
                    )
                )
        for m in ORPHAN.finditer(text):
            if normalize_syllable(m.group("syllable")) is None:
                continue
            edits.append(
                Edit(
                    m.start(),
                    m.end(),
                    m.group(),
                    f"pinyin annotation {m.group('syllable')} without its opening parenthesis: "
                    "byte-misaligned gateway damage, kept",
                    unresolved=True,
                    category="gateway-annotation",
                )
            )
        return edits
