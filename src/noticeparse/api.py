"""The Python entry points; every CLI command is the function of the same name here."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import InputError, LimitExceeded, display_path

if TYPE_CHECKING:
    from .bulk import BatchResult
from .export import ExportOptions, write_notices
from .extract import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNZIPPED, Limits, extract_blocks
from .models import Notice, Source
from .normalize import normalize_notice
from .records import tree_to_notice
from .rules import Rules, load_rules
from .structure import blocks_to_tree

__all__ = ["ExtractResult", "batch", "extract", "parse", "parse_data", "schema"]

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


def parse(
    path: str | Path,
    *,
    rules: RulesArg = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    keywords: bool = False,
) -> Notice:
    """Parse one file into a Notice: extract → structure → records → normalize.

    With `keywords`, each activity gets its top words (jieba). A file over
    `max_bytes`, or a .docx inflating past `max_unzipped`, is refused
    (LimitExceeded). Raises an InputError subclass when the file cannot be read
    as a notice, RulesError when a rules file is malformed.
    """
    path = Path(path)
    return parse_data(
        path, _read(path, max_bytes), rules=_rules(rules), keywords=keywords, max_unzipped=max_unzipped
    )


def parse_data(
    path: str | Path,
    data: bytes,
    *,
    rules: RulesArg = None,
    keywords: bool = False,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
) -> Notice:
    """Parse the bytes of a file (a zip member, an upload) named `path`; as `parse`."""
    path = Path(path)
    active = _rules(rules)
    extraction = extract_blocks(path, data, active, Limits(max_bytes=len(data), max_unzipped=max_unzipped))
    source = Source(
        path=display_path(path),
        format=extraction.format,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=extraction.pages,
        encoding=extraction.encoding,
    )
    tree = blocks_to_tree(extraction.blocks, active)
    notice = tree_to_notice(tree, source, active, extraction.warnings, extraction.page_meta)
    notice = normalize_notice(notice, active)
    if keywords:
        from .normalize.keywords import add_keywords

        notice = add_keywords(notice, active)
    return notice


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
    keywords: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
) -> ExtractResult:
    """Parse every file and write the results as `format` to `output` (default: stdout).

    `format` is json, jsonl, csv, xlsx, parquet or ics; `labels` names the columns of
    tabular formats in Chinese or English (default: CSV/Parquet en, XLSX zh);
    `keywords` adds each activity's top words.

    A file that fails is recorded in the result's `errors` and the rest go on;
    the output holds every file that parsed. Raises RulesError for a bad rules
    file and OutputError when `output` cannot be written.
    """
    active = _rules(rules)
    result = ExtractResult()
    for path in paths:
        try:
            notice = parse(path, rules=active, keywords=keywords, max_bytes=max_bytes, max_unzipped=max_unzipped)
            result.notices.append(notice)
        except InputError as exc:
            result.errors.append(exc)
    options = ExportOptions(bom=bom, many=len(paths) > 1, labels=labels, rules=active)
    if result.notices or not result.errors:
        note = write_notices(result.notices, format, Path(output) if output else None, options=options)
        if note:
            result.notes.append(note)
    return result


def batch(
    inputs: Sequence[str | Path],
    output: str | Path,
    *,
    formats: Sequence[str] = ("jsonl", "csv"),
    jobs: int | None = None,
    resume: bool = False,
    rules: Sequence[str | Path] = (),
    keywords: bool = False,
    labels: Literal["zh", "en"] | None = None,
    timeout: int = 120,
    progress: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
) -> BatchResult:
    """Parse files, folders, globs and .zip archives into the folder `output`, in parallel, resumably.

    `output` receives notices.jsonl, activities.csv, errors.jsonl and manifest.jsonl,
    plus notices.json / activities.xlsx / activities.parquet / activities.ics for
    those `formats`. `jobs` worker processes (default: one per CPU); `resume`
    continues a batch folder, skipping documents already done (by content hash);
    `timeout` limits the seconds per file. Raises RulesError for a bad rules
    file and OutputError when the folder cannot be used; a file that fails is
    recorded in errors.jsonl and counted, never raised.
    """
    from .bulk import run_batch

    return run_batch(
        inputs, output, formats=formats, jobs=jobs, resume=resume, rules=rules, keywords=keywords,
        labels=labels, timeout=timeout, progress=progress, max_bytes=max_bytes, max_unzipped=max_unzipped,
    )


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
