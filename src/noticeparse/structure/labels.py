"""Recognise labels at a paragraph's start: heading numbers (一、 （一） 1. ①) and field labels (活动时间：)."""

from __future__ import annotations

import functools
import re

from ..rules import Category, Rules, memoized
from ..text.labels import FieldLine, HeadingLabel, match_heading, parse_label_value
from ..text.width import fold_width

__all__ = [
    "Category",
    "FieldLine",
    "HeadingLabel",
    "field_line_of",
    "label_category",
    "looks_like_time",
    "match_heading",
    "parse_field_line",
    "parse_label_value",
]



def label_category(label: str, rules: Rules) -> Category | None:
    """The canonical field a printed label stands for (time, location, lead, …), or None."""
    return rules.labels.printed_category(label, _compact)


def _compact(label: str) -> str:
    return "".join(fold_width(label).split())


def _split_second_field(line: FieldLine, text: str, rules: Rules) -> list[FieldLine]:
    """`时间：7:10开始   地点：图书馆` holds two fields: split where a canonical label follows a gap,
    or where any `label：` follows a sentence's end (`地点：蓬莱酒店。预算：约200元`)."""
    folded = fold_width(text)
    value_start = text.index(line.value, line.start + len(line.label)) if line.value else len(text)
    if not any(folded.find(sep, value_start) >= 0 for sep in rules.text.label_separators):
        return [line]  # no second label can follow: no separator after the value starts
    for gap in _gaps(tuple(rules.text.sentence_end)).finditer(folded[value_start:]):
        at = value_start + gap.end()
        if at >= len(text):
            break
        second = parse_label_value(text, rules, at)
        after_sentence = gap.start() == gap.end()
        if second and second.value and (after_sentence or label_category(second.label, rules)):
            value = text[value_start : value_start + gap.start()].strip()
            if after_sentence:
                value = value[:-1].rstrip()  # the sentence's end closes the value
            first = FieldLine(line.label, value, line.start, value_start + gap.start())
            return [first, *_split_second_field(second, text, rules)]
    return [line]


@functools.lru_cache(maxsize=8)
def _gaps(sentence_end: tuple[str, ...]) -> re.Pattern[str]:
    """Where a second field may start: a wide gap, a gap before `label:`, after a sentence's end."""
    ends = "".join(re.escape(m) for m in sentence_end)
    return re.compile(rf"\s{{2,}}|\s(?=\S+\s*:)|(?<=[{ends}])")


@memoized
def parse_field_line(text: str, rules: Rules) -> tuple[FieldLine, ...] | None:
    """The fields of a whole-paragraph field line (`活动时间：9月`, `2.牵头部门：…`), or None.

    Only lines whose first label is canonical qualify; other `label：value`
    lines are left to the caller (`parse_label_value`).
    """
    heading = match_heading(text, rules)
    start = heading.end if heading else 0
    # Same cache key as a plain parse_label_value(text) call when there is no heading label.
    line = parse_label_value(text, rules, start) if start else parse_label_value(text, rules)
    return field_line_of(line, text, rules)


def field_line_of(line: FieldLine | None, text: str, rules: Rules) -> tuple[FieldLine, ...] | None:
    """The fields of `text` when `line`, the `label：value` after its heading label, has a
    canonical label (a second field on the line split off), else None."""
    if line is None or label_category(line.label, rules) is None:
        return None
    return tuple(_split_second_field(line, text, rules))


@memoized
def looks_like_time(value: str, rules: Rules) -> bool:
    """Whether a value reads as a date or time phrase (rules time.hints / time.no_date)."""
    folded = fold_width(value)
    return any(p.search(folded) for p in (*rules.time.hints, *rules.time.no_date))
