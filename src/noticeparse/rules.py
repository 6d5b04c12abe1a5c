"""Load and validate the language data in rules/*.toml, plus a user's --rules files.

The shipped files are read from the installed package (or the source tree in a
development checkout), never from the current directory. A user's file uses the
same keys; its lists extend the shipped lists and its scalars replace them.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Callable, Hashable, Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from .errors import RulesError

__all__ = ["Category", "Rules", "default_rules", "load_rules", "memoized", "rules_dir"]


def _compile(value: Any) -> re.Pattern[str]:
    if isinstance(value, re.Pattern):
        return value
    if not isinstance(value, str):
        raise ValueError("a pattern must be a string")
    try:
        return re.compile(value)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise ValueError(f"{exc.msg}{where}") from None


Pattern = Annotated[re.Pattern[str], BeforeValidator(_compile)]
# Rules hold only a pattern's core; these add the anchors uniformly.
def _compile_line(value: Any) -> re.Pattern[str]:
    if isinstance(value, re.Pattern):
        return value
    _compile(value)  # report errors against the rule author's own pattern
    return _compile(rf"\s*(?:{value})\s*")


LinePattern = Annotated[re.Pattern[str], BeforeValidator(_compile_line)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    # Objects built from these rules alone (joined patterns, tables), by key (see `built`).
    _built: dict[Hashable, Any] = PrivateAttr(default_factory=dict)

    def built(self, key: Hashable, build: Callable[[Any], _T]) -> _T:
        """What `build` makes of these rules, built on first use and kept under `key`."""
        store: dict[Hashable, Any] = self.__pydantic_private__["_built"]  # type: ignore[index]
        found = store.get(key, _MISSING)
        if found is _MISSING:
            found = store[key] = build(self)
        return found  # type: ignore[no-any-return]

    def words(self, name: str) -> re.Pattern[str]:
        """One pattern finding any word of the word list `name` (longest first)."""
        # Asked for on every value and unit: the stored pattern is looked up before anything is made.
        store: dict[Hashable, Any] = self.__pydantic_private__["_built"]  # type: ignore[index]
        found = store.get(("words", name))
        if found is None:
            listed = sorted(getattr(self, name), key=len, reverse=True)
            found = store["words", name] = re.compile("|".join(map(re.escape, listed)) or r"(?!)")
        return found  # type: ignore[no-any-return]

    def alternation(self, name: str) -> re.Pattern[str]:
        """One pattern that matches (or fullmatches) wherever one of the patterns of list `name`
        does: one regex call instead of one per pattern."""
        store: dict[Hashable, Any] = self.__pydantic_private__["_built"]  # type: ignore[index]
        found = store.get(("alternation", name))
        if found is None:
            joined = "|".join(f"(?:{p.pattern})" for p in getattr(self, name)) or r"(?!)"
            found = store["alternation", name] = re.compile(joined)
        return found  # type: ignore[no-any-return]


def _groups(model: BaseModel, needs: dict[str, tuple[str, ...]]) -> None:
    """Every pattern the code reads groups from must define them: checked when the rules load,
    not when a document first hits the pattern."""
    for key, names in needs.items():
        pattern = getattr(model, key)
        patterns = pattern if isinstance(pattern, list) else [pattern]
        for p in patterns:
            missing = [n for n in names if n not in p.groupindex]
            if missing:
                raise ValueError(f"{key}: the pattern needs the named group(s) {', '.join(missing)}")


class TextRules(_Model):
    sentence_end: list[str]
    title_trailing: list[str]
    value_trailing: list[str]
    label_separators: list[str]
    brackets: list[str]
    segment_separators: list[str]


# Builders for `_Model.built`, at module level: asked for on every paragraph, a lambda or nested
# function would be made anew on each ask.
def _numeral_run(model: NumeralRules) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(''.join([*model.digits, *model.units]))}]+")


def _any_style(model: HeadingRules) -> re.Pattern[str]:
    cores = [without_group_names(style.pattern.pattern) for style in model.styles]
    return re.compile("|".join(f"(?P<h{k}>{c})" for k, c in enumerate(cores)))


class NumeralRules(_Model):
    digits: dict[str, int]
    units: dict[str, int]
    circled_one: str = Field(min_length=1, max_length=1)
    circled_count: int = Field(ge=1)
    # The value of each numeral run read (they repeat).
    _values: dict[str, int | None] = PrivateAttr(default_factory=dict)

    def run_pattern(self) -> re.Pattern[str]:
        """A run of Chinese numeral characters (digits and units)."""
        return self.built("run", _numeral_run)

    def values(self) -> dict[str, int | None]:
        """The remembered value of each numeral run read with these rules (see `fold_numerals`)."""
        values: dict[str, int | None] = self.__pydantic_private__["_values"]  # type: ignore[index]
        if len(values) > MEMO_LIMIT:
            values.clear()
        return values


class Matcher(_Model):
    exact: list[str] = []
    prefix: list[str] = []
    suffix: list[str] = []
    contains: list[str] = []

    def matches(self, label: str) -> bool:
        """Whether every constraint this matcher names holds for `label`."""
        checks = (
            (self.exact, lambda w: label == w),
            (self.prefix, label.startswith),
            (self.suffix, label.endswith),
            (self.contains, lambda w: w in label),
        )
        named = [(words, test) for words, test in checks if words]
        return bool(named) and all(any(test(w) for w in words) for words, test in named)


# The canonical fields a printed label can stand for, in the order they are tried.
Category = Literal["time", "location", "lead", "support", "responsible"]


class LabelRules(_Model):
    max_length: int = Field(ge=1)
    blank_value: Pattern
    forbidden: str
    time: list[Matcher]
    location: list[Matcher]
    lead: list[Matcher]
    support: list[Matcher]
    responsible: list[Matcher]
    # Labels repeat throughout a document; remember each one's category (by compact label, and
    # by label as printed).
    _categories: dict[str, Category | None] = PrivateAttr(default_factory=dict)
    _printed: dict[str, Category | None] = PrivateAttr(default_factory=dict)

    def category(self, label: str) -> Category | None:
        """The canonical field (time, location, lead, support, responsible) a compact label names."""
        # Read the cache from pydantic's private store directly: attribute access to a
        # private attribute goes through a slow __getattr__, and this runs per line.
        cache: dict[str, Category | None] = self.__pydantic_private__["_categories"]  # type: ignore[index]
        try:
            return cache[label]
        except KeyError:
            found = next((c for c in get_args(Category) if any(m.matches(label) for m in getattr(self, c))), None)
            cache[label] = found
            return found

    def printed_category(self, label: str, compact: Callable[[str], str]) -> Category | None:
        """The category of a label as printed, `compact(label)` being its compact form."""
        cache: dict[str, Category | None] = self.__pydantic_private__["_printed"]  # type: ignore[index]
        found = cache.get(label, _MISSING)
        if found is _MISSING:
            found = cache[label] = self.category(compact(label))
            if len(cache) > MEMO_LIMIT:
                cache.clear()
        return found  # type: ignore[return-value]


class HeadingStyle(_Model):
    name: str
    # Matched with .match() at a paragraph's start; leading and trailing spaces are added.
    pattern: LinePattern


def without_group_names(pattern: str) -> str:
    """`pattern` with its named groups made plain, so that several can stand in one alternation."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


