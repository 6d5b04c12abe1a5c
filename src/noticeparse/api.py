"""The Python entry points; every CLI command is the function of the same name here."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import InputError

if TYPE_CHECKING:
    from .batch import BatchResult
from .export import ExportOptions, write_notices
from .extract import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNZIPPED
from .models import Notice
from .pipeline import RulesArg, as_paths, read_file, resolve_rules
from .pipeline import parse_data as _parse_data

__all__ = ["ExtractResult", "batch", "extract", "parse", "parse_data", "schema"]

Paths = str | PathLike[str] | Iterable[str | PathLike[str]]


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
    (LimitExceeded); a folder, pipe or device is an InputError. Raises an
    InputError subclass when the file cannot be read as a notice, RulesError
    when a rules file is malformed. `rules` is a Rules, one rules file, or several.
    """
    path = Path(path)
    return _parse_data(
        path, read_file(path, max_bytes), rules=resolve_rules(rules), keywords=keywords, max_unzipped=max_unzipped
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
    return _parse_data(path, data, rules=resolve_rules(rules), keywords=keywords, max_unzipped=max_unzipped)


@dataclass
class ExtractResult:
    """What `extract` produced: the parsed notices and the files that failed."""

    notices: list[Notice] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    # One-line notes from the exporter (activities an iCalendar could not hold).
    notes: list[str] = field(default_factory=list)


def extract(
    paths: Paths,
    *,
    format: str = "json",
    output: str | Path | None = None,
    rules: RulesArg = None,
    bom: bool = True,
    labels: Literal["zh", "en"] | None = None,
    keywords: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    escape_formulas: bool = True,
) -> ExtractResult:
    """Parse every file and write the results as `format` to `output` (default: stdout).

    `format` is json, jsonl, csv, xlsx, parquet or ics; `labels` names the columns of
    tabular formats in Chinese or English (default: CSV/Parquet en, XLSX zh);
    `keywords` adds each activity's top words.

    A file that fails is recorded in the result's `errors` and the rest go on;
    the output holds every file that parsed. Raises RulesError for a bad rules
    file and OutputError when `output` cannot be written.
    """
    active = resolve_rules(rules)
    result = ExtractResult()
    paths = as_paths(paths)
    for path in paths:
        try:
            notice = parse(path, rules=active, keywords=keywords, max_bytes=max_bytes, max_unzipped=max_unzipped)
            result.notices.append(notice)
        except InputError as exc:
            result.errors.append(exc)
    options = ExportOptions(bom=bom, many=len(paths) > 1, labels=labels, rules=active,
                            escape_formulas=escape_formulas)
    if result.notices or not result.errors:
        note = write_notices(result.notices, format, Path(output) if output else None, options=options)
        if note:
            result.notes.append(note)
    return result


def batch(
    inputs: Paths,
    output: str | Path,
    *,
    formats: Sequence[str] = ("jsonl", "csv"),
    jobs: int | None = None,
    resume: bool = False,
    rules: str | PathLike[str] | Sequence[str | PathLike[str]] = (),
    keywords: bool = False,
    labels: Literal["zh", "en"] | None = None,
    timeout: int = 120,
    progress: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    escape_formulas: bool = True,
) -> BatchResult:
    """Parse files, folders, globs and .zip archives into the folder `output`, in parallel, resumably.

    `output` receives notices.jsonl, activities.csv, errors.jsonl and manifest.jsonl,
    plus notices.json / activities.xlsx / activities.parquet / activities.ics for
    those `formats`. `jobs` worker processes (default: one per CPU); `resume`
    continues a batch folder, skipping documents already done (by content hash);
    `timeout` limits the seconds per file (its worker is killed past it);
    `include`/`exclude` are file-name globs for folder walks. A single path
    (str or PathLike) is one input. Raises RulesError for a bad rules file,
    InputError for an input path that does not exist, OutputError when the
    folder cannot be used (WriteFailed when it stops taking writes); a file
    that fails is recorded in errors.jsonl and counted, never raised.
    """
    from .batch import run_batch

    return run_batch(
        as_paths(inputs), output, formats=formats, jobs=jobs, resume=resume, rules=as_paths(rules),
        keywords=keywords, labels=labels, timeout=timeout, progress=progress, max_bytes=max_bytes,
        max_unzipped=max_unzipped, include=include, exclude=exclude, escape_formulas=escape_formulas,
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
