"""Time values → inclusive date ranges, per the time-expressions spec (vocabulary in rules/time.toml).

A value is read in four steps: clean it (width, Chinese numerals, phase labels, group
prefixes, leading 拟/暂定…); cut it into tokens; find the first time expression in it
(prose before it is skipped, and tells whether the date is a deadline); read that
expression — points joined by ranges and lists — and resolve the points to dates
against the reference year, an optional two-year span, the issue date and the
context date that supplies the month of a day-only value (`5日上午`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, NamedTuple

from ..rules import Rules, TimeRules
from ..text.numerals import fold_numerals
from ..text.width import fold_width

__all__ = ["Reference", "TimeResult", "month_context", "parse_time", "reference_span"]

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


class _Token(NamedTuple):
    kind: str
    value: str
    # The pattern's match (None for prose); its named groups are read when a point is (most never are).
    match: re.Match[str] | None = None

    def group(self, name: str) -> int | None:
        """The named group's number, None when the pattern has no such group or it is empty."""
        m = self.match
        value = m[name] if m is not None and name in m.re.groupindex else None
        return int(value) if value else None


# Tried in this order at each position, after the whole-period words.
_TOKEN_ORDER = (
    "today", "until", "next_year", "this_year", "numeric_date", "year", "bare_year", "month", "day",
    "clock", "moment", "weekday", "dotted", "number", "part", "range", "list", "before", "from_",
)
# Read past inside an expression: a time of day, a moment, a weekday next to a date.
_IGNORED = frozenset({"clock", "moment", "weekday"})
# Tokens that begin a time expression by themselves.
_ANCHORS = frozenset(
    {"today", "period", "numeric_date", "year", "this_year", "next_year", "month", "day", "dotted"}
)


def reference_span(title: str | None, year: int | None, rules: Rules) -> tuple[int, int] | None:
    """A two-year reference printed in the title (`2020-2021学年`, `2021学年`), when it starts at `year`."""
    if not title or year is None:
        return None
    folded = fold_width(title)
    for m in rules.time.span.pattern.finditer(folded):
        first, second = int(m["first"]), int(m["second"])
        if first == year and second == first + 1:
            return first, second
    for m in rules.time.span.school_year.finditer(folded):
        if int(m["first"]) == year:
            return year, year + 1
    return None


def _prefixes(rules: TimeRules) -> tuple[str, ...]:
    return tuple(rules.prefixes)


def _clean(raw: str, rules: TimeRules, numerals: Rules) -> str:
    text = fold_width(raw).strip()
    changed = True
    while changed:
        changed = False
        for pattern in rules.phase_labels:
            m = pattern.match(text)
            if m and m.end() > 0:
                text, changed = text[m.end():].lstrip(), True
    for pattern in rules.group_prefixes:
        text = pattern.sub("", text)
    text = fold_numerals(text, numerals.numerals)
    changed = text.startswith(rules.built("prefixes", _prefixes))  # most values have none
    while changed:
        changed = False
        for prefix in rules.prefixes:
            if text.startswith(prefix):
                text, changed = text[len(prefix):].lstrip(), True
    return text


def _tokens(text: str, rules: TimeRules) -> list[_Token]:
    """The value as tokens: the first pattern that matches at each place, and between them
    prose (its characters without the whitespace between them, one token per run)."""
    out: list[_Token] = []
    prose: list[str] = []
    pos = 0
    patterns, joined = rules.token_scanner(_TOKEN_ORDER)
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        # One joined search names the next place a pattern matches and the first pattern that
        # matches there (what lies before it is prose); only an empty match, which the loop
        # below skips past, needs the patterns one by one.
        first = joined.search(text, pos) if joined is not None else None
        if joined is not None and (first is None or first.start() > pos):
            upto = first.start() if first is not None else len(text)
            prose.append("".join(text[pos:upto].split()))
            pos = upto
            continue
        if first is not None and first.end() > pos:
            candidates = [patterns[int(first.lastgroup[1:])]]  # type: ignore[index]
        else:
            candidates = patterns
        for name, pattern in candidates:
            m = pattern.match(text, pos)
            if m and m.end() > pos:
                if prose:
                    out.append(_Token("prose", "".join(prose)))
                    prose = []
                out.append(_Token(name, m.group(0), m))
                pos = m.end()
                break
        else:
            prose.append(text[pos])
            pos += 1
    if prose:
        out.append(_Token("prose", "".join(prose)))
    return out


