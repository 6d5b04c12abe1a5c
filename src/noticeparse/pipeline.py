"""The pipeline of one file: its bytes → a Notice (extract → structure → records → normalize).

`api.py` and the batch executors both call it; it imports no entry point back.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ._limits import DEFAULT_MAX_UNZIPPED, Limits
from .errors import InputError, LimitExceeded, display_path
from .models import Notice, Source
from .rules import Rules, load_rules

__all__ = ["RulesArg", "as_paths", "parse_data", "read_file", "resolve_rules"]

RulesArg = Rules | str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None


def as_paths(value: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None) -> list[str | Path]:
    """One path (a str or PathLike) as a list of one; a list of paths as it is. A plain string is
    never iterated character by character (`"/"` would otherwise walk the whole filesystem)."""
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [Path(value)]
    return [Path(v) if isinstance(v, os.PathLike) else v for v in value]


def resolve_rules(rules: RulesArg) -> Rules:
    """The rules to use: a loaded Rules as it is, else the shipped rules merged with these files."""
    if isinstance(rules, Rules):
        return rules
    return load_rules(as_paths(rules))


def read_file(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, at most `max_bytes` (reading stops one byte past the limit, so a
    growing file or /dev/zero cannot make it read more); FIFOs, devices and sockets are refused."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, "is a directory, not a file; use noticeparse batch for folders")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, "not a regular file (a pipe, device or socket)")
        if info.st_size > max_bytes:
            raise LimitExceeded(path, f"file is {info.st_size} bytes, over the {max_bytes}-byte limit")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise InputError(path, "no such file") from exc
    except PermissionError as exc:
        raise InputError(path, "permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError(path, "is a directory, not a file; use noticeparse batch for folders") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise LimitExceeded(path, f"file is over the {max_bytes}-byte limit")
    return data


def parse_data(
    path: str | Path,
    data: bytes,
    *,
    rules: RulesArg = None,
    keywords: bool = False,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    ocr: str = "auto",
) -> Notice:
    """Parse the bytes of a file (a zip member, an upload) named `path` into a Notice.

    `ocr` (auto, force, off) says whether scanned pages and images are read by OCR."""
    from .extract import extract_blocks, joined_text
    from .normalize import normalize_notice
    from .records import tree_to_notice
    from .structure import blocks_to_tree

    path = Path(path)
    active = resolve_rules(rules)
    limits = Limits(max_bytes=len(data), max_unzipped=max_unzipped, ocr=ocr)
    extraction = extract_blocks(path, data, active, limits)
    source = Source(
        path=display_path(path),
        format=extraction.format,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=extraction.pages,
        encoding=extraction.encoding,
        notes=list(extraction.notes),
    )
    tree = blocks_to_tree(extraction.blocks, active)
    notice = tree_to_notice(tree, source, active, extraction.warnings, extraction.page_meta)
    notice = normalize_notice(notice, active)
    if keywords:
        from .normalize.keywords import add_keywords

        notice = add_keywords(notice, active)
    notice.keep_text(joined_text(extraction.blocks))
    return notice
