"""repair: restore text damaged on its way to us; report what cannot be restored.

Passes, each applied to the previous one's output so that every recorded span
is exact:

1. wrong-codec mojibake (:mod:`.codecs`), up to two layers deep;
2. Western mojibake and HTML entities with ftfy (:mod:`.western`);
3. byte-misaligned GBK damage of a traditional-script gateway (:mod:`.gbk_gateway`);
4. leftovers no hypothesis explains, flagged unresolved (:mod:`.leftovers`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import ClassVar

from cleanse.core.document import Document, Edit
from cleanse.core.stage import Stage
from cleanse.core.textview import VisibleText, found_in, gated
from cleanse.lang.chars import (
    BREAKS,
    CONTROLS,
    FORMAT,
    INVISIBLE_RUN,
    SPECIALS,
    holds,
    listed_class,
)
from cleanse.stages.repair import codecs, gbk_gateway, leftovers, western

# What normalize removes (lang.chars.INVISIBLE_RUN) less the C1 controls and the
# soft hyphen (U+00AD), which are what Latin-1 mojibake is made of (0x80-0x9F,
# 0xAD): the repair must see those.
_HIDDEN = listed_class(
    "".join(chr(cp) for cp in [*range(0x00, 0x09), *range(0x0E, 0x20)])
    + "\u200b\u2060\ufeff\ufff9\ufffa\ufffb"
)
HIDDEN_RUN = re.compile(f"{_HIDDEN}{_HIDDEN}*")
# What normalize removes that the repair looks at (see above).
LEFT_FOR_NORMALIZE = re.compile(r"[\x7f-\x84\x86-\x9f\u00ad]")
# ...and NEL (U+0085), which normalize writes as a line break.
LEFT_FOR_NORMALIZE_OR_NEL = re.compile(r"[\x7f-\x9f\u00ad]")


# Line breaks other than LF, which normalize writes as LF: in the text the repair
# judges, a CR before an LF is hidden and the other one-character breaks stand as LF
# (same offsets). NEL (U+0085) is left as it is: 0x85 is also a byte of Latin-1
# mojibake ("…" in cp1252), which the repair must see.
# (Each starts with a class of the break characters: a search skips ahead to them.)
LINE_BREAK_NOT_LF = gated(re.compile(r"[\r\u2028\u2029\x0b\x0c](?:(?<=\r)(?!\n)|(?<!\r))"), BREAKS)
# The same with NEL, for the second look at lines whose NEL no repair used.
LINE_BREAK_OR_NEL = gated(
    re.compile(r"[\r\u2028\u2029\x0b\x0c\x85](?:(?<=\r)(?!\n)|(?<!\r))"), BREAKS
)


@lru_cache(maxsize=4)
def _hidden_with_cr(hidden: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(f"{hidden.pattern}|\r(?=\n)")


def _without_hidden(
    text: str,
    find: Callable[[str, list[tuple[int, int]] | None], list[Edit]],
    within: list[tuple[int, int]] | None = None,
    hidden: re.Pattern[str] = HIDDEN_RUN,
    breaks: re.Pattern[str] = LINE_BREAK_NOT_LF,
) -> list[Edit]:
    """``find``'s edits judged on the text as normalize will leave it, so that a
    second cleaning judges the same text: without the invisible and C0 control
    characters normalize removes (one inside mojibake must not hide it now and
    reveal it later) and with its line breaks written LF (the character after a
    run is part of its judgement). An edit that spans hidden characters takes
    them out with it."""
    judged = breaks.sub("\n", text) if found_in(breaks, text) else text
    if "\r\n" in judged:
        hidden = _hidden_with_cr(hidden)
    # (Both kinds of hidden character are among INVISIBLE_RUN's: one remembered scan
    # answers for the text that has none, most text.)
    elif not found_in(INVISIBLE_RUN, text) or hidden.search(text) is None:
        return find(judged, within)
    view = VisibleText(judged, hidden)
    inside = (
        None if within is None else [(view.to_visible(a), view.to_visible(b)) for a, b in within]
    )
    return view.edits_in_text(find(view.text, inside))


def _gateway_edits(text: str, within: list[tuple[int, int]] | None) -> list[Edit]:
    return gbk_gateway.gateway_edits(text)


def _lines_around(text: str, positions: Iterable[int]) -> list[tuple[int, int]]:
    """The spans of the lines that hold ``positions``."""
    spans = set()
    for pos in positions:
        end = text.find("\n", pos)
        spans.add((text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end))
    return _merged(spans, gap=0)


def _leftover_lines(text: str) -> list[tuple[int, int]]:
    """The lines holding characters normalize removes or rewrites (NEL) that the
    repair looks at."""
    if not found_in(INVISIBLE_RUN, text) and "\x85" not in text:
        return []  # (LEFT_FOR_NORMALIZE is part of INVISIBLE_RUN)
    return _lines_around(text, (m.start() for m in LEFT_FOR_NORMALIZE_OR_NEL.finditer(text)))


def _merged(spans: Iterable[tuple[int, int]], gap: int = 2) -> list[tuple[int, int]]:
    """Spans joined where they touch or lie a couple of characters apart."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _inside_any(edit: Edit, spans: list[tuple[int, int]]) -> bool:
    return any(start <= edit.start and edit.end <= end for start, end in spans)


