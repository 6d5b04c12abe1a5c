"""JSON: one object for one document, an array for several."""

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
    """Write one JSON object (or an array when `options.many`), pretty-printed, UTF-8."""
    docs = [n.model_dump(mode="json") for n in notices]
    value = docs if options.many or len(docs) != 1 else docs[0]
    json.dump(value, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
    return None
