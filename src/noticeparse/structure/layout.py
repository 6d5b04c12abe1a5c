"""Recognise the layout lines of a notice that end ownership: 落款 dates, signatures, 附件."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING, Literal

from ..models import Block
from ..rules import Rules, memoized
from ..text.numerals import fold_numerals
from ..text.width import fold_width
from .labels import match_heading

if TYPE_CHECKING:
    from .paragraphs import Paragraph

__all__ = ["Role", "block_roles", "is_organ_line", "parse_date_line", "read_date_line", "signature_lines"]

Role = Literal["date", "signature", "attachment", "attachment_start"]
# How far a signature may stand from its date line, in lines.
DEFAULT_SIGNATURE_LINES_ABOVE = 4
DEFAULT_SIGNATURE_LINES_BELOW = 2
DEFAULT_ORGAN_MAX_LENGTH = 40
# No whole-line date (二〇二四年十二月三十一日 with spaces) is longer than this.
DEFAULT_DATE_LINE_MAX = 40


def read_date_line(text: str, rules: Rules, *, folded: str | None = None) -> tuple[int, int, int | None] | None:
    """(year, month, day) when the whole line is a date (`2024年9月13日`, `二〇〇九年十二月十四日`);
    `parse_date_line` remembers the answers. `folded` is `fold_width(text)` when the caller has it."""
    if len(text) > DEFAULT_DATE_LINE_MAX:
        return None  # a paragraph, not a date line: skip the numeral folding
    folded = fold_numerals((fold_width(text) if folded is None else folded).strip(), rules.numerals)
    m = rules.metadata.date.fullmatch(folded)
    if not m:
        return None
    year, month = int(m["year"]), int(m["month"])
    day = int(m["day"]) if m["day"] else None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return year, month, day


parse_date_line = memoized(read_date_line)


@memoized
def is_organ_line(text: str, rules: Rules) -> bool:
    """Whether a line can be a signature or a title's organ line: short, no sentence punctuation."""
    folded = fold_width(text).strip()
    meta = rules.metadata
    if not folded or len(folded) > DEFAULT_ORGAN_MAX_LENGTH or folded.startswith("("):
        return False
    stops = (*rules.text.sentence_end, *rules.text.label_separators, *rules.text.segment_separators)
    if any(s in folded for s in stops):
        return False
    if match_heading(text, rules) or parse_date_line(text, rules):
        return False
    if meta.attachment_start.fullmatch(folded) or meta.doc_number.fullmatch(folded):
        return False
    compact = "".join(folded.split())
    if not any(unicodedata.category(ch) == "Lo" for ch in compact):
        return False  # an organ's name is written in CJK (not a file name or a number)
    if meta.masthead_suffixes and compact.endswith(tuple(meta.masthead_suffixes)):
        return False
    return not compact.endswith(tuple(meta.title_suffixes))


def signature_lines(blocks: list[Block], i: int, rules: Rules) -> list[int]:
    """The signature lines of the date line at `i`: directly above it, else directly below."""
    above = []
    for j in range(i - 1, max(-1, i - 1 - DEFAULT_SIGNATURE_LINES_ABOVE), -1):
        if blocks[j].kind != "paragraph" or not is_organ_line(blocks[j].text, rules):
            break
        above.insert(0, j)
    if above:
        return above
    below = []
    for j in range(i + 1, min(len(blocks), i + 1 + DEFAULT_SIGNATURE_LINES_BELOW)):
        if blocks[j].kind != "paragraph" or not is_organ_line(blocks[j].text, rules):
            break
        below.append(j)
    return below


def _label_heading(paragraph: Paragraph | None, rules: Rules) -> bool:
    """A heading short enough to be a field label (二、活动时间): a date right under it is its value."""
    if paragraph is None or paragraph.heading is None:
        return False
    rest = "".join(paragraph.folded[paragraph.heading.end :].split())
    return len(rest) <= rules.labels.max_length


def block_roles(blocks: list[Block], paragraphs: list[Paragraph | None], rules: Rules) -> dict[int, Role]:
    """Role of each layout block, by block index; blocks without a role are absent.

    `paragraphs` are the blocks' readings (`read_paragraphs`)."""
    roles: dict[int, Role] = {}
    meta = rules.metadata
    # Inside the 附件说明 list (附件：1.… ⏎ 2.…), numbered lines are its items, not headings.
    listing = False
    for i, paragraph in enumerate(paragraphs):
        if paragraph is None:
            listing = False
            continue
        folded = paragraph.stripped
        after_item, listing = listing, listing and bool(meta.attachment_item.match(folded))
        if meta.attachment.fullmatch(folded):
            roles[i] = "attachment"
            listing = True
        elif meta.attachment_start.fullmatch(folded):
            roles[i] = "attachment_start"
        elif paragraph.date and not (i > 0 and not after_item and _label_heading(paragraphs[i - 1], rules)):
            roles[i] = "date"
            for j in signature_lines(blocks, i, rules):
                roles.setdefault(j, "signature")
    return roles
