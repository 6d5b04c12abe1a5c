"""Broken and hostile input, generated on the fly: one clear stderr line each, no traceback, no hang.

Each case runs the command line (`noticeparse extract` or `batch`) in-process
with click's CliRunner and checks the exit status and stderr.
"""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from noticeparse.cli import EXIT_FAILED, EXIT_OK, cli
from tests.conftest import SEED
from tests.fixtures import make_docx, make_pdf

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result, path: Path | str, cause: str) -> None:
    assert result.exit_code == EXIT_FAILED, result.stderr
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"Error: {path}: "), result.stderr
    assert cause in result.stderr, result.stderr


def _docx_with(document_xml: bytes) -> bytes:
    """The python-docx default package with its main part replaced."""
    base = make_docx.images_only()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, document_xml if name == "word/document.xml" else src.read(name))
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize(
    ("name", "ok", "cause"),
    [
        ("empty.txt", True, ""),
        ("empty.html", True, ""),
        ("empty.docx", False, "not a .docx (zip signature missing)"),
        ("empty.pdf", False, "damaged PDF"),
        ("empty.doc", False, "not a Word/WPS document"),
        ("empty.wps", False, "not a Word/WPS document"),
        ("empty.ofd", False, "ofd input is not supported yet"),
        ("empty", True, ""),
    ],
)
def test_empty_file_of_every_format(tmp_path: Path, name: str, ok: bool, cause: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    result = run("extract", str(path))
    if ok:
        assert result.exit_code == EXIT_OK
        assert json.loads(result.stdout)["warnings"][0]["code"] == "no_text"
    else:
        assert_one_line_error(result, path, cause)




@pytest.mark.parametrize(
    ("name", "data", "cause"),
    [
        ("not-zip.docx", b"just some words, no zip", "not a .docx (zip signature missing)"),
        ("truncated.docx", make_docx.plan(auto=True)[:3000], "not a .docx (damaged zip"),
        ("no-document.docx", make_docx.zip_of({"[Content_Types].xml": b"<Types/>", "hello.txt": b"x"}),
         "zip without word/document.xml"),
        ("broken-xml.docx", _docx_with(b"<w:document " + W.encode() + b"><w:body><w:p>"), "damaged .docx"),
        ("binary.txt", bytes(range(256)) * 40, "binary data, not text"),
        ("truncated.pdf", (REAL / "022.pdf").read_bytes()[:700], "damaged PDF"),
        ("encrypted.pdf", make_pdf.text_pdf([[(72, 700, "Secret")]], user=b"secret"), "encrypted PDF"),
        ("scan.pdf", make_pdf.scan_pdf(), "no text layer (scanned PDF; OCR not enabled)"),
        ("word.doc", b"plain words, not a Word file", "not a Word/WPS document"),
    ],
)
def test_broken_files(tmp_path: Path, name: str, data: bytes, cause: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert_one_line_error(run("extract", str(path)), path, cause)


def test_empty_user_password_opens(tmp_path: Path) -> None:
    path = tmp_path / "open.pdf"
    path.write_bytes(make_pdf.text_pdf([[(72, 700, "Open notice")]], user=b""))
    assert run("extract", str(path)).exit_code == EXIT_OK


def test_zip_bomb_docx_is_capped(tmp_path: Path) -> None:
    body = b"<w:document " + W.encode() + b"><w:body>" + b"<w:p/>" * 4_000_000 + b"</w:body></w:document>"
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx_with(body))  # 24 MB of XML in about 25 KB
    assert path.stat().st_size < 200_000
    result = run("extract", str(path), "--max-unzipped", str(10 * 1024 * 1024))
    assert_one_line_error(result, path, "over the 10485760-byte limit")


def test_external_entities_and_billion_laughs_are_not_expanded(tmp_path: Path) -> None:
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY ext SYSTEM "file:///etc/passwd">'
        b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
        b'<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
        b"<w:document " + W.encode() + b"><w:body><w:p><w:r><w:t>&ext;&h;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "entities.docx"
    path.write_bytes(_docx_with(xml))
    start = time.monotonic()
    result = run("extract", str(path))
    assert time.monotonic() - start < 10
    assert "root:" not in result.stdout and "aaaaaaaaaaaaaaaaaaaa" not in result.stdout
    assert result.exit_code in (EXIT_OK, EXIT_FAILED) and "Traceback" not in result.stderr
    if result.exit_code == EXIT_FAILED:
        assert result.stderr.count("\n") == 1


def test_html_entities_are_not_expanded(tmp_path: Path) -> None:
    page = (
        b'<!DOCTYPE html [<!ENTITY ext SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><html><body><p>&ext;&b;</p><p>'
        + "正文".encode() + b"</p></body></html>"
    )
    path = tmp_path / "e.html"
    path.write_bytes(page)
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK and "root:" not in result.stdout


@pytest.mark.parametrize(("depth", "ok"), [(60, True), (400, False)])
def test_deeply_nested_tables(tmp_path: Path, depth: int, ok: bool) -> None:
    inner = b"<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = b"<w:tbl><w:tr><w:tc>" + inner + b"</w:tc></w:tr></w:tbl><w:p/>"
    path = tmp_path / "nested.docx"
    path.write_bytes(_docx_with(b"<w:document " + W.encode() + b"><w:body>" + inner + b"</w:body></w:document>"))
    start = time.monotonic()
    result = run("extract", str(path))
    assert time.monotonic() - start < 10
    if ok:
        assert result.exit_code == EXIT_OK
    else:
        assert_one_line_error(result, path, "damaged .docx")


def test_huge_nested_html(tmp_path: Path) -> None:
    path = tmp_path / "divs.html"
    depth = 1_000_000  # 10 MB of nested divs
    path.write_bytes(b"<html><body>" + b"<div>" * depth + "正文".encode() + b"</div>" * depth + b"</body></html>")
    start = time.monotonic()
    result = run("extract", str(path))
    assert time.monotonic() - start < 30
    assert result.exit_code == EXIT_OK and "Traceback" not in result.stderr


def test_a_200_mb_text_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    start = time.monotonic()
    result = run("extract", str(path))
    assert time.monotonic() - start < 5
    assert_one_line_error(result, path, "over the 104857600-byte limit")


def test_an_extension_that_lies(tmp_path: Path) -> None:
    path = tmp_path / "really-a-pdf.docx"
    path.write_bytes((REAL / "022.pdf").read_bytes())
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK
    assert json.loads(result.stdout)["source"]["format"] == "pdf"


def test_unreadable_and_missing_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "a-folder.txt"
    folder.mkdir()
    assert_one_line_error(run("extract", str(folder)), folder, "is a directory, not a file")
    locked = tmp_path / "locked.txt"
    locked.write_text("一、活动时间：9月", encoding="utf-8")

    real_open = Path.open

    def denied(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)  # as root, chmod 000 would still read
    assert_one_line_error(run("extract", str(locked)), locked, "permission denied")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_by_permissions(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("x", encoding="utf-8")
    locked.chmod(0)
    assert_one_line_error(run("extract", str(locked)), locked, "permission denied")


def test_non_utf8_file_name(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff\xfe-notice.txt")
    path = tmp_path / name
    try:
        path.write_bytes(SEED.read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK
    assert json.loads(result.stdout)["source"]["path"].endswith("\ufffd\ufffd-notice.txt")
    bad = tmp_path / os.fsdecode(b"\xff-bad.docx")
    bad.write_bytes(b"nope")
    result = run("extract", str(bad))
    assert result.exit_code == EXIT_FAILED and "\ufffd-bad.docx: not a .docx" in result.stderr


def test_batch_survives_a_symlink_loop_and_goes_on(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    (root / "a" / "seed.txt").write_bytes(SEED.read_bytes())
    (root / "a" / "loop").symlink_to(root, target_is_directory=True)
    (root / "bad.docx").write_bytes(b"no")
    out = tmp_path / "out"
    result = run("batch", str(root), "-o", str(out))
    assert result.exit_code == EXIT_FAILED
    assert result.stderr.strip().endswith(f"1 ok, 1 failed, see {out / 'errors.jsonl'}")
    assert "Traceback" not in result.stderr
