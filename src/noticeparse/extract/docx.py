"""Word .docx: body paragraphs and tables in document order, automatic numbering rendered.

python-docx opens the package (relationships, the main document part, styles
and numbering parts); the body is then read from its oxml, because python-docx
has no API for what a notice needs: Word's automatic numbering labels
(`numbering.py`), text boxes, content controls (w:sdt) and merged cells
(gridSpan, vMerge). Headers, footers, footnotes and comments live in other parts
and never enter the body. Tabs become spaces; a soft line break starts a new
block, as it starts a new line on the page. Deleted and moved-away revisions
and field codes are skipped.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CorruptFile, EncryptedFile, LimitExceeded, UnsupportedFormat
from ..models import Block, Extraction, NoticeWarning
from ..rules import Rules
from ..text.width import plain_spaces
from . import DEFAULT_MAX_UNZIPPED, Limits
from .numbering import MAX_LEVELS, Numberer, W, ooxml_int
from .tables import Cell, cell_text, expand_spans, is_data_grid, table_text

__all__ = ["extract", "open_package"]

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _SDT, _TC, _TR = (f"{W}{t}" for t in ("p", "tbl", "sdt", "tc", "tr"))
_SKIP = {f"{W}{t}" for t in ("del", "moveFrom", "instrText", "delText", "pPr", "rPr", "fldData")} | {
    f"{_MC}Fallback",
}
_TXBX = f"{W}txbxContent"
# Tags and attributes read once per paragraph or run, spelled once here.
_T, _PPR, _PSTYLE, _VAL, _TYPE, _HYPHEN = (f"{W}{t}" for t in ("t", "pPr", "pStyle", "val", "type", "noBreakHyphen"))
_NUMPR, _NUMID, _ILVL, _OUTLINE = (f"{W}{t}" for t in ("numPr", "numId", "ilvl", "outlineLvl"))
_TABS = {f"{W}tab", f"{W}ptab"}
_BREAKS = {f"{W}br", f"{W}cr"}
_PAGE_BREAKS = ("page", "column")
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
_HEADING_NUMBER = re.compile(r"([0-9])$")
# A table is at most this many grid columns wide (Word's own limit is 63).
MAX_GRID_COLUMNS = 64


def open_package(path: Path, data: bytes, max_unzipped: int = DEFAULT_MAX_UNZIPPED) -> Any:
    """The python-docx Document of `data`, or a CorruptFile/EncryptedFile/LimitExceeded error."""
    if data.startswith(_OLE_SIGNATURE):
        # Word saves password-protected .docx files as an OLE container.
        raise EncryptedFile(path, "encrypted or legacy Word file (OLE container, not a .docx zip)")
    if not data.startswith(b"PK"):
        raise CorruptFile(path, "not a .docx (zip signature missing)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise CorruptFile(path, f"not a .docx (damaged zip: {exc})") from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        if path.suffix.lower() != ".docx":
            # A .zip (an archive of notices, or one inside an archive) is not a Word file.
            raise UnsupportedFormat(path, "a zip archive, not a document: use noticeparse batch for .zip archives")
        raise CorruptFile(path, "not a .docx (zip without word/document.xml)")
    if total > max_unzipped:
        raise LimitExceeded(path, f"unzips to {total} bytes, over the {max_unzipped}-byte limit")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CorruptFile(path, f"not a .docx ({exc or type(exc).__name__})") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and python-docx's own, without importing lxml here
        if "huge" in str(exc).lower():  # libxml2's own size limit on a text node or tree
            raise LimitExceeded(path, f"an XML part is over libxml2's size limit ({exc})") from exc
        raise CorruptFile(path, f"damaged .docx ({type(exc).__name__}: {exc})") from exc


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None


def _styles(document: Any) -> tuple[dict[str, _Style], str | None]:
    styles: dict[str, _Style] = {}
    default = None
    try:
        root = document.styles.element
    except (KeyError, ValueError):
        return styles, None
    for s in root.iterfind(f"{W}style"):
        if s.get(f"{W}type") != "paragraph":
            continue
        sid = s.get(f"{W}styleId", "")
        name = s.find(f"{W}name")
        based = s.find(f"{W}basedOn")
        ppr = s.find(f"{W}pPr")
        num_id, ilvl, outline = _numpr(ppr)
        styles[sid] = _Style(
            name=name.get(f"{W}val", sid) if name is not None else sid,
            based_on=based.get(f"{W}val") if based is not None else None,
            num_id=num_id,
            ilvl=ilvl,
            outline=outline,
        )
        if s.get(f"{W}default") in ("1", "true"):
            default = sid
    return styles, default


def _numpr(ppr: Any) -> tuple[str | None, int | None, int | None]:
    if ppr is None:
        return None, None, None
    num_id = ilvl = outline = None
    numpr = ppr.find(_NUMPR)
    if numpr is not None:
        n = numpr.find(_NUMID)
        i = numpr.find(_ILVL)
        num_id = n.get(_VAL) if n is not None else None
        ilvl = ooxml_int(i.get(_VAL), 0, 0, MAX_LEVELS - 1) if i is not None else None
    o = ppr.find(_OUTLINE)
    if o is not None:
        outline = ooxml_int(o.get(_VAL), 9, 0, 9)
    return num_id, ilvl, outline


class _Reader:
    """Walks the body into blocks, numbering paragraphs as Word would."""

    def __init__(self, document: Any, rules: Rules) -> None:
        self.rules = rules
        self.styles, self.default_style = _styles(document)
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, ValueError):
            numbering = None
        self.numberer = Numberer(numbering, rules.docx.numbering, rules.numerals)
        self.heading_names = [n.lower() for n in rules.docx.heading_styles]
        self.toc_styles = tuple(rules.docx.toc_styles)
        self.blocks: list[Block] = []
        self._style_cache: dict[str, tuple[str | None, int | None, int | None, int | None]] = {}
        self._names: dict[str | None, str] = {}

    def style_props(self, style_id: str | None) -> tuple[str | None, int | None, int | None, int | None]:
        """(numId, ilvl, outline level, heading level) a style gives, following basedOn."""
        sid = style_id or self.default_style
        if sid is None:
            return None, None, None, None
        if sid in self._style_cache:
            return self._style_cache[sid]
        num_id = ilvl = outline = heading = None
        seen: set[str] = set()
        current: str | None = sid
        while current and current not in seen and current in self.styles:
            seen.add(current)
            st = self.styles[current]
            num_id = num_id if num_id is not None else st.num_id
            ilvl = ilvl if ilvl is not None else st.ilvl
            outline = outline if outline is not None else st.outline
            if heading is None:
                compact = "".join(st.name.split()).lower()
                m = _HEADING_NUMBER.search(compact)
                if m and compact[: m.start()] in self.heading_names:
                    heading = int(m.group(1))
            current = st.based_on
        self._style_cache[sid] = (num_id, ilvl, outline, heading)
        return self._style_cache[sid]

    def body(self, container: Any) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self.paragraph(child)
            elif tag == _TBL:
                self.table(child)
            elif tag == _SDT:
                content = child.find(f"{W}sdtContent")
                if content is not None and not self._skipped_part(child):
                    self.body(content)
            elif tag in (f"{W}customXml", f"{W}ins", f"{W}moveTo"):
                self.body(child)

    def _skipped_part(self, sdt: Any) -> bool:
        gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
        return gallery is not None and gallery.get(f"{W}val") in self.rules.docx.skipped_parts

    def _style_name(self, style_id: str | None) -> str:
        """The style's name in lower case without spaces (remembered per style)."""
        found = self._names.get(style_id)
        if found is None:
            style = self.styles.get(style_id or self.default_style or "")
            found = self._names[style_id] = "".join(style.name.lower().split()) if style else ""
        return found

    def paragraph(self, p: Any) -> None:
        parts: list[str] = []
        boxes: list[Any] = []
        _runs(p, parts, boxes)
        text = plain_spaces("".join(parts)).strip()
        ppr = p.find(_PPR)
        style_el = ppr.find(_PSTYLE) if ppr is not None else None
        style_id = style_el.get(_VAL) if style_el is not None else None
        s_num, s_ilvl, s_outline, heading = self.style_props(style_id)
        num_id, ilvl, outline = _numpr(ppr)
        if num_id is None and s_num is not None:
            num_id = s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            if ilvl is None and style_id:
                ilvl = self.numberer.style_level(s_num, style_id)
        label = None
        if num_id is not None:
            # An empty numbered paragraph still takes its number, as in Word.
            rendered = self.numberer.label(num_id, ilvl or 0)
            if rendered and text:
                label = rendered[0].strip()
                text = f"{label}{' ' if rendered[1] == 'space' else ''}{text}"
        name = self._style_name(style_id)
        if name.startswith(self.toc_styles):
            return  # an entry of a table of contents, not content
        outline = outline if outline is not None else s_outline
        hint = heading if heading is not None else (outline + 1 if outline is not None and outline < 9 else None)
        marked = hint is not None
        if name in self.rules.docx.title_styles:
            hint, marked = 0, False
        # A soft line break starts a new line on the page (a heading typed after
        # Shift+Enter, a date under its signature): each line is a block.
        for k, line in enumerate(line.strip() for line in text.split("\n")):
            if line:
                first = k == 0
                self.blocks.append(Block(
                    index=len(self.blocks), text=line, level_hint=hint if first else None,
                    marked=marked and first, label=label if first else None, label_generated=bool(label) and first,
                ))
        for box in boxes:
            self.body(box)

    def cell_text(self, tc: Any) -> str:
        # Read the cell with this reader (numbering counters run on through tables), into a list of its own.
        outer, self.blocks = self.blocks, []
        try:
            self.body(tc)
            return cell_text(self.blocks)
        finally:
            self.blocks = outer

    def table(self, tbl: Any) -> None:
        # Decide on the flat text first: reading nested layout tables cell by cell
        # twice per level would cost 2^depth.
        if not is_data_grid(expand_spans(_table_rows(tbl, _flat_text))):
            for tr in _trs(tbl):
                for tc in _tcs(tr):
                    self.body(tc)
            return
        grid = expand_spans(_table_rows(tbl, self.cell_text))
        self.blocks.append(Block(index=len(self.blocks), kind="table", text=table_text(grid), cells=grid))


