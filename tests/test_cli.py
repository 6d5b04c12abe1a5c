"""The command line, through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from noticeparse.cli import EXIT_FAILED, EXIT_USAGE, cli
from noticeparse.rules import default_rules
from tests.conftest import SEED


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_extract_json(tmp_path: Path) -> None:
    result = run("extract", str(SEED))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert len(doc["activities"]) == 12


def test_several_files_give_an_array(tmp_path: Path) -> None:
    result = run("extract", str(SEED), str(SEED))
    assert [len(d["activities"]) for d in json.loads(result.stdout)] == [12, 12]


def test_extract_jsonl_to_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("extract", str(SEED), str(SEED), "--format", "jsonl", "-o", str(out))
    assert result.exit_code == 0
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert len(data.decode().splitlines()) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temp file left


def test_extract_csv_bom_and_no_bom(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    run("extract", str(SEED), "--format", "csv", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(rows) == 12
    assert rows[0]["support"] == "食药股、市场秩序股、知识产权股、各分局"
    assert rows[0]["notice_title"] == "共青城市市场监督管理局2024年“质量月”活动方案"
    assert rows[0]["time_start"] == "2024-09-01"
    run("extract", str(SEED), "--format", "csv", "--no-bom", "-o", str(out))
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_failed_file_one_line_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = run("extract", str(SEED), str(bad))
    assert result.exit_code == EXIT_FAILED
    assert result.stderr == f"Error: {bad}: binary data, not text (NUL bytes)\n"
    assert "Traceback" not in result.output
    assert len(json.loads(result.stdout)) == 1  # the good file is still written


def test_missing_file(tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "nope.txt"))
    assert result.exit_code == EXIT_FAILED
    assert result.stderr.strip() == f"Error: {tmp_path / 'nope.txt'}: no such file"


def test_unsupported_format(tmp_path: Path) -> None:
    import zipfile

    f = tmp_path / "notices.zip"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("a.txt", "一、活动时间：9月")
    result = run("extract", str(f))
    assert result.exit_code == EXIT_FAILED
    assert result.stderr.count("\n") == 1 and "use noticeparse batch for .zip archives" in result.stderr


def test_damaged_docx_is_one_line(tmp_path: Path) -> None:
    f = tmp_path / "a.docx"
    f.write_bytes(b"PK\x03\x04rest")
    result = run("extract", str(f))
    assert result.exit_code == EXIT_FAILED
    assert result.stderr == f"Error: {f}: not a .docx (damaged zip: File is not a zip file)\n"


def test_bad_rules_file_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "my.toml"
    rules.write_text("[[headings.styles]]\nname = 'x'\npattern = '(('\n", encoding="utf-8")
    result = run("extract", str(SEED), "--rules", str(rules))
    assert result.exit_code == EXIT_USAGE
    appended = len(default_rules().headings.styles)  # the user's style comes after the shipped ones
    assert result.stderr.startswith(f"Error: {rules}: headings.styles.{appended}.pattern: ")
    assert "missing )" in result.stderr


def test_usage_error_exit_2() -> None:
    assert run("extract").exit_code == EXIT_USAGE
    assert run("extract", str(SEED), "--format", "xml").exit_code == EXIT_USAGE


def test_schema_is_json_schema() -> None:
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "Notice"
    assert {"schema_version", "source", "notice", "sections", "activities", "warnings"} <= set(schema["properties"])


def test_user_rules_extend_labels(tmp_path: Path) -> None:
    doc = tmp_path / "n.txt"
    doc.write_text("2024年方案\n1.植树\n种植时段：3月\n", encoding="utf-8")
    assert json.loads(run("extract", str(doc)).stdout)["activities"] == []
    rules = tmp_path / "my.toml"
    rules.write_text('[[labels.time]]\nexact = ["种植时段"]\n', encoding="utf-8")
    acts = json.loads(run("extract", str(doc), "--rules", str(rules)).stdout)["activities"]
    assert [(a["title"], a["time"]["end"]) for a in acts] == [("植树", "2024-03-31")]