class HeadingRules(_Model):
    styles: list[HeadingStyle]
    grouping: list[str]
    label_joiners: list[str]
    def any_style(self) -> re.Pattern[str]:
        """One pattern matching where any style matches; its group `h{k}` matches where the k-th
        style is the first to match (an alternation tries its branches in order)."""
        return self.built("any_style", _any_style)


class ChromeRules(_Model):
    # Matched with .fullmatch() against a whole line.
    lines: list[LinePattern]

    def any_line(self) -> re.Pattern[str]:
        """One pattern that fullmatches wherever one of `lines` does."""
        return self.alternation("lines")


class OrgRules(_Model):
    separators: list[str]
    cjk_comma: str
    conjunctions: list[str]
    suffixes: list[str]
    trailing: list[str]
    generic_tails: list[str]
    generic_units: list[str]


class Period(_Model):
    pattern: Pattern
    start: str | None = Field(default=None, pattern=r"^\d\d-\d\d$")
    end: str | None = Field(default=None, pattern=r"^\d\d-\d\d$")


class MonthPart(_Model):
    start: int | None = Field(default=None, ge=1, le=31)
    end: int = Field(ge=1, le=31)


class TimeTokens(_Model):
    @model_validator(mode="after")
    def _named_groups(self) -> TimeTokens:
        _groups(self, {"year": ("n",), "bare_year": ("n",), "month": ("n",), "day": ("n",), "number": ("n",),
                       "numeric_date": ("y", "m", "d"), "dotted": ("m", "d")})
        return self

    today: Pattern
    until: Pattern
    next_year: Pattern
    this_year: Pattern
    numeric_date: Pattern
    year: Pattern
    bare_year: Pattern
    month: Pattern
    day: Pattern
    clock: Pattern
    moment: Pattern
    weekday: Pattern
    dotted: Pattern
    number: Pattern
    part: Pattern
    range: Pattern
    list: Pattern
    before: Pattern
    from_: Pattern = Field(alias="from")


