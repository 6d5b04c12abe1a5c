"""Label recognisers shared by the stages: heading numbers (一、 （一） 1. ①) and `label：value` starts.

The PDF extractor needs them to tell where a paragraph starts; the structure
stage to build the heading tree. Both read their patterns from rules/.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ..rules import Rules, memoized
from .numerals import numeral_value
from .width import fold_width, nfkc_head

__all__ = ["FieldLine", "HeadingLabel", "match_heading", "parse_label_value", "read_heading", "read_label_value"]


class HeadingLabel(NamedTuple):
    """A heading's numbering label: as printed, its style, its number, where the text starts."""

    label: str
    style: str
    number: int | None
    end: int


class FieldLine(NamedTuple):
    """A `label：value` found in a text; offsets index that text."""

    label: str
    value: str
    start: int
    end: int


def read_heading(text: str, rules: Rules, *, folded: str | None = None) -> HeadingLabel | None:
    """The heading label that opens `text`, or None (`match_heading` remembers the answers).
    `folded` is `fold_width(text)` when the caller has it."""
    # Numbering is decided on NFKC-folded text: 1﹒, ⒈, ⑴, ㈠ are the same labels as 1. and (一).
    folded, ends = nfkc_head(text, folded=folded)
    first = rules.headings.any_style().match(folded)
    if first is None:
        return None  # most paragraphs: one regex instead of one per style
    # The style whose branch matched; its own pattern gives the number's group.
    style = rules.headings.styles[int(first.lastgroup[1:])]  # type: ignore[index]
    m = style.pattern.match(folded)
    if m is None:
        return None
    num = m.groupdict().get("num")
    number = numeral_value(num, rules.numerals) if num else None
    end = ends[m.end() - 1] if m.end() else 0
    start = ends[m.start() - 1] if m.start() else 0
    label = text[start:end].strip()
    return HeadingLabel(label=label, style=style.name, number=number, end=end)


@functools.lru_cache(maxsize=8)
def _label_re(forbidden: str, separators: str, max_length: int) -> re.Pattern[str]:
    # Inner spaces are allowed (议 程：); the length check below ignores them.
    bad = re.escape(forbidden)
    seps = re.escape(separators)
    return re.compile(
        rf"\s*(?P<label>[^\s{bad}{seps}](?:[^{bad}{seps}]{{0,{2 * max_length}}}?))\s*[{seps}]\s*"
    )


def _build_label_pattern(rules: Rules) -> re.Pattern[str]:
    labels = rules.labels
    return _label_re(labels.forbidden, "".join(rules.text.label_separators), labels.max_length)


def _label_pattern(rules: Rules) -> re.Pattern[str]:
    return rules.built("text.labels.label", _build_label_pattern)


def read_label_value(text: str, rules: Rules, start: int = 0, *, folded: str | None = None) -> FieldLine | None:
    """A `label：value` starting at `start` of `text`, any label, canonical or not
    (`parse_label_value` remembers the answers). `folded` is `fold_width(text)` when the caller has it."""
    if folded is None:
        folded = fold_width(text)
    # A prose paragraph holds no separator: a find per separator answers it before the pattern's
    # lazy label scan backtracks at every length.
    for sep in rules.text.label_separators:
        if folded.find(sep, start) >= 0:
            break
    else:
        return None
    m = _label_pattern(rules).match(folded, start)
    if not m:
        return None
    label = text[m.start("label") : m.end("label")].strip()
    compact = "".join(label.split())
    if not compact or len(compact) > rules.labels.max_length or compact.isdigit():
        return None
    if compact[-1].isdigit() and folded[m.end() : m.end() + 1].isdigit():
        return None  # a clock (9:00), not a label and its value
    return FieldLine(label=label, value=text[m.end() :].strip(), start=m.start("label"), end=len(text))


# Remembered per rules: every stage may ask about the same texts.
match_heading = memoized(read_heading)
parse_label_value = memoized(read_label_value)
