"""PDF notices: CJK-correct text in reading order, page furniture removed, paragraphs rebuilt, ruled tables.

PDFium (pypdfium2) gives each page's text, already in visual lines, and the
boxes of the characters the cleanup needs: a space PDFium put between two CJK
characters stays only where the glyphs really stand apart (two organs printed
side by side), a fake-bold doubled glyph (the same character drawn twice over
itself) is dropped, Kangxi radical look-alikes become the unified ideographs.
Page numbers and running headers/footers (rules/pdf.toml) are removed. Lines
are joined into paragraphs by layout: a line that ends short of the right
margin ends one; an indented line, a heading or field label, a change of size
or a wide vertical gap starts one — across page breaks too. Only pages that
draw lines are handed to pdfplumber, whose ruled-table finder gives table
blocks (merged cells repeated; a table broken over a page joins up again).
"""

from __future__ import annotations

import ctypes
import functools
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import CorruptFile, EncryptedFile, LimitExceeded, UnmappedFont
from ..models import Block, Extraction, NoticeWarning
from ..rules import Rules
from ..text.labels import read_label_value
from ..text.width import ODD_SPACES, fold_width, plain_spaces

if TYPE_CHECKING:
    from . import Limits
from .tables import is_data_grid, table_text

__all__ = ["extract", "join_lines"]

# Rules shorter than this many rows are ignored when a grid first read as mostly empty slots.
DEFAULT_STRAY_RULE_ROWS = 1.5
# Path objects a page must draw before pdfplumber looks for ruled tables on it.
DEFAULT_MIN_TABLE_PATHS = 4
# A document whose pages all hold fewer text characters than this beside images is a scan.
DEFAULT_MIN_PAGE_TEXT = 20
# A table whose slots are mostly merged away is a page frame around text, not a table.
DEFAULT_MIN_REAL_CELLS = 0.5
# Unreadable characters (U+FFFD, private use, controls) above this share of the text: an unmapped font.
DEFAULT_MAX_UNMAPPED_SHARE = 0.3
# A space between two CJK glyphs stays when they stand this many ems apart.
_WIDE_GAP = 0.6
# A line ends a paragraph when it stops this many ems short of the right margin.
_SHORT_EMS = 1.5
# A line indented by this many ems starts a paragraph.
_INDENT_EMS = 1.2
# Points within which a repeated line counts as standing at the same height on every page.
_SAME_HEIGHT = 4.0
# Lines further apart than this many times the usual line pitch are separate paragraphs.
_GAP_PITCHES = 1.5

_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WIDE = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef“”‘’…—]"
)
_LATIN = re.compile(r"[A-Za-z]")
# Inside a line: a run of spaces, or an ideograph drawn twice in a row; and each of the two alone.
_SPACE_RUN = r"[ \t\u00a0]+"
_DOUBLED = r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])\1"
_DECISIONS, _SPACES, _DOUBLES = (re.compile(p) for p in (f"{_SPACE_RUN}|{_DOUBLED}", _SPACE_RUN, _DOUBLED))
# A line's text without the whitespace around it (group 1), from a line's start only: a line of
# spaces is passed over in one step.
_LINE = re.compile(r"(?<![^\r\n])[^\S\r\n]*+([^\r\n]*[^\s])")
_DIGITS = re.compile(r"\d+")
_CID = re.compile(r"\(cid:\d+\)")
_UNREADABLE = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]")


def _radical_table() -> dict[int, str]:
    """Kangxi radicals (⽅) and CJK radical supplements that Unicode maps to unified ideographs (方)."""
    table: dict[int, str] = {}
    for cp in (*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6)):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if folded != chr(cp) and len(folded) == 1:
            table[cp] = folded
    # A PDF font's "soft hyphen" glyph is a printed hyphen (2014­2020).
    table[0x00AD] = "-"
    return table


_RADICALS = _radical_table()
_HAS_RADICAL = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_RADICALS)) + "]")
# A radical or a character plain_spaces changes.
_TO_CLEAN = re.compile(f"{_HAS_RADICAL.pattern}|{ODD_SPACES.pattern}")


def clean_text(text: str) -> str:
    """Radical look-alikes unified, printed soft hyphens made hyphens, odd spaces made plain."""
    # Most lines hold none: one search for either instead of a table lookup per character.
    if not _TO_CLEAN.search(text):
        return text
    return plain_spaces(text.translate(_RADICALS) if _HAS_RADICAL.search(text) else text)


