"""The unit of a batch: one input document (a Job), what became of it (an Outcome), and the
function that turns one into the other in a worker."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorruptFile, EncryptedFile, InputError, LimitExceeded, UnsupportedFormat
from ..pipeline import parse_data, read_file

__all__ = ["MAX_ZIP_RATIO", "Job", "Outcome", "WorkState", "csv_bytes", "parse_job", "read_job"]

# A zip member that claims to inflate more than this many times its packed size is a bomb.
MAX_ZIP_RATIO = 200


@dataclass(frozen=True)
class Job:
    """One input document.

    `name` is how it is shown (the path as given, `archive.zip!/member`); `key` is canonical
    (the resolved path, and the member's position in its archive), so a folder spelled
    relative or absolute, or two members of the same name, are told apart correctly.
    """

    name: str
    path: str
    key: str
    member: str | None = None
    index: int | None = None  # the member's position in the archive's central directory


@dataclass(frozen=True)
class Outcome:
    """What became of a job: parsed (its JSON line and CSV rows), failed, or content already done."""

    name: str
    key: str
    sha256: str | None
    status: str  # ok, failed, skipped
    notice: bytes = b""
    rows: bytes = b""
    error_class: str | None = None
    message: str | None = None
    records: int = 0  # activities of a parsed document
    seconds: float = 0.0  # how long the worker took
    warnings: tuple[str, ...] = ()  # the document's warning codes


@dataclass(frozen=True)
class WorkState:
    """What every worker needs, loaded once per worker process."""

    rule_files: tuple[str, ...] = ()
    done: frozenset[str] = frozenset()
    keywords: bool = False
    max_bytes: int = 0
    max_unzipped: int = 0
    escape_formulas: bool = True
    ocr: str = "auto"
    cache: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def rules(self) -> Any:
        if "rules" not in self.cache:
            from ..rules import load_rules

            self.cache["rules"] = load_rules(list(self.rule_files))
        return self.cache["rules"]


# The archive this process read its last member from, kept open: reading the central directory
# of a 2,500-member zip costs 30 ms, once per member it was 80 s of a batch's time.
_ARCHIVE: dict[tuple[int, str, int, int], zipfile.ZipFile] = {}


def _archive(path: str) -> zipfile.ZipFile:
    """The open archive at `path` for this process (reopened when the file changed or after a fork:
    an open file's offset must never be shared between processes)."""
    info = os.stat(path)
    key = (os.getpid(), path, info.st_size, info.st_mtime_ns)
    found = _ARCHIVE.get(key)
    if found is None:
        for (pid, *_), old in _ARCHIVE.items():
            if pid == key[0]:  # one inherited from the parent is left alone: it is the parent's
                with contextlib.suppress(OSError):
                    old.close()
        _ARCHIVE.clear()
        found = _ARCHIVE[key] = zipfile.ZipFile(path)
    return found


def read_job(job: Job, max_bytes: int) -> bytes:
    """The bytes of a job: a regular file, or a zip member read in memory (never extracted)."""
    if job.member is None:
        return read_file(Path(job.path), max_bytes)
    try:
        archive = _archive(job.path)
        info = archive.infolist()[job.index or 0]
        if info.file_size > max_bytes:
            raise LimitExceeded(job.name, f"unzips to {info.file_size} bytes, over the {max_bytes}-byte limit")
        if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
            raise LimitExceeded(job.name, f"inflates {info.file_size // info.compress_size}-fold: a zip bomb?")
        with archive.open(info) as fh:
            data = fh.read(max_bytes + 1)  # a lying size header stops here too
    except zipfile.BadZipFile as exc:  # a bad CRC-32, a truncated member
        raise CorruptFile(job.name, f"damaged zip member ({exc})") from exc
    except NotImplementedError as exc:  # a compression method zipfile cannot inflate
        raise UnsupportedFormat(job.name, f"zip member packed with an unsupported method ({exc})") from exc
    except RuntimeError as exc:  # zipfile's word for an encrypted member
        raise EncryptedFile(job.name, f"encrypted zip member ({exc})") from exc
    except (OSError, IndexError) as exc:
        raise InputError(job.name, f"cannot read the zip member ({exc})") from exc
    if len(data) > max_bytes:
        raise LimitExceeded(job.name, f"unzips to over the {max_bytes}-byte limit")
    return data


def csv_bytes(rows: list[list[str]]) -> bytes:
    """CSV rows as the batch writes them (CRLF, UTF-8)."""
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def parse_job(job: Job, state: WorkState) -> Outcome:
    """Parse one job; every failure is an Outcome, never an exception."""
    import time

    from ..export.csv_format import COLUMNS, rows

    sha = None
    started = time.perf_counter()
    try:
        data = read_job(job, state.max_bytes)
        sha = hashlib.sha256(data).hexdigest()
        if sha in state.done:
            return Outcome(job.name, job.key, sha, "skipped")
        rules = state.rules()
        notice = parse_data(job.name, data, rules=rules, keywords=state.keywords, max_unzipped=state.max_unzipped,
                            ocr=state.ocr)
        line = json.dumps(notice.model_dump(mode="json"), ensure_ascii=False).encode("utf-8") + b"\n"
        table = [[row[c] for c in COLUMNS] for row in rows([notice], rules, state.escape_formulas)]
        return Outcome(job.name, job.key, sha, "ok", notice=line, rows=csv_bytes(table),
                       records=len(notice.activities), seconds=time.perf_counter() - started,
                       warnings=tuple(sorted({w.code for w in notice.warnings})))
    except InputError as exc:
        return Outcome(job.name, job.key, sha, "failed", error_class=type(exc).__name__, message=str(exc))
    except Exception as exc:  # a bug on one file must not stop the others; it is reported, not hidden
        return Outcome(job.name, job.key, sha, "failed", error_class="InternalError",
                       message=f"{job.name}: internal error ({type(exc).__name__}: {exc}); please report it")
