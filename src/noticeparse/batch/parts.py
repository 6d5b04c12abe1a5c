"""Part files: what a Dask task parsed, written by the worker into OUTDIR/parts/ on storage every
worker and the driver see.

    parts/part-NNNNN.jsonl   one line per input of partition NNNNN (its Outcome, and the size and
                             mtime its file had), then a last line {"end": count}

A part is written to a temporary name, fsynced and renamed, so it is either whole or absent. The
driver merges parts into the journal in input order (the same bytes as a local run); on
`--resume` a whole part whose inputs are unchanged is read instead of parsing them again, so a
driver killed after its workers finished loses no work. Partition NNNNN is the NNNNN-th run of
`size` inputs of the whole listing (done ones included), so the numbering holds across runs.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .work import Outcome

__all__ = ["PARTS", "clear_parts", "part_path", "read_part", "write_part"]

PARTS = "parts"


def part_path(folder: str | Path, number: int) -> Path:
    return Path(folder) / PARTS / f"part-{number:05d}.jsonl"


def _line(outcome: Outcome, stat: tuple[int, int] | None) -> dict[str, Any]:
    return {
        "name": outcome.name, "key": outcome.key, "sha256": outcome.sha256, "status": outcome.status,
        "notice": outcome.notice.decode("utf-8"), "rows": outcome.rows.decode("utf-8"),
        "error_class": outcome.error_class, "message": outcome.message, "records": outcome.records,
        "seconds": outcome.seconds, "warnings": list(outcome.warnings), "stat": list(stat) if stat else None,
    }


def write_part(path: Path, entries: Iterable[tuple[Outcome, tuple[int, int] | None]]) -> None:
    """Write a part atomically: a temporary file beside it, fsynced, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        count = 0
        with os.fdopen(fd, "wb") as fh:
            for outcome, stat in entries:
                fh.write(json.dumps(_line(outcome, stat), ensure_ascii=False).encode("utf-8") + b"\n")
                count += 1
            fh.write(json.dumps({"end": count}).encode("utf-8") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_part(path: Path) -> dict[str, tuple[Outcome, tuple[int, int] | None]] | None:
    """The outcomes of a whole part by input key (with the stat its file had), or None when the
    part is absent, cut short or unreadable."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return None
    try:
        end = json.loads(lines[-1]) if lines else None
        if not isinstance(end, dict) or end.get("end") != len(lines) - 1:
            return None
        out = {}
        for raw in lines[:-1]:
            d = json.loads(raw)
            outcome = Outcome(
                d["name"], d["key"], d["sha256"], d["status"], notice=d["notice"].encode("utf-8"),
                rows=d["rows"].encode("utf-8"), error_class=d["error_class"], message=d["message"],
                records=d["records"], seconds=d["seconds"], warnings=tuple(d["warnings"]),
            )
            out[outcome.key] = (outcome, tuple(d["stat"]) if d["stat"] else None)  # type: ignore[assignment]
        return out
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def clear_parts(folder: str | Path) -> None:
    """Remove the parts once the journal holds them all (a finished batch keeps no duplicates)."""
    parts = Path(folder) / PARTS
    if not parts.is_dir():
        return
    for child in parts.iterdir():
        child.unlink(missing_ok=True)
    try:
        parts.rmdir()
    except OSError:
        pass  # a file another process just wrote: left for the next run
