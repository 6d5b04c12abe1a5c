"""Batch processing: many files, folders, globs and .zip archives into one output folder.

    inputs.py     what to read: a stable, sorted list of jobs
    work.py       one job: read, parse, serialise (in a worker)
    executors.py  where jobs run: this process or a watched pool of worker processes
    journal.py    the output folder: durable appends, resume, the lock

Results are written by this process alone, in input order, as they arrive: memory stays
flat however many files there are, and two runs over the same inputs write the same bytes.
"""

from __future__ import annotations

import glob
import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .._limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNZIPPED, DEFAULT_TIMEOUT
from ..errors import InputError
from .executors import DaskExecutor, DaskMissing, InlineExecutor, LocalPool, SchedulerUnreachable
from .inputs import find_jobs, stat_key
from .journal import ERRORS, MANIFEST, NOTICES, BatchResult, Journal, WriteFailed
from .parts import clear_parts
from .work import Job, Outcome, WorkState, read_job

__all__ = ["DEFAULT_TIMEOUT", "FINAL_FILES", "BatchResult", "DaskMissing", "Job", "SchedulerUnreachable",
           "WriteFailed", "errors_of", "find_jobs", "run_batch"]

# Formats written at the end from notices.jsonl, and their file names.
FINAL_FILES = {
    "json": "notices.json", "xlsx": "activities.xlsx", "parquet": "activities.parquet", "ics": "activities.ics",
    "tasks-csv": "tasks.csv", "html": "report.html",
}
STREAMED = ("jsonl", "csv")


def _header(labels: str | None, rules: Any) -> bytes:
    from ..export.csv_format import COLUMNS, DEFAULT_LABELS
    from ..export.table import headers

    return ("\ufeff" + ",".join(headers(COLUMNS, labels or DEFAULT_LABELS, rules)) + "\r\n").encode("utf-8")


def _check_inputs(inputs: Sequence[str | Path]) -> None:
    """A named input that does not exist is a usage error: nothing is created for it."""
    for given in inputs:
        text = str(given)
        if not (Path(text).exists() or Path(text).is_symlink() or (glob.has_magic(text) and glob.glob(text))):
            raise InputError(text, "no such file or folder" if not glob.has_magic(text) else "no file matches")


def _sha_of(job: Job, max_bytes: int) -> str | None:
    try:
        return hashlib.sha256(read_job(job, max_bytes)).hexdigest()
    except InputError:
        return None


def _plan(jobs: list[Job], journal: Journal, max_bytes: int) -> tuple[list[Job], set[str], int]:
    """(jobs to run, keys whose content changed, jobs already done) against what the folder holds."""
    todo: list[Job] = []
    changed: set[str] = set()
    done = 0
    for job in jobs:
        line = journal.entry(job.key)
        if line is None:
            todo.append(job)
            continue
        seen = stat_key(job)
        if line.get("size") is not None and seen == (line["size"], line["mtime_ns"]):
            done += 1
            continue
        if line.get("sha256") and _sha_of(job, max_bytes) == line["sha256"]:
            done += 1  # touched, not changed
            continue
        changed.add(job.key)
        todo.append(job)
    return todo, changed, done


def _source_texts(folder: Path, jobs: Sequence[Job], rules: Any, max_bytes: int) -> Callable[[Any], str | None]:
    """For the report: a notice's extracted text, read again from the input it came from (found by
    the sha256 the manifest records for it). A scan is not read by OCR a second time: its cards
    show the records without their source."""
    import json

    from ..export.html_format import reread_text

    by_key = {j.key: j for j in jobs}
    by_sha: dict[str, Job] = {}
    with (folder / MANIFEST).open(encoding="utf-8") as fh:
        for raw in fh:
            line = json.loads(raw)
            job = by_key.get(line.get("key") or "")
            if job is not None and line.get("sha256"):
                by_sha.setdefault(line["sha256"], job)

    def text_of(notice: Any) -> str | None:
        job = by_sha.get(notice.source.sha256)
        if job is None or any(": OCR (" in note for note in notice.source.notes):
            return None
        try:
            return reread_text(notice, read_job(job, max_bytes), rules)
        except InputError:
            return None

    return text_of


