"""The per-line classifier: what each line looks like on its own.

Labels, from the line alone:

- ``blank``: whitespace only.
- ``bad``: boilerplate on its own evidence (a separator structure, an ICP or
  copyright mark, a lone character or number, or lexicon hits whose score
  reaches the threshold for the line's length). ``category`` says which kind.
- ``borderline``: an editor/reporter credit, a dateline, an image caption or a
  reference-list heading; kept or dropped by policy.
- ``strong``: content with high confidence: prose (at least 30 characters and
  two clause marks), no lexicon hit at all, not a list item.
- ``good``: prose-like (clause punctuation, 10 characters or more).
- ``short``: anything else; the context decides (see ``smoothing``).

Scoring: a strong pattern weighs 2, a weak one 1, and a URL, e-mail address or
phone number 1 each. A line is ``bad`` when the score reaches 2 (up to 40
characters), 3 (up to 120) or 4 (longer); a finished sentence needs at least
3 however short, and a line over 40 characters also needs one strong
pattern: prose that merely mentions 版权, 转载 or 扫一扫 stays.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from cleanse.lang.chars import is_han
from cleanse.stages.boilerplate.features import (
    DATE,
    Line,
    has_copyright,
    has_email,
    has_icp,
    has_phone,
    has_url,
)
from cleanse.stages.boilerplate.lexicon import BORDERLINE_KINDS, STRONG

# Longest line that can still be a credit, a dateline or a caption.
BORDERLINE_MAX = {"credit": 80, "dateline": 40, "caption": 300, "references": 20}
NAV_SEPARATORS = ("|", "•")
CRUMB_SEPARATORS = (">>", ">", "»", "›")
TOKEN_SPLIT = re.compile(r"[\s|]+")  # not 、 or ，: enumerations in prose
CRUMB_ROOTS = ("首页", "主页", "home", "网站首页", "当前位置")


@dataclass
class Verdict:
    label: str  # blank, bad, borderline, strong, good, short
    category: str | None = None
    reason: str = ""
    heading: bool = False  # a section heading whose block follows it
    title_like: bool = False
    score: int = 0
    structural: bool = False  # evidence beyond words: separators, marks, a lone token


def threshold(length: int) -> int:
    if length <= 40:
        return 2
    if length <= 120:
        return 3
    return 4


def _quote(items: list[str]) -> str:
    return ", ".join(f"'{i}'" for i in items)


def _structure(line: Line) -> Verdict | None:
    """Separator structures: navigation bars and breadcrumbs."""
    sep, count = line.separators()
    if not count or line.ends_sentence:
        return None
    parts = [p.strip() for p in line.shadow.replace(">>", ">").split(sep.replace(">>", ">"))]
    parts = [p for p in parts if p]
    if not parts:
        return None
    if sep == "|" and line.compact.startswith("|") and line.compact.endswith("|"):
        return None  # a table row
    if sum(1 for p in parts if p.replace(" ", "").replace(".", "").isdigit()) * 2 >= len(parts):
        return None  # mostly numbers: data, not links
    longest = max(len(p.replace(" ", "")) for p in parts)
    sentence_marks = sum(1 for c in line.compact if c in "。,;!?")
    if sentence_marks:
        return None
    if sep in NAV_SEPARATORS and count >= 2 and longest <= 10:
        return Verdict(
            "bad",
            "nav",
            f"navigation bar: {len(parts)} short items separated by '{sep}'",
            structural=True,
        )
    if sep in CRUMB_SEPARATORS and longest <= 16:
        rooted = any(parts[0].replace(" ", "").startswith(r) for r in CRUMB_ROOTS) or any(
            h.category == "breadcrumb" for h in line.hits
        )
        if rooted or (count >= 2 and len(parts) >= 3):
            return Verdict(
                "bad",
                "breadcrumb",
                f"breadcrumb: {len(parts)} levels separated by '{sep}'",
                structural=True,
            )
    return None


def _keyword_stuffing(line: Line) -> Verdict | None:
    """Many short keywords sharing one term: a line written for search engines."""
    if line.ends_sentence or line.length < 12:
        return None
    tokens = [t for t in TOKEN_SPLIT.split(line.shadow) if t]
    if len(tokens) < 5 or max(len(t) for t in tokens) > 12:
        return None
    grams: dict[str, int] = defaultdict(int)
    for token in tokens:
        for gram in {token[k : k + 2] for k in range(len(token) - 1)}:
            if all(is_han(ch) for ch in gram):
                grams[gram] += 1
    if not grams:
        return None
    gram, count = max(grams.items(), key=lambda item: item[1])
    if count * 10 < len(tokens) * 6:
        return None
    return Verdict(
        "bad",
        "seo-spam",
        f"keyword stuffing: '{gram}' in {count} of {len(tokens)} short keywords",
        structural=True,
    )


def _borderline_kind(line: Line) -> str | None:
    kinds = {h.category for h in line.hits if h.category in BORDERLINE_KINDS}
    for kind in BORDERLINE_KINDS:
        if kind not in kinds or line.length > BORDERLINE_MAX[kind]:
            continue
        if kind == "dateline":
            # A date with little else: not a sentence, few other characters.
            rest = DATE.sub("", line.compact)
            others = sum(1 for c in rest if not c.isdigit() and c not in ":-./•|")
            if line.ends_sentence or line.punct > 3 or others > 16:
                continue
        if kind == "credit" and line.punct > 6:
            continue
        return kind
    return None


def classify(line: Line) -> Verdict:
    """Label one line on its own evidence."""
    if line.blank:
        return Verdict("blank")
    c, n = line.compact, line.length
    if n == 1 and not is_han(c):
        return Verdict("bad", "stray", f"a lone character {line.text.strip()!r}", structural=True)
    if c.isdigit():
        return Verdict(
            "bad", "counter", "a lone number (a counter or an image placeholder)", structural=True
        )
    if has_icp(c) and n <= 120:
        return Verdict(
            "bad", "icp", "ICP licence or public-security filing number", structural=True
        )
    if has_copyright(line.shadow) and n <= 80 and not line.ends_sentence:
        return Verdict("bad", "copyright", "copyright line", structural=True)

    kind = _borderline_kind(line)
    structure = None if kind == "credit" else _structure(line)
    if structure is not None:
        return structure
    if kind is None and (stuffing := _keyword_stuffing(line)) is not None:
        return stuffing

    per_category: dict[str, int] = defaultdict(int)
    evidence: dict[str, list[str]] = defaultdict(list)
    strong_categories: set[str] = set()
    heading_categories: set[str] = set()
    for hit in line.hits:
        if hit.category in BORDERLINE_KINDS:
            continue
        per_category[hit.category] += hit.weight
        if hit.pattern not in evidence[hit.category]:
            evidence[hit.category].append(hit.pattern)
        if hit.weight >= STRONG:
            strong_categories.add(hit.category)
        if hit.heading:
            heading_categories.add(hit.category)
    contacts = []
    if has_url(line.shadow):
        contacts.append("a web address")
    if has_email(line.shadow):
        contacts.append("an e-mail address")
    if has_phone(line.shadow):
        contacts.append("a phone number")
    score = sum(per_category.values()) + len(contacts)

    need = threshold(n)
    if line.ends_sentence and line.punct >= 2 and n >= 12:
        need = max(need, 3)  # a finished sentence needs more than one chrome phrase
    if per_category and score >= need and (n <= 40 or strong_categories):
        category = max(
            per_category, key=lambda k: (k in strong_categories, per_category[k], k == "disclaimer")
        )
        words = _quote(evidence[category])
        others = [k for k in per_category if k != category]
        reason = f"{category}: matches {words}"
        if others:
            reason += f"; also {', '.join(sorted(others))}"
        if contacts:
            reason += f"; {', '.join(contacts)}"
        return Verdict(
            "bad",
            category,
            reason,
            heading=category in heading_categories,
            score=score,
        )
    if kind is None and line.link_density is not None and line.link_density >= 0.6 and n <= 80:
        return Verdict(
            "bad",
            "related-links",
            f"mostly link text ({line.link_density:.0%} of the line is links)",
            structural=True,
        )

    heading_kind = kind == "references" and any(h.heading for h in line.hits)
    if kind is not None:
        return Verdict("borderline", kind, heading=heading_kind, score=score)

    hint = max(per_category, key=lambda k: per_category[k]) if per_category else None
    if hint is None and contacts and n <= 40:
        hint = "contact"
    # A title: a short line of words, not a finished sentence, not a list item.
    title_like = (
        6 <= n <= 60
        and (line.han >= 4 or sum(ch.isalpha() for ch in c) >= 12)
        and not c.endswith(("。", ";", ":"))
        and line.punct <= 3
        and not strong_categories
        and not line.list_item
    )
    prose = line.punct >= 1 and n >= 10
    if prose and score == 0 and n >= 30 and line.punct >= 2 and not line.list_item:
        return Verdict("strong", score=0, title_like=title_like)
    if prose:
        return Verdict("good", hint, score=score, title_like=title_like)
    stray_word = n <= 4 and c.isascii() and c.isalpha() and line.text.strip().isupper()
    return Verdict("short", "stray" if stray_word else hint, score=score, title_like=title_like)
