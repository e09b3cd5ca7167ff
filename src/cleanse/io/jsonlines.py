"""One JSON value as one line of a JSON Lines file: compact, UTF-8, newline-ended.

Output documents and report lines of a corpus are written by :func:`json_line`.
orjson serialises them (a heavily damaged corpus's report lines are several
times the size of its text, and the standard library's encoder took a sixth of
such a run); what orjson refuses is written by the standard library with the
same separators: integers beyond 64 bits, and lone surrogates, which a JSON
input may hold as ``\\ud800`` escapes and which are written back as escapes, so
a line round-trips and the run goes on. The two write the same bytes but for a
float in exponent form (``1e-7`` and ``1e-07``, the same number).

JSON has no spelling for NaN and the infinities; Python reads and writes them as
``NaN`` and ``Infinity``, where orjson would write ``null``. A line read with
them (:func:`read_json_line`) is written back by the standard library, so that
a field passed through keeps its value.
"""

from __future__ import annotations

import json
import re
from typing import Any

try:  # a dependency; the standard library alone gives the same lines, slower
    import orjson
except ImportError:  # pragma: no cover - exercised through stdlib_json_line
    orjson = None  # type: ignore[assignment]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def stdlib_json_line(value: Any) -> bytes:
    """:func:`json_line` with the standard library's encoder."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # A surrogate can only sit inside a string literal, where its escape means it.
    text = _LONE_SURROGATE.sub(_escape, text)
    return (text + "\n").encode("utf-8")


def read_json_line(data: bytes | str) -> tuple[Any, bool]:
    """``data`` parsed (``ValueError`` when it is not JSON), and whether it holds NaN
    or an infinity."""
    found: list[str] = []

    def constant(name: str) -> float:
        found.append(name)
        return float(name)

    return json.loads(data, parse_constant=constant), bool(found)


def json_line(value: Any, nonfinite: bool = False) -> bytes:
    """``value`` as compact JSON (non-ASCII as UTF-8) followed by a line feed;
    ``nonfinite``: it holds NaN or an infinity (see :func:`read_json_line`)."""
    if orjson is not None and not nonfinite:
        try:
            return orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE)
        except TypeError:  # orjson.JSONEncodeError: a big integer, a lone surrogate
            pass
    return stdlib_json_line(value)
