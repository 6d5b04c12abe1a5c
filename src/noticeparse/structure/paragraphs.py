"""Read every paragraph once, where blocks enter the structure stage.

What the later stages ask of a paragraph — its folded text, the heading label it opens with, the
fields of a whole-paragraph field line, a `label：value` start, whether the whole line is a date —
is decided here, in one pass, and carried in the Tree; the tree builder and the record builders
read these answers instead of running the recognisers again.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Block
from ..rules import Rules
from ..text.labels import read_heading, read_label_value
from ..text.width import fold_width
from .labels import FieldLine, HeadingLabel, field_line_of
from .layout import read_date_line

__all__ = ["Paragraph", "read_paragraph", "read_paragraphs"]


@dataclass(slots=True)
class Paragraph:
    """One paragraph read once (never changed afterwards; not declared frozen, which would make
    every paragraph's reading cost more to build).

    `folded` is `text` with full-width forms made ASCII (`fold_width`); the fold keeps the
    length, so an offset in one is the same offset in the other.
    """

    text: str
    folded: str
    heading: HeadingLabel | None
    # The fields of a whole-paragraph field line (its first label canonical), after any heading label.
    fields: tuple[FieldLine, ...] | None
    # A `label：value` at the paragraph's very start, canonical or not.
    label_value: FieldLine | None
    # (year, month, day) when the whole line is a date (a 落款 date).
    date: tuple[int, int, int | None] | None

    @property
    def stripped(self) -> str:
        """The folded text without surrounding whitespace."""
        return self.folded.strip()


def read_paragraph(text: str, rules: Rules) -> Paragraph:
    """Read one paragraph's text (by the recognisers themselves: each paragraph is read once,
    and remembering every answer would cost more than it saves)."""
    folded = fold_width(text)
    heading = read_heading(text, rules, folded=folded)
    label_value = read_label_value(text, rules, folded=folded)
    if heading and heading.end:
        start_line = read_label_value(text, rules, heading.end, folded=folded)
    else:
        start_line = label_value
    return Paragraph(
        text=text,
        folded=folded,
        heading=heading,
        fields=field_line_of(start_line, text, rules),
        label_value=label_value,
        date=read_date_line(text, rules, folded=folded),
    )


def read_paragraphs(blocks: list[Block], rules: Rules) -> list[Paragraph | None]:
    """Each block's reading, by block position; None for a table."""
    return [read_paragraph(b.text, rules) if b.kind == "paragraph" else None for b in blocks]
