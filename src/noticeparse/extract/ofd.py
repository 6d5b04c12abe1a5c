"""OFD (GB/T 33190): the fixed-layout format of Chinese e-government, read natively with lxml.

An OFD is a zip of XML. OFD.xml names each document's Document.xml (DocBody/DocRoot);
the document lists its pages, templates and resources (public and document resources:
fonts, composite graphic units). Text is in `TextObject`/`TextCode` elements: a code's
X/Y start its run, DeltaX (with the `g N d` shorthand) spaces its glyphs, the object's
CTM and Boundary place it on the page, in millimetres from the top left; composite
objects and page blocks nest the same placements. Every text run is placed on the page,
runs are grouped into lines by baseline (a run is never split, so overlapping objects
cannot interleave their glyphs), and the lines go into the PDF reader's line model:
paragraphs, headings, page numbers and running heads are rebuilt by the same code.

Seals (`Signs/*/Seal.esl`) are images and never text; the signatures are counted in a
note of `source`. A file of several documents is read for its first, with a note. Text
drawn only as paths has no text layer (there is no OFD renderer here to hand to OCR).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._limits import DEFAULT_MAX_UNZIPPED
from ..errors import CorruptFile, LimitExceeded, NoTextLayer, UnmappedFont
from ..models import Extraction, NoticeWarning
from ..rules import Rules
from .pdf import DEFAULT_MAX_UNMAPPED_SHARE, UNREADABLE, Line, Page, Table, lines_to_blocks
from .tables import is_data_grid

if TYPE_CHECKING:
    from . import Limits

__all__ = ["extract", "is_ofd"]

OFD_NS = "http://www.ofdspec.org/2016"
_NS = f"{{{OFD_NS}}}"
POINTS_PER_MM = 72 / 25.4
# Runs whose baselines differ by less than this share of the font size stand on one line.
DEFAULT_SAME_LINE = 0.35
# A gap wider than this many ems between two runs of a line is a space (two organs side by side).
DEFAULT_GAP_SPACE = 1.0
# A gap wider than this many ems is a gutter between columns: the runs are two lines.
DEFAULT_GUTTER = 2.5
# A line narrower than this share of the page's text width may belong to a column.
DEFAULT_COLUMN_WIDTH = 0.55
# Baselines a band must share between side-by-side lines to be read as columns (one shared
# baseline is a 版记 line: the organ at the left, the date at the right).
DEFAULT_COLUMN_ROWS = 3
# A path this thin and at least this long is a table's ruled line (millimetres).
DEFAULT_RULE_THICKNESS = 1.0
DEFAULT_RULE_LENGTH = 2.0
# Rules this close are one line of the grid (millimetres).
DEFAULT_RULE_SNAP = 0.8
# Composite objects and page blocks nest at most this deep (a resource that includes itself ends).
MAX_NESTING = 16
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The matrix applying `inner` first, then `outer`."""
    a, b, c, d, e, f = outer
    p, q, r, s, t, u = inner
    return (a * p + c * q, b * p + d * q, a * r + c * s, b * r + d * s, a * t + c * u + e, b * t + d * u + f)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _placement(el: Any) -> Matrix:
    """Where an object's own coordinates land in its parent's: its Boundary origin after its CTM."""
    box = _numbers(el.get("Boundary"))
    ctm = _numbers(el.get("CTM"))
    matrix: Matrix = tuple(ctm) if len(ctm) == 6 else IDENTITY  # type: ignore[assignment]
    x, y = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
    return _compose((1.0, 0.0, 0.0, 1.0, x, y), matrix)


def deltas(text: str | None, count: int) -> list[float]:
    """DeltaX/DeltaY values, the `g N v` shorthand (N times v) expanded, padded to `count`."""
    out: list[float] = []
    tokens = (text or "").split()
    k = 0
    while k < len(tokens):
        if tokens[k] == "g" and k + 2 < len(tokens):
            try:
                out.extend([float(tokens[k + 2])] * min(int(float(tokens[k + 1])), count))
            except ValueError:
                pass
            k += 3
            continue
        try:
            out.append(float(tokens[k]))
        except ValueError:
            pass
        k += 1
    return (out + [out[-1] if out else 0.0] * count)[: max(count - 1, 0)]


