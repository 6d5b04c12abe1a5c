"""The heading tree: nesting, skipped levels, repeated numbers, field headings, boundaries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from noticeparse.structure import blocks_to_tree
from tests.conftest import blocks


def shape(node) -> list:
    return [(c.label, c.kind, shape(c)) for c in node.children]


def test_nesting(rules) -> None:
    tree = blocks_to_tree(blocks("一、甲", "（一）乙", "1.丙", "（二）丁", "二、戊"), rules)
    assert shape(tree.root) == [
        ("一、", "heading", [("（一）", "heading", [("1.", "heading", [])]), ("（二）", "heading", [])]),
        ("二、", "heading", []),
    ]


def test_skipped_level_and_repeated_number(rules) -> None:
    # 1. directly under 一、 (no （一）), and 四、 printed twice.
    tree = blocks_to_tree(blocks("一、甲", "1.乙", "四、丙", "四、丁", "（一）戊"), rules)
    assert shape(tree.root) == [
        ("一、", "heading", [("1.", "heading", [])]),
        ("四、", "heading", []),
        ("四、", "heading", [("（一）", "heading", [])]),
    ]


def test_body_belongs_to_nearest_heading(rules) -> None:
    tree = blocks_to_tree(blocks("一、甲", "正文一", "（一）乙", "正文二"), rules)
    first = tree.root.children[0]
    assert [i.text for i in first.items] == ["正文一"]
    assert [i.text for i in first.children[0].items] == ["正文二"]


def test_field_heading_with_inline_value_is_a_field_of_the_parent(rules) -> None:
    tree = blocks_to_tree(blocks("一、会议时间：2020年12月11日", "二、会议地点：线上"), rules)
    assert tree.root.children == []
    assert [i.text for i in tree.root.items] == ["会议时间：2020年12月11日", "会议地点：线上"]


def test_field_heading_with_value_on_next_line(rules) -> None:
    tree = blocks_to_tree(blocks("二、活动时间", "2022年2月17日—3月20日", "三、活动内容"), rules)
    assert [i.text for i in tree.root.items] == ["活动时间:2022年2月17日—3月20日"]
    assert [c.text for c in tree.root.children] == ["活动内容"]


def test_time_heading_followed_by_prose_stays_a_heading(rules) -> None:
    tree = blocks_to_tree(blocks("五、时间安排", "各单位要抓紧推进工作。"), rules)
    assert [c.text for c in tree.root.children] == ["时间安排"]


def test_label_and_value_separated_by_spaces(rules) -> None:
    tree = blocks_to_tree(blocks("三、活动时间  2017年3月27日—4月26日"), rules)
    assert [i.text for i in tree.root.items] == ["活动时间:2017年3月27日—4月26日"]


def test_container_heading(rules) -> None:
    tree = blocks_to_tree(blocks("三、活动时间与地点", "2024年5月1日", "学校操场"), rules)
    node = tree.root.children[0]
    assert node.kind == "container" and node.labels == ["活动时间", "地点"]


def test_container_of_labels_of_which_one_is_canonical(rules) -> None:
    tree = blocks_to_tree(blocks("三、演练时间、集合地点及参加学生", "时间：2021年10月27日"), rules)
    assert tree.root.children[0].kind == "container"
    # No canonical label among the parts: an ordinary heading.
    tree = blocks_to_tree(blocks("四、活动形式、内容及参与办法", "1.班主任授课。"), rules)
    assert tree.root.children[0].kind == "heading"


def test_a_date_under_a_long_heading_is_the_issue_date(rules) -> None:
    tree = blocks_to_tree(blocks("一、考核", "3.事业单位年度考核优秀人员名册", "二〇〇九年十二月十四日"), rules)
    assert tree.roles.get(2) == "date"
    tree = blocks_to_tree(blocks("一、考核", "三、活动时间", "2009年12月14日"), rules)
    assert tree.roles.get(2) is None


def test_signature_and_date_close_headings(rules) -> None:
    tree = blocks_to_tree(
        blocks("一、甲", "正文。", "某某市教育局", "2024年9月13日", "附件：清单"), rules
    )
    assert [i.text for i in tree.root.children[0].items] == ["正文。"]
    assert tree.roles == {2: "signature", 3: "date", 4: "attachment"}


@given(st.lists(st.text(max_size=40), max_size=30))
def test_arbitrary_paragraphs_never_raise(rules, texts: list[str]) -> None:
    kept = [t for t in texts if t.strip()]
    blocks_to_tree(blocks(*kept), rules)