@dataclass(slots=True)
class _Line:
    text: str
    page: int
    left: float
    right: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class _Table:
    grid: list[list[str]]
    page: int
    top: float
    bottom: float
    left: float
    right: float


@dataclass
class _Page:
    number: int
    height: float
    items: list[_Line | _Table] = field(default_factory=list)
    images: int = 0


def _open(path: Path, data: bytes) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise EncryptedFile(path, "encrypted PDF (a password is needed to open it)") from exc
        raise CorruptFile(path, f"damaged PDF ({exc})") from exc


_VOID = ctypes.c_void_p


@functools.cache
def _plain(name: str, restype: Any, *argtypes: Any) -> Any:
    """pypdfium2's raw function `name` with handles passed as plain addresses: the same C
    function, without a typed pointer object made and checked for every argument and result
    (a page's objects and a line's boxes are asked for thousands of times: a third less each).
    Made once per process."""
    import pypdfium2.raw as raw

    return ctypes.CFUNCTYPE(restype, *argtypes)(_address(getattr(raw, name)))


def _address(pointer: Any) -> int:
    return ctypes.cast(pointer, _VOID).value or 0


def _object_counts(page: Any) -> tuple[int, int]:
    """(path objects, image objects) drawn directly on the page."""
    import pypdfium2.raw as raw

    paths = images = 0
    handle = _address(page.raw)
    get_object = _plain("FPDFPage_GetObject", _VOID, _VOID, ctypes.c_int)
    get_type = _plain("FPDFPageObj_GetType", ctypes.c_int, _VOID)
    path_kind, image_kind = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        kind = get_type(get_object(handle, i))
        if kind == path_kind:
            paths += 1
        elif kind == image_kind:
            images += 1
    return paths, images


def _font_name(textpage: Any, index: int) -> str:
    import pypdfium2.raw as raw

    flags = ctypes.c_int()
    size = raw.FPDFText_GetFontInfo(textpage.raw, index, None, 0, ctypes.byref(flags))
    if size <= 0:
        return "unknown font"
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, size, ctypes.byref(flags))
    return buffer.value.decode("utf-8", "replace") or "unknown font"


def _keep_space(text: str, k: int, j: int, size: float, box: Any) -> bool:
    """Whether the spaces text[k:j] stay: not beside CJK, or between CJK glyphs that really stand apart."""
    before, after = text[k - 1], text[j]
    if not (_WIDE.match(before) or _WIDE.match(after)):
        return True
    if _IDEOGRAPH.match(before) and _IDEOGRAPH.match(after):
        return box(j)[0] - box(k - 1)[2] >= _WIDE_GAP * size  # two organs printed side by side
    return False  # the renderer's space between CJK and digits or punctuation


_Box = tuple[float, float, float, float]


def _box_reader(textpage: Any) -> tuple[Callable[[int], _Box], Callable[[int, int], _Box]]:
    """`textpage.get_charbox` (left, bottom, right, top) without its per-call allocations, and
    the box (left, right, top, bottom) of the glyphs first..last of a line: a page asks for
    thousands."""
    import pypdfium2 as pdfium

    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    x0_at, x1_at, y0_at, y1_at = (ctypes.addressof(v) for v in (left, right, bottom, top))
    handle, get = _address(textpage.raw), _plain("FPDFText_GetCharBox", ctypes.c_int, _VOID, ctypes.c_int, *[_VOID] * 4)

    def box(index: int) -> _Box:
        if not get(handle, index, x0_at, x1_at, y0_at, y1_at):
            raise pdfium.PdfiumError("Failed to get charbox.")
        return left.value, bottom.value, right.value, top.value

    def span(first: int, last: int) -> _Box:
        x0, y0, _, y1 = box(first)
        _, b1, x1, t1 = box(last)
        return x0, x1, max(y1, t1), min(y0, b1)

    return box, span


