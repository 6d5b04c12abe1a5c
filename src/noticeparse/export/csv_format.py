"""CSV: one row per activity, the notice's columns repeated; UTF-8 with BOM for Excel by default."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ..models import Activity, Notice

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["COLUMNS", "LIST_JOINER", "rows", "write"]

# Lists in one cell are joined like a Chinese enumeration.
LIST_JOINER = "、"
COLUMNS = (
    "source_path", "notice_title", "notice_issuer", "notice_doc_number", "notice_issue_date",
    "notice_year", "id", "heading", "path", "title", "description", "time_label", "time_raw",
    "time_start", "time_end", "location", "lead", "support", "fields", "keywords",
)


def _row(notice: Notice, act: Activity) -> dict[str, str]:
    meta = notice.notice
    time = act.time
    values: dict[str, object] = {
        "source_path": notice.source.path,
        "notice_title": meta.title,
        "notice_issuer": meta.issuer,
        "notice_doc_number": meta.doc_number,
        "notice_issue_date": meta.issue_date,
        "notice_year": meta.year,
        "id": act.id,
        "heading": act.heading,
        "path": LIST_JOINER.join(act.path),
        "title": act.title,
        "description": act.description,
        "time_label": time.label if time else None,
        "time_raw": time.raw if time else None,
        "time_start": time.start if time else None,
        "time_end": time.end if time else None,
        "location": act.location,
        "lead": LIST_JOINER.join(act.lead),
        "support": LIST_JOINER.join(act.support),
        "fields": json.dumps(act.fields, ensure_ascii=False) if act.fields else None,
        "keywords": LIST_JOINER.join(act.keywords),
    }
    return {k: "" if v is None else str(v) for k, v in values.items()}


def rows(notices: Sequence[Notice]) -> list[dict[str, str]]:
    """The CSV rows of `notices`: one per activity, in order."""
    return [_row(n, a) for n in notices for a in n.activities]


def write(notices: Sequence[Notice], stream: TextIO, *, options: ExportOptions) -> None:
    """Write the header and one row per activity."""
    if options.bom:
        stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows(notices))
