"""Stage 5: write notices in an output format. One module per format, imported on first use.

Every module has `BINARY` (whether it writes bytes) and `write(notices, stream, *,
options) -> str | None`, which writes to a text or binary stream and may return
a one-line note for the user (records it had to skip).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from ..errors import OutputError

if TYPE_CHECKING:
    from ..models import Notice
    from ..rules import Rules

__all__ = [
    "BINARY_FORMATS", "FORMATS", "LABELLED_FORMATS", "SUFFIX_FORMATS", "ExportOptions", "atomic_writer",
    "format_for", "render_notices", "write_notices",
]

FORMATS = ("json", "jsonl", "csv", "xlsx", "parquet", "ics", "tasks-csv", "html")
BINARY_FORMATS = ("xlsx", "parquet")
# Formats whose output `labels` changes (column headers; the iCalendar description's names; the
# report's headings).
LABELLED_FORMATS = ("csv", "xlsx", "parquet", "ics", "tasks-csv", "html")
# What an output file's extension says its format is.
SUFFIX_FORMATS = {
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx",
    ".parquet": "parquet", ".ics": "ics", ".html": "html", ".htm": "html",
}


def _module(fmt: str) -> Any:
    """The exporter of a format (tasks-csv lives in tasks_csv_format.py)."""
    return importlib.import_module(f"{__name__}.{fmt.replace('-', '_')}_format")


def format_for(output: Path | None, fmt: str | None) -> str:
    """The output format: the one given, else the one `output`'s extension names, else json.

    Raises ValueError when the given format contradicts the extension (`-o x.xlsx --format csv`).
    """
    named = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if named is not None and named != fmt:
            raise ValueError(f"--format {fmt} contradicts the output file's extension {output.suffix}")  # type: ignore[union-attr]
        return fmt
    return named or "json"


def render_notices(
    notices: Sequence[Notice], fmt: str, *, options: ExportOptions | None = None
) -> tuple[str | bytes, str | None]:
    """`notices` as `fmt`, in memory (text, or bytes for a binary format), and the exporter's note."""
    import io

    module = _module(fmt)
    opts = options or ExportOptions()
    if module.BINARY:
        buffer = io.BytesIO()
        note = module.write(notices, buffer, options=opts)
        return buffer.getvalue(), note
    text = io.StringIO(newline="")
    note = module.write(notices, text, options=opts)
    return text.getvalue(), note


@dataclass(frozen=True)
class ExportOptions:
    """Options every exporter accepts (each reads those it needs)."""

    bom: bool = True
    many: bool = False
    # Header language of tabular formats; None = the format's default (CSV en, XLSX zh).
    labels: Literal["zh", "en"] | None = None
    rules: Rules | None = None
    # CSV/XLSX: a cell starting with = + - @ is written as text, never as a live formula.
    escape_formulas: bool = True
    # iCalendar: only VEVENTs (no VTODO for activities that have only a deadline).
    ics_events_only: bool = False
    # The report (html): files that failed, as (file, message), listed in its summary.
    failures: tuple[tuple[str, str], ...] = ()
    # The report: where a notice's extracted text comes from when it was not parsed in this process
    # (a batch re-reads its inputs); None when it cannot be had.
    texts: Callable[[Notice], str | None] | None = None

    def active_rules(self) -> Rules:
        """The rules to name columns with: the ones given, else the shipped ones."""
        if self.rules is not None:
            return self.rules
        from ..rules import default_rules

        return default_rules()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_writer(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    """Write to a temp file beside `path`, then rename it over `path`: never a half-written file.

    Raises OutputError when the folder cannot be written.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        # mkstemp makes the file private (0600); give it the mode a new file would get.
        os.chmod(tmp, 0o666 & ~_umask())
    except OSError as exc:
        raise OutputError(path, f"cannot write ({exc.strerror or exc})") from exc
    try:
        opened = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with opened as fh:
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
    stream: IO[Any] | None = None,
) -> str | None:
    """Write `notices` as `fmt` to `output` (atomically), to `stream`, or to standard output.

    Returns the exporter's one-line note, if it has one. Raises OutputError when
    a binary format would go to a terminal.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = _module(fmt)
    opts = options or ExportOptions()
    if stream is not None:
        target = getattr(stream, "buffer", stream) if module.BINARY else stream
        note_: str | None = module.write(notices, target, options=opts)
        target.flush()
        return note_
    if output is None:
        if module.BINARY:
            if sys.stdout.isatty():
                raise OutputError(None, f"{fmt} is a binary format: give -o FILE (or redirect standard output)")
            note: str | None = module.write(notices, sys.stdout.buffer, options=opts)
            sys.stdout.buffer.flush()
            return note
        note = module.write(notices, sys.stdout, options=opts)
        sys.stdout.flush()
        return note
    with atomic_writer(output, binary=module.BINARY) as fh:
        return module.write(notices, fh, options=opts)  # type: ignore[no-any-return]
