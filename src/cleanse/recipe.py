"""Recipes: one TOML file that holds a whole pipeline and the options of a run.

A recipe has three tables::

    [pipeline]
    stages = ["decode", "repair", ...]     # the stages that run (always in canonical order)

    [stages.script]                        # one table per stage: its constructor options
    target = "zh-hans"

    [run]                                  # options of `cleanse run` (jobs, fields, ...)

The stage options and their defaults are read from the stages' constructors, so
``cleanse config`` always prints a recipe that matches the code. Errors name the
key and, when the recipe came from a file, its line.
"""

from __future__ import annotations

import inspect
import re
import sys
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from cleanse.core.stage import Stage


class RecipeError(ValueError):
    """A recipe that cannot be used; the message names the key and line."""


@dataclass(frozen=True)
class StageOption:
    """One constructor option of a stage."""

    name: str
    default: Any
    type: Any
    help: str


@dataclass(frozen=True)
class RunOption:
    """One option of a run (provided by the command line layer)."""

    name: str
    default: Any
    type: Any
    help: str


@dataclass
class Recipe:
    """A validated recipe."""

    stages: list[str]
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    run: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"pipeline": {"stages": list(self.stages)}, "stages": self.options, "run": self.run}


def stage_options(cls: type[Stage]) -> list[StageOption]:
    """The keyword options of a stage's constructor, with defaults, types and help."""
    signature = inspect.signature(cls.__init__)
    try:
        hints = typing.get_type_hints(cls.__init__)
    except Exception:
        hints = {}
    helps: Mapping[str, str] = getattr(cls, "option_help", {})
    out = []
    for name, param in signature.parameters.items():
        if name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.default is inspect.Parameter.empty:
            continue  # required arguments (e.g. shared statistics) are not recipe options
        if not _representable(param.default):
            continue
        out.append(StageOption(name, param.default, hints.get(name, Any), helps.get(name, "")))
    return out


def _representable(value: Any) -> bool:
    if isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, (bool, int, float, str)) for v in value)
    return False


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} in a recipe")


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.splitlines() if line.strip()]


def render_default(run_options: Iterable[RunOption] = ()) -> str:
    """The default recipe, fully spelled out and commented."""
    from cleanse import __version__
    from cleanse.stages import DEFAULT_ORDER, STAGES

    lines = [
        f"# cleanse recipe (written by cleanse {__version__}).",
        "# Use it with: cleanse run INPUT --config recipe.toml",
        "# Options given on the command line override the values here.",
        "",
        "[pipeline]",
        "# The stages that run. They always run in this order; leave a name out to skip a stage.",
        "stages = " + _toml_value(list(DEFAULT_ORDER)),
    ]
    for name in DEFAULT_ORDER:
        cls = STAGES[name]
        lines += ["", f"[stages.{name}]", *_comment(cls.description)]
        options = stage_options(cls)
        if not options:
            lines.append("# (no options)")
        for opt in options:
            lines += _comment(opt.help or f"{opt.name} (default {_toml_value(opt.default)})")
            lines.append(f"{opt.name} = {_toml_value(opt.default)}")
    run = list(run_options)
    if run:
        lines += ["", "[run]", "# Options of `cleanse run`."]
        for run_opt in run:
            lines += _comment(run_opt.help)
            if run_opt.default is None:
                lines.append(f"# {run_opt.name} =   (not set)")
            else:
                lines.append(f"{run_opt.name} = {_toml_value(run_opt.default)}")
    return "\n".join(lines) + "\n"


def _line_of(source: str | None, table: str, key: str) -> str:
    """' (line N)' for ``key`` inside ``[table]`` of a TOML text, when it can be found."""
    if not source:
        return ""
    current = ""
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
    assignment = re.compile(r"^\s*\"?([A-Za-z0-9_.-]+?)\"?\s*=")
    for number, line in enumerate(source.splitlines(), 1):
        m = header.match(line)
        if m:
            current = m.group(1).replace(" ", "")
            continue
        m = assignment.match(line)
        if m and current == table and m.group(1) == key:
            return f" (line {number})"
        if not key and current == table:
            return f" (line {number - 1})"
    return ""


