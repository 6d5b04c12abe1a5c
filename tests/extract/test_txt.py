"""Plain-text extraction: encodings, line endings, chrome, undecodable input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from noticeparse.errors import CorruptFile, DecodeError
from noticeparse.extract import extract_blocks
from tests.conftest import FIXTURES

TEXT = "机关各股室：\r\n一、活动主题\r\n\u3000\u3000全国统一主题\r活动时间：9月\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "gb18030", "gbk"],
)
def test_encodings_and_line_endings(data: bytes, encoding: str, rules) -> None:
    ex = extract_blocks(Path("a.txt"), data, rules)
    assert ex.encoding == encoding
    assert [b.text for b in ex.blocks] == ["机关各股室：", "一、活动主题", "全国统一主题", "活动时间：9月"]
    assert [(b.char_start, b.char_end) for b in ex.blocks][:2] == [(0, 6), (7, 13)]


def test_gb18030_fixture_decodes(rules) -> None:
    path = FIXTURES / "seed-000.gb18030.txt"
    ex = extract_blocks(path, path.read_bytes(), rules)
    assert ex.encoding == "gb18030"
    assert ex.blocks[0].text == "机关各股室、分局，所属事业单位："


def test_chrome_lines_dropped(rules) -> None:
    data = "相关解读:\n正文\n扫一扫在手机打开当前页面\n赣公网安备:36048202000006号\n    【法宝引证码】 CLI.12.5115678\n"
    ex = extract_blocks(Path("a.txt"), data.encode(), rules)
    assert [b.text for b in ex.blocks] == ["正文"]


def test_binary_data_is_an_error(rules) -> None:
    with pytest.raises(DecodeError, match="binary data"):
        extract_blocks(Path("a.txt"), b"\x00\x01\x02PK", rules)


def test_unknown_extension_is_sniffed(rules) -> None:
    assert extract_blocks(Path("notice.dat"), "一、甲".encode(), rules).format == "txt"


def test_lying_extension_reported(rules) -> None:
    # Read as what the content is, and reported as such.
    with pytest.raises(CorruptFile, match="a.txt: damaged PDF"):
        extract_blocks(Path("a.txt"), b"%PDF-1.7\n", rules)


def test_empty_file_warns_no_text(rules) -> None:
    ex = extract_blocks(Path("a.txt"), b"\n\r\n  \n", rules)
    assert ex.blocks == [] and [w.code for w in ex.warnings] == ["no_text"]


def test_tables_typed_in_text(rules) -> None:
    text = (
        "某局2024年重点工作安排\n"
        "| 序号 | 工作任务 | 牵头单位 | 完成时限 |\n|---|---|---|---|\n"
        "| 1 | 开展质量宣传 | 质监股 | 9月 |\n| 2 | 计量服务 | 计量股 | 10月底前 |\n"
        "序号｜工作任务｜牵头单位\n1｜标准宣贯｜标准股\n"
        "序号\t工作任务\t牵头单位\n1\t检验检测开放日\t质监股\n"
        "活动时间|9月\n"  # two cells: a line, not a table
        "a|b|c\n"  # a single row: a line
    )
    ex = extract_blocks(Path("t.txt"), text.encode(), rules)
    kinds = [(b.kind, len(b.cells or [])) for b in ex.blocks]
    assert kinds == [("paragraph", 0), ("table", 3), ("table", 2), ("table", 2), ("paragraph", 0), ("paragraph", 0)]
    assert ex.blocks[1].cells == [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["1", "开展质量宣传", "质监股", "9月"],
        ["2", "计量服务", "计量股", "10月底前"],
    ]