@dataclass
class _Point:
    year: int | None = None
    this_year: bool = False
    next_year: bool = False
    month: int | None = None
    day: int | None = None
    number: int | None = None
    part: str | None = None
    today: bool = False
    period: int | None = None
    bare_year: bool = False

    def empty(self) -> bool:
        return not (
            self.year or self.this_year or self.next_year or self.month or self.day or self.number
            or self.part or self.today or self.period is not None
        )

    def dated(self) -> bool:
        """Whether the point names a date by itself (not only a bare number)."""
        return not self.empty() and self.number is None and not self.bare_year


def _kind(tokens: list[_Token], i: int) -> str | None:
    if i >= len(tokens):
        return None
    kind = tokens[i].kind
    return "period" if kind.startswith("period:") else kind


def _read_point(tokens: list[_Token], i: int, dotted_ok: bool) -> tuple[_Point, int]:
    p = _Point()
    kind = _kind(tokens, i)
    if kind == "today":
        p.today = True
        return p, i + 1
    if kind == "period":
        p.period = int(tokens[i].kind.split(":")[1])
        p.year = tokens[i].group("year")
        return p, i + 1
    if kind == "numeric_date":
        tok = tokens[i]
        p.year, p.month, p.day = tok.group("y"), tok.group("m"), tok.group("d")
        return p, i + 1
    if kind == "dotted" and dotted_ok:
        p.month, p.day = tokens[i].group("m"), tokens[i].group("d")
        return p, i + 1
    if kind == "next_year":
        p.next_year, i = True, i + 1
    if _kind(tokens, i) == "year":
        p.year, i = tokens[i].group("n"), i + 1
    elif _kind(tokens, i) == "this_year":
        p.this_year, i = True, i + 1
    elif _kind(tokens, i) == "bare_year" and not p.next_year:
        p.year, p.bare_year, i = tokens[i].group("n"), True, i + 1
        return p, i
    if _kind(tokens, i) == "next_year":
        p.next_year, i = True, i + 1
    if _kind(tokens, i) == "month":
        p.month, i = tokens[i].group("n"), i + 1
    if _kind(tokens, i) == "day":
        p.day, i = tokens[i].group("n"), i + 1
    elif _kind(tokens, i) == "number" and p.month is not None:
        p.day, i = tokens[i].group("n"), i + 1  # 1月28-30日: a day without its 日
    elif _kind(tokens, i) == "number" and p.year is None and not p.this_year and not p.next_year:
        p.number, i = tokens[i].group("n"), i + 1
    if _kind(tokens, i) == "part" and (p.month is not None or p.year is not None or p.this_year):
        p.part, i = tokens[i].value, i + 1
    return p, i


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


class _Unparsed(Exception):
    pass


