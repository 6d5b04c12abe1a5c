"""Plain-text notices: decode (BOM, UTF-8, GB18030, then detection), one block per line.

Two or more consecutive lines of cells (`序号|工作任务|牵头单位|配合单位`, Markdown
pipes or tabs, the same number of cells each) are a table block.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .._limits import DEFAULT_MAX_PARAGRAPHS
from ..errors import DecodeError, LimitExceeded
from ..models import Block, BlockKind, Extraction, NoticeWarning
from ..rules import Rules

if TYPE_CHECKING:
    from . import Limits

__all__ = ["decode", "extract"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_STRICT = ("utf-8", "gb18030")
# A table typed in text: cells between | (or the full-width ｜), else tabs; at least this many.
_CELL_SEPARATORS = ("|", "\uff5c", "\t")
MIN_TEXT_TABLE_COLUMNS = 3
_RULE = re.compile(r":?-{3,}:?")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
# Control characters other than tab/newline in more than this share of a text mean binary data.
DEFAULT_MAX_CONTROL_SHARE = 0.01


# UTF-16 text without a byte-order mark: it holds NUL bytes (the high byte of every ASCII
# character), and read in the right byte order nearly every character is common text.
DEFAULT_MIN_UTF16_COMMON = 0.9
_COMMON = re.compile(r"[\t\n\r\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2010-\u201f]")


def _utf16_without_bom(data: bytes) -> tuple[str, str, bool] | None:
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        share = len(_COMMON.findall(text)) / max(len(text), 1)
        if best is None or share > best[0]:
            best = (share, name, text)
    if best is None or best[0] < DEFAULT_MIN_UTF16_COMMON or not _plausible(best[2]):
        return None
    return best[2], best[1], True


def _plausible(text: str) -> bool:
    if "\x00" in text:
        return False
    controls = len(_CONTROL.findall(text))
    return controls <= DEFAULT_MAX_CONTROL_SHARE * max(len(text), 1)


def decode(path: Path, data: bytes) -> tuple[str, str, bool]:
    """Decode text bytes; return (text, encoding, guessed).

    Raises DecodeError when no encoding gives plausible text.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name, False
            except UnicodeDecodeError as exc:
                raise DecodeError(path, f"invalid {name} text after its byte-order mark") from exc
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is not None:
            return found
        raise DecodeError(path, "binary data, not text (NUL bytes)")
    for name in _STRICT:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text, name, False
        raise DecodeError(path, "binary data, not text (control characters)")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not _plausible(str(best)):
        raise DecodeError(path, "no text encoding decodes this file")
    return str(best), best.encoding, True


def _cells(line: str) -> tuple[str, list[str]] | None:
    """The separator and cells of a table row typed in text (`序号|工作任务|牵头单位`, or tabs), or None."""
    for sep in _CELL_SEPARATORS:
        if sep in line:
            cells = [c.strip() for c in line.split(sep)]
            if cells and not cells[0] and line.lstrip().startswith(sep):
                cells = cells[1:]  # | a | b | (Markdown)
            if cells and not cells[-1] and line.rstrip().endswith(sep):
                cells = cells[:-1]
            return (sep, cells) if len(cells) >= MIN_TEXT_TABLE_COLUMNS else None
    return None


def _with_tables(lines: list[str]) -> list[tuple[str, list[list[str]] | None]]:
    """Lines as paragraphs, except runs of two or more rows with the same number of cells: tables."""
    from .tables import table_text

    if not any(sep in line for line in lines for sep in _CELL_SEPARATORS):
        return [(line, None) for line in lines]
    out: list[tuple[str, list[list[str]] | None]] = []
    k = 0
    while k < len(lines):
        first = _cells(lines[k])
        run: list[list[str]] = []
        j = k
        while j < len(lines) and first is not None:
            row = _cells(lines[j])
            if row is None or row[0] != first[0] or len(row[1]) != len(first[1]):
                break
            if not all(_RULE.fullmatch(c) for c in row[1]):  # a Markdown |---|---| line is no row
                run.append(row[1])
            j += 1
        if len(run) >= 2:
            out.append((table_text(run), run))
            k = j
        else:
            out.append((lines[k], None))
            k += 1
    return out


def _numbered(items: list[tuple[str, list[list[str]] | None]]) -> list[Block]:
    """Blocks with their final indices and offsets, so the shared numbering need not copy them."""
    out, pos = [], 0
    for i, (text, cells) in enumerate(items):
        kind: BlockKind = "table" if cells is not None else "paragraph"
        out.append(Block(index=i, kind=kind, text=text, cells=cells, char_start=pos, char_end=pos + len(text)))
        pos += len(text) + 1
    return out


def extract(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """One paragraph block per non-empty line, trimmed; chrome lines dropped; typed tables as tables."""
    from . import drop_chrome

    text, encoding, guessed = decode(path, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    limit = limits.max_paragraphs if limits else DEFAULT_MAX_PARAGRAPHS
    if len(lines) > limit and sum(1 for line in lines if line.strip()) > limit:
        raise LimitExceeded(path, f"over {limit} paragraphs (the paragraph limit)")
    kept = drop_chrome([s for s in (line.strip() for line in lines) if s], rules)
    warnings = []
    if not kept:
        warnings.append(NoticeWarning(code="no_text", message="the file holds no text"))
    if guessed:
        warnings.append(
            NoticeWarning(code="encoding_guessed", message=f"decoded as {encoding} by detection")
        )
    return Extraction(
        format="txt",
        blocks=_numbered(_with_tables(kept)),
        encoding=encoding,
        warnings=warnings,
    )
