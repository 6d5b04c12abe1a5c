"""Saved web pages: find the document body, drop site chrome, keep paragraphs and tables.

Decoding follows the page's declared charset (GB2312/GBK pages are read as
GB18030, their superset), then the plain-text decoder. lxml parses the page
with network access and entity loading off. The body is the first element
named in rules/html.toml, else the element with the densest paragraph text.
Tables of data become table blocks with merged cells expanded; one-row or
one-column layout tables are read as paragraphs. The page's headline and a
gov.cn metadata table go to `Extraction.page_meta`.
"""

from __future__ import annotations

import codecs
import html as html_lib
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CorruptFile
from ..models import Block, Extraction, NoticeWarning
from ..rules import Rules
from ..text.width import fold_width, plain_spaces

if TYPE_CHECKING:
    from . import Limits
from .tables import Cell, cell_text, expand_spans, is_data_grid, table_text
from .txt import decode

__all__ = ["extract"]

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article blockquote pre center hr header footer "
    "nav aside form address figure figcaption main caption tbody thead tfoot tr td th table body html".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript template iframe object embed svg select textarea button input head title meta link "
    "map area canvas video audio".split()
)
_HEADLINE_TAGS = ("h1", "h2")
# The HTML5 encoding prescan reads a declared charset from the first bytes.
_PRESCAN_BYTES = 4096
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_SPACE_RUN = re.compile(r"[ \t\r\n\f\xa0]+")
# A source line break between two CJK characters renders as nothing, not a space.
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]*[\r\n]+[ \t]*(?=[\u3000-\u9fff\uff00-\uffef])")
# Text pasted into a CMS keeps its line breaks in the source; a break followed by an
# indent of non-breaking or ideographic spaces starts a new paragraph there.
_PASTED_BREAK = re.compile(r"[\r\n][ \t]*(?:[\xa0\u3000][ \t]*){2,}")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# An element whose class attribute holds the token $v (given with a space on each side).
_HAS_CLASS = "//*[@class][contains(concat(' ', normalize-space(@class), ' '), $v)]"
_DOUBLE_ESCAPED = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")


def _declared_charset(data: bytes, accepted: Sequence[str]) -> str | None:
    """The charset the page declares, when it is a text encoding this reader accepts
    (`undefined`, `rot13`, `zlib`, `unicode_escape`, `utf-7` and the like are ignored)."""
    m = _CHARSET.search(data[:_PRESCAN_BYTES])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    name = _SUPERSETS.get(name, name)
    try:
        found = codecs.lookup(name).name
    except (LookupError, ValueError):
        return None
    return found if found in accepted else None


def decode_page(path: Path, data: bytes, rules: Rules | None = None) -> tuple[str, str, bool]:
    """The page's text, encoding and whether the encoding was guessed."""
    from ..rules import default_rules

    accepted = (rules or default_rules()).html.text_encodings
    declared = _declared_charset(data, accepted)
    has_bom = data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if declared and not has_bom:
        try:
            return data.decode(declared), declared, False
        except (UnicodeError, LookupError):
            pass  # a wrong declaration is common; detect instead
    return decode(path, data)


def _clean(text: str) -> str:
    text = _CJK_BREAK.sub("", plain_spaces(text))
    return _SPACE_RUN.sub(" ", text).strip()


def _tag(el: Any) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


