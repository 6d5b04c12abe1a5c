"""Parentheses inside a paragraph, and the field parentheses among them (form 2)."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..rules import Rules
from ..structure.labels import label_category, looks_like_time, parse_label_value
from ..text.patterns import any_of
from ..text.width import fold_width

__all__ = ["Paren", "ParenField", "find_parens", "paren_fields", "split_top_level"]


class Paren(NamedTuple):
    """A top-level bracketed span: `start`/`end` include the brackets."""

    start: int
    end: int
    inner: str


class ParenField(NamedTuple):
    """One field of a field parenthesis; `label` is None for an unlabelled time phrase."""

    label: str | None
    value: str
    offset: int


def _bracket_tables(rules: Rules) -> tuple[dict[str, str], set[str], re.Pattern[str]]:
    opening = {pair[0]: pair[1] for pair in rules.text.brackets}
    closing = set(opening.values())
    return opening, closing, any_of(tuple(opening) + tuple(closing))


def find_parens(text: str, rules: Rules) -> list[Paren]:
    """Top-level bracketed spans of `text`, nested brackets kept inside; unclosed ones ignored."""
    folded = fold_width(text)
    opening, closing, brackets = rules.built("records.parens.brackets", _bracket_tables)
    out: list[Paren] = []
    stack: list[tuple[str, int]] = []
    # Visit only the brackets, not every character.
    for m in brackets.finditer(folded):
        i, ch = m.start(), m.group(0)
        if ch in opening:
            stack.append((opening[ch], i))
        elif ch in closing and stack:
            if stack[-1][0] != ch:
                continue
            _, start = stack.pop()
            if not stack:
                out.append(Paren(start, i + 1, text[start + 1 : i]))
    return out


def split_top_level(text: str, separators: list[str], rules: Rules) -> list[tuple[int, str]]:
    """Split `text` on separators that stand outside brackets: (offset, segment) pairs."""
    folded = fold_width(text)
    parens = find_parens(text, rules)
    parts, start = [], 0
    # Visit only the separators (single characters, as the rules give them), not every character.
    for m in any_of(tuple(s for s in separators if len(s) == 1)).finditer(folded):
        i = m.start()
        if not any(p.start <= i < p.end for p in parens):
            parts.append((start, text[start:i]))
            start = i + 1
    parts.append((start, text[start:]))
    return parts


def paren_fields(paren: Paren, rules: Rules) -> list[ParenField] | None:
    """The fields of a field parenthesis (one holding at least one canonical label), else None."""
    fields: list[ParenField] = []
    canonical = False
    folded_inner = fold_width(paren.inner)
    for offset, segment in split_top_level(paren.inner, rules.text.segment_separators, rules):
        at = paren.start + 1 + offset
        stripped = segment.strip()
        if not stripped:
            continue
        line = parse_label_value(segment, rules)
        if line is not None:
            canonical = canonical or label_category(line.label, rules) is not None
            fields.append(ParenField(line.label, line.value, at))
        elif fields and fields[-1].label is not None:
            # A segment without a label continues the previous value (牵头单位：A，B).
            sep = folded_inner[offset - 1] if offset else ""
            prev = fields[-1]
            joined = f"{prev.value}{paren.inner[offset - 1] if sep else ''}{stripped}"
            fields[-1] = ParenField(prev.label, joined, prev.offset)
        elif looks_like_time(stripped, rules):
            fields.append(ParenField(None, stripped, at))
    return fields if canonical else None
