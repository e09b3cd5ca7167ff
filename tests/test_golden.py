"""Every folder under tests/fixtures is a golden case (see tests/golden.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from golden import cases, run_case, subset_mismatch, write_golden


def _param(case: Path) -> object:
    # A known failure states what we cannot do yet; it must keep failing (strict),
    # so that fixing it is noticed and the case moves to the passing kinds.
    note = case / "known-failure.md"
    if note.exists():
        reason = note.read_text("utf-8").strip().splitlines()[0]
        return pytest.param(case, id=case.name, marks=pytest.mark.xfail(reason=reason, strict=True))
    return pytest.param(case, id=case.name)


@pytest.mark.parametrize("case", [_param(c) for c in cases()])
def test_golden(case: Path, update_golden: bool) -> None:
    text, report = run_case(case)
    if update_golden:
        write_golden(case, text, report)
        return
    expected_txt = case / "expected.txt"
    if expected_txt.exists():
        assert text is not None, f"{case.name}: no output ({report['status']}: {report['message']})"
        assert text == expected_txt.read_bytes().decode("utf-8")
    else:
        assert text is None, f"{case.name}: expected no output, got {text!r}"
    expected_report = json.loads((case / "expected.report.json").read_text("utf-8"))
    problem = subset_mismatch(expected_report, report)
    assert problem is None, f"{case.name}: {problem}"
