"""Lines of a document and what the classifier measures on them.

Every line is classified on its *shadow*: simplified script (OpenCC ``t2s``),
gateway pinyin annotations (``頁(yè)``) and lone ``?`` / private-use artifacts
taken out, NFKC (full-width forms to ASCII) and lower case. The shadow is only
looked at, never written: edits always refer to the real text.
"""

from __future__ import annotations

import re

from cleanse.lang.chars import (
    BREAKS,
    CONTROLS,
    FORMAT,
    HAN_RANGES,
    PRIVATE_USE,
    SPECIALS,
    holds,
)
from cleanse.lang.forms import nfkc
from cleanse.lang.hanzi import simplified_lines, simplified_shadow
from cleanse.lang.lines import lf_lines, line_spans
from cleanse.stages.boilerplate.lexicon import Hit, hits

# A pinyin syllable in parentheses right after a Han character (or after the
# ``?`` a lossy decoder left in place of one): a gateway annotation. The "(" comes
# first and the character before it is checked behind: the engine then skips ahead
# to each "(" instead of trying the lookbehind at every position.
ANNOTATION = re.compile(
    r"\((?<=[\u3400-\u9fff\uf900-\ufaff?\ue000-\uf8ff]\()"
    r"[a-zü\u00e0-\u00fc\u0101-\u01dc\u0300-\u036f]{1,7}[1-5]?\)"
)
ARTIFACT = re.compile(r"[?\ue000-\uf8ff\ufffd]")
# Invisible characters the normalize stage removes later: the shadow drops them now,
# so a line is classified the same before and after (cleaning twice changes nothing).
INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
WHITESPACE = re.compile(r"\s+")
# Decorative bullets in front of a heading ("■延伸阅读", "▶ 相关新闻").
BULLET = re.compile(r"^[\u25a0-\u25ff\u2600-\u26ff\u2700-\u27bf\u2022\u00b7*#]+")

# The lookbehinds let a match start only at the start of a token: without them a
# long run of letters is searched from every position (quadratic time).
URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+(?:com|cn|net|org|gov|edu|tw|hk)\b",
    re.I,
)
# What every URL match holds ("://", "www." or a "." before a top-level domain): a
# search that skips ahead to a "." or ":" costs a tenth of URL's, which is tried
# at every position.
URL_HINT = re.compile(r"[.:](?:com|cn|net|org|gov|edu|tw|hk|//|(?<=www\.))", re.I)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+[@#][\w-]+\.[\w.]+")
PHONE = re.compile(
    r"(?<!\d)(?:\d{3,4}-\d{7,8}|400-?\d{3}-?\d{4}|800-?\d{3}-?\d{4}|86-\d{2,4}-\d{7,8}|1[3-9]\d{9})(?!\d)"
)
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*\d{4}|版权所有", re.I)
# The word COPYRIGHT needs when a line holds no "©", "(" or 版权所有.
COPYRIGHT_WORD = re.compile("copyright", re.I)
ICP = re.compile(r"icp[备证]\s*\d|公网安备\s*\d", re.I)
DATE = re.compile(r"\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}")
# A numbered list item: "1.", "1)", "1、", "(1)", "一、", "①".
LIST_ITEM = re.compile(
    r"^\s*(?:\d{1,3}\s*[.)、)]|[((]\d{1,3}[))]|[一二三四五六七八九十]{1,3}[、.]|[\u2460-\u2473])"
)
SENTENCE_END = "。!?…;\"'”’」』)》"
CLAUSE_PUNCT = "。,、;:!?,.;:!?…"
PUNCT = re.compile("[" + re.escape(CLAUSE_PUNCT) + "]")
HAN = re.compile(f"[{HAN_RANGES}]")
# Counted by runs: one match per run of Han characters, not one per character.
HAN_RUN = re.compile(f"[{HAN_RANGES}]+")
SEPARATORS = ("|", "»", "›", "•", ">>", ">")


class Line:
    """One line of the text, with its span and measurements.

    (A written-out constructor, native when compiled: a line of every document
    the stage looks at is one of these, and a dataclass's runs in Python.)"""

    __slots__ = (
        "compact",
        "end",
        "han",
        "hits",
        "index",
        "length",
        "link_density",
        "punct",
        "shadow",
        "start",
        "text",
    )

    def __init__(
        self,
        index: int,
        start: int,
        end: int,
        text: str,
        shadow: str = "",
        compact: str = "",
        length: int = 0,
        han: int = 0,
        punct: int = 0,
        hits: list[Hit] | None = None,
        link_density: float | None = None,
    ) -> None:
        self.index = index
        self.start = start  # offset of the first character
        self.end = end  # offset just past the last character (the newline not included)
        self.text = text
        self.shadow = shadow  # simplified, annotations out, NFKC, lower case
        self.compact = compact  # the shadow without whitespace
        self.length = length  # visible characters of the shadow
        self.han = han
        self.punct = punct
        self.hits: list[Hit] = [] if hits is None else hits
        self.link_density = link_density  # share of link text, when the source was HTML

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.start}, {self.end}, {self.text!r})"

    @property
    def blank(self) -> bool:
        return self.length == 0

    @property
    def han_ratio(self) -> float:
        return self.han / self.length if self.length else 0.0

    @property
    def ends_sentence(self) -> bool:
        return bool(self.compact) and self.compact[-1] in SENTENCE_END

    @property
    def list_item(self) -> bool:
        return LIST_ITEM.match(self.shadow) is not None

    def separators(self) -> tuple[str, int]:
        """The most frequent separator of the line and how often it occurs."""
        best, count = "", 0
        rest = self.shadow
        for sep in SEPARATORS:
            n = rest.count(sep)
            if n > count:
                best, count = sep, n
            rest = rest.replace(sep, " ")
        return best, count


