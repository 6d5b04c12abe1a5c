"""Stage 5: write notices in an output format. One module per format, imported on first use.

Every module has `write(notices, stream, *, options)` writing text to `stream`.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import OutputError

if TYPE_CHECKING:
    from ..models import Notice

__all__ = ["FORMATS", "ExportOptions", "atomic_writer", "write_notices"]

FORMATS = ("json", "jsonl", "csv")


@dataclass(frozen=True)
class ExportOptions:
    """Options every exporter accepts (each reads those it needs)."""

    bom: bool = True
    many: bool = False


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """Write to a temp file beside `path`, then rename it over `path`: never a half-written file.

    Raises OutputError when the folder cannot be written.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(path, f"cannot write ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(path, f"cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_notices(
    notices: Sequence[Notice],
    fmt: str,
    output: Path | None = None,
    *,
    options: ExportOptions | None = None,
) -> None:
    """Write `notices` as `fmt` to `output` (atomically) or to standard output."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    opts = options or ExportOptions()
    if output is None:
        module.write(notices, sys.stdout, options=opts)
        sys.stdout.flush()
        return
    with atomic_writer(output) as fh:
        module.write(notices, fh, options=opts)
