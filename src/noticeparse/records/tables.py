"""Tables of activities (spec form 5): one record per data row of a table with a title and a field column."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Activity, Block
from ..rules import Category, Rules
from ..structure.labels import HeadingLabel, label_category, match_heading
from ..text.width import fold_width
from .assignments import parse_assignments
from .build import build_activity, split_title
from .fields import RawField

__all__ = ["Column", "TableHeader", "find_header", "table_rows"]


@dataclass(frozen=True)
class Column:
    """A header cell: as printed, and what its cells hold."""

    header: str
    category: Category | None
    role: str  # "title", "index", "field" or "other"


@dataclass(frozen=True)
class TableHeader:
    """The header row of an activity table and its columns."""

    row: int
    columns: list[Column]


def _compact(text: str) -> str:
    return "".join(fold_width(text).split())


def find_header(grid: list[list[str]], rules: Rules) -> TableHeader | None:
    """The header row naming a title column and at least one field column, if the table has one."""
    titles = [_compact(t) for t in rules.tables.title_columns]
    index = {_compact(t) for t in rules.tables.index_columns}
    for r, row in enumerate(grid[: rules.tables.max_header_row]):
        compact = [_compact(c) for c in row]
        title_col = next((compact.index(t) for t in titles if t in compact), None)
        if title_col is None:
            continue
        columns = []
        for c, (cell, name) in enumerate(zip(row, compact, strict=True)):
            category = label_category(name, rules) if c != title_col and name else None
            role = (
                "title" if c == title_col
                else "index" if name in index
                else "field" if category
                else "other"
            )
            columns.append(Column(" ".join(cell.split()), category, role))
        if any(col.role == "field" for col in columns):
            return TableHeader(r, columns)
    return None


def _is_data_row(row: list[str], header_cells: list[str]) -> bool:
    values = [c.strip() for c in row]
    if not any(values):
        return False
    if [_compact(c) for c in row] == [_compact(c) for c in header_cells]:
        return False  # the header repeated (after a page break)
    # One text merged across cells, nothing else in the row: a caption or a note (注：…), not data.
    filled = [v for v in values if v]
    return len(row) < 2 or len(set(filled)) > 1 or len(filled) < 2


def _joins(left: Column, right: Column) -> bool:
    """Whether two adjacent columns hold one value: a header merged over both (时间 over the
    date and the clock), or a date column beside a time column (日期 | 时间)."""
    if left.role in ("title", "index") or right.role in ("title", "index"):
        return False
    return _compact(left.header) == _compact(right.header) or left.category == right.category == "time"


def _merged_cells(row: list[str], columns: list[Column]) -> list[tuple[int, Column, str]]:
    """The row's cells with the cells of joined columns put together (`7月5日 12:30—13:30`)."""
    out: list[tuple[int, Column, str]] = []
    for c, (col, cell) in enumerate(zip(columns, row, strict=False)):
        value = cell.strip()
        if out and _joins(columns[c - 1], col) and out[-1][1] is columns[out[-1][0]]:
            first, head, before = out[-1]
            if value and value != before.split(" ")[-1]:  # a cell spanning both columns counts once
                out[-1] = (first, head, f"{before} {value}" if before else value)
            continue
        out.append((c, col, value))
    return out


def _row_fields(
    row: list[str], columns: list[Column], block: int, rules: Rules, first_leads: bool
) -> tuple[list[RawField], list[str]]:
    fields: list[RawField] = []
    other: list[str] = []
    for c, col, value in _merged_cells(row, columns):
        if not value or col.role in ("title", "index"):
            continue
        position = (block, c)
        if col.category in ("lead", "support", "responsible"):
            # The cell is printed as a field; its units are read like a responsibility note (form 3).
            fields.append(RawField(col.header, value, None, position))
            assigned = parse_assignments(value, rules, cell=col.category, first_leads=first_leads) or []
            fields.extend(RawField(None, a.units, a.category, position) for a in assigned)
        elif col.category:
            fields.append(RawField(col.header, value, col.category, position))
        else:
            fields.append(RawField(col.header, value, None, position))
            other.append(value)
    return fields, other


def _running_number(text: str, expected: int | None, rules: Rules) -> HeadingLabel | None:
    """`8．9月…`: a number the heading styles refuse before a digit is still the row's label
    when it continues the numbering of the rows above."""
    if expected is None:
        return None
    m = rules.tables.row_number.match(fold_width(text))
    if not m or int(m["num"]) != expected:
        return None
    return HeadingLabel(label=text[m.start() : m.end()].strip(), style="row", number=expected, end=m.end())


def table_rows(
    block: Block,
    number: int,
    path: list[str],
    rules: Rules,
    note: tuple[int, int] | None = None,
) -> list[Activity]:
    """The records of table block `block` (the `number`th table of the document)."""
    grid = block.cells or []
    header = find_header(grid, rules)
    if header is None:
        return []
    title_col = next(c for c, col in enumerate(header.columns) if col.role == "title")
    first_leads = note is not None and note[0] < block.index
    records = []
    k = 0
    expected: int | None = None
    for row in grid[header.row + 1 :]:
        if not _is_data_row(row, grid[header.row]):
            continue
        k += 1
        lines = [line.strip() for line in row[title_col].split("\n") if line.strip()]
        if not lines:
            continue
        label = match_heading(lines[0], rules) or _running_number(lines[0], expected, rules)
        heading = label.label if label else None
        expected = label.number + 1 if label and label.number is not None else None
        first = lines[0][label.end :].strip() if label else lines[0]
        title, rest = split_title(first, rules)
        fields, other = _row_fields(row, header.columns, block.index, rules, first_leads)
        description = "\n".join(p for p in [rest, *lines[1:], *other] if p) or None
        record = build_activity(
            id=f"T{number}.{k}",
            heading=heading,
            path=path,
            title=title,
            description=description,
            fields=fields,
            spans=[block],
            rules=rules,
        )
        if record is not None:
            records.append(record)
    return records
