"""Scans read by offline OCR (the extra noticeparse[ocr]); every test runs with the network cut."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import noticeparse
from noticeparse.errors import NoTextLayer
from tests.conftest import ROOT, SEED
from tests.fixtures import make_pdf

SHARED = ROOT.parent / "shared" / "corpus"
SCAN = SHARED / "fixtures" / "notice_literal_1x.scan.pdf"
ocr = pytest.importorskip("rapidocr", reason='the OCR extra is not installed: pip install "noticeparse[ocr]"')


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No connection may leave this process: the models are in the wheel."""

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("network access in an offline OCR test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _key(notice: noticeparse.Notice) -> list[tuple]:
    import unicodedata

    def norm(text: str | None) -> str:
        return "".join(unicodedata.normalize("NFKC", text or "").split())

    return [(norm(a.title), norm(a.time.raw if a.time else None), a.time.start if a.time else None,
             norm(a.location), [norm(u) for u in a.lead], [norm(u) for u in a.support], norm(a.description))
            for a in notice.activities]


@pytest.mark.skipif(not SCAN.exists(), reason="../shared/corpus is not beside this checkout")
def test_the_seed_scan_gives_its_twins_twelve_records() -> None:
    scan, text = noticeparse.parse(SCAN), noticeparse.parse(SEED)
    assert len(scan.activities) == 12
    assert _key(scan) == _key(text)
    assert scan.notice.model_dump() == text.notice.model_dump()
    assert all(note.startswith(f"page {k}: OCR (RapidOCR") for k, note in enumerate(scan.source.notes, 1))


def _norm(text: str | None) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text or "").split())


@pytest.mark.parametrize("name", ["017", "038"])
def test_a_real_scan_gives_its_gold(name: str) -> None:
    """017: the signature and date under a red seal; 038: a CamScanner page whose 落款 is an organ
    line `…合伙人：` above handwritten names."""
    import json

    path = SHARED / "real" / f"{name}.pdf"
    if not path.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    gold = json.loads((SHARED / "dev" / f"{name}.gold.json").read_text(encoding="utf-8"))
    doc = noticeparse.parse(path)
    for field in ("title", "issuer", "doc_number"):
        assert _norm(getattr(doc.notice, field)) == _norm(gold["notice"][field]), field
    assert str(doc.notice.issue_date) == gold["notice"]["issue_date"]
    assert [_norm(r) for r in doc.notice.recipients] == [_norm(r) for r in gold["notice"]["recipients"]]
    assert [(_norm(a.title), _norm(a.location), str(a.time.start) if a.time else None) for a in doc.activities] == [
        (_norm(a["title"]), _norm(a["location"]), a["time"]["start"] if a["time"] else None) for a in gold["activities"]
    ]


@pytest.mark.skipif(not (SHARED / "renderings" / "121.scan.pdf").exists(),
                    reason="../shared/corpus is not beside this checkout")
def test_a_scanned_ruled_table_gives_the_records_of_its_text_twin() -> None:
    """121's schedule is a ruled table (merged header, cells of several lines): the scan's rules are
    found in the image and each recognised line goes to its cell."""
    scan = noticeparse.parse(SHARED / "renderings" / "121.scan.pdf")
    twin = noticeparse.parse(SHARED / "renderings" / "121.pdf")
    assert len(twin.activities) == 7
    assert _key(scan) == _key(twin)


def test_off_keeps_the_scan_error_and_force_reads_every_page(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf.scan_pdf(pages=1))
    with pytest.raises(NoTextLayer, match="OCR is off"):
        noticeparse.parse(path, ocr="off")
    assert noticeparse.parse(path).source.notes  # auto: the image page went to OCR
    text_pdf = tmp_path / "text.pdf"
    text_pdf.write_bytes(make_pdf.text_pdf([[(72, 700, "Hello OCR world")]]))
    forced = noticeparse.parse(text_pdf, ocr="force")
    assert forced.source.notes and forced.source.notes[0].startswith("page 1: OCR")


def test_an_image_file_is_read(tmp_path: Path) -> None:
    import cv2
    import pypdfium2 as pdfium

    if not SCAN.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    page = pdfium.PdfDocument(SCAN)[1]
    image = tmp_path / "page.png"
    cv2.imwrite(str(image), page.render(scale=200 / 72).to_numpy()[:, :, :3])
    doc = noticeparse.parse(image)
    assert doc.source.format == "image" and len(doc.activities) == 2
    assert doc.activities[0].title == "举办共青城市“质量月”宣传活动"


@pytest.mark.skipif(shutil.which("unshare") is None, reason="no unshare here")
def test_the_command_line_reads_a_scan_in_a_network_namespace(tmp_path: Path) -> None:
    if not SCAN.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("network namespaces are not available here")
    result = subprocess.run(["unshare", "-n", sys.executable, "-m", "noticeparse", "extract", str(SCAN), "-f", "jsonl"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert '"title": "深化信用提升三年行动"' in result.stdout


def test_help_loads_no_ocr_module() -> None:
    code = "import sys; from noticeparse.cli import cli; sys.argv=['noticeparse','--help']\n" \
           "try:\n    cli()\nexcept SystemExit:\n    pass\n" \
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rapidocr','onnxruntime','cv2','numpy')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip().endswith("[]")
