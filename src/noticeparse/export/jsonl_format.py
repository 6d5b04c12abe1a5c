"""JSON Lines: one document per line, no BOM."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ..models import Notice

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["write"]

BINARY = False


def write(notices: Sequence[Notice], stream: TextIO, *, options: ExportOptions) -> str | None:
    """Write each document as one compact JSON line."""
    for notice in notices:
        stream.write(json.dumps(notice.model_dump(mode="json"), ensure_ascii=False))
        stream.write("\n")
    return None
