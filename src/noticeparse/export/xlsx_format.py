"""Excel workbook (openpyxl): sheet 活动 with one row per activity, sheet 通知 with one per document.

Chinese headers by default, a frozen header row, an auto filter, column widths
fitted to the content (CJK characters count double), dates as real Excel dates,
lists joined by 、 and the fields mapping as JSON.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ..models import Notice
from .table import ACTIVITY_COLUMNS, NOTICE_COLUMNS, activity_rows, headers, is_date, notice_rows

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["BINARY", "DEFAULT_LABELS", "write"]

BINARY = True
DEFAULT_LABELS = "zh"
# Column widths, in Excel character units.
MIN_WIDTH = 6
MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any, joiner: str) -> Any:
    if isinstance(value, list):
        return joiner.join(str(v) for v in value) or None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


def _sheet(book: Any, title: str, columns: Sequence[str], names: list[str], rows: list[dict[str, Any]],
           joiner: str) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(names)
    widths = [_display_width(n) for n in names]
    for row in rows:
        values = [_cell(row[c], joiner) for c in columns]
        sheet.append(values)
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
    joiner = rules.export.list_joiner
    book = Workbook()
    book.remove(book.active)
    _sheet(book, rules.export.activities_sheet, ACTIVITY_COLUMNS, headers(ACTIVITY_COLUMNS, labels, rules),
           activity_rows(notices), joiner)
    _sheet(book, rules.export.notices_sheet, NOTICE_COLUMNS, headers(NOTICE_COLUMNS, labels, rules),
           notice_rows(notices), joiner)
    book.save(stream)
    return None
