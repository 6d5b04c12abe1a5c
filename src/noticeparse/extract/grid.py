"""Ruled tables in page images (scans): their rules found with OpenCV, OCR'd lines put in their cells.

A scan has no drawing operators to tell a table by, only pixels. Long horizontal and vertical
runs of ink (morphological opening with a kernel longer than any glyph stroke) are the rules;
rules that touch form a grid; the rows and columns are where the rules stand, and two slots
with no rule between them are one merged cell. Positions come from the rules' own segments,
not from pixel windows, so a page turned by a degree (as scanners return them) still reads.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .pdf import Line, Table, cell_value
from .tables import is_data_grid

__all__ = ["Grid", "find_grids", "fill"]

# A horizontal rule is at least this long (points): longer than any glyph's stroke, shorter than
# the narrowest column a notice's table has (序号 is about two ems).
DEFAULT_MIN_RULE_PT = 20.0
# A vertical rule is at least this tall (points): taller than a glyph, shorter than a one-line row.
DEFAULT_MIN_UPRIGHT_PT = 14.0
# A rule is at most this thick (points), blur and a turned page included.
DEFAULT_MAX_RULE_PT = 4.0
# Ink is darker than this (0-255): a hairline rule scanned and blurred stays near mid-grey.
DEFAULT_INK_LEVEL = 180
# Rule segments within this distance (points) are one rule (a turned page bends a rule a little).
DEFAULT_SAME_RULE_PT = 3.0
# A rule covering this share of a slot's side separates the slots; less is a gap (merged cells).
DEFAULT_RULE_COVER = 0.5
# A piece of a box cut at a rule narrower than this (ems) is the rule or the cell's padding.
DEFAULT_MIN_PIECE_EMS = 0.4
# The smallest grid read as a table (points): smaller frames are boxes around a word or a stamp.
DEFAULT_MIN_TABLE_PT = (72.0, 24.0)


@dataclass
class Grid:
    """A ruled table in an image: its row rules `ys` and column rules `xs` (pixels, top to bottom and
    left to right), and for every slot between them the number of the cell it belongs to."""

    ys: list[float]
    xs: list[float]
    cells: list[list[int]]

    def cell_at(self, x: float, y: float) -> int | None:
        """The cell under pixel (x, y), or None outside the grid."""
        r = bisect.bisect_right(self.ys, y) - 1
        c = bisect.bisect_right(self.xs, x) - 1
        if 0 <= r < len(self.cells) and 0 <= c < len(self.cells[0]):
            return self.cells[r][c]
        return None


def _thin(mask: Any, axis: int, thickest: float) -> Any:
    """The mask without runs thicker than `thickest` pixels on average: a solid block (a redaction,
    a bold glyph cluster) is not a rule."""
    import cv2
    import numpy as np

    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    # Mean thickness (area over length), not the box: a long rule on a turned page has a tall box.
    along = stats[:, cv2.CC_STAT_WIDTH if axis == 0 else cv2.CC_STAT_HEIGHT]
    keep = stats[:, cv2.CC_STAT_AREA] <= thickest * along
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8) if count > 1 else mask


def _segments(mask: Any, axis: int) -> list[tuple[float, float, float]]:
    """The mask's connected runs as (position across, start along, end along)."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    out = []
    for x, y, w, h, _ in stats[1:count]:
        if axis == 0:  # horizontal rules: position is y, extent along x
            out.append((y + h / 2, float(x), float(x + w)))
        else:
            out.append((x + w / 2, float(y), float(y + h)))
    return out


def _rules(segments: list[tuple[float, float, float]], near: float) -> list[tuple[float, list[tuple[float, float]]]]:
    """Segments gathered into rules: (mean position, the spans they cover)."""
    rules: list[list[tuple[float, float, float]]] = []
    for seg in sorted(segments):
        if rules and seg[0] - rules[-1][-1][0] <= near:
            rules[-1].append(seg)
        else:
            rules.append([seg])
    return [(sum(s[0] for s in r) / len(r), [(s[1], s[2]) for s in r]) for r in rules]


def _cover(spans: list[tuple[float, float]], start: float, end: float) -> float:
    """The share of [start, end] that the spans cover."""
    if end <= start:
        return 0.0
    covered, reach = 0.0, start
    for a, b in sorted(spans):
        a, b = max(a, reach), min(b, end)
        if b > a:
            covered += b - a
            reach = b
    return covered / (end - start)


def _grid(h_rules: list[tuple[float, list[tuple[float, float]]]],
          v_rules: list[tuple[float, list[tuple[float, float]]]]) -> Grid:
    ys = [y for y, _ in h_rules]
    xs = [x for x, _ in v_rules]
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and _cover(v_rules[c + 1][1], ys[r], ys[r + 1]) < DEFAULT_RULE_COVER:
                union(r * cols + c, r * cols + c + 1)
            if r + 1 < rows and _cover(h_rules[r + 1][1], xs[c], xs[c + 1]) < DEFAULT_RULE_COVER:
                union(r * cols + c, (r + 1) * cols + c)
    return Grid(ys, xs, [[find(r * cols + c) for c in range(cols)] for r in range(rows)])


