"""iCalendar (RFC 5545): an all-day VEVENT per activity with a start date, a VTODO with DUE
per activity that has only an end date (a deadline: `5月底完成`).

DTEND is the day after the last day (all-day events end exclusively); UID is
stable across runs (the file's hash and the record id); SUMMARY is the title,
LOCATION the place, CATEGORIES the lead units, DESCRIPTION the time as printed
and the units. Records without any date are skipped and counted in a note (with
`ics_events_only`, deadlines are skipped too). Lines are CRLF-terminated and folded
at 75 octets without splitting a character.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ..models import Activity, Notice

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["BINARY", "escape", "fold", "write"]

BINARY = False
PRODID = "-//noticeparse//noticeparse//ZH"
MAX_OCTETS = 75


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11); every line break (CRLF, LF or a bare CR) becomes the
    escape `\\n` and other control characters go, so no value can start a line of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuation lines start with a space), whole characters only."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = MAX_OCTETS if not out else MAX_OCTETS - 1
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def _event(notice: Notice, act: Activity, stamp: str, names: dict[str, str], joiner: str) -> list[str]:
    assert act.time is not None
    start = act.time.start
    if start is None:  # a deadline: a to-do due that day
        assert act.time.end is not None
        kind, dates = "VTODO", [f"DUE;VALUE=DATE:{_date(act.time.end)}"]
    else:
        last = act.time.end if act.time.end is not None and act.time.end >= start else start
        kind = "VEVENT"
        dates = [f"DTSTART;VALUE=DATE:{_date(start)}", f"DTEND;VALUE=DATE:{_date(last + dt.timedelta(days=1))}"]
    lines = [
        f"BEGIN:{kind}",
        f"UID:{notice.source.sha256[:16]}-{act.id}@noticeparse",
        f"DTSTAMP:{stamp}",
        *dates,
        f"SUMMARY:{escape(act.title or notice.notice.title or act.id)}",
    ]
    if act.location:
        lines.append(f"LOCATION:{escape(act.location)}")
    described = [f"{act.time.label}: {act.time.raw}" if act.time.label else act.time.raw]
    for column, value in (("lead", act.lead), ("support", act.support)):
        if value:
            described.append(f"{names.get(column, column)}: {joiner.join(value)}")
    if act.location:
        described.append(f"{names.get('location', 'location')}: {act.location}")
    if notice.notice.title:
        described.append(notice.notice.title)
    lines.append(f"DESCRIPTION:{escape(chr(10).join(described))}")
    if act.lead:
        lines.append("CATEGORIES:" + ",".join(escape(u) for u in act.lead))
    lines.append(f"END:{kind}")
    return lines


def write(notices: Sequence[Notice], stream: TextIO, *, options: ExportOptions) -> str | None:
    """Write one VCALENDAR; returns a note counting the activities skipped for want of a start date."""
    rules = options.active_rules()
    names = rules.export.zh if (options.labels or "zh") == "zh" else {}
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    skipped = 0
    for notice in notices:
        # A fixed stamp keeps the output identical from run to run.
        issued = notice.notice.issue_date
        stamp = f"{_date(issued)}T000000Z" if issued else "19700101T000000Z"
        for act in notice.activities:
            dated = act.time is not None and (
                act.time.start is not None or (act.time.end is not None and not options.ics_events_only)
            )
            if not dated:
                skipped += 1
                continue
            lines.extend(_event(notice, act, stamp, names, rules.export.list_joiner))
    lines.append("END:VCALENDAR")
    stream.write("".join(fold(line) + "\r\n" for line in lines))
    if skipped:
        what = "a start date" if options.ics_events_only else "a date"
        return f"ics: {skipped} activit{'y' if skipped == 1 else 'ies'} without {what} skipped"
    return None
