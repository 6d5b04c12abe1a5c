"""Turn the heading tree into activity records and the section outline."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Activity, RecordSource, Section, TimeValue
from ..rules import Rules
from ..structure import Node, Tree
from .fields import RawField, node_content, strip_field_parens

__all__ = ["split_title", "tree_to_activities", "tree_to_sections"]


def _trim(text: str, trailing: list[str]) -> str:
    text = text.strip()
    while text and any(text.endswith(t) for t in trailing):
        text = text[: -1].rstrip()
    return text


def split_title(text: str, rules: Rules) -> tuple[str | None, str | None]:
    """A heading's (title, rest): the first sentence without its final mark, and what follows."""
    cut = min((i for i in (text.find(m) for m in rules.text.sentence_end) if i >= 0), default=-1)
    head, rest = (text, "") if cut < 0 else (text[: cut + 1], text[cut + 1 :])
    title = _trim(head, rules.text.title_trailing)
    return title or None, rest.strip() or None


@dataclass(frozen=True)
class _Head:
    """A heading paragraph read once: its title, the rest of its text, its parenthesis fields."""

    title: str | None
    rest: str | None
    fields: list[RawField]


def _read_head(node: Node, rules: Rules) -> _Head:
    text, fields = strip_field_parens(node.text, node.block or 0, rules)
    title, rest = split_title(text, rules)
    return _Head(title, rest, fields)


def _node_title(node: Node, rules: Rules) -> str | None:
    return _read_head(node, rules).title


def tree_to_sections(tree: Tree, rules: Rules) -> list[Section]:
    """The outline of headings, nested as in the document."""

    def build(node: Node, level: int) -> Section:
        return Section(
            label=node.label or "",
            level=level,
            number=node.number,
            title=_node_title(node, rules) or "",
            children=[build(c, level + 1) for c in node.children],
        )

    return [build(child, 1) for child in tree.root.children]


def _value(text: str, rules: Rules) -> str:
    return _trim(text, rules.text.value_trailing)


def _record(
    node: Node,
    fields: list[RawField],
    content_paragraphs: list[str],
    blocks: list[int],
    ancestors: list[Node],
    tree: Tree,
    rules: Rules,
    title: str | None,
    heads: dict[int, _Head],
) -> Activity | None:
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
    description = None
    if node.kind != "root":
        description = "\n".join(p for p in [heads[id(node)].rest, *content_paragraphs] if p) or None
    numbers = [a.number for a in ancestors[1:]] + ([node.number] if node.kind != "root" else [])
    spans = [tree.blocks[b] for b in ([node.block] if node.block is not None else []) + blocks]
    return Activity(
        id=".".join(str(n if n is not None else 0) for n in numbers) or "0",
        heading=node.label,
        path=[t for t in (heads[id(a)].title for a in ancestors[1:]) if t],
        title=title,
        description=description,
        time=TimeValue(label=time.label, raw=_value(time.value, rules)) if time else None,
        location=_value(location.value, rules) if location else None,
        lead=[v for v in lead if v.strip()],
        support=[v for v in support if v.strip()],
        fields=printed,
        source=RecordSource(
            page=spans[0].page if spans else None,
            block=node.block if node.block is not None else (spans[0].index if spans else None),
            char_start=min((b.char_start for b in spans), default=None),
            char_end=max((b.char_end for b in spans), default=None),
        ),
    )


def tree_to_activities(tree: Tree, rules: Rules, notice_title: str | None) -> list[Activity]:
    """One record per heading (or the document) that owns a canonical field.

    Grouping and container headings give their fields to the nearest enclosing
    ordinary heading, or to the document (id 0).
    """
    owners: list[tuple[Node, list[Node]]] = []
    collected: dict[int, tuple[list[RawField], list[str], list[int]]] = {}
    heads: dict[int, _Head] = {}

    def visit(node: Node, ancestors: list[Node]) -> None:
        content = node_content(node, tree, rules)
        own_fields = list(content.fields)
        if node.kind != "root":
            heads[id(node)] = _read_head(node, rules)
            own_fields = heads[id(node)].fields + own_fields
        if node.kind in ("grouping", "container"):
            target = next(a for a in reversed(ancestors) if a.kind in ("root", "heading"))
            fields, _, blocks = collected[id(target)]
            fields.extend(own_fields)
            blocks.extend(content.blocks)
        else:
            collected[id(node)] = (own_fields, content.paragraphs, list(content.blocks))
            owners.append((node, ancestors))
        for child in node.children:
            visit(child, [*ancestors, node])

    visit(tree.root, [])
    records = []
    for node, ancestors in owners:
        fields, paragraphs, blocks = collected[id(node)]
        title = notice_title if node.kind == "root" else heads[id(node)].title
        record = _record(node, fields, paragraphs, blocks, ancestors, tree, rules, title, heads)
        if record is not None:
            records.append(record)
    return records
