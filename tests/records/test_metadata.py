"""Notice metadata per GB/T 9704."""

from __future__ import annotations

import datetime as dt

import pytest

from noticeparse.records.metadata import tree_to_metadata
from noticeparse.structure import blocks_to_tree
from tests.conftest import blocks


def meta_of(rules, *texts: str):
    return tree_to_metadata(blocks_to_tree(blocks(*texts), rules), rules)


def test_full_header(rules) -> None:
    m = meta_of(
        rules,
        "发展改革委办公厅  文件",
        "发改办财金规〔2019〕860号",
        "关于加强个人所得税纳税信用建设的通知",
        "各省、自治区、直辖市，国家税务总局各省税务局；各有关单位：",
        "现就有关事项通知如下：",
        "一、总体要求",
        "正文。",
        "附件：1.任务清单",
        "2.联系表",
        "国家发展改革委办公厅",
        "税务总局办公厅",
        "2019年8月20日",
        "抄送：审计署，统计局。",
    )
    assert m.title == "关于加强个人所得税纳税信用建设的通知"
    assert m.doc_number == "发改办财金规〔2019〕860号"
    assert m.recipients == ["各省、自治区、直辖市", "国家税务总局各省税务局", "各有关单位"]
    assert m.issuer == "国家发展改革委办公厅、税务总局办公厅"
    assert m.issue_date == dt.date(2019, 8, 20)
    assert m.year == 2019
    assert m.attachments == ["任务清单", "联系表"]
    assert m.cc == ["审计署", "统计局"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("绍市人[2003]17号", "绍市人〔2003〕17号"),
        ("浙教电传【2009】337号", "浙教电传〔2009〕337号"),
        ("（皖政办秘〔2021〕82号）", "皖政办秘〔2021〕82号"),
        ("发改办财金规〔2019〕860 号", "发改办财金规〔2019〕860号"),
        ("（第19号）", "第19号"),
    ],
)
def test_doc_number_brackets_normalised(line: str, expected: str, rules) -> None:
    assert meta_of(rules, line, "关于开展检查的通知").doc_number == expected


def test_chinese_numeral_date_and_signature_below(rules) -> None:
    m = meta_of(rules, "关于开展考核工作的通知", "正文。", "二〇〇九年十二月十四日", "绍兴市人事局")
    assert m.issue_date == dt.date(2009, 12, 14)
    assert m.issuer == "绍兴市人事局"


def test_title_organs_give_issuer_when_unsigned(rules) -> None:
    m = meta_of(rules, "包头市人民政府办公室关于印发考评办法的通知", "正文。", "2022年4月14日")
    assert m.issuer == "包头市人民政府办公室"
    assert m.issue_date == dt.date(2022, 4, 14)


def test_organ_line_above_title_joins_it(rules) -> None:
    m = meta_of(rules, "海南省农业农村厅 海南省财政厅", "关于印发补贴实施方案的通知", "各市县：")
    assert m.title == "海南省农业农村厅 海南省财政厅关于印发补贴实施方案的通知"


def test_date_without_day_is_no_issue_date(rules) -> None:
    m = meta_of(rules, "家长开放日活动方案", "正文。", "绍兴一中", "2022年11月")
    assert (m.issuer, m.issue_date, m.year) == ("绍兴一中", None, 2022)


def test_person_signature_falls_back_to_masthead(rules) -> None:
    m = meta_of(rules, "临港新片区管理办法", "上海市人民政府令", "（第19号）", "正文。", "市长　应勇", "2019年8月12日")
    assert (m.issuer, m.doc_number) == ("上海市人民政府", "第19号")


def test_year_from_title_then_body(rules) -> None:
    assert meta_of(rules, "2020-2021学年工作安排").year == 2020
    assert meta_of(rules, "校庆活动方案", "一、时间", "2017年10月5日").year == 2017


def test_a_slogan_above_a_two_line_title_is_not_part_of_it(rules) -> None:
    m = meta_of(rules, "十八而志逐梦想 青春有为向未来", "2023年浙江省“18岁成人礼”", "宣誓仪式活动方案", "一、活动主题")
    assert m.title == "2023年浙江省“18岁成人礼”宣誓仪式活动方案"


def test_joint_signature_on_one_line(rules) -> None:
    m = meta_of(rules, "关于做好督查工作的通知", "一、督查时间", "中共某市委教育工作委员会 某市教育局", "2017年9月26日")
    assert m.issuer == "中共某市委教育工作委员会、某市教育局"


def test_signature_is_not_a_file_name(rules) -> None:
    m = meta_of(rules, "关于春游的通知", "附件：报名表", "202603041004057825.xls", "某某工会", "2026年3月3日")
    assert m.issuer == "某某工会"


def test_attachments_each_on_a_labelled_line(rules) -> None:
    m = meta_of(
        rules, "关于活动的通知", "一、要求", "附件一：学校参与流程", "附件二：家庭参与流程", "某局", "2017年3月21日"
    )
    assert m.attachments == ["学校参与流程", "家庭参与流程"]


def test_page_metadata_is_a_fallback(rules) -> None:
    tree = blocks_to_tree(blocks("各学校：", "一、活动时间：2019年1月5日"), rules)
    page = {
        "title": "某某通知", "issuer": "国务院办公厅", "doc_number": "国办发[2018]129号", "issue_date": "2018年12月30日"
    }
    m = tree_to_metadata(tree, rules, page)
    assert (m.title, m.issuer, m.doc_number, m.issue_date) == (
        "某某通知", "国务院办公厅", "国办发〔2018〕129号", dt.date(2018, 12, 30),
    )
