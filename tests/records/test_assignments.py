"""Responsibility parentheses and unit cells (spec form 3)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeparse.records.assignments import parse_assignments
from noticeparse.rules import default_rules
from tests.records.test_activities import notice_of


def units(text: str, rules, **kw) -> list[tuple[str, str]] | None:
    found = parse_assignments(text, rules, **kw)
    return None if found is None else [(a.units, a.category) for a in found]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("A部、B委、C局负责", [("A部、B委、C局", "responsible")]),
        ("A部牵头，B委、C局配合", [("A部", "lead"), ("B委、C局", "support")]),
        ("A部牵头，B委等按职责分工负责", [("A部", "lead"), ("B委等", "responsible")]),
        ("A部负责，B委参与", [("A部", "responsible"), ("B委", "support")]),
        ("X部、Y委指导", [("X部、Y委", "responsible")]),
        ("A部会同B委、C局负责", [("A部", "lead"), ("B委、C局", "support")]),
        ("农业农村部、工业和信息化部牵头负责", [("农业农村部、工业和信息化部", "lead")]),
        ("生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出",
         [("生态环境部", "responsible"), ("试点城市政府", "responsible")]),
    ],
)
def test_parenthesis_assignments(text: str, want, rules) -> None:
    assert units(text, rules) == want


@pytest.mark.parametrize(
    "text",
    ["由教育部牵头研究制定", "以下简称试点城市", "2018—2020年", "具体办法另行通知", "含港澳台", "下同"],
)
def test_prose_is_not_an_assignment(text: str, rules) -> None:
    assert units(text, rules) is None


def test_first_unit_leads_under_the_note(rules) -> None:
    got = units("工业和信息化部、发展改革委、科技部等负责。列第一位者为牵头单位，下同", rules, first_leads=True)
    assert got == [("工业和信息化部", "lead"), ("发展改革委、科技部等", "support")]
    # A parenthesis that marks 牵头 itself follows its own marks.
    assert units("A部、B委牵头负责", rules, first_leads=True) == [("A部、B委", "lead")]


def test_table_cells(rules) -> None:
    assert units("教学处牵头，年段落实", rules, cell="responsible") == [("教学处", "lead"), ("年段", "support")]
    assert units("德育处牵头，体育组整体负责，各年段负责年段学生", rules, cell="responsible") == [
        ("德育处", "lead"), ("体育组", "responsible"), ("各年段", "responsible"),
    ]
    assert units("老师：党政办；学生：德育处", rules, cell="responsible") == [
        ("党政办", "responsible"), ("德育处", "responsible"),
    ]
    assert units("教学处、高二、高三年段", rules, cell="lead") == [("教学处、高二、高三年段", "lead")]


def test_records_from_parentheses(rules) -> None:
    n = notice_of(
        rules,
        "国务院关于促进发展的若干意见",
        "一、总体要求",
        "（一）拓展市场。积极稳妥推广试点。（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）",
        "（二）提前适用政策。支持企业。",
        "（海关总署、财政部负责）",
        "（三）释放产能。鼓励企业。（商务部牵头，海关总署配合）（海关总署、工业和信息化部负责）",
        "（四）由教育部牵头研究制定办法。",
    )
    got = [(a.title, a.lead, a.support, a.description) for a in n.activities]
    assert got == [
        ("拓展市场", ["税务总局"], ["财政部", "海关总署"], "积极稳妥推广试点。"),
        ("提前适用政策", ["海关总署"], ["财政部"], "支持企业。"),
        # Merged in order; under the note the second one's first unit leads too,
        # and a unit that leads anywhere is not repeated in support.
        ("释放产能", ["商务部", "海关总署"], ["工业和信息化部"], "鼓励企业。"),
    ]


def test_without_the_note_every_responsible_unit_leads(rules) -> None:
    n = notice_of(rules, "某意见", "（一）推动参与。（扶贫办、全国总工会等和各省级人民政府负责）")
    assert n.activities[0].lead == ["扶贫办", "全国总工会", "各省级人民政府"]
    assert n.activities[0].support == []


def test_recipients_naming_a_lead_department_are_not_a_field(rules) -> None:
    n = notice_of(
        rules, "关于加强信用建设的通知", "各省、自治区社会信用体系建设牵头部门：", "一、提高认识", "要高度重视。"
    )
    assert n.activities == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="部委局A、，,；。牵头负责配合参与指导会同由等：: ", max_size=40))
def test_any_text_parses_without_error(text: str) -> None:
    rules = default_rules()
    for kw in ({}, {"cell": "lead"}, {"first_leads": True}):
        found = parse_assignments(text, rules, **kw)
        assert found is None or all(a.units.strip() for a in found)
