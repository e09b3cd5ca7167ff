"""The golden-file harness: run one fixture case and compare with its expected files.

A case folder holds exactly one ``input.*`` file, ``expected.txt`` (absent when
the input is skipped or fails), ``expected.report.json`` (the part of the file's
report entry that matters) and optionally ``options.json`` with ``stages``,
``skip`` and ``options`` for the pipeline.

Case names say the stage and the kind of case, as ftfy sorts its test cases:
``<stage>-wild-*`` (real text), ``<stage>-synthetic-*`` (damage we applied),
``<stage>-negative-*`` (looks damaged, must not change) and cases with a
``known-failure.md`` (what we cannot do yet, stated honestly; run as strict xfail).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from cleanse.core.pipeline import Pipeline
from cleanse.io.inputs import InputFile
from cleanse.runner import clean_file

FIXTURES = Path(__file__).parent / "fixtures"
# What --update-golden keeps of each change: enough to pin the behaviour down.
CHANGE_KEYS = ("stage", "start", "end", "before", "after", "reason", "unresolved", "category")


def cases() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and list(p.glob("input.*")))


def run_case(case: Path) -> tuple[str | None, dict[str, Any]]:
    (input_path,) = case.glob("input.*")
    config = (
        json.loads((case / "options.json").read_text("utf-8"))
        if (case / "options.json").exists()
        else {}
    )
    pipeline = Pipeline.from_names(
        config.get("stages"), config.get("skip", []), config.get("options")
    )
    report, text = clean_file(InputFile(input_path, PurePosixPath(input_path.name)), pipeline)
    return text, report.to_dict()


def subset_mismatch(expected: Any, actual: Any, where: str = "report") -> str | None:
    """Describe the first place where ``expected`` is not contained in ``actual``."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            if key not in actual:
                return f"{where}.{key}: missing"
            problem = subset_mismatch(value, actual[key], f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            got = len(actual) if isinstance(actual, list) else actual
            return f"{where}: expected {len(expected)} items, got {got}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            problem = subset_mismatch(e, a, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if expected != actual:
        return f"{where}: expected {expected!r}, got {actual!r}"
    return None


def golden_subset(report: dict[str, Any]) -> dict[str, Any]:
    keep = {k: report[k] for k in ("status", "encoding", "summary") if report.get(k) is not None}
    if report["status"] in ("skipped", "failed"):
        keep["message"] = report["message"]
    keep["changes"] = [{k: c[k] for k in CHANGE_KEYS if k in c} for c in report["changes"]]
    return keep


def write_golden(case: Path, text: str | None, report: dict[str, Any]) -> None:
    expected_txt = case / "expected.txt"
    if text is None:
        expected_txt.unlink(missing_ok=True)
    else:
        expected_txt.write_bytes(text.encode("utf-8"))
    (case / "expected.report.json").write_text(
        json.dumps(golden_subset(report), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
