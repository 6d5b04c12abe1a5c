"""The Python API end to end, against the seed's hand-checked gold."""

from __future__ import annotations

import json

import noticeparse
from noticeparse.models import Notice
from tests.conftest import FIXTURES, SEED


def test_seed_matches_gold() -> None:
    gold = json.loads((FIXTURES / "seed-000.gold.json").read_text(encoding="utf-8"))
    notice = noticeparse.parse(SEED)
    doc = notice.model_dump(mode="json")
    for key, value in gold["notice"].items():
        assert doc["notice"][key] == value, key
    assert len(doc["activities"]) == len(gold["activities"])
    for got, want in zip(doc["activities"], gold["activities"], strict=True):
        for key, value in want.items():
            assert got[key] == value, (want["title"], key)


def test_gb18030_rendering_gives_the_same_records() -> None:
    utf8 = noticeparse.parse(SEED)
    gb = noticeparse.parse(FIXTURES / "seed-000.gb18030.txt")
    assert gb.source.encoding == "gb18030"
    strip = [(a.title, a.time, a.lead, a.support) for a in utf8.activities]
    assert [(a.title, a.time, a.lead, a.support) for a in gb.activities] == strip


def test_json_round_trip() -> None:
    notice = noticeparse.parse(SEED)
    assert Notice.model_validate_json(notice.model_dump_json()) == notice


def test_record_source_offsets_point_into_the_text() -> None:
    notice = noticeparse.parse(SEED)
    lines = [s.strip() for s in SEED.read_text(encoding="utf-8").splitlines() if s.strip()][2:]
    text = "\n".join(lines[:-2])  # chrome lines dropped: 相关解读/相关文件 and the footer
    act = notice.activities[0]
    assert text[act.source.char_start : act.source.char_end].startswith("(一)举办共青城市")


def test_public_names() -> None:
    assert noticeparse.__all__ == sorted(noticeparse.__all__)
    assert set(noticeparse.__all__) <= set(dir(noticeparse))
    for name in noticeparse.__all__:
        assert getattr(noticeparse, name) is not None


def test_extract_function_is_not_shadowed_by_the_stage_package() -> None:
    noticeparse.parse(SEED)  # loads noticeparse.extract.txt on first use
    assert callable(noticeparse.extract)
