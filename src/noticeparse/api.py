"""The Python entry points; every CLI command is the function of the same name here."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import InputError, LimitExceeded
from .export import ExportOptions, write_notices
from .extract import DEFAULT_MAX_BYTES, extract_blocks
from .models import Notice, Source
from .normalize import normalize_notice
from .records import tree_to_notice
from .rules import Rules, load_rules
from .structure import blocks_to_tree

__all__ = ["ExtractResult", "extract", "parse", "schema"]

RulesArg = Rules | Iterable[str | Path] | None


def _rules(rules: RulesArg) -> Rules:
    if isinstance(rules, Rules):
        return rules
    return load_rules(rules or ())


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LimitExceeded(path, f"file is {size} bytes, over the {max_bytes}-byte limit")
        return path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(path, "is a directory, not a file") from exc
    except FileNotFoundError as exc:
        raise InputError(path, "no such file") from exc
    except PermissionError as exc:
        raise InputError(path, "permission denied") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from exc


def parse(path: str | Path, *, rules: RulesArg = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Notice:
    """Parse one file into a Notice: extract → structure → records → normalize.

    Raises an InputError subclass when the file cannot be read as a notice,
    RulesError when a rules file is malformed.
    """
    path = Path(path)
    active = _rules(rules)
    data = _read(path, max_bytes)
    extraction = extract_blocks(path, data, active)
    source = Source(
        path=str(path),
        format=extraction.format,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=extraction.pages,
        encoding=extraction.encoding,
    )
    tree = blocks_to_tree(extraction.blocks, active)
    notice = tree_to_notice(tree, source, active, extraction.warnings, extraction.page_meta)
    return normalize_notice(notice, active)


@dataclass
class ExtractResult:
    """What `extract` produced: the parsed notices and the files that failed."""

    notices: list[Notice] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    # One-line notes from the exporter (activities an iCalendar could not hold).
    notes: list[str] = field(default_factory=list)


def extract(
    paths: Sequence[str | Path],
    *,
    format: str = "json",
    output: str | Path | None = None,
    rules: RulesArg = None,
    bom: bool = True,
    labels: Literal["zh", "en"] | None = None,
) -> ExtractResult:
    """Parse every file and write the results as `format` to `output` (default: stdout).

    `format` is json, jsonl, csv, xlsx, parquet or ics; `labels` names the columns of
    tabular formats in Chinese or English (default: CSV/Parquet en, XLSX zh).

    A file that fails is recorded in the result's `errors` and the rest go on;
    the output holds every file that parsed. Raises RulesError for a bad rules
    file and OutputError when `output` cannot be written.
    """
    active = _rules(rules)
    result = ExtractResult()
    for path in paths:
        try:
            result.notices.append(parse(path, rules=active))
        except InputError as exc:
            result.errors.append(exc)
    options = ExportOptions(bom=bom, many=len(paths) > 1, labels=labels, rules=active)
    if result.notices or not result.errors:
        note = write_notices(result.notices, format, Path(output) if output else None, options=options)
        if note:
            result.notes.append(note)
    return result


def schema() -> str:
    """The JSON Schema of the output document, as indented JSON text."""
    return json.dumps(Notice.model_json_schema(), ensure_ascii=False, indent=2)


def _publish_extract() -> None:
    # The stage package noticeparse.extract shares this function's name, and importing a
    # submodule binds it on the parent package; re-point the public name at the function.
    package = sys.modules.get(__name__.rpartition(".")[0])
    if package is not None:
        package.extract = extract  # type: ignore[attr-defined]


_publish_extract()
