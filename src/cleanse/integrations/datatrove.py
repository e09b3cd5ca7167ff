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

from cleanse.core.pipeline import change_summary
from cleanse.integrations import LazyPipeline


class CleanseStep(LazyPipeline, PipelineStep):  # type: ignore[misc]
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
        PipelineStep.__init__(self)
        LazyPipeline.__init__(self, stages, skip, options, config)
        self.meta_key = meta_key

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
