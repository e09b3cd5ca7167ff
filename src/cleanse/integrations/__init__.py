"""cleanse inside other tools: a datatrove step and a Hugging Face ``datasets`` map function.

Each builds the same :class:`~cleanse.Pipeline` the command line builds, from
stage names and options or from a recipe, so the output is the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cleanse.core.pipeline import Pipeline


def build_pipeline(
    stages: Sequence[str] | None = None,
    skip: Sequence[str] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
    config: str | Path | Mapping[str, Any] | None = None,
) -> Pipeline:
    """A pipeline from a recipe (``config``) or from stage names and options."""
    if config is not None:
        return Pipeline.from_config(config)
    return Pipeline.from_names(stages, skip, options)


class LazyPipeline:
    """Holds what builds a pipeline and builds it on first use.

    Executors and ``Dataset.map(num_proc=...)`` pickle the step or function for
    each worker: the spec travels, and each worker builds its own pipeline.
    """

    def __init__(
        self,
        stages: Sequence[str] | None = None,
        skip: Sequence[str] = (),
        options: Mapping[str, Mapping[str, Any]] | None = None,
        config: str | Path | Mapping[str, Any] | None = None,
    ) -> None:
        self.spec = (list(stages) if stages is not None else None, list(skip), options, config)
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            stages, skip, options, config = self.spec
            self._pipeline = build_pipeline(stages, skip, options, config)
        return self._pipeline

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_pipeline"] = None
        return state
