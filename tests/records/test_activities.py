"""Records from the heading tree: forms 1, 2 and 4, titles, descriptions, grouping headings."""

from __future__ import annotations

from noticeparse.models import Source
from noticeparse.normalize import normalize_notice
from noticeparse.records import tree_to_notice
from noticeparse.structure import blocks_to_tree
from tests.conftest import blocks


def notice_of(rules, *texts: str):
    tree = blocks_to_tree(blocks(*texts), rules)
    raw = tree_to_notice(tree, Source(path="t.txt", format="txt", sha256=""), rules)
    return normalize_notice(raw, rules)


def test_form1_field_lines(rules) -> None:
    n = notice_of(
        rules,
        "某局2024年活动方案",
        "二、活动内容",
        "（一）举办宣传活动。围绕商场开展宣传。",
        "活动时间：9月",
        "活动地点：全市",
        "牵头部门：质监股",
        "配合部门：食药股、各分局",
        "三、活动要求",
        "（一）要周密策划。",
    )
    assert len(n.activities) == 1
    act = n.activities[0]
    assert (act.id, act.heading, act.path) == ("2.1", "（一）", ["活动内容"])
    assert (act.title, act.description) == ("举办宣传活动", "围绕商场开展宣传。")
    assert act.time is not None and (act.time.label, act.time.raw) == ("活动时间", "9月")
    assert (str(act.time.start), str(act.time.end)) == ("2024-09-01", "2024-09-30")
    assert (act.location, act.lead, act.support) == ("全市", ["质监股"], ["食药股", "各分局"])
    assert act.fields == {"活动时间": "9月", "活动地点": "全市", "牵头部门": "质监股", "配合部门": "食药股、各分局"}


def test_form2_labelled_parenthesis_with_unlabelled_time(rules) -> None:
    n = notice_of(
        rules,
        "包头市2022年考评办法",
        "1．完善平台功能。整合电子证照。（6月底完成，牵头考核单位：市政府办公室、市公安局）",
    )
    act = n.activities[0]
    assert act.title == "完善平台功能"
    assert act.description == "整合电子证照。"
    assert act.time is not None and (act.time.label, act.time.raw) == (None, "6月底完成")
    assert (act.time.start, str(act.time.end)) == (None, "2022-06-30")
    assert act.lead == ["市政府办公室", "市公安局"]


def test_labelled_parenthesis_with_two_fields(rules) -> None:
    n = notice_of(rules, "（一）开展试点（负责部门：商务部、海关总署；适用范围：所有自贸试验区）")
    act = n.activities[0]
    assert act.title == "开展试点"
    assert act.lead == ["商务部", "海关总署"]
    assert act.fields == {"负责部门": "商务部、海关总署", "适用范围": "所有自贸试验区"}


def test_responsible_is_support_when_a_lead_exists(rules) -> None:
    n = notice_of(rules, "1.活动一", "牵头单位：教务处", "责任单位：德育处、团委")
    act = n.activities[0]
    assert (act.lead, act.support) == (["教务处"], ["德育处", "团委"])


def test_unit_never_in_both_lead_and_support(rules) -> None:
    n = notice_of(rules, "1.活动一", "牵头单位：教务处", "配合单位：教务处、团委")
    assert n.activities[0].support == ["团委"]


def test_first_time_label_wins(rules) -> None:
    n = notice_of(rules, "2024年方案", "1.征文", "征集时间：9月", "活动时间：10月")
    act = n.activities[0]
    assert act.time is not None and act.time.label == "征集时间"
    assert act.fields["活动时间"] == "10月"


def test_heading_without_fields_is_a_section(rules) -> None:
    n = notice_of(rules, "一、指导思想", "坚持问题导向。", "二、工作要求", "（一）加强领导。")
    assert n.activities == []
    assert [s.title for s in n.sections] == ["指导思想", "工作要求"]
    assert n.sections[1].children[0].title == "加强领导"


def test_form4_field_headings_make_the_document_record(rules) -> None:
    n = notice_of(
        rules,
        "2020年度合伙人会议的通知",
        "一、会议时间：2020年12月11日",
        "二、会议地点：线上",
        "三、与会人员：全体合伙人",
    )
    assert len(n.activities) == 1
    doc = n.activities[0]
    assert (doc.id, doc.heading, doc.title, doc.description) == ("0", None, "2020年度合伙人会议的通知", None)
    assert doc.time is not None and str(doc.time.start) == "2020-12-11"
    assert doc.location == "线上"


def test_grouping_heading_gives_fields_to_its_parent(rules) -> None:
    n = notice_of(rules, "2024年方案", "一、开幕式", "（一）活动安排", "时间：5月1日", "地点：操场")
    assert [(a.id, a.title, a.location) for a in n.activities] == [("1", "开幕式", "操场")]


def test_container_heading_fills_its_labels(rules) -> None:
    n = notice_of(rules, "2024年方案", "三、活动时间和地点", "2024年5月1日", "学校操场")
    doc = n.activities[0]
    assert doc.id == "0"
    assert doc.time is not None and doc.time.raw == "2024年5月1日"
    assert doc.location == "学校操场"


def test_signature_block_is_not_swallowed(rules) -> None:
    n = notice_of(rules, "1.活动", "活动时间：9月", "说明文字。", "某某局", "2024年9月13日")
    assert n.activities[0].description == "说明文字。"


def test_unparsed_time_warns(rules) -> None:
    n = notice_of(rules, "2022年学术节", "1.演讲比赛", "时间：4月30日-22日")
    assert [(w.code, w.activity) for w in n.warnings] == [("time_unparsed", "1")]


def test_a_time_value_continued_on_the_next_line(rules) -> None:
    n = notice_of(
        rules, "2024年教师节活动方案", "1.活动一：主题班会", "（1）活动时间：9月5日（高一）班会课",
        "9月6日（高三）班会课", "（2）活动内容：讲述故事。",
    )
    t = n.activities[0].time
    assert t is not None and t.raw == "9月5日（高一）班会课\n9月6日（高三）班会课"
    assert (str(t.start), str(t.end)) == ("2024-09-05", "2024-09-06")


def test_a_blank_form_value_is_no_field(rules) -> None:
    n = notice_of(rules, "2009年考核工作的通知", "附件1：", "考核登记表", "填表日期：   年   月   日")
    assert n.activities == []


def test_a_clock_is_not_a_label(rules) -> None:
    n = notice_of(rules, "2025年启动仪式方案", "三、活动时间和地点", "5月12日9:00--9:35", "学校操场")
    act = n.activities[0]
    assert act.time is not None and act.time.raw == "5月12日9:00--9:35"
    assert act.location == "学校操场"


def test_unit_field_continued_one_organisation_per_line(rules) -> None:
    n = notice_of(
        rules, "2025年主题教育活动方案", "二、组织机构", "主办单位：光明日报出版社", "中共某市委宣传部", "某市教育局",
        "承办单位：某中学", "三、活动内容", "升旗仪式。",
    )
    assert n.activities[0].lead == ["光明日报出版社", "中共某市委宣传部", "某市教育局"]


def test_prose_under_a_heading_of_labels_fills_nothing(rules) -> None:
    n = notice_of(
        rules, "第七批援疆干部选派工作方案", "一、选派人数和工作时间", "我市选派的总数是26人，其中教师8人。",
        "援疆干部在疆工作时间为三年多。", "二、选派条件",
    )
    assert n.activities == [] and n.warnings == []