# The whitespace a shadow can hold besides spaces and its LFs: every other kind is a
# line break (written LF), removed as invisible, or a space after NFKC.
SHADOW_WHITESPACE = ("\t", "\u1680")


def shadow_lines(text: str) -> list[str]:
    """The shadow of each line of ``text`` (one entry per line, see :data:`LINE_BREAK`).

    Computed on the whole text at once (lines joined by LF, which none of the
    steps moves or merges): one call each instead of one per line.
    """
    joined = lf_lines(text)
    if HAN.search(joined):
        converted = simplified_lines(joined)
        # OpenCC keeps line breaks; should it ever not, shadow line by line.
        if converted.count("\n") != joined.count("\n"):
            converted = "\n".join(simplified_shadow(line) for line in joined.split("\n"))
    else:
        converted = joined
    if "(" in converted:
        converted = ANNOTATION.sub("", converted)
    # (Every character INVISIBLE matches is of one of these kinds, and every one
    # ARTIFACT matches is a "?" or of the other two.) Asked of the text as it came:
    # neither t2s nor taking out annotations brings in a character of these kinds,
    # and the text's census is known already (the converted one's is not).
    invisible = holds(joined, CONTROLS | FORMAT | BREAKS)
    if "?" in converted or holds(joined, PRIVATE_USE | SPECIALS):
        converted = ARTIFACT.sub("", converted)
    if invisible:
        converted = INVISIBLE.sub("", converted)
    return [line.strip() for line in nfkc(converted).lower().split("\n")]


def has_icp(compact: str) -> bool:
    """Whether a compact line holds an ICP or public-security filing mark (:data:`ICP`)."""
    if "备" not in compact and "证" not in compact:
        return False  # every match holds one of them
    return ICP.search(compact) is not None


def has_copyright(shadow: str) -> bool:
    """Whether a line's shadow holds a copyright mark (:data:`COPYRIGHT`)."""
    if (
        "©" not in shadow
        and "(" not in shadow
        and "版权所有" not in shadow
        and COPYRIGHT_WORD.search(shadow) is None
    ):
        return False  # every match holds one of them
    return COPYRIGHT.search(shadow) is not None


def has_url(shadow: str) -> bool:
    """Whether a line's shadow holds a web address (:data:`URL`)."""
    return URL_HINT.search(shadow) is not None and URL.search(shadow) is not None


def has_email(shadow: str) -> bool:
    """Whether a line's shadow holds an e-mail address (:data:`EMAIL`)."""
    if "." not in shadow or ("@" not in shadow and "#" not in shadow):
        return False  # every match holds a "." and an "@" or "#"
    return EMAIL.search(shadow) is not None


def has_phone(shadow: str) -> bool:
    """Whether a line's shadow holds a phone number (:data:`PHONE`): every one holds
    a "-", a "1" or the "00" of 400/800."""
    if "-" not in shadow and "1" not in shadow and "00" not in shadow:
        return False
    return PHONE.search(shadow) is not None


def measure_line(
    index: int, start: int, end: int, text: str, shadow: str, link_density: float | None = None
) -> Line:
    """The :class:`Line` at ``text[start:end]`` with its measurements and lexicon hits."""
    compact = BULLET.sub("", WHITESPACE.sub("", shadow))
    return Line(
        index,
        start,
        end,
        text[start:end],
        shadow,
        compact,
        len(compact),
        sum(map(len, HAN_RUN.findall(compact))),
        len(PUNCT.findall(compact)),
        hits(compact) if compact else None,
        link_density,
    )


def split_lines(
    text: str,
    link_density: list[float | None] | None = None,
    shadows: list[str] | None = None,
) -> list[Line]:
    """Cut ``text`` into :class:`Line` records with their shadows and lexicon hits.

    ``shadows``: the result of :func:`shadow_lines` on ``text``, when already computed.
    """
    density = link_density or []
    return [
        measure_line(i, start, end, text, shadow, density[i] if i < len(density) else None)
        for i, ((start, end, _), shadow) in enumerate(
            zip(line_spans(text), shadows or shadow_lines(text), strict=True)
        )
    ]
