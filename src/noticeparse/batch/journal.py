"""A batch's output folder: durable, resumable, and never holding a stale or doubled result.

    notices.jsonl    one parsed document per line
    activities.csv   one row per activity (the columns of `extract --format csv`)
    errors.jsonl     one line per file that failed: file, error class, message
    manifest.jsonl   one line per input: file, key, sha256, status, size and mtime,
                     and the sizes of the three files above after it
    .lock            held while a batch writes: a second batch into the folder stops at once

Results are appended, then fsynced in small batches; a batch's manifest lines are written
(and fsynced) only after its results. On resume the manifest is read, a half-written last
line dropped and every output cut back to the sizes its last line records; an input whose
size or mtime changed is hashed again, and when its content changed (or it is no longer
among the inputs) the outputs are rewritten without its old result, through temporary files
renamed into place. A run killed at any moment and resumed ends with exactly the files of an
uninterrupted run.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import OutputError
from .work import Outcome

__all__ = ["ACTIVITIES", "ERRORS", "MANIFEST", "NOTICES", "BatchResult", "Journal", "WriteFailed"]

NOTICES, ACTIVITIES, ERRORS, MANIFEST, LOCK = (
    "notices.jsonl", "activities.csv", "errors.jsonl", "manifest.jsonl", ".lock",
)
_STREAMS = (NOTICES, ACTIVITIES, ERRORS)
# Results written between two fsyncs at most, and seconds between them at most: a crash
# costs at most this much work again on resume; fsyncing more often costs throughput.
COMMIT_EVERY = 256
COMMIT_SECONDS = 2.0
# Output files buffer this much before a write reaches the OS.
WRITE_BUFFER = 1 << 20


class WriteFailed(OutputError):
    """Raised when the output folder stops taking writes mid-batch (a full disk, a file-size limit)."""


@dataclass
class BatchResult:
    """Counts of a batch over the whole output folder (earlier runs included) and this run's notes."""

    ok: int = 0
    failed: int = 0
    duplicates: int = 0
    skipped: int = 0
    changed: int = 0
    missing: int = 0
    without_records: int = 0
    output_dir: Path = Path(".")
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user."""
        ok = f"{self.ok} ok" + (f" ({self.without_records} without records)" if self.without_records else "")
        parts = [ok, f"{self.failed} failed"]
        for count, word in ((self.duplicates, "duplicates"), (self.skipped, "already done"),
                            (self.changed, "changed since the last run"), (self.missing, "no longer present")):
            if count:
                parts.append(f"{count} {word}")
        tail = f", see {self.output_dir / ERRORS}" if self.failed else ""
        return ", ".join(parts) + tail


@dataclass
class _Entry:
    line: dict[str, Any]
    ranges: dict[str, tuple[int, int]]


def _lock(folder: Path) -> BinaryIO:
    handle = (folder / LOCK).open("ab")
    try:
        import fcntl
    except ImportError:  # no advisory locks on this system
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise OutputError(folder, "another batch is writing to this folder; wait for it or use another") from None
    return handle


class Journal:
    """The four files of OUTDIR, appended in input order and committed in fsynced batches."""

    def __init__(self, folder: Path, resume: bool, header: bytes) -> None:
        self.folder = folder
        self.header = header
        self.result = BatchResult(output_dir=folder)
        self.entries: dict[str, _Entry] = {}  # by input key: what the folder already holds
        self.shas: set[str] = set()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(folder, f"cannot create the output folder ({exc.strerror or exc})") from exc
        self.lock = _lock(folder)
        manifest = folder / MANIFEST
        if manifest.exists() and manifest.stat().st_size and not resume:
            self.lock.close()
            raise OutputError(folder, "holds an earlier batch (manifest.jsonl): add --resume, or use an empty folder")
        self.files: dict[str, BinaryIO] = {}
        self._open()
        self._recover()
        self.pending: list[bytes] = []
        self.last_commit = time.monotonic()

    def _open(self) -> None:
        try:
            for name in (*_STREAMS, MANIFEST):
                self.files[name] = (self.folder / name).open("ab+", buffering=WRITE_BUFFER)
        except OSError as exc:
            raise OutputError(self.folder / name, f"cannot write ({exc.strerror or exc})") from exc

    def _recover(self) -> None:
        """Keep what the manifest vouches for; cut everything written after its last whole line."""
        fh = self.files[MANIFEST]
        fh.seek(0)
        good = 0
        sizes = {NOTICES: 0, ACTIVITIES: len(self.header), ERRORS: 0}
        for raw in fh.read().splitlines(keepends=True):
            if not raw.endswith(b"\n"):
                break
            try:
                line = json.loads(raw)
                after = dict(zip(_STREAMS, line["sizes"], strict=True))
            except (ValueError, KeyError, TypeError):
                break
            good += len(raw)
            ranges = {n: (sizes[n], after[n]) for n in _STREAMS}
            sizes = after
            key = line.get("key") or line["file"]
            if line["status"] == "missing":
                continue
            self.entries[key] = _Entry(line, ranges)
            if line.get("sha256"):
                self.shas.add(line["sha256"])
        try:
            fh.truncate(good)
            for name, size in sizes.items():
                self.files[name].truncate(size)
            if sizes[ACTIVITIES] == len(self.header):
                self.files[ACTIVITIES].seek(0)
                self.files[ACTIVITIES].truncate(0)
                self.files[ACTIVITIES].write(self.header)
            for handle in self.files.values():
                handle.seek(0, os.SEEK_END)
        except OSError as exc:
            raise WriteFailed(self.folder, f"{exc.strerror or exc}; --resume continues") from exc
        self._count()

    def _count(self) -> None:
        r = self.result
        r.ok = sum(1 for e in self.entries.values() if e.line["status"] == "ok")
        r.failed = sum(1 for e in self.entries.values() if e.line["status"] == "failed")
        r.duplicates = sum(1 for e in self.entries.values() if e.line["status"] == "duplicate")
        r.without_records = sum(1 for e in self.entries.values() if e.line.get("records") == 0)

    def entry(self, key: str) -> dict[str, Any] | None:
        """The manifest line the folder holds for an input, if any."""
        found = self.entries.get(key)
        return found.line if found else None

    def drop(self, changed: Sequence[str], missing: Sequence[str]) -> None:
        """Rewrite the outputs without the results of these inputs (changed content, or gone)."""
        gone = set(changed) | set(missing)
        if not gone:
            return
        self.commit()
        keep = [(k, e) for k, e in self.entries.items() if k not in gone]
        missing_lines = [self.entries[k].line for k in missing if k in self.entries]
        temps: dict[str, Path] = {}
        try:
            outs = {}
            for name in (*_STREAMS, MANIFEST):
                fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.")
                temps[name] = Path(tmp)
                outs[name] = os.fdopen(fd, "wb")
            outs[ACTIVITIES].write(self.header)
            entries: dict[str, _Entry] = {}
            for key, entry in keep:
                ranges = {}
                for name in _STREAMS:
                    start, end = entry.ranges[name]
                    src = self.files[name]
                    src.seek(start)
                    before = outs[name].tell()
                    outs[name].write(src.read(end - start))
                    ranges[name] = (before, outs[name].tell())
                line = {**entry.line, "sizes": [ranges[n][1] for n in _STREAMS]}
                outs[MANIFEST].write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
                entries[key] = _Entry(line, ranges)
            for line in missing_lines:
                note = {**line, "status": "missing", "sizes": [outs[n].tell() for n in _STREAMS]}
                outs[MANIFEST].write(json.dumps(note, ensure_ascii=False).encode("utf-8") + b"\n")
            for handle in outs.values():
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
            for handle in self.files.values():
                handle.close()
            # The manifest goes last: until it is renamed, a crash leaves the old, consistent set.
            for name in (*_STREAMS, MANIFEST):
                os.replace(temps[name], self.folder / name)
        except OSError as exc:
            for tmp in temps.values():
                tmp.unlink(missing_ok=True)
            raise WriteFailed(self.folder, f"{exc.strerror or exc}; --resume continues") from exc
        self.files = {}
        self._open()
        for handle in self.files.values():
            handle.seek(0, os.SEEK_END)
        self.entries = entries
        self.shas = {e.line["sha256"] for e in entries.values() if e.line.get("sha256")}
        self._count()
        self.result.changed += len(changed)
        self.result.missing += len(missing)

    def add(self, outcome: Outcome, stat: tuple[int, int] | None, changed: bool = False) -> None:
        """Write one finished input (in input order)."""
        status = "duplicate" if outcome.status == "skipped" else outcome.status
        if outcome.sha256 is not None and outcome.sha256 in self.shas:
            status = "duplicate"  # the same content under another name: parsed (or failed) once
        try:
            if status == "ok":
                self.files[NOTICES].write(outcome.notice)
                self.files[ACTIVITIES].write(outcome.rows)
                self.result.ok += 1
                self.result.without_records += outcome.records == 0
            elif status == "failed":
                error = {"file": outcome.name, "error": outcome.error_class, "message": outcome.message}
                self.files[ERRORS].write(json.dumps(error, ensure_ascii=False).encode("utf-8") + b"\n")
                self.result.failed += 1
            else:
                self.result.duplicates += 1
            if outcome.sha256:
                self.shas.add(outcome.sha256)
            sizes = [self.files[n].tell() for n in _STREAMS]
            line: dict[str, Any] = {"file": outcome.name, "key": outcome.key, "sha256": outcome.sha256,
                                    "status": status, "size": stat[0] if stat else None,
                                    "mtime_ns": stat[1] if stat else None, "sizes": sizes}
            if status == "ok":
                line["records"] = outcome.records
            if changed:
                line["changed"] = True
            self.pending.append(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
            if len(self.pending) >= COMMIT_EVERY or time.monotonic() - self.last_commit > COMMIT_SECONDS:
                self.commit()
        except OSError as exc:
            raise WriteFailed(self.folder, f"{exc.strerror or exc}; --resume continues") from exc

    def commit(self) -> None:
        """Results to disk first, then the manifest lines that vouch for them."""
        try:
            for name in _STREAMS:
                self.files[name].flush()
                os.fsync(self.files[name].fileno())
            if self.pending:
                manifest = self.files[MANIFEST]
                manifest.write(b"".join(self.pending))
                manifest.flush()
                os.fsync(manifest.fileno())
                self.pending = []
        except OSError as exc:
            raise WriteFailed(self.folder, f"{exc.strerror or exc}; --resume continues") from exc
        self.last_commit = time.monotonic()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            for handle in self.files.values():
                try:
                    handle.close()
                except OSError:
                    pass  # what the manifest vouches for is on disk already
            self.lock.close()
