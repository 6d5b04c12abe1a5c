"""PDF extraction: CJK cleanup, furniture, paragraphs, tables, scans, passwords, unreadable fonts."""

from __future__ import annotations

from pathlib import Path

import pytest

import noticeparse
from noticeparse.errors import CorruptFile, EncryptedFile, NoTextLayer, UnmappedFont
from noticeparse.extract import extract_blocks, pdf
from noticeparse.rules import Rules
from tests.fixtures import make_pdf

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def texts(data: bytes, rules: Rules) -> list[str]:
    return [b.text for b in extract_blocks(Path("a.pdf"), data, rules).blocks]


def test_radical_lookalikes_and_printed_soft_hyphens() -> None:
    assert pdf.clean_text("实施⽅案（2014\u00ad2020年）") == "实施方案（2014-2020年）"
    assert pdf.clean_text("⼀、⼯作") == "一、工作"


def test_lines_join_without_spaces_between_cjk_and_with_one_between_words() -> None:
    joined = pdf.join_lines("（一）举办宣传活动。围绕商场、社", "区、学校等区域")
    assert joined == "（一）举办宣传活动。围绕商场、社区、学校等区域"
    assert pdf.join_lines("深化信用提升实施方案（20", "24—2026年）") == "深化信用提升实施方案（2024—2026年）"
    assert pdf.join_lines("China Daily Co.,", "Ltd.") == "China Daily Co.,Ltd."
    assert pdf.join_lines("the schedule for the", "spring term") == "the schedule for the spring term"


def test_real_notice_cleanup_furniture_and_paragraphs(rules: Rules) -> None:
    got = texts((REAL / "022.pdf").read_bytes(), rules)
    assert "— 1 —" not in got and not any(t.startswith("— ") for t in got)
    assert "发改办财金规〔2019〕860号" in got  # the renderer's space before 号 is gone
    # A recipients line wrapped over two visual lines is one paragraph again.
    assert any(t.startswith("各省、自治区、直辖市、新疆生产建设兵团社会信用体系建设牵头部门，") for t in got)
    assert "（2014-2020年）" in "".join(got)


def test_paragraphs_continue_across_page_breaks(rules: Rules) -> None:
    got = texts((REAL / "022.pdf").read_bytes(), rules)
    joined = [t for t in got if "推动经济发展、惠及百姓民生" in t]
    assert joined and joined[0].startswith("2019年1月1日起全面施行的")


def test_seed_rendering_gives_the_seed_records(tmp_path: Path) -> None:
    doc = noticeparse.parse(REAL / "notice_literal_1x.pdf")
    assert len(doc.activities) == 12
    assert doc.source.pages == 7
    assert all(a.source.page is not None for a in doc.activities)
    assert doc.activities[0].description == (
        "围绕商场、社区、学校等区域，以产品质量安全、缺陷消费品召回等为重点，"
        "组织开展形式多样、内容丰富的质量宣传、咨询、服务活动。"
    )


def test_ruled_table_becomes_a_table_block(rules: Rules) -> None:
    blocks = extract_blocks(Path("t.pdf"), (REAL / "notice_table_1x.pdf").read_bytes(), rules).blocks
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 1
    cells = tables[0].cells or []
    assert cells[0] == ["序号", "活动名称", "活动时间", "活动地点", "牵头部门", "配合部门"]
    assert cells[1] == [
        "1", "举办共青城市“质量月”宣传活动", "9月", "全市", "质监股", "食药股、市场秩序股、知识产权股、各分局"
    ]
    assert len(cells) == 13
    # The table's words are not read a second time as paragraphs.
    assert not any(b.text.startswith("序号") for b in blocks if b.kind == "paragraph")


def test_running_header_and_page_numbers_removed_latin_paragraphs_joined(rules: Rules) -> None:
    got = texts(make_pdf.report(3), rules)
    assert got == [
        "The committee met on the first day and agreed on the schedule for the spring term, "
        "which the office will publish next week.",
        "Each department names one contact person for the review meetings of the committee.",
    ] * 3


@pytest.mark.parametrize("line", ["— 3 —", "- 3 -", "第3页 共9页", "第 3 页", "共9页 第3页", "Page 3 of 9"])
def test_page_number_forms(line: str, rules: Rules) -> None:
    from noticeparse.text.width import fold_width

    assert any(p.fullmatch(fold_width(line)) for p in rules.pdf.page_numbers)


def test_scanned_pdf_is_an_error_without_ocr(rules: Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    from noticeparse.extract import Limits, ocr

    off = Limits(ocr="off")
    with pytest.raises(NoTextLayer, match=r"no text layer \(scanned; OCR is off: --ocr auto reads it\)"):
        extract_blocks(Path("scan.pdf"), make_pdf.scan_pdf(), rules, off)
    # A scanner app's stamp on every page is not a text layer.
    with pytest.raises(NoTextLayer):
        extract_blocks(Path("scan.pdf"), make_pdf.scan_pdf(3, stamp="Made with a scanner app"), rules, off)
    # Without the extra, the error names it.
    monkeypatch.setattr(ocr, "missing_extra", lambda: 'OCR needs the extra: pip install "noticeparse[ocr]"')
    with pytest.raises(NoTextLayer, match=r'no text layer \(scanned\); OCR needs the extra: pip install'):
        extract_blocks(Path("scan.pdf"), make_pdf.scan_pdf(), rules)


def test_password_protected_pdf(rules: Rules) -> None:
    with pytest.raises(EncryptedFile, match="encrypted PDF"):
        extract_blocks(Path("x.pdf"), make_pdf.text_pdf([[(72, 700, "Secret")]], user=b"secret"), rules)
    # An empty user password opens as usual.
    assert texts(make_pdf.text_pdf([[(72, 700, "Open notice")]], user=b""), rules) == ["Open notice"]


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\nthis is not a pdf", (REAL / "022.pdf").read_bytes()[:600], b"%PDF-"],
    ids=["garbage", "truncated", "signature-only"],
)
def test_damaged_pdf_is_one_clear_error(data: bytes, rules: Rules) -> None:
    with pytest.raises(CorruptFile, match="damaged PDF"):
        extract_blocks(Path("bad.pdf"), data, rules)


def test_unreadable_font_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch, rules: Rules) -> None:
    def garbled(textpage: object, number: int) -> list[pdf._Line]:
        return [pdf._Line("\ue001\ue002\ue003\ufffd\ue004 1", number, 72, 500, 700, 688, 12)]

    monkeypatch.setattr(pdf, "_page_lines", garbled)
    monkeypatch.setattr(pdf, "_font_name", lambda textpage, index: "FZXBSJW--GB1-0")
    with pytest.raises(UnmappedFont, match=r"font without a Unicode map \(FZXBSJW--GB1-0\)"):
        extract_blocks(Path("x.pdf"), make_pdf.report(1), rules)


def test_scanned_real_pdf_exits_1_with_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from noticeparse.cli import cli

    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf.scan_pdf())
    result = CliRunner().invoke(cli, ["extract", str(path), "--ocr", "off"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: no text layer (scanned; OCR is off: --ocr auto reads it)\n"


def test_the_same_words_at_different_heights_are_not_furniture(rules: Rules) -> None:
    pages = [[(72.0, 700.0, f"Item {k} of the plan"), (72.0, float(y), "Deadline: end of May")]
             for k, y in enumerate((70, 55, 40, 62), 1)]
    got = " ".join(texts(make_pdf.text_pdf(pages), rules))
    assert got.count("Deadline: end of May") == 4
