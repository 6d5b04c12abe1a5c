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


@pytest.mark.skipif(not (SHARED / "real" / "017.pdf").exists(), reason="../shared/corpus is not beside this checkout")
def test_a_real_scan_with_a_red_seal_is_read() -> None:
    doc = noticeparse.parse(SHARED / "real" / "017.pdf")
    assert doc.notice.title == "农业农村部办公厅关于加力推进农机购置与应用补贴“优机优补”“有进有出”的意见"
    assert doc.notice.issuer == "农业农村部办公厅"
    assert len(doc.notice.recipients) == 4 and doc.source.pages == 8


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
