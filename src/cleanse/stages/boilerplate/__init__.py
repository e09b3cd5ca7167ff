"""boilerplate: remove site chrome, per document and across a corpus, from text and HTML.

What goes (the ``category`` of each removal in the report): ``nav``,
``breadcrumb``, ``share``, ``contributor-prompt``, ``disclaimer``,
``copyright``, ``icp``, ``community-rules``, ``related-links``,
``app-prompt``, ``counter``, ``stray``, ``contact``, ``ad``, ``tags``,
``page-header`` (e-paper page headers), ``post-meta`` (forum post tools),
``seo-spam`` (keyword stuffing), ``repeated`` (corpus mode) and, for
HTML input, ``html`` (the markup and the dropped elements).

How: every line is classified on its simplified shadow
(:mod:`.features`, :mod:`.classify`: length, share of Han characters and
punctuation, separators, URLs/e-mail/phone/ICP tokens, the lexicons in
``data/boilerplate/``), then the context decides (:mod:`.smoothing`: the
article core, runs of chrome at the head and tail). Removed lines are deleted
with the blank lines after them, so no gaps are left. Before that, a cheap
scan of the whole document (:mod:`.scan`: one multi-string search for the
lexicon and a few regular expressions) finds the lines that could be chrome at
all; when none of them is, the document is left as it is without classifying
every line: most article text costs one scan.

Precision over recall: a line is removed only on its own strong evidence or
as part of a run of chrome at the head or tail of the page; prose without a
strong chrome signature is never removed, and a title between two menus
stays. Lines the stage is unsure about are kept and recorded as a change
whose ``after`` equals ``before``, with ``category`` ``"borderline"`` and a
reason starting ``"kept, borderline:"``; the same list, with counts of the
removals per category, is in ``doc.metadata["boilerplate"]``.

Borderline policy (constructor keywords, each ``"keep"`` or ``"drop"``;
``policy`` sets the default for all four, ``"keep"`` unless given):

- ``credits``: editor, reporter, author and source lines (``编辑:章芳``,
  ``来源:字母榜``, ``本版综合央广网``). Kept: they belong to the article.
- ``datelines``: a date or time with at most a source or channel name.
- ``captions``: image captions (``图源:``, ``…截图``).
- ``references``: a reference-list heading and its numbered items.

Whatever the policy, a borderline line inside a run of chrome at the head or
tail of a page goes with the run (an "author" box in a sidebar).

Corpus mode (``corpus=True``; CLI ``--corpus-boilerplate``): before the run,
:meth:`BoilerplateStage.corpus_prepass` counts normalised lines over all
documents (:mod:`.corpus`); then a line shared by at least ``min_docs``
documents of the same folder is removed as ``repeated`` (or with its lexicon
category), unless the per-document classifier calls it content with high
confidence.

HTML (``.html``/``.htm`` or detected by content; ``html="auto"|"always"|
"never"``): :mod:`.html` turns the page into plain text with one paragraph
per block, recorded as one change (category ``html``) whose reason counts
the dropped elements; the classifier then runs on that text and its records
refer to it. The output is plain text; the run writes it as ``<name>.txt``
(``page.html`` -> ``page.html.txt``) via ``metadata["output_suffix"]``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any, ClassVar

from cleanse.core.document import Change, Document, Edit, apply_edits
from cleanse.core.stage import Stage
from cleanse.lang.lines import line_spans
from cleanse.stages.boilerplate.classify import Verdict, classify
from cleanse.stages.boilerplate.corpus import CorpusLineStats
from cleanse.stages.boilerplate.features import Line, measure_line, shadow_lines, split_lines
from cleanse.stages.boilerplate.html import extract, looks_like_html
from cleanse.stages.boilerplate.lexicon import BORDERLINE_KINDS, hits
from cleanse.stages.boilerplate.scan import suspect_lines
from cleanse.stages.boilerplate.smoothing import Decision, decide

__all__ = ["BoilerplateStage", "CorpusLineStats"]

POLICY_CHOICES = ("keep", "drop")


def _group(doc: Document) -> str:
    """The site a document belongs to in corpus mode: the folder of its path."""
    path = doc.metadata.get("path")
    return str(PurePosixPath(str(path)).parent) if path else ""


class BoilerplateStage(Stage):
    """Remove site chrome (navigation, share bars, disclaimers, copyright and ICP lines, related links)."""

    name = "boilerplate"
    option_help: ClassVar[Mapping[str, str]] = {
        "policy": "Borderline lines (credits, datelines, captions, reference lists): keep or drop.",
        "credits": "Editor/reporter/source credit lines: keep or drop (empty: follow policy).",
        "datelines": "Dateline lines: keep or drop (empty: follow policy).",
        "captions": "Image captions: keep or drop (empty: follow policy).",
        "references": "Reference lists: keep or drop (empty: follow policy).",
        "html": "HTML input: auto (.html/.htm or detected by content), always or never.",
        "corpus": (
            "Corpus mode: also remove lines repeated across many documents of one folder\n"
            "(needs the run's pre-pass; the command line's --corpus-boilerplate)."
        ),
        "min_docs": "Corpus mode: a line must appear in at least this many documents.",
        "min_share": "Corpus mode: ...and in at least this share of the folder's documents.",
    }
    description = (
        "remove site chrome (navigation, share bars, disclaimers, copyright and ICP lines, "
        "related links); HTML to text"
    )

    def __init__(
        self,
        policy: str = "keep",
        credits: str = "",
        datelines: str = "",
        captions: str = "",
        references: str = "",
        html: str = "auto",
        corpus: bool = False,
        min_docs: int = 3,
        min_share: float = 0.1,
        corpus_stats: CorpusLineStats | None = None,
    ) -> None:
        super().__init__()
        # An empty per-kind option follows `policy`.
        self.kind_policy = {
            "credit": credits or policy,
            "dateline": datelines or policy,
            "caption": captions or policy,
            "references": references or policy,
        }
        for kind, value in self.kind_policy.items():
            if value not in POLICY_CHOICES:
                raise ValueError(f"boilerplate policy for {kind}: {value!r} (keep or drop)")
        if html not in ("auto", "always", "never"):
            raise ValueError(f"boilerplate html: {html!r} (auto, always or never)")
        self.policy = policy
        self.credits, self.datelines = credits, datelines
        self.captions, self.references = captions, references
        self.html = html
        self.corpus = corpus or corpus_stats is not None
        self.min_docs = min_docs
        self.min_share = min_share
        self.stats_corpus = corpus_stats

    # -- corpus mode ---------------------------------------------------------

    def corpus_prepass(self, docs: Iterable[Document]) -> None:
        """Count the lines of ``docs`` (decoded documents) afresh, and turn corpus mode on."""
        stats = CorpusLineStats(min_docs=self.min_docs, min_share=self.min_share)
        for doc in docs:
            text = doc.text
            if self._is_html(doc):
                text = extract(text).text
            stats.add_document(_group(doc), text)
        self.stats_corpus = stats
        self.corpus = True

    # -- per document --------------------------------------------------------

    def _is_html(self, doc: Document) -> bool:
        if self.html == "never" or not doc.text:
            return False
        return self.html == "always" or looks_like_html(doc.text, doc.metadata.get("suffix"))

    def process(self, doc: Document) -> Document:
        if not doc.text:
            return doc
        density: list[float | None] | None = None
        protected: frozenset[int] = frozenset()
        html_info: dict[str, Any] | None = None
        if self._is_html(doc):
            ex = extract(doc.text)
            doc = self.record(doc, [Edit(0, len(doc.text), ex.text, ex.summary(), category="html")])
            density = ex.link_density
            protected = frozenset() if ex.title_line is None else frozenset({ex.title_line})
            html_info = {
                "dropped": dict(ex.dropped),
                "hidden": ex.hidden,
                "paragraphs": ex.paragraphs,
                "title": ex.title_source,
            }
            doc = doc.with_metadata(output_suffix=".txt")
        shadows = shadow_lines(doc.text)
        if density is None and not self._corpus_active() and not self._could_remove(doc, shadows):
            return doc.with_metadata(boilerplate={"removed": {}, "borderline": []})
        lines = split_lines(doc.text, density, shadows)
        verdicts = [classify(line) for line in lines]
        self._apply_corpus(doc, lines, verdicts)
        decisions = decide(lines, verdicts, self.kind_policy, protected)
        return self._record(doc, lines, decisions, html_info)

    def _corpus_active(self) -> bool:
        return self.corpus and self.stats_corpus is not None

    @staticmethod
    def _could_remove(doc: Document, shadows: list[str]) -> bool:
        """Whether any line is chrome or borderline: only the lines the scan suspects
        are classified (see :mod:`.scan`)."""
        suspects = suspect_lines(shadows)
        spans = line_spans(doc.text) if suspects else []
        for i in sorted(suspects):
            start, end, _ = spans[i]
            verdict = classify(measure_line(i, start, end, doc.text, shadows[i]))
            if verdict.label in ("bad", "borderline"):
                return True
        return False

    def _apply_corpus(self, doc: Document, lines: list[Line], verdicts: list[Verdict]) -> None:
        stats = self.stats_corpus
        if stats is None or not self.corpus:
            return
        group = _group(doc)
        for line, verdict in zip(lines, verdicts, strict=True):
            if verdict.label in ("blank", "bad", "strong"):
                continue
            if not stats.is_frequent(group, line.shadow):
                continue
            shared = stats.estimate(group, line.shadow)
            own = verdict.category if verdict.category not in (None, *BORDERLINE_KINDS) else None
            verdict.label = "bad"
            verdict.category = own or "repeated"
            verdict.heading = any(h.heading for h in hits(line.compact))
            verdict.reason = (
                f"{verdict.category}: the line repeats in {shared} of "
                f"{stats.documents(group)} documents of this site (corpus mode)"
            )

    @staticmethod
    def _spans(lines: list[Line], decisions: list[Decision], size: int) -> list[tuple[int, int]]:
        """The span each removed line takes: itself, its newline and the blank lines after it.

        When the removals run to the end of the text, the first of them also
        takes the blank lines before it, so the text ends right after the last
        kept line.
        """
        spans: list[tuple[int, int]] = []
        firsts: list[int] = []  # line index of each span
        n = len(lines)
        # Blank lines after a removed line go with it only when the kept line
        # before it is blank too (or there is none): a line that sat right under
        # a kept paragraph leaves that paragraph's blank separator in place.
        opens_block = True
        for i, (line, decision) in enumerate(zip(lines, decisions, strict=True)):
            if not decision.remove:
                opens_block = line.blank
                continue
            j = i + 1
            if opens_block:
                while j < n and lines[j].blank and not decisions[j].remove:
                    j += 1
            end = lines[j].start if j < n else size
            spans.append((line.start, end))
            firsts.append(i)
        if spans and spans[-1][1] >= size:
            k = len(spans) - 1
            while k > 0 and spans[k - 1][1] == spans[k][0]:
                k -= 1
            i = firsts[k]
            start = spans[k][0]
            floor = spans[k - 1][1] if k > 0 else 0
            while i > 0 and lines[i - 1].blank and lines[i - 1].start >= floor:
                i -= 1
                start = lines[i].start
            spans[k] = (start, spans[k][1])
        return spans

    def _record(
        self,
        doc: Document,
        lines: list[Line],
        decisions: list[Decision],
        html_info: dict[str, Any] | None,
    ) -> Document:
        text = doc.text
        removed = [(line, d) for line, d in zip(lines, decisions, strict=True) if d.remove]
        spans = self._spans(lines, decisions, len(text))
        edits = [
            Edit(start, end, "", d.reason, d.confidence, category=d.category)
            for (start, end), (_line, d) in zip(spans, removed, strict=True)
        ]
        new_text, changes = apply_edits(self.name, text, edits)
        notes: list[Change] = []
        borderline: list[dict[str, Any]] = []
        # Changes and lines are both in text order: the removed length before each
        # kept line is carried along instead of summed again for every line.
        shift, passed = 0, 0
        for line, d in zip(lines, decisions, strict=True):
            if d.remove or d.borderline is None:
                continue
            while passed < len(changes) and changes[passed].end <= line.start:
                shift += len(changes[passed].before) - len(changes[passed].after)
                passed += 1
            notes.append(
                Change(
                    stage=self.name,
                    start=line.start,
                    end=line.end,
                    before=line.text,
                    after=line.text,
                    reason=d.reason,
                    confidence=d.confidence,
                    category="borderline",
                    out_start=line.start - shift,
                )
            )
            borderline.append({"line": line.index + 1, "kind": d.borderline, "text": line.text})
        summary: dict[str, Any] = {
            "removed": dict(Counter(d.category or "stray" for _line, d in removed)),
            "borderline": borderline,
        }
        if html_info is not None:
            summary["html"] = html_info
        records = sorted([*changes, *notes], key=lambda c: (c.start, c.end))
        return doc.with_changes(new_text, records).with_metadata(boilerplate=summary)
