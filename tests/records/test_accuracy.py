"""Mechanisms found on documents nobody tuned for (issue 13), each with its own small case."""

from __future__ import annotations

import datetime as dt

from noticeparse.extract import number_blocks
from noticeparse.extract.tables import table_text
from noticeparse.models import Block, Source
from noticeparse.normalize import normalize_notice
from noticeparse.records import tree_to_notice
from noticeparse.records.assignments import parse_assignments
from noticeparse.structure import blocks_to_tree


def notice(rules, *texts: str, page: dict[str, str] | None = None, extra: list[Block] | None = None):
    items = [Block(index=i, text=t) for i, t in enumerate(texts)] + list(extra or [])
    items = [b.model_copy(update={"index": i}) for i, b in enumerate(items)]
    tree = blocks_to_tree(number_blocks(items), rules)
    raw = tree_to_notice(tree, Source(path="t.html", format="html", sha256=""), rules, page_meta=page)
    return normalize_notice(raw, rules)


def table(grid: list[list[str]]) -> Block:
    return Block(index=0, kind="table", text=table_text(grid), cells=grid)


# --- titles ---------------------------------------------------------------------------------


def test_a_title_printed_twice_keeps_the_documents_own_printing(rules) -> None:
    n = notice(rules, "某省办公厅关于印发行动计划(2021—2023年)的通知",
               "某省办公厅关于印发行动计划（2021-2023年）的通知", "各市人民政府：", "正文。")
    assert n.notice.title == "某省办公厅关于印发行动计划（2021-2023年）的通知"


def test_a_tables_caption_is_never_the_title(rules) -> None:
    grid = [["学科", "活动时间"], ["语文", "10月28日"], ["数学", "10月29日"]]
    n = notice(rules, "2010年课堂教学评比活动安排表", extra=[table(grid)], page={"headline": "关于转发评比通知的通知"})
    assert n.notice.title == "关于转发评比通知的通知"


def test_a_bracketed_note_after_the_document_kind(rules) -> None:
    n = notice(rules, "2024年6月高考模拟演练工作方案（初稿）", "一、活动时间：6月6日",
               page={"headline": "2024年6月高考6日下午模拟演练工作方案"})
    assert n.notice.title == "2024年6月高考模拟演练工作方案（初稿）"


def test_a_sub_heading_below_body_text_is_not_the_title(rules) -> None:
    n = notice(rules, "事先准备", "12月7日8:30前：体育馆清空", "当天安排", "一、时间地点",
               "12月8日下午15:00，学校体育馆", page={"headline": "成人礼实施方案"})
    assert n.notice.title == "成人礼实施方案"


def test_a_forwarded_documents_title_and_number_are_not_the_notices(rules) -> None:
    n = notice(
        rules, "各学校：", "现将《关于六起典型问题的通报》转发给你们。", "某市教育局办公室", "2016年7月26日",
        "某市纪发〔2016〕24号", "关于六起典型问题的通报", "为进一步严明纪律，现通报如下。", "某市纪委", "2016年7月20日",
        page={"headline": "转发某市纪委《关于六起典型问题的通报》的通知"},
    )
    assert n.notice.title == "转发某市纪委《关于六起典型问题的通报》的通知"
    assert n.notice.doc_number is None
    assert n.notice.issuer == "某市教育局办公室"


def test_a_cover_note_quoting_its_plan_keeps_the_plans_title(rules) -> None:
    n = notice(rules, "京中医科字〔2020〕169号", "各区卫生健康委：", "现将方案印发给你们。", "某市中医管理局",
               "2020年10月12日", "2021年基层人员培训项目工作方案", "一、培训目标",
               page={"headline": "某市中医管理局关于印发《2021年基层人员培训项目工作方案》的通知"})
    assert n.notice.title == "2021年基层人员培训项目工作方案"


# --- issuers and dates ----------------------------------------------------------------------


