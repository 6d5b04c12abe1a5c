"""The width fold and the NFKC head a heading label is read from."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from noticeparse.text.width import fold_width, nfkc_head

# Circled numbers 1–50 (① is a heading style of its own, not "1").
_KEPT = ((0x2460, 0x2473), (0x3251, 0x325F), (0x32B1, 0x32BF))


def _reference(text: str, limit: int = 32) -> tuple[str, tuple[int, ...]]:
    """nfkc_head by definition: every character NFKC-folded on its own, enclosed numbers kept."""
    out, ends = [], []
    for i, ch in enumerate(text[:limit]):
        kept = ch.isascii() or any(low <= ord(ch) <= high for low, high in _KEPT)
        folded = ch if kept else unicodedata.normalize("NFKC", ch) or ch
        out.append(folded)
        ends.extend([i + 1] * len(folded))
    return "".join(out), tuple(ends)


def test_heads_that_fold_one_for_one() -> None:
    assert nfkc_head("（一）工作目标") == ("(一)工作目标", (1, 2, 3, 4, 5, 6, 7))
    assert nfkc_head("1﹒活动时间") == ("1.活动时间", (1, 2, 3, 4, 5, 6))


def test_heads_that_fold_to_several_characters() -> None:
    folded, ends = nfkc_head("⑴活动")
    assert folded == "(1)活动"
    assert ends == (1, 1, 1, 2, 3)  # the three characters of (1) all come from ⑴
    assert nfkc_head("㈠总则")[0] == "(一)总则"
    assert nfkc_head("①报名") == ("①报名", (1, 2, 3))  # the circled style stays as printed


def test_combining_marks_are_not_composed_across_characters() -> None:
    assert nfkc_head("e\u0301x") == _reference("e\u0301x")


def test_the_head_is_limited() -> None:
    folded, ends = nfkc_head("一" * 50, limit=10)
    assert folded == "一" * 10 and ends[-1] == 10


@given(st.text(alphabet=st.sampled_from(
    "一二十（）()、.．1２⒈⑴㈠①⑩㉕㊱﹒﹙﹚　 \u00a0\u0301e︵ｱ⼀\uf900活动时间：:"
) | st.characters(), max_size=40))
def test_nfkc_head_matches_its_definition(text: str) -> None:
    assert nfkc_head(text) == _reference(text)


@given(st.text(max_size=40))
def test_fold_width_keeps_the_length(text: str) -> None:
    assert len(fold_width(text)) == len(text)


def _fold_reference(text: str) -> str:
    """fold_width by definition: full-width ASCII and wide spaces to ASCII, and each compatibility
    form whose NFKC form is one character to that character; every other character as it is."""
    out = []
    for ch in text:
        cp = ord(ch)
        if 0xFF01 <= cp <= 0xFF5E:
            out.append(chr(cp - 0xFF01 + 0x21))
        elif cp in (0x3000, 0x00A0):
            out.append(" ")
        elif any(low <= cp <= high for low, high in _COMPAT):
            folded = unicodedata.normalize("NFKC", ch)
            out.append(folded if len(folded) == 1 else ch)
        else:
            out.append(ch)
    return "".join(out)


_COMPAT = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F), (0xFF5F, 0xFFEE))


def test_fold_width_at_the_ends_of_its_table() -> None:
    # The last folded code point, the first past the table, and characters beyond the BMP.
    text = "\uffee\uffef\U00020000\U0001f600，一"
    assert fold_width(text) == _fold_reference(text)


@given(st.text(alphabet=st.characters() | st.sampled_from("，。（）：；　\u00a0ｱ｡⼀\uf900\uffee\uffef"), max_size=60))
def test_fold_width_matches_its_definition(text: str) -> None:
    fold_width.cache_clear()
    assert fold_width(text) == _fold_reference(text)