class TimeSpan(_Model):
    pattern: Pattern
    school_year: Pattern
    second_half_from_month: int = Field(ge=1, le=12)

    @model_validator(mode="after")
    def _named_groups(self) -> TimeSpan:
        _groups(self, {"pattern": ("first", "second"), "school_year": ("first",)})
        return self


class TimeRules(_Model):
    hints: list[Pattern]
    continues: Pattern
    prefixes: list[str]
    phase_labels: list[Pattern]
    group_prefixes: list[Pattern]
    drop: list[Pattern]
    no_date: list[Pattern]
    deadline_words: list[str]
    holidays: list[str]
    periods: list[Period]
    tokens: TimeTokens
    parts: dict[str, MonthPart]
    span: TimeSpan
    _scanners: dict[tuple[str, ...], Any] = PrivateAttr(default_factory=dict)

    def token_scanner(self, order: tuple[str, ...]) -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str] | None]:
        """The token patterns in the order a tokenizer tries them (the periods, then `order`), and
        one pattern whose group `t{k}` matches wherever the k-th of them is the first to match
        (None when the patterns cannot be joined into one)."""
        scanners: dict[tuple[str, ...], Any] = self.__pydantic_private__["_scanners"]  # type: ignore[index]
        if order not in scanners:
            patterns = [(f"period:{k}", p.pattern) for k, p in enumerate(self.periods)]
            patterns += [(name, getattr(self.tokens, name)) for name in order]
            try:
                cores = [without_group_names(p.pattern) for _, p in patterns]
                joined: re.Pattern[str] | None = re.compile(
                    "|".join(f"(?P<t{k}>{core})" for k, core in enumerate(cores))
                )
            except re.error:  # a back-reference to a group or a flag inside a pattern
                joined = None
            scanners[order] = (patterns, joined)
        return scanners[order]  # type: ignore[no-any-return]


class MetadataRules(_Model):
    title_suffixes: list[str]
    title_max_length: int = Field(ge=1)
    about: str
    masthead_suffixes: list[str]
    person_titles: list[str]
    signer_roles: list[str]
    date: Pattern
    year: Pattern
    body_year: Pattern
    doc_number: Pattern
    # How a 发文字号 is written back, from the pattern's groups prefix, year and num.
    doc_number_format: str
    decree_number: Pattern
    recipients_end: list[str]
    recipients_not_suffix: list[str]
    recipients_not_labels: list[str]
    list_separators: list[str]
    attachment: Pattern
    attachment_start: Pattern
    attachment_item: Pattern
    cc: Pattern

    @model_validator(mode="after")
    def _named_groups(self) -> MetadataRules:
        _groups(self, {"date": ("year", "month", "day"), "body_year": ("year",),
                       "doc_number": ("prefix", "year", "num"), "decree_number": ("num",),
                       "attachment": ("rest",), "cc": ("rest",)})
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(self.doc_number_format) if f is not None]
            self.doc_number_format.format(prefix="", year="", num="")
        except (ValueError, KeyError, IndexError) as exc:
            raise ValueError(f"doc_number_format: {exc} (use {{prefix}}, {{year}} and {{num}})") from None
        unknown = [f for f in fields if f not in ("prefix", "year", "num")]
        if unknown:
            raise ValueError(f"doc_number_format: unknown field {{{unknown[0]}}} (use {{prefix}}, {{year}}, {{num}})")
        return self


