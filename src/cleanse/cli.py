"""The ``cleanse`` command: a thin layer over the library.

Exit codes: 0 every document was read (cleaned, unchanged or skipped as not
text), 1 some documents failed, 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from cleanse import __version__
from cleanse.core.pipeline import Pipeline
from cleanse.corpus import CorpusOptions
from cleanse.io.outputs import OutputLocationError, default_output_dir
from cleanse.runner import RunResult, run_files
from cleanse.scale import ScaleOptions, corpus_file_to_file, corpus_summary, run_corpus_file
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
    for f in result.files:
        if f.status in ("skipped", "failed"):
            lines.append(f"  {f.status}: {f.path}: {f.message}")
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
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes (default 0: every core).",
)
@click.option(
    "--text-field",
    default="text",
    show_default=True,
    help="JSONL/Parquet: the field holding each document's text.",
)
@click.option(
    "--id-field", default="id", show_default=True, help="JSONL/Parquet: the document id field."
)
@click.option(
    "--meta-field",
    default="cleanse",
    show_default=True,
    help="JSONL/Parquet: field for per-document change counts ('' for none).",
)
@click.option(
    "--stream-above",
    type=click.IntRange(min=0),
    default=64 * 1024 * 1024,
    show_default=True,
    help="Clean text files larger than this in blocks of paragraphs (0: never).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="dask: run on a Dask cluster (pip install 'cleanse[dask]').",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the scheduler (tcp://host:8786); default a local cluster.",
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
    jobs: int,
    text_field: str,
    id_field: str,
    meta_field: str,
    stream_above: int,
    engine: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Clean INPUTS (files or folders; - for stdin to stdout) into an output folder.

    Writes one UTF-8 file per input, mirroring the input tree, and report.json
    with every change. Inputs are never modified.
    """
    options = _stage_options(script, punctuation)
    try:
        pipeline = Pipeline.from_names(_split(stage_names), _split(skip) or [], options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc

    if [str(p) for p in inputs] == ["-"]:
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

    scale = ScaleOptions(
        jobs=jobs,
        stream_above=stream_above,
        corpus=CorpusOptions(text_field, id_field, meta_field or None),
    )
    if engine == "local" and corpus_file_to_file(list(inputs), output):
        assert output is not None
        report, _, report_path = run_corpus_file(inputs[0], output, pipeline, scale, options)
        if not quiet:
            click.echo(corpus_summary(report, report_path))
        sys.exit(1 if report.status == "failed" else 0)
    out_dir = output or default_output_dir(list(inputs))
    try:
        if engine == "dask":
            from cleanse.engines.dask import run_dask

            result = run_dask(list(inputs), out_dir, pipeline, scale, options, max_bytes, scheduler)
        else:
            result = run_files(
                list(inputs), out_dir, pipeline, options=options, max_bytes=max_bytes, scale=scale
            )
    except OutputLocationError as exc:
        raise click.UsageError(str(exc)) from exc
    if not quiet:
        click.echo(_summary(result))
    if result.failed:
        sys.exit(1)
