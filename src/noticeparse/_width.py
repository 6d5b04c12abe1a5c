"""Fold full-width ASCII forms to ASCII, one character for one.

Every matcher works on folded text so that rules are written once, with ASCII
punctuation; because the fold never changes the length, a match position in the
folded text is the same position in the document's own text.
"""

from __future__ import annotations

import re

__all__ = ["fold_width"]

_FULLWIDTH_FIRST = 0xFF01
_FULLWIDTH_LAST = 0xFF5E
_OFFSET = 0xFF01 - 0x21
_TABLE = {cp: cp - _OFFSET for cp in range(_FULLWIDTH_FIRST, _FULLWIDTH_LAST + 1)}
_TABLE[0x3000] = 0x20  # ideographic space
_TABLE[0x00A0] = 0x20  # no-break space


_WIDE = re.compile("[\uff01-\uff5e\u3000\u00a0]")


def fold_width(text: str) -> str:
    """Return `text` with full-width ASCII forms and wide spaces made ASCII."""
    # translate() costs a dict lookup per character; most lines need few changes or none.
    return text.translate(_TABLE) if _WIDE.search(text) else text
