"""Report benchmark: a batch report of 2,000 archive pages — its size, the time to write it, and the
time headless Chromium takes to render it (against Chromium opening about:blank, same run).

    python bench/report.py                      # 2,000 pages of the school-site archive
    python bench/report.py --pages 500 --json

Targets (issue 18): under 20 MB, and rendered in under 3 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "corpus" / "archive" / "school-site-2500.zip"
MAX_MB = 20
MAX_RENDER_S = 3.0
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def _chromium_seconds(browser: str, url: str, profile: Path, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                       capture_output=True, check=True, timeout=120)
        out.append(time.perf_counter() - started)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="archive pages in the batch")
    parser.add_argument("--repeat", type=int, default=3, help="Chromium renders to time")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    import noticeparse

    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                   None)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pages = work / "pages"
        pages.mkdir()
        with zipfile.ZipFile(ARCHIVE) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()][: args.pages]
            for k, member in enumerate(members):
                (pages / f"{k:05d}{Path(member.filename).suffix}").write_bytes(archive.read(member))
        started = time.perf_counter()
        result = noticeparse.batch([pages], work / "out", jobs=2, progress=False)
        batch_s = time.perf_counter() - started
        started = time.perf_counter()
        noticeparse.batch([pages], work / "out", formats=["html"], resume=True, progress=False)
        report_s = time.perf_counter() - started
        page = work / "out" / "report.html"
        size_mb = page.stat().st_size / 1e6
        figures = {"documents": result.ok + result.failed, "records": sum(
            1 for line in (work / "out" / "activities.csv").open(encoding="utf-8-sig")) - 1,
            "batch_s": batch_s, "report_s": report_s, "size_mb": size_mb, "render_s": None, "blank_s": None}
        if browser:
            blank = _chromium_seconds(browser, "about:blank", work / "profile", args.repeat)
            full = _chromium_seconds(browser, page.as_uri(), work / "profile", args.repeat)
            figures["blank_s"] = statistics.median(blank)
            figures["render_s"] = statistics.median(full) - statistics.median(blank)
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"{figures['documents']} documents, {figures['records']} records: batch {batch_s:.1f} s; "
          f"the report written (a --resume run with -f html) in {report_s:.1f} s")
    print(f"report.html: {size_mb:.1f} MB (target < {MAX_MB} MB: {'met' if size_mb < MAX_MB else 'MISSED'})")
    if figures["render_s"] is None:
        print("Chromium not found: render time not measured", file=sys.stderr)
    else:
        render = figures["render_s"]
        print(f"headless Chromium renders it in {render:.2f} s beyond opening about:blank ({figures['blank_s']:.2f} s) "
              f"(target < {MAX_RENDER_S:g} s: {'met' if render < MAX_RENDER_S else 'MISSED'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
