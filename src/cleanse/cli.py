"""The ``cleanse`` command: a thin layer over the library.

Exit codes: 0 every document was read (cleaned, unchanged or skipped as not
text), 1 some documents failed, 2 usage error, 130 interrupted by Ctrl-C
(SIGINT), 143 stopped by SIGTERM.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any

import click

from cleanse import __version__
from cleanse.core.pipeline import Pipeline
from cleanse.io.outputs import OutputLocationError, default_output_dir
from cleanse.io.problems import kinds as problem_kinds
from cleanse.runner import RunResult, run_files
from cleanse.stages import DEFAULT_ORDER, STAGES
from cleanse.stages.decode import BinaryInputError


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _stage_options(script: str | None, punctuation: str | None) -> dict[str, dict[str, Any]]:
    options: dict[str, dict[str, Any]] = {}
    if script is not None:
        options["script"] = {"target": script}
    if punctuation is not None:
        options["punctuation"] = {"policy": punctuation}
    return options


MAX_PROBLEM_LINES = 50


def _problem_lines(result: RunResult) -> list[str]:
    """One line per skipped, failed or odd document (the first few; all are in the report)."""
    lines = []
    for f in result.files:
        if f.status in ("skipped", "failed"):
            lines.append(f"  {f.status}: {f.path}: {f.message}")
        elif problem_kinds(f):
            lines.append(f"  note: {f.path}: {f.message or ', '.join(problem_kinds(f))}")
    if len(lines) > MAX_PROBLEM_LINES:
        more = len(lines) - MAX_PROBLEM_LINES
        lines = [*lines[:MAX_PROBLEM_LINES], f"  ... and {more} more (see report.json)"]
    return lines


def _summary(result: RunResult) -> str:
    totals = result.report["totals"]
    lines = [
        f"files read: {totals['files']}  cleaned: {totals['cleaned']}  unchanged: {totals['unchanged']}"
        f"  skipped: {totals['skipped']}  failed: {totals['failed']}",
        f"changes: {totals['changes']}  could not restore: {totals['unresolved']}"
        f"  time: {result.seconds:.2f}s",
    ]
    for name in DEFAULT_ORDER:
        stage = totals["stages"].get(name)
        if stage:
            lines.append(
                f"  {name:<12} {stage['changes']:>6} changes in {stage['files']} file(s)"
                + (f", {stage['unresolved']} unresolved" if stage["unresolved"] else "")
            )
    problems = totals.get("problems")
    if problems:
        lines.append("problems: " + ", ".join(f"{kind} {n}" for kind, n in problems.items()))
    lines.extend(_problem_lines(result))
    lines.extend(f"note: {note}" for note in result.notes)
    if result.resumed:
        lines.append(f"resumed: {result.resumed} document(s) done by the earlier run kept")
    if result.interrupted is not None:
        lines.append(
            f"interrupted ({signal.Signals(result.interrupted).name}) after {len(result.files)}"
            " document(s): no partial file was written; the report lists what was done;"
            " run again with --resume to finish"
        )
    lines.append(f"output: {result.output_dir}  (report: {result.output_dir / 'report.json'})")
    return "\n".join(lines)


@click.group()
@click.version_option(__version__, prog_name="cleanse")
def main() -> None:
    """Turn damaged scraped text into clean UTF-8, with a report of every change."""


@main.command()
def stages() -> None:
    """List the stages of the default pipeline, in the order they run."""
    for name in DEFAULT_ORDER:
        click.echo(f"{name:<12} {STAGES[name].description}")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output folder (default: INPUT.clean beside the first input).",
)
@click.option(
    "--stages",
    "stage_names",
    metavar="LIST",
    help="Run only these stages, comma-separated (e.g. decode,normalize).",
)
@click.option(
    "--skip", metavar="LIST", help="Leave out these stages, comma-separated (e.g. layout,script)."
)
@click.option(
    "--script",
    type=click.Choice(["zh-hans", "zh-cn", "zh-hant", "zh-tw", "zh-hk", "keep"]),
    help="Target script (default zh-hans).",
)
@click.option(
    "--punctuation",
    type=click.Choice(["cjk", "keep"]),
    help="Restore full-width punctuation in CJK text (default cjk).",
)
@click.option(
    "--max-bytes",
    type=int,
    default=256 * 1024 * 1024,
    show_default=True,
    help="Skip files larger than this.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Keep the documents an earlier (interrupted) run into the same output folder "
    "finished, if their input and output are unchanged; clean the rest.",
)
@click.option(
    "--in-place",
    is_flag=True,
    help="Rewrite changed inputs in place, keeping each original as NAME.orig (never "
    "replacing an existing backup); the report goes to -o or INPUT.clean/.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def run(
    inputs: tuple[Path, ...],
    output: Path | None,
    stage_names: str | None,
    skip: str | None,
    script: str | None,
    punctuation: str | None,
    max_bytes: int,
    resume: bool,
    in_place: bool,
    quiet: bool,
) -> None:
    """Clean INPUTS (files or folders; - for stdin to stdout) into an output folder.

    Writes one UTF-8 file per input, mirroring the input tree, and report.json
    with every change. Inputs are never modified (unless --in-place).

    \b
    Exit codes:
      0    every document was read (cleaned, unchanged, or skipped as not text)
      1    some documents failed (unreadable, an error); the others are done
      2    usage error (bad option, output folder inside the inputs)
      130  interrupted by Ctrl-C (SIGINT); 143 stopped by SIGTERM. No partial
           file is left; the report lists what was done; --resume finishes.
    """
    options = _stage_options(script, punctuation)
    try:
        pipeline = Pipeline.from_names(_split(stage_names), _split(skip) or [], options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc

    if [str(p) for p in inputs] == ["-"]:
        if in_place or resume:
            raise click.UsageError("--in-place and --resume need files, not stdin")
        raw = sys.stdin.buffer.read()
        try:
            cleaned = pipeline(raw, id="<stdin>")
        except BinaryInputError as exc:
            click.echo(f"cleanse: skipped <stdin>: {exc}", err=True)
            sys.exit(1)
        sys.stdout.buffer.write(cleaned.text.encode("utf-8"))
        if not quiet:
            click.echo(f"{len(cleaned.changes)} changes", err=True)
        return
    if any(str(p) == "-" for p in inputs):
        raise click.UsageError("'-' (stdin) cannot be combined with other inputs")
    if max_bytes < 0:
        raise click.UsageError("--max-bytes must be 0 or more")

    out_dir = output or default_output_dir(list(inputs))
    try:
        result = run_files(
            list(inputs),
            out_dir,
            pipeline,
            options=options,
            max_bytes=max_bytes,
            resume=resume,
            in_place=in_place,
        )
    except OutputLocationError as exc:
        raise click.UsageError(str(exc)) from exc
    if not quiet or result.interrupted is not None:
        click.echo(_summary(result), err=result.interrupted is not None and quiet)
    if result.exit_code:
        sys.exit(result.exit_code)
