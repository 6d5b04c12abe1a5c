"""Legacy Word (.doc) and WPS (.wps) files: converted to .docx by LibreOffice, then read as .docx.

LibreOffice (`soffice`) runs headless with a private profile in a temporary
folder, so it neither touches the user's profile nor collides with a running
instance, under a time limit after which its whole process group is killed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import CorruptFile, LimitExceeded, UnsupportedFormat
from ..models import Extraction
from ..rules import Rules
from . import Limits, docx

__all__ = ["DEFAULT_CONVERT_TIMEOUT", "convert_to_docx", "extract", "find_soffice"]

DEFAULT_CONVERT_TIMEOUT = 120.0
# Legacy Word and WPS files are OLE containers; Word also saves RTF under .doc.
_SIGNATURES = (b"\xd0\xcf\x11\xe0", b"{\\rtf")
INSTALL_HINT = "install LibreOffice (Debian/Ubuntu: apt install libreoffice-writer-nogui) or save the file as .docx"


def find_soffice() -> str | None:
    """The LibreOffice command on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, data: bytes, timeout: float = DEFAULT_CONVERT_TIMEOUT) -> bytes:
    """The .docx LibreOffice makes of `data`.

    Raises UnsupportedFormat without LibreOffice, LimitExceeded after `timeout`
    seconds, CorruptFile when LibreOffice cannot read the file.
    """
    soffice = find_soffice()
    if soffice is None:
        raise UnsupportedFormat(path, f"a legacy Word/WPS file needs LibreOffice to convert it; {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="noticeparse-") as tmp:
        work = Path(tmp)
        source = work / f"input{path.suffix.lower() or '.doc'}"
        source.write_bytes(data)
        out = work / "out"
        command = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "docx", "--outdir", str(out), str(source),
        ]
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise LimitExceeded(path, f"LibreOffice took over {timeout:g} s to convert it") from exc
        result = out / "input.docx"
        if proc.returncode != 0 or not result.is_file():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise CorruptFile(path, f"LibreOffice could not convert it (encrypted or damaged?): {detail[0][:200]}")
        return result.read_bytes()


def extract(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """Convert with LibreOffice, then read the .docx it made."""
    if not data.startswith(_SIGNATURES):
        raise CorruptFile(path, "not a Word/WPS document (OLE or RTF signature missing)")
    extraction = docx.extract(path, convert_to_docx(path, data), rules, limits)
    return extraction.model_copy(update={"format": "doc"})
