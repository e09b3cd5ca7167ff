"""Pipelines: an ordered list of stages, and the library entry point ``clean``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleanse.core.document import Change, Document
from cleanse.core.stage import Stage

StageOptions = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Result:
    """What :func:`cleanse.clean` returns: the clean text and every change made."""

    text: str
    changes: tuple[Change, ...]
    document: Document

    @property
    def encoding(self) -> str | None:
        return self.document.encoding

    @property
    def unresolved(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.unresolved)


def change_summary(changes: Iterable[Change], stages: Iterable[str]) -> dict[str, Any]:
    """Per-document change counts with a fixed shape (every stage of the pipeline
    present), so that columnar outputs (Arrow, Parquet) get one schema."""
    stages = dict.fromkeys(stages, 0)
    unresolved = 0
    for change in changes:
        stages[change.stage] = stages.get(change.stage, 0) + 1
        unresolved += int(change.unresolved)
    return {"changes": sum(stages.values()), "unresolved": unresolved, "stages": stages}


class Pipeline:
    """An ordered list of stages applied one after another to each document."""

    def __init__(self, stages: Iterable[Stage]) -> None:
        self.stages: list[Stage] = list(stages)
        # How to rebuild this pipeline in another process (set by from_names).
        self.spec: tuple[tuple[str, ...], dict[str, dict[str, Any]]] | None = None
        names = [s.name for s in self.stages]
        if len(set(names)) != len(names):
            raise ValueError(f"a stage appears twice in the pipeline: {names}")

    @classmethod
    def from_names(
        cls,
        names: Sequence[str] | None = None,
        skip: Sequence[str] = (),
        options: StageOptions | None = None,
    ) -> Pipeline:
        """Build a pipeline from registered stage names (default: all, in order).

        ``options`` maps a stage name to the keyword arguments of its constructor.
        """
        from cleanse.stages import DEFAULT_ORDER, STAGES

        chosen = list(names) if names is not None else list(DEFAULT_ORDER)
        unknown = [n for n in [*chosen, *skip] if n not in STAGES]
        if unknown:
            raise ValueError(
                f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(DEFAULT_ORDER)}"
            )
        options = options or {}
        unknown_opts = [n for n in options if n not in STAGES]
        if unknown_opts:
            raise ValueError(f"options given for unknown stage(s): {', '.join(unknown_opts)}")
        # Stages always run in the canonical order, whatever order they were named in.
        ordered = [n for n in DEFAULT_ORDER if n in chosen and n not in skip]
        pipeline = cls(STAGES[n](**dict(options.get(n, {}))) for n in ordered)
        pipeline.spec = (tuple(ordered), {n: dict(options[n]) for n in ordered if n in options})
        return pipeline

    @classmethod
    def from_config(cls, source: str | Path | Mapping[str, Any]) -> Pipeline:
        """Build the pipeline a recipe describes (a TOML path, TOML text or a dict)."""
        from cleanse.recipe import load_recipe

        recipe = load_recipe(source)
        return cls.from_names(recipe.stages, (), recipe.options)

    @classmethod
    def default(cls, **options: Mapping[str, Any]) -> Pipeline:
        """The default pipeline; ``options`` as ``stage_name={option: value}``."""
        return cls.from_names(options=options)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def run(self, doc: Document) -> Document:
        for stage in self.stages:
            doc = stage(doc)
        return doc

    def __call__(self, data: str | bytes | Document, id: str = "<input>") -> Result:
        doc = data if isinstance(data, Document) else Document.from_input(data, id=id)
        if doc.needs_decoding and "decode" not in self.names:
            from cleanse.stages.decode import DecodeStage

            doc = DecodeStage()(doc)
        out = self.run(doc)
        return Result(text=out.text, changes=out.changes, document=out)

    def __repr__(self) -> str:
        return f"Pipeline({', '.join(self.names)})"


def clean(
    data: str | bytes,
    stages: Sequence[str] | None = None,
    skip: Sequence[str] = (),
    **options: Mapping[str, Any],
) -> Result:
    """Clean one text or byte string with the default (or a chosen) pipeline.

    >>> clean("雙擊\\u200b這裡\\r\\n", stages=["normalize"]).text
    '雙擊這裡\\n'
    """
    return Pipeline.from_names(stages, skip, options)(data)
