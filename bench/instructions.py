"""Instruction counts: noticeparse against the library underneath, counted by valgrind's callgrind.

A shared machine's wall clock swings by a third from run to run (other tenants, CPU steal); the
instructions a run executes do not. This script runs each workload under
`valgrind --tool=callgrind` twice — with the work repeated N times and with it done once as a
warm-up only — so that start-up (the interpreter, imports, rules) cancels out, and prints the
instructions per repetition of noticeparse and of the bare library, and their ratio. It is the
steady figure to compare two versions of the code by; bench/run.py gives the times.

    python bench/instructions.py            # every workload (a few minutes: callgrind is ~50x slower)
    python bench/instructions.py web pdf    # some of them

Workloads: txt (the seed, caches emptied before each parse), docx (the typed 10x file against
python-docx), pdf (the 10x file against pypdfium2's text), web (100 school-site archive pages
against `lxml.html.fromstring(...).text_content()`). Needs Debian's valgrind.
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "samples" / "gongqingcheng-quality-month-plan-2024.txt"
DOCX = SHARED / "bench" / "notice_literal_10x.docx"
PDF = SHARED / "bench" / "notice_literal_10x.pdf"
ARCHIVE = SHARED / "corpus" / "archive" / "school-site-2500.zip"
WEB_PAGES = 100
REPEAT = {"txt": 20, "docx": 3, "pdf": 3, "web": 1}
WORKLOADS = tuple(REPEAT)


@functools.lru_cache(maxsize=1)
def _pages() -> list[bytes]:
    """The archive pages, read once (in the warm-up, so that the reading cancels out)."""
    import zipfile

    with zipfile.ZipFile(ARCHIVE) as archive:
        return [archive.read(m) for m in archive.infolist() if not m.is_dir()][:WEB_PAGES]


def _work(name: str, side: str) -> object:
    """One repetition of workload `name` on `side` (ours or bare): the bare readers and the
    cache emptying are bench/run.py's, so both scripts measure the same thing."""
    from run import bare_docx, bare_pdfium, bare_txt, cold_caches

    import noticeparse

    if name == "web":
        return _web(side)
    path = {"txt": SEED, "docx": DOCX, "pdf": PDF}[name]
    if side == "bare":
        return {"txt": bare_txt, "docx": bare_docx, "pdf": bare_pdfium}[name](path)()
    cold_caches()
    return noticeparse.parse(path)


def _web(side: str) -> object:
    import lxml.html
    from run import cold_caches

    import noticeparse

    pages = _pages()
    if side == "bare":
        return [lxml.html.fromstring(data).text_content() for data in pages]
    cold_caches()
    out = []
    for k, data in enumerate(pages):
        try:
            out.append(noticeparse.parse_data(f"page{k}.html", data))
        except noticeparse.InputError:
            pass
    return out


def _driver(name: str, side: str, times: int) -> None:
    """What runs under callgrind: imports, one warm-up, then `times` repetitions."""
    import lxml.html  # noqa: F401  (loaded on both sides, so that it cancels out)

    import noticeparse
    from noticeparse.rules import default_rules

    noticeparse.parse(SEED)
    default_rules()
    _work(name, side)
    for _ in range(times):
        _work(name, side)


def _count(name: str, side: str, times: int) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
         "--driver", name, side, str(times)],
        capture_output=True, text=True, check=False,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or not found:
        raise SystemExit(f"valgrind run failed for {name} {side}: {run.stderr.strip().splitlines()[-1:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workloads", nargs="*", help=f"some of {', '.join(WORKLOADS)} (default: all)")
    ap.add_argument("--driver", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.driver:
        _driver(args.driver[0], args.driver[1], int(args.driver[2]))
        return 0
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        ap.error(f"unknown workload {unknown[0]!r} (choose from {', '.join(WORKLOADS)})")
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1
    print("| workload | noticeparse (M instructions) | underneath (M instructions) | ratio |")
    print("|---|---:|---:|---:|")
    for name in args.workloads or WORKLOADS:
        n = REPEAT[name]
        ours = (_count(name, "ours", n) - _count(name, "ours", 0)) / n
        bare = (_count(name, "bare", n) - _count(name, "bare", 0)) / n
        print(f"| {name} | {ours / 1e6:.1f} | {bare / 1e6:.2f} | {ours / bare:.2f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
