"""CSV: one row per activity, the notice's columns repeated; UTF-8 with BOM for Excel by default."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..models import Notice
from ..rules import Rules
from .table import ACTIVITY_COLUMNS, activity_rows, headers, joiner_for, neutralise

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["COLUMNS", "DEFAULT_LABELS", "cell", "rows", "write"]

COLUMNS = ACTIVITY_COLUMNS
DEFAULT_LABELS = "en"
BINARY = False


def cell(value: Any, joiner: str) -> str:
    """A typed value as CSV text: lists joined, mappings as JSON, absent values empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return joiner.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


def rows(notices: Sequence[Notice], rules: Rules | None = None, escape_formulas: bool = True) -> list[dict[str, str]]:
    """The CSV rows of `notices`: one per activity, in order, keyed by column (lists joined by 、,
    the section path by ` > `); cells a spreadsheet would run as formulas are neutralised
    unless `escape_formulas` is off."""
    from ..rules import default_rules

    active = rules or default_rules()
    fix = neutralise if escape_formulas else str
    joiners = {c: joiner_for(c, active) for c in COLUMNS}
    return [{k: fix(cell(v, joiners[k])) for k, v in row.items()} for row in activity_rows(notices)]


def write(notices: Sequence[Notice], stream: TextIO, *, options: ExportOptions) -> str | None:
    """Write the header and one row per activity."""
    rules = options.active_rules()
    if options.bom:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(headers(COLUMNS, options.labels or DEFAULT_LABELS, rules))
    for row in rows(notices, rules, options.escape_formulas):
        writer.writerow([row[c] for c in COLUMNS])
    return None
