"""The ``cleanse`` command: a thin layer over the library.

Exit codes: 0 every document was read (cleaned, unchanged or skipped as not
text), 1 some documents failed, 2 usage error, 3 stopped early by a worker
process's death, 130 interrupted by Ctrl-C (SIGINT), 143 stopped by SIGTERM.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cleanse import __version__, native
from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.corpus import CorpusOptions
from cleanse.io.diff import document_diff, write_diff_file
from cleanse.io.explain import explain as explain_document
from cleanse.io.outputs import OutputLocationError, default_output_dir
from cleanse.io.problems import kinds as problem_kinds
from cleanse.io.report import FileReport
from cleanse.io.terminal import Progress, summary_table
from cleanse.recipe import RecipeError, RunOption, load_recipe, render_default
from cleanse.runner import RunResult, run_files
from cleanse.scale import ScaleOptions, corpus_file_to_file, corpus_summary, run_corpus_file
from cleanse.stages import DEFAULT_ORDER, STAGES
from cleanse.stages.decode import BinaryInputError
from cleanse.stages.punctuation import POLICIES as PUNCTUATION_POLICIES
from cleanse.stages.script import TARGETS as SCRIPT_TARGETS


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def pipeline_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose the pipeline, shared by `run` and `explain`."""
    for option in reversed(
        (
            click.option(
                "--stages",
                "stage_names",
                metavar="LIST",
                help="Run only these stages, comma-separated (e.g. decode,normalize).",
            ),
            click.option(
                "--skip",
                metavar="LIST",
                help="Leave out these stages, comma-separated (e.g. layout,script).",
            ),
            click.option(
                "--script",
                type=click.Choice(SCRIPT_TARGETS),
                help="Target script (default zh-hans).",
            ),
            click.option(
                "--punctuation",
                type=click.Choice(PUNCTUATION_POLICIES),
                help="Restore full-width punctuation in CJK text (default cjk).",
            ),
        )
    ):
        command = option(command)
    return command


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
    lines = [summary_table(result, DEFAULT_ORDER)]
    totals = result.report["totals"]
    problems = totals.get("problems")
    if problems:
        lines.append("problems: " + ", ".join(f"{kind} {n}" for kind, n in problems.items()))
    # summary_table lists skipped and failed files; add the notes about the others.
    lines.extend(line for line in _problem_lines(result) if line.startswith("  note:"))
    lines.extend(f"note: {note}" for note in result.notes)
    if result.resumed:
        lines.append(f"resumed: {result.resumed} document(s) done by the earlier run kept")
    if result.interrupted is not None:
        lines.append(
            f"interrupted ({signal.Signals(result.interrupted).name}) after {len(result.files)}"
            " document(s): no partial file was written; the report lists what was done;"
            " run again with --resume to finish"
        )
    if result.aborted is not None:
        lines.append(
            f"stopped early: {result.aborted}, after {len(result.files)} document(s):"
            " no partial file was written; the report lists what was done; run again with"
            " --resume to finish (with fewer --jobs if memory is short)"
        )
    return "\n".join(lines)


@click.group()
@click.version_option(
    __version__, prog_name="cleanse", message=f"%(prog)s %(version)s ({native.describe()})"
)
def main() -> None:
    """Turn damaged scraped text into clean UTF-8, with a report of every change."""


@main.command()
def stages() -> None:
    """List the stages of the default pipeline, in the order they run."""
    for name in DEFAULT_ORDER:
        click.echo(f"{name:<12} {STAGES[name].description}")


# `run` parameters that describe the pipeline or this one invocation rather than
# a reusable run setting; everything else can be set in a recipe's [run] table.
NOT_IN_RECIPE = {
    "inputs",
    "output",
    "config_path",
    "quiet",
    "stage_names",
    "skip",
    "script",
    "punctuation",
    "corpus_boilerplate",  # a stage option: [stages.boilerplate] corpus = true
}


def _run_options() -> list[RunOption]:
    options = []
    for param in run.params:
        if not isinstance(param, click.Option) or param.name is None or param.name in NOT_IN_RECIPE:
            continue
        default = param.default if isinstance(param.default, (bool, int, float, str)) else None
        if param.is_flag and default is None:
            default = False
        kind: Any = {click.INT: int, click.FLOAT: float, click.BOOL: bool, click.STRING: str}.get(
            param.type, type(default) if default is not None else Any
        )
        if param.is_flag:
            kind = bool
        options.append(RunOption(param.name, default, kind, param.help or ""))
    return options


def _load_recipe_option(ctx: click.Context, _: click.Parameter, path: Path | None) -> Path | None:
    """Read the recipe before the other options, so its [run] values become their defaults."""
    if path is None:
        return None
    try:
        recipe = load_recipe(path, _run_options())
    except RecipeError as exc:
        raise click.UsageError(str(exc)) from exc
    ctx.meta["cleanse.recipe"] = recipe
    ctx.default_map = {**(ctx.default_map or {}), **recipe.run}
    return path


