"""Broken and hostile input, generated on the fly: one clear stderr line each, no traceback, no hang.

Each case runs the command line (`noticeparse extract` or `batch`) in a subprocess under
a memory limit (1 GB of address space) and a time limit (CPU seconds and a wall-clock
cap), and checks the exit status and stderr: a case that needs more memory or time than
that fails here, however fast the machine. Cases that patch the process run in-process
with click's CliRunner.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from noticeparse.cli import EXIT_FAILED, EXIT_OK, cli
from tests.conftest import SEED
from tests.fixtures import make_docx, make_pdf

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


# What one hostile file may cost: the per-file limits a user can rely on.
MEMORY_LIMIT = 1 << 30
CPU_SECONDS = 30
WALL_SECONDS = 60


@dataclass(frozen=True)
class Ran:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run(*args: str) -> Ran:
    """The command in a subprocess under the memory and time limits."""
    proc = subprocess.run([sys.executable, "-m", "noticeparse", *args], capture_output=True,
                          preexec_fn=_limits, timeout=WALL_SECONDS)
    return Ran(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def run_here(*args: str):
    """The command in this process (for cases that patch it)."""
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
        ("empty.ofd", False, "not an .ofd (damaged zip"),
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
    result = run("extract", str(path))
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
    result = run("extract", str(path))
    if ok:
        assert result.exit_code == EXIT_OK
    else:
        assert_one_line_error(result, path, "over libxml2's size limit")


def test_huge_nested_html(tmp_path: Path) -> None:
    path = tmp_path / "divs.html"
    depth = 1_000_000  # 10 MB of nested divs
    path.write_bytes(b"<html><body>" + b"<div>" * depth + "正文".encode() + b"</div>" * depth + b"</body></html>")
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK and "Traceback" not in result.stderr


def test_a_200_mb_text_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    result = run("extract", str(path))
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
    assert_one_line_error(run_here("extract", str(locked)), locked, "permission denied")


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


# --- the second hostile probe (issue 20) -----------------------------------------------------


def _numbered_docx(ilvl: str, grid_span: str = "1", start: str = "1", fmt: str = "decimal") -> bytes:
    numbering = (
        f"<w:numbering {W}><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"{start}\"/>"
        f"<w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum>"
        "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    ).encode()
    body = (
        f"<w:document {W}><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"1\"/></w:numPr>"
        f"<w:outlineLvl w:val=\"{ilvl}\"/></w:pPr><w:r><w:t>活动时间：9月</w:t></w:r></w:p>"
        f"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"{grid_span}\"/></w:tcPr><w:p><w:r><w:t>工作任务</w:t></w:r>"
        "</w:p></w:tc><w:tc><w:p><w:r><w:t>牵头单位</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    ).encode()
    base = _docx_with(body)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, numbering if name == "word/numbering.xml" else src.read(name))
    return out.getvalue()


@pytest.mark.parametrize("value", ["²", "٣", "-1", "99999999999", ""])
def test_odd_digits_in_word_attributes(tmp_path: Path, value: str) -> None:
    path = tmp_path / "odd.docx"
    path.write_bytes(_numbered_docx(ilvl=value, grid_span=value))
    assert run("extract", str(path)).exit_code == EXIT_OK


def test_a_huge_letter_counter_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "letters.docx"
    path.write_bytes(_numbered_docx(ilvl="0", start="2000000000", fmt="lowerLetter"))
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK and len(result.stdout) < 100_000


def test_a_pdf_page_tree_cycle(tmp_path: Path) -> None:
    path = tmp_path / "cycle.pdf"
    path.write_bytes(make_pdf.page_tree_cycle())
    assert_one_line_error(run("extract", str(path)), path, "damaged PDF")


@pytest.mark.parametrize("wide", [False, True])
def test_an_absurd_tounicode_map_is_not_handed_to_pdfminer(tmp_path: Path, wide: bool) -> None:
    path = tmp_path / "cmap.pdf"
    path.write_bytes(make_pdf.absurd_cmap(wide))
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK, result.stderr
    assert "pdf_tables_skipped" in result.stdout


@pytest.mark.parametrize("charset", ["undefined", "unicode_escape", "rot13", "zlib", "idna", "utf-7"])
def test_a_charset_that_is_no_text_encoding_is_ignored(tmp_path: Path, charset: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(
        f"<html><head><meta charset='{charset}'></head><body><p>一、活动时间：9月</p></body></html>".encode())
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK and '"raw": "9月"' in result.stdout


def test_control_characters_in_a_title_do_not_stop_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    path.write_text("关于开展\x01活动的通知\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "x.xlsx"
    assert run("extract", str(path), "--format", "xlsx", "-o", str(out)).exit_code == EXIT_OK
    batch = tmp_path / "b"
    result = run("batch", str(path), "-o", str(batch), "--format", "xlsx", "--format", "ics", "--format", "parquet")
    assert result.exit_code == EXIT_OK, result.stderr
    assert (batch / "activities.xlsx").exists() and (batch / "activities.ics").exists()


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        ("[time]\nholidays = [\"寒假\"]\n".encode("gbk"), "not UTF-8 text"),
        (b'[metadata]\ndoc_number_format = "{oops}"\n', "doc_number_format"),
        (b'[metadata]\ndoc_number_format = "{prefix"\n', "doc_number_format"),
        (b'[metadata]\ndoc_number = "(?P<prefix>x)"\n', "needs the named group(s) year, num"),
    ],
)
def test_a_bad_rules_file_is_a_usage_error_naming_it(tmp_path: Path, body: bytes, cause: str) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_bytes(body)
    result = run("extract", str(SEED), "--rules", str(rules))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert str(rules) in result.stderr and cause in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_special_files_are_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_one_line_error(run("extract", str(fifo)), fifo, "not a regular file")
    if Path("/dev/zero").exists():
        assert_one_line_error(run("extract", "/dev/zero"), "/dev/zero", "not a regular file")
    (tmp_path / "a.txt").write_text("一、活动时间：9月\n", encoding="utf-8")
    result = run("batch", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == EXIT_FAILED, result.stderr
    [error] = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert "not a regular file" in error["message"]


def test_merged_cells_cannot_expand_without_bound(tmp_path: Path) -> None:
    row = "<tr>" + "<td rowspan='500' colspan='500'>x</td>" * 3 + "</tr>"
    path = tmp_path / "grid.html"
    path.write_text(f"<html><body><p>正文。</p><table>{row * 40}</table></body></html>", encoding="utf-8")
    assert_one_line_error(run("extract", str(path)), path, "the table-cell limit")
    docx = tmp_path / "grid.docx"
    cells = "".join("<w:tc><w:tcPr><w:gridSpan w:val='60'/><w:vMerge w:val='restart'/></w:tcPr><w:p/></w:tc>"
                    for _ in range(60))
    rows = "".join(f"<w:tr>{cells}</w:tr>" for _ in range(400))
    docx.write_bytes(_docx_with(f"<w:document {W}><w:body><w:tbl>{rows}</w:tbl></w:body></w:document>".encode()))
    assert_one_line_error(run("extract", str(docx)), docx, "the table-cell limit")


def test_forty_thousand_units_are_split_in_linear_time(tmp_path: Path) -> None:
    units = "、".join(f"第{k}工作组" for k in range(40_000))
    path = tmp_path / "units.txt"
    path.write_text(f"一、活动时间：9月\n牵头部门：{units}\n", encoding="utf-8")
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK and result.stdout.count("工作组") >= 40_000


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path: Path, order: str) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("一、活动时间：9月\n牵头部门：质监股\n".encode(order))
    result = run("extract", str(path))
    assert result.exit_code == EXIT_OK and "质监股" in result.stdout


def test_archives_and_folders_given_to_extract_say_what_to_do(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "一、活动时间：9月\n")
    assert_one_line_error(run("extract", str(archive)), archive, "use noticeparse batch")
    assert_one_line_error(run("extract", str(tmp_path)), tmp_path, "use noticeparse batch")


def test_broken_zip_members_have_their_own_errors(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("good.txt", SEED.read_text(encoding="utf-8"))
        z.writestr("crc.txt", "一、活动时间：9月\n" * 20)
        z.writestr("inner.zip", _zip_of({"x.txt": b"text"}))
    data = bytearray(archive.read_bytes())
    at = data.index("一、活动时间".encode()) + 3
    data[at] ^= 0xFF  # corrupt the stored member's bytes: its CRC-32 no longer matches
    archive.write_bytes(bytes(data))
    out = tmp_path / "out"
    assert run("batch", str(archive), "-o", str(out)).exit_code == EXIT_FAILED
    errors = {Path(e["file"]).name: (e["error"], e["message"]) for e in
              map(json.loads, (out / "errors.jsonl").read_text(encoding="utf-8").splitlines())}
    assert errors["crc.txt"][0] == "CorruptFile" and "Bad CRC-32" in errors["crc.txt"][1]
    assert errors["inner.zip"][0] == "UnsupportedFormat" and "zip archive" in errors["inner.zip"][1]
    assert all("please report" not in message for _, message in errors.values())


def _zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def test_a_million_tiny_paragraphs_are_refused_within_the_memory_limit(tmp_path: Path) -> None:
    path = tmp_path / "heads.txt"
    path.write_text("（一）\n" * 1_000_000, encoding="utf-8")  # 10 MB: 3.7 GB of records before the limit
    assert_one_line_error(run("extract", str(path)), path, "the paragraph limit")


def test_a_large_real_shaped_document_parses_within_the_memory_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text((SEED.read_text(encoding="utf-8") + "\n") * 600, encoding="utf-8")  # 3.5 MB
    result = run("extract", str(path), "--format", "jsonl")
    assert result.exit_code == EXIT_OK, result.stderr


def test_an_encrypted_zip_member_is_named_as_such(tmp_path: Path) -> None:
    archive = tmp_path / "locked.zip"
    archive.write_bytes(_zip_of({"secret.txt": b"x" * 100}))
    data = bytearray(archive.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        data[at + flag_at] |= 0x01  # the "encrypted" bit of the general-purpose flags
    archive.write_bytes(bytes(data))
    out = tmp_path / "out"
    assert run("batch", str(archive), "-o", str(out)).exit_code == EXIT_FAILED
    [error] = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert error["error"] == "EncryptedFile" and "encrypted zip member" in error["message"]


def test_a_single_rules_path_is_one_rules_file(tmp_path: Path) -> None:
    import noticeparse

    rules = tmp_path / "mine.toml"
    rules.write_text('[time]\nholidays = ["校庆日"]\n', encoding="utf-8")
    assert noticeparse.parse(SEED, rules=str(rules)).notice.title
    assert noticeparse.parse(SEED, rules=rules).notice.title
