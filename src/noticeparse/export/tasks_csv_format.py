"""Tasks CSV (`--format tasks-csv`): one row per unit of each activity — unit, role (牵头/配合 with
`--labels zh`, lead/support with en), the activity's title, start, end, the notice and its file.
The rows of the workbook's 责任分工 sheet; UTF-8 with BOM for Excel by default."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ..models import Notice
from .csv_format import cell
from .table import ASSIGNMENT_COLUMNS, assignment_rows, headers, joiner_for, neutralise

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["DEFAULT_LABELS", "write"]

DEFAULT_LABELS = "en"
BINARY = False


def write(notices: Sequence[Notice], stream: TextIO, *, options: ExportOptions) -> str | None:
    """Write the header and one row per (unit, activity)."""
    rules = options.active_rules()
    labels = options.labels or DEFAULT_LABELS
    if options.bom:
        stream.write("\ufeff")
    fix = neutralise if options.escape_formulas else str
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(headers(ASSIGNMENT_COLUMNS, labels, rules))
    for row in assignment_rows(notices, labels, rules):
        writer.writerow([fix(cell(row[c], joiner_for(c, rules))) for c in ASSIGNMENT_COLUMNS])
    return None
