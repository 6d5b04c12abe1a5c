"""The Python entry points; every CLI command is the function of the same name here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from .errors import InputError

if TYPE_CHECKING:
    from .batch import BatchResult
from .export import ExportOptions, write_notices
from .extract import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNZIPPED
from .models import Notice
from .pipeline import RulesArg, as_paths, parse_data, read_file, resolve_rules

__all__ = [
    "ExtractResult", "activity_rows", "batch", "extract", "parse", "parse_data", "report", "schema", "schema_json",
    "to_dataframe",
]

Paths = str | PathLike[str] | Iterable[str | PathLike[str]]


def parse(
    path: str | Path,
    *,
    rules: RulesArg = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    keywords: bool = False,
    ocr: str = "auto",
) -> Notice:
    """Parse one file into a Notice: extract → structure → records → normalize.

    With `keywords`, each activity gets its top words (jieba). A file over
    `max_bytes`, or a .docx inflating past `max_unzipped`, is refused
    (LimitExceeded); a folder, pipe or device is an InputError. Raises an
    InputError subclass when the file cannot be read as a notice, RulesError
    when a rules file is malformed. `rules` is a Rules, one rules file, or several.
    `ocr` is auto (scanned pages and images read by OCR when `noticeparse[ocr]` is
    installed), force (every page) or off.
    """
    path = Path(path)
    return parse_data(
        path, read_file(path, max_bytes), rules=resolve_rules(rules), keywords=keywords, max_unzipped=max_unzipped,
        ocr=ocr,
    )


@dataclass
class ExtractResult:
    """What `extract` produced: the parsed notices, the files that failed, and the output text."""

    notices: list[Notice] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    # One-line notes from the exporter (activities an iCalendar could not hold).
    notes: list[str] = field(default_factory=list)
    # The output itself when no `output` path was given: text, or bytes for xlsx/parquet.
    output: str | bytes | None = None
    # Seconds each file took, in input order (failed files too).
    seconds: list[float] = field(default_factory=list)


STDIN = "-"


def _read_stdin(max_bytes: int) -> bytes:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError("<stdin>", f"standard input is over the {max_bytes}-byte limit")
    return data


def extract(
    paths: Paths,
    *,
    format: str | None = None,
    output: str | Path | IO[Any] | None = None,
    rules: RulesArg = None,
    bom: bool = True,
    labels: Literal["zh", "en"] | None = None,
    keywords: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    escape_formulas: bool = True,
    ics_events_only: bool = False,
    ocr: str = "auto",
) -> ExtractResult:
    """Parse every file and write the results as `format` to `output`, or return them.

    `format` is json, jsonl, csv, xlsx, parquet or ics (default: what `output`'s
    extension names, else json; a format that contradicts the extension is a
    ValueError); without `output` the result's `output` holds the text (bytes for
    xlsx/parquet); an open stream as `output` is written to as the text is made.
    `"-"` reads standard input (its format sniffed from the content).
    `labels` names the columns of tabular formats in Chinese or English (default:
    CSV/Parquet en, XLSX zh); `keywords` adds each activity's top words.

    A file that fails is recorded in the result's `errors` and the rest go on;
    the output holds every file that parsed. Raises RulesError for a bad rules
    file and OutputError when `output` cannot be written.
    """
    import time

    from .export import format_for, render_notices

    stream = output if hasattr(output, "write") else None
    target = Path(output) if output and stream is None else None  # type: ignore[arg-type]
    fmt = format_for(target, format)
    active = resolve_rules(rules)
    result = ExtractResult()
    paths = as_paths(paths)
    for path in paths:
        started = time.perf_counter()
        try:
            if str(path) == STDIN:
                data = _read_stdin(max_bytes)
                notice = parse_data("<stdin>", data, rules=active, keywords=keywords, max_unzipped=max_unzipped,
                                     ocr=ocr)
            else:
                notice = parse(path, rules=active, keywords=keywords, max_bytes=max_bytes,
                               max_unzipped=max_unzipped, ocr=ocr)
            result.notices.append(notice)
        except InputError as exc:
            result.errors.append(exc)
        result.seconds.append(time.perf_counter() - started)
    options = ExportOptions(bom=bom, many=len(paths) > 1, labels=labels, rules=active,
                            escape_formulas=escape_formulas, ics_events_only=ics_events_only,
                            failures=tuple((e.path or "", e.reason) for e in result.errors))
    if result.notices or not result.errors:
        if stream is not None:
            note = write_notices(result.notices, fmt, None, options=options, stream=stream)
        elif target is None:
            result.output, note = render_notices(result.notices, fmt, options=options)
        else:
            note = write_notices(result.notices, fmt, target, options=options)
        if note:
            result.notes.append(note)
    return result


def _own_output(path: Path, max_bytes: int) -> list[Notice] | None:
    """The notices in a .json/.jsonl file written by noticeparse (extract or batch), else None."""
    if path.suffix.lower() not in (".json", ".jsonl", ".ndjson"):
        return None
    from pydantic import ValidationError

    text = read_file(path, max_bytes).decode("utf-8", "replace").strip()
    try:
        if path.suffix.lower() == ".json":
            loaded = json.loads(text)
            items = loaded if isinstance(loaded, list) else [loaded]
            return [Notice.model_validate(item) for item in items]
        return [Notice.model_validate_json(line) for line in text.splitlines() if line.strip()]
    except (ValueError, ValidationError):
        return None  # another JSON file: not ours (a .json notice is not a format we read either)


def report(
    inputs: Notice | Paths | Iterable[Notice | str | PathLike[str]],
    output: str | Path | IO[str] | None = None,
    *,
    labels: Literal["zh", "en"] | None = None,
    rules: RulesArg = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    ocr: str = "auto",
) -> ExtractResult:
    """Write the HTML report of `inputs` to `output` (a path, an open text stream, or None to get it
    back in the result's `output`): one static page with each notice's metadata, a timeline, a
    responsibility matrix and every record beside its source span, and a summary when there are
    several. Inputs are Notice objects, files to parse, or noticeparse's own .json/.jsonl output
    (its records are shown; their source text is read again from the files where they still are).
    A file that fails is listed in the report and in the result's `errors`.
    """
    from .export import render_notices

    active = resolve_rules(rules)
    items: list[Notice | str | PathLike[str]]
    if isinstance(inputs, Notice):
        items = [inputs]
    elif isinstance(inputs, str | PathLike):
        items = [inputs]
    else:
        items = list(inputs)  # type: ignore[arg-type]
    result = ExtractResult()
    for item in items:
        if isinstance(item, Notice):
            result.notices.append(item)
            continue
        path = Path(item)
        try:
            own = _own_output(path, max_bytes)
            result.notices.extend(own if own is not None else [
                parse(path, rules=active, max_bytes=max_bytes, max_unzipped=max_unzipped, ocr=ocr)
            ])
        except InputError as exc:
            result.errors.append(exc)
    options = ExportOptions(many=len(items) > 1, labels=labels, rules=active,
                            failures=tuple((e.path or "", e.reason) for e in result.errors))
    if output is None:
        page, _ = render_notices(result.notices, "html", options=options)
        result.output = page
    elif hasattr(output, "write"):
        write_notices(result.notices, "html", None, options=options, stream=output)  # type: ignore[arg-type]
    else:
        write_notices(result.notices, "html", Path(output), options=options)  # type: ignore[arg-type]
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
    on_file: Callable[[Any], None] | None = None,
    ocr: str = "auto",
    engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
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
    `engine="dask"` (or a `scheduler` address such as tcp://host:8786) runs the files as
    partitions on a Dask cluster (the extra noticeparse[dask]); the outputs are the same bytes.
    """
    from .batch import run_batch

    return run_batch(
        as_paths(inputs), output, formats=formats, jobs=jobs, resume=resume, rules=as_paths(rules),
        keywords=keywords, labels=labels, timeout=timeout, progress=progress, max_bytes=max_bytes,
        max_unzipped=max_unzipped, include=include, exclude=exclude, escape_formulas=escape_formulas,
        on_file=on_file, ocr=ocr, engine=engine, scheduler=scheduler,
    )


def schema() -> dict[str, Any]:
    """The JSON Schema of the output document (`schema_json()` gives it as text)."""
    return Notice.model_json_schema()


def schema_json() -> str:
    """The JSON Schema of the output document, as indented JSON text (`noticeparse schema`)."""
    return json.dumps(schema(), ensure_ascii=False, indent=2)


def activity_rows(notices: Notice | Iterable[Notice]) -> list[dict[str, Any]]:
    """One row per activity, keyed by the CSV columns, values typed (dates, lists, mappings)."""
    from .export.table import activity_rows as rows

    return rows([notices] if isinstance(notices, Notice) else list(notices))


def to_dataframe(notices: Notice | Iterable[Notice]) -> Any:
    """A pandas DataFrame with one row per activity (the CSV columns; dates as datetime64).

    Needs the extra: pip install "noticeparse[pandas]".
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError('to_dataframe needs pandas: pip install "noticeparse[pandas]"') from None
    from .export.table import ACTIVITY_COLUMNS

    frame = pd.DataFrame(activity_rows(notices), columns=list(ACTIVITY_COLUMNS))
    for column in ("notice_issue_date", "time_start", "time_end"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    frame["notice_year"] = frame["notice_year"].astype("Int64")
    return frame


def _publish_extract() -> None:
    # The stage package noticeparse.extract shares this function's name, and importing a
    # submodule binds it on the parent package; re-point the public name at the function.
    package = sys.modules.get(__name__.rpartition(".")[0])
    if package is not None:
        package.extract = extract  # type: ignore[attr-defined]


_publish_extract()
