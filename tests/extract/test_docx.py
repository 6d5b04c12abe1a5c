"""Word .docx extraction: automatic numbering, tables, text boxes, bad packages; .doc via LibreOffice."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

import noticeparse
from noticeparse.errors import CorruptFile, EncryptedFile, LimitExceeded, UnsupportedFormat
from noticeparse.extract import extract_blocks
from noticeparse.extract.docx import open_package
from noticeparse.rules import Rules
from tests.fixtures import make_docx

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def blocks(data: bytes, rules: Rules):
    return extract_blocks(Path("a.docx"), data, rules).blocks


def test_auto_numbered_labels_are_rendered_and_marked(rules: Rules) -> None:
    got = blocks(make_docx.plan(auto=True), rules)
    labelled = [(b.text[:6], b.label, b.label_generated) for b in got if b.label]
    assert labelled == [
        ("一、活动主题", "一、", True),
        ("二、活动内容", "二、", True),
        ("（一）举办宣", "（一）", True),
        ("（二）开展计", "（二）", True),
        ("三、活动要求", "三、", True),
        ("（一）要周密", "（一）", True),
    ]


def test_typed_and_auto_numbered_plans_give_the_same_records(tmp_path: Path) -> None:
    docs = {}
    for auto in (False, True):
        path = tmp_path / f"plan-{auto}.docx"
        path.write_bytes(make_docx.plan(auto=auto))
        docs[auto] = noticeparse.parse(path)
    typed, auto = docs[False], docs[True]
    assert [(a.id, a.heading, a.title, a.lead, a.support, a.time) for a in auto.activities] == [
        (a.id, a.heading, a.title, a.lead, a.support, a.time) for a in typed.activities
    ]
    assert [a.id for a in auto.activities] == ["2.1", "2.2"]
    assert auto.notice.issuer == "某市市场监督管理局"


def test_header_and_footer_stay_out_of_the_body(rules: Rules) -> None:
    texts = [b.text for b in blocks(make_docx.plan(auto=False), rules)]
    assert "— 1 —" not in texts and "某局文件" not in texts


def test_every_number_format(rules: Rules) -> None:
    got = {b.text.split("、", 1)[1]: b.label for b in blocks(make_docx.formats(), rules) if "、" in b.text}
    for fmt, shown in make_docx.FORMATS.items():
        if fmt == "none":
            continue
        for n, label in zip(make_docx.COUNTS, shown, strict=True):
            assert got[f"{fmt}-{n}"] == f"{label}、", (fmt, n)
    # numFmt none draws only the literal text of lvlText.
    assert any(b.text == "、none-1" for b in blocks(make_docx.formats(), rules))


def test_multilevel_legal_style_numbering_and_empty_items(rules: Rules) -> None:
    got = [(b.text, b.level_hint) for b in blocks(make_docx.multilevel(), rules)]
    assert got == [
        ("第一章总则", None),
        ("1.1目的", None),
        ("1.3范围", None),  # the empty numbered paragraph took 1.2
        ("第二章分则", None),
        ("2.1定义", None),
        ("(1)样式编号一", None),
        ("(2)样式编号二", None),
        ("标题段落", 2),
    ]


def test_table_with_merged_cells_and_a_nested_table(rules: Rules) -> None:
    [title, table] = blocks(make_docx.table_plan(), rules)
    assert title.text == "某局2024年活动安排表"
    assert table.kind == "table"
    assert table.cells == [
        ["2024年活动安排"] * 4,
        ["序号", "工作内容", "完成时限", "牵头单位"],
        ["1", "质量宣传", "9月", "质监股"],
        ["2", "计量服务", "9月", "计量股牵头，各分局配合"],
        ["3", "标准宣贯", "10月", "标准股\n标准化院"],
    ]


def test_table_rows_become_records(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(make_docx.table_plan())
    acts = noticeparse.parse(path).activities
    assert [(a.id, a.title, a.time.raw if a.time else None, a.lead, a.support) for a in acts] == [
        ("T1.1", "质量宣传", "9月", ["质监股"], []),
        ("T1.2", "计量服务", "9月", ["计量股"], ["各分局"]),
        ("T1.3", "标准宣贯", "10月", ["标准股", "标准化院"], []),
    ]


def test_text_boxes_content_controls_breaks_revisions(rules: Rules) -> None:
    got = [b.text for b in blocks(make_docx.oddities(), rules)]
    assert got == ["关于开展活动的通知", "机关各股室：", "活动时间： 9月", "某局", "2024年9月13日", "文本框里的字"]


def test_a_document_of_images_warns_no_text(tmp_path: Path) -> None:
    path = tmp_path / "img.docx"
    path.write_bytes(make_docx.images_only())
    doc = noticeparse.parse(path)
    assert doc.activities == []
    assert [w.code for w in doc.warnings] == ["no_text"]




@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"plain text, not a zip", CorruptFile, "not a .docx (zip signature missing)"),
        (b"PK\x03\x04truncated", CorruptFile, "not a .docx (damaged zip"),
        (make_docx.zip_of({"hello.txt": b"x"}), CorruptFile, "not a .docx (zip without word/document.xml)"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, EncryptedFile, "encrypted or legacy Word file"),
    ],
    ids=["not-zip", "truncated", "no-document", "ole"],
)
def test_bad_packages_are_one_clear_error(data: bytes, error: type, message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        open_package(Path("bad.docx"), data)


def test_broken_xml_is_a_corrupt_file() -> None:
    good = make_docx.images_only()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    files["word/document.xml"] = b"<w:document><unclosed"
    with pytest.raises(CorruptFile, match="damaged .docx"):
        open_package(Path("bad.docx"), make_docx.zip_of(files))


def test_decompressed_size_is_capped() -> None:
    with pytest.raises(LimitExceeded, match="unzips to"):
        open_package(Path("big.docx"), make_docx.images_only(), max_unzipped=1000)


def test_real_auto_numbered_guideline_shows_its_labels() -> None:
    doc = noticeparse.parse(REAL / "034.docx")
    second = doc.sections[1].children[0]
    assert [c.label for c in second.children] == ["1、", "2、", "3、"]
    assert doc.notice.title == "浙江政务服务网统一身份认证（单点登录）实施指引"
    assert doc.activities == []


def test_doc_without_libreoffice_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UnsupportedFormat, match="needs LibreOffice.*apt install libreoffice-writer-nogui"):
        noticeparse.parse(REAL / "016.doc")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (.ci/run installs it)")
def test_doc_is_converted_by_libreoffice() -> None:
    doc = noticeparse.parse(REAL / "016.doc")
    assert doc.source.format == "doc"
    assert doc.notice.issuer == "海南省农业农村厅、海南省财政厅"
    assert str(doc.notice.issue_date) == "2024-07-01"
    assert doc.activities == []


def test_real_image_only_document_warns_and_succeeds() -> None:
    doc = noticeparse.parse(REAL / "041.docx")
    assert doc.activities == []
    assert [w.code for w in doc.warnings] == ["no_text"]