class RepairStage(Stage):
    """Repair mojibake (wrong codec, Western mojibake, byte-misaligned GBK) and truncated characters.

    Options: ``codec_layers`` (wrong-codec rounds, 2 undoes mojibake of
    mojibake; 0 turns the pass off), ``western`` (the ftfy pass), ``gateway``
    (the GBK gateway pass), ``leftovers`` (flag what nothing restored).
    Each pass first runs a cheap scan, so clean text costs a few regular
    expression searches.
    """

    name = "repair"
    description = (
        "repair mojibake (a wrong codec on a text or run, up to two layers; Western mojibake "
        "and HTML entities via ftfy; byte-misaligned GBK) and flag what cannot be restored"
    )

    option_help: ClassVar[Mapping[str, str]] = {
        "codec_layers": "Rounds of wrong-codec repair: 2 undoes mojibake of mojibake; 0 turns the pass off.",
        "western": "Repair Western mojibake and HTML entities with ftfy (never touching CJK text).",
        "gateway": "Repair byte-misaligned GBK damage left by a traditional-script gateway.",
        "leftovers": "Report replacement characters, lost-byte marks and double damage nothing restored.",
    }

    def __init__(
        self,
        codec_layers: int = 2,
        western: bool = True,
        gateway: bool = True,
        leftovers: bool = True,
    ) -> None:
        super().__init__()
        self.codec_layers = codec_layers
        self.western = western
        self.gateway = gateway
        self.leftovers = leftovers

    def _codec_rounds(
        self,
        doc: Document,
        hidden: re.Pattern[str],
        breaks: re.Pattern[str],
        within: list[tuple[int, int]] | None = None,
    ) -> Document:
        # Undo one wrong decoding per round; mojibake of mojibake needs a second,
        # which only looks at what the first one produced.
        for _ in range(self.codec_layers):
            known = len(doc.changes)
            doc = self.record(
                doc, _without_hidden(doc.text, codecs.codec_edits, within, hidden, breaks)
            )
            within = _merged(
                (c.out_start, c.out_start + len(c.after))
                for c in doc.changes[known:]
                if not c.unresolved and c.out_start is not None
            )
            if not within:
                break
        return doc

    def _mojibake(
        self,
        doc: Document,
        hidden: re.Pattern[str],
        breaks: re.Pattern[str],
        within: list[tuple[int, int]] | None = None,
    ) -> Document:
        """The wrong-codec rounds, then ftfy, on the text without ``hidden`` and with
        ``breaks`` written LF (only on the lines that overlap ``within``, when given)."""
        known = len(doc.changes)
        doc = self._codec_rounds(doc, hidden, breaks, within)
        if self.western:
            if within is not None and len(doc.changes) > known:  # the lines moved
                changed = [c.out_start or 0 for c in doc.changes[known:]]
                within = _merged(
                    [*_lines_around(doc.text, changed), *_leftover_lines(doc.text)], gap=0
                )
            edits = _without_hidden(doc.text, western.western_edits, within, hidden, breaks)
            known = len(doc.changes)
            doc = self.record(doc, edits)
            if len(doc.changes) > known:
                # What ftfy wrote is judged by the wrong-codec pass too, as a second
                # cleaning will judge it (C1 controls become cp1252 signs, which can
                # spell CJK mojibake in turn).
                changed = [c.out_start or 0 for c in doc.changes[known:]]
                doc = self._codec_rounds(doc, hidden, breaks, _lines_around(doc.text, changed))
        return doc

    def wants(self, text: str) -> bool:
        """Whether any pass could find something: each pass's own cheap scan (the
        scans share what they find). The passes judge the text as normalize will
        leave it; a text that differs from that (a hidden character, a line break
        other than LF) takes the full path."""
        if holds(text, BREAKS | CONTROLS | FORMAT | SPECIALS):
            return True
        return bool(
            (self.codec_layers and codecs.wants(text))
            or (self.western and western.wants(text))
            or (self.gateway and gbk_gateway.wants(text))
            or (self.leftovers and leftovers.wants(text))
        )

    def process(self, doc: Document) -> Document:
        if not doc.text or not self.wants(doc.text):
            return doc
        doc = self._mojibake(doc, HIDDEN_RUN, LINE_BREAK_NOT_LF)
        # C1 controls no repair used are removed by normalize (and a NEL becomes a
        # line break): their lines are judged again as a second cleaning will see them.
        left = _leftover_lines(doc.text)
        if left:
            doc = self._mojibake(doc, INVISIBLE_RUN, LINE_BREAK_OR_NEL, left)
        reported: list[tuple[int, int]] = []
        if self.gateway:
            known = len(doc.changes)
            text = doc.text
            # Damage the gateway pass saw but left as it is is reported once, by the
            # leftovers pass; what it restored in part (a lost digit) it reports itself.
            restored = [
                e
                for e in _without_hidden(text, _gateway_edits)
                if not (e.unresolved and text[e.start : e.end] == e.after)
            ]
            doc = self.record(doc, restored)
            # What the gateway pass already reported as unresolved is not reported twice.
            reported = [
                (c.out_start, c.out_start + len(c.after))
                for c in doc.changes[known:]
                if c.unresolved and c.out_start is not None
            ]
        if self.leftovers:
            found = leftovers.leftover_edits(doc.text)
            doc = self.record(doc, [e for e in found if not _inside_any(e, reported)])
        return doc
