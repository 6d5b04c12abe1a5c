"""Table grids shared by the extractors: merged cells expanded into a plain rectangle.

HTML (rowspan/colspan), Word (gridSpan/vMerge) and PDF tables all describe
merged cells; every extractor hands its rows here as `Cell`s and gets back a
grid in which a merged value repeats into every row and column it spans.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .._limits import DEFAULT_MAX_TABLE_CELLS
from ..models import Block

__all__ = ["Cell", "GridTooLarge", "cell_budget", "cell_text", "expand_spans", "is_data_grid", "table_text"]

# Cells the tables of the document being read may still expand to.
_BUDGET: contextvars.ContextVar[list[int]] = contextvars.ContextVar("cell_budget")


class GridTooLarge(ValueError):
    """Raised when merged cells would expand the document's tables past the cell limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"tables expand to over {limit} cells (the table-cell limit)")


@contextmanager
def cell_budget(limit: int = DEFAULT_MAX_TABLE_CELLS) -> Iterator[None]:
    """Bound the cells every `expand_spans` call inside may make together."""
    token = _BUDGET.set([limit, limit])
    try:
        yield
    finally:
        _BUDGET.reset(token)

# Spans beyond this are treated as this: a broken rowspan="9999" must not make a huge grid.
DEFAULT_MAX_SPAN = 500


@dataclass(frozen=True)
class Cell:
    """One cell as written: its text and how many rows and columns it covers (0 rows = to the end)."""

    text: str
    rowspan: int = 1
    colspan: int = 1


def expand_spans(rows: list[list[Cell]], max_span: int = DEFAULT_MAX_SPAN) -> list[list[str]]:
    """A rectangular grid of cell texts with every merged cell repeated into the slots it covers."""
    grid: list[list[str | None]] = []
    n_rows = len(rows)
    budget = _BUDGET.get(None) or [DEFAULT_MAX_TABLE_CELLS, DEFAULT_MAX_TABLE_CELLS]
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for cell in row:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            rowspan = cell.rowspan if cell.rowspan > 0 else n_rows - r
            rowspan = max(1, min(rowspan, max_span, n_rows - r))
            colspan = max(1, min(cell.colspan, max_span))
            budget[0] -= rowspan * colspan
            if budget[0] < 0:
                raise GridTooLarge(budget[1])
            for dr in range(rowspan):
                target = grid[r + dr] if r + dr < len(grid) else None
                if target is None:
                    grid.append([])
                    target = grid[r + dr]
                while len(target) < c + colspan:
                    target.append(None)
                for dc in range(colspan):
                    target[c + dc] = cell.text
            c += colspan
    width = max((len(row) for row in grid), default=0)
    return [[v if v is not None else "" for v in row] + [""] * (width - len(row)) for row in grid]


def is_data_grid(grid: list[list[str]]) -> bool:
    """Whether a grid is a table of data rather than page layout: two rows and two columns of text."""
    filled_rows = [row for row in grid if any(v.strip() for v in row)]
    if len(filled_rows) < 2:
        return False
    return any(len({v for v in row if v.strip()}) >= 2 for row in filled_rows)


def table_text(grid: list[list[str]]) -> str:
    """The plain text of a grid: cells joined by tabs, rows by newlines, merged repeats kept."""
    return "\n".join("\t".join(" ".join(v.split()) for v in row) for row in grid)


def cell_text(blocks: list[Block]) -> str:
    """The text of a table cell read as blocks: one line per paragraph, a nested table's rows flattened in."""
    lines: list[str] = []
    for block in blocks:
        lines.extend(block.text.split("\n") if block.kind == "table" else [block.text])
    return "\n".join(line for line in lines if line)
