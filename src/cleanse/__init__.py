"""cleanse: turn damaged scraped text into clean UTF-8, recording every change."""

from cleanse import native

native.guard()  # before any compiled module is imported: a stale build runs from source

from cleanse.core.document import Change, Document, Edit  # noqa: E402
from cleanse.core.pipeline import Pipeline, Result, clean  # noqa: E402
from cleanse.core.stage import Stage, TextStage  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "Change",
    "Document",
    "Edit",
    "Pipeline",
    "Result",
    "Stage",
    "TextStage",
    "__version__",
    "clean",
]
