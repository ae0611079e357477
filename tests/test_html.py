"""The HTML report in a real browser: headless Chromium renders it to PNG and prints it on A4.

CI installs Debian's chromium, so there the test always runs. Elsewhere, without chromium, it
is skipped with the reason (install it with `apt-get install chromium`).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ledgers, run


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI must have chromium: `apt-get install chromium`")
    pytest.skip(
        "headless Chromium is not installed here (apt-get install chromium); CI runs this test"
    )


def browser(exe: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)


def png_size(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", raw[16:24])
    return width, height


@pytest.fixture
def month(villages: list[str]) -> None:
    """October's disputes, a hazard and a petition, through the library."""
    with ledgers.writing() as lx:
        for day, cat in (
            ("2026-08-03", "land"),
            ("2026-09-03", "debt"),
            ("2026-10-01", "land"),
            ("2026-10-05", "land"),
            ("2026-10-09", "land"),
            ("2026-10-20", "neighbour"),
        ):
            ledgers.dispute(lx, "城庄村", cat, day)
        ledgers.resolve(lx, "JF-2026-0003", "2026-10-08")
        ledgers.add(
            lx,
            "hazard",
            village="前进村",
            area="road",
            description="急弯",
            responsible="赵",
            found="2026-10-02",
        )
        ledgers.add(
            lx,
            "petition",
            village="李家湾村",
            form="visit",
            level="city",
            summary="上访",
            date="2026-10-11",
        )


def test_monthly_html_in_chromium(month: None, tmp_path: Path) -> None:
    exe = chromium()
    page = tmp_path / "研判.html"
    run("--lang", "zh", "report", "monthly", "--format", "html", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert (
        "<script" not in html.lower()
        and "src=" not in html
        and "href=" not in html
        and "url(" not in html
    )

    png = tmp_path / "page.png"
    shot = browser(exe, tmp_path, f"--screenshot={png}", "--window-size=1240,1754", page.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png_size(png) == (1240, 1754)
    assert png.stat().st_size > 30_000  # a page with text and charts, not a blank one

    dom = browser(exe, tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = re.sub(r"\s+", " ", dom.stdout)
    assert "2026-10 月度研判（截至 2026-10-31）" in text
    assert "山林土地类纠纷本月 3 件，上月 0 件，明显上升。" in text  # a finding
    assert "李家湾村本月打破零上访（XF-2026-0001）。" in text
    assert re.search(
        r'<div class="v">4</div><div class="k">排查纠纷</div>', text
    )  # the headline tile
    assert re.search(r'<div class="v">25\.0%</div><div class="k">化解率</div>', text)
    assert text.count("<svg") >= 3  # trend, categories, areas
    assert "本月与上月、去年同月" in text

    pdf = tmp_path / "page.pdf"
    printed = browser(
        exe, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()
    )
    assert printed.returncode == 0, printed.stderr[-2000:]
    raw = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", raw)
    assert boxes and all(
        abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes
    )  # A4


def test_annual_html_in_chromium(month: None, tmp_path: Path) -> None:
    exe = chromium()
    page = tmp_path / "annual.html"
    run("report", "annual", "--format", "html", "-o", str(page))
    dom = browser(exe, tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = re.sub(r"\s+", " ", dom.stdout)
    assert "The 2026 三零 account (as of 2026-10-31)" in text
    assert "XF-2026-0001" in text and "Subjects that broke a zero" in text
