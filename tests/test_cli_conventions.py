"""The command line and the Python API as analysts and data engineers expect them (issue 17)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import noticeparse
from noticeparse.cli import EXIT_OK, EXIT_USAGE, cli
from tests.conftest import SEED


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_the_output_extension_names_the_format(tmp_path: Path) -> None:
    for name, head in (("x.xlsx", b"PK"), ("x.csv", "\ufeff".encode()), ("x.jsonl", b'{"schema_version"'),
                       ("x.ics", b"BEGIN:VCALENDAR")):
        out = tmp_path / name
        assert run("extract", str(SEED), "-o", str(out)).exit_code == EXIT_OK
        assert out.read_bytes().startswith(head), name
    result = run("extract", str(SEED), "-o", str(tmp_path / "y.xlsx"), "--format", "csv")
    assert result.exit_code == EXIT_USAGE and "contradicts" in result.stderr
    assert not (tmp_path / "y.xlsx").exists()


def test_format_choices_ignore_case_and_have_a_short_option() -> None:
    assert run("extract", str(SEED), "--format", "JSONL").exit_code == EXIT_OK
    result = run("extract", str(SEED), "-f", "Csv", "--labels", "ZH")
    assert result.exit_code == EXIT_OK and result.stdout.startswith("\ufeff来源文件")


def test_standard_input_is_read_and_sniffed() -> None:
    result = run("extract", "-", "-f", "jsonl", stdin=SEED.read_bytes())
    assert result.exit_code == EXIT_OK
    doc = json.loads(result.stdout)
    assert doc["source"]["path"] == "<stdin>" and len(doc["activities"]) == 12
    page = "<html><body><div class='conTxt'><p>一、活动时间：9月</p><p>牵头部门：甲股</p></div></body></html>"
    assert json.loads(run("extract", "-", stdin=page.encode()).stdout)["source"]["format"] == "html"


def test_quiet_and_verbose(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("关于放假的通知\n各单位：\n国庆节放假七天。\n", encoding="utf-8")
    verbose = run("extract", str(SEED), str(empty), "-v", "-f", "jsonl")
    lines = verbose.stderr.splitlines()
    assert lines[0].startswith(f"{SEED}: 12 records, ") and " ms" in lines[0]
    assert lines[1].startswith(f"{empty}: no_activities: no records")
    quiet = run("extract", str(SEED), "-o", str(tmp_path / "x.ics"), "-q")
    assert quiet.exit_code == EXIT_OK and quiet.stderr == ""
    batch = run("batch", str(SEED), str(empty), "-o", str(tmp_path / "out"), "-v")
    assert f"{empty}: no_activities: no records" in batch.stderr
    assert batch.stderr.strip().endswith("2 ok (1 without records), 0 failed")
    assert run("batch", str(SEED), "-o", str(tmp_path / "out2"), "-q").stderr == ""


def test_labels_on_a_format_it_does_not_change_is_noted() -> None:
    result = run("extract", str(SEED), "--labels", "zh")
    assert result.exit_code == EXIT_OK and "note: --labels does not change json output" in result.stderr


def test_extract_returns_the_text_instead_of_printing_it(capsys: pytest.CaptureFixture[str]) -> None:
    one = noticeparse.extract(SEED)
    assert isinstance(one.output, str) and json.loads(one.output)["notice"]["year"] == 2024
    many = noticeparse.extract([SEED, SEED], format="jsonl")
    assert len(many.output.splitlines()) == 2
    assert isinstance(noticeparse.extract(SEED, format="xlsx").output, bytes)
    assert capsys.readouterr().out == ""


def test_python_api_version_schema_rows_and_dataframe() -> None:
    assert noticeparse.__version__[0].isdigit()
    schema = noticeparse.schema()
    assert isinstance(schema, dict) and schema["title"] == "Notice"
    assert json.loads(noticeparse.schema_json()) == schema
    notice = noticeparse.parse(SEED)
    rows = noticeparse.activity_rows(notice)
    assert len(rows) == 12 and rows[1]["lead"] == ["质监股"]
    frame = noticeparse.to_dataframe([notice])
    assert list(frame.columns)[:3] == ["source_path", "notice_title", "notice_issuer"]
    assert str(frame["time_start"].dtype).startswith("datetime64") and len(frame) == 12


def test_section_paths_are_joined_so_they_can_be_split(tmp_path: Path) -> None:
    source = tmp_path / "p.txt"
    source.write_text("某局2024年方案\n一、宣传、培训活动\n（一）开展宣传\n活动时间：9月\n牵头部门：甲股\n",
                      encoding="utf-8")
    result = run("extract", str(source), "-f", "csv")
    [row] = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert row["path"] == "宣传、培训活动"
    source.write_text("某局2024年方案\n一、宣传、培训\n（一）开展宣传\n1.张贴海报\n活动时间：9月\n", encoding="utf-8")
    [row] = list(csv.DictReader(io.StringIO(run("extract", str(source), "-f", "csv").stdout.lstrip("\ufeff"))))
    assert row["path"] == "宣传、培训 > 开展宣传" and row["path"].split(" > ") == ["宣传、培训", "开展宣传"]


def test_xlsx_warnings_in_chinese_and_long_cells_wrap(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = tmp_path / "w.txt"
    long = "内容" * 80
    source.write_text(f"某局2024年方案\n一、宣传活动。{long}\n活动时间：择期\n牵头部门：甲股\n", encoding="utf-8")
    out = tmp_path / "w.xlsx"
    assert run("extract", str(source), "-o", str(out)).exit_code == EXIT_OK
    book = load_workbook(out)
    notices = book.worksheets[1]
    header = [c.value for c in notices[1]]
    assert notices.cell(2, header.index("提示") + 1).value == "第1条：时间无法读出日期"
    activities = book.worksheets[0]
    wrapped = [c for row in activities.iter_rows(min_row=2) for c in row if c.value and long in str(c.value)]
    assert wrapped and all(c.alignment.wrap_text for c in wrapped)
    assert run("extract", str(source), "-o", str(out), "--labels", "en").exit_code == EXIT_OK
    notices = load_workbook(out).worksheets[1]
    assert "cannot read dates" in notices.cell(2, [c.value for c in notices[1]].index("warnings") + 1).value


def test_progress_counts_files_finished_not_written(monkeypatch: pytest.MonkeyPatch) -> None:
    from noticeparse.batch import _write_in_order
    from noticeparse.batch.work import Job, Outcome

    jobs = [Job(f"{k}.txt", f"{k}.txt", f"k{k}") for k in range(3)]

    class Late:  # the first file finishes last
        def run(self, todo):  # type: ignore[no-untyped-def]
            for k in (1, 2, 0):
                yield k, Outcome(todo[k].name, todo[k].key, None, "failed", error_class="X", message="m")

    class Journal:
        def __init__(self) -> None:
            self.written: list[str] = []
            self.result = noticeparse.BatchResult()

        def add(self, outcome, stat, changed=False):  # type: ignore[no-untyped-def]
            self.written.append(outcome.name)

    class Bar:
        def __init__(self) -> None:
            self.finished: list[str] = []

        def update(self, outcome, result):  # type: ignore[no-untyped-def]
            self.finished.append(outcome.name)

        def close(self) -> None:
            pass

    journal, bar = Journal(), Bar()
    _write_in_order(jobs, Late(), journal, set(), bar)  # type: ignore[arg-type]
    assert bar.finished == ["1.txt", "2.txt", "0.txt"]  # counted as they finish
    assert journal.written == ["0.txt", "1.txt", "2.txt"]  # written in input order


def test_shell_completion_is_documented_and_works() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "_NOTICEPARSE_COMPLETE=bash_source noticeparse" in readme
    env = {**os.environ, "_NOTICEPARSE_COMPLETE": "bash_source"}
    script = subprocess.run([sys.executable, "-m", "noticeparse"], env=env, capture_output=True, text=True)
    assert "complete" in script.stdout and "noticeparse" in script.stdout
