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
``NaN`` and ``Infinity``, where orjson would write ``null``. :func:`read_json_line`
reads them as :class:`NonFinite`, a type orjson refuses, so a line holding them
is written back by the standard library and a field passed through keeps its value.
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


class NonFinite(float):
    """NaN or an infinity read from a JSON line (see the module's docstring)."""


def read_json_line(data: bytes | str) -> Any:
    """``data`` parsed (``ValueError`` when it is not JSON), NaN and the infinities
    as :class:`NonFinite`."""
    return json.loads(data, parse_constant=NonFinite)


def json_line(value: Any) -> bytes:
    """``value`` as compact JSON (non-ASCII as UTF-8) followed by a line feed."""
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE)
        except TypeError:  # orjson.JSONEncodeError: a big integer, a lone surrogate, NonFinite
            pass
    return stdlib_json_line(value)
