"""Build the heading tree: which heading owns which paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..models import Block
from ..rules import Rules
from ..text.patterns import any_of
from ..text.width import fold_width
from .labels import HeadingLabel, label_category, looks_like_time
from .layout import Role, block_roles
from .paragraphs import Paragraph, read_paragraph, read_paragraphs

__all__ = ["Item", "Node", "NodeKind", "Tree", "blocks_to_tree"]

# heading: an ordinary heading; grouping: names an aspect of its parent (活动安排);
# container: only field labels (活动时间与地点), its lines fill those labels.
NodeKind = Literal["root", "heading", "grouping", "container"]


@dataclass(slots=True)
class Item:
    """A paragraph (or table) owned by a node. `text` is synthetic for a field heading.

    `reading` is the item's text read once (`Paragraph`); None for a table.
    """

    block: int
    text: str
    synthetic: bool = False
    reading: Paragraph | None = None


@dataclass
class Node:
    """A heading and what it owns; the root stands for the document."""

    kind: NodeKind
    block: int | None = None
    label: str | None = None
    style: str | None = None
    number: int | None = None
    text: str = ""
    level: int = 0
    labels: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def walk(self) -> list[Node]:
        """This node and every node under it, in document order."""
        out: list[Node] = []
        stack = [self]
        while stack:  # one list, not one per node (a deep outline copied every level again)
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


@dataclass(frozen=True)
class Tree:
    """The document's blocks, each paragraph's reading (None for a table), the layout role of
    some of them, and the heading tree."""

    blocks: list[Block]
    roles: dict[int, Role]
    root: Node
    paragraphs: list[Paragraph | None]


_BOUNDARIES: tuple[Role, ...] = ("date", "signature", "attachment", "attachment_start")


def _is_label(text: str, rules: Rules) -> bool:
    folded = fold_width(text)
    return len(folded) <= rules.labels.max_length and not any(
        ch in rules.labels.forbidden for ch in folded
    )


def _run_together(rest: str, rules: Rules) -> list[str] | None:
    """Two canonical labels written without a joiner (时间地点, 活动时间地点)."""
    if len(rest) > 2 * rules.labels.max_length:
        return None
    for cut in range(2, len(rest) - 1):
        left, right = rest[:cut], rest[cut:]
        first, second = label_category(left, rules), label_category(right, rules)
        if first and second and first != second and _is_label(left, rules) and _is_label(right, rules):
            return [left, right]
    return None


def _container_labels(rest: str, rules: Rules) -> list[str] | None:
    joiners = any_of(tuple(rules.headings.label_joiners))
    if len(rest) > 4 * rules.labels.max_length or joiners.search(rest) is None:
        # One label, or a sentence: not labels joined by 和/与/及/、 (unless run together).
        return _run_together(rest, rules) if rest else None
    parts = [p.strip() for p in joiners.split(rest) if p.strip()]
    # Every part reads as a label and at least one names a canonical field (演练时间、集合地点及参加学生).
    if len(parts) < 2 or not all(_is_label(p, rules) for p in parts):
        return None
    if not any(label_category(p, rules) for p in parts):
        return None
    return parts


def _field_heading(rest: str, next_text: str | None, rules: Rules) -> tuple[str, bool] | None:
    """A heading that is a field (form 4): the synthetic field line, and whether it took the next line."""
    compact = "".join(rest.split())
    category = label_category(compact, rules) if _is_label(compact, rules) else None
    sep = rules.text.label_separators[0]
    if category and next_text is not None:
        if category != "time" or looks_like_time(next_text, rules):
            return f"{rest}{sep}{next_text}", True
        return None
    m = re.match(rf"(\S{{1,{rules.labels.max_length}}})\s+(\S.*)", rest)
    if m and _is_label(m.group(1), rules) and label_category(m.group(1), rules):
        value = m.group(2)
        if label_category(m.group(1), rules) != "time" or looks_like_time(value, rules):
            return f"{m.group(1)}{sep}{value}", False
    return None


_MARKED = "marked:"


def _marked_level(style: str | None) -> int | None:
    if style and style.startswith(_MARKED):
        return int(style[len(_MARKED):] or 0)
    return None


def _place(stack: list[Node], style: str) -> None:
    """Pop the stack so that a heading of `style` goes under its top.

    A marked heading (no label) closes the marked headings of its level and below.
    """
    level = _marked_level(style)
    for depth in range(1, len(stack)) if level is not None else ():
        other = _marked_level(stack[depth].style)
        if other is not None and other >= level:
            del stack[depth:]
            return
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth].style == style:
            del stack[depth:]
            return


def blocks_to_tree(blocks: list[Block], rules: Rules) -> Tree:
    """Build the heading tree of `blocks`.

    A heading style seen before closes the headings down to its last use (a
    sibling); a new style opens a level under the current heading, so skipped
    levels and repeated numbers never break the tree. 落款, signature and 附件
    lines close every open heading.
    """
    paragraphs = read_paragraphs(blocks, rules)
    roles = block_roles(blocks, paragraphs, rules)
    root = Node(kind="root")
    stack = [root]
    skip: set[int] = set()
    grouping = {"".join(g.split()) for g in rules.headings.grouping}
    # Marked paragraphs before the first ordinary one are the title lines, never headings.
    in_body = False
    for i, block in enumerate(blocks):
        if i in skip:
            continue
        if roles.get(i) in _BOUNDARIES:
            del stack[1:]
            continue
        paragraph = paragraphs[i]
        if paragraph is None:
            stack[-1].items.append(Item(i, block.text))
            continue
        heading = paragraph.heading
        if heading is None and block.marked and in_body and not paragraph.fields:
            # The source marks it as a heading (Word Heading style, HTML h1–h6): a heading without a label.
            heading = HeadingLabel(label="", style=f"{_MARKED}{block.level_hint}", number=None, end=0)
        if heading is None:
            stack[-1].items.append(Item(i, block.text, reading=paragraph))
            in_body = in_body or bool(paragraph.stripped)
            continue
        in_body = True
        _place(stack, heading.style)
        rest = block.text[heading.end :].strip()
        if paragraph.fields:
            stack[-1].items.append(Item(i, rest, reading=read_paragraph(rest, rules)))
            continue
        nxt = paragraphs[i + 1] if i + 1 < len(blocks) else None
        next_text = (
            nxt.text
            if nxt is not None and i + 1 not in roles and nxt.heading is None and not nxt.fields
            else None
        )
        folded_rest = paragraph.folded[heading.end :]
        labels = _container_labels("".join(folded_rest.split()), rules)
        as_field = None if labels else _field_heading(rest, next_text, rules)
        if as_field:
            line, took_next = as_field
            stack[-1].items.append(Item(i, line, synthetic=True, reading=read_paragraph(line, rules)))
            if took_next:
                skip.add(i + 1)
            continue
        node = _new_node(block, heading, rest, folded_rest, len(stack), labels, grouping)
        stack[-1].children.append(node)
        stack.append(node)
    return Tree(blocks=blocks, roles=roles, root=root, paragraphs=paragraphs)


def _new_node(
    block: Block,
    heading: HeadingLabel,
    rest: str,
    folded_rest: str,
    level: int,
    labels: list[str] | None,
    grouping: set[str],
) -> Node:
    compact = "".join(folded_rest.split())
    kind: NodeKind = "container" if labels else ("grouping" if compact in grouping else "heading")
    return Node(
        kind=kind,
        block=block.index,
        label=heading.label or None,
        style=heading.style,
        number=heading.number,
        text=rest,
        level=level,
        labels=labels or [],
    )
