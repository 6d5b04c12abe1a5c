"""The HTML report (`noticeparse report`, `--format html`): one self-contained static page — inline
CSS and SVG, no script, nothing fetched — that opens from a USB stick on an intranet.

For each notice: its metadata, a timeline of its activities, a responsibility matrix and every
record as a card with its source span highlighted; for several, a summary first. Rendered with
Jinja2 (templates/report.html.j2, autoescaped: titles are untrusted text); words from
rules/export.toml [export.report.zh] / [export.report.en] (`--labels`, default zh).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .._limits import DEFAULT_MAX_BYTES
from ..models import Notice
from .table import warning_text

if TYPE_CHECKING:
    from . import ExportOptions

__all__ = ["DEFAULT_LABELS", "reread_text", "write"]

BINARY = False
DEFAULT_LABELS = "zh"
TEMPLATES = Path(__file__).with_name("templates")
# Lists of the summary (documents without records) show this many entries at most.
MAX_LISTED = 200


def reread_text(notice: Notice, data: bytes, rules: object) -> str | None:
    """The extracted text of `data` when it is the file the notice was parsed from (same sha256)."""
    from ..extract import extract_blocks, joined_text

    if hashlib.sha256(data).hexdigest() != notice.source.sha256:
        return None
    try:
        extraction = extract_blocks(Path(notice.source.path), data, rules)  # type: ignore[arg-type]
    except Exception:  # the report shows the card without its source rather than fail
        return None
    return joined_text(extraction.blocks)


def _from_disk(rules: object):  # type: ignore[no-untyped-def]
    from ..errors import InputError
    from ..pipeline import read_file

    def text_of(notice: Notice) -> str | None:
        try:  # a regular file within the size limit, as when it was parsed
            data = read_file(Path(notice.source.path), DEFAULT_MAX_BYTES)
        except InputError:
            return None
        return reread_text(notice, data, rules)

    return text_of


@functools.lru_cache(maxsize=1)
def _template() -> Any:
    """The report's template, compiled once per process."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("report.html.j2")


def write(notices: Sequence[Notice], stream: TextIO, *, options: ExportOptions) -> str | None:
    """Write the report of `notices` (and `options.failures`) as one HTML page."""
    from .report_view import build_views, summary

    rules = options.active_rules()
    labels = options.labels or DEFAULT_LABELS
    words = getattr(rules.export.report, labels)
    views = build_views(notices, options.texts or _from_disk(rules), words,
                        lambda w: warning_text(w, labels, rules))  # type: ignore[arg-type]
    many = options.many or len(notices) != 1 or bool(options.failures)
    page = _template().render(
        lang="zh-CN" if labels == "zh" else "en", words=words, views=views, max_listed=MAX_LISTED,
        summary=summary(views, options.failures) if many else None,
    )
    stream.write(page)
    return None
