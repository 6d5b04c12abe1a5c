"""Fuzzing: every text-level parser on arbitrary text, the extractors on mutated real files.

The only exceptions allowed are the project's own InputError family (for the
extractors); the text parsers must never raise. About 10,500 examples in all;
derandomized so that CI always runs the same ones; set NOTICEPARSE_FUZZ_RANDOM=1
to explore new ones locally.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticeparse.errors import InputError
from noticeparse.extract import extract_blocks, number_blocks
from noticeparse.models import Block, Source
from noticeparse.normalize import Reference, normalize_notice, parse_time, split_orgs
from noticeparse.records import tree_to_notice
from noticeparse.records.assignments import parse_assignments
from noticeparse.records.metadata import tree_to_metadata
from noticeparse.rules import default_rules
from noticeparse.structure import blocks_to_tree
from noticeparse.structure.labels import looks_like_time, match_heading, parse_field_line, parse_label_value

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
RULES = default_rules()

# Pieces of real notices, so that random text often looks like one.
TOKENS = [
    "一、", "二、", "十一、", "（一）", "(二)", "1.", "2．", "（3）", "①", "第一章", "第三条", "献礼一：",
    "活动时间", "活动地点", "牵头部门", "配合部门", "责任单位", "完成时限", "负责部门/负责人", "：", ":", "；",
    "，", "、", "。", "（", "）", "(", ")", "【", "】", "〔", "〕", "9月", "2024年", "12月31日", "上旬", "下旬",
    "年底前", "即日起", "至", "—", "-", "~", "次年", "第三季度", "全年", "二〇二四年九月十三日", "关于", "通知",
    "方案", "附件", "抄送", "发文字号", "国办发〔2018〕129号", "牵头", "负责", "配合", "指导", "会同", "等",
    "和", "及", "列第一位者为牵头单位，下同", "省商务厅", "各分局", "质监股", "全市", "\n", " ", "\u3000",
    "周一", "9:00", "上午", "每周", "长期", "序号", "工作任务", "内容",
]
text = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=24).map("".join)
lines = st.lists(text, max_size=30)
def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples, derandomize=not os.environ.get("NOTICEPARSE_FUZZ_RANDOM"), deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@fuzz(2000)
@given(text)
def test_label_recognisers(value: str) -> None:
    match_heading(value, RULES)
    parse_field_line(value, RULES)
    parse_label_value(value, RULES)
    looks_like_time(value, RULES)


@fuzz(2000)
@given(text, st.one_of(st.none(), st.integers(1900, 2100)), st.booleans())
def test_time_normaliser(value: str, year: int | None, spanned: bool) -> None:
    span = (year, year + 1) if year and spanned else None
    result = parse_time(value, Reference(year=year, span=span, issue_date=dt.date(2024, 9, 13)), RULES)
    assert result.status in ("ok", "ongoing", "unparsed")
    if result.start and result.end:
        assert result.start <= result.end


@fuzz(1000)
@given(text)
def test_unit_lists(value: str) -> None:
    assert all(name.strip() for name in split_orgs(value, RULES.orgs))


@fuzz(1000)
@given(text, st.sampled_from([None, "lead", "support", "responsible"]), st.booleans())
def test_responsibility_notes(value: str, cell: str | None, first_leads: bool) -> None:
    parse_assignments(value, RULES, cell=cell, first_leads=first_leads)  # type: ignore[arg-type]


def _blocks(texts: list[str]) -> list[Block]:
    return number_blocks([Block(index=i, text=t) for i, t in enumerate(t for t in texts if t.strip())])


@fuzz(2500)
@given(lines)
def test_whole_pipeline_and_metadata(texts: list[str]) -> None:
    tree = blocks_to_tree(_blocks(texts), RULES)
    tree_to_metadata(tree, RULES, {"title": "x", "issue_date": "2018年12月30日"})
    notice = tree_to_notice(tree, Source(path="f.txt", format="txt", sha256=""), RULES)
    normalize_notice(notice, RULES)


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        if out:
            out[position % len(out)] = value
    return bytes(out[:cut] if cut is not None else out)


edits = st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), max_size=40)
cuts = st.one_of(st.none(), st.integers(0, 200_000))
PAGE = (REAL / "032.aspx").read_bytes()


@fuzz(800)
@given(edits, cuts)
def test_html_extractor_on_mutated_pages(changes: list[tuple[int, int]], cut: int | None) -> None:
    try:
        extract_blocks(Path("page.aspx"), _mutate(PAGE, changes, cut), RULES)
    except InputError:
        pass


def _docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(REAL / "034.docx") as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("word/media/")}


PARTS = _docx_parts()


@fuzz(600)
@given(st.sampled_from(["word/document.xml", "word/numbering.xml", "word/styles.xml"]), edits, cuts)
def test_docx_extractor_on_mutated_parts(part: str, changes: list[tuple[int, int]], cut: int | None) -> None:
    files = dict(PARTS)
    files[part] = _mutate(files[part], changes, cut)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    try:
        extract_blocks(Path("mutated.docx"), buffer.getvalue(), RULES)
    except InputError:
        pass


PACKAGE = (REAL / "034.docx").read_bytes()


@fuzz(300)
@given(edits, cuts)
def test_docx_extractor_on_mutated_zip_bytes(changes: list[tuple[int, int]], cut: int | None) -> None:
    try:
        extract_blocks(Path("mutated.docx"), _mutate(PACKAGE, changes, cut), RULES)
    except InputError:
        pass


@fuzz(400)
@given(st.binary(max_size=400))
def test_text_decoder_on_arbitrary_bytes(data: bytes) -> None:
    try:
        extract_blocks(Path("any.txt"), data, RULES)
    except InputError:
        pass
