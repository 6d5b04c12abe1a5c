"""What a batch reads: files, folders, globs and .zip archives → a stable, sorted list of Jobs."""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import InputError, display_path
from .work import Job

__all__ = ["SUPPORTED_SUFFIXES", "find_jobs", "is_supported", "stat_key"]

# Files a folder walk takes by extension; other files are taken when their first bytes say
# they are a supported binary format (a PDF, a Word or OFD zip, an OLE .doc/.wps).
SUPPORTED_SUFFIXES = frozenset(
    {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".aspx", ".asp", ".jsp", ".php", ".docx", ".doc",
     ".wps", ".pdf", ".ofd", ".zip"}
)
_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def is_supported(path: Path) -> bool:
    """Whether a file met in a folder walk is a document the batch should read."""
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(8).startswith(_SIGNATURES)
    except OSError:
        return False


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


def _regular(path: Path) -> bool:
    """A regular file (opening a FIFO to sniff it would block)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # let reading it report the cause


def _canonical(path: Path) -> str:
    return os.path.realpath(path)


def _file_jobs(path: Path) -> Iterator[Job | InputError]:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        yield InputError(path, f"cannot read ({exc.strerror or exc})")
        return
    if not stat.S_ISREG(mode):
        yield InputError(path, "not a regular file (a pipe, device or socket)")
        return
    if not _is_archive(path):
        yield Job(display_path(path), str(path), _canonical(path))
        return
    try:
        with zipfile.ZipFile(path) as archive:
            for index, info in enumerate(archive.infolist()):
                if info.is_dir():
                    continue
                # Members are read, never extracted: a name like ../../x is only a label here.
                # Two members may share a name: the position tells them apart.
                name = f"{display_path(path)}!/{_member_name(info)}"
                yield Job(name, str(path), f"{_canonical(path)}!/{index}", info.filename, index)
    except (zipfile.BadZipFile, OSError) as exc:
        yield InputError(path, f"damaged zip archive ({exc})")


def _excluded(path: Path, skip: Sequence[Path], include: Sequence[str], exclude: Sequence[str]) -> bool:
    text = str(path)
    if include and not any(fnmatch.fnmatch(text, g) or fnmatch.fnmatch(path.name, g) for g in include):
        return True
    return any(fnmatch.fnmatch(text, g) or fnmatch.fnmatch(path.name, g) for g in exclude)


def find_jobs(
    inputs: Sequence[str | Path],
    *,
    skip: Sequence[Path] = (),
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[Job | InputError]:
    """Every document the inputs name, in a stable order: files, folders (recursively, sorted,
    symlinked folders not followed, only supported files, the `skip` folders left out),
    globs, and the members of .zip archives. `include`/`exclude` are file-name globs."""
    skipped = {_canonical(s) for s in skip}
    for given in inputs:
        text = str(given)
        path = Path(text)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if _canonical(Path(root) / d) not in skipped)
                if _canonical(Path(root)) in skipped:
                    continue
                for name in sorted(files):
                    file = Path(root) / name
                    if _excluded(file, skip, include, exclude):
                        continue
                    if not _regular(file):
                        yield InputError(file, "not a regular file (a pipe, device or socket)")
                    elif is_supported(file):
                        yield from _file_jobs(file)
        elif path.is_file() or (path.exists() and not path.is_symlink()):
            yield from _file_jobs(path)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield InputError(text, "no file matches this pattern")
            for match in matches:
                if Path(match).is_dir():
                    yield from find_jobs([match], skip=skip, include=include, exclude=exclude)
                elif not _excluded(Path(match), skip, include, exclude):
                    yield from _file_jobs(Path(match))
        elif path.is_symlink():
            yield InputError(text, "a broken symbolic link")
        else:
            yield InputError(text, "no such file or folder")


def stat_key(job: Job) -> tuple[int, int] | None:
    """(size, mtime in ns) of the file behind a job: what tells on resume that it may have changed."""
    try:
        info = os.stat(job.path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns
