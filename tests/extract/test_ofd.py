"""OFD (GB/T 33190): real files from a public test suite (tests/fixtures/ofd, SOURCES.tsv) and
files written from the seed by tests/fixtures/make_ofd.py."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

import noticeparse
from noticeparse.errors import CorruptFile, LimitExceeded, NoTextLayer
from noticeparse.extract import extract_blocks
from noticeparse.extract.ofd import deltas
from noticeparse.rules import Rules
from tests.conftest import FIXTURES, SEED
from tests.fixtures import make_ofd

OFD = FIXTURES / "ofd"


def norm(value: object) -> object:
    if isinstance(value, list):
        return sorted(norm(v) for v in value)
    return "".join(unicodedata.normalize("NFKC", str(value)).split()) if value is not None else None


def texts(path: Path, rules: Rules) -> list[str]:
    return [b.text for b in extract_blocks(path, path.read_bytes(), rules).blocks]


def test_the_pifu_matches_its_gold() -> None:
    gold = json.loads((OFD / "ofd-n.gold.json").read_text(encoding="utf-8"))
    doc = noticeparse.parse(OFD / "n.ofd")
    for key, want in gold["notice"].items():
        got = getattr(doc.notice, key)
        assert norm(str(got) if key == "issue_date" else got) == norm(want), key
    assert doc.activities == [] and doc.source.format == "ofd" and doc.source.pages == 2
    assert doc.source.notes == ["1 electronic signature (seals are images, not text)"]


def _in_order(found: list[str], wanted: list[str]) -> bool:
    """Each wanted text is found after the one before it."""
    text, at = "\n".join(found), 0
    for want in wanted:
        at = text.find(want, at)
        if at < 0:
            return False
        at += len(want)
    return True


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("n.ofd", ["测试符路桥区卫生局文件", "路卫发〔2011〕76号", "关于同意张阿三同志辞职的批复", "区中医院：",
                   "2011年3月10日"]),
        ("testPathFillOpacity.ofd", ["关于加快南货场铁路涵洞下穿建设的函", "蚌山区政府：",
                                     "请你区政府尽快落实南货场铁路涵洞下穿建设方案", "此函。", "2023年7月12日"]),
        ("signout.ofd", ["XX市政府文件处理", "来文文号\t府办专督〔2020〕24号",
                         "公文标题\t市委主要领导同志调研后续落实事项的通知",
                         "拟办意见\t1、呈小明、张三、国伟、李四同志阅示；2、呈王五同志阅处；"]),
        ("path_unstd.ofd", ["立案决定书", "根据《中华人民共和国刑事诉讼法》第", "（存根）", "案件名称"]),
        ("y.ofd", ["专题·数字档案室建设与实践", "数字档案室建设是《关于加强和改进新形势下档案工作的意见》",
                   "当前，随着信息技术的飞速发", "成为全国首家获此称号的机关档案室。", "三大趋势，迎来机遇"]),
    ],
)
def test_real_samples_yield_their_text_in_reading_order(name: str, lines: list[str], rules: Rules) -> None:
    found = texts(OFD / name, rules)
    assert _in_order(found, lines), found[:40]


def test_text_drawn_as_paths_has_no_text_layer(rules: Rules) -> None:
    path = OFD / "h.ofd"
    with pytest.raises(NoTextLayer, match="draws its text as paths"):
        extract_blocks(path, path.read_bytes(), rules)


def _key(notice: noticeparse.Notice) -> list[tuple]:
    return [(norm(a.title), norm(a.time.raw if a.time else None), a.time.start if a.time else None,
             norm(a.location), norm(a.lead), norm(a.support)) for a in notice.activities]


def test_the_seed_as_ofd_gives_its_twins_records(tmp_path: Path) -> None:
    path = tmp_path / "seed.ofd"
    path.write_bytes(make_ofd.seed_ofd())
    ofd, txt = noticeparse.parse(path), noticeparse.parse(SEED)
    assert len(ofd.activities) == 12
    assert _key(ofd) == _key(txt)
    assert ofd.notice.model_dump() == txt.notice.model_dump()
    assert ofd.source.pages >= 2


def test_the_gold_of_the_seed_is_met(tmp_path: Path) -> None:
    gold = json.loads((FIXTURES / "seed-000.gold.json").read_text(encoding="utf-8"))
    path = tmp_path / "seed.ofd"
    path.write_bytes(make_ofd.seed_ofd())
    doc = noticeparse.parse(path)
    assert [norm(a.title) for a in doc.activities] == [norm(a["title"]) for a in gold["activities"]]


def test_entities_are_never_resolved(tmp_path: Path) -> None:
    path = tmp_path / "entity.ofd"
    path.write_bytes(make_ofd.with_entity())
    doc = noticeparse.parse(path)
    assert "root:" not in doc.model_dump_json()


def test_a_composite_unit_that_includes_itself_ends(tmp_path: Path) -> None:
    path = tmp_path / "loop.ofd"
    path.write_bytes(make_ofd.self_including())
    assert [a.time.raw for a in noticeparse.parse(path).activities if a.time] == ["9月"]


def test_parts_named_with_backslashes_and_capitals(tmp_path: Path) -> None:
    path = tmp_path / "odd.ofd"
    path.write_bytes(make_ofd.odd_names())
    assert noticeparse.parse(path).notice.title == "关于开展活动的通知"


def test_broken_packages_are_one_line_errors(tmp_path: Path, rules: Rules) -> None:
    import io
    import zipfile

    damaged = tmp_path / "damaged.ofd"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CorruptFile):
        noticeparse.parse(damaged)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>'
                              "Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    missing = tmp_path / "missing.ofd"
    missing.write_bytes(buffer.getvalue())
    with pytest.raises(CorruptFile, match="part .* missing"):
        noticeparse.parse(missing)
    seed = tmp_path / "seed.ofd"
    seed.write_bytes(make_ofd.seed_ofd())
    with pytest.raises(LimitExceeded):
        noticeparse.parse(seed, max_unzipped=1000)


def test_an_ofd_is_recognised_by_content_under_any_name(tmp_path: Path) -> None:
    path = tmp_path / "notice.bin"
    path.write_bytes(make_ofd.seed_ofd())
    assert noticeparse.parse(path).source.format == "ofd"


@pytest.mark.parametrize(
    ("text", "count", "want"),
    [("1 2 3", 4, [1, 2, 3]), ("g 3 5.5", 4, [5.5, 5.5, 5.5]), ("g 2 1 3", 4, [1, 1, 3]), ("", 3, [0.0, 0.0]),
     ("x g 9", 2, [9.0])],
)
def test_delta_shorthand(text: str, count: int, want: list[float]) -> None:
    assert deltas(text, count) == want


def test_a_ruled_form_is_read_as_a_table_with_merged_cells_repeated(rules: Rules) -> None:
    path = OFD / "signout.ofd"
    [table] = [b for b in extract_blocks(path, path.read_bytes(), rules).blocks if b.kind == "table"]
    grid = table.cells or []
    assert grid[0][:2] == ["来文文号", "府办专督〔2020〕24号"]
    assert grid[0][1] == grid[0][2]  # a cell merged over two grid columns repeats
    assert grid[4] == ["紧急程度", "常规", "公开方式", "公开方式", "不公开", "不公开", "公文处理类型", "签阅"]


def test_the_table_seed_as_ofd_gives_its_twins_records(tmp_path: Path, rules: Rules) -> None:
    twin = FIXTURES.parents[1].parent / "shared" / "corpus" / "fixtures" / "notice_table_1x.docx"
    if not twin.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    blocks = extract_blocks(twin, twin.read_bytes(), rules).blocks
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    [grid] = [b.cells for b in blocks if b.kind == "table"]
    path = tmp_path / "table.ofd"
    path.write_bytes(make_ofd.table_ofd(paragraphs, grid or [], [10, 45, 18, 18, 22, 40]))
    ofd, docx = noticeparse.parse(path), noticeparse.parse(twin)
    assert len(ofd.activities) == len(docx.activities) == 24
    assert _key(ofd) == _key(docx)
    assert ofd.notice.model_dump() == docx.notice.model_dump()
