"""Excel workbook (openpyxl): sheet 活动 with one row per activity, sheet 通知 with one per document,
sheet 责任分工 with one per unit of each activity (its role 牵头/配合, the activity, its dates).

Chinese headers by default, a frozen header row, an auto filter, column widths
fitted to the content (CJK characters count double), dates as real Excel dates,
lists joined by 、 and the fields mapping as JSON.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ..models import Notice
from .table import (
    ACTIVITY_COLUMNS,
    ASSIGNMENT_COLUMNS,
    NOTICE_COLUMNS,
    activity_rows,
    assignment_rows,
    headers,
    is_date,
    joiner_for,
    notice_rows,
)

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["BINARY", "DEFAULT_LABELS", "write"]

BINARY = True
DEFAULT_LABELS = "zh"
# Column widths, in Excel character units.
MIN_WIDTH = 6
MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd"
# The workbook's date when no notice has an issue date (zip dates start in 1980).
EPOCH = dt.date(1980, 1, 1)
CORE_PROPERTIES = "docProps/core.xml"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any, joiner: str) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, list):
        value = joiner.join(str(v) for v in value) or None
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False) if value else None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a workbook cannot hold
    return value


def _sheet(book: Any, title: str, columns: Sequence[str], names: list[str], rows: list[dict[str, Any]],
           rules: Any, escape_formulas: bool) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(names)
    widths = [_display_width(n) for n in names]
    joiners = [joiner_for(c, rules) for c in columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        values = [_cell(row[c], j) for c, j in zip(columns, joiners, strict=True)]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if escape_formulas and cell.data_type == "f":
                cell.data_type = "s"  # text that starts with =: a string cell, never a live formula
            if isinstance(cell.value, str) and ("\n" in cell.value or _display_width(cell.value) > MAX_WIDTH):
                cell.alignment = wrap  # a long cell wraps within its capped column
        for k, value in enumerate(values):
            if value is not None:
                longest = max((_display_width(line) for line in str(value).splitlines()), default=0)
                widths[k] = max(widths[k], longest)
    for k, column in enumerate(columns):
        letter = get_column_letter(k + 1)
        sheet.column_dimensions[letter].width = min(max(widths[k] + 2, MIN_WIDTH), MAX_WIDTH)
        if rows and is_date(next((r[column] for r in rows if r[column] is not None), None)):
            for cell in sheet[letter][1:]:
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def write(notices: Sequence[Notice], stream: IO[bytes], *, options: ExportOptions) -> str | None:
    """Write the workbook to a binary stream."""
    from openpyxl import Workbook

    rules = options.active_rules()
    labels = options.labels or DEFAULT_LABELS
    book = Workbook()
    book.remove(book.active)
    _sheet(book, rules.export.activities_sheet, ACTIVITY_COLUMNS, headers(ACTIVITY_COLUMNS, labels, rules),
           activity_rows(notices), rules, options.escape_formulas)
    _sheet(book, rules.export.notices_sheet, NOTICE_COLUMNS, headers(NOTICE_COLUMNS, labels, rules),
           notice_rows(notices, labels, rules), rules, options.escape_formulas)
    _sheet(book, rules.export.assignments_sheet if labels == "zh" else "assignments", ASSIGNMENT_COLUMNS,
           headers(ASSIGNMENT_COLUMNS, labels, rules), assignment_rows(notices, labels, rules), rules,
           options.escape_formulas)
    # Timestamps from the input, not the clock: two runs over the same inputs write the same bytes.
    stamp = _stamp(notices)
    book.properties.created = book.properties.modified = stamp
    _save(book, stream, stamp)
    return None


def _stamp(notices: Sequence[Notice]) -> dt.datetime:
    dates = [n.notice.issue_date for n in notices if n.notice.issue_date]
    newest = max(dates, default=EPOCH)
    return dt.datetime(newest.year, newest.month, newest.day)


def _save(book: Any, stream: IO[bytes], stamp: dt.datetime) -> None:
    """openpyxl's save, with every zip entry dated `stamp` instead of now."""
    import zipfile

    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(
        stream, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info)
            if info.filename == CORE_PROPERTIES:
                # openpyxl stamps `modified` with the clock while saving.
                data = _MODIFIED.sub(rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data)
            dst.writestr(entry, data)