@dataclass(frozen=True)
class _Rule:
    """A ruled line: horizontal at `at` from `start` to `end`, or vertical (millimetres)."""

    horizontal: bool
    at: float
    start: float
    end: float


@dataclass
class _Run:
    text: str
    x0: float  # millimetres from the page's top left
    x1: float
    y: float  # baseline
    size: float


class _Package:
    """The zip's parts by normalised name (backslashes and letter case vary between producers)."""

    def __init__(self, path: Path, data: bytes, max_unzipped: int) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except zipfile.BadZipFile as exc:
            raise CorruptFile(path, f"not an .ofd (damaged zip: {exc})") from exc
        total = sum(i.file_size for i in infos)
        if total > max_unzipped:
            raise LimitExceeded(path, f"unzips to {total} bytes, over the {max_unzipped}-byte limit")
        self.names = {self._key(i.filename): i for i in infos}

    @staticmethod
    def _key(name: str) -> str:
        return posixpath.normpath("/" + name.replace("\\", "/")).lstrip("/").lower()

    def resolve(self, base: str, ref: str) -> str:
        """A part named relative to the part `base` (or absolute from the package root)."""
        ref = ref.strip().replace("\\", "/")
        joined = ref if ref.startswith("/") else posixpath.join(posixpath.dirname(base), ref)
        return self._key(joined)

    def xml(self, name: str) -> Any:
        import lxml.etree

        info = self.names.get(self._key(name))
        if info is None:
            raise CorruptFile(self.path, f"damaged .ofd (part {name} missing)")
        parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            return lxml.etree.fromstring(self.zip.read(info), parser=parser)
        except lxml.etree.XMLSyntaxError as exc:
            raise CorruptFile(self.path, f"damaged .ofd ({name}: {exc})") from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise CorruptFile(self.path, f"damaged .ofd ({name}: {exc})") from exc

    def has(self, name: str) -> bool:
        return self._key(name) in self.names


