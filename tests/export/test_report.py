"""The HTML report, the 责任分工 sheet and tasks-csv: what they hold, read back from the HTML."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lxml.html
from click.testing import CliRunner

import noticeparse
from noticeparse.cli import cli
from noticeparse.export.table import assignments
from tests.conftest import SEED

HOSTILE = """关于举办<script>alert(1)</script>"onload="x()活动的通知

各单位：

一、开展<img src=x onerror=alert(2)>宣传活动
活动时间：2024年3月1日
牵头单位：宣传部"><script>alert(3)</script>
配合单位：团委

二、组织培训
活动时间：另行通知
牵头单位：人事处

共青城市市场监督管理局
2024年2月1日
"""


def _dom(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def _report(*inputs: object, **kwargs: object) -> str:
    result = noticeparse.report(list(inputs), None, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result.output, str)
    return result.output


def test_every_activity_has_a_bar_or_an_undated_entry_and_a_card() -> None:
    notice = noticeparse.parse(SEED)
    dom = _dom(_report(notice))
    for act in notice.activities:
        marks = dom.xpath(f'//svg//*[@data-activity="{act.id}"]'
                          f' | //div[@class="undated"]//*[@data-activity="{act.id}"]')
        assert len(marks) == 1, act.id
        assert len(dom.xpath(f'//article[@data-activity="{act.id}"]')) == 1
    assert len(dom.xpath("//svg[@class='timeline']//g[@class='bar']")) == sum(1 for a in notice.activities if a.time)


def test_the_matrix_has_one_cell_per_assignment_and_the_counts() -> None:
    notice = noticeparse.parse(SEED)
    dom = _dom(_report(notice))
    expected = {(unit, act.id, role) for act in notice.activities for unit, role in assignments(act)}
    cells = {(td.get("data-unit"), td.get("data-activity"), td.get("class").split()[-1])
             for td in dom.xpath("//table[@class='matrix']//td[@data-unit]")}
    assert cells == expected
    assert len(dom.xpath("//table[@class='matrix']//td[@data-unit]")) == len(expected)
    assert {td.text for td in dom.xpath("//table[@class='matrix']//td[@data-unit]")} == {"牵头", "配合"}


def test_the_highlighted_span_is_the_records_source_text() -> None:
    notice = noticeparse.parse(SEED)
    assert notice.text is not None
    dom = _dom(_report(notice))
    for act in notice.activities:
        mark = dom.xpath(f'//article[@data-activity="{act.id}"]//mark')[0]
        assert mark.text_content() == notice.text[act.source.char_start:act.source.char_end]


def test_a_report_from_saved_json_reads_the_source_text_again(tmp_path: Path) -> None:
    saved = tmp_path / "notices.jsonl"
    noticeparse.extract([SEED], format="jsonl", output=saved)
    notice = noticeparse.parse(SEED)
    dom = _dom(_report(saved))
    act = notice.activities[3]
    mark = dom.xpath(f'//article[@data-activity="{act.id}"]//mark')[0]
    assert mark.text_content() == notice.text[act.source.char_start:act.source.char_end]  # type: ignore[index]
    # The file changed since: its records are shown without a source that no longer matches.
    copy = tmp_path / "seed.txt"
    copy.write_bytes(SEED.read_bytes())
    noticeparse.extract([copy], format="jsonl", output=saved)
    copy.write_text("另一份文件", encoding="utf-8")
    dom = _dom(_report(saved))
    assert not dom.xpath("//mark") and len(dom.xpath("//article")) == 12


def test_untrusted_titles_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    notice = noticeparse.parse(path)
    assert "<script>" in (notice.notice.title or "") and len(notice.activities) == 2
    html = _report(notice)
    dom = _dom(html)
    assert not dom.xpath("//script | //img | //iframe")
    assert not [el for el in dom.iter() if isinstance(el.tag, str) and any(a.startswith("on") for a in el.attrib)]
    assert dom.xpath("//h2")[0].text_content() == notice.notice.title  # shown as text, whole
    assert "&lt;script&gt;" in html and "&#34;onload=" in html


def test_the_page_fetches_nothing() -> None:
    dom = _dom(_report(noticeparse.parse(SEED)))
    assert not dom.xpath("//script | //link[@rel='stylesheet'] | //img | //iframe | //object")
    links = [el.get("href") for el in dom.xpath("//*[@href]")]
    assert all(h.startswith(("#", "data:")) for h in links), links
    assert not dom.xpath("//*[@src]")


def test_english_labels_and_a_summary_for_several(tmp_path: Path) -> None:
    other = tmp_path / "hostile.txt"
    other.write_text(HOSTILE, encoding="utf-8")
    html = _report(SEED, other, tmp_path / "missing.txt", labels="en")
    dom = _dom(html)
    assert dom.get("lang") == "en"
    assert dom.xpath("//section[@id='summary']//h2")[0].text == "Summary"
    counts = {b.get("data-count"): int(b.text) for b in dom.xpath("//b[@data-count]")}
    assert counts == {"documents": 3, "records": 14, "failures": 1, "without_records": 0}
    assert "missing.txt" in dom.xpath("//table[@class='failures']")[0].text_content()
    assert dom.xpath("//svg[@class='histogram']//g[@data-month='2024-09']")


def test_cli_report_writes_the_page_and_reports_failures(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", str(SEED), str(tmp_path / "nope.txt"), "-o", str(out)])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.output
    dom = _dom(out.read_text(encoding="utf-8"))
    assert len(dom.xpath("//article[@class='card']")) == 12


def test_xlsx_has_the_assignments_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    notice = noticeparse.parse(SEED)
    expected = [(unit, role) for act in notice.activities for unit, role in assignments(act)]
    for labels, sheet, lead in (("zh", "责任分工", "牵头"), ("en", "assignments", "lead")):
        out = tmp_path / f"{labels}.xlsx"
        noticeparse.extract([SEED], format="xlsx", output=out, labels=labels)  # type: ignore[arg-type]
        rows = list(load_workbook(out)[sheet].values)
        assert len(rows) == 1 + len(expected)
        assert rows[1][:3] == (notice.activities[0].lead[0], lead, notice.activities[0].title)


def test_tasks_csv_is_one_row_per_unit_and_activity() -> None:
    notice = noticeparse.parse(SEED)
    text = noticeparse.extract([SEED], format="tasks-csv", labels="zh").output
    assert isinstance(text, str) and text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["单位", "职责", "标题", "开始日期", "结束日期", "通知标题", "来源文件"]
    assert len(rows) - 1 == sum(len(assignments(a)) for a in notice.activities)
    first = notice.activities[0]
    assert rows[1] == [first.lead[0], "牵头", first.title, str(first.time.start), str(first.time.end),  # type: ignore[union-attr]
                       notice.notice.title, notice.source.path]


def test_batch_writes_the_report_and_tasks(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.txt").write_text(HOSTILE, encoding="utf-8")
    (folder / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    result = noticeparse.batch([folder], tmp_path / "out", formats=["html", "tasks-csv"], jobs=1, progress=False)
    assert result.ok == 2 and result.failed == 1
    dom = _dom((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    assert len(dom.xpath("//article[@class='card']")) == 14
    assert len(dom.xpath("//mark")) == 14  # the batch read its inputs again for the source text
    assert "c.pdf" in dom.xpath("//table[@class='failures']")[0].text_content()
    lines = (tmp_path / "out" / "notices.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["source"]["path"].rsplit("/", 1)[-1] for line in lines} == {"a.txt", "b.txt"}
    parsed = [noticeparse.Notice.model_validate_json(line) for line in lines]
    expected = sum(len(assignments(a)) for n in parsed for a in n.activities)
    assert (tmp_path / "out" / "tasks.csv").read_text(encoding="utf-8-sig").count("\n") == 1 + expected


def _made(titles: list[str], days: list[tuple[int, int]]) -> noticeparse.Notice:
    import datetime as dt

    from noticeparse.models import Activity, NoticeMeta, Source, TimeValue

    base = dt.date(2024, 1, 1)
    acts = []
    for k, (title, (a, b)) in enumerate(zip(titles, days, strict=False)):
        start, end = base + dt.timedelta(min(a, b)), base + dt.timedelta(max(a, b))
        time = TimeValue(label="时间", raw=title, start=start if a % 3 else None, end=end) if a % 5 else None
        acts.append(Activity(id=str(k + 1), heading=None, title=title, time=time, lead=[title[:4] or "甲"],
                             support=[f"{title[-3:]}部"]))
    return noticeparse.Notice(source=Source(path="x.txt", format="txt", sha256="0"),
                              notice=NoticeMeta(title=titles[0] if titles else None), activities=acts)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Titles as the pipeline hands them over: no control characters (an HTML parser reads CR as LF).
TITLES = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(str.strip)


@settings(max_examples=25, deadline=None)
@given(st.lists(TITLES, min_size=1, max_size=8),
       st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 2000)), min_size=8, max_size=8))
def test_any_titles_and_dates_render_as_their_own_text(titles: list[str], days: list[tuple[int, int]]) -> None:
    notice = _made(titles, days)
    dom = _dom(_report(notice, labels="en"))
    assert not dom.xpath("//script | //img | //iframe")
    for act in notice.activities:
        card = dom.xpath(f'//article[@data-activity="{act.id}"]')[0]
        assert card.xpath(".//h4")[0].text_content() == act.title
        drawn = dom.xpath(f'//svg//*[@data-activity="{act.id}"]'
                          f' | //div[@class="undated"]//*[@data-activity="{act.id}"]')
        assert len(drawn) == 1
