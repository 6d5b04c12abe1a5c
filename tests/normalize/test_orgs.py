"""Unit-list splitting exactly as the record format spec says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noticeparse.normalize import split_orgs

ROWS = [
    ("食药股、市场秩序股、知识产权股、各分局", ["食药股", "市场秩序股", "知识产权股", "各分局"]),
    ("市政府办公室，市公安局", ["市政府办公室", "市公安局"]),
    ("省商务厅；合肥海关", ["省商务厅", "合肥海关"]),
    ("省商务厅;合肥海关", ["省商务厅", "合肥海关"]),
    ("教务处,德育处", ["教务处", "德育处"]),
    ("China Daily Co., Ltd.", ["China Daily Co., Ltd."]),
    ("全国总工会等和各省级人民政府", ["全国总工会", "各省级人民政府"]),
    ("中央和国家机关工委", ["中央和国家机关工委"]),
    ("全国妇联等和各省级人民政府", ["全国妇联", "各省级人民政府"]),
    ("教育部及财政部", ["教育部", "财政部"]),
    ("商务部等有关部门", ["商务部"]),
    ("人民银行等部门", ["人民银行"]),
    ("民政部等有关部门和单位", ["民政部"]),
    ("工业和信息化部、发展改革委等", ["工业和信息化部", "发展改革委"]),
    ("各有关部门和单位", ["各有关部门和单位"]),
    ("有关部门", ["有关部门"]),
    ("质监股。", ["质监股"]),
    ("德育处、团 委", ["德育处", "团委"]),
    ("质监股、质监股", ["质监股"]),
]


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_split(text: str, expected: list[str], rules) -> None:
    assert split_orgs(text, rules.orgs) == expected


@given(st.text())
def test_arbitrary_text_never_raises(rules, text: str) -> None:
    for unit in split_orgs(text, rules.orgs):
        assert unit and unit == unit.strip()