@main.command()
def config() -> None:
    """Print the default recipe, fully spelled out and commented.

    Save it (cleanse config > recipe.toml), edit it, and use it with
    cleanse run INPUT --config recipe.toml.
    """
    click.echo(render_default(_run_options()), nl=False)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output folder (default: INPUT.clean beside the first input).",
)
@pipeline_options
@click.option(
    "--max-bytes",
    type=int,
    default=256 * 1024 * 1024,
    show_default=True,
    help="Skip files larger than this.",
)
@click.option(
    "--corpus-boilerplate",
    is_flag=True,
    help="Also remove lines that repeat across many documents of one folder (site).",
)
@click.option("--no-html", is_flag=True, help="Do not write report.html.")
@click.option(
    "--diff",
    type=click.Choice(["stdout", "files"]),
    help="Unified diffs of original and clean text: to stdout, or as OUTPUT.diff beside each output.",
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
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    is_eager=True,
    callback=_load_recipe_option,
    help="A recipe file (see `cleanse config`); command-line options override it.",
)
@click.pass_context
def run(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    output: Path | None,
    stage_names: str | None,
    skip: str | None,
    script: str | None,
    punctuation: str | None,
    max_bytes: int,
    corpus_boilerplate: bool,
    no_html: bool,
    diff: str | None,
    jobs: int,
    text_field: str,
    id_field: str,
    meta_field: str,
    stream_above: int,
    engine: str,
    scheduler: str | None,
    resume: bool,
    in_place: bool,
    quiet: bool,
    config_path: Path | None,
) -> None:
    """Clean INPUTS (files or folders; - for stdin to stdout) into an output folder.

    Writes one UTF-8 file per input, mirroring the input tree, report.json with
    every change and report.html to review them. Inputs are never modified
    (unless --in-place).

    \b
    Exit codes:
      0    every document was read (cleaned, unchanged, or skipped as not text)
      1    some documents failed (unreadable, an error); the others are done
      2    usage error (bad option, output folder inside the inputs)
      3    stopped early: a worker process died (out of memory?). As below.
      130  interrupted by Ctrl-C (SIGINT); 143 stopped by SIGTERM. No partial
           file is left; the report lists what was done; --resume finishes.
    """
    recipe = ctx.meta.get("cleanse.recipe")
    recipe_stages: list[str] | None = recipe.stages if recipe else None
    options: dict[str, dict[str, Any]] = (
        {name: dict(table) for name, table in recipe.options.items()} if recipe else {}
    )
    for name, table in _stage_options(script, punctuation).items():
        options.setdefault(name, {}).update(table)
    if corpus_boilerplate:
        options.setdefault("boilerplate", {})["corpus"] = True
    try:
        pipeline = Pipeline.from_names(
            _split(stage_names) or recipe_stages, _split(skip) or [], options
        )
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

    def show_diff(report: FileReport, doc: Document | None) -> None:
        if doc is None or report.output is None:
            return
        if diff == "files":
            write_diff_file(out_dir, report.output, doc)
        else:
            click.echo(document_diff(report.output, doc), nl=False)

    try:
        with Progress(list(inputs), enabled=not quiet) as progress:
            if engine == "dask":
                from cleanse.engines.dask import run_dask

                result = run_dask(
                    list(inputs),
                    out_dir,
                    pipeline,
                    scale,
                    options,
                    max_bytes,
                    scheduler,
                    html=not no_html,
                )
            else:
                result = run_files(
                    list(inputs),
                    out_dir,
                    pipeline,
                    options=options,
                    max_bytes=max_bytes,
                    on_file=progress.update,
                    html=not no_html,
                    on_document=show_diff if diff else None,
                    scale=scale,
                    resume=resume,
                    in_place=in_place,
                )
    except OutputLocationError as exc:
        raise click.UsageError(str(exc)) from exc
    if not quiet or not result.complete:
        # With diffs on stdout, the summary goes to stderr so stdout stays a clean patch.
        click.echo(_summary(result), err=diff == "stdout" or (not result.complete and quiet))
    if result.exit_code:
        sys.exit(result.exit_code)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@pipeline_options
def explain(
    file: Path,
    stage_names: str | None,
    skip: str | None,
    script: str | None,
    punctuation: str | None,
) -> None:
    """Clean FILE in memory and print each change in reading order, with its reason.

    Positions are line:column in the original text → in the clean text.
    Nothing is written.
    """
    options = _stage_options(script, punctuation)
    try:
        pipeline = Pipeline.from_names(_split(stage_names), _split(skip) or [], options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        result = pipeline(file.read_bytes(), id=file.name)
    except BinaryInputError as exc:
        click.echo(f"cleanse: skipped {file}: {exc}", err=True)
        sys.exit(1)
    click.echo(explain_document(result.document, str(file)), nl=False)
