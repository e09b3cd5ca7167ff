"""punctuation: full-width CJK punctuation where a folding left ASCII marks in Chinese text.

A byte-level punctuation pass or NFKC folds `，：；？！（）` into `,:;?!()`
(`2月16日,中国`). With ``policy="cjk"`` (the default; ``"keep"`` does nothing)
the marks come back where the context is Chinese:

- `,` `;` `:` become `，` `；` `：` when one neighbour is a Han character or CJK
  punctuation and the other is not a space: `日,中` `日,2024` `Sora,在`
  `来源:数字营销` `电话:400-068-7188` (a `:` after a Chinese label is Chinese
  even before Latin or digits). With a space after the mark (`名称: 北京`) or
  Latin on both sides it stays ASCII: `10,000K`, `09:33`, `ID:wujicaijing`,
  `GPT-4,Gemini`.
- `?` `!` become `？` `！` when they close a Chinese clause (a Han character or
  CJK punctuation before them, whatever follows) or when a Han character
  follows a non-space. A `?` that is a lossy decoder's mark for a lost byte is
  left alone: one followed by a pinyin syllable and `)` (`?xí)`), next to a
  private-use character, or a run of `?` glued to Han text (`??紤`).
- `(...)` becomes `（...）` when the pair sits in Chinese text (CJK right before
  `(` or right after `)`) and holds CJK text: `Bug(漏洞)不少` -> `Bug（漏洞）不少`.
  A pair that holds only Latin text, digits or symbols keeps its ASCII
  parentheses, as much mainland print sets them: `杰夫·迪恩(Jeff Dean)解释`,
  `字母榜(ID:wujicaijing)`. Restoring full-width ones there would guess at a
  house style the folding erased.
- Nothing inside a URL or an e-mail address changes; `.` and `-` never change
  (`Gemini 1.5 Pro`, `GPT-4`, `3-7秒`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage
from cleanse.core.textview import as_normalize_leaves
from cleanse.stages.punctuation.context import (
    FULL_WIDTH,
    MARK_CHARS,
    changed_positions,
    with_full_width,
)

# What the stage can change: a find of each character is a memory scan, several
# times cheaper than one search for a class of them, which tests every character.
_CANDIDATES = ",;:?!()"

POLICIES = ("cjk", "keep")
MAX_ROUNDS = 4


REASONS = {
    **{
        mark: f"ASCII {mark} in Chinese text to full-width {FULL_WIDTH[mark]}"
        for mark in MARK_CHARS
    },
    **dict.fromkeys(
        "()", "ASCII parentheses around Chinese text in Chinese text to full-width （）"
    ),
}


class PunctuationStage(TextStage):
    """Restore full-width CJK punctuation where ASCII marks sit in Chinese text."""

    name = "punctuation"
    description = "restore full-width CJK punctuation where ASCII marks sit in Chinese text"
    option_help: ClassVar[Mapping[str, str]] = {
        "policy": (
            "cjk: ASCII , ; : ? ! ( ) inside Chinese text become full-width (Latin context,\n"
            "URLs, e-mail, numbers and times keep ASCII); keep: leave punctuation as it is."
        ),
    }

    def __init__(self, policy: str = "cjk") -> None:
        super().__init__()
        if policy not in POLICIES:
            raise ValueError(f"unknown punctuation policy {policy!r}")
        self.policy = policy

    def wants(self, doc: Document) -> bool:
        return self.policy == "cjk" and any(ch in doc.text for ch in _CANDIDATES)

    def edits(self, doc: Document) -> Iterable[Edit]:
        # Marks are judged as they will stand once normalize has removed invisible
        # and control characters and stray joiners (`一\x01??` is `一??`), as a second
        # cleaning sees them.
        view, text = as_normalize_leaves(doc.text)
        edits = self._converged(text)
        return view.edits_in_text(edits) if view else edits

    @staticmethod
    def _converged(text: str) -> list[Edit]:
        # A mark's context can be another mark that becomes full-width (`　:!`), so the
        # decisions are repeated on the converted text until nothing changes: the
        # stage then gives the same result when run again. Every edit replaces one
        # character with one, so positions stay aligned between rounds.
        final: dict[int, str] = {}  # position -> the ASCII character made full-width
        for _ in range(MAX_ROUNDS):
            changed = changed_positions(text)
            if not changed:
                break
            final.update((i, text[i]) for i in changed)
            text = with_full_width(text, changed)
        return [
            Edit(
                i,
                i + 1,
                FULL_WIDTH[ch],
                REASONS[ch],
                confidence=0.9,
                category="cjk-punctuation",
            )
            for i, ch in sorted(final.items())
        ]
