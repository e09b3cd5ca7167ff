"""A map function for Hugging Face ``datasets``.

::

    from cleanse.integrations.hf_datasets import CleanseMap

    ds = ds.map(CleanseMap(text_field="text"), batched=True, num_proc=4)

The text column is replaced by the clean text and a ``cleanse`` column holds
each document's change summary (total, unresolved, per stage) with one fixed
shape, so Arrow keeps a single schema across batches and processes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cleanse.core.pipeline import change_summary
from cleanse.integrations import LazyPipeline


class CleanseMap(LazyPipeline):
    """A picklable callable for ``Dataset.map(..., batched=True, num_proc=N)``."""

    def __init__(
        self,
        text_field: str = "text",
        summary_field: str = "cleanse",
        stages: Sequence[str] | None = None,
        skip: Sequence[str] = (),
        options: Mapping[str, Mapping[str, Any]] | None = None,
        config: str | Path | Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(stages, skip, options, config)
        self.text_field = text_field
        self.summary_field = summary_field

    def __call__(self, batch: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
        pipeline = self.pipeline
        texts: list[str] = []
        summaries: list[dict[str, Any]] = []
        for text in batch[self.text_field]:
            result = pipeline(text if text is not None else "")
            texts.append(result.text)
            summaries.append(change_summary(result.changes, pipeline.names))
        return {self.text_field: texts, self.summary_field: summaries}


def clean_batch(batch: Mapping[str, list[Any]], text_field: str = "text") -> dict[str, list[Any]]:
    """The default pipeline as a plain function, for ``Dataset.map(clean_batch, batched=True)``."""
    return CleanseMap(text_field=text_field)(batch)
