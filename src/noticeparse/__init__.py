"""noticeparse: Chinese official notices → structured activity records.

    >>> import noticeparse
    >>> notice = noticeparse.parse("notice.txt")
"""

from __future__ import annotations

from .api import ExtractResult, extract, parse, schema
from .errors import (
    CorruptFile,
    DecodeError,
    EncryptedFile,
    InputError,
    LimitExceeded,
    NoTextLayer,
    NoticeparseError,
    OutputError,
    RulesError,
    UnsupportedFormat,
)
from .models import Activity, Notice, NoticeMeta, Section, TimeValue
from .rules import Rules, load_rules

__all__ = [
    "Activity",
    "CorruptFile",
    "DecodeError",
    "EncryptedFile",
    "ExtractResult",
    "InputError",
    "LimitExceeded",
    "NoTextLayer",
    "Notice",
    "NoticeMeta",
    "NoticeparseError",
    "OutputError",
    "Rules",
    "RulesError",
    "Section",
    "TimeValue",
    "UnsupportedFormat",
    "extract",
    "load_rules",
    "parse",
    "schema",
]
