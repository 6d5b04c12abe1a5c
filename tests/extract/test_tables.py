"""Merged cells expanded into a rectangle, shared by every extractor."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from noticeparse.extract.tables import Cell, expand_spans, is_data_grid, table_text


def test_rowspan_and_colspan_repeat_their_value() -> None:
    rows = [
        [Cell("a", colspan=2), Cell("b", rowspan=2)],
        [Cell("c"), Cell("d")],
        [Cell("e", rowspan=0), Cell("f"), Cell("g")],
        [Cell("h"), Cell("i")],
    ]
    assert expand_spans(rows) == [
        ["a", "a", "b"],
        ["c", "d", "b"],
        ["e", "f", "g"],
        ["e", "h", "i"],
    ]


def test_short_rows_are_padded_and_spans_capped() -> None:
    assert expand_spans([[Cell("a", rowspan=9999)], [Cell("b"), Cell("c")]]) == [["a", "", ""], ["a", "b", "c"]]
    assert len(expand_spans([[Cell("x", colspan=10**9)]], max_span=5)[0]) == 5


def test_data_or_layout() -> None:
    assert is_data_grid([["时间", "内容"], ["9月", "升旗"]])
    assert not is_data_grid([["标题"]])
    assert not is_data_grid([["标题", "标题"], ["", ""]])
    assert table_text([["a b", "c"], ["d", "e\nf"]]) == "a b\tc\nd\te f"


@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 4), st.integers(1, 4)), max_size=5),
        max_size=6,
    )
)
def test_always_a_rectangle_with_every_value_placed(shape: list[list[tuple[int, int]]]) -> None:
    rows = [[Cell(f"{r}.{c}", rs, cs) for c, (rs, cs) in enumerate(row)] for r, row in enumerate(shape)]
    grid = expand_spans(rows)
    assert len({len(row) for row in grid}) <= 1
    placed = {v for row in grid for v in row}
    assert all(cell.text in placed for row in rows for cell in row)
