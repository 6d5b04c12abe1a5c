"""Collect the fields a heading owns: field lines, field parentheses, field headings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ..rules import Rules
from ..structure import Node
from ..structure.labels import Category, FieldLine, label_category, looks_like_time
from ..structure.layout import is_organ_line
from ..text.width import fold_width
from .assignments import parse_assignments
from .parens import Paren, find_parens, paren_fields, split_top_level

__all__ = ["NodeContent", "RawField", "node_content", "strip_field_parens"]


class RawField(NamedTuple):
    """A label and value as printed.

    `label` is None for an unlabelled time phrase in a field parenthesis and for
    the units of a responsibility parenthesis (form 3), which are not printed fields.
    """

    label: str | None
    value: str
    category: Category | None
    position: tuple[int, int]


@dataclass(frozen=True)
class NodeContent:
    """What a node owns: its fields in document order and its plain paragraphs."""

    fields: list[RawField]
    paragraphs: list[str]
    blocks: list[int]


def _category(label: str | None, rules: Rules) -> Category | None:
    if label is None:
        return "time"
    return label_category(label, rules)


def _under_note(note: tuple[int, int] | None, block: int, text: str, paren: Paren, rules: Rules) -> bool:
    """Whether a first-unit-leads note stands before (or inside) this parenthesis."""
    if note is None or note[0] > block:
        return False
    if note[0] < block:
        return True
    folded = fold_width(text)
    starts = [m.start() for p in rules.assignments.first_unit_leads for m in [p.search(folded)] if m]
    return not starts or min(starts) < paren.end


def strip_field_parens(
    text: str, block: int, rules: Rules, note: tuple[int, int] | None = None
) -> tuple[str, list[RawField]]:
    """`text` without its field and responsibility parentheses, and the fields they held.

    `note` is where the document says the first unit listed leads (block, offset).
    """
    found: list[RawField] = []
    kept, last = [], 0
    for paren in find_parens(text, rules):
        fields = paren_fields(paren, rules)
        if fields:
            for f in fields:
                found.append(RawField(f.label, f.value, _category(f.label, rules), (block, f.offset)))
        else:
            first_leads = _under_note(note, block, text, paren, rules)
            assigned = parse_assignments(paren.inner, rules, first_leads=first_leads)
            if not assigned:
                continue
            at = paren.start + 1
            found.extend(RawField(None, a.units, a.category, (block, at + a.offset)) for a in assigned)
        kept.append(text[last : paren.start])
        last = paren.end
    kept.append(text[last:])
    return "".join(kept).strip(), found


_UNIT_CATEGORIES = ("lead", "support", "responsible")


def _is_unit_name(text: str, rules: Rules) -> bool:
    """A line that is one organisation's name and nothing else (no punctuation, an organ suffix)."""
    compact = "".join(text.split())
    return is_organ_line(text, rules) and compact.endswith(tuple(rules.orgs.suffixes))


def _fills(label: str, text: str, rules: Rules) -> bool:
    """Whether a line can be the value of a container's label: not a sentence; a date for a time."""
    folded = fold_width(text)
    if any(mark in folded for mark in rules.text.sentence_end):
        return False
    return label_category(label, rules) != "time" or looks_like_time(text, rules)


def _fill_values(text: str, labels: list[str], rules: Rules) -> list[tuple[str, str, int]]:
    """(label, value, offset) for the labels one unlabelled line fills: all of them when it
    splits into as many parts at `，`/`；` or at spaces, else the first with the whole line."""
    if len(labels) > 1:
        parts = [(at, p) for at, p in split_top_level(text, rules.text.segment_separators, rules) if p.strip()]
        if len(parts) != len(labels):
            parts = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", text)]
        if len(parts) == len(labels) and _fills(labels[0], parts[0][1], rules):
            return [(label, p.strip(), at) for label, (at, p) in zip(labels, parts, strict=True)]
    return [(labels[0], text.strip(), 0)]


def node_content(node: Node, rules: Rules, note: tuple[int, int] | None = None) -> NodeContent:
    """The fields and plain paragraphs `node` owns directly (not its children's)."""
    fields: list[RawField] = []
    paragraphs: list[str] = []
    blocks: list[int] = []
    pending_labels = list(node.labels)
    items = node.items
    skip = tail = -1
    for k, item in enumerate(items):
        if k <= skip:
            continue
        blocks.append(item.block)
        reading = item.reading
        if reading is None:
            continue  # a table
        lines: tuple[FieldLine, ...] | list[FieldLine] | None = reading.fields
        if lines is None:
            other = reading.label_value
            # Other `label：value` lines go to fields; a bare `…：` line is prose.
            lines = [other] if other is not None and other.value else None
        if lines:
            for line in lines:
                if line.label in pending_labels:
                    pending_labels.remove(line.label)
                value = line.value
                if not value and k + 1 < len(items) and label_category(line.label, rules):
                    # The value stands on the next line (活动内容：⏎ …).
                    value, skip = items[k + 1].text.strip(), k + 1
                    blocks.append(items[k + 1].block)
                if rules.labels.blank_value.fullmatch(fold_width(value)):
                    continue  # a form's blank to fill in (填表日期：  年  月  日)
                pos = (item.block, line.start)
                fields.append(RawField(line.label, value, label_category(line.label, rules), pos))
                tail = skip if skip > k else k
            continue
        last = fields[-1] if fields else None
        # The field line just above, or its continuation: the value may go on here.
        adjacent = last is not None and k > 0 and tail == k - 1
        if adjacent and last is not None and (
            # A time value continued on the next line (9月5日（高一）… ⏎ 9月6日（高三）…).
            (last.category == "time" and rules.time.continues.match(reading.stripped))
            # 主办单位：A ⏎ B ⏎ C: the organisations of a unit field, one per line.
            or (last.category in _UNIT_CATEGORIES and last.label is not None and _is_unit_name(item.text, rules))
        ):
            fields[-1] = RawField(last.label, f"{last.value}\n{item.text.strip()}", last.category, last.position)
            tail = k
            continue
        if pending_labels and _fills(pending_labels[0], item.text, rules):
            # A container heading (活动时间与地点): unlabelled lines fill its labels in order;
            # one line holding all of them (12月8日，学校报告厅) fills them in order too.
            for label, value, at in _fill_values(item.text, pending_labels, rules):
                fields.append(RawField(label, value, label_category(label, rules), (item.block, at)))
                pending_labels.remove(label)
            continue
        pending_labels = []  # prose under the heading: it was a heading about these things, not their values
        text, found = strip_field_parens(item.text, item.block, rules, note)
        fields.extend(found)
        if text:
            paragraphs.append(text)
    return NodeContent(fields=fields, paragraphs=paragraphs, blocks=blocks)