def test_issuer_from_a_title_without_about(rules) -> None:
    n = notice(rules, "淮安市洪泽区人民政府2023年政府信息公开工作年度报告", "一、总体情况", "正文。")
    assert n.notice.issuer == "淮安市洪泽区人民政府"
    assert notice(rules, "2023年工作要点", "正文。").notice.issuer is None


def test_the_date_after_an_attachment_list_is_the_issue_date(rules) -> None:
    n = notice(rules, "关于开展活动的通知", "一、活动时间", "2022年2月17日—3月20日", "附件：1.教师授课流程",
               "2.学生学习流程", "2022年2月21日")
    assert n.notice.issue_date == dt.date(2022, 2, 21)
    assert n.notice.attachments == ["教师授课流程", "学生学习流程"]


def test_the_publication_date_gives_the_reference_year(rules) -> None:
    grid = [["星期", "工作内容", "牵头部门"], ["周日（9月22日）", "电梯预案制定", "安全处"]]
    n = notice(rules, "第四周工作安排", extra=[table(grid)],
               page={"headline": "第四周学校主要工作安排表", "published": "2019年09月23"})
    assert n.notice.year == 2019 and n.notice.issue_date is None
    assert n.activities[0].time.start == dt.date(2019, 9, 22)


# --- assignments and units --------------------------------------------------------------------


def test_units_listed_before_the_clause_naming_their_duty(rules) -> None:
    found = parse_assignments("人力资源社会保障部、科技部，各省级人民政府按职责分工负责", rules)
    assert [(a.units, a.category) for a in found] == [
        ("人力资源社会保障部、科技部", "responsible"), ("各省级人民政府", "responsible")]
    assert parse_assignments("2019年底前完成，发展改革委负责", rules)[0].units == "发展改革委"
    assert parse_assignments("教育部，财政部", rules) is None


def test_units_holding_you_are_a_scope_not_units(rules) -> None:
    assert parse_assignments("自修教室由相应的班级负责，请年段长落实", rules) is None
    assert parse_assignments("自由贸易试验区管委会负责", rules)[0].units == "自由贸易试验区管委会"


def test_a_generic_tail_wrapped_after_deng(rules) -> None:
    grid = [["工作内容", "牵头部门", "协同部门"], ["膳食会议", "总务处", "德育处、团委等\n部门"]]
    n = notice(rules, extra=[table(grid)])
    assert n.activities[0].support == ["德育处", "团委"]


# --- records --------------------------------------------------------------------------------


def test_a_bare_label_heading_is_titled_by_its_first_line(rules) -> None:
    n = notice(rules, "通知一：", "寝室内务培训", "时间：8月25日", "通知二：", "救护培训地点：图书馆三楼")
    assert [a.title for a in n.activities] == ["寝室内务培训", "通知二"]


def test_run_together_labels_make_a_container_one_line_fills(rules) -> None:
    n = notice(rules, "成人仪式方案", "一、时间地点", "12月8日（周六）下午15:00，学校体育馆",
               "二、参加对象", "全体学生")
    record = n.activities[0]
    assert (record.id, record.time.raw, record.location) == ("0", "12月8日（周六）下午15:00", "学校体育馆")


def test_a_value_stops_at_a_sentence_followed_by_a_label(rules) -> None:
    n = notice(rules, "一、报到", "报道地点：蓬莱酒店。预算：约200元")
    assert n.activities[0].location == "蓬莱酒店"
    assert n.activities[0].fields == {"报道地点": "蓬莱酒店", "预算": "约200元"}


def test_table_title_cell_drops_a_full_width_semicolon(rules) -> None:
    grid = [["时间", "内容", "负责部门"], ["8月20日", "报到注册，班级坐定；", "德育处"]]
    assert notice(rules, extra=[table(grid)]).activities[0].title == "报到注册，班级坐定"


