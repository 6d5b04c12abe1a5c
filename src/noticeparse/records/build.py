"""Assemble an activity record from its title, description and raw fields."""

from __future__ import annotations

from ..models import Activity, Block, RecordSource, TimeValue
from ..rules import Rules
from ..text.patterns import any_of
from ..text.width import fold_width
from .fields import RawField

__all__ = ["build_activity", "split_title"]


def _trim(text: str, trailing: list[str]) -> str:
    # Rules name ASCII punctuation: a full-width ；or ： ends a title too.
    text = text.strip()
    while text and fold_width(text[-1]) in trailing:
        text = text[:-1].rstrip()
    return text


def split_title(text: str, rules: Rules) -> tuple[str | None, str | None]:
    """A heading's (title, rest): the first sentence without its final mark, and what follows."""
    found = any_of(tuple(rules.text.sentence_end)).search(text)
    cut = found.start() if found else -1
    head, rest = (text, "") if cut < 0 else (text[: cut + 1], text[cut + 1 :])
    title = _trim(head, rules.text.title_trailing)
    return title or None, rest.strip() or None


def _value(text: str, rules: Rules) -> str:
    return _trim(text, rules.text.value_trailing)


def build_activity(
    *,
    id: str,
    heading: str | None,
    path: list[str],
    title: str | None,
    description: str | None,
    fields: list[RawField],
    spans: list[Block],
    rules: Rules,
) -> Activity | None:
    """One record from its fields, or None when no field is canonical (time, place or units)."""
    if not any(f.category for f in fields):
        return None
    fields = sorted(fields, key=lambda f: f.position)
    time = next((f for f in fields if f.category == "time"), None)
    location = next((f for f in fields if f.category == "location"), None)
    has_lead = any(f.category == "lead" for f in fields)
    lead = [f.value for f in fields if f.category == "lead"]
    support = [f.value for f in fields if f.category == "support"]
    for f in fields:
        if f.category == "responsible":
            (support if has_lead else lead).append(f.value)
    printed: dict[str, str] = {}
    for f in fields:
        if f.label is not None:
            printed[f.label] = f"{printed[f.label]}\n{f.value}" if f.label in printed else f.value
    return Activity(
        id=id,
        heading=heading,
        path=path,
        title=title,
        description=description,
        time=TimeValue(label=time.label, raw=_value(time.value, rules)) if time else None,
        location=_value(location.value, rules) if location else None,
        lead=[v for v in lead if v.strip()],
        support=[v for v in support if v.strip()],
        fields=printed,
        source=RecordSource(
            page=spans[0].page if spans else None,
            block=spans[0].index if spans else None,
            char_start=min((b.char_start for b in spans), default=None),
            char_end=max((b.char_end for b in spans), default=None),
        ),
    )
