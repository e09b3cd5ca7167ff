"""The report views: report.json against its schema, report.html, diffs, explain, the summary."""

from __future__ import annotations

import io
import json
import re
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from cleanse.cli import main
from cleanse.core.document import Document, Edit, apply_edits
from cleanse.core.pipeline import Pipeline
from cleanse.io.diff import NO_NEWLINE, unified_diff
from cleanse.io.explain import explain
from cleanse.io.html_report import HtmlReportWriter, render_file_page
from cleanse.io.report import FileReport, build_report
from cleanse.io.terminal import Progress
from cleanse.runner import run_files
from report_samples import multi_stage_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ALL_STAGES = list(Pipeline.default().names)


def _schema() -> dict[str, Any]:
    text = resources.files("cleanse.data").joinpath("report.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _synthetic_report() -> tuple[dict[str, Any], list[FileReport], Document]:
    doc = multi_stage_document()
    files = [
        FileReport.from_document("a/sample.txt", "a/sample.txt", doc, 300),
        FileReport(
            path="b/image.png", status="skipped", message="binary input (PNG image), not text"
        ),
        FileReport(path="b/gone", status="failed", message="broken symlink"),
    ]
    return build_report(files, ALL_STAGES, {"script": {"target": "zh-hans"}}, 0.5), files, doc


def _check_counts(report: dict[str, Any]) -> None:
    """Every count in the report agrees with the change records it holds."""
    totals = report["totals"]
    files = report["files"]
    assert totals["files"] == len(files)
    for status in ("cleaned", "unchanged", "skipped", "failed"):
        assert totals[status] == sum(1 for f in files if f["status"] == status)
    assert totals["changes"] == sum(len(f["changes"]) for f in files)
    assert totals["unresolved"] == sum(1 for f in files for c in f["changes"] if c["unresolved"])
    for f in files:
        assert f["unresolved"] == sum(1 for c in f["changes"] if c["unresolved"])
        stages = {c["stage"] for c in f["changes"]}
        assert set(f["summary"]) == stages
        for stage, entry in f["summary"].items():
            mine = [c for c in f["changes"] if c["stage"] == stage]
            assert entry == {"changes": len(mine), "unresolved": sum(c["unresolved"] for c in mine)}
    for stage, entry in totals["stages"].items():
        assert entry["changes"] == sum(f["summary"].get(stage, {}).get("changes", 0) for f in files)
        assert entry["files"] == sum(1 for f in files if stage in f["summary"])


def test_seeds_report_matches_schema_and_its_records(tmp_path: Path) -> None:
    result = run_files([SEEDS], tmp_path / "out", Pipeline.default())
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    jsonschema.validate(report, _schema())
    _check_counts(report)
    assert report == json.loads(json.dumps(result.report))


def test_synthetic_report_with_every_stage_matches_schema() -> None:
    report, _, _doc = _synthetic_report()
    report = json.loads(json.dumps(report))
    jsonschema.validate(report, _schema())
    _check_counts(report)
    assert set(report["totals"]["stages"]) == set(ALL_STAGES)
    assert report["totals"]["unresolved"] == 2
    bad = json.loads(json.dumps(report))
    bad["files"][0]["changes"][0]["stage"] = ""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, _schema())


