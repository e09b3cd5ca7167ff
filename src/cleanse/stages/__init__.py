"""The stages, one module each, and the default order they run in."""

from __future__ import annotations

from cleanse.core.stage import Stage
from cleanse.stages.annotations import AnnotationsStage
from cleanse.stages.boilerplate import BoilerplateStage
from cleanse.stages.decode import DecodeStage
from cleanse.stages.layout import LayoutStage
from cleanse.stages.normalize import NormalizeStage
from cleanse.stages.punctuation import PunctuationStage
from cleanse.stages.repair import RepairStage
from cleanse.stages.script import ScriptStage

STAGES: dict[str, type[Stage]] = {
    cls.name: cls
    for cls in (
        DecodeStage,
        RepairStage,
        AnnotationsStage,
        BoilerplateStage,
        LayoutStage,
        ScriptStage,
        PunctuationStage,
        NormalizeStage,
    )
}

DEFAULT_ORDER: tuple[str, ...] = tuple(STAGES)

__all__ = [
    "DEFAULT_ORDER",
    "STAGES",
    "AnnotationsStage",
    "BoilerplateStage",
    "DecodeStage",
    "LayoutStage",
    "NormalizeStage",
    "PunctuationStage",
    "RepairStage",
    "ScriptStage",
]
