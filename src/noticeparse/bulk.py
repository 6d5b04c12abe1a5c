"""Batch processing: many files, folders, globs and .zip archives into one output folder.

Files are parsed by a pool of worker processes and their results written by
this process alone, in input order, as they arrive: memory stays flat however
many files there are, and two runs over the same inputs write the same bytes.

OUTDIR holds
  notices.jsonl    one parsed document per line
  activities.csv   one row per activity (the columns of `extract --format csv`)
  errors.jsonl     one line per file that failed: file, error class, message
  manifest.jsonl   one line per input: file, sha256, status (ok, failed,
                   duplicate) and the sizes of the three files above after it

Durability: results are appended, then fsynced in small batches; a batch's
manifest lines are written (and fsynced) only after its results. `resume`
reads the manifest, drops a half-written last line, cuts every output back to
the sizes its last line records (so a result written after the last manifest
line, or half of one, is dropped) and skips every input whose content hash is
already there. A run killed at any moment and resumed therefore ends with
exactly the files of an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import json
import os
import signal
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ._limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNZIPPED, DEFAULT_TIMEOUT
from .errors import InputError, LimitExceeded, OutputError, display_path

__all__ = [
    "DEFAULT_TIMEOUT",
    "BatchResult",
    "Job",
    "find_jobs",
    "run_batch",
]

# Results written between two fsyncs at most, and seconds between them at most: a crash
# costs at most this much work again on resume; fsyncing more often costs throughput.
COMMIT_EVERY = 256
COMMIT_SECONDS = 2.0
# A zip member that claims to inflate more than this many times its packed size is a bomb.
MAX_ZIP_RATIO = 200
NOTICES, ACTIVITIES, ERRORS, MANIFEST = "notices.jsonl", "activities.csv", "errors.jsonl", "manifest.jsonl"
# Formats written at the end from notices.jsonl, and their file names.
FINAL_FILES = {
    "json": "notices.json", "xlsx": "activities.xlsx", "parquet": "activities.parquet", "ics": "activities.ics",
}
STREAMED = ("jsonl", "csv")
MAX_CHUNK = 16
# Output files buffer this much before a write reaches the OS.
WRITE_BUFFER = 1 << 20


@dataclass(frozen=True)
class Job:
    """One input document: its display name, the file on disk, and the zip member when in an archive."""

    name: str
    path: str
    member: str | None = None


@dataclass(frozen=True)
class _Outcome:
    name: str
    sha256: str | None
    status: str  # ok, failed, skipped
    notice: bytes = b""  # the document's JSON line, encoded
    rows: bytes = b""  # the activities' CSV rows, encoded
    error_class: str | None = None
    message: str | None = None


@dataclass
class BatchResult:
    """Counts of a batch over the whole output folder (earlier runs included) and this run's notes."""

    ok: int = 0
    failed: int = 0
    duplicates: int = 0
    skipped: int = 0
    output_dir: Path = Path(".")
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user."""
        parts = [f"{self.ok} ok", f"{self.failed} failed"]
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicates")
        if self.skipped:
            parts.append(f"{self.skipped} already done")
        tail = f", see {self.output_dir / ERRORS}" if self.failed else ""
        return ", ".join(parts) + tail


# -- inputs --------------------------------------------------------------------------------------


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip names without the UTF-8 flag are CP437 by the spec but GBK when made on Chinese Windows."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _is_archive(path: Path) -> bool:
    if path.suffix.lower() != ".zip":
        return False
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _file_jobs(path: Path) -> Iterator[Job | InputError]:
    if not _is_archive(path):
        yield Job(display_path(path), str(path))
        return
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                # Members are read, never extracted: a name like ../../x is only a label here.
                yield Job(f"{display_path(path)}!/{_member_name(info)}", str(path), info.filename)
    except (zipfile.BadZipFile, OSError) as exc:
        yield InputError(path, f"damaged zip archive ({exc})")


def find_jobs(inputs: Sequence[str | Path]) -> Iterator[Job | InputError]:
    """Every document the inputs name, in a stable order: files, folders (recursively, sorted,
    symlinked folders not followed), globs, and the members of .zip archives."""
    for given in inputs:
        text = str(given)
        path = Path(text)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield from _file_jobs(Path(root) / name)
        elif path.is_file():
            yield from _file_jobs(path)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield InputError(text, "no file matches this pattern")
            for match in matches:
                yield from find_jobs([match]) if Path(match).is_dir() else _file_jobs(Path(match))
        elif path.exists() or path.is_symlink():
            yield InputError(text, "not a regular file or folder")
        else:
            yield InputError(text, "no such file or folder")


def _read_job(job: Job, max_bytes: int) -> bytes:
    if job.member is None:
        from .api import _read

        return _read(Path(job.path), max_bytes)
    with zipfile.ZipFile(job.path) as archive:
        info = archive.getinfo(job.member)
        if info.file_size > max_bytes:
            raise LimitExceeded(job.name, f"unzips to {info.file_size} bytes, over the {max_bytes}-byte limit")
        if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
            raise LimitExceeded(job.name, f"inflates {info.file_size // info.compress_size}-fold: a zip bomb?")
        with archive.open(info) as fh:
            data = fh.read(max_bytes + 1)  # a lying size header stops here too
        if len(data) > max_bytes:
            raise LimitExceeded(job.name, f"unzips to over the {max_bytes}-byte limit")
        return data


# -- workers -------------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


class _TimeUp(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _TimeUp


def _init(
    rule_files: list[str], done: frozenset[str], keywords: bool, max_bytes: int, max_unzipped: int, timeout: int
) -> None:
    from .rules import load_rules

    _STATE.update(
        rules=load_rules(rule_files), done=done, keywords=keywords, max_bytes=max_bytes, max_unzipped=max_unzipped,
        timeout=timeout,
    )
    if timeout and hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _alarm)


def _work(job: Job) -> _Outcome:
    from .api import parse_data
    from .export.csv_format import COLUMNS, rows

    timeout = _STATE["timeout"] if hasattr(signal, "SIGALRM") else 0
    sha = None
    try:
        if timeout:
            signal.alarm(timeout)
        data = _read_job(job, _STATE["max_bytes"])
        sha = hashlib.sha256(data).hexdigest()
        if sha in _STATE["done"]:
            return _Outcome(job.name, sha, "skipped")
        notice = parse_data(
            job.name, data, rules=_STATE["rules"], keywords=_STATE["keywords"], max_unzipped=_STATE["max_unzipped"]
        )
        line = json.dumps(notice.model_dump(mode="json"), ensure_ascii=False).encode("utf-8") + b"\n"
        table = [[row[c] for c in COLUMNS] for row in rows([notice], _STATE["rules"].export.list_joiner)]
        return _Outcome(job.name, sha, "ok", notice=line, rows=_csv_bytes(table))
    except _TimeUp:
        return _Outcome(job.name, sha, "failed", error_class="LimitExceeded",
                        message=f"{job.name}: took over {timeout} s (the per-file time limit)")
    except InputError as exc:
        return _Outcome(job.name, sha, "failed", error_class=type(exc).__name__, message=str(exc))
    except Exception as exc:  # a bug on one file must not stop the others; it is reported, not hidden
        return _Outcome(job.name, sha, "failed", error_class="InternalError",
                        message=f"{job.name}: internal error ({type(exc).__name__}: {exc}); please report it")
    finally:
        if timeout:
            signal.alarm(0)


# -- outputs -------------------------------------------------------------------------------------


def _name_key(name: str) -> str:
    """What marks an input done when it could not even be read (no content hash)."""
    return f"file:{name}"


def _csv_bytes(rows: list[list[str]]) -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


class _Outputs:
    """The four files of OUTDIR, appended in input order and committed in fsynced batches."""

    def __init__(self, folder: Path, resume: bool, labels: str | None, rules: Any) -> None:
        self.folder = folder
        self.done: set[str] = set()
        self.recorded: set[str] = set()  # inputs the manifest already has a line for
        self.result = BatchResult(output_dir=folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(folder, f"cannot create the output folder ({exc.strerror or exc})") from exc
        manifest = folder / MANIFEST
        if manifest.exists() and manifest.stat().st_size and not resume:
            raise OutputError(folder, "holds an earlier batch (manifest.jsonl): add --resume, or use an empty folder")
        self.files: dict[str, BinaryIO] = {}
        try:
            for name in (NOTICES, ACTIVITIES, ERRORS, MANIFEST):
                self.files[name] = (folder / name).open("ab+", buffering=WRITE_BUFFER)
        except OSError as exc:
            raise OutputError(folder / name, f"cannot write ({exc.strerror or exc})") from exc
        self.header = self._header(labels, rules)
        self._recover()
        self.pending: list[bytes] = []
        self.last_commit = time.monotonic()

    @staticmethod
    def _header(labels: str | None, rules: Any) -> bytes:
        from .export.csv_format import COLUMNS, DEFAULT_LABELS
        from .export.table import headers

        return ("\ufeff" + ",".join(headers(COLUMNS, labels or DEFAULT_LABELS, rules)) + "\r\n").encode("utf-8")

    def _recover(self) -> None:
        """Keep what the manifest vouches for; cut everything written after its last whole line."""
        fh = self.files[MANIFEST]
        fh.seek(0)
        raw = fh.read()
        good, sizes = 0, {NOTICES: 0, ACTIVITIES: len(self.header), ERRORS: 0}
        for line in raw.splitlines(keepends=True):
            if not line.endswith(b"\n"):
                break
            try:
                entry = json.loads(line)
            except ValueError:
                break
            good += len(line)
            sizes = {NOTICES: entry["sizes"][0], ACTIVITIES: entry["sizes"][1], ERRORS: entry["sizes"][2]}
            self.done.add(entry["sha256"] or _name_key(entry["file"]))
            self.recorded.add(entry["file"])
            status = entry["status"]
            if status == "ok":
                self.result.ok += 1
            elif status == "failed":
                self.result.failed += 1
            elif status == "duplicate":
                self.result.duplicates += 1
        fh.truncate(good)
        for name, size in sizes.items():
            self.files[name].truncate(size)
        if sizes[ACTIVITIES] == len(self.header):
            self.files[ACTIVITIES].seek(0)
            self.files[ACTIVITIES].truncate(0)
            self.files[ACTIVITIES].write(self.header)
        for handle in self.files.values():
            handle.seek(0, os.SEEK_END)

    def add(self, outcome: _Outcome) -> None:
        key = outcome.sha256 or _name_key(outcome.name)
        if outcome.name in self.recorded:
            self.result.skipped += 1  # done in an earlier run
            return
        # A worker skips parsing content already done; under a new name that is a duplicate.
        status = "duplicate" if outcome.status == "skipped" else outcome.status
        if outcome.sha256 is not None and outcome.sha256 in self.done:
            status = "duplicate"  # the same content under another name: parsed (or failed) once
        if status == "ok":
            self.files[NOTICES].write(outcome.notice)
            self.files[ACTIVITIES].write(outcome.rows)
            self.result.ok += 1
        elif status == "failed":
            error = {"file": outcome.name, "error": outcome.error_class, "message": outcome.message}
            self.files[ERRORS].write(json.dumps(error, ensure_ascii=False).encode("utf-8") + b"\n")
            self.result.failed += 1
        else:
            self.result.duplicates += 1
        self.done.add(key)
        sizes = [self.files[n].tell() for n in (NOTICES, ACTIVITIES, ERRORS)]
        entry = {"file": outcome.name, "sha256": outcome.sha256, "status": status, "sizes": sizes}
        self.pending.append(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
        if len(self.pending) >= COMMIT_EVERY or time.monotonic() - self.last_commit > COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        """Results to disk first, then the manifest lines that vouch for them."""
        for name in (NOTICES, ACTIVITIES, ERRORS):
            self.files[name].flush()
            os.fsync(self.files[name].fileno())
        if self.pending:
            manifest = self.files[MANIFEST]
            manifest.write(b"".join(self.pending))
            manifest.flush()
            os.fsync(manifest.fileno())
            self.pending = []
        self.last_commit = time.monotonic()

    def close(self) -> None:
        self.commit()
        for handle in self.files.values():
            handle.close()


def _write_finals(folder: Path, formats: Sequence[str], labels: str | None, rules: Any) -> list[str]:
    """json/xlsx/parquet/ics cannot be appended to: write them from notices.jsonl at the end."""
    wanted = [f for f in formats if f in FINAL_FILES]
    if not wanted:
        return []
    from .export import ExportOptions, write_notices
    from .models import Notice

    with (folder / NOTICES).open(encoding="utf-8") as fh:
        notices = [Notice.model_validate_json(line) for line in fh if line.strip()]
    notes = []
    for fmt in wanted:
        options = ExportOptions(many=True, labels=labels, rules=rules)  # type: ignore[arg-type]
        note = write_notices(notices, fmt, folder / FINAL_FILES[fmt], options=options)
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
) -> BatchResult:
    """Parse every input into `output_dir`; see the module docstring for the files and guarantees."""
    from .export import FORMATS
    from .rules import load_rules

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown output format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    active = load_rules(rules)  # a malformed rules file fails here, before any work
    folder = Path(output_dir)
    outputs = _Outputs(folder, resume, labels, active)
    listed = list(find_jobs(inputs))
    bad = [j for j in listed if isinstance(j, InputError)]
    work = [j for j in listed if isinstance(j, Job)]
    for error in bad:
        outputs.add(_Outcome(str(error.path), None, "failed", error_class=type(error).__name__, message=str(error)))
    workers = max(1, jobs or os.cpu_count() or 1)
    init = ([str(r) for r in rules], frozenset(outputs.done), keywords, max_bytes, max_unzipped, timeout)
    show = sys.stderr.isatty() if progress is None else progress
    bar = _Bar(len(work), show)
    try:
        for outcome in _outcomes(work, workers, init):
            outputs.add(outcome)
            bar.update(outputs.result)
    finally:
        bar.close()
        outputs.close()
    result = outputs.result
    result.notes.extend(_write_finals(folder, formats, labels, active))
    return result


def _outcomes(work: list[Job], workers: int, init: tuple[Any, ...]) -> Iterator[_Outcome]:
    # Workers parse, this process writes, so even one worker overlaps parsing with writing.
    # A single file is parsed here: starting a process would cost more than it saves.
    if len(work) <= 1:
        # In this process no alarm is set: signal handlers belong to the caller's program.
        _init(*init[:-1], 0)
        yield from (_work(job) for job in work)
        return
    import multiprocessing

    fork = sys.platform.startswith("linux")
    if fork:
        # Import the pipeline once here; forked workers then share it instead of each importing it.
        from . import api  # noqa: F401
        from .export import csv_format  # noqa: F401
        from .extract import txt  # noqa: F401
    context = multiprocessing.get_context("fork" if fork else "spawn")
    # Small chunks amortise the inter-process hand-over without starving a worker at the end.
    chunk = max(1, min(MAX_CHUNK, len(work) // (workers * 8)))
    with context.Pool(workers, initializer=_init, initargs=init) as pool:
        # imap keeps input order: outputs are the same bytes whatever the timing.
        yield from pool.imap(_work, work, chunksize=chunk)


class _Bar:
    def __init__(self, total: int, show: bool) -> None:
        self.bar = None
        if show:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)

    def update(self, result: BatchResult) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(failed=result.failed, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            with contextlib.suppress(Exception):
                self.bar.close()


def errors_of(folder: Path) -> list[dict[str, Any]]:
    """The failures recorded in a batch folder."""
    path = folder / ERRORS
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

