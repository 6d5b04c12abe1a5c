"""Tables of activities (spec form 5)."""

from __future__ import annotations

from noticeparse.extract import number_blocks
from noticeparse.extract.tables import table_text
from noticeparse.models import Block, Source
from noticeparse.normalize import normalize_notice
from noticeparse.records import tree_to_notice
from noticeparse.records.tables import find_header
from noticeparse.structure import blocks_to_tree


def notice_with_table(rules, grid: list[list[str]], *before: str):
    items = [Block(index=i, text=t) for i, t in enumerate(before)]
    items.append(Block(index=len(items), kind="table", text=table_text(grid), cells=grid))
    tree = blocks_to_tree(number_blocks(items), rules)
    raw = tree_to_notice(tree, Source(path="t.html", format="html", sha256=""), rules)
    return normalize_notice(raw, rules)


GRID = [
    ["2023年一日常规", "2023年一日常规", "2023年一日常规", "2023年一日常规", "2023年一日常规"],
    ["序号", "时 间", "内 容", "管理要求", "责任部门"],
    ["1", "6点50分", "校门口值勤。做好秩序管理", "签到打卡", "老师：党政办；学生：德育处"],
    ["2", "7月1日", "作业收缴", "", "教学处牵头，年段落实"],
    ["2", "7月1日", "晨检", "专人测温", "教学处牵头，年段落实"],
    ["注：1.每周检查", "注：1.每周检查", "注：1.每周检查", "注：1.每周检查", "注：1.每周检查"],
]


def test_one_record_per_data_row(rules) -> None:
    n = notice_with_table(rules, GRID, "关于发布一日常规的通知", "一、具体安排")
    got = [(a.id, a.title, a.description, a.time.raw if a.time else None, a.lead, a.support) for a in n.activities]
    assert got == [
        ("T1.1", "校门口值勤", "做好秩序管理\n签到打卡", "6点50分", ["党政办", "德育处"], []),
        ("T1.2", "作业收缴", None, "7月1日", ["教学处"], ["年段"]),
        ("T1.3", "晨检", "专人测温", "7月1日", ["教学处"], ["年段"]),
    ]
    first = n.activities[0]
    assert first.path == ["具体安排"]
    assert first.fields == {"时 间": "6点50分", "管理要求": "签到打卡", "责任部门": "老师：党政办；学生：德育处"}
    assert n.activities[1].time is not None and str(n.activities[1].time.start) == "2023-07-01"


def test_header_needs_a_title_and_a_field_column(rules) -> None:
    assert find_header([["学科", "负责人", "活动时间"], ["语文", "张三", "10月28日"]], rules) is None
    assert find_header([["序号", "内容", "备注"], ["1", "升旗", ""]], rules) is None
    header = find_header([["时间", "项目", "内容", "地点"], ["8:00", "集合", "出征", "操场"]], rules)
    assert header is not None and [c.role for c in header.columns] == ["field", "title", "other", "field"]


def test_running_numbers_become_the_heading(rules) -> None:
    grid = [["星期", "工作内容", "牵头部门", "协同部门"]] + [
        ["周一", f"{k}．{text}", "教科室", "总务处、安全处"] for k, text in
        [(7, "会议"), (8, "9月行政月度会议材料准备"), (9, "升旗仪式")]
    ]
    n = notice_with_table(rules, grid, "第四周学校主要工作安排表")
    assert [(a.heading, a.title) for a in n.activities] == [
        ("7．", "会议"), ("8．", "9月行政月度会议材料准备"), ("9．", "升旗仪式"),
    ]
    assert n.activities[0].support == ["总务处", "安全处"]


def test_repeated_header_rows_are_not_data(rules) -> None:
    grid = [["时间", "内容"], ["9月1日", "开学"], ["时间", "内容"], ["9月2日", "上课"]]
    n = notice_with_table(rules, grid, "2024年安排")
    assert [a.title for a in n.activities] == ["开学", "上课"]


def test_a_note_merged_over_most_columns_is_not_a_row(rules) -> None:
    note = "注：以通知为准"
    grid = [["序号", "时间", "内容", "牵头处室"], ["1", "1月2日", "返校", "教学处"], [note, note, note, ""]]
    n = notice_with_table(rules, grid, "2021年工作安排")
    assert [a.title for a in n.activities] == ["返校"]
