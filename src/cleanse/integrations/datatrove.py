"""A datatrove pipeline step (``pip install 'cleanse[datatrove]'``).

In the manner of datatrove's formatters: the step cleans ``doc.text`` and puts
the change counts in ``doc.metadata``; datatrove owns iteration, stats and
timing, and any of its executors can run it::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleanse.integrations.datatrove import CleanseStep

    LocalPipelineExecutor(
        pipeline=[JsonlReader("in/"), CleanseStep(), JsonlWriter("out/")], tasks=4
    ).run()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.typeshelper import StatHints

from cleanse.core.pipeline import Pipeline, change_summary
from cleanse.integrations import build_pipeline


class CleanseStep(PipelineStep):  # type: ignore[misc]
    """Clean each document's text with a cleanse pipeline."""

    name = "🧽 cleanse"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        stages: Sequence[str] | None = None,
        skip: Sequence[str] = (),
        options: Mapping[str, Mapping[str, Any]] | None = None,
        config: str | Path | Mapping[str, Any] | None = None,
        meta_key: str = "cleanse",
    ) -> None:
        super().__init__()
        self.spec = (list(stages) if stages is not None else None, list(skip), options, config)
        self.meta_key = meta_key
        # Built on first use in the worker: executors pickle steps, and a pipeline
        # holds converters that are cheaper to build than to ship.
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

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        pipeline = self.pipeline
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                result = pipeline(doc.text, id=str(doc.id))
                summary = change_summary(result.changes, pipeline.names)
                if result.text != doc.text:
                    self.stat_update("cleaned")
                self.stat_update("changes", value=summary["changes"])
                if summary["unresolved"]:
                    self.stat_update("unresolved", value=summary["unresolved"])
                doc.text = result.text
                doc.metadata[self.meta_key] = summary
            yield doc
