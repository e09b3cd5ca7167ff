"""report.html: the run's report for people.

An index page (``report.html``) with a sortable, filterable table of files,
and one page per cleaned file under ``report.files/`` with the original and the
clean text inline: every change coloured by its stage, its reason on hover and
in the list beside the text, removed blocks folded with their category,
unresolved spans marked. Pages are self-contained (inline CSS and script, no
network) and hold no timings or absolute paths, so the same run writes the
same bytes. Per-file pages are written as the run goes, so only one small row
per file is kept in memory.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cleanse import __version__
from cleanse.core.document import Document
from cleanse.io.outputs import atomic_write
from cleanse.io.report import FileReport
from cleanse.io.safety import uninterrupted
from cleanse.io.trace import LineIndex, Piece, Placed, Trace, TraceError, trace
from cleanse.io.visible import WHITESPACE_GLYPHS, codepoint_label, is_invisible

INDEX_NAME = "report.html"
PAGES_DIR = "report.files"

# One colour per stage, in pipeline order; stages not listed get FALLBACK_COLOUR.
STAGE_COLOURS: dict[str, str] = {
    "decode": "#8d6e63",
    "repair": "#d32f2f",
    "annotations": "#8e24aa",
    "boilerplate": "#616161",
    "layout": "#1e88e5",
    "script": "#2e7d32",
    "punctuation": "#ef6c00",
    "normalize": "#00897b",
}
FALLBACK_COLOUR = "#5c6bc0"

CONTEXT_LINES = 3  # unchanged lines kept on each side of a change
FOLD_MIN_LINES = 4  # a shorter unchanged stretch is shown whole
FOLD_MAX_CHARS = 60_000  # a longer unchanged stretch is left out of the page, not folded
BLOCK_MIN_LINES = 2  # a removal of this many lines or more is shown folded
BLOCK_MIN_CHARS = 240
LIST_MAX_ROWS = 3000  # rows in a page's change list
ROWS_SHOWN = 500  # rows of the index laid out at once (sorting and filtering stay quick)
PAGE_MAX_CHARS = 4_000_000  # the inline text stops there; report.json and --diff have the rest


def stage_colour(stage: str) -> str:
    return STAGE_COLOURS.get(stage, FALLBACK_COLOUR)


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _css_name(stage: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "_", stage.lower())


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _visible(text: str, breaks: bool = True) -> str:
    """Changed text with whitespace and invisible characters made visible.

    The glyph (class ``mk``) is shown in the change view; the character itself
    (class ``rw``) in the plain original/clean views. Without ``breaks`` a
    newline is only a glyph in the change view, so removed line breaks do not
    stretch the page.
    """
    out: list[str] = []
    for ch in text:
        if ch == "\n":
            out.append(
                '<i class="mk">↵</i>\n' if breaks else '<i class="mk">↵</i><i class="rw">\n</i>'
            )
        elif ch in WHITESPACE_GLYPHS:
            out.append(f'<i class="mk">{WHITESPACE_GLYPHS[ch]}</i><i class="rw">{ch}</i>')
        elif is_invisible(ch):  # CR, zero-width and control characters, odd spaces
            # Keep the character itself for the plain views (copying a view must give
            # the text); C0/C1 controls cannot appear in an HTML document.
            raw = "" if unicodedata.category(ch) == "Cc" and ch != "\r" else _esc(ch)
            out.append(f'<i class="mk cp">{codepoint_label(ch)}</i><i class="rw">{raw}</i>')
        else:
            out.append(_esc(ch))
    return "".join(out)


def _lines_label(count: int) -> str:
    return f"{count} line{'s' if count != 1 else ''}"


# ---------------------------------------------------------------- shared page parts

_BASE_CSS = """
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--panel:#f6f8fa;--warn:#c62828}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:14px 22px 10px;border-bottom:1px solid var(--line);background:var(--panel)}
h1{font-size:19px;margin:0 0 6px}
h1 small{font-weight:400;color:var(--muted);font-size:13px;margin-left:8px}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
.meta{color:var(--muted);display:flex;flex-wrap:wrap;gap:6px 18px;margin:4px 0}
.meta b{color:var(--fg);font-weight:600}
.chip{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;line-height:20px;color:#fff;white-space:nowrap}
.chip.n{background:#fff;color:var(--fg);border:1px solid var(--line)}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:6px 14px;margin-top:8px}
.bar label{cursor:pointer;white-space:nowrap;user-select:none}
.bar .sep{color:var(--line)}
button,select,input[type=search]{font:inherit;font-size:13px;border:1px solid var(--line);border-radius:6px;background:#fff;padding:2px 8px}
button.on{background:#0969da;color:#fff;border-color:#0969da}
.warn{color:var(--warn);font-weight:600}
.note{color:var(--muted);font-style:italic}
"""


def _stage_css(stages: Iterable[str]) -> str:
    rules = []
    for stage in stages:
        name = _css_name(stage)
        colour = stage_colour(stage)
        rules.append(
            f".s-{name}{{--c:{colour};--ci:{_rgba(colour, 0.16)};--cd:{_rgba(colour, 0.10)}}}"
            f".off-{name} .c.s-{name} del,.off-{name} details.c.s-{name},"
            f".off-{name} tr.s-{name}{{display:none}}"
            f".off-{name} .c.s-{name} ins,.off-{name} .c.s-{name}.unres{{background:none;"
            f"border:0;outline:0;text-decoration:none}}"
            f".off-{name} .c.s-{name} ins .mk{{display:none}}"
        )
    return "".join(rules)


def _chip(stage: str, text: str | None = None) -> str:
    return (
        f'<span class="chip" style="background:{stage_colour(stage)}">'
        f"{_esc(text if text is not None else stage)}</span>"
    )


def _page(title: str, css: str, body: str, script: str, body_class: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="generator" content="cleanse {_esc(__version__)}">'
        f"<title>{_esc(title)}</title><style>{_BASE_CSS}{css}</style></head>"
        f'<body class="{body_class}">{body}<script>{script}</script></body></html>\n'
    )


# ---------------------------------------------------------------- a file's page

_FILE_CSS = """
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(320px,2fr);gap:0;align-items:start}
#text{padding:16px 22px;min-width:0}
.doc{white-space:pre-wrap;word-break:break-word;font:15px/1.75 "Noto Sans Mono CJK SC","Noto Sans CJK SC",ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;tab-size:4}
.c{border-radius:3px;cursor:help}
.c del{background:var(--cd);color:var(--c);text-decoration:line-through;text-decoration-color:var(--c)}
.c ins,ins.c{background:var(--ci);text-decoration:none;border-bottom:2px solid var(--c)}
.c.unres,ins.c.unres{outline:2px dashed var(--warn);outline-offset:1px;background:#fff3b0}
.c.flash{box-shadow:0 0 0 3px #0969da}
i.mk{font-style:normal;opacity:.75}i.rw{display:none}i.cp{font-size:10px;border:1px solid currentColor;border-radius:3px;padding:0 2px;margin:0 1px;vertical-align:1px}
details.c{display:block;margin:2px 0;border-left:4px solid var(--c);background:var(--cd);padding:2px 10px;white-space:normal}
details.c>summary{cursor:pointer;color:var(--c);font:600 12px/1.8 system-ui,sans-serif;list-style-position:inside}
details.c>del{display:block;white-space:pre-wrap;color:var(--muted);text-decoration:line-through;text-decoration-color:var(--c);background:none}
details.fold{display:block;margin:2px 0;white-space:normal}
details.fold>summary{cursor:pointer;color:var(--muted);font:12px/1.9 system-ui,sans-serif;background:var(--panel);border:1px dashed var(--line);border-radius:4px;padding:0 10px;list-style-position:inside}
details.fold>span{white-space:pre-wrap}
.omitted{display:block;color:var(--muted);font:12px/1.9 system-ui,sans-serif;background:var(--panel);border:1px dashed var(--line);padding:0 10px}
aside{position:sticky;top:0;max-height:100vh;overflow:auto;border-left:1px solid var(--line);background:#fcfcfd}
aside h2{font-size:13px;margin:0;padding:10px 14px;border-bottom:1px solid var(--line);background:var(--panel);position:sticky;top:0;z-index:1}
table.changes{border-collapse:collapse;width:100%;font-size:12.5px}
table.changes td{padding:5px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
table.changes tr{cursor:pointer}table.changes tr:hover{background:#f3f6fa}
table.changes tr.sel{background:#ddf4ff}
td.n{color:var(--muted);text-align:right;width:1%}
td.pos{color:var(--muted);white-space:nowrap;font-family:ui-monospace,monospace;font-size:11.5px}
.ba{font-family:"Noto Sans Mono CJK SC",ui-monospace,monospace;word-break:break-all}
.ba del{color:#b42318;background:#fee4e2;text-decoration:none;padding:0 2px;border-radius:2px}
.ba ins{color:#05603a;background:#d1fadf;text-decoration:none;padding:0 2px;border-radius:2px}
.why{color:var(--muted)}
.tag{font-size:11px;border:1px solid var(--line);border-radius:8px;padding:0 6px;margin-left:4px;white-space:nowrap}
.tag.u{color:var(--warn);border-color:var(--warn)}
.og{display:none}
.v-original .og{display:inline;white-space:pre-wrap}
.v-original .c del,.v-original .c ins,.v-original ins.c,.v-clean .c del,.v-clean details.c,.v-original .mk,.v-clean .mk{display:none}
.v-clean i.rw{display:inline}
.v-clean .c ins,.v-clean ins.c{color:inherit;background:none;text-decoration:none;border:0}
.v-original details.c{border:0;background:none;padding:0;margin:0;display:inline;white-space:pre-wrap}
.v-original details.c>summary{display:none}
.v-original details.fold[open],.v-clean details.fold[open]{display:inline;margin:0;white-space:pre-wrap}
.v-original details.fold[open]>summary,.v-clean details.fold[open]>summary{display:none}
.v-original .c.unres,.v-clean .c.unres{outline:0;background:none}
@media (max-width:900px){main{grid-template-columns:1fr}aside{position:static;max-height:none;border-left:0;border-top:1px solid var(--line)}}
"""

_FILE_JS = r"""
(function(){
var b=document.body;
function view(v){b.classList.remove('v-changes','v-original','v-clean');b.classList.add('v-'+v);
 document.querySelectorAll('[data-view]').forEach(function(x){x.classList.toggle('on',x.dataset.view===v)});
 if(v==='original'){document.querySelectorAll('details.c').forEach(function(d){d.open=true})}}
document.querySelectorAll('[data-view]').forEach(function(x){x.addEventListener('click',function(){view(x.dataset.view)})});
function stages(){document.querySelectorAll('input[data-stage]').forEach(function(x){
 b.classList.toggle('off-'+x.dataset.stage,!x.checked)})}
document.querySelectorAll('input[data-stage]').forEach(function(x){x.addEventListener('change',stages)});
var only=(location.hash.match(/only=([\w,-]+)/)||[])[1];
if(only){var keep=only.split(',');document.querySelectorAll('input[data-stage]').forEach(function(x){x.checked=keep.indexOf(x.dataset.stage)>=0})}
stages();
var all=document.getElementById('unfold');
if(all){all.addEventListener('click',function(){var open=all.dataset.open!=='1';all.dataset.open=open?'1':'0';
 all.textContent=open?'fold unchanged text':'show all text';
 document.querySelectorAll('details.fold').forEach(function(d){d.open=open})})}
function flash(el){el.classList.add('flash');setTimeout(function(){el.classList.remove('flash')},1200)}
document.querySelectorAll('table.changes tr[data-c]').forEach(function(r){r.addEventListener('click',function(){
 var el=document.getElementById('c'+r.dataset.c)||document.getElementById('c'+r.dataset.then);if(!el)return;
 var d=el.closest('details.fold');if(d)d.open=true;
 el.scrollIntoView({block:'center'});flash(el)})});
document.querySelectorAll('.c[id]').forEach(function(el){el.addEventListener('click',function(e){
 var r=document.getElementById('r'+el.id.slice(1));if(!r)return;
 document.querySelectorAll('tr.sel').forEach(function(x){x.classList.remove('sel')});
 r.classList.add('sel');r.scrollIntoView({block:'nearest'})})});
})();
"""


def _change_title(placed: Placed, number: int) -> str:
    change = placed.change
    parts = [f"#{number} {change.stage}: {change.reason}"]
    if change.category:
        parts.append(f"category: {change.category}")
    if change.confidence < 1.0:
        parts.append(f"confidence {change.confidence:.2f}")
    if change.unresolved:
        parts.append("could not restore")
    return " · ".join(parts)


def _split_unchanged(text: str, first: bool, last: bool) -> tuple[str, str, str]:
    """Cut an unchanged stretch into (shown head, folded middle, shown tail).

    The head is the rest of the previous change's line plus ``CONTEXT_LINES``
    lines; the tail is ``CONTEXT_LINES`` lines plus the start of the next
    change's line. The first stretch has no head, the last no tail.
    """
    lines = text.split("\n")
    keep_head = 0 if first else CONTEXT_LINES + 1
    keep_tail = 0 if last else CONTEXT_LINES + 1
    if len(lines) < keep_head + keep_tail + FOLD_MIN_LINES:
        return text, "", ""
    head = "\n".join(lines[:keep_head]) + "\n" if keep_head else ""
    tail = "\n".join(lines[len(lines) - keep_tail :]) if keep_tail else ""
    return head, text[len(head) : len(text) - len(tail)], tail


def _render_unchanged(text: str, first: bool, last: bool, fold_id: int) -> str:
    head, middle, tail = _split_unchanged(text, first, last)
    if not middle:
        return _esc(text)
    count = middle.count("\n")
    if len(middle) > FOLD_MAX_CHARS:
        folded = (
            f'<span class="omitted">{_lines_label(count)} unchanged, left out of this page '
            f"({len(middle):,} characters; see the output file)</span>"
        )
    else:
        folded = (
            f'<details class="fold" id="f{fold_id}"><summary>{_lines_label(count)} unchanged'
            f"</summary><span>{_esc(middle)}</span></details>"
        )
    return f"{_esc(head)}{folded}{_esc(tail)}"


def _render_change(piece: Piece, placed: Placed, number: int, original: str) -> str:
    """One piece of a change. ``original`` is the original text the piece stands for,
    shown only in the *original* view (the *changes* view shows what each stage saw)."""
    change = placed.change
    stage = _css_name(change.stage)
    unres = " unres" if change.unresolved else ""
    title = _esc(_change_title(placed, number))
    if not piece.head:
        return f'<ins class="c s-{stage}{unres}" title="{title}">{_visible(piece.text)}</ins>'
    attrs = f'id="c{placed.index}" class="c s-{stage}{unres}" title="{title}"'
    removed = piece.removed
    og = f'<span class="og">{_esc(original)}</span>' if original else ""
    if piece.history:  # an earlier step of a chain a later change rewrote
        return (
            f'<span id="c{placed.index}" class="c hist s-{stage}{unres}" title="{title}">'
            f"<del>{_visible(removed, breaks=False)}</del>{og}</span>"
        )
    if removed == piece.text:  # seen but kept: mark the span
        return f"<mark {attrs}><ins>{_visible(piece.text)}</ins>{og}</mark>"
    if not piece.text and (
        removed.count("\n") >= BLOCK_MIN_LINES
        or len(removed) >= BLOCK_MIN_CHARS
        or (change.category is not None and removed.endswith("\n"))
    ):
        what = change.category or change.reason
        lines = removed.count("\n") + (0 if removed.endswith("\n") else 1)
        summary = f"{change.stage} · removed {what} · {_lines_label(lines)}"
        return (
            f'<details id="c{placed.index}" class="c block s-{stage}{unres}" title="{title}">'
            f"<summary>{_esc(summary)}"
            f"</summary><del>{_esc(removed)}</del>{og}</details>"
        )
    inner = f"<del>{_visible(removed, breaks=False)}</del>" if removed else ""
    if piece.text:
        inner += f"<ins>{_visible(piece.text)}</ins>"
    return f"<span {attrs}>{inner}{og}</span>"


def render_text(result: Trace, numbers: dict[int, int]) -> str:
    """The inline diff: unchanged text, with changes marked and long stretches folded."""
    by_index = {p.index: p for p in result.placed}
    out: list[str] = []
    size = 0
    orig = 0
    pieces = result.pieces
    for i, piece in enumerate(pieces):
        if size > PAGE_MAX_CHARS:
            rest = sum(1 for p in pieces[i:] if p.change is not None and p.head)
            out.append(
                f'<span class="omitted">The page stops here: {rest:,} more changes and the rest '
                "of the text are in report.json and in cleanse run --diff.</span>"
            )
            break
        if piece.change is None:
            if piece.text:
                out.append(_render_unchanged(piece.text, i == 0, i == len(pieces) - 1, i))
        else:
            original = result.original[orig : orig + piece.orig_len]
            placed = by_index[piece.change]
            out.append(_render_change(piece, placed, numbers[piece.change], original))
        orig += piece.orig_len
        size += len(out[-1]) if out else 0
    return "".join(out)


def _before_after(before: str, after: str, limit: int = 120) -> str:
    def cut(text: str) -> str:
        return text if len(text) <= limit else text[: limit - 1] + "…"

    if before == after:
        return f'<span class="ba"><ins>{_visible(cut(after))}</ins> (kept)</span>'
    return (
        f'<span class="ba"><del>{_visible(cut(before)) or "∅"}</del> → '
        f"<ins>{_visible(cut(after)) or '∅'}</ins></span>"
    )


def render_change_list(result: Trace, numbers: dict[int, int]) -> str:
    original_lines = LineIndex(result.original)
    final_lines = LineIndex(result.final)
    rows = []
    ordered = result.reading_order()
    for placed in ordered[:LIST_MAX_ROWS]:
        change = placed.change
        number = numbers[placed.index]
        ol, oc = original_lines.line_col(placed.orig_start)
        fl, fc = final_lines.line_col(placed.final_start)
        tags = ""
        if change.category:
            tags += f'<span class="tag">{_esc(change.category)}</span>'
        if change.unresolved:
            tags += '<span class="tag u">could not restore</span>'
        if change.confidence < 1.0:
            tags += f'<span class="tag">confidence {change.confidence:.2f}</span>'
        if placed.superseded_by is not None:
            tags += f'<span class="tag">then #{numbers[placed.superseded_by]}</span>'
        where = f"{ol}:{oc} → {fl}:{fc}"
        if change.stage == "decode":
            where += f"<br>byte {change.start}"
        rows.append(
            f'<tr id="r{placed.index}" class="s-{_css_name(change.stage)}" data-c="{placed.index}"'
            f' data-then="{placed.superseded_by if placed.superseded_by is not None else ""}">'
            f'<td class="n">{number}</td><td>{_chip(change.stage)}</td>'
            f'<td class="pos" title="line:column in the original → in the clean text">{where}</td>'
            f"<td>{_before_after(change.before, change.after)}"
            f'<div class="why">{_esc(change.reason)}{tags}</div></td></tr>'
        )
    more = len(ordered) - LIST_MAX_ROWS
    if more > 0:
        rows.append(
            f'<tr><td colspan="4" class="note">… {more:,} more changes: see report.json</td></tr>'
        )
    return '<table class="changes">' + "".join(rows) + "</table>"


def _fallback_text(doc: Document, problem: str) -> str:
    return (
        f'<p class="warn">The change records do not replay onto the text ({_esc(problem)}); '
        f"the clean text is shown without marks.</p>{_esc(doc.text)}"
    )


def render_file_page(
    entry: FileReport,
    doc: Document,
    stages: Sequence[str],
    index_href: str,
    prev_href: str | None = None,
    next_href: str | None = None,
    number: int = 1,
) -> str:
    """One file's page: header with its figures, controls, the inline diff and the change list."""
    present = list(dict.fromkeys([*stages, *(c.stage for c in doc.changes)]))
    summary = entry.stage_summary()
    try:
        result: Trace | None = trace(doc)
        problem = ""
    except TraceError as exc:
        result, problem = None, str(exc)
    numbers: dict[int, int] = {}
    if result is not None:
        numbers = {p.index: n for n, p in enumerate(result.reading_order(), 1)}
    unresolved = sum(1 for c in doc.changes if c.unresolved)

    nav = [f'<a href="{_esc(index_href)}">← all files</a>']
    if prev_href:
        nav.append(f'<a href="{_esc(prev_href)}" rel="prev">‹ previous</a>')
    if next_href:
        nav.append(f'<a href="{_esc(next_href)}" rel="next">next ›</a>')
    nav.append(f"<span>file {number}</span>")
    encoding = entry.encoding or "?"
    if entry.encoding_confidence is not None:
        encoding += f" ({entry.encoding_confidence:.2f})"
    meta = [
        f"encoding <b>{_esc(encoding)}</b>",
        f"bytes <b>{entry.bytes_in:,}</b> → <b>{entry.bytes_out:,}</b>",
        f"characters <b>{entry.chars_in:,}</b> → <b>{entry.chars_out:,}</b>",
        f"changes <b>{len(doc.changes):,}</b>",
        (
            f'<span class="warn">{unresolved} could not be restored</span>'
            if unresolved
            else "nothing left unresolved"
        ),
    ]
    chips = " ".join(_chip(s, f"{s} {summary[s]['changes']}") for s in present if s in summary)
    toggles = "".join(
        f'<label><input type="checkbox" data-stage="{_css_name(s)}" checked> {_chip(s)} '
        f"{summary[s]['changes']}</label>"
        for s in present
        if s in summary
    )
    controls = (
        '<div class="bar"><span>view</span>'
        '<button data-view="changes" class="on">changes</button>'
        '<button data-view="original">original</button>'
        '<button data-view="clean">clean</button>'
        '<span class="sep">|</span><span>stages</span>'
        f'<span id="stages">{toggles or "<span class=note>no changes</span>"}</span>'
        '<span class="sep">|</span><button id="unfold">show all text</button></div>'
    )
    if result is not None:
        text_html = render_text(result, numbers)
        listing = render_change_list(result, numbers)
    else:
        text_html = _fallback_text(doc, problem)
        listing = ""
    body = (
        f'<header><div class="meta">{" ".join(nav)}</div>'
        f"<h1>{_esc(entry.path)}<small>{_esc(entry.status)}</small></h1>"
        f'<div class="meta">{"".join(f"<span>{m}</span>" for m in meta)}</div>'
        f'<div class="bar">{chips}</div>{controls}</header>'
        f'<main><section id="text"><div class="doc">{text_html}</div></section>'
        f"<aside><h2>{len(doc.changes):,} changes in reading order "
        f'<span class="note">(position: original → clean)</span></h2>{listing}</aside></main>'
    )
    css = _FILE_CSS + _stage_css(present)
    return _page(f"{entry.path} · cleanse report", css, body, _FILE_JS, "v-changes")


# ---------------------------------------------------------------- the index page

_INDEX_CSS = """
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0 4px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:6px 14px;min-width:120px}
.card b{display:block;font-size:20px}
.card span{color:var(--muted);font-size:12px}
.wrap{padding:10px 22px 30px}

table.files{border-collapse:collapse;width:100%;font-size:13px}
table.files td.path{min-width:220px}
table.files th{position:sticky;top:0;background:var(--panel);border-bottom:2px solid var(--line);padding:6px 8px;text-align:left;cursor:pointer;white-space:nowrap;user-select:none}
table.files th.num,table.files td.num{text-align:right}
table.files th[aria-sort=ascending]::after{content:" ▲"}
table.files th[aria-sort=descending]::after{content:" ▼"}
table.files td{padding:5px 8px;border-bottom:1px solid #eaeef2;white-space:nowrap}
table.files td.path{white-space:normal;word-break:break-all}
table.files tr:hover td{background:#f6f8fa}
td.st{text-align:right;font-variant-numeric:tabular-nums}
td.st.z{color:#c8ccd1}
td.st span{display:inline-block;min-width:28px;border-radius:9px;padding:0 6px;color:#fff;text-align:center}
td.u{color:var(--warn);font-weight:600}
.status-skipped td,.status-failed td{color:var(--muted)}
.status-failed td.status{color:var(--warn)}
#shown{color:var(--muted)}
"""

_INDEX_JS = r"""
(function(){
var table=document.getElementById('files'),body=table.tBodies[0];
var rows=Array.prototype.slice.call(body.rows);
table.querySelectorAll('th').forEach(function(th,col){th.addEventListener('click',function(){
 var dir=th.getAttribute('aria-sort')==='ascending'?-1:1,num=th.classList.contains('num');
 table.querySelectorAll('th').forEach(function(x){x.removeAttribute('aria-sort')});
 th.setAttribute('aria-sort',dir>0?'ascending':'descending');
 var keyed=rows.map(function(r){var c=r.cells[col],v=c.dataset.v;if(v===undefined)v=c.textContent;
  return [num?(parseFloat(v)||0):v,+r.dataset.n,r]});
 keyed.sort(function(a,b){return (a[0]<b[0]?-1:a[0]>b[0]?1:0)*dir||a[1]-b[1]});
 rows=keyed.map(function(k){return k[2]});
 var f=document.createDocumentFragment();rows.forEach(function(r){f.appendChild(r)});body.appendChild(f);filter()})});
var stage=document.getElementById('stage'),unres=document.getElementById('unres'),q=document.getElementById('q');
var more=document.getElementById('more'),limit=ROWS_SHOWN;
function filter(){var s=stage.value,u=unres.checked,t=q.value.toLowerCase(),n=0;
 rows.forEach(function(r){var ok=(!s||(r.dataset.stages||'').split(' ').indexOf(s)>=0)&&(!u||r.dataset.u!=='0')&&(!t||r.dataset.path.indexOf(t)>=0);
  r.hidden=!ok||n>=limit;if(ok)n++;
  var a=r.querySelector('a[data-page]');if(a)a.href=a.dataset.page+(s?'#only='+s:'')});
 document.getElementById('shown').textContent=n+' of '+rows.length+' files'+(n>limit?' (first '+limit+' shown)':'');
 more.hidden=n<=limit}
more.addEventListener('click',function(){limit+=ROWS_SHOWN*2;filter()});
[stage,unres].forEach(function(x){x.addEventListener('change',filter)});q.addEventListener('input',filter);
filter();
})();
"""


def _fmt_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover


def _percent(ratio: float) -> str:
    return f"{ratio:+.1f}%" if abs(ratio) >= 0.05 else "0.0%"


def render_index(report: dict[str, Any], pages: Sequence[str | None]) -> str:
    """The run's index page: totals, stage legend and filter, the sortable table of files."""
    totals = report["totals"]
    pipeline: list[str] = list(report["pipeline"]["stages"])
    seen = [s for s in totals["stages"] if s not in pipeline]
    stages = pipeline + seen
    files: list[dict[str, Any]] = report["files"]

    cards = [
        (f"{totals['files']:,}", "files"),
        (f"{totals['cleaned']:,}", "cleaned"),
        (f"{totals['unchanged']:,}", "unchanged"),
        (f"{totals['skipped']:,} / {totals['failed']:,}", "skipped / failed"),
        (f"{totals['changes']:,}", "changes"),
        (f"{totals['unresolved']:,}", "could not restore"),
        (f"{_fmt_bytes(totals['bytes_in'])} → {_fmt_bytes(totals['bytes_out'])}", "size"),
    ]
    cards_html = "".join(f'<div class="card"><b>{v}</b><span>{k}</span></div>' for v, k in cards)
    legend = " ".join(
        _chip(s, f"{s} {totals['stages'].get(s, {}).get('changes', 0):,}") for s in stages
    )
    options = report["pipeline"].get("options") or {}
    options_text = (
        "; ".join(f"{k}: {', '.join(f'{a}={b}' for a, b in v.items())}" for k, v in options.items())
        or "defaults"
    )
    stage_options = "".join(
        f'<option value="{_css_name(s)}">{_esc(s)}</option>'
        for s in stages
        if totals["stages"].get(s)
    )
    head_cells = [
        '<th class="num">#</th>',
        "<th>file</th>",
        "<th>status</th>",
        "<th>encoding</th>",
        *(f'<th class="num" title="changes by {_esc(s)}">{_esc(s)}</th>' for s in stages),
        '<th class="num" title="could not restore">unresolved</th>',
        '<th class="num">bytes in</th>',
        '<th class="num">bytes out</th>',
        '<th class="num">change</th>',
    ]
    padded = [*pages, *([None] * (len(files) - len(pages)))][: len(files)]
    rows = []
    for n, (entry, page) in enumerate(zip(files, padded, strict=True), 1):
        summary: dict[str, dict[str, int]] = entry.get("summary") or {}
        path = entry["path"]
        if page:
            link = f'<a href="{_esc(page)}" data-page="{_esc(page)}">{_esc(path)}</a>'
        else:
            link = _esc(path)
        if entry.get("message"):
            link += f'<div class="note">{_esc(entry["message"])}</div>'
        encoding = entry.get("encoding") or ""
        conf = entry.get("encoding_confidence")
        enc_cell = _esc(encoding) + (
            f' <span class="note">{conf:.2f}</span>'
            if conf is not None and round(conf, 2) < 1
            else ""
        )
        cells = [
            f'<td class="num" data-v="{n}">{n}</td>',
            f'<td class="path">{link}</td>',
            f'<td class="status">{_esc(entry["status"])}</td>',
            f"<td>{enc_cell}</td>",
        ]
        for s in stages:
            count = summary.get(s, {}).get("changes", 0)
            if count:
                cells.append(
                    f'<td class="st" data-v="{count}"><span style="background:'
                    f'{stage_colour(s)}">{count:,}</span></td>'
                )
            else:
                cells.append('<td class="st z" data-v="0">·</td>')
        unresolved = int(entry.get("unresolved") or 0)
        cells.append(
            f'<td class="num{" u" if unresolved else ""}" data-v="{unresolved}">'
            f"{unresolved or ''}</td>"
        )
        bytes_in, bytes_out = int(entry.get("bytes_in") or 0), int(entry.get("bytes_out") or 0)
        ratio = (bytes_out - bytes_in) / bytes_in * 100 if bytes_in and page else 0.0
        cells += [
            f'<td class="num" data-v="{bytes_in}">{bytes_in:,}</td>',
            f'<td class="num" data-v="{bytes_out}">{bytes_out:,}</td>',
            f'<td class="num" data-v="{ratio:.2f}">{_percent(ratio) if page else ""}</td>',
        ]
        changed = " ".join(_css_name(s) for s in summary)
        rows.append(
            f'<tr class="status-{_esc(entry["status"])}" data-n="{n}" data-stages="{changed}"'
            f"{' hidden' if n > ROWS_SHOWN else ''} "
            f'data-u="{unresolved}" data-path="{_esc(path.lower())}">{"".join(cells)}</tr>'
        )
    body = (
        f"<header><h1>cleanse report<small>cleanse {_esc(str(report.get('cleanse_version')))}"
        f" · report.json schema {_esc(str(report.get('schema_version')))}</small></h1>"
        f'<div class="meta"><span>stages <b>{_esc(" → ".join(pipeline))}</b></span>'
        f"<span>options <b>{_esc(options_text)}</b></span></div>"
        f'<div class="cards">{cards_html}</div><div class="bar">{legend}</div>'
        '<div class="bar"><label>files changed by <select id="stage"><option value="">any stage'
        f"</option>{stage_options}</select></label>"
        '<label><input type="checkbox" id="unres"> only with unresolved spans</label>'
        '<input type="search" id="q" placeholder="filter by path">'
        '<span id="shown"></span></div></header>'
        f'<div class="wrap"><table class="files" id="files"><thead><tr>{"".join(head_cells)}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        '<p><button id="more" hidden>show more files</button></p>'
        '<p class="note">Click a column to sort; open a file to see each change in its text '
        "(hover a change for its reason).</p></div>"
    )
    script = _INDEX_JS.replace("ROWS_SHOWN", str(ROWS_SHOWN))
    return _page("cleanse report", _INDEX_CSS, body, script)


# ---------------------------------------------------------------- writing a run's report


class HtmlReportWriter:
    """Writes the per-file pages as files are cleaned, and the index at the end.

    A page is written one file late, once the next file's name is known, so the
    pages can link to the previous and next file without keeping documents.
    """

    def __init__(self, output_dir: Path, stages: Sequence[str]) -> None:
        self.output_dir = output_dir
        self.pages_dir = output_dir / PAGES_DIR
        self.stages = list(stages)
        # Page of each file by its path: files may be added out of input order.
        self.pages: dict[str, str | None] = {}
        self._pending: tuple[FileReport, Document, str, str | None] | None = None
        self._count = 0
        self._clear_old_pages()

    def _clear_old_pages(self) -> None:
        if not self.pages_dir.is_dir():
            return
        for old in self.pages_dir.iterdir():
            if re.fullmatch(r"\d+\.html", old.name):
                old.unlink()

    def add(self, entry: FileReport, doc: Document | None) -> None:
        """Record one file of the run; ``doc`` is ``None`` for a skipped or failed file."""
        if doc is None or doc.original_text is None:
            self.pages[entry.path] = None
            return
        self._count += 1
        name = f"{self._count:05d}.html"
        self.pages[entry.path] = f"{PAGES_DIR}/{name}"
        if self._pending is not None:
            self._write(*self._pending, next_name=name)
        previous = self._pending[2] if self._pending is not None else None
        self._pending = (entry, doc, name, previous)

    def _write(
        self, entry: FileReport, doc: Document, name: str, prev: str | None, next_name: str | None
    ) -> None:
        number = int(name.split(".")[0])
        page = render_file_page(
            entry,
            doc,
            self.stages,
            index_href=f"../{INDEX_NAME}",
            prev_href=prev,
            next_href=next_name,
            number=number,
        )
        # A signal waits for the page to be written: no temporary file is left.
        with uninterrupted():
            atomic_write(self.pages_dir / name, page.encode("utf-8"))

    def finish(self, report: dict[str, Any]) -> Path:
        """Write the last page and the index; return the index's path."""
        if self._pending is not None:
            self._write(*self._pending, next_name=None)
            self._pending = None
        index = self.output_dir / INDEX_NAME
        pages = [self.pages.get(f["path"]) for f in report["files"]]
        atomic_write(index, render_index(report, pages).encode("utf-8"))
        return index
