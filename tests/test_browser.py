"""report.html in a real browser: headless Chromium driven through chromedriver.

Skipped when Chromium is missing, except in CI (``CI`` set), where .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleanse.core.pipeline import Pipeline
from cleanse.io.html_report import HtmlReportWriter
from cleanse.io.report import FileReport, build_report
from cleanse.runner import run_files
from report_samples import multi_stage_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("CI must have chromium and chromium-driver (see .ci/run)")
        pytest.skip("chromium or chromedriver not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _shown(driver: Any, selector: str) -> int:
    """How many elements matching ``selector`` take up space on the page."""
    return int(
        driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]))"
            ".filter(e => e.getClientRects().length > 0).length",
            selector,
        )
    )


def _doc_text(driver: Any) -> str:
    """The text of the shown view, as a person would copy it."""
    return str(driver.execute_script("return document.querySelector('.doc').innerText"))


def test_seeds_report_renders_table_diff_and_stage_filter(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "seeds.clean"
    run_files([SEEDS], out, Pipeline.default(), html=True)
    browser.get((out / "report.html").as_uri())
    assert browser.title == "cleanse report"
    assert _shown(browser, "#files tbody tr") == 5
    assert browser.find_element("id", "shown").text == "5 of 5 files"
    names = [a.text for a in browser.find_elements("css selector", "#files tbody a")]
    assert names == sorted(p.name for p in SEEDS.iterdir())

    # Sorting by a column reorders the rows.
    header = browser.find_element("xpath", "//th[text()='bytes in']")
    header.click()
    header.click()  # descending
    sizes = [
        int(td.get_attribute("data-v"))
        for td in browser.find_elements("css selector", "#files tbody td:nth-last-child(3)")
    ]
    assert sizes == sorted(sizes, reverse=True)

    # The stage filter on the index: only the files a stage changed, and the links carry it.
    report = json.loads((out / "report.json").read_text("utf-8"))
    stage = "annotations"  # it deletes text in the gateway seeds and changes no other seed
    changed = [f for f in report["files"] if stage in f["summary"]]
    assert 0 < len(changed) < 5
    browser.find_element("css selector", f"#stage option[value={stage}]").click()
    assert _shown(browser, "#files tbody tr") == len(changed)
    link = browser.find_element("css selector", "#files tbody a")
    assert link.get_attribute("href").endswith(f"#only={stage}")

    browser.get((out / "report.files" / "00001.html").as_uri())
    assert browser.find_element("tag name", "h1").text.startswith("000_edcfa5198e97ba78.txt")
    assert _shown(browser, f".doc .c.s-{stage}") > 0
    rows = _shown(browser, "table.changes tr[data-c]")
    assert rows == min(3000, len(report["files"][0]["changes"]))
    deleted = _shown(browser, f".doc .c.s-{stage} del")
    assert deleted > 0
    browser.find_element("css selector", f"input[data-stage={stage}]").click()
    assert _shown(browser, f".doc .c.s-{stage} del") == 0
    assert (
        _shown(browser, "table.changes tr[data-c]")
        == rows - report["files"][0]["summary"][stage]["changes"]
    )
    browser.find_element("css selector", f"input[data-stage={stage}]").click()
    assert _shown(browser, f".doc .c.s-{stage} del") == deleted

    # Unfolded, the views are exactly the input and the output.
    name = "000_edcfa5198e97ba78.txt"
    browser.find_element("id", "unfold").click()
    browser.find_element("css selector", "button[data-view=clean]").click()
    assert _doc_text(browser) == (out / name).read_text("utf-8")
    browser.find_element("css selector", "button[data-view=original]").click()
    assert _doc_text(browser) == (SEEDS / name).read_text("utf-8")


def test_multi_stage_page_filters_views_and_links(browser: Any, tmp_path: Path) -> None:
    doc = multi_stage_document()
    entry = FileReport.from_document("sample.txt", "sample.txt", doc, 300)
    stages = list(Pipeline.default().names)
    writer = HtmlReportWriter(tmp_path, stages)
    writer.add(entry, doc)
    writer.finish(build_report([entry], stages, {}, 0.1))
    browser.get((tmp_path / "report.files" / "00001.html").as_uri() + "#only=script")
    # Only the script stage is checked: other stages' removals are hidden, script's shown.
    assert _shown(browser, ".doc .c.s-script del") == 5  # 會 誰 發佈 這是業界 最強
    assert _shown(browser, ".doc .c.s-repair del") == 0
    assert _shown(browser, ".doc .c.s-annotations del") == 0
    assert _shown(browser, "details.c.s-boilerplate") == 0
    assert _shown(browser, "table.changes tr[data-c]") == 6
    for box in browser.find_elements("css selector", "input[data-stage]"):
        if not box.is_selected():
            box.click()
    assert _shown(browser, "details.c.s-boilerplate") == 2
    # Folded boilerplate opens on click; the unresolved span is marked.
    summary = browser.find_element("css selector", "details.c.s-boilerplate summary")
    assert summary.text == "boilerplate · removed navigation · 2 lines"
    summary.click()
    assert "首頁|新聞" in browser.find_element("css selector", "details.c.s-boilerplate del").text
    assert _shown(browser, "mark.c.unres") == 1
    # The clean view is the clean text, the original view the original text, character for
    # character once the unchanged stretches are unfolded.
    browser.find_element("id", "unfold").click()
    browser.find_element("css selector", "button[data-view=clean]").click()
    assert _shown(browser, ".doc del") == 0
    assert _doc_text(browser) == doc.text
    browser.find_element("css selector", "button[data-view=original]").click()
    assert _shown(browser, ".doc ins") == 0
    assert _doc_text(browser) == doc.original_text
    # A row of the change list points at its change in the text.
    browser.find_element("css selector", "button[data-view=changes]").click()
    row = browser.find_element("css selector", "table.changes tr[data-c]:nth-child(4)")
    row.click()
    target = browser.find_element("id", "c" + row.get_attribute("data-c"))
    assert "flash" in target.get_attribute("class")
