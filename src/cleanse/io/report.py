"""The run report: built from change records, never from diffing texts.

The schema is documented in ``docs/report.md``; bump ``SCHEMA_VERSION`` on any
incompatible change.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cleanse import __version__
from cleanse.core.document import Change, Document
from cleanse.core.pipeline import Pipeline

SCHEMA_VERSION = 1


@dataclass
class FileReport:
    """What happened to one input."""

    path: str
    status: str  # "cleaned", "unchanged", "skipped" or "failed"
    output: str | None = None
    message: str | None = None
    encoding: str | None = None
    encoding_confidence: float | None = None
    bytes_in: int = 0
    bytes_out: int = 0
    chars_in: int = 0
    chars_out: int = 0
    changes: list[Change] = field(default_factory=list)
    # The decoded input, for the review views; never written to report.json.
    original_text: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_document(
        cls, path: str, output: str | None, doc: Document, bytes_in: int
    ) -> FileReport:
        text_bytes = len(doc.text.encode("utf-8"))
        return cls(
            path=path,
            status="cleaned" if doc.changes else "unchanged",
            output=output,
            encoding=doc.encoding,
            encoding_confidence=doc.encoding_confidence,
            bytes_in=bytes_in,
            bytes_out=text_bytes,
            chars_in=len(doc.original_text or ""),
            original_text=doc.original_text,
            chars_out=len(doc.text),
            changes=list(doc.changes),
        )

    def stage_summary(self) -> dict[str, dict[str, int]]:
        summary: dict[str, dict[str, int]] = {}
        for change in self.changes:
            entry = summary.setdefault(change.stage, {"changes": 0, "unresolved": 0})
            entry["changes"] += 1
            entry["unresolved"] += int(change.unresolved)
        return summary

    @property
    def change_count(self) -> int:
        return len(self.changes)

    @property
    def unresolved_count(self) -> int:
        return sum(1 for c in self.changes if c.unresolved)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "output": self.output,
            "status": self.status,
            "message": self.message,
            "encoding": self.encoding,
            "encoding_confidence": self.encoding_confidence,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "summary": self.stage_summary(),
            "unresolved": sum(1 for c in self.changes if c.unresolved),
            "changes": [c.to_dict() for c in self.changes],
        }


def totals(files: list[FileReport]) -> dict[str, Any]:
    status = Counter(f.status for f in files)
    per_stage: dict[str, dict[str, int]] = {}
    for f in files:
        for stage, entry in f.stage_summary().items():
            agg = per_stage.setdefault(stage, {"changes": 0, "unresolved": 0, "files": 0})
            agg["changes"] += entry["changes"]
            agg["unresolved"] += entry["unresolved"]
            agg["files"] += 1
    return {
        "files": len(files),
        "cleaned": status["cleaned"],
        "unchanged": status["unchanged"],
        "skipped": status["skipped"],
        "failed": status["failed"],
        "bytes_in": sum(f.bytes_in for f in files),
        "bytes_out": sum(f.bytes_out for f in files),
        "changes": sum(f.change_count for f in files),
        "unresolved": sum(f.unresolved_count for f in files),
        "stages": per_stage,
        "problems": _problem_counts(files),
    }


def _problem_counts(files: list[FileReport]) -> dict[str, int]:
    from cleanse.io.problems import count  # it classifies FileReports: imported late

    return count(files)


def build_report(
    files: list[FileReport],
    stages: Pipeline | list[str],
    options: dict[str, Any],
    seconds: float,
) -> dict[str, Any]:
    """The report of a run. Given the pipeline itself, it records every stage's
    effective options (``options`` adds to them), so the run can be reproduced."""
    if isinstance(stages, Pipeline):
        options = {**{s.name: s.options() for s in stages.stages}, **options}
        stages = stages.names
    return {
        "schema_version": SCHEMA_VERSION,
        "cleanse_version": __version__,
        "pipeline": {"stages": stages, "options": options},
        "totals": totals(files),
        "run": {"seconds": round(seconds, 3)},
        "files": [f.to_dict() for f in files],
    }


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"
