"""Time values → inclusive date ranges, per the time-expressions spec (vocabulary in rules/time.toml)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .._numerals import fold_numerals
from .._width import fold_width
from ..rules import Rules, TimeRules

__all__ = ["Reference", "TimeResult", "parse_time", "reference_span"]

Status = Literal["ok", "ongoing", "unparsed"]


@dataclass(frozen=True)
class Reference:
    """What relative times are read against: year Y, optional two-year span, issue date D."""

    year: int | None
    span: tuple[int, int] | None = None
    issue_date: dt.date | None = None


@dataclass(frozen=True)
class TimeResult:
    """Dates a value yields; status `unparsed` means a `time_unparsed` warning is due."""

    start: dt.date | None
    end: dt.date | None
    status: Status


@dataclass(frozen=True)
class _Token:
    kind: str
    value: str
    number: int | None = None


_TOKEN_ORDER = (
    "today", "until", "next_year", "year", "month", "day", "number",
    "part", "range", "list", "before", "from_",
)


def reference_span(title: str | None, year: int | None, rules: Rules) -> tuple[int, int] | None:
    """A two-year reference (`2020-2021学年`) printed in the title, when it starts at `year`."""
    if not title or year is None:
        return None
    for m in rules.time.span.pattern.finditer(fold_width(title)):
        first, second = int(m["first"]), int(m["second"])
        if first == year and second == first + 1:
            return first, second
    return None


def _clean(raw: str, rules: TimeRules, numerals: Rules) -> str:
    text = fold_numerals(fold_width(raw), numerals.numerals).strip()
    for pattern in rules.drop:
        text = pattern.sub("", text)
    changed = True
    while changed:
        changed = False
        for prefix in rules.prefixes:
            if text.startswith(prefix):
                text, changed = text[len(prefix):].lstrip(), True
    return text


def _tokens(text: str, rules: TimeRules) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    patterns = [(name, getattr(rules.tokens, name)) for name in _TOKEN_ORDER]
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        for name, pattern in patterns:
            m = pattern.match(text, pos)
            if m and m.end() > pos:
                n = m.groupdict().get("n")
                out.append(_Token(name, m.group(0), int(n) if n else None))
                pos = m.end()
                break
        else:
            if out and out[-1].kind == "prose":
                out[-1] = _Token("prose", out[-1].value + text[pos])
            else:
                out.append(_Token("prose", text[pos]))
            pos += 1
    return out


@dataclass
class _Point:
    year: int | None = None
    next_year: bool = False
    month: int | None = None
    day: int | None = None
    number: int | None = None
    part: str | None = None
    today: bool = False

    def empty(self) -> bool:
        return not (self.year or self.month or self.day or self.number or self.part or self.today)


def _read_point(tokens: list[_Token], i: int) -> tuple[_Point, int]:
    p = _Point()
    if i < len(tokens) and tokens[i].kind == "today":
        p.today = True
        return p, i + 1
    if i < len(tokens) and tokens[i].kind == "next_year":
        p.next_year, i = True, i + 1
    if i < len(tokens) and tokens[i].kind == "year":
        p.year, i = tokens[i].number, i + 1
    if i < len(tokens) and tokens[i].kind == "next_year":
        p.next_year, i = True, i + 1
    if i < len(tokens) and tokens[i].kind == "month":
        p.month, i = tokens[i].number, i + 1
    if i < len(tokens) and tokens[i].kind == "day":
        p.day, i = tokens[i].number, i + 1
    elif i < len(tokens) and tokens[i].kind == "number" and p.month is not None:
        p.day, i = tokens[i].number, i + 1  # 1月28-30日: a day without its 日
    elif i < len(tokens) and tokens[i].kind == "number" and p.year is None:
        p.number, i = tokens[i].number, i + 1
    if i < len(tokens) and tokens[i].kind == "part" and (p.month is not None or p.year is not None):
        p.part, i = tokens[i].value, i + 1
    return p, i


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


class _Unparsed(Exception):
    pass


def _resolve(
    points: list[_Point], ref: Reference, rules: TimeRules
) -> list[tuple[dt.date | None, dt.date | None]]:
    """Dates of each point, carrying year and month forward along the expression."""
    out: list[tuple[dt.date | None, dt.date | None]] = []
    year = ref.year
    month: int | None = None
    explicit_year = False
    # A bare number before a range whose other end is a month is itself a month (5-12月).
    for k, p in enumerate(points):
        if p.number is not None and p.month is None:
            nxt = points[k + 1] if k + 1 < len(points) else None
            if nxt is not None and nxt.month is not None and nxt.day is None:
                p.month, p.number = p.number, None
            elif month is not None:
                p.day, p.number = p.number, None
    for p in points:
        if p.today:
            if ref.issue_date is None:
                raise _Unparsed
            out.append((ref.issue_date, None))
            year, month = ref.issue_date.year, ref.issue_date.month
            continue
        if p.year is not None:
            year, explicit_year = p.year, True
        elif p.next_year:
            if year is None:
                raise _Unparsed
            year, explicit_year = year + 1, True
        elif p.month is not None and ref.span and not explicit_year:
            year = ref.span[0] if p.month >= rules.span.second_half_from_month else ref.span[1]
        elif p.month is not None and month is not None and p.month < month and year is not None:
            year += 1  # 12月底，1月初: the list runs into the next year
        if p.month is None and p.day is not None:
            if month is None:
                raise _Unparsed
            p.month = month
        if year is None:
            raise _Unparsed
        if p.month is None:
            if p.year is None:
                raise _Unparsed
            out.append((dt.date(year, 1, 1), dt.date(year, 12, 31)))
            continue
        if not 1 <= p.month <= 12:
            raise _Unparsed
        month = p.month
        last = _last_day(year, p.month)
        if p.day is not None:
            if not 1 <= p.day <= last:
                raise _Unparsed
            day = dt.date(year, p.month, p.day)
            out.append((day, day))
        elif p.part is not None:
            part = rules.parts[p.part]
            start = dt.date(year, p.month, part.start) if part.start else None
            out.append((start, dt.date(year, p.month, min(part.end, last))))
        else:
            out.append((dt.date(year, p.month, 1), dt.date(year, p.month, last)))
    return out


def _period(text: str, ref: Reference, rules: TimeRules) -> TimeResult | None:
    for period in rules.periods:
        m = period.pattern.match(text)
        if not m:
            continue
        year = int(m["year"]) if m.groupdict().get("year") else ref.year
        if year is None:
            return TimeResult(None, None, "unparsed")

        def day(mmdd: str | None, y: int = year) -> dt.date | None:
            return dt.date(y, int(mmdd[:2]), int(mmdd[3:])) if mmdd else None

        return TimeResult(day(period.start), day(period.end), "ok")
    return None


def parse_time(raw: str, ref: Reference, rules: Rules) -> TimeResult:
    """The inclusive date range a time value means.

    Never raises on any text: what cannot be read is `unparsed`, a recognised
    ongoing phrase or a time of day without a date is `ongoing`.
    """
    lines = [line for line in raw.splitlines() if line.strip()]
    if len(lines) > 1:
        # Lines that each start with a date are a list: first line's start to last line's end.
        parts = [parse_time(line, ref, rules) for line in lines]
        if all(part.status == "ok" for part in parts):
            start, end = parts[0].start, parts[-1].end
            if start is not None and end is not None and end < start:
                return TimeResult(None, None, "unparsed")
            return TimeResult(start, end, "ok")
    trules = rules.time
    text = _clean(raw, trules, rules)
    tokens = _tokens(text, trules)
    i, deadline = 0, False
    if tokens and tokens[0].kind == "until":
        deadline, i = True, 1
    rest = "".join(t.value for t in tokens[i:])
    period = _period(rest, ref, trules)
    if period is not None:
        if deadline and period.status == "ok":
            return TimeResult(None, period.end, "ok")
        return period
    points, mode, open_end = [], None, False
    point, j = _read_point(tokens, i)
    if point.empty() or (point.number is not None and j < len(tokens) and tokens[j].kind != "range"):
        return _no_date(text, trules)
    points.append(point)
    while j < len(tokens):
        kind = tokens[j].kind
        if kind in ("range", "list") and mode in (None, kind):
            nxt, k = _read_point(tokens, j + 1)
            if nxt.empty():
                break
            points.append(nxt)
            mode, j = kind, k
        elif kind == "before":
            deadline, j = True, j + 1
            break
        elif kind == "from_":
            open_end, j = True, j + 1
            break
        else:
            break
    if points[0].number is not None and len(points) == 1:
        return _no_date(text, trules)
    try:
        dates = _resolve(points, ref, trules)
    except (_Unparsed, KeyError, ValueError, OverflowError):
        return TimeResult(None, None, "unparsed")
    start, end = dates[0][0], dates[-1][1]
    if deadline:
        start = None
        end = dates[-1][1]
    if open_end:
        end = None
    if start is not None and end is not None and end < start:
        return TimeResult(None, None, "unparsed")
    return TimeResult(start, end, "ok")


def _no_date(text: str, rules: TimeRules) -> TimeResult:
    if text and any(p.search(text) for p in rules.no_date):
        return TimeResult(None, None, "ongoing")
    return TimeResult(None, None, "unparsed")


