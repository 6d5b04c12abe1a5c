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
