"""Fold full-width ASCII forms to ASCII, one character for one.

Every matcher works on folded text so that rules are written once, with ASCII
punctuation; because the fold never changes the length, a match position in the
folded text is the same position in the document's own text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["ODD_SPACES", "fold_width", "nfkc_head", "plain_spaces"]

_FULLWIDTH_FIRST = 0xFF01
_FULLWIDTH_LAST = 0xFF5E
_OFFSET = 0xFF01 - 0x21
_TABLE = {cp: cp - _OFFSET for cp in range(_FULLWIDTH_FIRST, _FULLWIDTH_LAST + 1)}
_TABLE[0x3000] = 0x20  # ideographic space
_TABLE[0x00A0] = 0x20  # no-break space
# Compatibility forms whose NFKC form is one character: small and vertical forms
# (1﹒, ﹙一﹚, ︵), half-width punctuation (｡ ､), Kangxi and supplementary radicals,
# CJK compatibility ideographs. Their multi-character relatives (⒈, ⑴, ㈠) are
# folded where a label is read (`nfkc_head`).
_COMPAT_RANGES = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F), (0xFF5F, 0xFFEE))
for _first, _last in _COMPAT_RANGES:
    for _cp in range(_first, _last + 1):
        _folded = unicodedata.normalize("NFKC", chr(_cp))
        if len(_folded) == 1 and _folded != chr(_cp):
            _TABLE[_cp] = ord(_folded)

# The same table as a list indexed by code point up to the last one folded: str.translate looks
# every character up, and a dict answers a character it lacks (most of a CJK text) with a
# KeyError raised and cleared each time, 2.4 times the cost of a list's index (a character past
# the list's end is an IndexError, as rare as text beyond the BMP). About 2 MB, built once.
_LOOKUP = list(range(max(_TABLE) + 1))
for _cp, _to in _TABLE.items():
    _LOOKUP[_cp] = _to

_WIDE = re.compile(r"[\uff01-\uffee\u3000\u00a0\u2e80-\u2fdf\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f]")


@functools.lru_cache(maxsize=1 << 14)
def fold_width(text: str) -> str:
    """Return `text` with full-width ASCII forms and wide spaces made ASCII."""
    # Every stage matches the same paragraph many times: remember the folds
    # (a str caches its own hash, so a hit costs one dict lookup).
    return text.translate(_LOOKUP) if _WIDE.search(text) else text


# Typographic spaces become a plain space, zero-width characters disappear; the
# ideographic space (a CJK indent) is kept as written.
_SPACES = {cp: 0x20 for cp in (0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
                               0x202F, 0x205F)}
_SPACES.update({cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)})
ODD_SPACES = re.compile("[\u00a0\u2002-\u200d\u202f\u205f\u2060\ufeff\u00ad]")


def plain_spaces(text: str) -> str:
    """Return `text` with no-break and typographic spaces as " " and zero-width characters removed."""
    return text.translate(_SPACES) if ODD_SPACES.search(text) else text


# Enclosed numbers stay as printed: ① is the circled heading style, not "1".
_KEEP = re.compile(r"[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]")


def nfkc_head(text: str, limit: int = 32, *, folded: str | None = None) -> tuple[str, tuple[int, ...]]:
    """The first `limit` characters NFKC-folded (⒈ → 1., ⑴ → (1), ㈠ → (一), 1﹒ → 1.), and for
    each folded character the offset in `text` just after the character it came from.
    `folded` is `fold_width(text)` when the caller has it."""
    head = text[:limit]
    # Most heads fold one character for one: the width fold (the NFKC form of every character it
    # changes; the paragraph's fold, remembered) leaves them NFKC-normal, so each character's own
    # NFKC form is itself.
    narrow = (fold_width(text) if folded is None else folded)[:limit]
    if unicodedata.is_normalized("NFKC", narrow) and not _KEEP.search(narrow):
        return narrow, _identity(len(narrow))
    out: list[str] = []
    ends: list[int] = []
    for i, ch in enumerate(head):
        folded = ch if ch.isascii() or _KEEP.match(ch) else unicodedata.normalize("NFKC", ch) or ch
        out.append(folded)
        ends.extend([i + 1] * len(folded))
    return "".join(out), tuple(ends)


@functools.lru_cache(maxsize=64)
def _identity(length: int) -> tuple[int, ...]:
    return tuple(range(1, length + 1))