class _Reader:
    """Walks an element tree into paragraph texts and table grids."""

    def __init__(self, rules: Rules, in_cell: bool = False) -> None:
        self.rules = rules
        # Inside a table cell a soft break is read as the browser shows it, a space: a cell's
        # paragraphs are its <p>s (its clauses stay one title).
        self.in_cell = in_cell
        self.chrome_classes = set(rules.html.chrome_classes)
        self.chrome_tags = set(rules.html.chrome_tags)
        self.blocks: list[Block] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        for part in _PASTED_BREAK.split(raw):
            text = _clean(part)
            if text:
                self.blocks.append(Block(index=len(self.blocks), text=text))

    def skipped(self, el: Any) -> bool:
        tag = _tag(el)
        if not tag or tag in _SKIP_TAGS or tag in self.chrome_tags:
            return True
        classes = el.get("class")
        if classes and not self.chrome_classes.isdisjoint(classes.split()):
            return True
        style = el.get("style")
        return bool(style and _HIDDEN.search(style)) or el.get("hidden") is not None

    def walk(self, el: Any, label: str = "") -> None:
        tag = _tag(el)
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
            self.buffer.append(label)
        elif el.text and len(el) == 0 and not el.text.strip() and "\n" in el.text:
            # An inline element holding only a line break: Word's soft break saved as HTML.
            if self.in_cell:
                self.buffer.append(" ")
            else:
                self.flush()
            return
        if el.text:
            self.buffer.append(el.text)
        numbered = tag == "ol"
        count = _start(el) if numbered else 0
        for child in el:
            if not self.skipped(child):
                if numbered and _tag(child) == "li":
                    # The number a browser draws before the item is not in the text.
                    self.walk(child, _list_label(el, count))
                    count += 1
                else:
                    self.walk(child)
            if child.tail:
                self.buffer.append(child.tail)
        if block:
            self.flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.blocks:
                last = self.blocks[-1]
                self.blocks[-1] = last.model_copy(update={"level_hint": int(tag[1]), "marked": True})

    def cell_text(self, el: Any) -> str:
        inner = _Reader(self.rules, in_cell=True)
        inner.walk(el)
        inner.flush()
        return cell_text(inner.blocks)

    def table(self, el: Any) -> None:
        def grid_of(text: Callable[[Any], str]) -> list[list[str]]:
            return expand_spans([
                [Cell(text(td), _span(td.get("rowspan"), 1), _span(td.get("colspan"), 1))
                 for td in tr if _tag(td) in ("td", "th")]
                for tr in _rows(el)
            ])

        # Decide on the flat text first: reading nested layout tables cell by cell
        # twice per level would cost 2^depth.
        if not is_data_grid(grid_of(_text_of)):
            # Page layout: read each cell's content as ordinary paragraphs.
            for tr in _rows(el):
                for td in tr:
                    if _tag(td) in ("td", "th") and not self.skipped(td):
                        self.walk(td)
            self.flush()
            return
        for caption in el.iterchildren("caption"):
            self.walk(caption)
        grid = grid_of(self.cell_text)
        self.blocks.append(
            Block(index=len(self.blocks), kind="table", text=table_text(grid), cells=grid)
        )


def _rows(table: Any) -> Iterator[Any]:
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if _tag(tr) == "tr")


def _span(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip() or default)
    except ValueError:
        return default


def _start(ol: Any) -> int:
    return _span(ol.get("start"), 1)


def _list_label(ol: Any, n: int) -> str:
    kind = ol.get("type") or "1"
    if kind in ("a", "A") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return f"{letter.upper() if kind == 'A' else letter}."
    return f"{n}."


def _text_of(el: Any) -> str:
    return _clean("".join(el.itertext()))


def _density_body(root: Any) -> Any:
    """The element whose leaf paragraphs hold the most text (a readability-style score)."""
    scores: dict[Any, float] = {}
    for el in root.iter():
        tag = _tag(el)
        if tag not in ("p", "td", "li", "pre", "div", "span", "font"):
            continue
        if any(_tag(c) in _BLOCK_TAGS for c in el):
            continue
        length = len(_text_of(el))
        if length < 2:
            continue
        parent = el.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + length
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + length / 2
    if not scores:
        return root
    return max(scores, key=lambda e: scores[e])


def _find_body(root: Any, rules: Rules) -> Any:
    """The document body: the first of the known ids that holds text, else the longest element of
    the first known class that has text, else the densest element. The candidates are found by
    XPath inside libxml2 (a page has thousands of elements, a handful of candidates)."""
    ids = rules.html.body_ids
    if ids:
        first: dict[str, Any] = {}
        query = "//*[@id][" + " or ".join(f"@id=$i{k}" for k in range(len(ids))) + "]"
        for el in root.xpath(query, **{f"i{k}": v for k, v in enumerate(ids)}):
            first.setdefault(el.get("id"), el)
        for ident in ids:
            if ident in first and _text_of(first[ident]):
                return first[ident]
    for cls in rules.html.body_classes:
        found = [e for e in root.xpath(_HAS_CLASS, v=f" {cls} ") if _text_of(e)]
        if found:
            return max(found, key=lambda e: len(_text_of(e)))
    return _density_body(root)