def test_columns_under_one_time_header_are_one_time(rules) -> None:
    grid = [
        ["时间", "时间", "内容", "地点"],
        ["7月5 日", "12：30—13：30", "学生到校", "教室"],
        ["7月5 日", "13:30—14:10", "资料领取", "教室"],
        ["", "16：30", "放学", ""],
    ]
    acts = notice(rules, "2021年新生衔接教育方案", extra=[table(grid)]).activities
    assert [a.time.raw for a in acts] == ["7月5 日 12：30—13：30", "7月5 日 13:30—14:10", "16：30"]
    assert acts[0].time.start == acts[0].time.end == dt.date(2021, 7, 5)


def test_a_date_column_beside_a_time_column(rules) -> None:
    grid = [["日期", "时间", "活动内容"], ["10月12日", "8:30", "开幕式"], ["10月12日", "10:00", "比赛"]]
    acts = notice(rules, "2020年运动会安排", extra=[table(grid)]).activities
    assert [a.time.raw for a in acts] == ["10月12日 8:30", "10月12日 10:00"]


def test_html_headings_without_numbers_are_headings(rules) -> None:
    marked = [Block(index=0, text="活动共两天。"), Block(index=0, text="第一天", marked=True, level_hint=3),
              Block(index=0, text="时间：10月1日"), Block(index=0, text="第二天", marked=True, level_hint=3),
              Block(index=0, text="时间：10月2日")]
    n = notice(rules, "聚会方案", extra=marked)
    assert [(a.heading, a.title, a.time.raw) for a in n.activities] == [
        (None, "第一天", "10月1日"), (None, "第二天", "10月2日")]


def test_a_marked_line_above_the_body_is_the_title_not_a_heading(rules) -> None:
    lines = [Block(index=0, text="关于开展活动的通知", marked=True, level_hint=1), Block(index=0, text="活动时间：9月")]
    n = notice(rules, extra=lines)
    assert n.sections == [] and n.notice.title == "关于开展活动的通知"
    assert n.activities[0].id == "0"


def test_docx_title_style_toc_and_unnumbered_headings(tmp_path) -> None:
    import noticeparse
    from tests.fixtures.make_docx import styled_plan

    path = tmp_path / "plan.docx"
    path.write_bytes(styled_plan())
    n = noticeparse.parse(path)
    assert n.notice.title == "校友十年聚会活动策划书"
    assert [(a.path, a.title, a.location) for a in n.activities] == [
        (["聚会活动计划"], "2017年10月1日（周日）", "蓬莱酒店"),
        (["聚会活动计划"], "2017年10月2日（周一）", "黄家湖校区"),
    ]
    assert "目录" not in [s.title for s in n.sections]



# --- signatures and 主送 read from scans --------------------------------------------------------


def test_an_organ_line_leading_persons_signatures_is_the_issuer(rules) -> None:
    n = notice(rules, "北京某某发展中心（有限合伙）关于召开合伙人会议的通知", "各位合伙人：",
               "一、会议时间：2020年12月11日", "请届时参加。",
               "北京某某发展中心（有限合伙）全体合伙人：", "张学务 徐业定 汪彭", "易瑞芬 刘萧", "2020年12月10日")
    assert n.notice.issuer == "北京某某发展中心（有限合伙）"
    assert n.notice.issue_date == dt.date(2020, 12, 10)


def test_a_role_line_without_an_organ_is_not_a_signature(rules) -> None:
    n = notice(rules, "某市教育局关于开展检查的通知", "各学校：", "一、检查时间：2020年12月11日", "请配合。",
               "全体股东签字：", "某市教育局", "2020年12月10日")
    assert n.notice.issuer == "某市教育局"


def test_two_labels_on_one_line_are_not_the_recipients(rules) -> None:
    # A printed page's metadata box, its label cells wrapped: 发文机|关： and 成文日|期： side by side.
    n = notice(rules, "发文机国务院办公厅 成文日2018年12月06日", "关： 期：", "题：", "国务院办公厅关于开展督查的通知",
               "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：", "现将有关事项通知如下。")
    assert n.notice.recipients == ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]
