"""Regular expressions built from rules word lists, compiled once per list."""

from __future__ import annotations

import functools
import re

__all__ = ["any_of"]


@functools.lru_cache(maxsize=256)
def any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching any of `words`, longest first (so 以及 wins over 及)."""
    if not words:
        return re.compile(r"(?!)")
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
