"""Every output format, opened with its own reader and compared with the JSON document."""

from __future__ import annotations

import builtins
import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import noticeparse
from noticeparse.cli import cli
from noticeparse.errors import OutputError
from noticeparse.export import ExportOptions, write_notices
from noticeparse.export.ics_format import fold
from noticeparse.rules import default_rules
from tests.conftest import SEED


@pytest.fixture(scope="module")
def doc() -> dict:
    return noticeparse.parse(SEED).model_dump(mode="json")


def export(tmp_path: Path, fmt: str, *args: str) -> Path:
    out = tmp_path / f"seed.{fmt}"
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--format", fmt, "-o", str(out), *args])
    assert result.exit_code == 0, result.stderr
    return out


def joined(values: list[str]) -> str | None:
    return "、".join(values) or None


def test_xlsx_sheets_headers_dates_and_values(tmp_path: Path, doc: dict) -> None:
    from openpyxl import load_workbook

    book = load_workbook(export(tmp_path, "xlsx"))
    assert book.sheetnames == ["活动", "通知", "责任分工"]
    sheet = book["活动"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["来源文件", "通知标题", "发文机关", "发文字号"]
    assert {"标题", "活动时间", "开始日期", "结束日期", "地点", "牵头单位", "配合单位"} <= set(header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:T{len(doc['activities']) + 1}"
    assert sheet.column_dimensions["J"].width > 10  # the title column is wide enough to read
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(doc["activities"])
    for row, act in zip(rows, doc["activities"], strict=True):
        assert row["标题"] == act["title"]
        assert row["活动时间"] == act["time"]["raw"]
        assert row["开始日期"] == dt.datetime.fromisoformat(act["time"]["start"])  # a real Excel date
        assert row["牵头单位"] == joined(act["lead"])
        assert row["配合单位"] == joined(act["support"])
        assert json.loads(row["全部字段"]) == act["fields"]
    assert sheet["R2"].number_format == "yyyy-mm-dd" or sheet["N2"].number_format == "yyyy-mm-dd"
    notices = list(book["通知"].iter_rows(values_only=True))
    assert notices[1][4] == doc["notice"]["title"]


def test_xlsx_english_headers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(export(tmp_path, "xlsx", "--labels", "en"))
    assert [c.value for c in book["活动"][1]][:3] == ["source_path", "notice_title", "notice_issuer"]


def test_csv_is_english_by_default_and_chinese_on_request(tmp_path: Path, doc: dict) -> None:
    with export(tmp_path, "csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["title"] for r in rows] == [a["title"] for a in doc["activities"]]
    assert rows[0]["time_start"] == doc["activities"][0]["time"]["start"]
    with export(tmp_path, "csv", "--labels", "zh").open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[9] == "标题"


def test_parquet_types_and_values(tmp_path: Path, doc: dict) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(export(tmp_path, "parquet"))
    assert table.num_rows == len(doc["activities"])
    assert table.schema.field("time_start").type == pa.date32()
    assert table.schema.field("lead").type == pa.list_(pa.string())
    assert table.schema.field("notice_year").type == pa.int32()
    rows = table.to_pylist()
    for row, act in zip(rows, doc["activities"], strict=True):
        assert row["title"] == act["title"]
        assert row["lead"] == act["lead"] and row["support"] == act["support"]
        assert row["time_end"] == dt.date.fromisoformat(act["time"]["end"])
        assert dict(row["fields"]) == act["fields"]


def test_parquet_without_pyarrow_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(OutputError, match=r'pip install "noticeparse\[parquet\]"'):
        write_notices([noticeparse.parse(SEED)], "parquet", tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()


def test_ics_events_dates_uids(tmp_path: Path, doc: dict) -> None:
    import icalendar

    path = export(tmp_path, "ics")
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    dated = [a for a in doc["activities"] if a["time"] and a["time"]["start"]]
    assert len(events) == len(dated)
    for event, act in zip(events, dated, strict=True):
        assert str(event["SUMMARY"]) == act["title"]
        assert event.decoded("DTSTART") == dt.date.fromisoformat(act["time"]["start"])
        last = dt.date.fromisoformat(act["time"]["end"] or act["time"]["start"])
        assert event.decoded("DTEND") == last + dt.timedelta(days=1)  # exclusive end of an all-day event
        assert str(event["UID"]) == f"{doc['source']['sha256'][:16]}-{act['id']}@noticeparse"
        assert "质监股" in str(event["DESCRIPTION"]) or act["lead"] != ["质监股"]
    assert path.read_bytes() == export(tmp_path, "ics").read_bytes()  # stable across runs
    assert all(len(line) <= 75 for line in path.read_bytes().split(b"\r\n"))


def test_ics_deadlines_are_to_dos_and_undated_records_are_counted(tmp_path: Path) -> None:
    import icalendar

    source = tmp_path / "n.txt"
    source.write_text(
        "某局2024年工作安排\n一、宣传活动\n活动时间：9月\n牵头部门：甲股\n二、总结报送\n完成时限：10月底前\n牵头部门：乙股\n"
        "三、日常巡查\n活动时间：长期坚持\n牵头部门：丙股\n",
        encoding="utf-8",
    )
    out = tmp_path / "n.ics"
    result = CliRunner().invoke(cli, ["extract", str(source), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stderr == "ics: 1 activity without a date skipped\n"
    calendar = icalendar.Calendar.from_ical(out.read_text(encoding="utf-8"))
    [event] = calendar.walk("VEVENT")
    [todo] = calendar.walk("VTODO")
    assert str(todo["SUMMARY"]) == "总结报送" and todo.decoded("DUE") == dt.date(2024, 10, 31)
    assert "DTSTART" not in todo and str(event["SUMMARY"]) == "宣传活动"
    result = CliRunner().invoke(cli, ["extract", str(source), "-o", str(out), "--ics-events-only"])
    assert result.stderr == "ics: 2 activities without a start date skipped\n"
    assert "VTODO" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ["a" * 200, "活动" * 80, "x" * 74 + "活" * 3])
def test_ics_folding_keeps_characters_whole(text: str) -> None:
    lines = fold("DESCRIPTION:" + text).split("\r\n ")
    assert "".join(lines) == "DESCRIPTION:" + text
    assert all(len(line.encode()) <= 75 for line in lines)


def test_binary_format_to_a_terminal_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    with pytest.raises(OutputError, match="binary format"):
        write_notices([], "xlsx", None, options=ExportOptions(rules=default_rules()))


def _hostile_notice() -> noticeparse.Notice:
    doc = noticeparse.parse(SEED)
    first = doc.activities[1]
    first.title = "=cmd|'/C notepad'!A1"
    first.description = "@SUM(1+1)\x07 bell"
    first.location = "-2+3"
    doc.notice.title = "标题\x01带控制符\rEND:VEVENT\r\nBEGIN:VEVENT"
    return doc


def test_csv_cells_that_would_be_formulas_are_neutralised(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    write_notices([_hostile_notice()], "csv", out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        row = list(csv.DictReader(fh))[1]
    assert row["title"] == "'=cmd|'/C notepad'!A1" and row["location"] == "'-2+3"
    assert row["description"].startswith("'@SUM")
    write_notices([_hostile_notice()], "csv", out, options=ExportOptions(escape_formulas=False))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.DictReader(fh))[1]["title"] == "=cmd|'/C notepad'!A1"


def test_xlsx_holds_no_live_formula_and_no_illegal_character(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "x.xlsx"
    write_notices([_hostile_notice()], "xlsx", out)
    sheet = load_workbook(out).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == "=cmd|'/C notepad'!A1" and c.data_type == "s" for c in cells)
    assert not any("\x01" in str(c.value) or "\x07" in str(c.value) for c in cells)


def test_cli_no_escape_formulas(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--format", "csv", "--no-escape-formulas"])
    assert result.exit_code == 0


def test_ics_text_values_cannot_start_a_line_of_their_own(tmp_path: Path) -> None:
    out = tmp_path / "x.ics"
    write_notices([_hostile_notice()], "ics", out)
    text = out.read_bytes().decode("utf-8")
    physical = text.replace("\r\n ", "").split("\r\n")  # unfold
    assert physical.count("BEGIN:VEVENT") == physical.count("END:VEVENT")
    assert "\r" not in text.replace("\r\n", "") and "\x01" not in text
    assert not any(line.startswith(("END:VEVENT\\", "BEGIN:VEVENT\\")) for line in physical)
    import icalendar

    events = [e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    assert len(events) == sum(1 for a in _hostile_notice().activities if a.time and a.time.start)
