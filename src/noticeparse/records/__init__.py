"""Stage 3: heading tree → notice metadata, section outline and activity records (raw values)."""

from __future__ import annotations

from ..models import Notice, NoticeWarning, Source
from ..rules import Rules
from ..structure import Tree
from .activities import read_heads, tree_to_activities, tree_to_sections
from .assignments import first_leads_note
from .metadata import tree_to_metadata

__all__ = ["tree_to_notice"]


def tree_to_notice(
    tree: Tree,
    source: Source,
    rules: Rules,
    warnings: list[NoticeWarning] | None = None,
    page_meta: dict[str, str] | None = None,
) -> Notice:
    """Build the notice with raw field values; `normalize_notice` turns them into dates and units.

    `page_meta` is what the page printed outside the body (Extraction.page_meta):
    it fills metadata the document itself does not print.
    """
    meta = tree_to_metadata(tree, rules, page_meta or {})
    note = first_leads_note(tree.blocks, rules)
    heads = read_heads(tree, rules, note)
    return Notice(
        source=source,
        notice=meta,
        sections=tree_to_sections(tree, rules, heads),
        activities=tree_to_activities(tree, rules, meta.title, heads, note),
        warnings=list(warnings or []),
    )
