"""What a run shows in the terminal: a progress bar and the end-of-run summary table."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

import click

from cleanse.io.inputs import discover
from cleanse.io.report import FileReport

if TYPE_CHECKING:
    from cleanse.runner import RunResult

PROGRESS_MIN_FILES = 5  # fewer files finish before a bar would tell anything


class Progress:
    """A progress bar on stderr for runs of more than a few files, when stderr is a terminal.

    Use as a context manager and pass :meth:`update` as the runner's ``on_file``.
    """

    def __init__(self, inputs: Sequence[Path], enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.bar: Any = None
        if not enabled or not self.stream.isatty():
            return
        total = sum(1 for _ in discover(inputs))
        if total > PROGRESS_MIN_FILES:
            self.bar = click.progressbar(
                length=total,
                label="cleaning",
                file=self.stream,
                show_pos=True,
                show_eta=True,
                item_show_func=lambda path: path,
            )

    def __enter__(self) -> Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.__exit__(exc_type, exc, tb)

    def update(self, report: FileReport) -> None:
        if self.bar is not None:
            self.bar.update(1, report.path[-40:])


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"  # pragma: no cover


def summary_table(result: RunResult, stage_order: Sequence[str] = ()) -> str:
    """The end-of-run summary: file counts, a per-stage table, sizes, time and throughput."""
    report = result.report
    totals = report["totals"]
    stages: list[str] = list(report["pipeline"]["stages"])
    stages += [s for s in stage_order if s in totals["stages"] and s not in stages]
    stages += [s for s in totals["stages"] if s not in stages]
    lines = [
        f"files read: {totals['files']}  cleaned: {totals['cleaned']}  unchanged: {totals['unchanged']}"
        f"  skipped: {totals['skipped']}  failed: {totals['failed']}",
        "",
        f"  {'stage':<13}{'files':>7}{'changes':>10}{'unresolved':>12}{'time':>10}",
    ]
    for name in stages:
        entry = totals["stages"].get(name, {"files": 0, "changes": 0, "unresolved": 0})
        seconds = result.stage_seconds.get(name, 0.0)
        lines.append(
            f"  {name:<13}{entry['files']:>7,}{entry['changes']:>10,}{entry['unresolved']:>12,}"
            f"{seconds:>9.2f}s"
        )
    lines.append(
        f"  {'total':<13}{totals['cleaned']:>7,}{totals['changes']:>10,}{totals['unresolved']:>12,}"
        f"{result.seconds:>9.2f}s"
    )
    seconds = max(result.seconds, 1e-9)
    bytes_in, bytes_out = totals["bytes_in"], totals["bytes_out"]
    lines += [
        "",
        f"bytes: {_size(bytes_in)} in → {_size(bytes_out)} out"
        + (f" ({(bytes_out - bytes_in) / bytes_in * 100:+.1f}%)" if bytes_in else ""),
        f"changes: {totals['changes']}  could not restore: {totals['unresolved']}"
        f"  time: {result.seconds:.2f}s  ({_size(bytes_in / seconds)}/s, "
        f"{totals['files'] / seconds:,.1f} files/s)",
    ]
    for f in result.files:
        if f.status in ("skipped", "failed"):
            lines.append(f"  {f.status}: {f.path}: {f.message}")
    views = "report.json" + (", report.html" if result.html else "")
    lines.append(f"output: {result.output_dir}  ({views})")
    if result.html:
        lines.append(f"open: {result.html.resolve().as_uri()}")
    return "\n".join(lines)
