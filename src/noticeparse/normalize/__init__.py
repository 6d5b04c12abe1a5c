"""Stage 4: raw values → normalised ones (time ranges, split unit lists)."""

from __future__ import annotations

from ..models import Notice, NoticeWarning
from ..rules import Rules
from .orgs import split_orgs
from .time import Reference, TimeResult, parse_time, reference_span

__all__ = ["Reference", "TimeResult", "normalize_notice", "parse_time", "split_orgs"]


def _units(values: list[str], rules: Rules) -> list[str]:
    cache = rules.memo("normalize.units")
    out: list[str] = []
    for value in values:
        names = cache.get(value)
        if names is None:
            names = cache[value] = tuple(split_orgs(value, rules.orgs))
        for name in names:
            if name not in out:
                out.append(name)
    return out


def _time(raw: str, ref: Reference, rules: Rules) -> TimeResult:
    # Plans repeat the same few values (9月, 全年) on every activity.
    cache = rules.memo("normalize.time")
    key = (raw, ref)
    if key not in cache:
        cache[key] = parse_time(raw, ref, rules)
    result: TimeResult = cache[key]
    return result


def normalize_notice(notice: Notice, rules: Rules) -> Notice:
    """`notice` with dates computed and unit lists split, plus `time_unparsed` warnings.

    The notice is updated in place (records builds a fresh one for every file;
    copying it again cost more than the normalising) and returned.
    """
    meta = notice.notice
    ref = Reference(
        year=meta.year,
        span=reference_span(meta.title, meta.year, rules),
        issue_date=meta.issue_date,
    )
    for act in notice.activities:
        if act.time is not None:
            result = _time(act.time.raw, ref, rules)
            act.time.start, act.time.end = result.start, result.end
            if result.status == "unparsed":
                notice.warnings.append(
                    NoticeWarning(
                        code="time_unparsed",
                        message=f"cannot read dates from {act.time.raw!r}",
                        activity=act.id,
                    )
                )
        lead = _units(act.lead, rules)
        act.lead = lead
        act.support = [u for u in _units(act.support, rules) if u not in lead]
    return notice
