"""Real documents from public archives against their hand-checked gold (copies of ../shared/corpus/dev).

Values are compared as the scorer does: NFKC, whitespace removed; unit lists as
multisets. Every gold key must match, and no record may be missing or extra.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import noticeparse
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"
GOLDS = sorted(REAL.glob("*.gold.json"))


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return Counter(_norm(v) for v in value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if value is None:
        return None
    return "".join(unicodedata.normalize("NFKC", str(value)).split()) or None


def _cases() -> list[tuple[Path, Path]]:
    cases = []
    for gold in GOLDS:
        for name in json.loads(gold.read_text(encoding="utf-8"))["inputs"]:
            cases.append((gold, REAL / name))
    return cases


@pytest.mark.parametrize(("gold_path", "path"), _cases(), ids=lambda p: p.name)
def test_real_document_matches_gold(gold_path: Path, path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc = noticeparse.parse(path).model_dump(mode="json")
    for key, want in gold["notice"].items():
        assert _norm(doc["notice"][key]) == _norm(want), f"notice.{key}"
    got_titles = [a["title"] for a in doc["activities"]]
    assert len(got_titles) == len(gold["activities"]), got_titles
    for got, want in zip(doc["activities"], gold["activities"], strict=True):
        for key, value in want.items():
            if key == "time" and value is not None:
                for part in ("raw", "start", "end"):
                    assert _norm(got["time"][part]) == _norm(value[part]), (want["title"], f"time.{part}")
            else:
                assert _norm(got[key]) == _norm(value), (want["title"], key)



@pytest.mark.parametrize("copy", GOLDS, ids=lambda p: p.name)
def test_bundled_gold_is_the_shared_gold(copy: Path) -> None:
    from tests.fixtures.make_real import as_copy, source_of

    source = source_of(copy)
    if source is None:
        pytest.skip("../shared/corpus is not beside this checkout")
    want = as_copy(json.loads(source.read_text(encoding="utf-8")))
    assert json.loads(copy.read_text(encoding="utf-8")) == want, "re-run tests/fixtures/make_real.py"