def _resolve(
    points: list[_Point], ref: Reference, rules: TimeRules, context: dt.date | None
) -> list[tuple[dt.date | None, dt.date | None]]:
    """Dates of each point, carrying year and month forward along the expression."""
    out: list[tuple[dt.date | None, dt.date | None]] = []
    year = ref.year
    month: int | None = None
    explicit_year = False
    for k, p in enumerate(points):
        if p.number is not None and p.month is None:
            nxt = points[k + 1] if k + 1 < len(points) else None
            if nxt is not None and nxt.month is not None and nxt.day is None and nxt.year is None:
                p.month, p.number = p.number, None  # 5-12月: a bare number before a month range
            elif k > 0 and (points[k - 1].month is not None or points[k - 1].day is not None):
                p.day, p.number = p.number, None  # 3月30—31: the second day inherits the month
            else:
                raise _Unparsed
    for p in points:
        if p.today:
            if ref.issue_date is None:
                out.append((None, None))  # 即日起 with no known issue date: never a guess
                continue
            out.append((ref.issue_date, None))
            year = ref.issue_date.year  # its month starts no count: 即日起至6月30日 ends this June
            continue
        if p.year is not None:
            year, explicit_year = p.year, True
        elif p.this_year:
            if ref.year is None:
                raise _Unparsed
            year, explicit_year = ref.year, True
        elif p.next_year:
            if year is None:
                raise _Unparsed
            year, explicit_year = year + 1, True
        elif p.month is not None and ref.span and not explicit_year:
            year = ref.span[0] if p.month >= rules.span.second_half_from_month else ref.span[1]
        elif p.month is not None and month is not None and p.month < month and year is not None:
            year += 1  # 12月底，1月初: the list runs into the next year
        if p.period is not None:
            if year is None:
                raise _Unparsed
            period = rules.periods[p.period]
            out.append((_mmdd(year, period.start), _mmdd(year, period.end)))
            continue
        if p.month is None and p.day is not None:
            if month is None and context is not None:
                month = context.month
                if not explicit_year:
                    year = context.year
            if month is None:
                raise _Unparsed
            p.month = month
        if year is None:
            raise _Unparsed
        if p.month is None:
            if p.year is None and not p.this_year:
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


def _mmdd(year: int, mmdd: str | None) -> dt.date | None:
    return dt.date(year, int(mmdd[:2]), int(mmdd[3:])) if mmdd else None


@dataclass
class _Expression:
    points: list[_Point]
    deadline: bool
    open_end: bool
    start: int


def _starts_here(tokens: list[_Token], i: int, dotted_ok: bool) -> bool:
    kind = _kind(tokens, i)
    if kind in _ANCHORS and (kind != "dotted" or dotted_ok):
        return True
    if kind in ("number", "bare_year"):
        # 5-12月, 2021—2025年: a bare number or year is one end of a range whose other end is dated.
        if _kind(tokens, i + 1) == "range":
            nxt, _ = _read_point(tokens, i + 2, dotted_ok)
            return nxt.month is not None if kind == "number" else nxt.year is not None
    return False


def _expression(tokens: list[_Token], dotted_ok: bool) -> _Expression | None:
    """The first time expression in `tokens`: its points and how they are joined."""
    i = 0
    while i < len(tokens) and not _starts_here(tokens, i, dotted_ok):
        i += 1
    if i == len(tokens):
        return None
    deadline = any(t.kind == "until" for t in tokens[:i])
    point, j = _read_point(tokens, i, dotted_ok)
    points, open_end = [point], False
    while j < len(tokens):
        kind = _kind(tokens, j)
        if kind in ("range", "list"):
            nxt, k = _read_point(tokens, j + 1, dotted_ok)
            if nxt.empty():
                break
            points.append(nxt)
            j = k
        elif kind == "from_":
            k = j + 1
            while _kind(tokens, k) == "list":
                k += 1
            if _kind(tokens, k) == "range":
                j = k  # 3月起至…, 4月8日开始，至6月30日结束: a range after all
                continue
            open_end = True
            break
        elif kind == "before":
            deadline = deadline or len(points) == 1
            break
        else:
            break
    return _Expression(points, deadline, open_end, i)


def _significant(tokens: list[_Token]) -> list[_Token]:
    """Tokens without times of day; `14:00开始` starts a time of day, not an open-ended range."""
    out: list[_Token] = []
    for k, tok in enumerate(tokens):
        if tok.kind in _IGNORED:
            continue
        if tok.kind == "from_" and k > 0 and tokens[k - 1].kind == "clock":
            continue
        out.append(tok)
    return out


