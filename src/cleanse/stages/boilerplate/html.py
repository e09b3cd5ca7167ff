"""HTML to plain text with block structure, before the line classifier runs.

beautifulsoup4 with the lxml parser. Dropped whole: scripts, styles, forms and
their controls, embedded objects, ``nav``/``header``/``footer``/``aside``, and
hidden elements (``hidden``, ``aria-hidden="true"``, ``display:none``,
``visibility:hidden``). Every block element ends a paragraph; paragraphs are
separated by a blank line. Whitespace follows HTML: runs collapse to one
space, and a line break between two CJK characters disappears (as browsers
render it). The share of each paragraph that is link text is kept for the
classifier. The title comes from the first ``<h1>``; without one, from
``<title>`` (its site-name suffix cut off).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cleanse.lang.chars import is_cjk

# beautifulsoup4 takes a tenth of a second to import and only HTML input needs it:
# it is imported when a page is extracted, not when the stage is built.
if TYPE_CHECKING:
    from bs4 import Tag
    from bs4.element import PageElement

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
DROPPED = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
        "form", "input", "button", "select", "textarea", "iframe", "object", "embed",
        "svg", "canvas", "video", "audio", "map", "dialog", "menu", "head",
    }
)  # fmt: skip
BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
        "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "thead", "tbody",
        "tfoot", "caption", "blockquote", "pre", "figure", "figcaption", "address", "hr",
        "br", "center", "body", "html", "details", "summary",
    }
)  # fmt: skip
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
SNIFF = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
TAGS = re.compile(r"</?(?:p|div|br|span|a|body|table|li|h[1-6])\b[^>]*>", re.I)
SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace only: U+3000 and NBSP are text
TITLE_SUFFIX = re.compile(r"\s*(?:[-_|–—·]|::)\s*[^-_|–—·]{1,30}$")


def looks_like_html(text: str, suffix: str | None) -> bool:
    """``.html``/``.htm`` files, or text that starts like an HTML page or is full of tags."""
    if suffix in HTML_SUFFIXES:
        return True
    head = text[:4096]
    if SNIFF.match(head):
        return True
    return len(TAGS.findall(head)) >= 8


@dataclass
class Extraction:
    text: str
    link_density: list[float | None]  # per line of ``text``
    title_line: int | None  # the line holding the title
    title_source: str | None  # "h1", "title" or None
    dropped: Counter[str] = field(default_factory=Counter)
    hidden: int = 0
    paragraphs: int = 0

    def summary(self) -> str:
        parts = [f"{n} <{tag}>" for tag, n in sorted(self.dropped.items())]
        if self.hidden:
            parts.append(f"{self.hidden} hidden element{'s' if self.hidden > 1 else ''}")
        dropped = f"dropped {', '.join(parts)}; " if parts else ""
        title = f"; title from <{self.title_source}>" if self.title_source else ""
        return f"HTML to text: {dropped}markup removed, {self.paragraphs} paragraphs kept{title}"


def _hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    return bool(HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _join(pieces: list[str]) -> str:
    """Collapse HTML whitespace; a break between two CJK characters vanishes."""
    raw = "".join(pieces)
    out: list[str] = []
    pos = 0
    for m in SPACE.finditer(raw):
        out.append(raw[pos : m.start()])
        before = raw[m.start() - 1] if m.start() else ""
        after = raw[m.end()] if m.end() < len(raw) else ""
        newline = "\n" in m.group() or "\r" in m.group()
        if not (newline and before and after and is_cjk(before) and is_cjk(after)):
            out.append(" ")
        pos = m.end()
    out.append(raw[pos:])
    return "".join(out).strip()


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[tuple[str, float, str | None]] = []  # text, link share, tag
        self.pieces: list[str] = []
        self.link_chars = 0
        self.block_tag: str | None = None
        self.dropped: Counter[str] = Counter()
        self.hidden = 0

    def flush(self) -> None:
        text = _join(self.pieces)
        if text:
            visible = len(text.replace(" ", "")) or 1
            self.blocks.append((text, min(1.0, self.link_chars / visible), self.block_tag))
        self.pieces, self.link_chars, self.block_tag = [], 0, None

    def walk(self, root: Tag) -> None:
        """Depth-first over the tree with an explicit stack: pages nest deeper than
        Python's recursion limit allows (and must not crash the run)."""
        from bs4 import Tag
        from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction

        # Each frame: the children still to visit, inside a link, inside <pre>, is a block.
        stack: list[tuple[Iterator[PageElement], bool, bool, bool]] = [
            (iter(root.children), False, False, False)
        ]
        while stack:
            children, in_link, pre, block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if block:
                    self.flush()
                continue
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                text = str(child)
                if pre:
                    for i, part in enumerate(text.split("\n")):
                        if i:
                            self.flush()
                        self.pieces.append(part)
                else:
                    self.pieces.append(text)
                if in_link:
                    self.link_chars += len(SPACE.sub("", text))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in DROPPED:
                self.dropped[name] += 1
                continue
            if _hidden(child):
                self.hidden += 1
                continue
            is_block = name in BLOCKS
            if is_block:
                self.flush()
                if name in ("h1", "h2", "h3", "figcaption", "li", "p", "td", "th", "dt", "dd"):
                    self.block_tag = name
            if name == "img" and child.get("alt") and self.block_tag == "figcaption":
                self.pieces.append(str(child.get("alt")))
            stack.append(
                (iter(child.children), in_link or name == "a", pre or name == "pre", is_block)
            )


def extract(html: str) -> Extraction:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    walker = _Walker()
    title_text = None
    if soup.title and soup.title.string:
        title_text = SPACE.sub(" ", soup.title.string).strip()
    if soup.head is not None:
        for tag in soup.head.find_all(("script", "style", "noscript", "template")):
            walker.dropped[tag.name] += 1
    root = soup.body or soup
    walker.walk(root)
    walker.flush()
    blocks = walker.blocks
    title_index: int | None = next((k for k, b in enumerate(blocks) if b[2] == "h1"), None)
    title_source: str | None = "h1" if title_index is not None else None
    if title_index is None and title_text:
        short = TITLE_SUFFIX.sub("", title_text).strip() or title_text
        blocks.insert(0, (short, 0.0, "title"))
        title_index, title_source = 0, "title"
    lines: list[str] = []
    density: list[float | None] = []
    for k, (text, share, _tag) in enumerate(blocks):
        if k:
            lines.append("")
            density.append(None)
        lines.append(text)
        density.append(share)
    text = "\n".join(lines) + ("\n" if lines else "")
    return Extraction(
        text=text,
        link_density=[*density, None],
        title_line=2 * title_index if title_index is not None else None,
        title_source=title_source,
        dropped=walker.dropped,
        hidden=walker.hidden,
        paragraphs=len(blocks),
    )
