"""Context: turn per-line verdicts into decisions, in the manner of jusText.

- A ``bad`` line that is a finished sentence between two prose lines, on
  word evidence alone, is article text quoting chrome words: kept, borderline.
- The article core runs from the first to the last ``strong`` line. Inside it
  only ``bad`` lines go; a short line between content paragraphs stays, and a
  section heading (``相关阅读``) followed by article text stays too.
- Head: before the first ``strong`` line, the short lines up to the last
  ``bad`` line are one run of chrome and go with it. Prose, borderline lines
  and the last title-like line before the article (the title) stay; earlier
  title-like lines in the run (site names, slogans) go.
- Tail: after the last ``strong`` line, everything from the first ``bad`` line
  to the end goes, so a numbered code of conduct goes with its heading. Kept:
  lines between the article and that first ``bad`` line (credits, a reference
  list, a closing note), borderline lines right after it (credits under an
  end mark), and finished sentences without any chrome word.
- A removed heading takes the short lines right after it (its link list).
- Without any ``strong`` line there are no runs: only ``bad`` lines go, and a
  short line squeezed between two of them.
- Borderline lines that survive all this are kept or dropped by policy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cleanse.stages.boilerplate.classify import Verdict
from cleanse.stages.boilerplate.features import Line
from cleanse.stages.boilerplate.lexicon import BORDERLINE_KINDS

BORDERLINE_NAMES = {
    "credit": "editor, reporter or source credit",
    "dateline": "dateline",
    "caption": "image caption",
    "references": "reference list",
}


@dataclass
class Decision:
    remove: bool
    category: str | None = None
    reason: str = ""
    confidence: float = 1.0
    borderline: str | None = None  # the kind, for a line kept (or dropped) by policy


def _nearest_bad(verdicts: Sequence[Verdict]) -> tuple[list[int | None], list[int | None]]:
    """For every line, the nearest "bad" line before it and after it (one pass each way,
    so smoothing stays linear on pages of thousands of short lines)."""
    n = len(verdicts)
    before: list[int | None] = [None] * n
    after: list[int | None] = [None] * n
    last: int | None = None
    for i in range(n):
        before[i] = last
        if verdicts[i].label == "bad":
            last = i
    last = None
    for i in range(n - 1, -1, -1):
        after[i] = last
        if verdicts[i].label == "bad":
            last = i
    return before, after


def _neighbour(i: int, verdicts: Sequence[Verdict], step: int) -> int | None:
    j = i + step
    while 0 <= j < len(verdicts):
        if verdicts[j].label != "blank":
            return j
        j += step
    return None


def _own_category(v: Verdict) -> str | None:
    if v.category and v.category not in BORDERLINE_KINDS:
        return v.category
    return None


def decide(
    lines: Sequence[Line],
    verdicts: Sequence[Verdict],
    policy: Mapping[str, str],
    protected: frozenset[int] = frozenset(),
) -> list[Decision]:
    """One decision per line. ``protected`` lines (an HTML title) are always kept."""
    n = len(lines)
    decisions: list[Decision] = [Decision(False) for _ in range(n)]
    strong = [i for i, v in enumerate(verdicts) if v.label == "strong" or i in protected]
    bad = [i for i, v in enumerate(verdicts) if v.label == "bad" and i not in protected]

    def remove(i: int, category: str | None, reason: str, confidence: float) -> None:
        decisions[i] = Decision(True, category or "stray", reason, confidence)

    def where(i: int) -> str:
        return f"line {i + 1}"

    for i in bad:
        v = verdicts[i]
        remove(i, v.category, v.reason, 0.95 if v.score >= 4 or not v.score else 0.9)

    # A sentence that only uses chrome words, between two content lines, is
    # article text (a story about copyright quoting 禁止转载).
    for i in bad:
        v = verdicts[i]
        if v.structural or not lines[i].ends_sentence or lines[i].length < 8:
            continue
        prev = _neighbour(i, verdicts, -1)
        nxt = _neighbour(i, verdicts, 1)
        if prev is None or nxt is None:
            continue
        if all(verdicts[j].label in ("strong", "good") for j in (prev, nxt)):
            decisions[i] = Decision(
                False,
                "borderline",
                f"kept, borderline: {v.category} words inside article text ({v.reason})",
                0.5,
                borderline=v.category,
            )
    bad = [i for i in bad if decisions[i].remove]

    first = strong[0] if strong else n
    last = strong[-1] if strong else -1

    if strong:
        # Head run.
        head_bad = [i for i in bad if i < first and not decisions[i].borderline]
        if head_bad:
            anchor = head_bad[-1]
            titles = [i for i in range(first) if verdicts[i].title_like]
            for i in range(anchor):
                v = verdicts[i]
                if v.label in ("blank", "bad", "good", "borderline") or i in protected:
                    continue
                # Of several title-like lines before the article, the last is the
                # title; earlier ones inside the run are site names and slogans.
                if v.title_like and i == titles[-1]:
                    continue
                after = next(j for j in head_bad if j > i)
                remove(
                    i,
                    _own_category(v) or verdicts[after].category,
                    f"in the run of boilerplate at the head of the page "
                    f"(before the {verdicts[after].category} at {where(after)})",
                    0.8,
                )
        # Tail run.
        tail_bad = [i for i in bad if i > last and not decisions[i].borderline]
        if tail_bad:
            anchor = tail_bad[0]
            category = verdicts[anchor].category
            credits_block = True  # borderline lines right after the anchor keep their policy
            for i in range(anchor + 1, n):
                v = verdicts[i]
                if v.label == "blank" or i in protected:
                    continue
                if v.label == "bad":
                    category = v.category
                    continue
                if v.label == "borderline" and credits_block:
                    continue
                credits_block = False
                # A finished sentence without any chrome word is never taken by a run.
                if (
                    v.label == "good"
                    and not v.score
                    and not lines[i].list_item
                    and lines[i].ends_sentence
                ):
                    continue
                remove(
                    i,
                    _own_category(v) or category,
                    f"in the run of boilerplate at the end of the page "
                    f"(from the {verdicts[anchor].category} at {where(anchor)})",
                    0.8,
                )
        # Core: a boilerplate heading followed by article text stays.
        for i in bad:
            if not (first < i < last) or not verdicts[i].heading:
                continue
            nxt = next((j for j in range(i + 1, n) if verdicts[j].label != "blank"), None)
            if nxt is not None and verdicts[nxt].label in ("strong", "good"):
                decisions[i] = Decision(
                    False,
                    "borderline",
                    f"kept, borderline: {verdicts[i].category} heading followed by article text",
                    0.5,
                    borderline=verdicts[i].category,
                )
    else:
        # No article core: only short lines squeezed between two bad lines go.
        bad_before, bad_after = _nearest_bad(verdicts)
        # others[k]: lines before k that are neither blank nor short (prefix counts).
        others = [0]
        for v in verdicts:
            others.append(others[-1] + (v.label not in ("blank", "short")))
        for i, v in enumerate(verdicts):
            if v.label not in ("short",) or v.title_like:
                continue
            prev_bad, next_bad = bad_before[i], bad_after[i]
            if prev_bad is None or next_bad is None:
                continue
            if others[next_bad] - others[prev_bad + 1] == 0:
                remove(
                    i,
                    _own_category(v) or verdicts[prev_bad].category,
                    f"short line between boilerplate at {where(prev_bad)} and {where(next_bad)}",
                    0.7,
                )

    # A removed heading takes the short lines right after it (no blank line between).
    for i in range(n):
        if not (decisions[i].remove and verdicts[i].heading):
            continue
        j = i + 1
        while j < n and verdicts[j].label in ("short", "bad") and j not in protected:
            if not decisions[j].remove:
                remove(
                    j,
                    verdicts[i].category,
                    f"in the {verdicts[i].category} list under the heading at {where(i)}",
                    0.8,
                )
            j += 1

    # Reference lists: the heading and the numbered items after it.
    for i, v in enumerate(verdicts):
        if v.label != "borderline" or not v.heading or decisions[i].remove:
            continue
        j = i + 1
        while j < n:
            vj = verdicts[j]
            if vj.label == "blank":
                j += 1
                continue
            if decisions[j].remove or not (lines[j].list_item and vj.label != "strong"):
                break
            vj.label, vj.category = "borderline", "references"
            j += 1

    # Borderline lines that survived: the policy decides.
    for i, v in enumerate(verdicts):
        if v.label != "borderline" or decisions[i].remove or i in protected:
            continue
        kind = v.category or "credit"
        name = BORDERLINE_NAMES.get(kind, kind)
        if policy.get(kind, "keep") == "drop":
            decisions[i] = Decision(True, kind, f"{name} (policy {kind}=drop)", 0.7, kind)
        else:
            decisions[i] = Decision(
                False, "borderline", f"kept, borderline: {name} (policy {kind}=keep)", 0.5, kind
            )
    return decisions