class AssignmentRules(_Model):
    lead: list[str]
    responsible: list[str]
    support: list[str]
    with_words: list[str]
    not_unit_patterns: list[Pattern]
    clause_separators: list[str]
    first_unit_leads: list[Pattern]
    not_unit_prefixes: list[str]
    not_unit_words: list[str]
    max_unit_length: int = Field(ge=1)
    role_prefix_max_length: int = Field(ge=0)
    _duties: list[tuple[str, Category]] = PrivateAttr(default_factory=list)

    def duties(self) -> list[tuple[str, Category]]:
        """Every duty word with the category it gives its units, longest word first."""
        if not self._duties:
            words: list[tuple[str, Category]] = [
                *((w, "lead") for w in self.lead),
                *((w, "responsible") for w in self.responsible),
                *((w, "support") for w in self.support),
            ]
            self._duties.extend(sorted(words, key=lambda wc: -len(wc[0])))
        return self._duties


class TableRules(_Model):
    title_columns: list[str]
    index_columns: list[str]
    max_header_row: int = Field(ge=1)
    row_number: LinePattern

    @model_validator(mode="after")
    def _named_groups(self) -> TableRules:
        _groups(self, {"row_number": ("num",)})
        return self


class NumberingRules(_Model):
    chinese_digits: str = Field(min_length=10, max_length=10)
    chinese_units: str = Field(min_length=3, max_length=3)
    legal_digits: str = Field(min_length=10, max_length=10)
    legal_units: str = Field(min_length=3, max_length=3)
    ideograph_traditional: str = Field(min_length=1)
    ideograph_zodiac: str = Field(min_length=1)


class DocxRules(_Model):
    heading_styles: list[str]
    title_styles: list[str]
    toc_styles: list[str]
    skipped_parts: list[str]
    numbering: NumberingRules


class PdfRules(_Model):
    # Matched with .fullmatch() against a whole line.
    page_numbers: list[LinePattern]
    band_page_numbers: list[LinePattern]
    band: float = Field(gt=0, lt=0.5)
    repeat_share: float = Field(gt=0, le=1)
    repeat_min_pages: int = Field(ge=2)
    title_size_ratio: float = Field(gt=1)


class RoleNames(_Model):
    lead: str
    support: str


class ReportLabels(_Model):
    """The report's words in one language (rules/export.toml [export.report.zh] / .en)."""

    report: str
    contents: str
    summary: str
    documents: str
    records: str
    failures: str
    without_records: str
    busiest_units: str
    deadlines_by_month: str
    more: str
    title: str
    issuer: str
    doc_number: str
    issue_date: str
    recipients: str
    file: str
    timeline: str
    undated: str
    matrix: str
    unit: str
    activity: str
    lead: str
    support: str
    lead_count: str
    support_count: str
    cards: str
    time: str
    location: str
    description: str
    path: str
    fields: str
    source: str
    page: str
    no_source: str
    warnings: str
    none: str
    deadline: str
    month: str


class ReportRules(_Model):
    zh: ReportLabels
    en: ReportLabels


class ExportRules(_Model):
    activities_sheet: str
    notices_sheet: str
    assignments_sheet: str
    list_joiner: str
    path_joiner: str
    zh: dict[str, str]
    roles: RoleNames
    report: ReportRules
    # Warning messages with `--labels zh`, by warning code ({activity} is the record's id).
    zh_warnings: dict[str, str]


class KeywordRules(_Model):
    count: int = Field(ge=1, le=50)
    stopwords: list[str]


class Confusion(_Model):
    pattern: Pattern
    replace: str


class OcrRules(_Model):
    confusions: list[Confusion]


class HeadlineRules(_Model):
    title_separators: list[str]


class HtmlRules(_Model):
    body_ids: list[str]
    body_classes: list[str]
    chrome_classes: list[str]
    chrome_tags: list[str]
    meta_labels: dict[str, Literal["title", "issuer", "doc_number", "issue_date"]]
    text_encodings: list[str]
    published_labels: list[str]
    published_date: Pattern
    headline: HeadlineRules