def find_grids(grey: Any, dpi: int) -> tuple[list[Grid], Any]:
    """The ruled tables of a greyscale page image rendered at `dpi`, and the image with their rules
    whitened (a recogniser reads a rule beside a glyph as `i` or `1`)."""
    import cv2
    import numpy as np

    pt = dpi / 72
    ink = (grey < DEFAULT_INK_LEVEL).astype(np.uint8) * 255
    # A hairline turned by a fraction of a degree steps by a pixel every hundred: thicken it across
    # its length before looking for long runs.
    across = cv2.dilate(ink, np.ones((3, 1), np.uint8))
    upright = cv2.dilate(ink, np.ones((1, 3), np.uint8))
    horizontal = cv2.morphologyEx(
        across, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(DEFAULT_MIN_RULE_PT * pt), 2), 1))
    )
    vertical = cv2.morphologyEx(
        upright, cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(int(DEFAULT_MIN_UPRIGHT_PT * pt), 2))),
    )
    if not horizontal.any() or not vertical.any():
        return [], grey
    horizontal = _thin(horizontal, 0, DEFAULT_MAX_RULE_PT * pt)
    vertical = _thin(vertical, 1, DEFAULT_MAX_RULE_PT * pt)
    both = cv2.bitwise_or(horizontal, vertical)
    joined = cv2.dilate(both, np.ones((7, 7), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    near = DEFAULT_SAME_RULE_PT * pt
    grids = []
    clean = grey
    rules = cv2.dilate(both, np.ones((3, 3), np.uint8))
    for x, y, w, h, _ in stats[1:count]:
        if w < DEFAULT_MIN_TABLE_PT[0] * pt or h < DEFAULT_MIN_TABLE_PT[1] * pt:
            continue
        h_rules = _rules([(p + y, a + x, b + x) for p, a, b in _segments(horizontal[y:y + h, x:x + w], 0)], near)
        v_rules = _rules([(p + x, a + y, b + y) for p, a, b in _segments(vertical[y:y + h, x:x + w], 1)], near)
        # A rule of a grid spans at least one slot of it; shorter runs inside cells are glyph strokes.
        h_rules = [r for r in h_rules if sum(b - a for a, b in r[1]) >= DEFAULT_MIN_RULE_PT * pt]
        if len(h_rules) < 2 or len(v_rules) < 2:
            continue
        grids.append(_grid(h_rules, v_rules))
        if clean is grey:
            clean = grey.copy()
        box = clean[y:y + h, x:x + w]
        box[rules[y:y + h, x:x + w] > 0] = 255
    return grids, clean


def _split(line: Line, bounds: list[float], reread: Callable[[Line], str]) -> list[Line]:
    """A recognised box that runs across column rules (the detector joined two cells' text, or read
    a rule as a glyph), cut where the rules stand and each piece read again."""
    inner = [b for b in bounds if line.left < b < line.right]
    if not inner:
        return [line]
    out = []
    for left, right in zip([line.left, *inner], [*inner, line.right], strict=True):
        if right - left < DEFAULT_MIN_PIECE_EMS * line.size:
            continue  # the rule itself, or the padding beyond it
        piece = Line(text="", page=line.page, left=left, right=right, top=line.top, bottom=line.bottom,
                     size=line.size)
        piece.text = reread(piece).strip()
        if piece.text:
            out.append(piece)
    return out


def fill(grids: list[Grid], lines: list[Line], number: int, scale: float, height_pt: float,
         rows: Callable[[list[Line]], list[Line]], reread: Callable[[Line], str]) -> tuple[list[Line], list[Table]]:
    """The lines of page `number` outside the grids, and each grid that holds data as a table of
    the lines inside its cells. `scale` turns pixels into points; `rows(lines)` joins boxes that
    stand on one line; `reread(line)` recognises the text inside a line's box again."""
    tables: list[Table] = []
    outside = list(lines)
    for grid in grids:
        texts: dict[int, list[Line]] = {}
        rest = []
        for line in outside:
            inside = _inside(grid, line, scale, height_pt)
            for part in _split(line, _column_rules(grid, line, scale, height_pt), reread) if inside else [line]:
                cell = grid.cell_at(*_centre(part, scale, height_pt))
                if cell is None:
                    rest.append(part)
                else:
                    texts.setdefault(cell, []).append(part)
        joined = {cell: cell_value("\n".join(ln.text for ln in rows(parts))) for cell, parts in texts.items()}
        table = [[joined.get(cell, "") for cell in row] for row in grid.cells]
        if not is_data_grid(table):
            continue
        outside = rest
        tables.append(Table(
            table, number, height_pt - grid.ys[0] * scale, height_pt - grid.ys[-1] * scale,
            grid.xs[0] * scale, grid.xs[-1] * scale,
        ))
    return outside, tables


def _centre(line: Line, scale: float, height_pt: float) -> tuple[float, float]:
    """The middle of a line's box in image pixels (x right, y down)."""
    return (line.left + line.right) / 2 / scale, (height_pt - (line.top + line.bottom) / 2) / scale


def _column_rules(grid: Grid, line: Line, scale: float, height_pt: float) -> list[float]:
    """The column rules (points) standing in the line's row: those between two different cells."""
    r = bisect.bisect_right(grid.ys, _centre(line, scale, height_pt)[1]) - 1
    if not 0 <= r < len(grid.cells):
        return []
    row = grid.cells[r]
    return [grid.xs[c + 1] * scale for c in range(len(row) - 1) if row[c] != row[c + 1]]


def _inside(grid: Grid, line: Line, scale: float, height_pt: float) -> bool:
    cy = _centre(line, scale, height_pt)[1]
    return grid.ys[0] <= cy <= grid.ys[-1] and line.right / scale > grid.xs[0] and line.left / scale < grid.xs[-1]
