"""Shared test configuration: the golden-file switch."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# In CI the property and fuzz tests replay the same examples every run, so a red
# build always means a change in the code; exploring new examples is the job of
# the longer fuzz runs (docs/reliability.md), whose findings become pinned examples.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/fixtures/*/expected.* from the current output (review with git diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
