"""Caps that keep a hostile file from taking unbounded memory or time (stdlib only: the CLI reads them)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_MAX_BYTES", "DEFAULT_MAX_PARAGRAPHS", "DEFAULT_MAX_TABLE_CELLS", "DEFAULT_MAX_UNZIPPED",
    "DEFAULT_TIMEOUT", "OCR_MODES", "Limits",
]

# No notice is this big; a bigger file is refused before it is read (--max-bytes).
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# What a .docx (a zip) may inflate to, all parts together (--max-unzipped): a zip-bomb guard.
DEFAULT_MAX_UNZIPPED = 512 * 1024 * 1024
# Seconds one file may take in a batch (--timeout).
DEFAULT_TIMEOUT = 120
# Cells all the tables of one document may expand to once merged cells are repeated: a few
# bytes of rowspan/colspan must not cost gigabytes.
DEFAULT_MAX_TABLE_CELLS = 1_000_000
# Paragraphs one document may have. Each costs a few kilobytes through the pipeline whatever
# its length, so a file of a million one-word lines would need gigabytes; the longest real
# notices have a few thousand.
DEFAULT_MAX_PARAGRAPHS = 200_000


# OCR of scanned pages: auto (pages that are images without text), force (every page), off.
OCR_MODES = ("auto", "force", "off")


@dataclass(frozen=True)
class Limits:
    """What bounds and steers an extractor: its caps, and whether scanned pages are OCR'd."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_unzipped: int = DEFAULT_MAX_UNZIPPED
    max_table_cells: int = DEFAULT_MAX_TABLE_CELLS
    max_paragraphs: int = DEFAULT_MAX_PARAGRAPHS
    ocr: str = "auto"
