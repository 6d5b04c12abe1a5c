"""What the HTML report shows, computed from notices: timelines and histograms as SVG (built here,
no charting framework), the responsibility matrix, each record's card with its source span, and a
batch's summary. Every text that reaches SVG is escaped here; the template escapes the rest.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..models import Activity, Notice
from ..rules import ReportLabels
from .table import assignments

__all__ = ["Card", "Matrix", "NoticeView", "Summary", "build_views", "month_histogram", "summary", "timeline"]

# Tableau 10: distinct for the common kinds of colour blindness, readable on white.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
NO_LEAD = "#8c8c8c"
# Timeline geometry, in CSS pixels.
LABEL_WIDTH = 300
PLOT_WIDTH = 620
ROW_HEIGHT = 22
AXIS_HEIGHT = 34
LABEL_CHARS = 20
# The source shown around a record's span: up to this many characters on each side, within its lines.
CONTEXT_CHARS = 60
# The summary lists this many units and failures at most.
TOP_UNITS = 10
MAX_FAILURES = 200


def colour_of(unit: str | None) -> str:
    """A lead unit's colour: the same unit has the same colour in every notice and every report."""
    if not unit:
        return NO_LEAD
    return PALETTE[int(hashlib.sha1(unit.encode("utf-8")).hexdigest(), 16) % len(PALETTE)]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(act: Activity) -> str:
    return " ".join(p for p in (act.heading, act.title) if p) or act.id


def _span(act: Activity) -> tuple[dt.date, dt.date, bool] | None:
    """(first day, last day, whether it is a deadline only) of a dated activity."""
    t = act.time
    if t is None or (t.start is None and t.end is None):
        return None
    if t.start is None:
        return t.end, t.end, True  # type: ignore[return-value]
    return t.start, t.end or t.start, False


