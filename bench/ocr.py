"""OCR benchmark: CPU and wall seconds per scanned page, noticeparse against bare RapidOCR.

For every scan of ../shared/corpus (the seed's scan, the renderings' scans and the real scans
017 and 038) this renders each page once, then times, in this one process:

- bare RapidOCR on the page's image (its defaults apart from the angle classifier, which
  noticeparse turns off), and
- `noticeparse.parse` on the whole file (rendering, recognition, table rules, seals, layout).

CPU seconds are the process's (onnxruntime's threads included). Where a scan has a text twin
(the .pdf it was made from) the scan's records are scored against the twin's with
../shared/eval/score.py: the agreement a user of the scan gets.

    python bench/ocr.py            # the table
    python bench/ocr.py --json     # the same figures for machines
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
SCANS = [
    (CORPUS / "fixtures" / "notice_literal_1x.scan.pdf", CORPUS / "fixtures" / "notice_literal_1x.pdf"),
    *[(p, p.with_name(p.name.replace(".scan.pdf", ".pdf")))
      for p in sorted((CORPUS / "renderings").glob("*.scan.pdf"))],
    (CORPUS / "real" / "017.pdf", None),
    (CORPUS / "real" / "038.pdf", None),
]
# The target: a scanned page costs at most this much CPU.
CPU_PER_PAGE = 5.0
FIELDS = ["title", "description", "time.raw", "time.start", "time.end", "location", "lead", "support",
          "notice.title", "notice.issuer", "notice.doc_number", "notice.issue_date", "notice.recipients"]


def _scorer():  # type: ignore[no-untyped-def]
    if not SCORE.exists():
        return None
    spec = importlib.util.spec_from_file_location("score", SCORE)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _bare_engine():  # type: ignore[no-untyped-def]
    import logging

    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(params={"Global.use_cls": False, "Global.log_level": "error"})


def measure(scan: Path, twin: Path | None, bare, score) -> dict:  # type: ignore[no-untyped-def]
    import numpy as np
    import pypdfium2 as pdfium

    import noticeparse

    document = pdfium.PdfDocument(scan)
    images = []
    for n in range(len(document)):
        bitmap = document[n].render(scale=200 / 72, rev_byteorder=True)
        images.append(bitmap.to_numpy()[:, :, :3].copy())
    document.close()
    cpu, wall = time.process_time(), time.perf_counter()
    for image in images:
        grey = image[:, :, 0]
        bare(np.stack([grey, grey, grey], axis=-1))
    bare_cpu, bare_wall = time.process_time() - cpu, time.perf_counter() - wall
    cpu, wall = time.process_time(), time.perf_counter()
    notice = noticeparse.parse(scan)
    np_cpu, np_wall = time.process_time() - cpu, time.perf_counter() - wall
    pages = len(images)
    row = {
        "file": str(scan.relative_to(CORPUS)), "pages": pages, "records": len(notice.activities),
        "cpu_per_page": np_cpu / pages, "wall_per_page": np_wall / pages,
        "bare_cpu_per_page": bare_cpu / pages, "bare_wall_per_page": bare_wall / pages,
        "cpu_ratio": np_cpu / bare_cpu if bare_cpu else None, "twin_f1": None,
    }
    if twin is not None and twin.exists() and score is not None:
        reference = json.loads(noticeparse.parse(twin).model_dump_json())
        tally = score.Tally()
        score.score_doc(tally, reference, json.loads(notice.model_dump_json()), scan.name)
        row["twin_f1"] = tally.micro(FIELDS)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    try:
        bare = _bare_engine()
    except ImportError:
        print('bench/ocr.py needs the OCR extra: pip install -e ".[ocr]"', file=sys.stderr)
        return 2
    import numpy as np

    bare(np.full((64, 256, 3), 255, np.uint8))  # load the models before timing
    importlib.import_module("noticeparse.extract.ocr").engine()
    score = _scorer()
    rows = [measure(scan, twin, bare, score) for scan, twin in SCANS if scan.exists()]
    pages = sum(r["pages"] for r in rows)
    total = {
        "pages": pages,
        "cpu_per_page": sum(r["cpu_per_page"] * r["pages"] for r in rows) / pages,
        "bare_cpu_per_page": sum(r["bare_cpu_per_page"] * r["pages"] for r in rows) / pages,
        "wall_per_page": sum(r["wall_per_page"] * r["pages"] for r in rows) / pages,
    }
    if args.json:
        print(json.dumps({"rows": rows, "total": total}, indent=1))
        return 0
    print("| scan | pages | records | CPU s/page | bare RapidOCR CPU s/page | ratio | wall s/page | twin F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        twin = f"{r['twin_f1']:.4f}" if r["twin_f1"] is not None else "—"
        print(f"| {r['file']} | {r['pages']} | {r['records']} | {r['cpu_per_page']:.2f} | {r['bare_cpu_per_page']:.2f} "
              f"| {r['cpu_ratio']:.2f} | {r['wall_per_page']:.2f} | {twin} |")
    met = "met" if total["cpu_per_page"] <= CPU_PER_PAGE else "MISSED"
    print(f"\nall {pages} pages: {total['cpu_per_page']:.2f} s CPU a page "
          f"(bare RapidOCR {total['bare_cpu_per_page']:.2f}), {total['wall_per_page']:.2f} s wall; "
          f"target <= {CPU_PER_PAGE:g} s CPU: {met}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
