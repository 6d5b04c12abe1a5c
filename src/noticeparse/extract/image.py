"""Image files (a scan saved as .png/.jpg/.tif/.bmp): read by OCR (the extra `noticeparse[ocr]`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CorruptFile
from ..models import Extraction, NoticeWarning
from ..rules import Rules
from .pdf import Page, lines_to_blocks

if TYPE_CHECKING:
    from . import Limits

__all__ = ["extract"]


def extract(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """The image's text by OCR, as one page."""
    from .ocr import DEFAULT_DPI, ENGINE_NAME, fold_punctuation, recognise, require

    mode = limits.ocr if limits else "auto"
    require(path, mode)
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise CorruptFile(path, "not a readable image")
    rgb = image[:, :, ::-1]  # OpenCV reads BGR
    height = image.shape[0] * 72 / DEFAULT_DPI
    found = recognise(rgb, 1, height)
    fold_punctuation([found], rules)
    warnings = []
    if found.low:
        warnings.append(NoticeWarning(code="ocr_low_confidence",
                                      message=f"page 1: {found.low} line(s) read with low confidence"))
    note = f"page 1: OCR ({ENGINE_NAME}, image read as {DEFAULT_DPI} dpi, mean confidence {found.confidence:.2f})"
    blocks = lines_to_blocks([Page(number=1, height=height, items=found.items)], rules)
    return Extraction(format="image", blocks=blocks, pages=1, warnings=warnings, notes=[note])
