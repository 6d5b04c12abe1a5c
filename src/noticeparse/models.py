"""Pydantic models of everything noticeparse passes between stages and prints.

The output document (`Notice` and what it holds) follows the record format
spec key for key; `Block` is what every extractor returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SkipValidation

__all__ = [
    "Activity",
    "Block",
    "Extraction",
    "BlockKind",
    "Notice",
    "NoticeMeta",
    "RecordSource",
    "Section",
    "Source",
    "TimeValue",
    "NoticeWarning",
    "WarningCode",
]

BlockKind = Literal["paragraph", "table"]
WarningCode = Literal[
    "time_unparsed",
    "no_activities",
    "encoding_guessed",
    "scanned_pdf_no_text",
    "no_text",
    "unmapped_font",
    "pdf_tables_skipped",
    "ocr_low_confidence",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(slots=True, kw_only=True)
class Block:
    """One paragraph or table of the extracted document, in reading order.

    A slotted dataclass, not a pydantic model: a document holds one per paragraph, and a
    model instance costs about a kilobyte more each (the largest share of a big file's memory).
    Never changed once numbered (extract.number_blocks sets the index and offsets of an
    extractor's fresh blocks in place; `model_copy` makes a changed copy); not declared frozen
    because a frozen dataclass sets each field through object.__setattr__, six times the cost
    of making one.
    """

    index: int
    kind: BlockKind = "paragraph"
    text: str
    page: int | None = None
    # A level hint from the source format (Word heading style, outline level, HTML h1–h6,
    # a PDF's large type); 0: the format marks the paragraph as the document's title (Word's Title style).
    level_hint: int | None = None
    # The source marks the paragraph as a heading (Word Heading style or outline level, HTML
    # h1–h6 in the body): a heading even without a numbering label.
    marked: bool = False
    # A numbering label the format generated (Word auto-numbering), already in `text`.
    label: str | None = None
    label_generated: bool = False
    cells: list[list[str]] | None = None
    # Offsets of `text` in the extracted text (block texts joined by "\n").
    char_start: int = 0
    char_end: int = 0

    def model_copy(self, *, update: dict[str, Any]) -> Block:
        """A copy with some fields changed (the name pydantic models use)."""
        return replace(self, **update)


class Source(BaseModel):
    """Where the document came from."""

    path: str
    format: str
    sha256: str
    pages: int | None = None
    encoding: str | None = None
    # Facts about the file that are no warning (an OFD's electronic signatures, an OCR'd page).
    notes: list[str] = Field(default_factory=list)


class NoticeMeta(BaseModel):
    """GB/T 9704 elements of the notice."""

    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    recipients: list[str] = Field(default_factory=list)
    issue_date: dt.date | None = None
    year: int | None = None
    attachments: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)


class Section(BaseModel):
    """A heading of the document and the headings under it."""

    label: str
    level: int
    number: int | None
    title: str
    children: list[Section] = Field(default_factory=list)


class TimeValue(BaseModel):
    """A time field: the label and value as printed, and the dates they mean."""

    label: str | None
    raw: str
    start: dt.date | None = None
    end: dt.date | None = None


class RecordSource(BaseModel):
    """Where a record stands in the extracted text."""

    page: int | None = None
    block: int | None = None
    char_start: int | None = None
    char_end: int | None = None


class Activity(BaseModel):
    """One record: an activity with its time, place and units."""

    id: str
    heading: str | None
    path: list[str] = Field(default_factory=list)
    title: str | None
    description: str | None = None
    time: TimeValue | None = None
    location: str | None = None
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    fields: dict[str, str] = Field(default_factory=dict)
    keywords: list[str] = Field(default_factory=list)
    source: RecordSource = Field(default_factory=RecordSource)


class NoticeWarning(BaseModel):
    """Something odd that still yielded output."""

    code: WarningCode
    message: str
    activity: str | None = None


class Notice(BaseModel):
    """One parsed document: the whole JSON object of the record format."""

    schema_version: Literal[1] = 1
    source: Source
    notice: NoticeMeta = Field(default_factory=NoticeMeta)
    sections: list[Section] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    warnings: list[NoticeWarning] = Field(default_factory=list)
    # The extracted text that `source.char_start/char_end` index (blocks joined by newlines), kept
    # in memory for the report; never part of the output document.
    _text: str | None = PrivateAttr(default=None)

    @property
    def text(self) -> str | None:
        """The extracted text the records' offsets point into, when this process parsed the file."""
        return self._text

    def keep_text(self, text: str | None) -> None:
        """Remember the extracted text (the pipeline calls this; the report reads `text`)."""
        self._text = text

    def __eq__(self, other: object) -> bool:
        # The same document whether or not this process still holds its text.
        if isinstance(other, Notice):
            return self.__dict__ == other.__dict__
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like every pydantic model


class Extraction(_Frozen):
    """What an extractor read: the blocks and facts about the file."""

    format: str
    blocks: Annotated[list[Block], SkipValidation]
    encoding: str | None = None
    pages: int | None = None
    warnings: list[NoticeWarning] = Field(default_factory=list)
    # Metadata the page prints outside the document body (a web page's headline,
    # the gov.cn 索引号 table): NoticeMeta keys plus "headline", raw values.
    page_meta: dict[str, str] = Field(default_factory=dict)
    # Facts for Source.notes.
    notes: list[str] = Field(default_factory=list)
