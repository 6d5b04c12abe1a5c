"""How recognised boxes become lines: type size from glyph pitch, paragraphs across an unclosed
parenthesis, a date line standing alone, and the recogniser's known confusions."""

from __future__ import annotations

import importlib

from noticeparse.extract.pdf import Line, Page, lines_to_blocks

ocr = importlib.import_module("noticeparse.extract.ocr")


def _box(text: str, left: float, right: float, top: float, height: float) -> Line:
    return Line(text=text, page=1, left=left, right=right, top=top, bottom=top - height, size=height)


def test_type_size_comes_from_pitch_not_box_height() -> None:
    title = _box("农业农村部办公厅关于加力推进农机购置", 114, 472, 477, 24)  # 18 glyphs, 20 pt pitch
    low = _box("推进农业机械化高质量发展，结合新形势新要求和近年工作实践，", 82, 496, 246, 17)
    tall = _box("各省、自治区、直辖市及计划单列市农业农村（农牧）厅（局、委），", 84, 499, 389, 24)  # brackets
    short = _box("责）", 82, 112, 200, 19)  # the end of a wrapped parenthesis
    big = _box("通", 250, 280, 700, 30)  # a letter-spaced title, a box per glyph
    ocr._type_sizes([title, low, tall, short, big])
    assert abs(low.size - tall.size) < 0.15 * low.size  # one body size whatever the glyphs' height
    assert title.size > 1.3 * low.size
    assert short.size == sorted([title.size, low.size, tall.size])[1]  # near the body (median pitch): the body
    assert big.size > 1.3 * low.size


def test_a_numbered_item_starts_a_paragraph_inside_an_unclosed_parenthesis(rules) -> None:
    body = [
        ("7.建设创新高地。综合运用综合保税区政策功能优势，支持国家产业创新中心、国家技术", 700),
        ("创新中心等研发创新机构在综合保税区发展。（发展改革委、科技部、海关总署负", 680),  # its ）cut off
        ("8.优化信用管理。综合保税区内新设的研发设计、加工制造企业，经评定符合有关标准", 660),
        ("的，直接赋予最高信用等级。（市场监管总局、海关总署负责）", 640),
    ]
    lines = [Line(text=t, page=1, left=72, right=520, top=y, bottom=y - 14, size=14) for t, y in body]
    blocks = lines_to_blocks([Page(number=1, height=842, items=list(lines))], rules)
    assert [b.text[:2] for b in blocks] == ["7.", "8."]


def test_a_date_line_ends_its_paragraph(rules) -> None:
    lines = [Line(text="2019年1月12日", page=1, left=420, right=520, top=300, bottom=286, size=14),
             Line(text="（此件公开发布）", page=1, left=72, right=190, top=280, bottom=266, size=14)]
    blocks = lines_to_blocks([Page(number=1, height=842, items=list(lines))], rules)
    assert [b.text for b in blocks] == ["2019年1月12日", "（此件公开发布）"]


def test_known_confusions_are_undone(rules) -> None:
    page = ocr.OcrPage([Line(text="加大AE0高级认证, 2024一2026年; 10AB, A0纸", page=1, left=0, right=1, top=1,
                             bottom=0, size=1)], [], 1.0, 0, 0.0)
    ocr.fold_punctuation([page], rules)
    assert page.lines[0].text == "加大AEO高级认证，2024—2026年；10AB, A0纸"
