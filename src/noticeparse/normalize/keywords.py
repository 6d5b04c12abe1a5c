"""Keywords of each activity: the top words of its title and description by TF-IDF (jieba.analyse).

jieba is imported only when keywords are asked for; its dictionary cache is kept
in the user's cache folder (NOTICEPARSE_CACHE_DIR, else $XDG_CACHE_HOME/noticeparse,
else ~/.cache/noticeparse) instead of the system temp folder.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from ..models import Notice
from ..rules import Rules

__all__ = ["add_keywords", "cache_dir"]

# jieba.analyse ranks more words than kept, so that stopwords can be dropped.
_CANDIDATES = 4
_jieba: Any = None


def cache_dir() -> Path:
    """Where jieba's dictionary cache lives."""
    explicit = os.environ.get("NOTICEPARSE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "noticeparse"


def _analyse() -> Any:
    global _jieba
    if _jieba is None:
        import logging

        import jieba
        import jieba.analyse

        jieba.setLogLevel(logging.WARNING)
        folder = cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(folder)
        except OSError:
            pass  # an unwritable cache folder only costs time: jieba rebuilds its dictionary
        _jieba = jieba.analyse
    return _jieba


def keywords(text: str, rules: Rules) -> list[str]:
    """The top `rules.keywords.count` words of `text`, generic words of official writing left out."""
    if not text.strip():
        return []
    count = rules.keywords.count
    stop = set(rules.keywords.stopwords)
    with warnings.catch_warnings():
        # jieba leaves its IDF file open on first use; not ours to fix, not the user's to see.
        warnings.simplefilter("ignore", ResourceWarning)
        ranked = _analyse().extract_tags(text, topK=count * _CANDIDATES)
    return [w for w in ranked if w not in stop and len(w) > 1][:count]


def add_keywords(notice: Notice, rules: Rules) -> Notice:
    """A copy of `notice` whose activities carry `keywords`."""
    activities = [
        act.model_copy(update={"keywords": keywords(f"{act.title or ''}\n{act.description or ''}", rules)})
        for act in notice.activities
    ]
    return notice.model_copy(update={"activities": activities})
