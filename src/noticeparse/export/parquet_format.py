"""Parquet (pyarrow, the optional extra `noticeparse[parquet]`): one typed table of activities.

Dates are date32, lists list<string>, the fields mapping map<string, string>,
the year an int32; the notice's identifying columns repeat on every row, as in CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ..errors import OutputError
from ..models import Notice
from .table import ACTIVITY_COLUMNS, activity_rows, headers

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["BINARY", "DEFAULT_LABELS", "schema", "write"]

BINARY = True
DEFAULT_LABELS = "en"
_DATES = {"notice_issue_date", "time_start", "time_end"}
_LISTS = {"path", "lead", "support", "keywords"}


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401  (binds pyarrow.parquet)
    except ImportError as exc:
        raise OutputError(
            None, 'parquet output needs pyarrow: pip install "noticeparse[parquet]"'
        ) from exc
    return pyarrow


def schema(names: Sequence[str] | None = None) -> Any:
    """The Arrow schema of the activities table (column names as given, else the keys)."""
    pa = _pyarrow()
    types = []
    for column in ACTIVITY_COLUMNS:
        if column in _DATES:
            types.append(pa.date32())
        elif column in _LISTS:
            types.append(pa.list_(pa.string()))
        elif column == "fields":
            types.append(pa.map_(pa.string(), pa.string()))
        elif column == "notice_year":
            types.append(pa.int32())
        else:
            types.append(pa.string())
    return pa.schema([pa.field(n, t) for n, t in zip(names or ACTIVITY_COLUMNS, types, strict=True)])


def write(notices: Sequence[Notice], stream: IO[bytes], *, options: ExportOptions) -> str | None:
    """Write one Parquet file of activities to a binary stream."""
    pa = _pyarrow()
    rules = options.active_rules()
    names = headers(ACTIVITY_COLUMNS, options.labels or DEFAULT_LABELS, rules)
    rows = activity_rows(notices)
    arrays = {}
    target = schema(names)
    for column, name in zip(ACTIVITY_COLUMNS, names, strict=True):
        values = [r[column] for r in rows]
        if column == "fields":
            values = [list(v.items()) for v in values]
        arrays[name] = pa.array(values, type=target.field(name).type)
    table = pa.table(arrays, schema=target)
    pa.parquet.write_table(table, stream)
    return None
