"""OCR of scanned pages and image files, offline, with RapidOCR (the extra `noticeparse[ocr]`).

RapidOCR ships its PP-OCR Chinese detection and recognition models inside the wheel and
runs on onnxruntime with no network. A page is rendered at 200 dpi; its red channel is
read as the grey image, so red seals and mastheads fade while black text stays (and a
seal over the signature no longer hides it). Each recognised line's box becomes a line
of the PDF reader's line model, so paragraphs, headings, page numbers and a scanner
app's stamp are rebuilt and removed by the code that reads text PDFs. The angle
classifier stays off: with it on, whole upright lines were dropped.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from ..errors import LimitExceeded, NoTextLayer
from .pdf import Line

__all__ = [
    "DEFAULT_DPI", "DEFAULT_PAGE_SECONDS", "OcrPage", "engine", "missing_extra", "recognise", "render_page",
]

DEFAULT_DPI = 200
# A recognised line below this confidence gets a warning.
DEFAULT_LOW_CONFIDENCE = 0.6
# Seconds one page's recognition may take before the file is given up.
DEFAULT_PAGE_SECONDS = 60.0
ENGINE_NAME = "RapidOCR PP-OCR"
EXTRA = 'pip install "noticeparse[ocr]"'
_ENGINE: list[Any] = []
# OCR returns ASCII punctuation; a document printed with full-width marks gets them back.
_HALF = ":;,()?!"
_FULL = "：；，（）？！"
_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”]"
_BETWEEN = re.compile(rf"(?<={_CJK})([{re.escape(_HALF)}])|([{re.escape(_HALF)}])(?={_CJK})")


def missing_extra() -> str | None:
    """Why OCR cannot run here (the extra is not installed), or None."""
    try:
        import numpy  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return f"OCR needs the extra: {EXTRA}"
    return None


def engine() -> Any:
    """The recogniser, loaded once per process (batch workers keep theirs)."""
    if not _ENGINE:
        from rapidocr import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        _ENGINE.append(RapidOCR(params={"Global.use_cls": False, "Global.log_level": "error"}))
    return _ENGINE[0]


@dataclass
class OcrPage:
    """The lines recognised on one page and how sure the recogniser was."""

    lines: list[Line]
    confidence: float
    low: int
    seconds: float


def render_page(page: Any, dpi: int = DEFAULT_DPI) -> Any:
    """A PDFium page as an RGB array at `dpi`."""
    bitmap = page.render(scale=dpi / 72)
    try:
        return bitmap.to_numpy()[:, :, :3].copy()
    finally:
        bitmap.close()


def recognise(image: Any, number: int, height_pt: float, dpi: int = DEFAULT_DPI,
              limit: float = DEFAULT_PAGE_SECONDS) -> OcrPage:
    """The text lines of an RGB image of page `number` (`height_pt` tall), in the line model."""
    import numpy as np

    grey = image[:, :, 0]  # the red channel: red seals and mastheads fade, black text stays
    started = time.monotonic()
    result = engine()(np.stack([grey, grey, grey], axis=-1))
    seconds = time.monotonic() - started
    if seconds > limit:
        raise LimitExceeded(None, f"OCR of page {number} took over {limit:g} s (the per-page limit)")
    scale = 72 / dpi
    lines: list[Line] = []
    scores: list[float] = []
    low = 0
    boxes = result.boxes if result.boxes is not None else []
    for box, text, score in zip(boxes, result.txts or (), result.scores or (), strict=False):
        text = str(text).strip()
        if not text:
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        top, bottom = min(ys) * scale, max(ys) * scale
        lines.append(Line(
            text=text, page=number, left=min(xs) * scale, right=max(xs) * scale,
            top=height_pt - top, bottom=height_pt - bottom, size=max(bottom - top, 1.0),
        ))
        scores.append(float(score))
        low += float(score) < DEFAULT_LOW_CONFIDENCE
    confidence = sum(scores) / len(scores) if scores else 0.0
    return OcrPage(_rows(lines), confidence, low, seconds)


def _rows(boxes: list[Line]) -> list[Line]:
    """Boxes that stand on one line (a letter-spaced title 通　知 comes back as two), joined left to
    right, a space where they stand an em or more apart; lines top to bottom."""
    boxes = sorted(boxes, key=lambda ln: -(ln.top + ln.bottom) / 2)
    rows: list[list[Line]] = []
    for box in boxes:
        middle = (box.top + box.bottom) / 2
        if rows and rows[-1][0].bottom <= middle <= rows[-1][0].top:
            rows[-1].append(box)
        else:
            rows.append([box])
    out = []
    for row in rows:
        row.sort(key=lambda ln: ln.left)
        text = row[0].text
        for prev, box in zip(row, row[1:], strict=False):
            text += (" " if box.left - prev.right >= box.size else "") + box.text
        out.append(Line(text=text, page=row[0].page, left=row[0].left, right=row[-1].right,
                        top=max(b.top for b in row), bottom=min(b.bottom for b in row),
                        size=max(b.size for b in row)))
    return out


def fold_punctuation(pages: list[list[Line]], rules: Any) -> None:
    """Give OCR'd lines the document's punctuation (OCR reads full-width marks as ASCII: they
    become full-width where the text beside them is CJK) and undo the recogniser's known
    confusions (rules/ocr.toml: a dash between digits read as the numeral one)."""
    table = str.maketrans(_HALF, _FULL)
    for lines in pages:
        for line in lines:
            text = _BETWEEN.sub(lambda m: (m.group(1) or m.group(2)).translate(table), line.text)
            for fix in rules.ocr.confusions:
                text = fix.pattern.sub(fix.replace, text)
            line.text = text


def require(path: Any, mode: str) -> None:
    """Raise the one-line error for a scan that cannot be read here."""
    if mode == "off":
        raise NoTextLayer(path, "no text layer (scanned; OCR is off: --ocr auto reads it)")
    why = missing_extra()
    if why:
        raise NoTextLayer(path, f"no text layer (scanned); {why}")
