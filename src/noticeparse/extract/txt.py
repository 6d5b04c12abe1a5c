"""Plain-text notices: decode (BOM, UTF-8, GB18030, then detection), one block per line."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DecodeError
from ..models import Block, Extraction, NoticeWarning
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
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
# Control characters other than tab/newline in more than this share of a text mean binary data.
DEFAULT_MAX_CONTROL_SHARE = 0.01


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


def _numbered(texts: list[str]) -> list[Block]:
    """Blocks with their final indices and offsets, so the shared numbering need not copy them."""
    out, pos = [], 0
    for i, text in enumerate(texts):
        out.append(Block(index=i, text=text, char_start=pos, char_end=pos + len(text)))
        pos += len(text) + 1
    return out


def extract(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """One paragraph block per non-empty line, trimmed; chrome lines dropped."""
    from . import drop_chrome

    text, encoding, guessed = decode(path, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
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
        blocks=_numbered(kept),
        encoding=encoding,
        warnings=warnings,
    )