def is_ofd(data: bytes) -> bool:
    """Whether a zip's parts include OFD.xml at its root."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(_Package._key(n) == "ofd.xml" for n in archive.namelist())
    except zipfile.BadZipFile:
        return False


class _Reader:
    def __init__(self, package: _Package, document: str) -> None:
        self.package = package
        self.document = document
        self.root = package.xml(document)
        self.units: dict[str, Any] = {}
        self.paths = 0
        self.images = 0
        self.rules: list[_Rule] = []
        common = self.root.find(f"{_NS}CommonData")
        for tag in ("PublicRes", "DocumentRes"):
            for ref in common.iterfind(f"{_NS}{tag}") if common is not None else ():
                self._resources(package.resolve(document, ref.text or ""))
        self.templates = {
            t.get("ID"): package.resolve(document, t.get("BaseLoc", ""))
            for t in (common.iterfind(f"{_NS}TemplatePage") if common is not None else ())
        }
        box = _numbers(common.findtext(f"{_NS}PageArea/{_NS}PhysicalBox") if common is not None else None)
        self.size = (box[2], box[3]) if len(box) == 4 else (210.0, 297.0)

    def _resources(self, name: str) -> None:
        if not self.package.has(name):
            return
        root = self.package.xml(name)
        for unit in root.iter(f"{_NS}CompositeGraphicUnit"):
            self.units[unit.get("ID", "")] = unit

    def pages(self) -> list[tuple[str, Any]]:
        pages = self.root.find(f"{_NS}Pages")
        found = []
        for page in pages.iterfind(f"{_NS}Page") if pages is not None else ():
            found.append((self.package.resolve(self.document, page.get("BaseLoc", "")), page))
        return found

    def _rule(self, path: Any, matrix: Matrix) -> None:
        """A ruled line of a table: a thin path (a stroked line, a hairline filled rectangle), or
        the four sides of a stroked rectangle."""
        box = _numbers(path.get("Boundary"))
        if len(box) < 4:
            return
        x0, y0 = _apply(matrix, box[0], box[1])
        x1, y1 = _apply(matrix, box[0] + box[2], box[1] + box[3])
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        thin, long = DEFAULT_RULE_THICKNESS, DEFAULT_RULE_LENGTH
        if y1 - y0 <= thin and x1 - x0 >= long:
            self.rules.append(_Rule(True, (y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= thin and y1 - y0 >= long:
            self.rules.append(_Rule(False, (x0 + x1) / 2, y0, y1))
        elif path.get("Stroke") == "true" and len(_numbers(path.findtext(f"{_NS}AbbreviatedData"))) == 8:
            self.rules.extend([_Rule(True, y0, x0, x1), _Rule(True, y1, x0, x1),
                               _Rule(False, x0, y0, y1), _Rule(False, x1, y0, y1)])

    def runs(self, content_part: str) -> tuple[list[_Run], tuple[float, float]]:
        self.rules = []
        page = self.package.xml(content_part)
        box = _numbers(page.findtext(f"{_NS}Area/{_NS}PhysicalBox"))
        size = (box[2], box[3]) if len(box) == 4 else self.size
        runs: list[_Run] = []
        layers: list[tuple[int, Any]] = []
        for template in page.iterfind(f"{_NS}Template"):
            part = self.templates.get(template.get("TemplateID"))
            if part and self.package.has(part):
                order = 1 if template.get("ZOrder") == "Foreground" else -1
                layers.append((order, self.package.xml(part).find(f"{_NS}Content")))
        layers.append((0, page.find(f"{_NS}Content")))
        for _, content in sorted(layers, key=lambda item: item[0]):
            if content is not None:
                self._walk(content, IDENTITY, runs, 0, set())
        return runs, size

    def _walk(self, el: Any, matrix: Matrix, runs: list[_Run], depth: int, units: set[str]) -> None:
        if depth > MAX_NESTING:
            return
        for child in el:
            tag = child.tag.rpartition("}")[2] if isinstance(child.tag, str) else ""
            if tag in ("Layer", "PageBlock", "Content"):
                self._walk(child, matrix, runs, depth + 1, units)
            elif tag == "TextObject":
                self._text(child, _compose(matrix, _placement(child)), runs)
            elif tag == "CompositeObject":
                unit_id = child.get("ResourceID", "")
                unit = self.units.get(unit_id)
                if unit is not None and unit_id not in units:  # a unit that includes itself ends here
                    self._walk(unit, _compose(matrix, _placement(child)), runs, depth + 1, units | {unit_id})
            elif tag == "PathObject":
                self.paths += 1
                self._rule(child, matrix)
            elif tag == "ImageObject":
                self.images += 1

    @staticmethod
    def _text(obj: Any, matrix: Matrix, runs: list[_Run]) -> None:
        size = float(_numbers(obj.get("Size"))[0]) if _numbers(obj.get("Size")) else 3.5
        scale = abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]) ** 0.5 or 1.0
        x = y = 0.0
        for code in obj.iterfind(f"{_NS}TextCode"):
            text = code.text or ""
            x = float(_numbers(code.get("X"))[0]) if code.get("X") else x
            y = float(_numbers(code.get("Y"))[0]) if code.get("Y") else y
            if not text.strip():
                continue
            steps = deltas(code.get("DeltaX"), len(text))
            x0, baseline = _apply(matrix, x, y)
            end = x + sum(steps) + size
            x1, _ = _apply(matrix, end, y)
            runs.append(_Run(text, min(x0, x1), max(x0, x1), baseline, size * scale))
            x = end


def _same(a: _Run, b: _Run) -> bool:
    """The same text drawn twice over itself (fake bold, a stroke over a fill)."""
    return a.text == b.text and abs(a.x0 - b.x0) < 0.2 * a.size and abs(a.y - b.y) < 0.2 * a.size


def _baselines(runs: list[_Run]) -> tuple[list[list[_Run]], dict[int, int]]:
    """Runs on one baseline, left to right, cut where a gutter separates columns; and the
    positions of the groups that stand beside another on their baseline."""
    runs = sorted(runs, key=lambda r: (r.y, r.x0))
    rows: list[list[_Run]] = []
    for run in runs:
        if rows and abs(rows[-1][0].y - run.y) <= DEFAULT_SAME_LINE * max(run.size, rows[-1][0].size):
            if not any(_same(run, other) for other in rows[-1]):
                rows[-1].append(run)
        else:
            rows.append([run])
    groups: list[list[_Run]] = []
    beside: dict[int, int] = {}  # group position -> its row
    for r, row in enumerate(rows):
        row.sort(key=lambda r: r.x0)
        first = len(groups)
        groups.append([row[0]])
        for prev, run in zip(row, row[1:], strict=False):
            if run.x0 - prev.x1 > DEFAULT_GUTTER * run.size:
                groups.append([run])
            else:
                groups[-1].append(run)
        if len(groups) - first > 1:
            beside.update(dict.fromkeys(range(first, len(groups)), r))
    return groups, beside


def _reading_order(found: tuple[list[list[_Run]], dict[int, int]]) -> list[list[_Run]]:
    """Top to bottom; where narrow lines stand side by side (columns), each column in turn,
    a full-width line (a heading across the columns) closing the band. A band of narrow
    lines none of which shares its baseline with another is one column, read as it stands."""
    groups, beside = found
    if not groups:
        return groups
    left = min(g[0].x0 for g in groups)
    right = max(g[-1].x1 for g in groups)
    width = max(right - left, 1.0)
    out: list[list[_Run]] = []
    band: list[list[_Run]] = []
    shared: set[int] = set()  # the band's baselines on which lines stand side by side

    def close() -> None:
        if len(shared) < DEFAULT_COLUMN_ROWS:
            out.extend(band)
            band.clear()
            shared.clear()
            return
        shared.clear()
        # Columns: the narrow lines' left edges, clustered where they lie a gutter apart.
        starts = sorted(g[0].x0 for g in band)
        edges = [starts[0]] if starts else []
        for x, nxt in zip(starts, starts[1:], strict=False):
            if nxt - x > DEFAULT_GUTTER * 2 * band[0][0].size:
                edges.append(nxt)
        if len(edges) > 1:
            band.sort(key=lambda g: (sum(1 for e in edges if g[0].x0 >= e - 0.5), g[0].y))
        out.extend(band)
        band.clear()

    for k, group in enumerate(groups):
        if group[-1].x1 - group[0].x0 > DEFAULT_COLUMN_WIDTH * width:
            close()
            out.append(group)
        else:
            band.append(group)
            if k in beside:
                shared.add(beside[k])
    close()
    return out


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= DEFAULT_RULE_SNAP:
            continue
        out.append(v)
    return out


class _UnionFind:
    """Cells merged into regions: `find(cell)` is the region's first cell."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def __call__(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i


