"""Every row of the time-expressions spec, plus arbitrary text never raising."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeparse.normalize import Reference, parse_time

Y = 2024
D = dt.date(2024, 9, 13)
REF = Reference(year=Y, issue_date=D)


def d(month: int, day: int, year: int = Y) -> dt.date:
    return dt.date(year, month, day)


ROWS = [
    ("9月", d(9, 1), d(9, 30), "ok"),
    ("5-12月", d(5, 1), d(12, 31), "ok"),
    ("5月—12月", d(5, 1), d(12, 31), "ok"),
    ("5至12月", d(5, 1), d(12, 31), "ok"),
    ("8月下旬", d(8, 21), d(8, 31), "ok"),
    ("9月上旬至10月中旬", d(9, 1), d(10, 20), "ok"),
    ("9月13日", d(9, 13), d(9, 13), "ok"),
    ("2024年9月13日", d(9, 13), d(9, 13), "ok"),
    ("9月1日-9月30日", d(9, 1), d(9, 30), "ok"),
    ("9月1日至30日", d(9, 1), d(9, 30), "ok"),
    ("2024年10月至2025年3月", d(10, 1), d(3, 31, 2025), "ok"),
    ("11月至次年3月", d(11, 1), d(3, 31, Y + 1), "ok"),
    ("11月—翌年3月", d(11, 1), d(3, 31, Y + 1), "ok"),
    ("9月底前", None, d(9, 30), "ok"),
    ("9月底", None, d(9, 30), "ok"),
    ("9月30日前", None, d(9, 30), "ok"),
    ("9月初", d(9, 1), d(9, 10), "ok"),
    ("年底前", None, d(12, 31), "ok"),
    ("年内", None, d(12, 31), "ok"),
    ("年底", None, d(12, 31), "ok"),
    ("全年", d(1, 1), d(12, 31), "ok"),
    ("2024年全年", d(1, 1), d(12, 31), "ok"),
    ("1-12月", d(1, 1), d(12, 31), "ok"),
    ("上半年", d(1, 1), d(6, 30), "ok"),
    ("下半年", d(7, 1), d(12, 31), "ok"),
    ("第三季度", d(7, 1), d(9, 30), "ok"),
    ("三季度", d(7, 1), d(9, 30), "ok"),
    ("即日起至12月31日", D, d(12, 31), "ok"),
    ("即日起—12月", D, d(12, 31), "ok"),
    ("长期坚持", None, None, "ongoing"),
    ("持续推进", None, None, "ongoing"),
    ("常态化开展", None, None, "ongoing"),
    ("暂定9月29日下午15：00", d(9, 29), d(9, 29), "ok"),
    ("拟于9月", d(9, 1), d(9, 30), "ok"),
    ("预计9月", d(9, 1), d(9, 30), "ok"),
    ("5月18日、5月21日", d(5, 18), d(5, 21), "ok"),
    ("12月底，1月初", None, d(1, 10, Y + 1), "ok"),
    ("截止9月30日", None, d(9, 30), "ok"),
    ("截至9月底", None, d(9, 30), "ok"),
    ("1月18日起", d(1, 18), None, "ok"),
    ("4月30日-22日", None, None, "unparsed"),
    ("9月(具体时间另行通知)", d(9, 1), d(9, 30), "ok"),
    ("9月（具体时间另行通知）", d(9, 1), d(9, 30), "ok"),
    ("5月底取得明显成效并持续推进", None, d(5, 31), "ok"),
    ("6月底完成", None, d(6, 30), "ok"),
    ("11月取得明显成效", d(11, 1), d(11, 30), "ok"),
    ("6点50分", None, None, "ongoing"),
    ("下午", None, None, "ongoing"),
    ("全天", None, None, "ongoing"),
    ("每周一", None, None, "ongoing"),
    # Digits may be full-width or Chinese; dashes of every kind.
    ("九月", d(9, 1), d(9, 30), "ok"),
    ("十二月", d(12, 1), d(12, 31), "ok"),
    ("二〇二四年九月十三日", d(9, 13), d(9, 13), "ok"),
    ("９月１３日", d(9, 13), d(9, 13), "ok"),
    ("5～12月", d(5, 1), d(12, 31), "ok"),
    ("5到12月", d(5, 1), d(12, 31), "ok"),
    # Leap years are real: February 2024 ends on the 29th.
    ("2月", d(2, 1), d(2, 29), "ok"),
    ("2月30日", None, None, "unparsed"),
]


@pytest.mark.parametrize(("raw", "start", "end", "status"), ROWS, ids=[r[0] for r in ROWS])
def test_spec_row(raw: str, start, end, status, rules) -> None:
    result = parse_time(raw, REF, rules)
    assert (result.start, result.end, result.status) == (start, end, status)


def test_unknown_year_gives_null_and_warning(rules) -> None:
    result = parse_time("9月", Reference(year=None), rules)
    assert (result.start, result.end, result.status) == (None, None, "unparsed")


def test_lines_that_each_start_with_a_date_are_a_list(rules) -> None:
    result = parse_time("9月5日（高一）班会课\n9月6日（高三）班会课", Reference(year=2024), rules)
    assert (result.start, result.end, result.status) == (dt.date(2024, 9, 5), dt.date(2024, 9, 6), "ok")
    # A second line that is prose leaves the first expression governing.
    result = parse_time("9月5日\n另行通知", Reference(year=2024), rules)
    assert (result.start, result.end) == (dt.date(2024, 9, 5), dt.date(2024, 9, 5))


def test_explicit_year_needs_no_reference(rules) -> None:
    result = parse_time("2023年5月", Reference(year=None), rules)
    assert (result.start, result.end) == (dt.date(2023, 5, 1), dt.date(2023, 5, 31))


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("12月28日-1月10日", dt.date(2020, 12, 28), dt.date(2021, 1, 10)),
        ("3月", dt.date(2021, 3, 1), dt.date(2021, 3, 31)),
    ],
)
def test_two_year_span_reference(raw: str, start, end, rules) -> None:
    ref = Reference(year=2020, span=(2020, 2021))
    result = parse_time(raw, ref, rules)
    assert (result.start, result.end) == (start, end)


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_never_raises(rules, text: str) -> None:
    result = parse_time(text, REF, rules)
    assert result.status in ("ok", "ongoing", "unparsed")
    if result.start and result.end:
        assert result.start <= result.end


@settings(max_examples=300)
@given(st.text(alphabet="0123456789年月日至-—、，底前起次上中下旬初一二三十〇", max_size=20))
def test_date_like_text_never_raises(rules, text: str) -> None:
    parse_time(text, REF, rules)
