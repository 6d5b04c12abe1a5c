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
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..errors import LimitExceeded, NoTextLayer
from .grid import fill, find_grids
from .pdf import Line, Table

__all__ = [
    "DEFAULT_DPI", "DEFAULT_PAGE_SECONDS", "OcrPage", "engine", "missing_extra", "recognise", "render_page",
]

DEFAULT_DPI = 200
# A recognised line below this confidence gets a warning.
DEFAULT_LOW_CONFIDENCE = 0.6
# Seconds one page's recognition may take before the file is given up.
DEFAULT_PAGE_SECONDS = 60.0
# A box of at least this many glyphs is sized by its pitch (shorter ones by their height).
DEFAULT_PITCH_GLYPHS = 4
# A shorter box whose height-based size is this close (a share) to the body's takes the body's.
DEFAULT_SHORT_SIZE_SLACK = 0.25
# A pixel is red (a seal, a masthead) when its red channel exceeds the others by this much.
DEFAULT_RED_MARGIN = 60
# Red marks this close (points) are one mark; a seal is at least this wide and tall (points).
DEFAULT_SEAL_GAP_PT = 6.0
DEFAULT_SEAL_MIN_PT = 72.0
ENGINE_NAME = "RapidOCR PP-OCR"
EXTRA = 'pip install "noticeparse[ocr]"'
_ENGINE: list[Any] = []
# OCR returns ASCII punctuation; a document printed with full-width marks gets them back.
_HALF = ":;,()?!"
_FULL = "：；，（）？！"
_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”]"
_BETWEEN = re.compile(rf"(?<={_CJK})([{re.escape(_HALF)}])|([{re.escape(_HALF)}])(?={_CJK})")
# A full-width mark carries its own spacing: OCR's space beside one goes.
_SPACED = re.compile(rf"[ \t]+(?=[{_FULL}])|(?<=[{_FULL}])[ \t]+")


def missing_extra() -> str | None:
    """Why OCR cannot run here (the extra is not installed), or None."""
    try:
        import numpy  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return f"OCR needs the extra: {EXTRA}"
    return None


def engine() -> Any:
    """The recogniser, loaded once per process (batch workers keep theirs). The detector keeps
    RapidOCR's 2,000-pixel page: at 1,800 a handwritten date was lost, at 1,600 a glyph of a
    letter-spaced title, for a fifth to a third less CPU."""
    if not _ENGINE:
        from rapidocr import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        threads = _threads()
        _ENGINE.append(RapidOCR(params={
            "Global.use_cls": False, "Global.log_level": "error",
            # Lines recognised one at a time: a batch pads every line to the widest of six (a third
            # more CPU on a dense page).
            "Rec.rec_batch_num": 1,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }))
    return _ENGINE[0]


def _threads() -> int:
    """Threads for the recogniser: one (NOTICEPARSE_OCR_THREADS asks for more). A thread does the
    most work per CPU second — onnxruntime's extra threads spin: the seed's scan cost 5.1 s of CPU
    a page with its default, 4.3 s with two threads, 3.8 s with one — and a batch's parallelism
    is its workers."""
    asked = os.environ.get("NOTICEPARSE_OCR_THREADS", "")
    cores = os.cpu_count() or 1
    return max(1, min(int(asked), cores)) if asked.isdigit() else 1


@dataclass
class OcrPage:
    """The lines and ruled tables recognised on one page and how sure the recogniser was."""

    lines: list[Line]
    tables: list[Table]
    confidence: float
    low: int
    seconds: float

    @property
    def items(self) -> list[Line | Table]:
        """Lines and tables in reading order, top to bottom."""
        return sorted([*self.lines, *self.tables], key=lambda item: -item.top)


def render_page(page: Any, dpi: int = DEFAULT_DPI) -> Any:
    """A PDFium page as an RGB array at `dpi`."""
    bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # PDFium renders BGR unless asked
    try:
        return bitmap.to_numpy()[:, :, :3].copy()
    finally:
        bitmap.close()


def recognise(image: Any, number: int, height_pt: float, dpi: int = DEFAULT_DPI,
              limit: float = DEFAULT_PAGE_SECONDS) -> OcrPage:
    """The text lines of an RGB image of page `number` (`height_pt` tall), in the line model."""
    import numpy as np

    grey = image[:, :, 0]  # the red channel: red seals and mastheads fade, black text stays
    scale = 72 / dpi
    started = time.monotonic()
    # The engine keeps the steps of its last call: name them every time.
    result = engine()(np.stack([grey, grey, grey], axis=-1), use_det=True, use_cls=False, use_rec=True)
    grids, clean = find_grids(grey, dpi)

    def reread(line: Line) -> str:
        """The text in a line's box, read again from the page without its table rules."""
        return _read_box(clean, _pixels(line, scale, height_pt))[0]

    seconds = time.monotonic() - started
    if seconds > limit:
        raise LimitExceeded(None, f"OCR of page {number} took over {limit:g} s (the per-page limit)")
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
    _reread_under_seals(image, grey, lines, dpi, height_pt)
    confidence = sum(scores) / len(scores) if scores else 0.0
    _type_sizes(lines)
    outside, tables = fill(grids, lines, number, scale, height_pt, _rows, reread)
    return OcrPage(_rows(outside), tables, confidence, low, seconds)


