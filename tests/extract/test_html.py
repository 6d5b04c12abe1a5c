"""Web-page extraction: charset, body, chrome, paragraphs, tables, page metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import noticeparse
from noticeparse.errors import InputError
from noticeparse.extract import extract_blocks
from noticeparse.rules import Rules
from tests.conftest import FIXTURES


def page(body: str, head: str = "", outside: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}<title>站点标题--某某学校</title></head>"
        f"<body><div class='nav'><a href='/'>首页</a> 学校公告</div>{outside}"
        f"<div class='conTxt'>{body}</div>"
        "<div class='footer'>版权所有 浙公网安备 33060202000123号</div>"
        "<script>var x = '活动时间：9月';</script></body></html>"
    )


def texts(data: str | bytes, rules: Rules, name: str = "a.html") -> list[str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return [b.text for b in extract_blocks(Path(name), raw, rules).blocks]


def test_body_only_without_navigation_footer_or_script(rules: Rules) -> None:
    got = texts(page("<p>一、活动时间</p><p>9月1日</p>"), rules)
    assert got == ["一、活动时间", "9月1日"]


def test_paragraph_boundaries_from_p_br_div_and_headings(rules: Rules) -> None:
    body = "<p>第一段<span>接着</span></p>甲<br>乙<div>丙<b>丁</b></div><h3>标题</h3>"
    assert texts(page(body), rules) == ["第一段接着", "甲", "乙", "丙丁", "标题"]


def test_whitespace_source_line_breaks_and_nbsp(rules: Rules) -> None:
    body = "<p>三、活动时间&nbsp;&nbsp;2017年3月27日</p><p>活动\n  内容</p><p>Co.,\n Ltd.</p>"
    assert texts(page(body), rules) == ["三、活动时间 2017年3月27日", "活动内容", "Co., Ltd."]


def test_pasted_line_breaks_with_indent_start_paragraphs(rules: Rules) -> None:
    body = "<p>全体师生：\n \xa0 \xa0 \xa0 经研究，现发布。\n</p>"
    assert texts(page(body), rules) == ["全体师生：", "经研究，现发布。"]


def test_a_span_holding_only_a_line_break_splits_lines(rules: Rules) -> None:
    body = "<p><span>德育处、团委</span><span>\n</span><span>2022年4月25日</span></p>"
    assert texts(page(body), rules) == ["德育处、团委", "2022年4月25日"]


def test_hidden_elements_and_chrome_lines_are_dropped(rules: Rules) -> None:
    body = "<p style='display: none'>隐藏</p><p>正文</p><p>【打印本页】</p><p hidden>也隐藏</p>"
    assert texts(page(body), rules) == ["正文"]


def test_ordered_lists_render_their_numbers(rules: Rules) -> None:
    body = "<ol><li>甲</li><li>乙</li></ol><ol type='a' start='2'><li>丙</li></ol>"
    assert texts(page(body), rules) == ["1.甲", "2.乙", "b.丙"]


@pytest.mark.parametrize("encoding", ["gb2312", "gbk", "gb18030"])
def test_declared_chinese_charsets(encoding: str, rules: Rules) -> None:
    html = page("<p>各区、县（市）教体局：</p>").replace("charset='utf-8'", f"charset={encoding}")
    ex = extract_blocks(Path("a.htm"), html.encode("gb18030"), rules)
    assert ex.encoding == "gb18030"
    assert [b.text for b in ex.blocks] == ["各区、县（市）教体局："]


def test_a_wrong_declaration_falls_back_to_detection(rules: Rules) -> None:
    html = page("<p>通知正文内容</p>")  # declares UTF-8, stored as GB18030 below
    ex = extract_blocks(Path("a.htm"), html.encode("gb18030"), rules)
    assert [b.text for b in ex.blocks] == ["通知正文内容"]


def test_detected_by_content_whatever_the_name(rules: Rules) -> None:
    ex = extract_blocks(Path("notice.txt"), page("<p>正文</p>").encode(), rules)
    assert ex.format == "html"


def test_body_by_id_for_gov_cn_pages(rules: Rules) -> None:
    html = "<html><body><table><tr><td id='UCAP-CONTENT'><p>正文一</p><p>正文二</p></td></tr></table></body></html>"
    assert texts(html, rules) == ["正文一", "正文二"]


def test_body_by_text_density_without_a_known_container(rules: Rules) -> None:
    html = (
        "<html><body><div><a>首页</a><a>新闻</a></div>"
        "<div id='x'><p>第一段较长的正文内容在这里。</p><p>第二段较长的正文内容在这里。</p>"
        "<p>第三段较长的正文内容在这里。</p></div><div>友情链接</div></body></html>"
    )
    assert texts(html, rules)[0] == "第一段较长的正文内容在这里。"
    assert "友情链接" not in texts(html, rules)


def test_data_table_with_merged_cells(rules: Rules) -> None:
    body = (
        "<table><tr><td colspan='3'>一周安排</td></tr>"
        "<tr><th>星期</th><th>工作内容</th><th>牵头部门</th></tr>"
        "<tr><td rowspan='2'>周一<br>（9月23日）</td><td>升旗仪式</td><td>德育处</td></tr>"
        "<tr><td>劳动大扫除</td><td rowspan='2'>总务处</td></tr>"
        "<tr><td>周二</td><td>教研会议</td></tr></table>"
    )
    ex = extract_blocks(Path("a.html"), page(body).encode(), rules)
    [table] = ex.blocks
    assert table.kind == "table"
    assert table.cells == [
        ["一周安排", "一周安排", "一周安排"],
        ["星期", "工作内容", "牵头部门"],
        ["周一\n（9月23日）", "升旗仪式", "德育处"],
        ["周一\n（9月23日）", "劳动大扫除", "总务处"],
        ["周二", "教研会议", "总务处"],
    ]


def test_layout_tables_are_read_as_paragraphs(rules: Rules) -> None:
    body = "<table><tr><td><p>2021年消防演练方案</p></td></tr></table><p>一、组织领导</p>"
    ex = extract_blocks(Path("a.html"), page(body).encode(), rules)
    assert [(b.kind, b.text) for b in ex.blocks] == [("paragraph", "2021年消防演练方案"), ("paragraph", "一、组织领导")]


def test_nested_layout_tables_are_read_once_per_level(rules: Rules) -> None:
    depth = 60  # read twice per level this would take 2**60 steps
    html = "<html><body>" + "<table><tr><td>" * depth + "<p>深处的正文</p>" + "</td></tr></table>" * depth
    assert texts(html, rules) == ["深处的正文"]


def test_gov_cn_metadata_table_and_headline(rules: Rules) -> None:
    outside = (
        "<table><tr><td><b>发文机关：</b></td><td>国务院办公厅</td><td><b>成文日期：</b></td><td>2018年12月30日</td></tr>"
        "<tr><td><b>标　　题：</b></td><td colspan='3'>国务院办公厅关于开展消费扶贫的指导意见</td></tr>"
        "<tr><td><b>发文字号：</b></td><td>国办发〔2018〕129号</td><td><b>发布日期：</b></td><td>2019年01月14日</td></tr></table>"
        "<h2 class='title'>转发  关于开展消费扶贫的指导意见</h2>"
    )
    ex = extract_blocks(Path("a.html"), page("<p>正文</p>", outside=outside).encode(), rules)
    assert ex.page_meta == {
        "issuer": "国务院办公厅",
        "issue_date": "2018年12月30日",
        "title": "国务院办公厅关于开展消费扶贫的指导意见",
        "doc_number": "国办发〔2018〕129号",
        "headline": "转发 关于开展消费扶贫的指导意见",
    }


def test_page_metadata_fills_what_the_body_does_not_print(tmp_path: Path) -> None:
    outside = (
        "<table><tr><td>发文机关：</td><td>国务院办公厅</td><td>成文日期：</td><td>2018年12月30日</td></tr>"
        "<tr><td>发文字号：</td><td>国办发[2018]129号</td></tr></table><h1>某某活动安排</h1>"
    )
    path = tmp_path / "p.html"
    path.write_text(page("<p>一、活动时间：2019年1月5日</p>", outside=outside), encoding="utf-8")
    notice = noticeparse.parse(path).notice
    assert notice.title == "某某活动安排"
    assert notice.issuer == "国务院办公厅"
    assert notice.doc_number == "国办发〔2018〕129号"
    assert str(notice.issue_date) == "2018-12-30"


def test_the_body_title_wins_over_the_headline(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    body = "<p>关于开展安全教育活动的通知</p><p>各学校：</p><p>二、活动时间</p><p>2022年2月17日—3月20日</p>"
    path.write_text(page(body, outside="<h2>转发 关于开展安全教育活动的通知</h2>"), encoding="utf-8")
    doc = noticeparse.parse(path)
    assert doc.notice.title == "关于开展安全教育活动的通知"
    assert doc.notice.recipients == ["各学校"]
    assert doc.activities[0].time is not None and str(doc.activities[0].time.end) == "2022-03-20"


def test_a_reply_without_assignments_gives_no_records_and_no_warnings(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    body = (
        "<p>国务院关于同意建立部际联席会议制度的批复</p><p>教育部：</p>"
        "<p>一、同意建立联席会议制度。联席会议由教育部牵头，不刻制印章。</p>"
        "<p>二、联席会议要按照党中央、国务院决策部署开展工作。</p><p>国务院</p><p>2018年11月20日</p>"
    )
    path.write_text(page(body), encoding="utf-8")
    doc = noticeparse.parse(path)
    assert doc.activities == []
    assert doc.warnings == []
    assert doc.notice.issuer == "国务院"


def test_an_empty_page_warns_no_text(rules: Rules) -> None:
    ex = extract_blocks(Path("a.html"), b"<html><body><script>x()</script></body></html>", rules)
    assert ex.blocks == []
    assert [w.code for w in ex.warnings] == ["no_text"]


def test_real_page_chrome_is_not_in_the_blocks(rules: Rules) -> None:
    path = FIXTURES / "real" / "024.aspx"
    got = texts(path.read_bytes(), rules, path.name)
    assert got[0].startswith("关于组织开展2022年中小学生")
    assert not any("发布时间" in t or "点击数" in t or "进入后台编辑" in t for t in got)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("<>/=' \"\n\xa0abdiptrhl一二、：（）&;#") + ["<p>", "<td>", "<table>", "<br>"])))
def test_arbitrary_markup_never_crashes(pieces: list[str]) -> None:
    fragment = "".join(pieces)
    rules = noticeparse.rules.default_rules()
    try:
        extract_blocks(Path("a.html"), ("<html><body>" + fragment).encode(), rules)
    except InputError:
        pass


def test_headings_in_the_body_are_marked(rules: Rules) -> None:
    raw = page("<p>活动共两天。</p><h3>第一天</h3><p>时间：10月1日</p>").encode()
    got = [(b.text, b.marked, b.level_hint) for b in extract_blocks(Path("a.html"), raw, rules).blocks]
    assert got == [("活动共两天。", False, None), ("第一天", True, 3), ("时间：10月1日", False, None)]


@pytest.mark.parametrize(
    ("outside", "published"),
    [
        ("<div class='info'>发布时间：2019年09月23日 点击数：12</div>", "2019年09月23"),
        ("<span>发布日期:</span><span>2020-03-05</span>", "2020-03-05"),
        ("<a title='发表时间：2026年08月12日'>链接</a>", None),  # an attribute is no printed date
        ("<div>点击数：12</div>", None),
    ],
)
def test_the_pages_publication_date(outside: str, published: str | None, rules: Rules) -> None:
    meta = extract_blocks(Path("a.html"), page("<p>正文。</p>", outside=outside).encode(), rules).page_meta
    assert meta.get("published") == published


def test_a_publication_date_inside_the_body_is_not_the_pages(rules: Rules) -> None:
    raw = page("<p>发布时间：2019年09月23日</p><p>正文。</p>").encode()
    assert "published" not in extract_blocks(Path("a.html"), raw, rules).page_meta


def test_a_soft_break_splits_body_lines_but_not_a_cells_paragraph(rules: Rules) -> None:
    body = (
        "<p><span>德育处</span><span>\n</span><span>2022年4月25日</span></p>"
        "<table><tr><td>日期</td><td>内容</td></tr>"
        "<tr><td>1月5日</td><td><p><span>高一停课；</span><span>\n</span><span>高二复习</span></p></td></tr>"
        "<tr><td>1月6日</td><td><p>考试</p></td></tr></table>"
    )
    found = extract_blocks(Path("a.html"), page(body).encode(), rules).blocks
    assert [b.text for b in found if b.kind == "paragraph"] == ["德育处", "2022年4月25日"]
    grid = next(b.cells for b in found if b.kind == "table")
    assert grid[1][1] == "高一停课； 高二复习"


def test_an_anchor_named_like_a_body_id_does_not_hide_the_body(rules: Rules) -> None:
    # libxml2 files <a name> in the same table as ids: the id must still be found.
    html = (
        "<html><body><a name='zoom'></a><div>导航 首页</div>"
        "<div id='zoom'><p>正文第一段。</p><p>正文第二段。</p></div></body></html>"
    )
    assert texts(html, rules) == ["正文第一段。", "正文第二段。"]


def test_the_first_of_duplicate_body_ids_holding_text(rules: Rules) -> None:
    html = (
        "<html><body><div id='UCAP-CONTENT'> </div><div id='UCAP-CONTENT'><p>第二个</p></div>"
        "<div id='zoom'><p>内容</p></div></body></html>"
    )
    # The first element of an id is the one asked; empty, the next known id is tried.
    assert texts(html, rules) == ["内容"]


@pytest.mark.parametrize(
    ("classes", "found"),
    [("main\tconTxt", True), ("main conTxt\n", True), ("main\u3000conTxt", False), ("conTxtx", False)],
)
def test_body_class_tokens_are_split_on_ascii_white_space(classes: str, found: bool, rules: Rules) -> None:
    html = (
        "<html><body><div>很长的一段导航文字，比正文还要长很多很多很多很多很多很多。</div>"
        f"<div class='{classes}'><p>正文。</p></div></body></html>"
    )
    assert (texts(html, rules) == ["正文。"]) is found


def test_the_longest_element_of_a_body_class_wins(rules: Rules) -> None:
    html = (
        "<html><body><div class='conTxt'><p>短</p></div>"
        "<div class='conTxt'><p>较长的正文段落。</p></div></body></html>"
    )
    assert texts(html, rules) == ["较长的正文段落。"]


def test_a_data_cells_paragraphs_are_read_whatever_its_markup(rules: Rules) -> None:
    body = (
        "<table><tr><td>日期</td><td>内容</td></tr>"
        "<tr><td>1月5日</td><td>第一项\n\u3000\u3000第二项</td></tr>"
        "<tr><td>1月6日</td><td><p>考试</p><p>阅卷</p></td></tr>"
        "<tr><td>1月7日</td><td><span style='display:none'>隐藏</span>放假</td></tr></table>"
    )
    grid = next(b.cells for b in extract_blocks(Path("a.html"), page(body).encode(), rules).blocks if b.kind == "table")
    assert grid[1:] == [["1月5日", "第一项\n第二项"], ["1月6日", "考试\n阅卷"], ["1月7日", "放假"]]


def test_the_headline_is_the_last_one_before_the_body(rules: Rules) -> None:
    outside = "<h1>学校网站</h1><h2>关于开展活动的通知</h2>"
    raw = page("<h2>正文里的小标题</h2><p>正文。</p>", outside=outside).encode()
    assert extract_blocks(Path("a.html"), raw, rules).page_meta["headline"] == "关于开展活动的通知"
