"""mkdocs hooks: pages that are generated from the code and the test fixtures.

- ``{{ default_recipe }}`` becomes the output of ``cleanse config``, so the recipe
  reference can never drift from the code.
- ``{{ options <stage> }}`` and ``{{ description <stage> }}`` become the stage's
  option table (from its constructor and ``option_help``) and its one-line summary.
- ``{{ fixtures <stage> }}`` becomes the before/after examples of that stage's
  golden fixtures (``tests/fixtures/<stage>-*``), so every example in the docs is
  one the test suite checks.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PLACEHOLDER = re.compile(
    r"\{\{\s*(default_recipe|fixtures\s+([a-z]+)|options\s+([a-z]+)|description\s+([a-z]+))\s*\}\}"
)
MAX_CHARS = 600


def _excerpt(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "\n…"


def _read_input(path: Path) -> str:
    from cleanse.stages.decode import BinaryInputError, choose_decoding

    try:
        decoding, _ = choose_decoding(path.read_bytes())
    except BinaryInputError as exc:
        return f"({exc})"
    return decoding.text


def _fixtures(stage: str) -> str:
    blocks = []
    for case in sorted(FIXTURES.glob(f"{stage}-*")):
        inputs = list(case.glob("input.*"))
        if not inputs:
            continue
        known = case / "known-failure.md"
        title = case.name + (" (known failure)" if known.exists() else "")
        report_path = case / "expected.report.json"
        report: dict[str, Any] = (
            json.loads(report_path.read_text("utf-8")) if report_path.exists() else {}
        )
        expected = case / "expected.txt"
        after = (
            expected.read_text("utf-8")
            if expected.exists()
            else f"({report.get('status', 'no output')})"
        )
        reasons = sorted(
            {c.get("reason", "") for c in report.get("changes", []) if c.get("reason")}
        )
        block = [f"### {title}", ""]
        if known.exists():
            block += ["!!! warning", "    " + known.read_text("utf-8").strip().splitlines()[0], ""]
        block += [
            '<div class="cleanse-example"><table><tr><th>before</th><th>after</th></tr><tr>',
            f"<td><pre>{html.escape(_excerpt(_read_input(inputs[0])))}</pre></td>",
            f"<td><pre>{html.escape(_excerpt(after))}</pre></td>",
            "</tr></table></div>",
            "",
        ]
        if reasons:
            block += ["Recorded reasons:", ""] + [f"- {html.escape(r)}" for r in reasons[:8]] + [""]
        blocks.append("\n".join(block))
    return "\n".join(blocks) if blocks else "_No fixtures yet._"


def _default_recipe() -> str:
    from cleanse.cli import _run_options
    from cleanse.recipe import render_default

    return "```toml\n" + render_default(_run_options()) + "```"


def _options(stage: str) -> str:
    from cleanse.recipe import stage_options
    from cleanse.stages import STAGES

    options = stage_options(STAGES[stage])
    if not options:
        return "This stage has no options."
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for opt in options:
        meaning = " ".join(opt.help.split()) or "(see the module's documentation)"
        rows.append(f"| `{opt.name}` | `{opt.default!r}` | {html.escape(meaning)} |")
    return "\n".join(rows)


def _description(stage: str) -> str:
    from cleanse.stages import STAGES

    return str(STAGES[stage].description)


def on_page_markdown(markdown: str, **_: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) == "default_recipe":
            return _default_recipe()
        if match.group(2):
            return _fixtures(match.group(2))
        if match.group(3):
            return _options(match.group(3))
        return _description(match.group(4))

    return PLACEHOLDER.sub(replace, markdown)
