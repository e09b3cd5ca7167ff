"""Inputs built to make a careless regular expression or search take quadratic time.

Each generator returns about ``n`` characters. Used by the worst-case timing
test (each stage alone and the pipeline, at sizes n and 4n) and by
``bench/worst_case.py``.
"""

from __future__ import annotations

from collections.abc import Callable


def _repeat(unit: str, n: int) -> str:
    return unit * max(1, n // len(unit))


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "question-marks": lambda n: _repeat("?", n),
    "question-marks-in-cjk": lambda n: _repeat("中??", n),
    "pinyin-parentheses": lambda n: _repeat("字(zì)", n),
    "pinyin-unclosed": lambda n: _repeat("字(zì", n),
    "open-parentheses": lambda n: _repeat("(", n),
    "cjk-open-parentheses": lambda n: _repeat("页(", n),
    "separators": lambda n: _repeat("|>>•", n),
    "separators-spaced": lambda n: _repeat(" | > » • ", n),
    "one-character": lambda n: _repeat("的", n),
    "one-ascii-letter": lambda n: _repeat("a", n),
    "alternating-scripts": lambda n: _repeat("a中б中α", n),
    "spaces-between-cjk": lambda n: _repeat("中 ", n),
    "wide-spaces-between-cjk": lambda n: _repeat("中\u3000 ", n),
    "spaces-only": lambda n: _repeat(" ", n),
    "newlines-only": lambda n: _repeat("\n", n),
    "short-lines": lambda n: _repeat("中文\n", n),
    "blank-line-runs": lambda n: _repeat("字\n\n\n\n", n),
    "replacement-characters": lambda n: _repeat("\ufffd", n),
    "mojibake-latin1": lambda n: _repeat("Ã©Ã¨", n),
    "private-use": lambda n: _repeat("\ue000中", n),
    "zero-width": lambda n: _repeat("\u200b\u200c\u200d", n),
    "html-nested": lambda n: _repeat("<div>", n),
    "html-unclosed-tags": lambda n: _repeat("<a href=", n),
    "digits-and-dots": lambda n: _repeat("1.", n),
    "urls": lambda n: _repeat("http://a.b/", n),
}