def _write_finals(
    folder: Path, formats: Sequence[str], labels: str | None, rules: Any, escape_formulas: bool = True,
    jobs: Sequence[Job] = (), max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[str]:
    """json/xlsx/parquet/ics/tasks-csv/html cannot be appended to: write them from notices.jsonl at
    the end (the report reads its inputs again for the source text of each record). One exporter
    failing never stops the others; its failure is a note."""
    wanted = [f for f in formats if f in FINAL_FILES]
    if not wanted:
        return []
    from ..errors import NoticeparseError
    from ..export import ExportOptions, write_notices
    from ..models import Notice

    with (folder / NOTICES).open(encoding="utf-8") as fh:
        notices = [Notice.model_validate_json(line) for line in fh if line.strip()]
    failures = tuple((e.get("file", ""), str(e.get("message", "")).removeprefix(f"{e.get('file', '')}: "))
                     for e in errors_of(folder))
    notes = []
    for fmt in wanted:
        options = ExportOptions(many=True, labels=labels, rules=rules,  # type: ignore[arg-type]
                                escape_formulas=escape_formulas, failures=failures,
                                texts=_source_texts(folder, jobs, rules, max_bytes) if fmt == "html" else None)
        try:
            note = write_notices(notices, fmt, folder / FINAL_FILES[fmt], options=options)
        except NoticeparseError as exc:
            note = f"{fmt}: not written ({exc})"
        if note:
            notes.append(note)
    return notes


def run_batch(
    inputs: Sequence[str | Path],
    output_dir: str | Path,
    *,
    formats: Sequence[str] = STREAMED,
    jobs: int | None = None,
    resume: bool = False,
    rules: Sequence[str | Path] = (),
    keywords: bool = False,
    labels: str | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    progress: bool | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    escape_formulas: bool = True,
    on_file: Callable[[Outcome], None] | None = None,
    ocr: str = "auto",
    engine: str = "local",
    scheduler: str | None = None,
) -> BatchResult:
    """Parse every input into `output_dir`; see journal.py for the files and guarantees.
    `on_file` is called with each finished input's Outcome, in input order."""
    from ..export import FORMATS
    from ..rules import load_rules

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown output format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    active = load_rules(rules)  # a malformed rules file fails here, before any work
    _check_inputs(inputs)
    folder = Path(output_dir)
    journal = Journal(folder, resume, _header(labels, active))
    finished = False
    try:
        listed = list(find_jobs(inputs, skip=[folder], include=include, exclude=exclude))
        work = [j for j in listed if isinstance(j, Job)]
        keys = {j.key for j in work}
        bad = [j for j in listed if isinstance(j, InputError)]
        todo, changed, done = _plan(work, journal, max_bytes)
        missing = [k for k in journal.entries if k not in keys and not k.startswith("error:")]
        journal.drop(sorted(changed), missing)
        journal.result.skipped = done
        for error in bad:
            key = f"error:{error.path}"
            if journal.entry(key) is None:
                outcome = Outcome(str(error.path), key, None, "failed", error_class=type(error).__name__,
                                  message=str(error))
                journal.add(outcome, None)
        state = WorkState(tuple(str(r) for r in rules), frozenset(journal.shas), keywords, max_bytes, max_unzipped,
                          escape_formulas, ocr)
        workers = max(1, jobs or os.cpu_count() or 1)
        executor: InlineExecutor | LocalPool | DaskExecutor
        if engine == "dask" or scheduler is not None:
            executor = DaskExecutor(state, scheduler, workers, folder=folder,
                                    positions={j.key: k for k, j in enumerate(work)})
        elif len(todo) <= 1 and not timeout:
            executor = InlineExecutor(state)
        else:
            executor = LocalPool(workers, state, timeout)
        show = sys.stderr.isatty() if progress is None else progress
        _write_in_order(todo, executor, journal, changed, _Bar(len(todo), show), on_file)
        finished = True
    finally:
        journal.close()
    if finished:
        clear_parts(folder)  # the journal holds every part now
    result = journal.result
    result.notes.extend(_write_finals(folder, formats, labels, active, escape_formulas, work, max_bytes))
    return result


def _write_in_order(
    todo: list[Job], executor: InlineExecutor | LocalPool | DaskExecutor, journal: Journal, changed: set[str],
    bar: _Bar,
    on_file: Callable[[Outcome], None] | None = None,
) -> None:
    waiting: dict[int, Outcome] = {}
    following = 0
    try:
        for k, outcome in executor.run(todo):
            bar.update(outcome, journal.result)
            waiting[k] = outcome
            while following in waiting:
                done = waiting.pop(following)
                job = todo[following]
                journal.add(done, stat_key(job), changed=job.key in changed)
                if on_file is not None:
                    on_file(done)
                following += 1
    finally:
        bar.close()


class _Bar:
    """Counts files finished (not written in order), so one slow file never freezes it."""

    def __init__(self, total: int, show: bool) -> None:
        self.bar = None
        if show:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)

    def update(self, outcome: Outcome, result: BatchResult) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(failed=result.failed + (outcome.status == "failed"), refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            try:
                self.bar.close()
            except Exception:  # a progress bar must never fail a batch
                pass


def errors_of(folder: Path) -> list[dict[str, Any]]:
    """The failures recorded in a batch folder."""
    import json

    path = folder / ERRORS
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

