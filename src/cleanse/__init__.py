"""cleanse: turn damaged scraped text into clean UTF-8, recording every change."""

from cleanse.core.document import Change, Document, Edit
from cleanse.core.pipeline import Pipeline, Result, clean
from cleanse.core.stage import Stage, TextStage

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