def _decisions(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The spaces and doubled glyphs of text[start:end], in order. Most lines hold neither, and the
    two patterns searched apart cost half as much as their alternation, which is scanned only
    where both occur."""
    spaces = _SPACES.search(text, start, end)
    doubles = _DOUBLES.search(text, start, end)
    if spaces is not None and doubles is not None:
        return _DECISIONS.finditer(text, start, end)
    if spaces is not None:
        return _SPACES.finditer(text, spaces.start(), end)
    if doubles is not None:
        return _DOUBLES.finditer(text, doubles.start(), end)
    return iter(())


def _page_lines(textpage: Any, number: int) -> list[_Line]:
    """The visual lines of a page with their boxes, spaces and doubled glyphs cleaned."""

    text = textpage.get_text_range()
    if len(text) != textpage.count_chars():
        # Characters beyond the BMP shift string positions off char indices: no geometry, plain lines.
        return [_Line(clean_text(t.strip()), number, 0, 0, 0, 0, 0) for t in text.splitlines() if t.strip()]
    box, span = _box_reader(textpage)
    handle, font_size = _address(textpage.raw), _plain("FPDFText_GetFontSize", ctypes.c_double, _VOID, ctypes.c_int)
    lines = []
    for m in _LINE.finditer(text):
        i0, after = m.span(1)
        x0, x1, y1, y0 = span(i0, after - 1)
        size = font_size(handle, i0)
        if not size:
            _, bottom, _, top = box(i0)
            size = top - bottom  # no font size: the glyph's height
        out: list[str] = []
        at = i0
        # Only the spaces and doubled glyphs need a decision; the rest is copied in slices.
        for gap in _decisions(text, i0, after):
            k, j = gap.span()
            if gap.group(0)[0].isspace():
                out.append(text[at:k])
                if _keep_space(text, k, j, size, box):
                    out.append(" ")
                at = j
            elif abs(box(k + 1)[0] - box(k)[0]) < 0.3 * max(box(k)[2] - box(k)[0], 1.0):
                out.append(text[at : k + 1])  # fake bold: the same glyph drawn again over itself
                at = k + 2
        if out:
            out.append(text[at:after])
            line = "".join(out)
        else:
            line = m.group(1)
        lines.append(_Line(clean_text(line), number, x0, x1, y1, y0, size))
    return lines


def _fill_merged(table: Any, text_of: Callable[[tuple[float, ...]], str]) -> list[list[str]]:
    """The table's rows, each cell's text read from its box by `text_of`, and each merged slot
    (None) given the text of the cell that covers it."""
    texts: dict[tuple[float, ...], str] = {}
    columns: dict[int, tuple[float, float]] = {}
    for row in table.rows:
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                texts[tuple(bbox)] = text_of(tuple(bbox))
                columns.setdefault(c, (bbox[0], bbox[2]))
    grid = []
    for row in table.rows:
        out = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                out.append(texts[tuple(bbox)])
                continue
            x0, x1 = columns.get(c, (0.0, 0.0))
            cx, cy = (x0 + x1) / 2, (row.bbox[1] + row.bbox[3]) / 2
            cover = next(
                (t for b, t in texts.items() if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), ""
            )
            out.append(cover)
        grid.append(out)
    return grid


def cell_value(value: str) -> str:
    """A cell's text as read from its box: lines joined as in a paragraph, stray spaces dropped."""
    # pdfplumber writes a glyph of a font without a Unicode map as (cid:NN): unreadable, like U+FFFD.
    value = _CID.sub("\ufffd", value)
    lines = [clean_text(line.strip()) for line in value.split("\n") if line.strip()]
    text = ""
    for line in lines:
        text = join_lines(text, line) if text else line
    return _despace(text)


def _despace(text: str) -> str:
    """Drop single spaces between a CJK glyph and a digit or punctuation (no geometry known)."""
    return re.sub(
        r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])\s+(?=[\d\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])"
        r"|(?<=\d)\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])",
        "",
        text,
    )


def _is_ruled_table(table: Any) -> bool:
    """A grid of real cells, not a page frame that pdfplumber cut into slots around the text."""
    rows = table.rows
    slots = sum(len(r.cells) for r in rows)
    real = sum(1 for r in rows for c in r.cells if c is not None)
    return slots > 0 and real >= DEFAULT_MIN_REAL_CELLS * slots


