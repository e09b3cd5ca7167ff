"""Screenshots of the seeds' report.html for the docs, taken with headless Chromium.

    python tools/report_screenshot.py            # writes docs/report-*.png

Cleans seeds/ into a temporary folder with the default pipeline, then
screenshots the index page and the first file's page. Needs the Debian
packages chromium and fonts-noto-cjk (for the Chinese text).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from cleanse.core.pipeline import Pipeline
from cleanse.io.html_report import INDEX_NAME, PAGES_DIR
from cleanse.runner import run_files

ROOT = Path(__file__).resolve().parent.parent
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def screenshot(chromium: str, page: Path, target: Path, size: str) -> None:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        subprocess.run(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={size}",
                f"--screenshot={target}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "seeds.clean"
        run_files([ROOT / "seeds"], out, Pipeline.default(), html=True)
        screenshot(chromium, out / INDEX_NAME, args.out / "report-screenshot.png", "1400,520")
        first = out / PAGES_DIR / "00001.html"
        screenshot(chromium, first, args.out / "report-file-screenshot.png", "1400,900")


if __name__ == "__main__":
    main()