def _candidates(text: str, rules: TimeRules) -> list[str]:
    """The value without its bracketed asides, then each aside's own text."""
    if rules.alternation("drop").search(text) is None:
        return [text]  # most values have no aside
    outside, inner = text, []
    for pattern in rules.drop:
        inner.extend(m.group(0)[1:-1] for m in pattern.finditer(outside))
        outside = pattern.sub(" ", outside)
    return [outside, *inner]


def _holiday(text: str, rules: TimeRules) -> bool:
    return rules.words("holidays").search(text) is not None


def parse_time(
    raw: str,
    ref: Reference,
    rules: Rules,
    *,
    label: str | None = None,
    context: dt.date | None = None,
) -> TimeResult:
    """The inclusive date range a time value means.

    `label` is the printed label (one that says deadline makes a single date the
    end); `context` a date whose month a day-only value takes (the nearest date
    above it in the same table column, list or enclosing heading). Never raises
    on any text: what cannot be read is `unparsed`, a recognised ongoing phrase
    or a time of day without a date is `ongoing`.
    """
    lines = [line for line in raw.splitlines() if line.strip()]
    if len(lines) > 1:
        # Lines that each start with a date are a list: first line's start to last line's end.
        parts = []
        for line in lines:
            part = parse_time(line, ref, rules, label=label, context=context)
            parts.append(part)
            context = part.start or part.end or context
        if all(part.status == "ok" for part in parts):
            start, end = parts[0].start, parts[-1].end
            if start is not None and end is not None and end < start:
                return TimeResult(None, None, "unparsed")
            return TimeResult(start, end, "ok")
    trules = rules.time
    text = _clean(raw, trules, rules)
    said_deadline = label is not None and trules.words("deadline_words").search(label) is not None
    for candidate in _candidates(text, trules):
        tokens = _significant(_tokens(candidate, trules))
        dotted_ok = not any(t.kind in ("month", "day") for t in tokens)
        found = _expression(tokens, dotted_ok)
        if found is None:
            continue
        before = "".join(t.value for t in tokens[: found.start])
        if _holiday(before, trules) or (
            _holiday(candidate, trules) and all(p.month is None and p.period is None for p in found.points)
            and not any(p.today for p in found.points)
        ):
            return TimeResult(None, None, "unparsed")  # 寒假, 2022年暑假: never the whole year
        deadline = found.deadline or said_deadline or trules.words("deadline_words").search(before) is not None
        return _dates(found, ref, trules, context, deadline)
    return _no_date(text, trules)


def _dates(
    found: _Expression, ref: Reference, rules: TimeRules, context: dt.date | None, deadline: bool
) -> TimeResult:
    try:
        dates = _resolve(found.points, ref, rules, context)
    except (_Unparsed, KeyError, ValueError, OverflowError):
        return TimeResult(None, None, "unparsed")
    start, end = dates[0][0], dates[-1][1]
    if deadline and len(found.points) == 1:
        start = None
    if found.open_end:
        end = None
    if start is not None and end is not None and end < start:
        return TimeResult(None, None, "unparsed")
    if start is None and end is None:
        return TimeResult(None, None, "ongoing")  # 即日起长期有效 with no known issue date
    return TimeResult(start, end, "ok")


def _no_date(text: str, rules: TimeRules) -> TimeResult:
    if text and _holiday(text, rules):
        return TimeResult(None, None, "unparsed")
    if text and any(p.search(text) for p in rules.no_date):
        return TimeResult(None, None, "ongoing")
    return TimeResult(None, None, "unparsed")


def month_context(text: str | None, ref: Reference, rules: Rules) -> dt.date | None:
    """The first of the one month a text names (a title `2017年3月份…安排`, `下周（3.15-3.21）…`), else None."""
    if not text or ref.year is None:
        return None
    found = parse_time(text, ref, rules)
    days = [d for d in (found.start, found.end) if d is not None]
    if found.status != "ok" or not days or len({(d.year, d.month) for d in days}) != 1:
        return None
    return days[0].replace(day=1)
