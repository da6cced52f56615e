"""The physio report in a real browser: headless Chromium prints the demo history's report
to PDF (A4 and Letter), poppler reads it back (page count, text), and a screenshot of the
first page, in the light and the dark scheme, is not blank.

Chromium and poppler-utils are Debian packages `.ci/run` installs. Without them these
tests FAIL (not skip): the report is only known to print if a browser printed it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers.report_numbers import headline_numbers

ROOT = Path(__file__).resolve().parent.parent.parent
WEEKS = "12"
# One page per section (the print style breaks before each): the demo's fit on one each.
SECTIONS = (
    "upright: how it has been",
    "Pain and sitting by day",
    "Exercises in the plan",
    "Notes",
    "Safety",
)
# Each chart whole on its page: its axis label and its caption below it.
CHART_TEXT = {
    1: ("week starting (Monday)", "Weekly adherence (bars, left axis)"),
    2: (
        "Daily pain, the mean of each day",
        "workday (Monday to Friday)",
        "Hours sitting per workday",
    ),
}
# Root in a container: no sandbox. Nothing from the network, no first-run chores.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: apt-get install {package} (.ci/run does)")
    return path


def upright(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def chromium(page: Path, *args: str) -> None:
    with tempfile.TemporaryDirectory(prefix="upright-chromium-") as profile:
        result = subprocess.run(
            [
                tool("chromium", "chromium"),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                *args,
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=180,
        )
    assert result.returncode == 0, result.stderr[-2000:]


def pdf_text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    """The text (of one page) in reading order, or `layout`: laid out as printed, so the
    first line is the page's top (and side-by-side boxes share lines)."""
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    pages += ["-layout"] if layout else []
    return subprocess.run(
        [tool("pdftotext", "poppler-utils"), *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        [tool("pdfinfo", "poppler-utils"), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The demo history's report and `upright stats --json` for the same weeks."""
    folder = tmp_path_factory.mktemp("report")
    db = folder / "demo.db"
    upright("demo", "--fill", str(db))
    stats = json.loads(upright("--db", str(db), "stats", "--json", "--weeks", WEEKS))
    page = folder / "report.html"
    upright("--db", str(db), "report", "--weeks", WEEKS, "-o", str(page))
    return page, stats


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_the_report_prints_one_section_a_page_with_the_stats_numbers(
    report: tuple[Path, dict[str, object]], tmp_path: Path, paper: str
) -> None:
    page, stats = report
    # The page sets no paper size (it prints on either): the test picks one, as a user's
    # print dialog would.
    sized = tmp_path / "sized.html"
    sized.write_text(
        page.read_text().replace("</head>", f"<style>@page {{ size: {paper}; }}</style></head>")
    )
    pdf = tmp_path / "report.pdf"
    chromium(sized, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    info = pdf_info(pdf)
    assert info["Pages"] == str(len(SECTIONS))
    assert info["Page size"].endswith(f"pts ({paper})")
    for page_number, heading in enumerate(SECTIONS, start=1):
        assert pdf_text(pdf, page_number, layout=True).lstrip().startswith(heading)
    for page_number, texts in CHART_TEXT.items():
        page_text = " ".join(pdf_text(pdf, page_number).split())
        for text in texts:
            assert text in page_text
    whole = " ".join(pdf_text(pdf).split())
    for number in headline_numbers(stats):
        assert number in whole


def _ink_share(png: Path) -> tuple[float, tuple[int, ...]]:
    """The share of pixels unlike the top-left corner's (the page background), and it."""
    from PIL import Image

    with Image.open(png) as image:
        rgb = image.convert("RGB")
        background = rgb.getpixel((0, 0))
        assert isinstance(background, tuple)
        data = rgb.tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    unlike = sum(
        1 for p in pixels if sum(abs(a - b) for a, b in zip(p, background, strict=True)) > 60
    )
    return unlike / len(pixels), background


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_screenshot_of_the_first_page_is_not_blank(
    report: tuple[Path, dict[str, object]], tmp_path: Path, scheme: str
) -> None:
    page, _stats = report
    png = tmp_path / "first.png"
    dark = ["--force-dark-mode"] if scheme == "dark" else []
    chromium(page, *dark, "--window-size=1000,1400", f"--screenshot={png}")
    share, background = _ink_share(png)
    # Text, the headline cards and a chart: far from blank, far from a solid block.
    assert 0.03 < share < 0.6, share
    luminance = sum(background) / 3
    assert luminance > 200 if scheme == "light" else luminance < 60, background
