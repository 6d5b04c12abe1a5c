"""Stage 4: raw values → normalised ones (time ranges, split unit lists)."""

from __future__ import annotations

import datetime as dt

from ..models import Activity, Notice, NoticeWarning
from ..rules import Rules
from ..structure.labels import looks_like_time
from .orgs import split_orgs
from .time import Reference, TimeResult, month_context, parse_time, reference_span

__all__ = ["Reference", "TimeResult", "normalize_notice", "parse_time", "split_orgs"]


def _units(values: list[str], rules: Rules) -> list[str]:
    cache = rules.memo("normalize.units")
    out: dict[str, None] = {}  # an ordered set: 40,000 units stay linear
    for value in values:
        names = cache.get(value)
        if names is None:
            names = cache[value] = tuple(split_orgs(value, rules.orgs))
        out.update(dict.fromkeys(names))
    return list(out)


def _time(raw: str, ref: Reference, rules: Rules, label: str | None, context: dt.date | None) -> TimeResult:
    # Plans repeat the same few values (9月, 全年) on every activity.
    cache = rules.memo("normalize.time")
    key = (raw, ref, label, context)
    if key not in cache:
        cache[key] = parse_time(raw, ref, rules, label=label, context=context)
    result: TimeResult = cache[key]
    return result


def _dated(result: TimeResult) -> dt.date | None:
    return result.start or result.end if result.status == "ok" else None


def _list_key(act: Activity) -> tuple[str, ...]:
    """Records of one list: the rows of one table, or the headings under one parent."""
    if act.id.startswith("T"):
        return ("table", act.id.split(".", 1)[0], act.time.label or "" if act.time else "")
    return ("heading", *act.path)


def normalize_notice(notice: Notice, rules: Rules) -> Notice:
    """`notice` with dates computed and unit lists split, plus `time_unparsed` warnings.

    A day-only value (`5日上午`) takes its month from the nearest date above it: the
    record before it in the same table column or under the same heading, else the
    enclosing headings' titles, else the one month the notice title names.
    The notice is updated in place (records builds a fresh one for every file;
    copying it again cost more than the normalising) and returned.
    """
    meta = notice.notice
    ref = Reference(
        year=meta.year,
        span=reference_span(meta.title, meta.year, rules),
        issue_date=meta.issue_date,
    )
    title_month = month_context(meta.title, ref, rules)
    above: dict[tuple[str, ...], dt.date] = {}
    for act in notice.activities:
        if act.time is not None:
            key = _list_key(act)
            context = above.get(key) or _heading_date(act.path, ref, rules) or title_month
            result = _time(act.time.raw, ref, rules, act.time.label, context)
            act.time.start, act.time.end = result.start, result.end
            dated = _dated(result)
            if dated:
                above[key] = dated
            if result.status == "unparsed":
                notice.warnings.append(
                    NoticeWarning(
                        code="time_unparsed",
                        message=f"cannot read dates from {act.time.raw!r}",
                        activity=act.id,
                    )
                )
        lead = _units(act.lead, rules)
        leading = set(lead)
        act.lead = lead
        act.support = [u for u in _units(act.support, rules) if u not in leading]
    return notice


def _heading_date(path: list[str], ref: Reference, rules: Rules) -> dt.date | None:
    """The date the nearest enclosing heading names (`（一）10月5日` over `5日上午9:00`)."""
    for title in reversed(path):
        if looks_like_time(title, rules):
            found = _dated(_time(title, ref, rules, None, None))
            if found:
                return found
    return None
