"""Responsibility assignments without a field label (spec form 3).

`（A、B、C负责）`, `（A牵头，B、C配合）`, `（A会同B、C负责）`, and a table's unit
cell such as `教学处牵头，年段落实`: clauses of units ending in a duty word
(rules/assignments.toml). A document note such as `列第一位者为牵头单位，下同`
makes the first unit of every later plain assignment the lead.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..models import Block
from ..rules import Category, Rules
from ..structure.labels import looks_like_time
from ..text.patterns import any_of
from ..text.width import fold_width
from .parens import split_top_level

__all__ = ["Assignment", "first_leads_note", "parse_assignments"]


class Assignment(NamedTuple):
    """Units as printed and what they do; `offset` indexes the parsed text."""

    units: str
    category: Category
    offset: int


def first_leads_note(blocks: list[Block], rules: Rules) -> tuple[int, int] | None:
    """(block, offset) of the first note saying the first unit listed leads, if the document has one."""
    patterns = rules.assignments.first_unit_leads
    for block in blocks:
        folded = fold_width(block.text)
        for pattern in patterns:
            m = pattern.search(folded)
            if m:
                return block.index, m.start()
    return None


def _valid_units(units: str, rules: Rules) -> bool:
    a = rules.assignments
    compact = "".join(fold_width(units).split())
    if not compact or compact.startswith(tuple(a.not_unit_prefixes)):
        return False
    if any(w in compact for w in a.not_unit_words) or any(p.search(compact) for p in a.not_unit_patterns):
        return False
    if any(s in compact for s in (*rules.text.label_separators, *rules.text.sentence_end)):
        return False
    parts = any_of((*rules.orgs.separators, *a.with_words)).split(compact)
    return all(0 < len(p) <= a.max_unit_length for p in parts)


def _duty(folded: str, rules: Rules, anywhere: bool) -> tuple[int, int, Category] | None:
    """(start, end, category) of the duty word ending the clause, or the first one anywhere in it."""
    for word, category in rules.assignments.duties():
        if folded.endswith(word):
            return len(folded) - len(word), len(folded), category
    if not anywhere:
        return None
    found = [(folded.find(w), -len(w), w, c) for w, c in rules.assignments.duties() if w in folded]
    found = [f for f in found if f[0] > 0]
    if not found:
        return None
    start, _, word, category = min(found)
    return start, start + len(word), category


def _clause(text: str, offset: int, rules: Rules, cell: Category | None) -> list[Assignment] | None:
    """The assignments of one clause, or None when it is not one.

    In a table cell of category `cell`, a clause without a duty word is a plain
    list of units of that category.
    """
    a = rules.assignments
    stripped = text.strip()
    at = offset + text.find(stripped) if stripped else offset
    folded = fold_width(stripped)
    if cell:
        # An audience prefix (老师：党政办) names no unit.
        seps = re.escape("".join(rules.text.label_separators))
        m = re.match(rf"[^\d{seps}]{{1,{a.role_prefix_max_length}}}[{seps}]", folded)
        if m and m.end() < len(folded):
            stripped, folded, at = stripped[m.end() :].strip(), folded[m.end() :].strip(), at + m.end()
    duty = _duty(folded, rules, anywhere=cell is not None)
    if duty is None:
        return [Assignment(stripped, cell, at)] if cell and stripped else None
    units = stripped[: duty[0]]
    inner = _duty(fold_width(units), rules, anywhere=False)
    if inner is not None and inner[0] > 0:
        # A compound duty (负责落实): the first word says what the units do.
        units, duty = units[: inner[0]], inner
    if not _valid_units(units, rules):
        return None
    category = duty[2]
    for word in a.with_words:
        k = units.find(word)
        if k > 0:
            # A会同B、C负责: A leads, the units it works with support.
            return [Assignment(units[:k], "lead", at), Assignment(units[k + len(word) :], "support", at + k)]
    return [Assignment(units, category, at)]


def _first_leads(found: list[Assignment], rules: Rules) -> list[Assignment]:
    """Under a first-unit-leads note, a plain assignment's first unit leads and the rest support."""
    if not found or any(x.category == "lead" for x in found):
        return found
    first = found[0]
    cuts = [i for i, _ in split_top_level(first.units, rules.orgs.separators, rules) if i > 0]
    out = []
    if cuts:
        head, tail = first.units[: cuts[0] - 1], first.units[cuts[0] :]
        out = [Assignment(head, "lead", first.offset), Assignment(tail, "support", first.offset + cuts[0])]
    else:
        out = [Assignment(first.units, "lead", first.offset)]
    return out + [Assignment(x.units, "support", x.offset) for x in found[1:]]


def parse_assignments(
    text: str, rules: Rules, *, cell: Category | None = None, first_leads: bool = False
) -> list[Assignment] | None:
    """The assignments `text` states, or None when it states none.

    In a parenthesis the first clause that is not a time phrase must be an
    assignment whose duty word ends it; later clauses that are not assignments
    (notes, trailing sentences) are ignored. In a table cell whose column is of
    category `cell`, a duty word may be followed by its object (各年段负责年段学生)
    and a clause without one lists units of the column's category.
    """
    found: list[Assignment] = []
    # Units listed before the clause that names their duty (A、B，C按职责分工负责): one list.
    waiting: list[tuple[int, str]] = []
    for offset, clause in split_top_level(text, rules.assignments.clause_separators, rules):
        if not clause.strip():
            continue
        parsed = _clause(clause, offset, rules, cell)
        if parsed is not None:
            category = parsed[0].category
            found.extend(Assignment(u.strip(), category, at + u.find(u.strip())) for at, u in waiting)
            waiting = []
            found.extend(parsed)
        elif not found and not cell and not looks_like_time(clause, rules):
            if not _valid_units(clause, rules):
                return None
            waiting.append((offset, clause))
    if not found:
        return None
    return _first_leads(found, rules) if first_leads else found
