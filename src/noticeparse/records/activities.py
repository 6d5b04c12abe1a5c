"""Turn the heading tree into activity records and the section outline."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Activity, Section
from ..rules import Rules
from ..structure import Node, Tree
from .assignments import first_leads_note
from .build import build_activity, split_title
from .fields import RawField, node_content, strip_field_parens
from .tables import table_rows

__all__ = ["Heads", "read_heads", "split_title", "tree_to_activities", "tree_to_sections"]


@dataclass(frozen=True)
class _Head:
    """A heading paragraph read once: its title, the rest of its text, its parenthesis fields."""

    title: str | None
    rest: str | None
    fields: list[RawField]


def _read_head(node: Node, rules: Rules, note: tuple[int, int] | None = None) -> _Head:
    text, fields = strip_field_parens(node.text, node.block or 0, rules, note)
    title, rest = split_title(text, rules)
    return _Head(title, rest, fields)


Heads = dict[int, _Head]


def read_heads(tree: Tree, rules: Rules, note: tuple[int, int] | None = None) -> Heads:
    """Every heading paragraph read once (by node id), for the outline and the records alike.

    `note` is where the document says the first unit listed leads (`first_leads_note`).
    """
    return {id(node): _read_head(node, rules, note) for node in tree.root.walk() if node.kind != "root"}


def tree_to_sections(tree: Tree, rules: Rules, heads: Heads | None = None) -> list[Section]:
    """The outline of headings, nested as in the document."""
    heads = heads if heads is not None else read_heads(tree, rules)
    return [_section(child, 1, heads) for child in tree.root.children]


def _section(node: Node, level: int, heads: Heads) -> Section:
    # Module-level, not nested: a nested recursive function is a reference cycle that keeps the
    # whole tree alive until the cyclic garbage collector runs.
    return Section(
        label=node.label or "",
        level=level,
        number=node.number,
        title=heads[id(node)].title or "",
        children=[_section(c, level + 1, heads) for c in node.children],
    )


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
        return None  # a section, not an activity: nothing more to assemble
    description = None
    if node.kind != "root":
        description = "\n".join(p for p in [heads[id(node)].rest, *content_paragraphs] if p) or None
    numbers = [a.number for a in ancestors[1:]] + ([node.number] if node.kind != "root" else [])
    return build_activity(
        id=".".join(str(n if n is not None else 0) for n in numbers) or "0",
        heading=node.label,
        path=[t for t in (heads[id(a)].title for a in ancestors[1:]) if t],
        title=title,
        description=description,
        fields=fields,
        spans=[tree.blocks[b] for b in ([node.block] if node.block is not None else []) + blocks],
        rules=rules,
    )


def tree_to_activities(
    tree: Tree,
    rules: Rules,
    notice_title: str | None,
    heads: Heads | None = None,
    note: tuple[int, int] | None = None,
) -> list[Activity]:
    """One record per heading (or the document) that owns a canonical field, and per table row.

    Grouping and container headings give their fields to the nearest enclosing
    ordinary heading, or to the document (id 0), which comes first; the other
    records follow in document order.
    """
    owners: list[tuple[Node, list[Node]]] = []
    tables: list[tuple[int, Node, list[Node]]] = []
    collected: dict[int, tuple[list[RawField], list[str], list[int]]] = {}
    if heads is None:
        note = first_leads_note(tree.blocks, rules)
        heads = read_heads(tree, rules, note)

    # An explicit stack in document order (a nested recursive function would be a reference cycle
    # holding the whole tree until the cyclic garbage collector runs).
    stack: list[tuple[Node, list[Node]]] = [(tree.root, [])]
    while stack:
        node, ancestors = stack.pop()
        content = node_content(node, rules, note)
        own_fields = list(content.fields)
        if node.kind != "root":
            own_fields = heads[id(node)].fields + own_fields
        tables.extend((i.block, node, ancestors) for i in node.items if tree.blocks[i.block].kind == "table")
        if node.kind in ("grouping", "container"):
            target = next(a for a in reversed(ancestors) if a.kind in ("root", "heading"))
            fields, _, blocks = collected[id(target)]
            fields.extend(own_fields)
            blocks.extend(content.blocks)
        else:
            collected[id(node)] = (own_fields, content.paragraphs, list(content.blocks))
            owners.append((node, ancestors))
        below = [*ancestors, node]
        stack.extend((child, below) for child in reversed(node.children))
    records = []
    for node, ancestors in owners:
        fields, paragraphs, blocks = collected[id(node)]
        title = notice_title if node.kind == "root" else heads[id(node)].title
        if title is None and node.kind != "root":
            # A bare label (通知二：): its first plain paragraph names it, else the label itself.
            if paragraphs:
                title, paragraphs = split_title(paragraphs[0], rules)[0], paragraphs[1:]
            else:
                title = split_title(node.label or "", rules)[0]
        record = _record(node, fields, paragraphs, blocks, ancestors, tree, rules, title, heads)
        if record is not None:
            records.append(record)
    numbers = {b.index: n for n, b in enumerate((b for b in tree.blocks if b.kind == "table"), 1)}
    for block, node, ancestors in sorted(tables, key=lambda t: t[0]):
        path = [t for t in (heads[id(a)].title for a in [*ancestors[1:], node] if a.kind != "root") if t]
        records.extend(table_rows(tree.blocks[block], numbers[block], path, rules, note))
    document = [r for r in records if r.id == "0"]
    rest = sorted((r for r in records if r.id != "0"), key=lambda r: r.source.block or 0)
    return document + rest
