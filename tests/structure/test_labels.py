"""Heading labels in every style, full- and half-width, and field-line recognition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noticeparse.structure.labels import label_category, match_heading, parse_field_line
from noticeparse.structure.layout import read_date_line
from noticeparse.text.labels import read_heading, read_label_value
from noticeparse.text.width import fold_width

HEADINGS = [
    ("一、活动主题", "一、", "chinese", 1),
    ("十二、其他", "十二、", "chinese", 12),
    ("九十九、末项", "九十九、", "chinese", 99),
    ("（一）举办活动", "（一）", "chinese_paren", 1),
    ("(十一)开展活动", "(十一)", "chinese_paren", 11),
    ("1.活动", "1.", "arabic", 1),
    ("1．活动", "1．", "arabic", 1),
    ("12、活动", "12、", "arabic", 12),
    ("（3）活动", "（3）", "arabic_paren", 3),
    ("(3)活动", "(3)", "arabic_paren", 3),
    ("①活动", "①", "circled", 1),
    ("⑳活动", "⑳", "circled", 20),
    ("第三章　总则", "第三章", "chapter", 3),
    ("第十二条 为了", "第十二条", "article", 12),
    ("献礼一：校园文化艺术节开幕式", "献礼一：", "named", 1),
    ("活动十二：演讲比赛", "活动十二：", "named", 12),
]



@pytest.mark.parametrize(("text", "label", "style", "number"), HEADINGS, ids=[h[0] for h in HEADINGS])
def test_heading_label(text: str, label: str, style: str, number: int, rules) -> None:
    found = match_heading(text, rules)
    assert found is not None
    assert (found.label, found.style, found.number) == (label, style, number)


@pytest.mark.parametrize(
    "text",
    ["2024年9月13日", "1.5万元补贴", "一是加强领导", "活动时间：9月", "正文", "统一：全市", "第一：要", "星期一上午"],
)
def test_not_a_heading(text: str, rules) -> None:
    assert match_heading(text, rules) is None


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("活动时间", "time"), ("完成时限", "time"), ("征集时间", "time"), ("时间安排", "time"),
        ("截止日期", "time"), ("星期", "time"),
        ("活动地点", "location"), ("活动范围", "location"), ("实施范围", "location"),
        ("牵头部门", "lead"), ("牵头处室", "lead"), ("牵头考核单位", "lead"), ("主办单位", "lead"),
        ("配合部门", "support"), ("协同部门", "support"), ("协办单位", "support"), ("参与团队", "support"),
        ("负责部门", "responsible"), ("责任单位", "responsible"), ("负责部门/团队", "responsible"),
        ("负责单位/负责人", "responsible"),
        ("参与人员", None), ("参与对象", None), ("承办单位", None), ("联系人", None), ("主题", None),
    ],
)
def test_label_category(label: str, category: str | None, rules) -> None:
    assert label_category(label, rules) == category


def test_numbered_field_line(rules) -> None:
    lines = parse_field_line("2.活动时间：9月", rules)
    assert lines is not None and [(f.label, f.value) for f in lines] == [("活动时间", "9月")]


def test_two_fields_on_one_line(rules) -> None:
    lines = parse_field_line("时间：7：10开始   地点：图书馆一楼大厅", rules)
    assert lines is not None
    assert [(f.label, f.value) for f in lines] == [("时间", "7：10开始"), ("地点", "图书馆一楼大厅")]


def test_label_in_mid_sentence_is_prose(rules) -> None:
    assert parse_field_line("请各单位在规定的报名截止时间：9月前报送", rules) is None


@given(st.text())
def test_arbitrary_text_never_raises(rules, text: str) -> None:
    match_heading(text, rules)
    parse_field_line(text, rules)


_LABELISH = st.text(alphabet="活动时间地点：:　 1一、（）()。，9月日", max_size=30)


@given(_LABELISH, st.integers(min_value=0, max_value=8))
def test_a_reader_given_the_fold_answers_as_one_that_folds_itself(rules, text: str, start: int) -> None:
    # read_paragraph folds a paragraph once and hands the fold to every reader.
    folded = fold_width(text)
    assert read_heading(text, rules, folded=folded) == read_heading(text, rules)
    assert read_label_value(text, rules, start, folded=folded) == read_label_value(text, rules, start)
    assert read_date_line(text, rules, folded=folded) == read_date_line(text, rules)
    if not any(sep in folded[start:] for sep in rules.text.label_separators):
        assert read_label_value(text, rules, start) is None  # a label needs its separator after it


# Every heading style written with Unicode compatibility forms (small, vertical,
# full-width, half-width, parenthesised and full-stop digit characters) is the same heading.
COMPAT_FORMS = [
    ("1﹒", "arabic", 1),  # U+FE52 small full stop
    ("1．", "arabic", 1),
    ("１．", "arabic", 1),
    ("１、", "arabic", 1),
    ("1﹑", "arabic", 1),  # U+FE51 small ideographic comma
    ("1︑", "arabic", 1),  # U+FE11 vertical ideographic comma
    ("⒈", "arabic", 1),  # U+2488 digit one full stop
    ("⒓", "arabic", 12),
    ("⑴", "arabic_paren", 1),  # U+2474 parenthesized digit one
    ("﹙1﹚", "arabic_paren", 1),  # small parentheses
    ("（１）", "arabic_paren", 1),
    ("︵1︶", "arabic_paren", 1),  # vertical parentheses
    ("一﹑", "chinese", 1),
    ("一︑", "chinese", 1),
    ("一．", "chinese", 1),
    ("㈠", "chinese_paren", 1),  # U+3220 parenthesized ideograph one
    ("㈩", "chinese_paren", 10),
    ("﹙一﹚", "chinese_paren", 1),
    ("（三）", "chinese_paren", 3),
    ("①", "circled", 1),
    ("第一章", "chapter", 1),
    ("第１条", "article", 1),
]


@pytest.mark.parametrize(("label", "style", "number"), COMPAT_FORMS, ids=[f[0] for f in COMPAT_FORMS])
def test_compatibility_forms_are_headings(label: str, style: str, number: int, rules) -> None:
    found = match_heading(f"{label}推进工业互联网外网建设。", rules)
    assert found is not None
    assert (found.label, found.style, found.number) == (label, style, number)
    assert f"{label}推进工业互联网外网建设。"[found.end:].startswith("推进")
