"""Stage 2: blocks → heading tree (which heading owns which paragraphs)."""

from __future__ import annotations

from .tree import Item, Node, Tree, blocks_to_tree

__all__ = ["Item", "Node", "Tree", "blocks_to_tree"]