def _joined(rules: list[_Rule]) -> list[_Rule]:
    """Collinear rules that touch or overlap, as one (producers draw a cell's side as several pieces)."""
    out: list[_Rule] = []
    for rule in sorted(rules, key=lambda r: (r.horizontal, round(r.at / DEFAULT_RULE_SNAP), r.start)):
        last = out[-1] if out else None
        if (last is not None and last.horizontal == rule.horizontal and abs(last.at - rule.at) <= DEFAULT_RULE_SNAP
                and rule.start <= last.end + DEFAULT_RULE_SNAP):
            out[-1] = _Rule(last.horizontal, last.at, last.start, max(last.end, rule.end))
        else:
            out.append(rule)
    return out


def _components(rules: list[_Rule]) -> list[list[_Rule]]:
    """Rules that cross one another, as groups: each group one ruled table."""
    find = _UnionFind(len(rules))
    parent = find.parent
    snap = DEFAULT_RULE_SNAP
    across = [k for k, r in enumerate(rules) if r.horizontal]
    down = [k for k, r in enumerate(rules) if not r.horizontal]
    for i in across:
        h = rules[i]
        for j in down:
            v = rules[j]
            if h.start - snap <= v.at <= h.end + snap and v.start - snap <= h.at <= v.end + snap:
                parent[find(i)] = find(j)
    groups: dict[int, list[_Rule]] = {}
    for k, rule in enumerate(rules):
        groups.setdefault(find(k), []).append(rule)
    return list(groups.values())


