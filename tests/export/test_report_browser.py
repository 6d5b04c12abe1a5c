"""The report in a real browser: headless Chromium renders it offline, with no console errors; the
DOM it builds holds every bar, cell and span; the screenshot is not blank."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

import noticeparse
from noticeparse.export.table import assignments
from tests.conftest import ROOT, SEED

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
REAL = ROOT.parent / "shared" / "corpus" / "real"
# A multi-notice batch of real documents: a school plan in a table, a gov.cn page, Word and PDF.
BATCH = ["058.aspx", "116.aspx", "002.txt", "034.docx", "076.pdf"]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium where apt can)"
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The flags a closed network needs: no background fetches, no first-run work, no sandbox as root.
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
             "--enable-logging=stderr", "--v=0"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)  # type: ignore[list-item]


def _render(tmp_path: Path, page: Path) -> tuple[lxml.html.HtmlElement, Path, str]:
    shot = tmp_path / f"{page.stem}.png"
    dump = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dump.returncode == 0, dump.stderr[-2000:]
    snap = _chromium(tmp_path, "--window-size=1280,2000", f"--screenshot={shot}", page.as_uri())
    assert snap.returncode == 0 and shot.exists(), snap.stderr[-2000:]
    return lxml.html.fromstring(dump.stdout), shot, dump.stderr + snap.stderr


def _check(dom: lxml.html.HtmlElement, notices: list[noticeparse.Notice], logs: str, shot: Path) -> None:
    from PIL import Image, ImageStat

    console = [line for line in logs.splitlines() if "CONSOLE" in line]
    assert not console, console
    cells = dom.xpath("//table[@class='matrix']//td[@data-unit]")
    sections = dom.xpath("//section[contains(@class, 'notice')]")
    assert len(sections) == len(notices)
    by_file = {Path(n.source.path).name: n for n in notices}
    for section in sections:
        notice = by_file[Path(section.xpath(".//dd[@data-field='file']")[0].text).name]
        for act in notice.activities:
            drawn = section.xpath(f'.//svg//*[@data-activity="{act.id}"]'
                                  f' | .//div[@class="undated"]//*[@data-activity="{act.id}"]')
            assert len(drawn) == 1, (notice.source.path, act.id)
            if notice.text is not None:
                mark = section.xpath(f'.//article[@data-activity="{act.id}"]//mark')[0]
                assert mark.text_content() == notice.text[act.source.char_start:act.source.char_end]
    assert len(cells) == sum(len(assignments(a)) for n in notices for a in n.activities)
    grey = Image.open(shot).convert("L")
    assert ImageStat.Stat(grey).stddev[0] > 10, "the screenshot is blank"


def test_the_seed_report_renders(tmp_path: Path) -> None:
    notice = noticeparse.parse(SEED)
    page = tmp_path / "seed.html"
    noticeparse.report([notice], page)
    dom, shot, logs = _render(tmp_path, page)
    _check(dom, [notice], logs, shot)
    assert dom.xpath("//svg[@class='timeline']//rect")


def test_a_real_batch_report_renders(tmp_path: Path) -> None:
    files = [REAL / n for n in BATCH if (REAL / n).exists()]
    if len(files) < 3:
        pytest.skip("../shared/corpus is not beside this checkout")
    out = tmp_path / "out"
    result = noticeparse.batch(files, out, formats=["html"], jobs=2, progress=False)
    assert result.ok == len(files)
    page = out / "report.html"
    dom, shot, logs = _render(tmp_path, page)
    notices = [noticeparse.parse(f) for f in files]
    _check(dom, notices, logs, shot)
    assert int(dom.xpath("//b[@data-count='documents']")[0].text) == len(files)
