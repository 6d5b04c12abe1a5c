"""A web page, its body pasted into Word, and that printed to PDF give the same records.

The twins are rendered on the fly by LibreOffice (`tests/fixtures/make_twins.py`);
the test skips only where LibreOffice is not installed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import noticeparse
from tests.conftest import FIXTURES
from tests.fixtures.make_twins import make_twins, soffice

PAGES = ["058.aspx", "116.aspx"]


def _key(notice: noticeparse.Notice) -> list[tuple]:
    def norm(text: str | None) -> str:
        return "".join(unicodedata.normalize("NFKC", text or "").split())

    return [
        (norm(a.title), norm(a.time.raw if a.time else None), a.time.start if a.time else None,
         norm(a.location), [norm(u) for u in a.lead], [norm(u) for u in a.support])
        for a in notice.activities
    ]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", PAGES)
def test_word_and_pdf_twins_give_the_pages_records(name: str, tmp_path: Path) -> None:
    html, docx, pdf = make_twins(FIXTURES / "real" / name, tmp_path)
    want = _key(noticeparse.parse(html))
    assert want, "the page yields records"
    assert _key(noticeparse.parse(docx)) == want
    assert _key(noticeparse.parse(pdf)) == want
