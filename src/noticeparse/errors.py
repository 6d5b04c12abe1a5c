"""The errors noticeparse raises, one class per cause.

    NoticeparseError        base; str() is "{path}: {reason}"
      InputError            this file cannot be read as a notice           exit 1
        UnsupportedFormat   unknown extension and content sniffing failed
        CorruptFile         not a zip, truncated, broken XML or PDF
        EncryptedFile       password-protected PDF or DOCX
        NoTextLayer         scanned PDF
        UnmappedFont        PDF fonts without a Unicode map: the text is unreadable
        DecodeError         no encoding decodes the text
        LimitExceeded       size, decompressed-size or time cap hit
      RulesError            a rules file is malformed (file, key, problem) exit 2
      OutputError           -o PATH cannot be written                      exit 1
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CorruptFile",
    "display_path",
    "DecodeError",
    "EncryptedFile",
    "InputError",
    "LimitExceeded",
    "NoTextLayer",
    "UnmappedFont",
    "NoticeparseError",
    "OutputError",
    "RulesError",
    "UnsupportedFormat",
]


def display_path(path: str | Path) -> str:
    """A path as text that can always be printed: bytes that are not UTF-8 (a file name from
    another system) show as U+FFFD instead of breaking the output."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class NoticeparseError(Exception):
    """Base of every error noticeparse raises on purpose."""

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = display_path(path) if path is not None else None
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class InputError(NoticeparseError):
    """Raised when a file cannot be read as a notice."""


class UnsupportedFormat(InputError):
    """Raised when neither the extension nor the content names a known format."""


class CorruptFile(InputError):
    """Raised when a file is damaged: not a zip, truncated, broken XML or PDF."""


class EncryptedFile(InputError):
    """Raised when a file is password-protected."""


class NoTextLayer(InputError):
    """Raised when a PDF has no text to read (a scan)."""


class UnmappedFont(InputError):
    """Raised when a PDF's text is mostly glyphs of fonts without a Unicode map."""


class DecodeError(InputError):
    """Raised when no encoding decodes a text file."""


class LimitExceeded(InputError):
    """Raised when a size, decompressed-size or time cap is hit."""


class RulesError(NoticeparseError):
    """Raised when a rules file is malformed; the message names file, key and problem."""


class OutputError(NoticeparseError):
    """Raised when an output path cannot be written."""
