"""Ruled tables found in page images: rules, merged cells, a turned page, boxes cut at rules."""

from __future__ import annotations

import pytest

pytest.importorskip("cv2", reason='the OCR extra is not installed: pip install "noticeparse[ocr]"')

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from noticeparse.extract.grid import fill, find_grids  # noqa: E402
from noticeparse.extract.pdf import Line  # noqa: E402

DPI = 200


def _page(turn: float = 0.0, speckle: bool = False) -> np.ndarray:
    """An A4 page at 200 dpi with a 3x3 ruled table whose two top-left slots are one merged cell,
    and a word of 'text' (a dark block) in each cell."""
    page = np.full((2339, 1654), 255, np.uint8)
    xs, ys = [200, 500, 900, 1400], [600, 760, 920, 1080]
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 120, 2)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), 120, 2)
    page[ys[0] + 3:ys[1] - 2, xs[1] - 3:xs[1] + 3] = 255  # the rule between the merged slots
    for y in ys[:-1]:
        for x in xs[:-1]:
            page[y + 60:y + 95, x + 30:x + 90] = 30
    if speckle:
        rng = np.random.default_rng(7)
        dots = rng.random(page.shape) < 0.002
        page[dots] = 90
        page = cv2.GaussianBlur(page, (3, 3), 0)
    if turn:
        centre = (page.shape[1] / 2, page.shape[0] / 2)
        page = cv2.warpAffine(page, cv2.getRotationMatrix2D(centre, turn, 1.0), (page.shape[1], page.shape[0]),
                              borderValue=255)
    return page


@pytest.mark.parametrize(("turn", "speckle"), [(0.0, False), (0.6, True), (-0.5, True)])
def test_rules_and_merged_cells_are_found(turn: float, speckle: bool) -> None:
    page = _page(turn, speckle)
    grids, clean = find_grids(page, DPI)
    assert len(grids) == 1
    grid = grids[0]
    assert len(grid.ys) == 4 and len(grid.xs) == 4
    cells = grid.cells
    assert cells[0][0] == cells[0][1] != cells[0][2]  # merged across the missing rule
    assert len({c for row in cells for c in row}) == 8
    # The rules are whitened in the cleaned image; the nine blocks of text stay.
    text = 9 * 60 * 35
    assert (page < 180).sum() > 1.5 * text
    assert 0.85 * text < (clean < 180).sum() < 1.15 * text


def test_a_page_without_rules_has_no_grid() -> None:
    page = np.full((2339, 1654), 255, np.uint8)
    page[300:335, 200:1400] = 30  # a line of bold text is not a rule: no verticals join it
    cv2.line(page, (200, 900), (1400, 900), 0, 2)  # an underline alone is not a table
    assert find_grids(page, DPI)[0] == []


def test_lines_go_to_their_cells_and_a_box_across_a_rule_is_read_again() -> None:
    grids, _ = find_grids(_page(), DPI)
    scale, height = 72 / DPI, 2339 * 72 / DPI

    def line(text: str, x0: int, x1: int, y: int) -> Line:
        return Line(text=text, page=1, left=x0 * scale, right=x1 * scale, top=height - (y - 15) * scale,
                    bottom=height - (y + 15) * scale, size=30 * scale)

    reads: list[tuple[float, float]] = []

    def reread(piece: Line) -> str:
        reads.append((round(piece.left / scale), round(piece.right / scale)))
        return "左" if piece.left / scale < 900 else "右"

    lines = [
        line("合并", 230, 700, 680),  # the merged cell
        line("甲", 930, 1000, 680),
        line("乙丙", 230, 300, 840), line("丁", 230, 300, 870),  # two lines of one cell
        line("戊己", 530, 1100, 1000),  # one box across the rule at x=900
        line("正文", 200, 1400, 1300),  # below the table
    ]
    outside, tables = fill(grids, lines, 1, scale, height, lambda ls: sorted(ls, key=lambda ln: -ln.top), reread)
    assert [ln.text for ln in outside] == ["正文"]
    assert len(tables) == 1
    assert tables[0].grid == [["合并", "合并", "甲"], ["乙丙丁", "", ""], ["", "左", "右"]]
    assert reads == [(530, 900), (900, 1100)]