def _covers(rules: list[_Rule], at: float, start: float, end: float) -> bool:
    snap = DEFAULT_RULE_SNAP
    return any(abs(r.at - at) <= snap and r.start <= start + snap and r.end >= end - snap for r in rules)


@dataclass
class _Grid:
    cells: list[list[str]]
    left: float
    right: float
    top: float
    bottom: float


def _grids(rules: list[_Rule], runs: list[_Run]) -> tuple[list[_Grid], list[_Run]]:
    """The ruled tables of a page (merged cells repeated) and the runs outside them."""
    from bisect import bisect_right

    from .pdf import join_lines

    grids: list[_Grid] = []
    inside: set[int] = set()
    for group in _components(_joined(rules)):
        ys = _cluster([r.at for r in group if r.horizontal])
        xs = _cluster([r.at for r in group if not r.horizontal])
        if len(ys) < 3 or len(xs) < 3:
            continue  # a frame or a single rule is no table: at least two rows and two columns
        across = [r for r in group if r.horizontal]
        down = [r for r in group if not r.horizontal]
        rows, cols = len(ys) - 1, len(xs) - 1
        find = _UnionFind(rows * cols)
        root = find.parent

        for r in range(rows):
            for c in range(cols):
                if c and not _covers(down, xs[c], ys[r], ys[r + 1]):
                    root[find(r * cols + c)] = find(r * cols + c - 1)  # no rule between: merged across
                if r and not _covers(across, ys[r], xs[c], xs[c + 1]):
                    root[find(r * cols + c)] = find((r - 1) * cols + c)  # merged down
        texts: dict[int, list[_Run]] = {}
        for k, run in enumerate(runs):
            cx, cy = (run.x0 + run.x1) / 2, run.y - run.size / 3
            if not (xs[0] < cx < xs[-1] and ys[0] < cy < ys[-1]):
                continue
            r, c = bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1
            texts.setdefault(find(r * cols + c), []).append(run)
            inside.add(k)
        joined: dict[int, str] = {}
        for cell, found in texts.items():
            text = ""
            for group_runs in _baselines(found)[0]:
                line = "".join(run.text for run in group_runs)
                text = join_lines(text, line) if text else line
            joined[cell] = text
        cells = [[joined.get(find(r * cols + c), "") for c in range(cols)] for r in range(rows)]
        grids.append(_Grid(cells, xs[0], xs[-1], ys[0], ys[-1]))
    return grids, [run for k, run in enumerate(runs) if k not in inside]


def _in(rule: _Rule, grid: _Grid) -> bool:
    snap = DEFAULT_RULE_SNAP
    if rule.horizontal:
        return grid.top - snap <= rule.at <= grid.bottom + snap and grid.left - snap <= rule.start
    return grid.left - snap <= rule.at <= grid.right + snap and grid.top - snap <= rule.start


def _lines(runs: list[_Run], number: int, height_mm: float) -> list[Line]:
    """Lines in reading order as the PDF reader's lines (points, origin bottom left)."""
    lines = []
    for group in _reading_order(_baselines(runs)):
        text = group[0].text
        for prev, run in zip(group, group[1:], strict=False):
            gap = run.x0 - prev.x1
            text += (" " if gap > DEFAULT_GAP_SPACE * run.size else "") + run.text
        size = max(r.size for r in group)
        baseline = group[0].y
        lines.append(Line(
            text=text.strip(), page=number, left=group[0].x0 * POINTS_PER_MM, right=group[-1].x1 * POINTS_PER_MM,
            top=(height_mm - baseline + size) * POINTS_PER_MM, bottom=(height_mm - baseline) * POINTS_PER_MM,
            size=size * POINTS_PER_MM,
        ))
    return lines


