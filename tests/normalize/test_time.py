"""Every row of the time-expressions spec, plus arbitrary text never raising."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeparse.normalize import Reference, TimeResult, parse_time
from noticeparse.normalize.time import month_context, reference_span
from noticeparse.rules import TimeRules, default_rules

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
    # Dotted month.day where the value has no 月/日 date.
    ("3.15", d(3, 15), d(3, 15), "ok"),
    ("4.8—5.20", d(4, 8), d(5, 20), "ok"),
    ("6.30前", None, d(6, 30), "ok"),
    ("12.1-12.5", d(12, 1), d(12, 5), "ok"),
    ("13.5", None, None, "unparsed"),
    ("12.10周二最后一节课", d(12, 10), d(12, 10), "ok"),
    ("3.5周", None, None, "unparsed"),
    ("1.5小时", None, None, "unparsed"),  # a duration, not a dotted date
    # A time of day or a moment between the date and 前 is ignored: a deadline on that day.
    ("6月2日17:00前", None, d(6, 2), "ok"),
    ("6月2日下午4点之前", None, d(6, 2), "ok"),
    ("6月2日（周五）放学前", None, d(6, 2), "ok"),
    ("6月2日下班前", None, d(6, 2), "ok"),
    ("6月2日24:00前", None, d(6, 2), "ok"),
    ("6月2日晚8点半前", None, d(6, 2), "ok"),
    # Times of day inside a range are ignored.
    ("3月8日8时—4月2日18时", d(3, 8), d(4, 2), "ok"),
    ("3月8日上午9点至4月2日17点", d(3, 8), d(4, 2), "ok"),
    ("7月5 日 14:30—16:00", d(7, 5), d(7, 5), "ok"),
    ("6月6日下午14：00开始", d(6, 6), d(6, 6), "ok"),
    ("6月6日起", d(6, 6), None, "ok"),
    ("7月6日 10:00——11：30", d(7, 6), d(7, 6), "ok"),
    # The second day inherits the month.
    ("3月2日—9日两天", d(3, 2), d(3, 9), "ok"),
    ("3月30—31日", d(3, 30), d(3, 31), "ok"),
    ("3月30—31", d(3, 30), d(3, 31), "ok"),
    ("4月中下旬", d(4, 11), d(4, 30), "ok"),
    ("4月上中旬", d(4, 1), d(4, 20), "ok"),
    # Spans of whole years.
    ("2021年至2025年", d(1, 1, 2021), d(12, 31, 2025), "ok"),
    ("2021—2025年", d(1, 1, 2021), d(12, 31, 2025), "ok"),
    ("2021-2022", d(1, 1, 2021), d(12, 31, 2022), "ok"),
    ("参加人数约2000人", None, None, "unparsed"),
    # 起/开始 … 至/到 … 止/结束 is a range; 自 may stand for 至 after 即日起.
    ("2022年3月起至2023年底", d(3, 1, 2022), d(12, 31, 2023), "ok"),
    ("4月8日开始，至6月30日结束", d(4, 8), d(6, 30), "ok"),
    ("自4月8日起至6月30日止", d(4, 8), d(6, 30), "ok"),
    ("即日起至12月30日止", D, d(12, 30), "ok"),
    ("即日起自12月30日止", D, d(12, 30), "ok"),
    ("即日起至11月30日前", D, d(11, 30), "ok"),
    ("即日起至6月30日前", None, None, "unparsed"),  # before the issue date: a misprint
    ("即日起长期有效", D, None, "ok"),
    ("2023年底", None, d(12, 31, 2023), "ok"),
    # 当年/本年/今年 = Y.
    ("当年5月", d(5, 1), d(5, 31), "ok"),
    ("本年度", d(1, 1), d(12, 31), "ok"),
    ("今年5月底前", None, d(5, 31), "ok"),
    # A leading phase label is ignored.
    ("第二期：6月3日-8日", d(6, 3), d(6, 8), "ok"),
    ("第一阶段：4月", d(4, 1), d(4, 30), "ok"),
    ("第三阶段:9月至10月", d(9, 1), d(10, 31), "ok"),
    # Dates that stand only inside a parenthesis are the value's dates.
    ("为期10天（2023年6月1日—6月10日）", d(6, 1, 2023), d(6, 10, 2023), "ok"),
    ("自发布之日起30天（2023年6月1日—6月30日）", d(6, 1, 2023), d(6, 30, 2023), "ok"),
    # Prose after the first time expression, and a second clause, are ignored.
    ("6月8日前交教务处。请各班于6月10日前完成", None, d(6, 8), "ok"),
    ("6月8日前交教务处；6月20日公布", None, d(6, 8), "ok"),
    ("各班于9月10日前上交", None, d(9, 10), "ok"),
    # Dates joined by / and lists whose items carry a group prefix are lists.
    ("6月8日/9日", d(6, 8), d(6, 9), "ok"),
    ("初一6月8日、初二6月9日", d(6, 8), d(6, 9), "ok"),
    ("高一9月1日，高二9月2日", d(9, 1), d(9, 2), "ok"),
    # Full numeric dates need a four-digit year.
    ("2017-02-20", d(2, 20, 2017), d(2, 20, 2017), "ok"),
    ("2017/10/01", d(10, 1, 2017), d(10, 1, 2017), "ok"),
    ("2017.10.1", d(10, 1, 2017), d(10, 1, 2017), "ok"),
    ("17.10.1", None, None, "unparsed"),
    ("2017/10/1—2017/10/3", d(10, 1, 2017), d(10, 3, 2017), "ok"),
    # A weekday next to a date is only a check.
    ("周一（5月18日）", d(5, 18), d(5, 18), "ok"),
    ("星期三(2016-12-21)", d(12, 21, 2016), d(12, 21, 2016), "ok"),
    ("周五 12月3日", d(12, 3), d(12, 3), "ok"),
    ("周日\n（9月22日）", d(9, 22), d(9, 22), "ok"),
    ("5月18日（星期一）下午", d(5, 18), d(5, 18), "ok"),
    ("每周一", None, None, "ongoing"),
    # A deadline that the value states before its date.
    ("作品征集截止时间为12月31日", None, d(12, 31), "ok"),
    ("截至6月3日", None, d(6, 3), "ok"),
    ("报名截止日期是3月1日，逾期不候", None, d(3, 1), "ok"),
    # School holidays and festivals are unparsed, never a guess.
    ("寒假", None, None, "unparsed"),
    ("暑假期间", None, None, "unparsed"),
    ("国庆期间", None, None, "unparsed"),
    ("春节前后", None, None, "unparsed"),
    ("2022年暑假", None, None, "unparsed"),
    ("2022年寒假期间每天", None, None, "unparsed"),
    ("五一假期", None, None, "unparsed"),
    ("国庆期间（10月1日-7日）", d(10, 1), d(10, 7), "ok"),
    # A day without a month and no context: unparsed.
    ("21日", None, None, "unparsed"),
]


@pytest.mark.parametrize(("raw", "start", "end", "status"), ROWS, ids=[r[0] for r in ROWS])
def test_spec_row(raw: str, start, end, status, rules) -> None:
    result = parse_time(raw, REF, rules)
    assert (result.start, result.end, result.status) == (start, end, status)


@pytest.mark.parametrize(
    ("raw", "label", "start", "end"),
    [
        ("12月31日", "截止时间", None, d(12, 31)),
        ("3月1日", "报名截止", None, d(3, 1)),
        ("3月1日", "截至日期", None, d(3, 1)),
        ("3月1日-3月5日", "报名截止时间", d(3, 1), d(3, 5)),
        ("12月31日", "活动时间", d(12, 31), d(12, 31)),
    ],
)
def test_a_deadline_label_makes_a_single_date_the_end(raw, label, start, end, rules) -> None:
    result = parse_time(raw, REF, rules, label=label)
    assert (result.start, result.end, result.status) == (start, end, "ok")


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("21日", d(10, 21), d(10, 21)),
        ("23日下午", d(10, 23), d(10, 23)),
        ("5日上午9：00—9：20", d(10, 5), d(10, 5)),
        ("5日—7日", d(10, 5), d(10, 7)),
        ("11月2日", d(11, 2), d(11, 2)),
    ],
)
def test_a_day_without_a_month_takes_the_context_month(raw, start, end, rules) -> None:
    result = parse_time(raw, REF, rules, context=d(10, 1))
    assert (result.start, result.end, result.status) == (start, end, "ok")


def test_context_year_follows_the_context_date(rules) -> None:
    result = parse_time("3日", REF, rules, context=dt.date(2025, 1, 9))
    assert (result.start, result.end) == (dt.date(2025, 1, 3), dt.date(2025, 1, 3))


def test_lines_of_a_list_give_each_other_their_month(rules) -> None:
    result = parse_time("10月5日上午\n6日下午", REF, rules)
    assert (result.start, result.end) == (d(10, 5), d(10, 6))


def test_issue_date_unknown_today_is_never_a_guess(rules) -> None:
    ref = Reference(year=Y)
    assert parse_time("即日起至12月31日", ref, rules) == TimeResult(None, d(12, 31), "ok")
    assert parse_time("即日起长期有效", ref, rules).start is None


@pytest.mark.parametrize(
    ("title", "span"),
    [
        ("2021学年第一学期期末工作行事历", (2021, 2022)),
        ("2021学年第二学期工作计划", (2021, 2022)),
        ("2020-2021学年校历", (2020, 2021)),
        ("2021年工作要点", None),
    ],
)
def test_school_year_in_the_title_is_a_two_year_reference(title, span, rules) -> None:
    assert reference_span(title, 2021 if span is None else span[0], rules) == span


def test_school_year_puts_january_in_the_second_year(rules) -> None:
    ref = Reference(year=2021, span=(2021, 2022))
    assert parse_time("1月13日前", ref, rules) == TimeResult(None, dt.date(2022, 1, 13), "ok")
    assert parse_time("12月24日", ref, rules).start == dt.date(2021, 12, 24)


def test_month_context_is_the_one_month_a_title_names(rules) -> None:
    ref = Reference(year=2017)
    assert month_context("2017年3月份工作安排", ref, rules) == dt.date(2017, 3, 1)
    assert month_context("下周（3.15-3.21）各学科主题研修活动通知", ref, rules) == dt.date(2017, 3, 1)
    assert month_context("3月至5月工作安排", ref, rules) is None
    assert month_context("2017年工作安排", ref, rules) is None
    assert month_context("工作安排", ref, rules) is None


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


def _tokens_one_by_one(text: str, time_rules: TimeRules) -> list[tuple[str, str]]:
    """The tokenizer written plainly: every pattern tried in order at every position."""
    from noticeparse.normalize.time import _TOKEN_ORDER

    patterns, _ = time_rules.token_scanner(_TOKEN_ORDER)
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        for name, pattern in patterns:
            m = pattern.match(text, pos)
            if m and m.end() > pos:
                out.append((name, m.group(0)))
                pos = m.end()
                break
        else:
            if out and out[-1][0] == "prose":
                out[-1] = ("prose", out[-1][1] + text[pos])
            else:
                out.append(("prose", text[pos]))
            pos += 1
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789年月日号至到-—~、,.:前起初中底旬上下午周星期本次当即截止 ", max_size=40))
def test_the_joined_token_pattern_finds_what_trying_each_pattern_finds(text: str) -> None:
    from noticeparse.normalize.time import _tokens

    time_rules = default_rules().time
    assert [(t.kind, t.value) for t in _tokens(text, time_rules)] == _tokens_one_by_one(text, time_rules)


def test_token_patterns_that_cannot_be_joined_are_tried_one_by_one() -> None:
    from noticeparse.normalize.time import _TOKEN_ORDER, _tokens

    data = default_rules().time.model_dump(by_alias=True)
    data["tokens"] = {k: (v.pattern if hasattr(v, "pattern") else v) for k, v in data["tokens"].items()}
    # A back-reference names a group: the patterns cannot stand side by side in one expression.
    data["tokens"]["moment"] = r"(?P<w>[早晚])(?P=w)上"
    data["periods"] = [{**p, "pattern": p["pattern"].pattern} for p in data["periods"]]
    time_rules = TimeRules.model_validate(data)
    assert time_rules.token_scanner(_TOKEN_ORDER)[1] is None
    assert [(t.kind, t.value) for t in _tokens("9月5日晚晚上", time_rules)] == [
        ("month", "9月"), ("day", "5日"), ("moment", "晚晚上"),
    ]