def _runs(el: Any, parts: list[str], boxes: list[Any]) -> None:
    """Collect a paragraph's visible text in order; text boxes are kept aside."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _TABS:
            parts.append(" ")
        elif tag in _BREAKS:
            if child.get(_TYPE) not in _PAGE_BREAKS:
                parts.append("\n")
        elif tag == _HYPHEN:
            parts.append("-")
        elif tag == _TXBX:
            boxes.append(child)
        elif tag == _P:
            continue  # a paragraph nested in a run belongs to a text box, read with it
        else:
            _runs(child, parts, boxes)


def _flat_text(tc: Any) -> str:
    return "".join(t.text or "" for t in tc.iter(_T))


def _children(parent: Any, tag: str) -> list[Any]:
    """The `tag` children of a table or row, looking inside content controls (w:sdt) that wrap them."""
    out = []
    for child in parent:
        if child.tag == tag:
            out.append(child)
        elif child.tag == _SDT:
            content = child.find(f"{W}sdtContent")
            out.extend(c for c in (content if content is not None else []) if c.tag == tag)
    return out


def _trs(tbl: Any) -> list[Any]:
    return _children(tbl, _TR)


def _tcs(tr: Any) -> list[Any]:
    return _children(tr, _TC)


def _int_attr(el: Any, tag: str, default: int) -> int:
    if el is None:
        return default
    child = el.find(f"{W}{tag}")
    value = child.get(f"{W}val") if child is not None else None
    return ooxml_int(value, default, 0, MAX_GRID_COLUMNS)


def _table_rows(tbl: Any, cell_text: Any) -> list[list[Cell]]:
    """Rows of Cells with vMerge turned into row spans and gridBefore into empty cells."""
    layout: list[list[tuple[int, int, str | None, Any]]] = []  # (column, span, vmerge, tc)
    for tr in _trs(tbl):
        col = _int_attr(tr.find(f"{W}trPr"), "gridBefore", 0)
        row = []
        for tc in _tcs(tr):
            tcpr = tc.find(f"{W}tcPr")
            span = max(1, _int_attr(tcpr, "gridSpan", 1))
            vm = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            state = None if vm is None else ("restart" if vm.get(f"{W}val") == "restart" else "continue")
            row.append((col, span, state, tc))
            col += span
        layout.append(row)
    rows: list[list[Cell]] = []
    for r, row in enumerate(layout):
        cells: list[Cell] = []
        at = 0
        for col, span, state, tc in row:
            if state == "continue":
                at = col + span
                continue
            if col > at:
                cells.append(Cell("", 1, col - at))
            rowspan = 1
            if state == "restart":
                for below in layout[r + 1 :]:
                    if any(c == col and s == "continue" for c, _, s, _ in below):
                        rowspan += 1
                    else:
                        break
            cells.append(Cell(cell_text(tc), rowspan, span))
            at = col + span
        rows.append(cells)
    return rows


def extract(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """Blocks of the document body; a `no_text` warning when it holds only images."""
    document = open_package(path, data, limits.max_unzipped if limits else DEFAULT_MAX_UNZIPPED)
    reader = _Reader(document, rules)
    reader.body(document.element.body)
    from . import drop_chrome

    paragraphs = [b.text for b in reader.blocks if b.kind == "paragraph"]
    keep = set(drop_chrome(paragraphs, rules))
    blocks = [b for b in reader.blocks if b.kind != "paragraph" or b.text in keep]
    warnings = []
    if not blocks:
        warnings.append(
            NoticeWarning(code="no_text", message="the document holds no text (only images? OCR is not enabled)")
        )
    return Extraction(format="docx", blocks=blocks, warnings=warnings)
