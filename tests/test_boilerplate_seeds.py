"""Acceptance on the five seeds: the chrome goes, every article paragraph stays.

The line numbers (1-based) below were read off the seeds by hand: where the
article (title and body) begins and ends, which lines are chrome and of what
kind, and which lines are borderline (kept by the default policy).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleanse.core.pipeline import Pipeline

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# seed: (article first line, article last line, title prefix, {chrome line: categories})
CHROME: dict[str, tuple[int, int, str, dict[int, set[str]]]] = {
    "000_edcfa5198e97ba78.txt": (
        5,
        93,
        "OpenAI的Sora會(huì)砸掉",
        {
            1: {"nav"},
            2: {"nav"},
            3: {"breadcrumb"},
            94: {"disclaimer"},
            95: {"related-links"},
            **{n: {"related-links"} for n in range(97, 105)},
            105: {"nav"},
            106: {"copyright"},
            107: {"icp"},
            108: {"copyright"},
            109: {"copyright"},
        },
    ),
    "001_2f9c6bad6db52841.txt": (
        4,
        38,
        "來源:數",
        {
            1: {"contributor-prompt"},
            2: {"contributor-prompt"},
            3: {"contributor-prompt"},
            39: {"disclaimer"},
            40: {"disclaimer", "copyright"},
            **{n: {"community-rules"} for n in range(41, 113)},
            113: {"community-rules", "disclaimer"},
        },
    ),
    "002_133785006bbc8170.txt": (
        3,
        101,
        '"Sora热"持续升温',
        {1: {"page-header"}},
    ),
    "003_3e5185fb91a6beab.txt": (
        3,
        110,
        "追不上Sora的同行有难了",
        {
            1: {"contact"},
            5: {"share"},
            26: {"stray"},
            30: {"stray"},
            34: {"stray"},
            112: {"disclaimer"},
            114: {"contributor-prompt"},
            116: {"share"},
            117: {"tags"},
            119: {"ad"},
            121: {"ad"},
            123: {"app-prompt"},
            **{n: {"app-prompt"} for n in (125, 127, 129, 130, 131, 132)},
            133: {"counter"},
            134: {"share", "app-prompt"},
            135: {"counter"},
            136: {"counter"},
            137: {"counter"},
            **{n: {"app-prompt"} for n in (138, 140, 142, 144, 146, 149, 150)},
            147: {"stray"},
            153: {"contact"},
            154: {"stray"},
            155: {"contact"},
            157: {"contact"},
            159: {"stray", "app-prompt"},
            **{n: {"app-prompt"} for n in (160, 162, 164, 165, 167)},
            169: {"contributor-prompt"},
            171: {"stray"},
            172: {"stray"},
        },
    ),
    "004_de22017133ea7dab.txt": (3, 65, "今年不懂這個詞", {1: {"breadcrumb"}}),
}

# Lines the default policy keeps but reports as borderline.
BORDERLINE: dict[str, set[int]] = {
    "000_edcfa5198e97ba78.txt": {7, 93},
    "001_2f9c6bad6db52841.txt": {4},
    "002_133785006bbc8170.txt": {39, 99, 101},
    "003_3e5185fb91a6beab.txt": {6, 8, 98, 100, 102, 104, 106, 108, 110},
    "004_de22017133ea7dab.txt": {5, 11, 21, 29, 49, 61, 63, 65},
}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_names(["decode", "boilerplate"])


# In the full pipeline the annotations stage runs first; the classifier must
# give the same answers with and without the gateway's pinyin annotations.
ANNOTATION = re.compile(r"\([a-zü\u00e0-\u01dc\u0300-\u036f]{1,7}\)")


@pytest.mark.parametrize("annotated", [True, False], ids=["as-is", "annotations-removed"])
@pytest.mark.parametrize("name", sorted(CHROME))
def test_seed_chrome_removed_and_article_kept(
    name: str, annotated: bool, pipeline: Pipeline
) -> None:
    first, last, title, chrome = CHROME[name]
    text = (SEEDS / name).read_bytes().decode("utf-8")
    if not annotated:
        text = ANNOTATION.sub("", text)
        title = ANNOTATION.sub("", title)
    lines = text.split("\n")
    result = pipeline(text, id=name)
    out_lines = set(result.text.split("\n"))
    changes = [c for c in result.changes if c.stage == "boilerplate"]
    removed = [c for c in changes if c.before != c.after]

    assert result.text.startswith(title), "the title comes first"
    # Every article line (title, body, headings) is kept verbatim.
    for number in range(first, last + 1):
        text = lines[number - 1]
        if text.strip() and number not in chrome:
            assert text in out_lines, f"{name}:{number} article line lost: {text[:30]!r}"
    # Every chrome line is gone, each removal recorded with its category.
    for number, categories in chrome.items():
        text = lines[number - 1]
        assert text not in out_lines, f"{name}:{number} chrome kept: {text[:30]!r}"
        start = sum(len(line) + 1 for line in lines[: number - 1])
        (record,) = [c for c in removed if c.start <= start < c.end or c.start == start]
        assert record.category in categories, f"{name}:{number}: {record.category} {record.reason}"
    assert all(c.category and c.reason for c in removed)
    assert len(removed) == len(chrome)
    # Borderline lines are kept and say so in the report.
    noted = {c.start for c in changes if c.before == c.after}
    for number in BORDERLINE[name]:
        start = sum(len(line) + 1 for line in lines[: number - 1])
        assert start in noted, f"{name}:{number} not reported as borderline"
        assert lines[number - 1] in out_lines
    assert all(
        c.category == "borderline" and c.reason.startswith("kept, borderline")
        for c in changes
        if c.before == c.after
    )
