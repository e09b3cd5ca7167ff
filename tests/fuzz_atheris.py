"""Coverage-guided fuzzing of ``clean()`` with atheris (optional: ``pip install -e '.[fuzz]'``).

    python tests/fuzz_atheris.py -max_total_time=600            # ten minutes
    python tests/fuzz_atheris.py -runs=100000 corpus_dir/       # keep the corpus

The first input byte chooses the path: odd, the rest is handed in as bytes
(decode and everything after); even, it is read as a Unicode string. Every
example is checked with the invariants of tests/invariants.py (records that
replay to the texts, idempotence). A crash leaves ``crash-*`` files with the
input: add it to tests/test_regressions.py once fixed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "src"),
]

with atheris.instrument_imports(include=["cleanse"]):
    from cleanse import clean
    from cleanse.core.pipeline import Pipeline
    from cleanse.stages.decode import BinaryInputError

from invariants import check_idempotent, run_checked  # noqa: E402


def one_input(data: bytes) -> None:
    if not data:
        return
    provider = atheris.FuzzedDataProvider(data[1:])
    payload: str | bytes
    if data[0] % 2:
        payload = provider.ConsumeBytes(len(data))
    else:
        payload = provider.ConsumeUnicode(len(data))
    try:
        result = clean(payload)
    except BinaryInputError:
        return
    result.text.encode("utf-8")
    doc = run_checked(Pipeline.default(), payload)
    assert doc is not None and doc.text == result.text
    check_idempotent(result.text)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
