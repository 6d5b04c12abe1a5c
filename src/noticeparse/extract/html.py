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
import functools
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
# The tags the walk treats as more than inline text.
_STRUCTURE_TAGS = _BLOCK_TAGS | {"br", "table"}
_SKIP_TAGS = frozenset(
    "script style noscript template iframe object embed svg select textarea button input head title meta link "
    "map area canvas video audio".split()
)
_HEADLINE_TAGS = ("h1", "h2")
# The elements whose text a page's density scores (the HTML parser writes tags in lower case).
_DENSITY_TAGS = ("p", "td", "li", "pre", "div", "span", "font")
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
_CLASS_SEPARATORS = re.compile(r"[ \t\n\r\f]+")
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
    text = plain_spaces(text)
    if "\n" in text or "\r" in text:
        text = _CJK_BREAK.sub("", text)
    return _SPACE_RUN.sub(" ", text).strip()


def _tag(el: Any) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


class _Reader:
    """Walks an element tree into paragraph texts and table grids."""

    def __init__(self, rules: Rules, in_cell: bool = False, parent: _Reader | None = None) -> None:
        self.rules = rules
        # Inside a table cell a soft break is read as the browser shows it, a space: a cell's
        # paragraphs are its <p>s (its clauses stay one title).
        self.in_cell = in_cell
        # A cell's reader shares its page reader's sets (a page can have thousands of cells).
        self.chrome_classes: frozenset[str] = (
            parent.chrome_classes if parent else frozenset(rules.html.chrome_classes)
        )
        self.chrome_tags: frozenset[str] = parent.chrome_tags if parent else frozenset(rules.html.chrome_tags)
        # Answers by attribute value: a saved Word page repeats the same few styles on every span.
        self.chrome_class_attrs: dict[str, bool] = parent.chrome_class_attrs if parent else {}
        self.hiding_styles: dict[str, bool] = parent.hiding_styles if parent else {}
        self.blocks: list[Block] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        if not self.buffer:
            return
        raw = "".join(self.buffer)
        self.buffer = []
        if not raw or raw.isspace():
            return  # white space alone makes no paragraph
        for part in _PASTED_BREAK.split(raw):
            text = _clean(part)
            if text:
                self.blocks.append(Block(index=len(self.blocks), text=text))

    def kept_tag(self, el: Any) -> str | None:
        """The element's tag (lower case) when its content is read; None when it is skipped."""
        tag = el.tag
        if not isinstance(tag, str):
            return None
        tag = tag.lower()
        if tag in _SKIP_TAGS or tag in self.chrome_tags:
            return None
        classes = el.get("class")
        if classes:
            chrome = self.chrome_class_attrs.get(classes)
            if chrome is None:
                chrome = self.chrome_class_attrs[classes] = not self.chrome_classes.isdisjoint(classes.split())
            if chrome:
                return None
        style = el.get("style")
        if style:
            hidden = self.hiding_styles.get(style)
            if hidden is None:
                hidden = self.hiding_styles[style] = _HIDDEN.search(style) is not None
            if hidden:
                return None
        if el.get("hidden") is not None:
            return None
        return tag

    def skipped(self, el: Any) -> bool:
        return self.kept_tag(el) is None

    def walk(self, el: Any, label: str = "", tag: str | None = None) -> None:
        if tag is None:
            tag = _tag(el)
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        text = el.text
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
            if label:
                self.buffer.append(label)
        elif text and len(el) == 0 and "\n" in text and not text.strip():
            # An inline element holding only a line break: Word's soft break saved as HTML.
            if self.in_cell:
                self.buffer.append(" ")
            else:
                self.flush()
            return
        buffer = self.buffer
        if text:
            buffer.append(text)
        numbered = tag == "ol"
        count = _start(el) if numbered else 0
        for child in el:
            child_tag = self.kept_tag(child)
            if child_tag is not None:
                if len(child) == 0 and child_tag not in _STRUCTURE_TAGS:
                    # An inline element holding text only (most of a page): read here, not walked.
                    inline = child.text
                    if inline:
                        if "\n" in inline and not inline.strip():
                            # Only a line break: Word's soft break saved as HTML.
                            if self.in_cell:
                                buffer.append(" ")
                            else:
                                self.flush()
                                buffer = self.buffer
                        else:
                            buffer.append(inline)
                elif numbered and child_tag == "li":
                    # The number a browser draws before the item is not in the text.
                    self.walk(child, _list_label(el, count), child_tag)
                    count += 1
                else:
                    self.walk(child, "", child_tag)
                buffer = self.buffer  # a flush below starts a new one
            tail = child.tail
            if tail:
                buffer.append(tail)
        if block:
            self.flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.blocks:
                last = self.blocks[-1]
                self.blocks[-1] = last.model_copy(update={"level_hint": int(tag[1]), "marked": True})

    def cell_text(self, el: Any, flat: str) -> str:
        """A cell's paragraphs, one per line; `flat` is its text read in one piece (`_text_of`)."""
        if len(el) == 0 and not _PASTED_BREAK.search(el.text or ""):
            return flat  # text alone, no paragraph break: the walk below would give the same
        inner = _Reader(self.rules, in_cell=True, parent=self)
        inner.walk(el)
        inner.flush()
        return cell_text(inner.blocks)

    def table(self, el: Any) -> None:
        rows = [[td for td in tr if _tag(td) in ("td", "th")] for tr in _rows(el)]
        spans = [[(_span(td.get("rowspan"), 1), _span(td.get("colspan"), 1)) for td in row] for row in rows]

        def grid_of(texts: list[list[str]]) -> list[list[str]]:
            return expand_spans([
                [Cell(text, *span) for text, span in zip(row, row_spans, strict=True)]
                for row, row_spans in zip(texts, spans, strict=True)
            ])

        # Decide on the flat text first: reading nested layout tables cell by cell
        # twice per level would cost 2^depth.
        flat = [[_text_of(td) for td in row] for row in rows]
        if not is_data_grid(grid_of(flat)):
            # Page layout: read each cell's content as ordinary paragraphs.
            for row in rows:
                for td in row:
                    if not self.skipped(td):
                        self.walk(td)
            self.flush()
            return
        for caption in el.iterchildren("caption"):
            self.walk(caption)
        grid = grid_of([
            [self.cell_text(td, text) for td, text in zip(row, texts, strict=True)]
            for row, texts in zip(rows, flat, strict=True)
        ])
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


