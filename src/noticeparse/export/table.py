"""The tabular view shared by CSV, XLSX and Parquet: which columns, in which order, with which values.

Values keep their types here (dates, lists, mappings); each format decides how
to write them. Header names are the column keys (`--labels en`) or the names in
rules/export.toml (`--labels zh`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from ..models import Activity, Notice, NoticeWarning
from ..rules import Rules

__all__ = [
    "ACTIVITY_COLUMNS", "ASSIGNMENT_COLUMNS", "FORMULA_STARTS", "NOTICE_COLUMNS", "Labels", "activity_rows",
    "assignment_rows", "assignments", "headers", "joiner_for", "neutralise", "notice_rows", "warning_text",
]

# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A cell that a spreadsheet would run as a formula, made plain text with a leading `'`."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text

Labels = Literal["zh", "en"]

# One row per activity; the notice's identifying columns repeat on every row.
ACTIVITY_COLUMNS = (
    "source_path", "notice_title", "notice_issuer", "notice_doc_number", "notice_issue_date",
    "notice_year", "id", "heading", "path", "title", "description", "time_label", "time_raw",
    "time_start", "time_end", "location", "lead", "support", "fields", "keywords",
)
# One row per document.
NOTICE_COLUMNS = (
    "source_path", "source_format", "source_sha256", "source_pages", "notice_title", "notice_issuer",
    "notice_doc_number", "notice_recipients", "notice_issue_date", "notice_year", "notice_attachments",
    "notice_cc", "activity_count", "warnings",
)


def _activity(notice: Notice, act: Activity) -> dict[str, Any]:
    meta, time = notice.notice, act.time
    return {
        "source_path": notice.source.path,
        "notice_title": meta.title,
        "notice_issuer": meta.issuer,
        "notice_doc_number": meta.doc_number,
        "notice_issue_date": meta.issue_date,
        "notice_year": meta.year,
        "id": act.id,
        "heading": act.heading,
        "path": list(act.path),  # joined by rules' path_joiner where a format needs one cell
        "title": act.title,
        "description": act.description,
        "time_label": time.label if time else None,
        "time_raw": time.raw if time else None,
        "time_start": time.start if time else None,
        "time_end": time.end if time else None,
        "location": act.location,
        "lead": list(act.lead),
        "support": list(act.support),
        "fields": dict(act.fields),
        "keywords": list(act.keywords),
    }

# One row per (unit, activity): who leads or supports what, by when — the table an office circulates.
ASSIGNMENT_COLUMNS = ("unit", "role", "title", "time_start", "time_end", "notice_title", "source_path")


def assignments(act: Activity) -> list[tuple[str, Literal["lead", "support"]]]:
    """The activity's units with their role, leads first; a unit named as both leads."""
    seen: set[str] = set()
    out: list[tuple[str, Literal["lead", "support"]]] = []
    for role, units in (("lead", act.lead), ("support", act.support)):
        for unit in units:
            if unit not in seen:
                seen.add(unit)
                out.append((unit, role))  # type: ignore[arg-type]
    return out


def assignment_rows(
    notices: Sequence[Notice], labels: Labels = "en", rules: Rules | None = None
) -> list[dict[str, Any]]:
    """One typed row per unit of each activity, in document order; the role named in the labels'
    language (rules/export.toml [export.roles] for zh)."""
    names = rules.export.roles if rules is not None and labels == "zh" else None
    out = []
    for n in notices:
        for act in n.activities:
            for unit, role in assignments(act):
                out.append({
                    "unit": unit,
                    "role": getattr(names, role) if names else role,
                    "title": act.title,
                    "time_start": act.time.start if act.time else None,
                    "time_end": act.time.end if act.time else None,
                    "notice_title": n.notice.title,
                    "source_path": n.source.path,
                })
    return out


def activity_rows(notices: Sequence[Notice]) -> list[dict[str, Any]]:
    """One typed row per activity, in document order."""
    return [_activity(n, a) for n in notices for a in n.activities]


def joiner_for(column: str, rules: Rules) -> str:
    """What joins a list into one cell: ` > ` for the section path (titles hold 、), else 、."""
    return rules.export.path_joiner if column == "path" else rules.export.list_joiner


def warning_text(warning: NoticeWarning, labels: Labels, rules: Rules) -> str:
    """A warning's message in the language of the labels (rules/export.toml has the Chinese)."""
    template = rules.export.zh_warnings.get(warning.code) if labels == "zh" else None
    return template.format(activity=warning.activity or "") if template else warning.message


def notice_rows(notices: Sequence[Notice], labels: Labels = "en", rules: Rules | None = None) -> list[dict[str, Any]]:
    """One typed row per document; warning messages in the labels' language."""
    out = []
    for n in notices:
        meta = n.notice
        out.append({
            "source_path": n.source.path,
            "source_format": n.source.format,
            "source_sha256": n.source.sha256,
            "source_pages": n.source.pages,
            "notice_title": meta.title,
            "notice_issuer": meta.issuer,
            "notice_doc_number": meta.doc_number,
            "notice_recipients": list(meta.recipients),
            "notice_issue_date": meta.issue_date,
            "notice_year": meta.year,
            "notice_attachments": list(meta.attachments),
            "notice_cc": list(meta.cc),
            "activity_count": len(n.activities),
            "warnings": [warning_text(w, labels, rules) if rules else w.message for w in n.warnings],
        })
    return out


def headers(columns: Sequence[str], labels: Labels, rules: Rules) -> list[str]:
    """The header of each column in the chosen language (a key without a name keeps the key)."""
    if labels == "en":
        return list(columns)
    names = rules.export.zh
    return [names.get(c, c) for c in columns]


def is_date(value: object) -> bool:
    return isinstance(value, dt.date)