def _ticks(first: dt.date, last: dt.date, words: ReportLabels) -> list[tuple[dt.date, str]]:
    """Axis ticks: days for a fortnight, Mondays for a season, months for years, else years."""
    days = (last - first).days
    if days <= 16:
        return [(first + dt.timedelta(d), f"{(first + dt.timedelta(d)).month}/{(first + dt.timedelta(d)).day}")
                for d in range(0, days + 1, 1 if days <= 8 else 2)]
    if days <= 120:
        start = first + dt.timedelta((7 - first.weekday()) % 7)
        return [(d, f"{d.month}/{d.day}") for d in (start + dt.timedelta(7 * k) for k in range(days // 7 + 1))
                if d <= last]
    if days <= 3 * 366:
        out, year, month = [], first.year, first.month
        step = 1 if days <= 400 else 3
        while dt.date(year, month, 1) <= last:
            day = dt.date(year, month, 1)
            if day >= first:
                out.append((day, f"{year}-{month:02d}" if month == 1 or not out else words.month.format(
                    month=month, abbr=calendar.month_abbr[month])))
            month += step
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return out
    return [(dt.date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1)]


def timeline(activities: Sequence[Activity], words: ReportLabels) -> tuple[Markup, list[Activity]]:
    """The SVG timeline of the dated activities (a bar from start to end, a diamond for a deadline,
    coloured by the first lead unit, the details on hover), and the undated ones."""
    dated = [(a, s) for a in activities if (s := _span(a)) is not None]
    undated = [a for a in activities if _span(a) is None]
    if not dated:
        return Markup(""), undated
    first = min(s[0] for _, s in dated)
    last = max(s[1] for _, s in dated)
    if (last - first).days < 6:
        first, last = first - dt.timedelta(3), last + dt.timedelta(3)
    total = (last - first).days + 1

    def x(day: dt.date) -> float:
        return LABEL_WIDTH + PLOT_WIDTH * (day - first).days / total

    height = AXIS_HEIGHT + ROW_HEIGHT * len(dated) + 8
    width = LABEL_WIDTH + PLOT_WIDTH + 10
    parts = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img">']
    for day, label in _ticks(first, last, words):
        parts.append(f'<line class="tick" x1="{x(day):.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x(day):.1f}" '
                     f'y2="{height - 4}"/><text class="tick" x="{x(day):.1f}" y="{AXIS_HEIGHT - 12}">'
                     f"{escape(label)}</text>")
    for row, (act, (start, end, deadline)) in enumerate(dated):
        y = AXIS_HEIGHT + row * ROW_HEIGHT
        t = act.time
        hover = "\n".join(line for line in (
            _name(act), t.raw if t else "", f"{start.isoformat()} – {end.isoformat()}" if not deadline
            else f"{words.deadline} {end.isoformat()}",
            f"{words.lead}: {'、'.join(act.lead)}" if act.lead else "",
            f"{words.support}: {'、'.join(act.support)}" if act.support else "",
        ) if line)
        colour = colour_of(act.lead[0] if act.lead else None)
        parts.append(f'<g class="bar" data-activity="{escape(act.id)}"><title>{escape(hover)}</title>'
                     f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + ROW_HEIGHT - 7}">'
                     f"{escape(_short(_name(act), LABEL_CHARS))}</text>")
        if deadline:
            cx, cy, r = x(end) + PLOT_WIDTH / total / 2, y + ROW_HEIGHT / 2, 6
            parts.append(f'<path class="deadline" d="M{cx:.1f} {cy - r:.1f} L{cx + r:.1f} {cy:.1f} L{cx:.1f} '
                         f'{cy + r:.1f} L{cx - r:.1f} {cy:.1f} Z" fill="{colour}"/>')
        else:
            left, right = x(start), x(end + dt.timedelta(1))
            parts.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{max(right - left, 3):.1f}" '
                         f'height="{ROW_HEIGHT - 8}" rx="3" fill="{colour}"/>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts)), undated


def month_histogram(activities: Sequence[Activity]) -> Markup:
    """An SVG column chart of deadlines (an activity's last day) per month."""
    months = Counter((a.time.end.year, a.time.end.month) for a in activities if a.time and a.time.end)
    if not months:
        return Markup("")
    keys = sorted(months)
    (y0, m0), (y1, m1) = keys[0], keys[-1]
    span = []
    while (y0, m0) <= (y1, m1):
        span.append((y0, m0))
        y0, m0 = (y0 + 1, 1) if m0 == 12 else (y0, m0 + 1)
    span = span[-60:]  # five years at most: older deadlines are in the records
    tallest = max(months[k] for k in span) or 1
    column, plot, top = 26, 140, 18
    width, height = 40 + column * len(span), top + plot + 44
    parts = [f'<svg class="histogram" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img">']
    for k, (year, month) in enumerate(span):
        count = months[(year, month)]
        h = plot * count / tallest
        left = 30 + k * column
        label = f"{year}-{month:02d}"
        middle = left + (column - 6) / 2
        parts.append(f'<g class="month" data-month="{label}"><title>{label}: {count}</title>'
                     f'<rect x="{left}" y="{top + plot - h:.1f}" width="{column - 6}" height="{h:.1f}" '
                     f'fill="{PALETTE[0]}"/>')
        if count:
            parts.append(f'<text class="count" x="{middle:.1f}" y="{top + plot - h - 4:.1f}">{count}</text>')
        parts.append(f'<text class="tick" x="{middle:.1f}" y="{top + plot + 16}">{month}</text>')
        if month == 1 or k == 0:
            parts.append(f'<text class="tick" x="{middle:.1f}" y="{top + plot + 32}">{year}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass
class Matrix:
    """Who does what: one row per unit (or per activity when there are more activities than units),
    a cell per assignment with its role, and each unit's counts."""

    units: list[str]
    activities: list[Activity]
    roles: dict[tuple[str, str], str]  # (unit, activity id) -> lead | support
    by_unit: bool

    @property
    def counts(self) -> dict[str, tuple[int, int]]:
        out = {u: [0, 0] for u in self.units}
        for (unit, _), role in self.roles.items():
            out[unit][0 if role == "lead" else 1] += 1
        return {u: (c[0], c[1]) for u, c in out.items()}


def matrix(activities: Sequence[Activity]) -> Matrix | None:
    roles: dict[tuple[str, str], str] = {}
    units: list[str] = []
    for act in activities:
        for unit, role in assignments(act):
            if unit not in units:
                units.append(unit)
            roles[(unit, act.id)] = role
    if not roles:
        return None
    assigned = {activity for _, activity in roles}
    named = [a for a in activities if a.id in assigned]
    return Matrix(units, named, roles, by_unit=len(units) >= len(named))


@dataclass
class Card:
    """One record as shown: its fields, the source around its span, its warnings."""

    activity: Activity
    name: str
    before: str = ""
    span: str = ""
    after: str = ""
    has_source: bool = False
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)  # labelled fields not shown above them


def _card(act: Activity, text: str | None, warnings: list[str]) -> Card:
    shown = {act.time.raw if act.time else None, act.location, "、".join(act.lead), "、".join(act.support)}
    compact = {"".join(v.split()) for v in shown if v}
    extra = {k: v for k, v in act.fields.items() if "".join(v.split()) not in compact}
    card = Card(act, _name(act), warnings=warnings, extra=extra)
    start, end = act.source.char_start, act.source.char_end
    if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
        return card
    left = text.rfind("\n", max(start - CONTEXT_CHARS, 0), start)
    right = text.find("\n", end, end + CONTEXT_CHARS)
    lo = left + 1 if left >= 0 else max(start - CONTEXT_CHARS, 0)
    hi = right if right >= 0 else min(end + CONTEXT_CHARS, len(text))
    card.before, card.span, card.after, card.has_source = text[lo:start], text[start:end], text[end:hi], True
    return card


@dataclass
class NoticeView:
    """One notice as the report shows it."""

    anchor: str
    notice: Notice
    timeline: Markup
    undated: list[Activity]
    matrix: Matrix | None
    cards: list[Card]
    warnings: list[str]
    legend: list[tuple[str, str]]  # (lead unit, colour) of the timeline's bars


def build_views(notices: Sequence[Notice], texts: Callable[[Notice], str | None], words: ReportLabels,
                message: Callable[[object], str]) -> list[NoticeView]:
    """Every notice's view; `texts(notice)` gives the extracted text its offsets point into."""
    views = []
    for k, notice in enumerate(notices, 1):
        text = notice.text
        if text is None and notice.activities:  # only records have spans to show
            text = texts(notice)
        per_record: dict[str, list[str]] = {}
        general = []
        for w in notice.warnings:
            if w.activity:
                per_record.setdefault(w.activity, []).append(message(w))
            else:
                general.append(message(w))
        line, undated = timeline(notice.activities, words)
        leads = list(dict.fromkeys(a.lead[0] if a.lead else "" for a in notice.activities if _span(a)))
        views.append(NoticeView(
            anchor=f"n{k}", notice=notice, timeline=line, undated=undated, matrix=matrix(notice.activities),
            cards=[_card(a, text, per_record.get(a.id, [])) for a in notice.activities], warnings=general,
            legend=[(u or words.none, colour_of(u or None)) for u in leads],
        ))
    return views


@dataclass
class Summary:
    """A batch at a glance."""

    documents: int
    records: int
    failures: list[tuple[str, str]]
    more_failures: int
    without_records: list[tuple[str, str]]
    busiest: list[tuple[str, int, int]]
    histogram: Markup


def summary(views: Sequence[NoticeView], failures: Sequence[tuple[str, str]]) -> Summary:
    leads: Counter[str] = Counter()
    supports: Counter[str] = Counter()
    activities = [a for v in views for a in v.notice.activities]
    for act in activities:
        for unit, role in assignments(act):
            (leads if role == "lead" else supports)[unit] += 1
    busiest = sorted(set(leads) | set(supports), key=lambda u: (-(leads[u] + supports[u]), u))[:TOP_UNITS]
    return Summary(
        documents=len(views) + len(failures),
        records=len(activities),
        failures=list(failures[:MAX_FAILURES]),
        more_failures=max(len(failures) - MAX_FAILURES, 0),
        without_records=[(v.anchor, v.notice.notice.title or v.notice.source.path) for v in views
                         if not v.notice.activities],
        busiest=[(u, leads[u], supports[u]) for u in busiest],
        histogram=month_histogram(activities),
    )