def _page_meta(root: Any, body: Any, rules: Rules) -> dict[str, str]:
    """Metadata printed outside the body: a labelled metadata table, and the headline."""
    meta: dict[str, str] = {}
    def inside(el: Any) -> bool:
        return el is body or any(a is body for a in el.iterancestors())

    labels = {"".join(k.split()): v for k, v in rules.html.meta_labels.items()}
    colons = tuple(rules.text.label_separators) + ("：",)
    for table in root.iter("table"):
        if inside(table):
            continue
        found: dict[str, str] = {}
        for tr in _rows(table):
            cells = [c for c in tr if _tag(c) in ("td", "th")]
            for cell, value in zip(cells, cells[1:], strict=False):
                label = "".join(_text_of(cell).split())
                if not label.endswith(colons):
                    continue
                key = labels.get(label[:-1])
                text = _text_of(value)
                if key and text and key not in found:
                    found[key] = text
        if len(found) >= 2:
            meta.update({k: v for k, v in found.items() if k not in meta})
    headline = _headline(root, body, rules)
    if headline:
        meta["headline"] = headline
    published = _published(root, inside, rules)
    if published:
        meta["published"] = published
    return meta


def _published(root: Any, inside: Callable[[Any], bool], rules: Rules) -> str | None:
    """The publication date the page prints as text outside the body (never an attribute's)."""
    labels = rules.html.published_labels
    if not labels:
        return None
    # Only the text nodes naming a label leave libxml2 (in document order).
    query = "//text()[" + " or ".join(f"contains(., $l{k})" for k in range(len(labels))) + "]"
    for node in root.xpath(query, **{f"l{k}": label for k, label in enumerate(labels)}):
        if len(node) > 200:
            continue
        parent = node.getparent()
        if parent is not None and inside(parent):
            continue
        # <span>发布时间：</span><span>2019-09-23</span>: the date may stand in the next element.
        around = [p for p in (parent, parent.getparent() if parent is not None else None) if p is not None]
        for text in (str(node), *(_text_of(p)[:200] for p in around)):
            folded = fold_width(text)
            for label in labels:
                at = folded.find(label)
                m = rules.html.published_date.match(folded, at + len(label)) if at >= 0 else None
                if m:
                    return m["date"]
    return None


def _headline(root: Any, body: Any, rules: Rules) -> str | None:
    """The article heading: the last h1/h2 before the body, else the page <title> without the site name."""
    last = None
    for el in root.iter():
        if el is body:
            break  # in document order everything inside the body comes after it
        if _tag(el) in _HEADLINE_TAGS:
            text = _text_of(el)
            if text:
                last = text
    if last is None:
        titles = root.xpath("//title")
        text = _text_of(titles[0]) if titles else ""
        for sep in rules.html.headline.title_separators:
            text = text.split(sep, 1)[0].strip() if sep in text else text
        last = text or None
    if last and _DOUBLE_ESCAPED.search(last):
        last = html_lib.unescape(last)
    return last


def _parse(path: Path, text: str) -> Any:
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False
    )
    # lxml refuses str input carrying an encoding declaration; the text is already decoded.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise CorruptFile(path, f"not a readable web page ({exc})") from exc
    return root


def extract(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """Blocks of the page's document body, and the page's own metadata."""
    from . import drop_chrome

    text, encoding, guessed = decode_page(path, data, rules)
    warnings = []
    if guessed:
        warnings.append(NoticeWarning(code="encoding_guessed", message=f"decoded as {encoding} by detection"))
    if not text.strip():
        warnings.append(NoticeWarning(code="no_text", message="the page holds no text"))
        return Extraction(format="html", blocks=[], encoding=encoding, warnings=warnings)
    root = _parse(path, text)
    body = _find_body(root, rules)
    reader = _Reader(rules)
    reader.walk(body)
    reader.flush()
    paragraphs = [b.text for b in reader.blocks if b.kind == "paragraph"]
    keep = set(drop_chrome(paragraphs, rules))
    blocks = [b for b in reader.blocks if b.kind != "paragraph" or b.text in keep]
    if not blocks:
        warnings.append(NoticeWarning(code="no_text", message="the page's body holds no text"))
    return Extraction(
        format="html",
        blocks=blocks,
        encoding=encoding,
        warnings=warnings,
        page_meta=_page_meta(root, body, rules),
    )
