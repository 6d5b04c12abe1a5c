"""Recognise labels at a paragraph's start: heading numbers (一、 （一） 1. ①) and field labels (活动时间：)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .._numerals import numeral_value
from .._width import fold_width
from ..rules import Category, Rules

__all__ = [
    "Category",
    "FieldLine",
    "HeadingLabel",
    "label_category",
    "looks_like_time",
    "match_heading",
    "parse_field_line",
    "parse_label_value",
]



@dataclass(frozen=True)
class HeadingLabel:
    """A heading's numbering label: as printed, its style, its number, where the text starts."""

    label: str
    style: str
    number: int | None
    end: int


@dataclass(frozen=True)
class FieldLine:
    """A `label：value` found in a text; offsets index that text."""

    label: str
    value: str
    start: int
    end: int


def match_heading(text: str, rules: Rules) -> HeadingLabel | None:
    """The heading label that opens `text`, or None."""
    folded = fold_width(text)
    for style in rules.headings.styles:
        m = style.pattern.match(folded)
        if m:
            num = m.groupdict().get("num")
            number = numeral_value(num, rules.numerals) if num else None
            label = text[m.start() : m.end()].strip()
            return HeadingLabel(label=label, style=style.name, number=number, end=m.end())
    return None


def label_category(label: str, rules: Rules) -> Category | None:
    """The canonical field a printed label stands for (time, location, lead, …), or None."""
    return rules.labels.category("".join(fold_width(label).split()))


@functools.lru_cache(maxsize=8)
def _label_re(forbidden: str, separators: str, max_length: int) -> re.Pattern[str]:
    # Inner spaces are allowed (议 程：); the length check below ignores them.
    bad = re.escape(forbidden)
    seps = re.escape(separators)
    return re.compile(
        rf"\s*(?P<label>[^\s{bad}{seps}](?:[^{bad}{seps}]{{0,{2 * max_length}}}?))\s*[{seps}]\s*"
    )


def _label_pattern(rules: Rules) -> re.Pattern[str]:
    labels = rules.labels
    return _label_re(labels.forbidden, "".join(rules.text.label_separators), labels.max_length)


def parse_label_value(text: str, rules: Rules, start: int = 0) -> FieldLine | None:
    """A `label：value` starting at `start` of `text` (any label, canonical or not)."""
    folded = fold_width(text)
    m = _label_pattern(rules).match(folded, start)
    if not m:
        return None
    label = text[m.start("label") : m.end("label")].strip()
    compact = "".join(label.split())
    if not compact or len(compact) > rules.labels.max_length or compact.isdigit():
        return None
    return FieldLine(label=label, value=text[m.end() :].strip(), start=m.start("label"), end=len(text))


def _split_second_field(line: FieldLine, text: str, rules: Rules) -> list[FieldLine]:
    """`时间：7:10开始   地点：图书馆` holds two fields: split where a canonical label follows a gap."""
    folded = fold_width(text)
    value_start = text.index(line.value, line.start + len(line.label)) if line.value else len(text)
    for gap in re.finditer(r"\s{2,}|\s(?=\S+\s*:)", folded[value_start:]):
        at = value_start + gap.end()
        second = parse_label_value(text, rules, at)
        if second and label_category(second.label, rules):
            first = FieldLine(line.label, text[value_start : value_start + gap.start()].strip(),
                              line.start, value_start + gap.start())
            return [first, *_split_second_field(second, text, rules)]
    return [line]


def parse_field_line(text: str, rules: Rules) -> list[FieldLine] | None:
    """The fields of a whole-paragraph field line (`活动时间：9月`, `2.牵头部门：…`), or None.

    Only lines whose first label is canonical qualify; other `label：value`
    lines are left to the caller (`parse_label_value`).
    """
    heading = match_heading(text, rules)
    start = heading.end if heading else 0
    line = parse_label_value(text, rules, start)
    if line is None or label_category(line.label, rules) is None:
        return None
    return _split_second_field(line, text, rules)


def looks_like_time(value: str, rules: Rules) -> bool:
    """Whether a value reads as a date or time phrase (rules time.hints / time.no_date)."""
    folded = fold_width(value)
    return any(p.search(folded) for p in (*rules.time.hints, *rules.time.no_date))