def extract(path: Path, data: bytes, rules: Rules, limits: Limits | None = None) -> Extraction:
    """Blocks of an OFD's first document; NoTextLayer when its text is drawn as paths only."""
    package = _Package(path, data, limits.max_unzipped if limits else DEFAULT_MAX_UNZIPPED)
    root = package.xml("OFD.xml")
    bodies = root.findall(f"{_NS}DocBody")
    doc_root = bodies[0].findtext(f"{_NS}DocRoot") if bodies else None
    if not doc_root:
        raise CorruptFile(path, "damaged .ofd (OFD.xml names no DocRoot)")
    reader = _Reader(package, package.resolve("OFD.xml", doc_root))
    pages: list[Page] = []
    chars = unreadable = 0
    for number, (part, _) in enumerate(reader.pages(), 1):
        runs, (_, height) = reader.runs(part)
        grids, outside = _grids(reader.rules, runs)
        tables = [g for g in grids if is_data_grid(g.cells)]
        if len(tables) < len(grids):  # a layout table is read as lines
            _, outside = _grids([r for r in reader.rules if any(_in(r, t) for t in tables)], runs)
        lines = _lines(outside, number, height)
        text = "".join(r.text for r in runs)
        chars += len(text)
        unreadable += len(UNREADABLE.findall(text))
        items: list[Line | Table] = list(lines)
        for grid in tables:
            table = Table(grid.cells, number, (height - grid.top) * POINTS_PER_MM,
                          (height - grid.bottom) * POINTS_PER_MM, grid.left * POINTS_PER_MM,
                          grid.right * POINTS_PER_MM)
            at = next((k for k, item in enumerate(items) if item.top < table.top), len(items))
            items.insert(at, table)
        pages.append(Page(number=number, height=height * POINTS_PER_MM, items=items))
    if chars and unreadable > DEFAULT_MAX_UNMAPPED_SHARE * chars:
        raise UnmappedFont(path, "font without a Unicode map (an embedded OFD font): its text cannot be read")
    if not chars:
        if reader.paths or reader.images:
            raise NoTextLayer(path, "no text layer (the OFD draws its text as paths or images; OCR of OFD pages "
                                    "needs a renderer this installation does not have)")
        raise NoTextLayer(path, "no text layer (the OFD holds no text)")
    notes = []
    if len(bodies) > 1:
        notes.append(f"{len(bodies)} documents in the file: the first is read")
    signatures = _signatures(package, bodies[0])
    if signatures:
        notes.append(f"{signatures} electronic signature{'s' if signatures > 1 else ''} (seals are images, not text)")
    warnings = []
    if unreadable:
        warnings.append(NoticeWarning(code="unmapped_font", message=f"{unreadable} characters could not be read"))
    from . import drop_chrome

    blocks = lines_to_blocks(pages, rules)
    # A system that exports a web notice to OFD keeps the page's chrome lines (相关文件：…).
    keep = set(drop_chrome([b.text for b in blocks if b.kind == "paragraph"], rules))
    blocks = [b for b in blocks if b.kind != "paragraph" or b.text in keep]
    return Extraction(format="ofd", blocks=blocks, pages=len(pages), warnings=warnings, notes=notes)


def _signatures(package: _Package, body: Any) -> int:
    ref = body.findtext(f"{_NS}Signatures")
    if not ref or not package.has(package.resolve("OFD.xml", ref)):
        return 0
    try:
        return len(package.xml(package.resolve("OFD.xml", ref)).findall(f"{_NS}Signature"))
    except CorruptFile:
        return 0