class Rules(_Model):
    """All language data, validated; one attribute per rules file."""

    text: TextRules
    numerals: NumeralRules
    labels: LabelRules
    headings: HeadingRules
    chrome: ChromeRules
    orgs: OrgRules
    time: TimeRules
    metadata: MetadataRules
    html: HtmlRules
    assignments: AssignmentRules
    tables: TableRules
    docx: DocxRules
    pdf: PdfRules
    export: ExportRules
    keywords: KeywordRules
    ocr: OcrRules
    # Results of text recognisers run with these rules, by recogniser (see `memoized`).
    _memos: dict[str, dict[Any, Any]] = PrivateAttr(default_factory=dict)

    def memo(self, name: str) -> dict[Any, Any]:
        """The cache of recogniser `name` for these rules; emptied when it grows past MEMO_LIMIT."""
        memos: dict[str, dict[Any, Any]] = self.__pydantic_private__["_memos"]  # type: ignore[index]
        cache = memos.get(name)
        if cache is None or len(cache) > MEMO_LIMIT:
            cache = memos[name] = {}
        return cache

    def forget(self) -> None:
        """Empty the recognisers' caches of answers about paragraphs and values (benchmarks: a
        batch never sees the same file twice). The answers about short vocabulary — each label's
        category, each numeral run's value — stay: every document of a batch repeats them."""
        self.__pydantic_private__["_memos"].clear()  # type: ignore[index]


# Entries a recogniser's cache holds before it starts afresh (a batch never grows without bound).
MEMO_LIMIT = 50_000
_MISSING = object()
_T = TypeVar("_T")


def memoized(fn: Callable[..., _T]) -> Callable[..., _T]:
    """Remember `fn(text, rules, *args)` per rules object: every stage asks about the same paragraphs.

    Only for functions whose result is immutable and depends on nothing else.
    """
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(text: str, rules: Rules, *args: Any) -> _T:
        # A few dict lookups and no exception, hit or miss: recognisers are asked hundreds of
        # times a document, and in a batch most asks are a new paragraph's first.
        key = (text, *args) if args else text
        memos: dict[str, dict[Any, Any]] = rules.__pydantic_private__["_memos"]  # type: ignore[index]
        cache = memos.get(name)
        if cache is not None:
            found = cache.get(key, _MISSING)
            if found is not _MISSING:
                return found  # type: ignore[no-any-return]
        result = fn(text, rules, *args)
        if cache is None or len(cache) > MEMO_LIMIT:
            cache = rules.memo(name)  # created, or started afresh past MEMO_LIMIT
        cache[key] = result
        return result

    return wrapper


def rules_dir() -> Path:
    """The folder holding the shipped rules/*.toml files."""
    packaged = resources.files("noticeparse") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    # A development checkout (editable install): rules/ sits beside src/.
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    raise RulesError(None, "shipped rules/ folder not found; reinstall noticeparse")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise RulesError(path, f"cannot read rules file ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(path, f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise RulesError(path, f"not UTF-8 text (byte {exc.start}); save the rules file as UTF-8") from exc


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            merged[key] = old + [v for v in value if v not in old]
        else:
            merged[key] = value
    return merged


def _validate(data: dict[str, Any], blame: Path | str | None) -> Rules:
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        raise RulesError(blame, f"{key}: {msg}") from None


def _shipped_data() -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path in sorted(rules_dir().glob("*.toml")):
        data = _merge(data, _read_toml(path))
    return data


@functools.cache
def default_rules() -> Rules:
    """The shipped rules, validated once per process."""
    return _validate(_shipped_data(), rules_dir())


def load_rules(user_files: Iterable[str | Path] = ()) -> Rules:
    """The shipped rules with each user file merged on top, in order.

    Raises RulesError naming the file, the key and the problem.
    """
    files = [Path(f) for f in user_files]
    if not files:
        return default_rules()
    data = _shipped_data()
    for path in files:
        data = _merge(data, _read_toml(path))
        _validate(data, path)
    return _validate(data, files[-1])
