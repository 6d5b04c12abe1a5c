"""Stage 1: read a file into blocks. One module per format, chosen by extension or content.

Format modules are imported on first use, so `noticeparse --help` never loads a
heavy library. Every module has `extract(path, data, rules, limits) -> Extraction`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .._limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNZIPPED, Limits
from ..errors import CorruptFile, LimitExceeded, UnsupportedFormat
from ..models import Block, Extraction
from ..rules import Rules
from ..text.width import fold_width
from .tables import GridTooLarge, cell_budget

__all__ = [
    "DEFAULT_MAX_BYTES", "DEFAULT_MAX_UNZIPPED", "SUFFIXES", "Limits", "detect_format", "drop_chrome",
    "extract_blocks", "number_blocks",
]

# Extension → format. A format is supported when a module of its name exists here.
SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".aspx": "html",
    ".asp": "html",
    ".jsp": "html",
    ".php": "html",
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "doc",
    ".pdf": "pdf",
    ".ofd": "ofd",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
}
SUPPORTED = ("txt", "html", "docx", "doc", "pdf", "ofd", "image")
_IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")

_SNIFF_BYTES = 2048


def sniff_format(data: bytes) -> str | None:
    """Name the format from the file's first bytes; None when it looks like plain text."""
    head = data[:_SNIFF_BYTES]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(_IMAGE_SIGNATURES):
        return "image"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered:
        return "html"
    return None


def detect_format(path: Path, data: bytes) -> str:
    """The format of a file: content first for formats with a signature, then extension.

    Raises UnsupportedFormat when the format has no extractor yet.
    """
    named = SUFFIXES.get(path.suffix.lower())
    fmt = sniff_format(data) or named or "txt"
    if fmt == "docx":
        from .ofd import is_ofd

        if named == "ofd" or is_ofd(data):
            fmt = "ofd"  # both are zip packages: an OFD holds OFD.xml
    if fmt == "txt" and path.suffix.lower() in SUFFIXES and SUFFIXES[path.suffix.lower()] != "txt":
        # A .docx or .pdf without its signature is damaged or mislabelled, not text.
        fmt = SUFFIXES[path.suffix.lower()]
    if fmt not in SUPPORTED:
        raise UnsupportedFormat(path, f"{fmt} input is not supported yet; save it as .txt")
    return fmt


def drop_chrome(texts: list[str], rules: Rules) -> list[str]:
    """Drop web-page and export chrome lines (rules/chrome.toml)."""
    chrome = rules.chrome.any_line()
    return [text for text in texts if not chrome.fullmatch(fold_width(text))]


def number_blocks(blocks: list[Block]) -> list[Block]:
    """Give blocks consecutive indices and their offsets in the extracted text, in place: the
    blocks are an extractor's own, just made, and this is the one change they see (a copy of
    each cost a tenth of a large .docx's time). Returns the same list."""
    pos = 0
    for i, block in enumerate(blocks):
        end = pos + len(block.text)
        block.index, block.char_start, block.char_end = i, pos, end
        pos = end + 1
    return blocks


def joined_text(blocks: list[Block]) -> str:
    """The extracted text that records' offsets point into: the blocks joined by newlines."""
    return "\n".join(b.text for b in blocks)


def extract_blocks(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """Read `data` (the bytes of `path`) into blocks with the format's extractor.

    Raises an InputError subclass when the file cannot be read.
    """
    fmt = detect_format(path, data)
    module = importlib.import_module(f"{__name__}.{fmt}")
    try:
        limits = limits or Limits()
        with cell_budget(limits.max_table_cells):
            extraction: Extraction = module.extract(path, data, rules, limits)
    except RecursionError as exc:
        raise CorruptFile(path, "nested too deeply to read") from exc
    except GridTooLarge as exc:
        raise LimitExceeded(path, str(exc)) from exc
    if len(extraction.blocks) > limits.max_paragraphs:
        raise LimitExceeded(path, f"over {limits.max_paragraphs} paragraphs (the paragraph limit)")
    number_blocks(extraction.blocks)
    return extraction
