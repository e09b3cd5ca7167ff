"""The small core every stage shares: documents, change records, stages, pipelines."""

from cleanse.core.document import Change, Document, Edit
from cleanse.core.pipeline import Pipeline, Result
from cleanse.core.stage import Stage, TextStage

__all__ = ["Change", "Document", "Edit", "Pipeline", "Result", "Stage", "TextStage"]
