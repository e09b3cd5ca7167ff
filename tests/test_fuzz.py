"""Fuzz targets over ``clean()``: any text and any bytes, through the default pipeline.

CI runs a few hundred examples (seconds). For a long run, set the number:

    CLEANSE_FUZZ_EXAMPLES=200000 pytest -q tests/test_fuzz.py -p no:cacheprovider

Every failure hypothesis finds is shrunk to a small input; add it as an
``@example`` in tests/test_regressions.py once fixed.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanse import clean
from cleanse.core.pipeline import Pipeline
from cleanse.stages.decode import BinaryInputError
from invariants import any_bytes, any_text, check_idempotent, run_checked

EXAMPLES = int(os.environ.get("CLEANSE_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,  # each run explores afresh; findings are pinned as explicit examples
)


def _fuzz_one(data: str | bytes) -> None:
    try:
        result = clean(data)
    except BinaryInputError:
        assert isinstance(data, bytes)
        return
    result.text.encode("utf-8")
    doc = run_checked(Pipeline.default(), data)
    assert doc is not None and doc.text == result.text, "clean() and the stages disagree"
    check_idempotent(result.text)


@FUZZ
@given(data=st.one_of(any_text, st.text(alphabet=st.characters(codec="utf-8"), max_size=400)))
def test_fuzz_clean_text(data: str) -> None:
    _fuzz_one(data)


@FUZZ
@given(data=any_bytes)
def test_fuzz_clean_bytes(data: bytes) -> None:
    _fuzz_one(data)