def _pixels(line: Line, scale: float, height_pt: float) -> tuple[int, int, int, int]:
    """A line's box in the page image: left, top, right, bottom pixels."""
    return (int(line.left / scale), int((height_pt - line.top) / scale),
            int(line.right / scale) + 1, int((height_pt - line.bottom) / scale) + 1)


def _read_box(grey: Any, box: tuple[int, int, int, int]) -> tuple[str, float]:
    """Recognise the text inside a box of a grey image (no detection): text and confidence."""
    import numpy as np

    x0, y0, x1, y1 = box
    crop = grey[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)]
    if crop.size == 0:
        return "", 0.0
    again = engine()(np.stack([crop, crop, crop], axis=-1), use_det=False, use_cls=False, use_rec=True)
    texts = [str(t) for t in again.txts or ()]
    scores = [float(v) for v in again.scores or ()]
    return "".join(texts).strip(), min(scores, default=0.0)


def _seals(image: Any, dpi: int) -> list[tuple[int, int, int, int]]:
    """The boxes (pixels) of red marks the size of a seal: an official seal is 4 to 5 cm across."""
    import cv2
    import numpy as np

    channels = image.astype(np.int16)
    red = (channels[:, :, 0] - np.maximum(channels[:, :, 1], channels[:, :, 2]) > DEFAULT_RED_MARGIN)
    if not red.any():
        return []
    near = max(int(DEFAULT_SEAL_GAP_PT * dpi / 72), 1)
    joined = cv2.dilate(red.astype(np.uint8), np.ones((near, near), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    least = DEFAULT_SEAL_MIN_PT * dpi / 72
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:count] if min(w, h) >= least]


def _reread_under_seals(image: Any, grey: Any, lines: list[Line], dpi: int, height_pt: float) -> None:
    """Lines under a red seal read again in a box an em wider each side: the detector, confused by
    the seal's ring, cuts the box short and the last glyph of a signature (厅) is lost."""
    seals = _seals(image, dpi)
    if not seals:
        return
    scale = 72 / dpi
    for line in lines:
        x0, y0, x1, y1 = _pixels(line, scale, height_pt)
        if not any(x0 < sx1 and sx0 < x1 and y0 < sy1 and sy0 < y1 for sx0, sy0, sx1, sy1 in seals):
            continue
        em = max(y1 - y0, 1)
        text, score = _read_box(grey, (x0 - em, y0, x1 + em, y1))
        if score >= DEFAULT_LOW_CONFIDENCE and len(text) > len(line.text):
            line.text = text


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


def _type_sizes(lines: list[Line]) -> list[Line]:
    """Each recognised box's type size from its glyph pitch (width over characters, a half-width one
    counting half), not its height: a box is as tall as the glyphs in it (brackets and quotes add
    a third), so heights cannot tell a title from the body, but pitch can. A box of a few glyphs
    gets its height times the page's usual pitch-to-height ratio."""
    ratios, pitches, short = [], [], []
    for line in lines:
        glyphs = _glyphs(line.text)
        if glyphs >= DEFAULT_PITCH_GLYPHS and line.size > 0:
            pitch = (line.right - line.left) / glyphs
            ratios.append(pitch / line.size)
            pitches.append(pitch)
            line.size = pitch
        else:
            short.append(line)
    ratios.sort()
    pitches.sort()
    ratio = ratios[len(ratios) // 2] if ratios else 1.0
    body = pitches[len(pitches) // 2] if pitches else 0.0
    for line in short:
        line.size *= ratio
        # A height says little about two glyphs (责）): near the body's size is the body's size.
        if body and abs(line.size - body) <= DEFAULT_SHORT_SIZE_SLACK * body:
            line.size = body
    return lines


def _glyphs(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text if not ch.isspace())


def fold_punctuation(pages: list[OcrPage], rules: Any) -> None:
    """Give OCR'd lines and cells the document's punctuation (OCR reads full-width marks as ASCII:
    they become full-width where the text beside them is CJK) and undo the recogniser's known
    confusions (rules/ocr.toml: a dash between digits read as the numeral one)."""
    table = str.maketrans(_HALF, _FULL)

    def fold(text: str) -> str:
        text = _SPACED.sub("", _BETWEEN.sub(lambda m: (m.group(1) or m.group(2)).translate(table), text))
        for fix in rules.ocr.confusions:
            text = fix.pattern.sub(fix.replace, text)
        return text

    for page in pages:
        for line in page.lines:
            line.text = fold(line.text)
        for grid in page.tables:
            grid.grid = [[fold(cell) for cell in row] for row in grid.grid]


def require(path: Any, mode: str) -> None:
    """Raise the one-line error for a scan that cannot be read here."""
    if mode == "off":
        raise NoTextLayer(path, "no text layer (scanned; OCR is off: --ocr auto reads it)")
    why = missing_extra()
    if why:
        raise NoTextLayer(path, f"no text layer (scanned); {why}")
