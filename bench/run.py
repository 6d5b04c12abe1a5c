"""Benchmarks: noticeparse end to end against the extraction underneath it and against markitdown.

Every figure comes from this one run on this machine, so ratios compare like
with like. Each timing is several repetitions after a warm-up, reported as the
median and min-max; noticeparse's caches are emptied before every repetition
(a batch never sees the same file twice). Peak memory and the whole-process
timings (`noticeparse --help`, one `extract`, `import noticeparse`) run in fresh
interpreters. The 50x cases are generated here from the 10x files.

    python bench/run.py            # the table, with each target met or missed
    python bench/run.py --json     # the same figures for machines
    python bench/run.py --quick    # fewer repetitions

Install the comparison tools with `pip install -e ".[bench]"` (markitdown for
documents, trafilatura for web pages); without them those columns stay empty. They are
timed last, after every case's own measure against the library underneath: their imports
leave tens of thousands of objects behind, which every later full garbage collection walks.
Web pages: every .html/.aspx of ../shared/corpus/real/ and the first 200 pages
of the school-site archive, each set timed as one pass, against bare
`lxml.html.fromstring(...).text_content()` in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BENCH = SHARED / "bench"
FIXTURES = SHARED / "corpus" / "fixtures"
SEED = ROOT / "samples" / "gongqingcheng-quality-month-plan-2024.txt"
PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("noticeparse"))

# Targets (issues 8 and 19), as ratios from the same run.
DOCX_RATIO = 1.3
PDF_RATIO = 2.0
PDF_RATIO_GOAL = 1.5
TXT_DOCS_PER_S = 1000
GROWTH_50X = 60.0
HELP_SECONDS = 0.15
EXTRACT_SECONDS = 0.4
PDF_50X_PEAK_MB = 150


def timed(fn: Callable[[], object], repeat: int, before: Callable[[], None] | None = None) -> list[float]:
    """Seconds per call: one warm-up, then `repeat` timed calls."""
    fn()
    out = []
    for _ in range(repeat):
        if before:
            before()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def cold_caches() -> None:
    from noticeparse.rules import default_rules
    from noticeparse.text.width import fold_width

    default_rules().forget()
    fold_width.cache_clear()


# -- the extraction underneath ------------------------------------------------------------------


def bare_txt(path: Path) -> Callable[[], object]:
    def run() -> object:
        data = path.read_bytes()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("gb18030")

    return run


def bare_docx(path: Path) -> Callable[[], object]:
    import docx

    def run() -> object:
        document = docx.Document(str(path))
        texts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                texts.extend(cell.text for cell in row.cells)
        return texts

    return run


def bare_pdfium(path: Path) -> Callable[[], object]:
    import pypdfium2 as pdfium

    def run() -> object:
        pdf = pdfium.PdfDocument(str(path))
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        pdf.close()
        return texts

    return run


def bare_pdfplumber(path: Path) -> Callable[[], object]:
    import pdfplumber

    def run() -> object:
        with pdfplumber.open(str(path)) as pdf:
            texts = []
            for page in pdf.pages:
                texts.append(page.extract_text())
                page.close()
            return texts

    return run


def markitdown(path: Path) -> Callable[[], object] | None:
    try:
        from markitdown import MarkItDown
    except ImportError:
        return None
    converter = MarkItDown()
    return lambda: converter.convert(str(path)).text_content


def ours(path: Path) -> Callable[[], object]:
    import noticeparse

    return lambda: noticeparse.parse(path)


# -- web pages -----------------------------------------------------------------------------------

REAL = SHARED / "corpus" / "real"
ARCHIVE = SHARED / "corpus" / "archive" / "school-site-2500.zip"
ARCHIVE_PAGES = 200
# Web pages against bare lxml (issue 19), the median total over the set.
WEB_RATIO = 4.0
WEB_RATIO_GOAL = 2.0


@dataclass
class WebSet:
    """A set of web pages, each timed as a whole pass over the set."""

    name: str
    pages: list[tuple[str, bytes]]
    ours: list[float] = field(default_factory=list)
    lxml: list[float] = field(default_factory=list)
    trafilatura: list[float] = field(default_factory=list)

    def ratio(self, other: list[float]) -> float | None:
        return statistics.median(self.ours) / statistics.median(other) if other else None


def web_sets() -> list[WebSet]:
    import zipfile

    real = [(p.name, p.read_bytes()) for p in sorted(REAL.iterdir()) if p.suffix.lower() in (".html", ".htm", ".aspx")]
    with zipfile.ZipFile(ARCHIVE) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()][:ARCHIVE_PAGES]
        pages = [(m.filename, archive.read(m)) for m in members]
    return [WebSet(f"real web pages ({len(real)})", real), WebSet(f"archive pages ({len(pages)})", pages)]


def measure_web(web: WebSet, repeat: int) -> None:
    import lxml.html

    import noticeparse

    def ours() -> None:
        for name, data in web.pages:
            try:
                noticeparse.parse_data(name, data)
            except noticeparse.InputError:
                pass

    def bare() -> None:
        for _, data in web.pages:
            lxml.html.fromstring(data).text_content()

    web.ours = timed(ours, repeat, before=cold_caches)
    web.lxml = timed(bare, repeat)


def measure_web_peer(web: WebSet, repeat: int) -> None:
    """trafilatura on the same pages, after every set's own measure (as `measure_peers`)."""
    try:
        import trafilatura
    except ImportError:
        return

    def peer() -> None:
        for _, data in web.pages:
            trafilatura.extract(data)

    web.trafilatura = timed(peer, max(1, repeat // 3))


# -- generated cases -----------------------------------------------------------------------------


def make_50x(tmp: Path) -> dict[str, Path]:
    """50x renderings: the 10x files five times over."""
    import docx
    import pypdfium2 as pdfium

    out = {}
    txt = tmp / "notice_50x.utf8.txt"
    txt.write_text((BENCH / "notice_10x.utf8.txt").read_text(encoding="utf-8") * 5, encoding="utf-8")
    out["txt"] = txt
    base = docx.Document(str(BENCH / "notice_literal_10x.docx"))
    body = base.element.body
    section = body[-1]
    elements = [el for el in body if el is not section]
    for _ in range(4):
        for el in elements:
            section.addprevious(__import__("copy").deepcopy(el))
    out["docx"] = tmp / "notice_literal_50x.docx"
    base.save(str(out["docx"]))
    pdf = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(BENCH / "notice_literal_10x.pdf"))
    for _ in range(5):
        pdf.import_pages(source)
    out["pdf"] = tmp / "notice_literal_50x.pdf"
    with open(out["pdf"], "wb") as fh:
        pdf.save(fh)
    pdf.close()
    source.close()
    return out


# -- whole processes -----------------------------------------------------------------------------


def process_seconds(argv: list[str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        out.append(time.perf_counter() - t)
    return out


def peak_rss_mb(path: Path) -> float:
    """Peak resident memory of a fresh interpreter that parses `path` once."""
    # VmHWM starts afresh at exec; ru_maxrss would carry this process's own peak over (Linux).
    code = (
        "import resource, sys, noticeparse; noticeparse.parse(sys.argv[1]);"
        "lines = open('/proc/self/status').read().splitlines() if sys.platform == 'linux' else [];"
        "hwm = [int(x.split()[1]) for x in lines if x.startswith('VmHWM:')];"
        "print(hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run([PYTHON, "-c", code, str(path)], check=True, capture_output=True, text=True)
    return int(done.stdout.strip()) / 1024


def heavy_modules_after_import() -> list[str]:
    code = (
        "import sys, noticeparse, noticeparse.cli;"
        "heavy = ['pdfplumber', 'pypdfium2', 'docx', 'jieba', 'lxml', 'charset_normalizer', 'openpyxl', 'pyarrow'];"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True)
    return [m for m in done.stdout.strip().split(",") if m]


# -- report --------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    path: Path
    kind: str
    size: str
    ours: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    bare_name: str = ""
    plumber: list[float] = field(default_factory=list)
    markitdown: list[float] = field(default_factory=list)
    peak_mb: float = 0.0

    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.bare)


def ms(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values) * 1000:.1f} ({min(values) * 1000:.1f}–{max(values) * 1000:.1f})"


def cases(tmp: Path) -> list[Case]:
    generated = make_50x(tmp)
    return [
        Case("seed txt UTF-8", FIXTURES / "notice_1x.utf8.txt", "txt", "1x"),
        Case("seed txt GB18030", FIXTURES / "notice_1x.gb18030.txt", "txt", "1x"),
        Case("txt UTF-8 10x", BENCH / "notice_10x.utf8.txt", "txt", "10x"),
        Case("txt GB18030 10x", BENCH / "notice_10x.gb18030.txt", "txt", "10x"),
        Case("txt UTF-8 50x", generated["txt"], "txt", "50x"),
        Case("docx typed 1x", FIXTURES / "notice_literal_1x.docx", "docx", "1x"),
        Case("docx auto-numbered 1x", FIXTURES / "notice_autonum_1x.docx", "docx", "1x"),
        Case("docx table 1x", FIXTURES / "notice_table_1x.docx", "docx", "1x"),
        Case("docx typed 10x", BENCH / "notice_literal_10x.docx", "docx", "10x"),
        Case("docx table 10x", BENCH / "notice_table_10x.docx", "docx", "10x"),
        Case("docx typed 50x", generated["docx"], "docx", "50x"),
        Case("docx TrueType 10x", BENCH / "notice_ttf_10x.docx", "docx", "10x"),
        Case("docx slim 1x", BENCH / "notice_literal_1x.slim.docx", "docx", "1x"),
        Case("docx slim 10x", BENCH / "notice_literal_10x.slim.docx", "docx", "10x"),
        Case("docx numbering probe", BENCH / "numfmt_probe.docx", "docx", "probe"),
        Case("pdf 1x", FIXTURES / "notice_literal_1x.pdf", "pdf", "1x"),
        Case("pdf auto-numbered 1x", FIXTURES / "notice_autonum_1x.pdf", "pdf", "1x"),
        Case("pdf 10x", BENCH / "notice_literal_10x.pdf", "pdf", "10x"),
        Case("pdf TrueType 10x", BENCH / "notice_ttf_10x.pdf", "pdf", "10x"),
        Case("pdf table 10x", BENCH / "notice_table_10x.pdf", "pdf", "10x"),
        Case("pdf numbering probe", BENCH / "numfmt_probe.pdf", "pdf", "probe"),
        Case("pdf 50x", generated["pdf"], "pdf", "50x"),
    ]


def measure(case: Case, repeat: int) -> None:
    """noticeparse and the library underneath it, in turn."""
    bare = {"txt": bare_txt, "docx": bare_docx, "pdf": bare_pdfium}[case.kind]
    case.bare_name = {"txt": "decode", "docx": "python-docx", "pdf": "pypdfium2"}[case.kind]
    case.ours = timed(ours(case.path), repeat, before=cold_caches)
    case.bare = timed(bare(case.path), repeat)
    case.peak_mb = peak_rss_mb(case.path)


def measure_peers(case: Case, repeat: int) -> None:
    """The peer tools (pdfplumber, markitdown), after every case's own measure: their imports
    leave tens of thousands of objects that every full garbage collection walks afterwards, a
    cost a noticeparse process (a batch worker) never carries."""
    if case.kind == "pdf":
        case.plumber = timed(bare_pdfplumber(case.path), max(1, repeat // 3))
    other = markitdown(case.path) if case.kind != "txt" else None
    if other is not None:
        case.markitdown = timed(other, max(1, repeat // 3))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--quick", action="store_true", help="3 repetitions instead of 9")
    args = ap.parse_args(argv)
    repeat = 3 if args.quick else 9
    with tempfile.TemporaryDirectory() as tmp:
        # The seed's documents/s first, before the comparison tools are imported (a batch worker
        # never loads them; their objects slow every full garbage collection after), over more
        # runs: a 2 ms parse swings with every interruption.
        seed = timed(ours(SEED), repeat * 5, before=cold_caches)
        all_cases = cases(Path(tmp))
        for case in all_cases:
            measure(case, repeat)
        webs = web_sets() if ARCHIVE.exists() else []
        for web in webs:
            measure_web(web, max(3, repeat // 3))
        for case in all_cases:
            measure_peers(case, repeat)
        for web in webs:
            measure_web_peer(web, max(3, repeat // 3))
        help_s = process_seconds([CLI, "--help"], repeat)
        small = process_seconds([CLI, "extract", str(SEED)], repeat)
        imports = process_seconds([PYTHON, "-c", "import noticeparse"], repeat)
        python = process_seconds([PYTHON, "-c", "pass"], repeat)
    heavy = heavy_modules_after_import()
    by = {c.name: c for c in all_cases}

    def growth(kind: str, one: str, fifty: str) -> float:
        return statistics.median(by[fifty].ours) / statistics.median(by[one].ours)

    docs_per_s = 1 / statistics.median(seed)
    targets = [
        ("txt end to end, seed-size docs/s (one core)", f"{docs_per_s:.0f}", f">= {TXT_DOCS_PER_S}",
         docs_per_s >= TXT_DOCS_PER_S),
        ("docx 10x / python-docx", f"{by['docx typed 10x'].ratio():.2f}x", f"<= {DOCX_RATIO}x",
         by["docx typed 10x"].ratio() <= DOCX_RATIO),
        ("pdf 10x / pypdfium2", f"{by['pdf 10x'].ratio():.2f}x", f"<= {PDF_RATIO}x (goal {PDF_RATIO_GOAL}x)",
         by["pdf 10x"].ratio() <= PDF_RATIO),
        ("txt 50x / 1x time", f"{growth('txt', 'seed txt UTF-8', 'txt UTF-8 50x'):.1f}x", f"<= {GROWTH_50X:.0f}x",
         growth("txt", "seed txt UTF-8", "txt UTF-8 50x") <= GROWTH_50X),
        ("docx 50x / 1x time", f"{growth('docx', 'docx typed 1x', 'docx typed 50x'):.1f}x", f"<= {GROWTH_50X:.0f}x",
         growth("docx", "docx typed 1x", "docx typed 50x") <= GROWTH_50X),
        ("pdf 50x / 1x time", f"{growth('pdf', 'pdf 1x', 'pdf 50x'):.1f}x", f"<= {GROWTH_50X:.0f}x",
         growth("pdf", "pdf 1x", "pdf 50x") <= GROWTH_50X),
        ("pdf 50x peak memory", f"{by['pdf 50x'].peak_mb:.0f} MB", f"< {PDF_50X_PEAK_MB} MB",
         by["pdf 50x"].peak_mb < PDF_50X_PEAK_MB),
        ("noticeparse --help (whole process)", f"{statistics.median(help_s):.3f} s", f"< {HELP_SECONDS} s",
         statistics.median(help_s) < HELP_SECONDS),
        ("extract seed .txt (whole process, cold)", f"{statistics.median(small):.3f} s", f"< {EXTRACT_SECONDS} s",
         statistics.median(small) < EXTRACT_SECONDS),
        ("import noticeparse loads no heavy module", ",".join(heavy) or "none", "none", not heavy),
    ]
    for web in webs:
        ratio = web.ratio(web.lxml) or 0.0
        targets.append((f"{web.name} / bare lxml", f"{ratio:.2f}x", f"<= {WEB_RATIO:g}x (goal {WEB_RATIO_GOAL:g}x)",
                        ratio <= WEB_RATIO))
        peer = web.ratio(web.trafilatura)
        if peer is not None:
            targets.append((f"{web.name} / trafilatura", f"{peer:.2f}x", "<= 1x", peer <= 1.0))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    if args.json:
        print(json.dumps({
            "machine": machine,
            "repeat": repeat,
            "cases": [
                {"name": c.name, "kind": c.kind, "size": c.size, "ours_ms": statistics.median(c.ours) * 1000,
                 "bare": c.bare_name, "bare_ms": statistics.median(c.bare) * 1000, "ratio": c.ratio(),
                 "pdfplumber_ms": statistics.median(c.plumber) * 1000 if c.plumber else None,
                 "markitdown_ms": statistics.median(c.markitdown) * 1000 if c.markitdown else None,
                 "peak_mb": c.peak_mb}
                for c in all_cases
            ],
            "web": [{"name": w.name, "ours_ms": statistics.median(w.ours) * 1000,
                     "lxml_ms": statistics.median(w.lxml) * 1000,
                     "trafilatura_ms": statistics.median(w.trafilatura) * 1000 if w.trafilatura else None}
                    for w in webs],
            "import_s": statistics.median(imports) - statistics.median(python),
            "targets": [{"target": t, "value": v, "bar": b, "met": ok} for t, v, b, ok in targets],
        }, ensure_ascii=False, indent=1))
    else:
        print(f"Machine: {machine}; median (min–max) of {repeat} runs, ms; caches emptied before each run.\n")
        print("| case | noticeparse | underneath | ratio | pdfplumber text | markitdown | peak RSS |")
        print("|---|---|---|---|---|---|---|")
        for c in all_cases:
            print(f"| {c.name} | {ms(c.ours)} | {c.bare_name} {ms(c.bare)} | {c.ratio():.2f}x | {ms(c.plumber)} "
                  f"| {ms(c.markitdown)} | {c.peak_mb:.0f} MB |")
        if webs:
            print("\n| web pages (a pass over the set) | noticeparse | bare lxml text | ratio | trafilatura.extract "
                  "| ratio |")
            print("|---|---|---|---|---|---|")
            for w in webs:
                peer = w.ratio(w.trafilatura)
                print(f"| {w.name} | {ms(w.ours)} | {ms(w.lxml)} | {w.ratio(w.lxml):.2f}x | {ms(w.trafilatura)} | "
                      f"{f'{peer:.2f}x' if peer is not None else '—'} |")
        print(f"\n`import noticeparse`: {(statistics.median(imports) - statistics.median(python)) * 1000:.0f} ms "
              f"over a bare interpreter; heavy modules loaded: {', '.join(heavy) or 'none'}.\n")
        print("| target | measured | bar | met |")
        print("|---|---|---|---|")
        for t, v, b, ok in targets:
            print(f"| {t} | {v} | {b} | {'yes' if ok else 'NO'} |")
    return 0 if all(ok for *_, ok in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