@functools.lru_cache(maxsize=1)
def _string_value() -> Callable[[Any], str]:
    import lxml.etree

    return lxml.etree.XPath("string()", smart_strings=False)  # type: ignore[no-any-return]


def _string(el: Any) -> str:
    """All the text under `el` joined, strung inside libxml2 (a few times faster than itertext)."""
    return _string_value()(el)  # type: ignore[no-any-return]


def _text_of(el: Any) -> str:
    return _clean(_string(el))


def _density_body(root: Any) -> Any:
    """The element whose leaf paragraphs hold the most text (a readability-style score)."""
    scores: dict[Any, float] = {}
    for el in root.iter(*_DENSITY_TAGS):
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


def _body_ids(root: Any, ids: Sequence[str]) -> dict[str, Any] | None:
    """The first element of each known body id, from libxml2's own id table; None when that table
    cannot tell (it also files `<a name>` anchors, which may hide an id of the same value)."""
    if not ids:
        return {}
    found: dict[str, Any] = {}
    for el in root.xpath("id($v)", v=" ".join(ids)):
        ident = el.get("id")
        if ident not in ids:
            return None
        found.setdefault(ident, el)
    return found


def _body_candidates(root: Any, rules: Rules) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The first element of each known body id (from the id table where it can tell), and the
    elements of each known body class in document order: one pass over the elements (cheaper
    than an XPath query per name, which libxml2 answers by testing every element)."""
    ids, classes = rules.html.body_ids, set(rules.html.body_classes)
    from_table = _body_ids(root, ids)
    scan_ids = from_table is None
    first = from_table or {}
    wanted = set(ids)
    by_class: dict[str, list[Any]] = {}
    for el in root.iter():
        if scan_ids:
            ident = el.get("id")
            if ident is not None and ident in wanted and ident not in first:
                first[ident] = el
        names = el.get("class")
        if names and not classes.isdisjoint(names.split()):
            # Tokens as HTML splits them: on ASCII white space only.
            for name in dict.fromkeys(_CLASS_SEPARATORS.split(names.strip(" \t\n\r\f"))):
                if name in classes:
                    by_class.setdefault(name, []).append(el)
    return first, by_class


def _find_body(root: Any, rules: Rules) -> Any:
    """The document body: the first of the known ids that holds text, else the longest element of
    the first known class that has text, else the densest element."""
    first, by_class = _body_candidates(root, rules)
    for ident in rules.html.body_ids:
        if ident in first and _text_of(first[ident]):
            return first[ident]
    for name in rules.html.body_classes:
        lengths = [(len(_text_of(e)), e) for e in by_class.get(name, ())]
        found = [(n, e) for n, e in lengths if n]
        if found:
            return max(found, key=lambda pair: pair[0])[1]
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
                # libxml2 strings the cell (a layout cell may hold the whole body); spaces go anyway.
                label = "".join(plain_spaces(_string(cell)).split())
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
    # Only the labels the page's text holds are looked for node by node (each one asked of
    # every text node costs more than reading the whole text once).
    everything = _string(root)
    labels = [label for label in rules.html.published_labels if label in everything]
    if not labels:
        return None
    # Only the text nodes naming a label leave libxml2 (in document order).
    query = "descendant::text()[" + " or ".join(f"contains(., $l{k})" for k in range(len(labels))) + "]"
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
    # libxml2 picks out the headline tags (and the body's own, to see where the body starts).
    for el in root.iter(*_HEADLINE_TAGS, body.tag):
        if el is body:
            break  # in document order everything inside the body comes after it
        if el.tag in _HEADLINE_TAGS:
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

    # lxml.etree's own HTML parser: lxml.html's would look up a Python element class for every
    # element the walk touches, and nothing here needs its methods.
    parser = lxml.etree.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False
    )
    # lxml refuses str input carrying an encoding declaration; the text is already decoded.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.etree.fromstring(text, parser=parser)
    except (lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptFile(path, f"not a readable web page ({exc})") from exc
    if root is None:
        raise CorruptFile(path, "not a readable web page (Document is empty)")
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