def _without_stray_rules(page: Any, table: Any) -> Any:
    """The table found again ignoring rules shorter than a row and a half: short vertical strokes
    inside single rows (cell borders drawn per row) split the grid into many empty slots."""
    heights = sorted(r.bbox[3] - r.bbox[1] for r in table.rows)
    if not heights:
        return None
    minimum = DEFAULT_STRAY_RULE_ROWS * heights[len(heights) // 2]
    x0, top, x1, bottom = table.bbox
    for again in page.crop((x0 - 1, top - 1, x1 + 1, bottom + 1)).find_tables({"edge_min_length": minimum}):
        if _is_ruled_table(again) and len(again.rows) >= len(table.rows) // 2:
            return again
    return None


# A ToUnicode CMap mapping more codes than this (one bfrange <000000> <FFFFFF> maps 16 million)
# would cost pdfminer gigabytes and minutes to build: such a page is read without tables.
DEFAULT_MAX_CMAP_CODES = 1 << 17
DEFAULT_MAX_CMAP_BYTES = 1 << 20
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]{1,8})>\s*<([0-9A-Fa-f]{1,8})>\s*[<\[]")


def _absurd_cmap(page: Any) -> bool:
    """Whether a font of the page carries a ToUnicode map too large to hand to pdfminer."""
    from pdfminer.pdftypes import resolve1

    fonts = resolve1((resolve1(page.page_obj.resources) or {}).get("Font")) or {}
    for ref in fonts.values() if isinstance(fonts, dict) else ():
        font = resolve1(ref)
        stream = resolve1(font.get("ToUnicode")) if isinstance(font, dict) else None
        if stream is None or not hasattr(stream, "get_data"):
            continue
        if len(getattr(stream, "rawdata", b"") or b"") > DEFAULT_MAX_CMAP_BYTES:
            return True
        data = stream.get_data()
        if len(data) > DEFAULT_MAX_CMAP_BYTES:
            return True
        codes = sum(int(b, 16) - int(a, 16) + 1 for a, b in _BFRANGE.findall(data))
        if codes > DEFAULT_MAX_CMAP_CODES:
            return True
    return False


def _safe_tables(plumber: Any, textpage: Any, number: int, height: float, rules: Rules,
                 reading: _Reading) -> list[_Table]:
    """The page's tables, or none (the page noted) when pdfminer cannot read its fonts or objects:
    the text itself comes from PDFium either way."""
    try:
        page = plumber.pages[number - 1]
        if _absurd_cmap(page):
            reading.tables_skipped.append(number)
            return []
        return _tables(plumber, textpage, number, height, rules)
    except Exception:  # pdfminer's errors have no common base class: any failure skips the tables
        reading.tables_skipped.append(number)
        return []


def _tables(plumber: Any, textpage: Any, number: int, height: float, rules: Rules) -> list[_Table]:
    """The ruled tables of a page: pdfplumber finds the grid, PDFium reads each cell's text (pdfminer
    decodes some CJK fonts differently from their ToUnicode map: 时间 came out as 为为)."""
    page = plumber.pages[number - 1].dedupe_chars()

    def text_of(bbox: tuple[float, ...]) -> str:
        x0, top, x1, bottom = bbox
        text: str = textpage.get_text_bounded(left=x0, bottom=height - bottom, right=x1, top=height - top)
        return text.replace("\r", "")

    out = []
    for table in page.find_tables():
        if not _is_ruled_table(table):
            table = _without_stray_rules(page, table)
            if table is None:
                continue
        grid = [[cell_value(v) for v in row] for row in _fill_merged(table, text_of)]
        if not is_data_grid(grid):
            continue
        x0, top, x1, bottom = table.bbox
        out.append(_Table(grid, number, height - top, height - bottom, x0, x1))
    page.close()
    return out


def _inside(line: _Line, table: _Table) -> bool:
    cy = (line.top + line.bottom) / 2
    cx = (line.left + line.right) / 2
    return table.bottom <= cy <= table.top and table.left <= cx <= table.right


def join_lines(previous: str, line: str) -> str:
    """Two visual lines of one paragraph: CJK and digits join directly, Latin words with a space."""
    if previous and _LATIN.match(previous[-1]) and _LATIN.match(line[0]):
        return f"{previous} {line}"
    return previous + line


def _remove_furniture(pages: list[_Page], rules: Rules) -> None:
    pdf = rules.pdf

    def band_of(page: _Page) -> tuple[float, float]:
        # A line at or above `top`, or at or below `bottom`, stands in the page's header or footer band.
        return page.height * (1 - pdf.band), page.height * pdf.band

    def key(line: _Line) -> tuple[str, int]:
        # The same words (page numbers masked) at the same height: a running header or footer.
        return _DIGITS.sub("#", "".join(fold_width(line.text).split())), round(line.top / _SAME_HEIGHT)

    seen: Counter[tuple[str, int]] = Counter()
    for page in pages:
        top, bottom = band_of(page)
        seen.update({key(i) for i in page.items
                     if isinstance(i, _Line) and i.size and (i.top >= top or i.bottom <= bottom)})
    threshold = max(pdf.repeat_min_pages, pdf.repeat_share * len(pages))
    repeated = {k for k, n in seen.items() if n >= threshold}
    page_number, band_page_number = pdf.alternation("page_numbers"), pdf.alternation("band_page_numbers")
    for page in pages:
        top, bottom = band_of(page)
        kept: list[_Line | _Table] = []
        for item in page.items:
            if isinstance(item, _Line):
                folded = fold_width(item.text).strip()
                if page_number.fullmatch(folded):
                    continue
                band = item.size > 0 and (item.top >= top or item.bottom <= bottom)
                if band and (band_page_number.fullmatch(folded) or key(item) in repeated):
                    continue
            kept.append(item)
        page.items = kept


@dataclass(frozen=True)
class _Metrics:
    """The body text's left and right margins, font size and line pitch."""

    left: float
    right: float
    size: float
    pitch: float

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2


def _metrics(lines: list[_Line]) -> _Metrics:
    body = [ln for ln in lines if len(ln.text) >= 10 and ln.size > 0] or [ln for ln in lines if ln.size > 0]
    if not body:
        return _Metrics(0.0, 0.0, 0.0, 0.0)
    size = Counter(round(ln.size) for ln in body).most_common(1)[0][0]
    left = Counter(round(ln.left) for ln in body).most_common(1)[0][0]
    rights = sorted(ln.right for ln in body)
    right = rights[int(0.9 * (len(rights) - 1))]
    steps = [round(a.top - b.top) for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and a.top > b.top]
    pitch = Counter(steps).most_common(1)[0][0] if steps else 0
    return _Metrics(float(left), right, float(size), float(pitch))


def _bracket_depth(text: str) -> int:
    folded = fold_width(text)
    return folded.count("(") - folded.count(")")


def _starts_paragraph(prev: _Line, line: _Line, m: _Metrics, rules: Rules, depth: int) -> bool:
    if line.size == 0 or prev.size == 0:
        return True  # no geometry: keep PDFium's lines
    em = max(m.size, 1.0)
    if prev.right < m.right - _SHORT_EMS * em:
        return True
    if line.left > m.left + _INDENT_EMS * em:
        return True
    if abs(line.size - prev.size) > 0.15 * max(line.size, prev.size):
        return True
    if line.page == prev.page and m.pitch and prev.top - line.top > _GAP_PITCHES * m.pitch:
        return True
    folded = fold_width(line.text)
    if rules.metadata.date.fullmatch(fold_width(prev.text).strip()):
        return True  # a 成文日期 line stands alone
    # A numbered heading starts a paragraph even inside an open parenthesis: a parenthesis that
    # never closed (its end cut off or misread) must not swallow the items after it.
    if rules.headings.any_style().match(folded) is not None:
        return True
    if depth > 0:
        return False  # a line wrapped inside a parenthesis: （责 ⏎ 任单位：…）
    label = read_label_value(line.text, rules, folded=folded)
    if label is not None and not label.value:
        # A bare `…：` after a full line that ends mid-sentence is the end of that sentence (a 主送
        # list wrapped onto `农垦总局：`), not a label of its own.
        return fold_width(prev.text).rstrip().endswith(tuple(rules.text.sentence_end))
    return label is not None


def _title_like(lines: list[_Line], m: _Metrics, rules: Rules) -> bool:
    """Set larger than the body, or a single line centred on the first page (GB/T 9704 titles)."""
    first = lines[0]
    if m.size and first.size >= rules.pdf.title_size_ratio * m.size:
        return True
    em = max(m.size, 1.0)
    centred = abs((first.left + first.right) / 2 - m.center) < _INDENT_EMS * em and first.left > m.left + 2 * em
    return len(lines) == 1 and first.page == 1 and centred


class _Part(NamedTuple):
    """A paragraph or table found on the pages, before it is a numbered Block."""

    text: str
    page: int
    hint: int | None = None
    grid: list[list[str]] | None = None


def _blocks(pages: list[_Page], rules: Rules) -> list[Block]:
    lines = [i for p in pages for i in p.items if isinstance(i, _Line)]
    m = _metrics(lines)
    parts: list[_Part] = []
    current: list[_Line] = []
    depth = 0

    def flush() -> None:
        nonlocal depth
        depth = 0
        if not current:
            return
        text = ""
        for ln in current:
            text = join_lines(text, ln.text) if text else ln.text
        hint = 1 if _title_like(current, m, rules) else None
        parts.append(_Part(text.strip(), current[0].page, hint))
        current.clear()

    previous_table: _Table | None = None
    for page in pages:
        for item in page.items:
            if isinstance(item, _Table):
                flush()
                if previous_table is not None and parts and parts[-1].grid is not None and _continues(
                    previous_table, item
                ):
                    grid = _join_tables(previous_table.grid, item.grid)
                    previous_table.grid = grid
                    parts[-1] = parts[-1]._replace(grid=grid)
                else:
                    parts.append(_Part("", item.page, grid=item.grid))
                    previous_table = item
                continue
            if not item.text:
                continue
            if current and _starts_paragraph(current[-1], item, m, rules, depth):
                flush()
            current.append(item)
            depth += _bracket_depth(item.text)
            previous_table = None
    flush()
    return _numbered(parts)


def _numbered(parts: list[_Part]) -> list[Block]:
    """Each part a Block, made once with its final index and offsets (so the shared numbering
    need not copy it); empty paragraphs dropped."""
    blocks: list[Block] = []
    pos = 0
    for part in parts:
        if part.grid is not None:
            text = table_text(part.grid)
            block = Block(index=len(blocks), kind="table", text=text, cells=part.grid, page=part.page,
                          char_start=pos, char_end=pos + len(text))
        elif part.text:
            text = part.text
            block = Block(index=len(blocks), text=text, page=part.page, level_hint=part.hint,
                          char_start=pos, char_end=pos + len(text))
        else:
            continue
        blocks.append(block)
        pos += len(text) + 1
    return blocks


def _continues(first: _Table, second: _Table) -> bool:
    """A table at the top of the next page with as many columns continues the one before."""
    width = len(first.grid[0]) if first.grid else 0
    return second.page == first.page + 1 and bool(second.grid) and len(second.grid[0]) == width


def _join_tables(first: list[list[str]], second: list[list[str]]) -> list[list[str]]:
    compact = ["".join(c.split()) for c in first[0]]
    rows = [list(r) for r in (second[1:] if ["".join(c.split()) for c in second[0]] == compact else second)]
    # A cell merged over the last rows of the page runs on into the first rows of the next,
    # where the page break left it blank: those rows take its value, as merged rows do.
    if len(first) >= 3:
        for c, value in enumerate(first[-1]):
            if not value or first[-2][c] != value:
                continue
            for row in rows:
                if c >= len(row) or row[c]:
                    break
                row[c] = value
    return first + rows


def _page_texts(pages: list[_Page]) -> list[str]:
    return ["".join("".join(i.text.split()) for i in p.items if isinstance(i, _Line)) for p in pages]


@dataclass
class _Reading:
    """Every page's lines and tables, and how much of the text was unreadable."""

    pages: list[_Page] = field(default_factory=list)
    chars: int = 0
    unreadable: int = 0
    font: str = ""
    tables_skipped: list[int] = field(default_factory=list)


def _read(document: Any, data: bytes, rules: Rules) -> _Reading:
    reading = _Reading()
    plumber = None
    try:
        for n in range(len(document)):
            page = document[n]
            height = page.get_height()
            paths, images = _object_counts(page)
            textpage = page.get_textpage()
            lines = _page_lines(textpage, n + 1)
            text = "".join(ln.text for ln in lines)
            bad = _UNREADABLE.findall(text)
            reading.chars += len(text.replace(" ", ""))
            if bad:
                reading.unreadable += len(bad)
                if not reading.font:
                    reading.font = _font_name(textpage, max(textpage.get_text_range().find(bad[0]), 0))
            entry = _Page(number=n + 1, height=height, images=images, items=list(lines))
            if paths >= DEFAULT_MIN_TABLE_PATHS and lines:
                if plumber is None:
                    import pdfplumber

                    plumber = pdfplumber.open(io.BytesIO(data))
                tables = _safe_tables(plumber, textpage, n + 1, height, rules, reading)
                cells = "".join(c for t in tables for row in t.grid for c in row)
                reading.unreadable += len(_UNREADABLE.findall(cells))
                if tables:
                    entry.items = [ln for ln in lines if not any(_inside(ln, t) for t in tables)]
                    entry.items.extend(tables)
                    entry.items.sort(key=lambda i: -i.top)
            textpage.close()
            page.close()
            reading.pages.append(entry)
    finally:
        if plumber is not None:
            plumber.close()
    return reading


def extract(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """Blocks of a PDF: its text layer, and OCR of scanned pages (`limits.ocr`: auto reads the pages
    that are images without text, force every page, off none). NoTextLayer for a scan that cannot
    be read here, UnmappedFont for unreadable fonts."""
    import pypdfium2 as pdfium

    from .ocr import missing_extra, require

    mode = limits.ocr if limits else "auto"
    document = _open(path, data)
    warnings: list[NoticeWarning] = []
    notes: list[str] = []
    try:
        count = len(document)
        reading = _read(document, data, rules)
        pages = reading.pages
        if mode != "force" and reading.unreadable > DEFAULT_MAX_UNMAPPED_SHARE * max(reading.chars, 1):
            raise UnmappedFont(path, f"font without a Unicode map ({reading.font}): its text cannot be read")
        _remove_furniture(pages, rules)
        texts = _page_texts(pages)
        scans = [p.number for p, t in zip(pages, texts, strict=True)
                 if mode == "force" or (p.images and len(t) < DEFAULT_MIN_PAGE_TEXT)]
        all_scans = any(p.images for p in pages) and not any(len(t) >= DEFAULT_MIN_PAGE_TEXT for t in texts)
        if scans and mode != "off" and missing_extra() is None:
            _ocr_pages(document, pages, scans, warnings, notes, rules)
            _remove_furniture(pages, rules)
            texts = _page_texts(pages)
        elif all_scans:
            # Images and at most a scanner app's stamp (扫描全能王 创建): a scan.
            require(path, mode)
    except pdfium.PdfiumError as exc:  # a page-tree cycle, a page that cannot be loaded
        raise CorruptFile(path, f"damaged PDF ({exc})") from exc
    except LimitExceeded as exc:
        raise LimitExceeded(path, exc.reason) from exc
    finally:
        document.close()
    if not any(texts):
        warnings.append(NoticeWarning(code="no_text", message="the PDF holds no text"))
    scanned = [str(p.number) for p, t in zip(pages, texts, strict=True) if p.images and not t]
    if scanned:
        warnings.append(NoticeWarning(
            code="scanned_pdf_no_text", message=f"page(s) {', '.join(scanned)} are images without a text layer"
        ))
    if reading.tables_skipped:
        pages_named = ", ".join(str(n) for n in reading.tables_skipped)
        warnings.append(NoticeWarning(
            code="pdf_tables_skipped", message=f"page(s) {pages_named}: tables not read (fonts pdfminer cannot map)"
        ))
    if reading.unreadable and mode != "force":
        warnings.append(NoticeWarning(
            code="unmapped_font", message=f"{reading.unreadable} characters in {reading.font} could not be read"
        ))
    return Extraction(format="pdf", blocks=_blocks(pages, rules), pages=count, warnings=warnings, notes=notes)


def _ocr_pages(document: Any, pages: list[_Page], numbers: list[int], warnings: list[NoticeWarning],
               notes: list[str], rules: Rules) -> None:
    """Replace the lines of these pages by what OCR reads on them."""
    from .ocr import DEFAULT_DPI, ENGINE_NAME, fold_punctuation, recognise, render_page

    read = []
    for number in numbers:
        page = document[number - 1]
        try:
            found = recognise(render_page(page), number, page.get_height())
        finally:
            page.close()
        pages[number - 1].items = found.items
        read.append(found)
        notes.append(f"page {number}: OCR ({ENGINE_NAME}, {DEFAULT_DPI} dpi, mean confidence {found.confidence:.2f})")
        if found.low:
            warnings.append(NoticeWarning(
                code="ocr_low_confidence", message=f"page {number}: {found.low} line(s) read with low confidence"
            ))
    fold_punctuation(read, rules)


# The line model other fixed-layout readers (OFD, OCR) hand their lines to.
Line = _Line
Page = _Page
Table = _Table
UNREADABLE = _UNREADABLE


def lines_to_blocks(pages: list[_Page], rules: Rules) -> list[Block]:
    """Blocks of pages of placed lines: furniture removed, paragraphs, headings and tables rebuilt."""
    _remove_furniture(pages, rules)
    return _blocks(pages, rules)
