"""script: convert between simplified and traditional script with OpenCC.

Targets (option ``target``, CLI ``--script``):

=========  ==============================================================
zh-hans    simplified script, no vocabulary change (default)
zh-cn      simplified script; Taiwan-phrased text also gets mainland terms
zh-hant    traditional script, any variant forms; no vocabulary change
zh-tw      Taiwan forms; simplified text also gets Taiwan terms
zh-hk      Hong Kong forms
keep       nothing is converted
=========  ==============================================================

No single OpenCC configuration is right for every text, so the source is
detected per document (:mod:`cleanse.lang.script_detect`) and the configuration
follows from source and target:

- standard traditional (`着` for zhe) -> ``t2s``;
- traditional with Taiwan forms (`為`, `裡`, and `著` for zhe: `意味著`) ->
  ``tw2s``: ``t2s`` would leave `意味著`, `隨著`. ``tw2s`` in turn writes `着` for
  the `著` of authorship (`原著`, `編著`, `土著`) and `幺` for a bare `么`;
  the words listed in ``data/opencc_protect.tsv`` are taken out of its reach;
- Taiwan-phrased text and ``zh-cn`` -> ``tw2sp`` (`影片` -> `视频`); never on
  mainland-phrased text, where it changes `文件` into `文档`;
- Hong Kong forms -> ``hk2s``.

Only lines whose own script differs from the target are converted (a line
without marked characters follows the document's majority): running a
traditional-to-simplified configuration over simplified text is not a no-op
(`么` -> `幺`, `显著` -> `显着`). A mixed document (a simplified page quoting
a traditional passage) thus comes out wholly in the target script. Traditional
sources keep their vocabulary for traditional targets; only their variant
forms are adapted for ``zh-tw`` and ``zh-hk``. One change is recorded per
converted line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import ClassVar, Protocol

from cleanse.core.document import Document, Edit
from cleanse.core.stage import TextStage
from cleanse.lang.chars import ASTRAL, COMPATIBILITY, holds
from cleanse.lang.hanzi import known_t2s, opencc_convert
from cleanse.lang.lines import line_spans
from cleanse.lang.script_detect import (
    ScriptMarks,
    ScriptProfile,
    detect_script,
    has_simplified,
    has_traditional,
)

TARGETS = ("zh-hans", "zh-cn", "zh-hant", "zh-tw", "zh-hk", "keep")
SIMPLIFIED_TARGETS = ("zh-hans", "zh-cn")

# OpenCC configurations chained for (source, target); () means nothing to do.
# Sources are ScriptProfile.source values; "simplified" lines of any document
# use the "simplified" row.
CONFIGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("simplified", "zh-hans"): (),
    ("simplified", "zh-cn"): (),
    ("simplified", "zh-hant"): ("s2t",),
    ("simplified", "zh-tw"): ("s2twp",),
    ("simplified", "zh-hk"): ("s2hk",),
    ("traditional", "zh-hans"): ("t2s",),
    ("traditional", "zh-cn"): ("t2s",),
    ("traditional", "zh-hant"): (),
    ("traditional", "zh-tw"): ("t2tw",),
    ("traditional", "zh-hk"): ("t2hk",),
    ("traditional-tw-forms", "zh-hans"): ("tw2s",),
    ("traditional-tw-forms", "zh-cn"): ("tw2s",),
    ("traditional-tw-forms", "zh-hant"): (),
    ("traditional-tw-forms", "zh-tw"): (),
    ("traditional-tw-forms", "zh-hk"): ("tw2t", "t2hk"),
    ("taiwan", "zh-hans"): ("tw2s",),
    ("taiwan", "zh-cn"): ("tw2sp",),
    ("taiwan", "zh-hant"): (),
    ("taiwan", "zh-tw"): (),
    ("taiwan", "zh-hk"): ("tw2t", "t2hk"),
    ("hongkong", "zh-hans"): ("hk2s",),
    ("hongkong", "zh-cn"): ("hk2s",),
    ("hongkong", "zh-hant"): (),
    ("hongkong", "zh-tw"): ("hk2t", "t2tw"),
    ("hongkong", "zh-hk"): (),
}
# Configurations that read Taiwan variant forms, and so need the protected words.
TAIWAN_READING = frozenset({"tw2s", "tw2sp", "tw2t"})


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=32)
def opencc_converter(config: str) -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC(config)
    return converter


@dataclass(frozen=True)
class Protection:
    """Words a configuration converts wrongly, and what they must become."""

    pattern: re.Pattern[str]
    table: dict[str, str]


@lru_cache(maxsize=1)
def taiwan_protection() -> Protection:
    text = (
        resources.files("cleanse.data").joinpath("opencc_protect.tsv").read_text(encoding="utf-8")
    )
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            source, right = line.split("\t")
            table[source] = right
    words = sorted(table, key=lambda w: (-len(w), w))
    return Protection(re.compile("|".join(re.escape(w) for w in words)), table)


def convert(text: str, configs: Sequence[str]) -> tuple[str, list[str]]:
    """``text`` through the OpenCC ``configs`` in turn, and the protected words it met."""
    after, protected = _convert(text, configs)
    return after, [word for _, word in protected]


def convert_lines(lines: Sequence[str], configs: Sequence[str]) -> list[tuple[str, list[str]]]:
    """What :func:`convert` makes of each of ``lines``, from one OpenCC call per
    configuration: no dictionary entry and no protected word holds a line break, so
    the lines joined by LF convert to their conversions joined by LF."""
    if tuple(configs) == ("t2s",) and (known := known_t2s(lines)) is not None:
        return [(line, []) for line in known]
    after, protected = _convert("\n".join(lines), configs)
    converted = after.split("\n")
    if len(converted) != len(lines):  # a conversion that wrote or took a line break
        return [convert(line, configs) for line in lines]
    met: list[list[str]] = [[] for _ in lines]
    for line, word in protected:
        met[line].append(word)
    return list(zip(converted, met, strict=True))


def _convert(text: str, configs: Sequence[str]) -> tuple[str, list[tuple[int, str]]]:
    """``text`` through the OpenCC ``configs`` in turn, and the protected words it
    met, each with its line (the LFs before it)."""
    protected: list[tuple[int, str]] = []
    for config in configs:
        converter = opencc_converter(config)
        if config not in TAIWAN_READING:
            text = opencc_convert(converter, text)
            continue
        protection = taiwan_protection()
        pieces = []
        pos = 0
        line = 0
        for m in protection.pattern.finditer(text):
            pieces.append(opencc_convert(converter, text[pos : m.start()]))
            right = protection.table[m.group()]
            # A traditional target keeps the source word; a simplified one gets the listed form.
            pieces.append(right if config.endswith(("s", "sp")) else m.group())
            line += text.count("\n", pos, m.start())
            protected.append((line, m.group()))
            pos = m.end()
        pieces.append(opencc_convert(converter, text[pos:]))
        text = "".join(pieces)
    return text, protected


COMPATIBILITY_IDEOGRAPH = re.compile(r"[\uf900-\ufaff\U0002f800-\U0002fa1f]")


def unify_compatibility_ideographs(text: str) -> str:
    """Each CJK compatibility ideograph replaced by its NFC (unified) form."""
    if not holds(text, COMPATIBILITY | ASTRAL) or not COMPATIBILITY_IDEOGRAPH.search(text):
        return text
    return COMPATIBILITY_IDEOGRAPH.sub(lambda m: unicodedata.normalize("NFC", m.group()), text)


def _line_spans(text: str) -> Iterable[tuple[int, int]]:
    return ((start, end) for start, end, _ in line_spans(text))


class ScriptStage(TextStage):
    """Convert between simplified and traditional script with OpenCC, configuration chosen per document."""

    name = "script"
    description = (
        "convert between simplified and traditional script with OpenCC, "
        "configuration chosen per document"
    )
    option_help: ClassVar[Mapping[str, str]] = {
        "target": (
            "Target script: zh-hans (simplified, no vocabulary changes), zh-cn (simplified,\n"
            "mainland phrasing), zh-hant (traditional), zh-tw (Taiwan forms), zh-hk (Hong Kong\n"
            "forms) or keep (no conversion)."
        ),
    }

    def __init__(self, target: str = "zh-hans") -> None:
        super().__init__()
        if target not in TARGETS:
            raise ValueError(f"unknown script target {target!r}; known: {', '.join(TARGETS)}")
        self.target = target

    def wants(self, doc: Document) -> bool:
        return self.target != "keep" and bool(doc.text)

    def plan(self, profile: ScriptProfile) -> dict[str, tuple[str, ...]]:
        """The configurations for this document's simplified and traditional lines."""
        traditional_source = profile.source if profile.dominant == "hant" else "traditional"
        return {
            "hans": CONFIGS[("simplified", self.target)],
            "hant": CONFIGS[(traditional_source, self.target)],
        }

    def edits(self, doc: Document) -> Iterable[Edit]:
        # CJK compatibility ideographs (U+F900..., from legacy codecs) are the same
        # characters as their unified forms, which NFC gives later; judge and convert
        # the unified forms now (one character each, so offsets hold).
        text = unify_compatibility_ideographs(doc.text)
        # Cheapest scan first: simplified text bound for simplified script (no
        # traditional-only character) has nothing to convert.
        if not has_traditional(text) and not (
            CONFIGS[("simplified", self.target)] and has_simplified(text)
        ):
            return []
        marks = ScriptMarks(text)
        profile = detect_script(text, marks)
        if profile.source == "none":
            return []
        plan = self.plan(profile)
        # Cheap scan: no OpenCC and no line pass unless some text is in a script to convert.
        present = {"hans": profile.simplified > 0, "hant": profile.traditional > 0}
        if not any(plan[script] and present[script] for script in plan):
            return []
        label = {
            "hans": "simplified",
            "hant": profile.describe() if profile.dominant == "hant" else "traditional",
        }
        # In a document of one script, every line is in it (a line without marked
        # characters follows the majority): no line needs counting.
        one_script = None if profile.traditional and profile.simplified else profile.dominant
        to_convert: list[tuple[int, int, str]] = []
        for start, end in _line_spans(text):
            if start == end:
                continue
            script = one_script or marks.line_script(start, end) or profile.dominant
            if script is not None and plan[script]:
                to_convert.append((start, end, script))
        # The lines of each script converted together: one OpenCC call, not one a line.
        lines_of: dict[str, list[str]] = {}
        for start, end, script in to_convert:
            lines_of.setdefault(script, []).append(text[start:end])
        converted = {
            script: iter(convert_lines(lines, plan[script])) for script, lines in lines_of.items()
        }
        edits = []
        for start, end, script in to_convert:
            after, protected = next(converted[script])
            if after == doc.text[start:end]:
                continue
            configs = plan[script]
            reason = f"{label[script]} to {self.target} with OpenCC {'+'.join(configs)}"
            if protected:
                reason += f" (kept out of its reach: {', '.join(dict.fromkeys(protected))})"
            edits.append(
                Edit(start, end, after, reason, confidence=0.95, category=f"script:{script}")
            )
        return edits