def _no_network(page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


def test_file_page_shows_every_change_stages() -> None:
    _, files, doc = _synthetic_report()
    page = render_file_page(files[0], doc, ALL_STAGES, "../report.html")
    _no_network(page)
    for index, change in enumerate(doc.changes):
        # Every change is in the list; changes not rewritten later are marked in the text.
        assert f'id="r{index}"' in page
        assert f'class="s-{change.stage}"' in page
    assert page.count('id="c') >= len(doc.changes) - 3
    # Removed boilerplate is folded with its category; unresolved spans are marked.
    assert re.search(
        r'<details id="c\d+" class="c block s-boilerplate"[^>]*><summary>'
        r"boilerplate · removed navigation · 2 lines</summary>",
        page,
    )
    assert "boilerplate · removed copyright · 1 line" in page
    assert re.search(
        r'<mark id="c\d+" class="c s-script unres"[^>]*><ins>張三</ins><span class="og">張三</span></mark>',
        page,
    )
    assert 'class="c s-decode unres"' in page and "\\xe5" in page
    # The reason is on hover and in the list.
    assert 'title="#4 script: zh-hant to zh-hans (OpenCC t2s)"' in page
    assert "4:12 → 2:12" in page
    # One stage filter per stage that changed something.
    assert page.count('type="checkbox" data-stage=') == len(ALL_STAGES)


def test_file_page_falls_back_when_records_do_not_replay() -> None:
    _, files, doc = _synthetic_report()
    broken = doc.replace(text=doc.text + "!")
    page = render_file_page(files[0], broken, ALL_STAGES, "../report.html")
    assert "do not replay" in page and 'id="r0"' not in page


def test_writer_pages_index_and_determinism(tmp_path: Path) -> None:
    report, files, doc = _synthetic_report()
    outputs = []
    for name in ("one", "two"):
        writer = HtmlReportWriter(tmp_path / name, ALL_STAGES)
        writer.add(files[0], doc)
        writer.add(files[1], None)
        writer.add(files[2], None)
        writer.add(files[0], doc)  # a second page, to link previous/next
        index = writer.finish({**report, "files": [*report["files"], report["files"][0]]})
        outputs.append(
            {
                p.relative_to(tmp_path / name): p.read_bytes()
                for p in (tmp_path / name).rglob("*.html")
            }
        )
        page = index.read_text("utf-8")
        _no_network(page)
        assert page.count("<tr class=") == 4
        assert page.count('href="report.files/') == 2
        assert "binary input (PNG image)" in page and "broken symlink" in page
    assert outputs[0] == outputs[1]
    assert sorted(str(p) for p in outputs[0]) == [
        "report.files/00001.html", "report.files/00002.html", "report.html",
    ]  # fmt: skip
    first = (tmp_path / "one/report.files/00001.html").read_text("utf-8")
    assert 'href="00002.html" rel="next"' in first and 'href="../report.html"' in first


def test_unchanged_stretches_are_folded_with_context() -> None:
    lines = [f"第{i}行。" for i in range(40)]
    original = "\n".join(lines) + "\n"
    final = original.replace("第20行。", "第二十行。")
    start = original.index("第20行。")
    text, changes = apply_edits("script", original, [Edit(start, start + 5, "第二十行。", "x")])
    assert text == final
    doc = Document(id="f", text=final, original_text=original, changes=tuple(changes))
    page = render_file_page(FileReport.from_document("f", "f", doc, 10), doc, ALL_STAGES, "i")
    assert "17 lines unchanged" in page and "16 lines unchanged" in page
    shown = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    assert "第17行。" in shown and "第16行。" not in shown and "第23行。" in shown
    assert "第24行。" not in shown


def test_unified_diff() -> None:
    assert unified_diff("x", "同\n", "同\n") == ""
    diff = unified_diff("d/a.txt", "一\n二  \n三", "一\n二\n三\n")
    assert diff.splitlines()[:2] == ["--- a/d/a.txt", "+++ b/d/a.txt"]
    assert "-二  \n" in diff and "+二\n" in diff
    assert "-三\n" + NO_NEWLINE in diff and diff.endswith("+三\n")


def test_explain_lists_changes_in_reading_order() -> None:
    doc = multi_stage_document()
    text = explain(doc, "sample.txt")
    lines = text.splitlines()
    assert lines[0] == "sample.txt: gb18030 (confidence 0.93), 21 changes, 2 could not be restored"
    assert re.search(r"^\s+4  4:12 → 2:12\s+script\s+\"會\" → \"会\"$", text, re.M)
    assert re.search(r"byte 211 of the input; COULD NOT RESTORE", text)
    assert '"張三" (kept)' in text
    assert "rewritten by #12" in text  # the repair step that the script conversion rewrote
    numbers = [int(m) for m in re.findall(r"^\s+(\d+)  ", text, re.M)]
    assert numbers == list(range(1, 22))


def test_cli_run_writes_html_by_default_and_diffs_on_request(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    runner = CliRunner()
    result = runner.invoke(main, ["run", str(seeds), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "report.html").is_file()
    assert len(list((tmp_path / "out" / "report.files").glob("*.html"))) == 5
    totals = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))["totals"]["stages"]
    for stage, entry in totals.items():
        row = rf"^  {stage}\s+{entry['files']}\s+{entry['changes']:,}\s+{entry['unresolved']}\s+[\d.]+s$"
        assert re.search(row, result.output, re.M), stage
    assert "files/s" in result.output and "report.html" in result.output

    plain = runner.invoke(main, ["run", str(seeds), "-o", str(tmp_path / "plain"), "--no-html"])
    assert plain.exit_code == 0 and not (tmp_path / "plain" / "report.html").exists()

    files = runner.invoke(main, ["run", str(seeds), "-o", str(tmp_path / "d"), "--diff", "files"])
    assert files.exit_code == 0
    diffs = sorted((tmp_path / "d").glob("*.diff"))
    assert len(diffs) == 5
    assert diffs[0].read_text("utf-8").startswith(f"--- a/{diffs[0].name[:-5]}\n")


def test_cli_diff_to_stdout_keeps_the_summary_off_stdout(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes("第一行  \r\n第二行".encode("gb18030"))
    result = CliRunner().invoke(
        main, ["run", str(src), "-o", str(tmp_path / "o"), "--diff", "stdout"]
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/a.txt\n+++ b/a.txt\n@@")
    assert "files read: 1" in result.stderr and "files read" not in result.stdout


def test_cli_explain(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("標題\r\n正文  ".encode("big5"))
    result = CliRunner().invoke(
        main, ["explain", str(tmp_path / "a.txt"), "--stages", "decode,normalize"]
    )
    assert result.exit_code == 0, result.output
    assert "big5hkscs" in result.output
    assert re.search(r"1:3 → 1:3\s+normalize\s+\"\\r\\n\" → \"\\n\"", result.output)
    assert "trailing whitespace removed" in result.output


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_for_more_than_a_few_files(tmp_path: Path) -> None:
    for i in range(8):
        (tmp_path / f"{i}.txt").write_text("你好\n", "utf-8")
    stream = _Tty()
    with Progress([tmp_path], enabled=True, stream=stream) as progress:
        for i in range(8):
            progress.update(FileReport(path=f"{i}.txt", status="unchanged"))
    assert "cleaning" in stream.getvalue() and "8/8" in stream.getvalue()
    quiet = _Tty()
    with Progress([tmp_path], enabled=False, stream=quiet) as progress:
        progress.update(FileReport(path="0.txt", status="unchanged"))
    piped = io.StringIO()
    with Progress([tmp_path], enabled=True, stream=piped) as progress:
        progress.update(FileReport(path="0.txt", status="unchanged"))
    assert quiet.getvalue() == "" and piped.getvalue() == ""


def test_a_huge_page_stops_at_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleanse.io.html_report as html_report

    monkeypatch.setattr(html_report, "PAGE_MAX_CHARS", 2000)
    monkeypatch.setattr(html_report, "LIST_MAX_ROWS", 10)
    original = "甲乙\r\n" * 400
    text, changes = apply_edits(
        "normalize",
        original,
        [Edit(i * 4 + 2, i * 4 + 4, "\n", "line ending to LF") for i in range(400)],
    )
    doc = Document(id="h", text=text, original_text=original, changes=tuple(changes))
    page = render_file_page(FileReport.from_document("h", "h", doc, 1), doc, ALL_STAGES, "i")
    assert "The page stops here" in page and "more changes and the rest" in page
    assert "390 more changes: see report.json" in page
    assert len(page) < 40_000


def test_index_lays_out_a_first_slice_of_a_large_run() -> None:
    from cleanse.io.html_report import ROWS_SHOWN, render_index

    files = [FileReport(path=f"f{i:04d}.txt", status="unchanged") for i in range(ROWS_SHOWN + 20)]
    report = build_report(files, ALL_STAGES, {}, 1.0)
    page = render_index(report, [f"report.files/{i:05d}.html" for i in range(len(files))])
    assert page.count("<tr class=") == len(files)
    assert page.count(" hidden data-u=") == 20
    assert '<button id="more" hidden>' in page
