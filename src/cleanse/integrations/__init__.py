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
