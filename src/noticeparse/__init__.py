"""noticeparse: Chinese official notices → structured activity records.

    >>> import noticeparse
    >>> notice = noticeparse.parse("notice.txt")

Names are loaded on first use so that `import noticeparse` (and the CLI's
--help) does not pay for pydantic models it may not need.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import (
        ExtractResult,
        activity_rows,
        batch,
        extract,
        parse,
        parse_data,
        report,
        schema,
        schema_json,
        to_dataframe,
    )
    from .batch import BatchResult
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
        UnmappedFont,
        UnsupportedFormat,
    )
    from .models import Activity, Notice, NoticeMeta, Section, TimeValue
    from .rules import Rules, load_rules

_HOMES = {
    "api": (
        "ExtractResult", "activity_rows", "batch", "extract", "parse", "parse_data", "report", "schema",
        "schema_json", "to_dataframe",
    ),
    "batch": ("BatchResult",),
    "errors": (
        "CorruptFile", "DecodeError", "EncryptedFile", "InputError", "LimitExceeded",
        "NoTextLayer", "NoticeparseError", "OutputError", "RulesError", "UnmappedFont", "UnsupportedFormat",
    ),
    "models": ("Activity", "Notice", "NoticeMeta", "Section", "TimeValue"),
    "rules": ("Rules", "load_rules"),
}
_WHERE = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "Activity",
    "BatchResult",
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
    "UnmappedFont",
    "UnsupportedFormat",
    "__version__",
    "activity_rows",
    "batch",
    "extract",
    "load_rules",
    "parse",
    "parse_data",
    "report",
    "schema",
    "schema_json",
    "to_dataframe",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("noticeparse")
        except PackageNotFoundError:  # a source tree that was never installed
            value = "0+unknown"
        globals()[name] = value
        return value
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'noticeparse' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package object: `extract` and `batch` name both a stage/package and an API function.
    Importing the submodule would bind the name to it; the public name stays the function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("extract", "batch") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