def _check_type(value: Any, expected: Any, default: Any) -> bool:
    origin = typing.get_origin(expected)
    if origin is typing.Literal:
        return value in typing.get_args(expected)
    if expected is Any or expected is None:
        expected = type(default) if default is not None else Any
    if expected is Any:
        return True
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_check_type(value, arg, default) for arg in typing.get_args(expected))
    if origin in (list, tuple) or expected in (list, tuple):
        return isinstance(value, list)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(expected, type):
        return isinstance(value, expected)
    return True


def _type_name(expected: Any, default: Any) -> str:
    if typing.get_origin(expected) is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(expected))
    if isinstance(expected, type):
        return expected.__name__
    return type(default).__name__


def load_recipe(
    source: str | Path | Mapping[str, Any], run_options: Iterable[RunOption] | None = None
) -> Recipe:
    """Read and validate a recipe from a TOML file path, TOML text or a dict.

    ``run_options`` lists the keys allowed in ``[run]``; ``None`` accepts any.
    """
    from cleanse.stages import DEFAULT_ORDER, STAGES

    text: str | None = None
    where = "recipe"
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and "=" not in source
    ):
        path = Path(source)
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RecipeError(f"{where}: cannot read recipe: {exc.strerror}") from exc
    elif isinstance(source, str):
        text = source
    if text is not None:
        try:
            data: Mapping[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RecipeError(f"{where}: not valid TOML: {exc}") from exc
    else:
        assert not isinstance(source, (str, Path))
        data = source

    def fail(table: str, key: str, message: str) -> RecipeError:
        dotted = f"{table}.{key}" if key else table
        return RecipeError(f"{where}: {dotted}{_line_of(text, table, key)}: {message}")

    for key in data:
        if key not in ("pipeline", "stages", "run"):
            raise fail(key, "", "unknown table (expected pipeline, stages, run)")

    pipeline = data.get("pipeline", {})
    for key in pipeline:
        if key != "stages":
            raise fail("pipeline", key, "unknown key (expected stages)")
    stages = pipeline.get("stages", list(DEFAULT_ORDER))
    if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
        raise fail("pipeline", "stages", "must be a list of stage names")
    for name in stages:
        if name not in STAGES:
            raise fail(
                "pipeline", "stages", f"unknown stage {name!r}; known: {', '.join(DEFAULT_ORDER)}"
            )

    options: dict[str, dict[str, Any]] = {}
    for name, table in data.get("stages", {}).items():
        if name not in STAGES:
            raise fail(f"stages.{name}", "", f"unknown stage; known: {', '.join(DEFAULT_ORDER)}")
        known = {opt.name: opt for opt in stage_options(STAGES[name])}
        for key, value in table.items():
            opt = known.get(key)
            if opt is None:
                allowed = ", ".join(known) or "none"
                raise fail(f"stages.{name}", key, f"unknown option (this stage takes: {allowed})")
            if not _check_type(value, opt.type, opt.default):
                raise fail(
                    f"stages.{name}",
                    key,
                    f"expected {_type_name(opt.type, opt.default)}, got {type(value).__name__} {value!r}",
                )
        options[name] = dict(table)

    run: dict[str, Any] = dict(data.get("run", {}))
    if run_options is not None:
        known_run = {run_opt.name: run_opt for run_opt in run_options}
        for key, value in run.items():
            run_opt = known_run.get(key)
            if run_opt is None:
                raise fail("run", key, f"unknown run option (known: {', '.join(known_run)})")
            if run_opt.default is not None and not _check_type(
                value, run_opt.type, run_opt.default
            ):
                expected = _type_name(run_opt.type, run_opt.default)
                raise fail("run", key, f"expected {expected}, got {value!r}")
    recipe = Recipe(stages=list(stages), options=options, run=run)
    _check_constructors(recipe, fail)
    return recipe


def _check_constructors(recipe: Recipe, fail: Any) -> None:
    """Build each configured stage once so a bad value fails here, naming its key."""
    from cleanse.stages import STAGES

    for name, table in recipe.options.items():
        try:
            STAGES[name](**table)
        except (TypeError, ValueError) as exc:
            key = next(iter(table), "")
            raise fail(f"stages.{name}", key if len(table) == 1 else "", str(exc)) from exc
