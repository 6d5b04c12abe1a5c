"""Word automatic numbering: the label a numbered paragraph shows, computed from numbering.xml.

python-docx has no API for this (its `paragraph.text` drops the label), so the
definitions are read from the oxml: abstractNum levels (start, numFmt, lvlText,
lvlRestart, isLgl, suff), num instances with lvlOverride/startOverride, and
paragraph styles that carry numbering. `Numberer.label` is called once per
paragraph in document order and keeps the counters, as Word does: a list
continues across every num that shares its abstractNum, a startOverride
restarts it where that num is first used, and a level restarts after a higher
level unless its lvlRestart says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..rules import NumberingRules, NumeralRules

__all__ = ["Level", "Numberer", "format_number", "ooxml_int", "parse_numbering"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_LEVELS = 9


@dataclass(frozen=True)
class Level:
    """One level of a list definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # restart after this (1-based) level is used; 0 = never
    legal: bool = False
    suffix: str = "tab"
    style: str | None = None


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, Level] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)


def _val(el: Any, tag: str) -> str | None:
    child = el.find(f"{W}{tag}")
    return None if child is None else child.get(f"{W}val")


# Word's own bounds: a list counter runs to 32767, a level index to 8.
MAX_COUNTER = 32767
MAX_LETTERS = 26 * 30  # lowerLetter past zzz…(30 times): the number in digits

_ASCII_INT = re.compile(r"-?[0-9]{1,9}")


def ooxml_int(value: str | None, default: int, low: int = -MAX_COUNTER, high: int = MAX_COUNTER) -> int:
    """An OOXML integer attribute, strictly: ASCII digits only (`str.isdigit` also takes ², which
    `int` refuses), clamped to [low, high]; anything else is `default`."""
    if value is None or not _ASCII_INT.fullmatch(value.strip()):
        return default
    return min(max(int(value), low), high)


def _int(value: str | None, default: int) -> int:
    return ooxml_int(value, default)


def _level(lvl: Any) -> Level:
    restart = _val(lvl, "lvlRestart")
    legal = lvl.find(f"{W}isLgl")
    return Level(
        start=_int(_val(lvl, "start"), 1),
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") if lvl.find(f"{W}lvlText") is not None else "",
        restart=_int(restart, 0) if restart is not None else None,
        legal=legal is not None and legal.get(f"{W}val", "true") not in ("0", "false", "off"),
        suffix=_val(lvl, "suff") or "tab",
        style=_val(lvl, "pStyle"),
    )


def parse_numbering(root: Any | None) -> tuple[dict[str, dict[int, Level]], dict[str, _Num]]:
    """(abstractNum id → levels, numId → instance) from a w:numbering element."""
    abstracts: dict[str, dict[int, Level]] = {}
    nums: dict[str, _Num] = {}
    if root is None:
        return abstracts, nums
    for a in root.iterfind(f"{W}abstractNum"):
        levels = {_int(lvl.get(f"{W}ilvl"), 0): _level(lvl) for lvl in a.iterfind(f"{W}lvl")}
        abstracts[a.get(f"{W}abstractNumId", "")] = levels
    for n in root.iterfind(f"{W}num"):
        num = _Num(abstract=_val(n, "abstractNumId") or "")
        for o in n.iterfind(f"{W}lvlOverride"):
            ilvl = _int(o.get(f"{W}ilvl"), 0)
            start = _val(o, "startOverride")
            if start is not None:
                num.starts[ilvl] = _int(start, 1)
            lvl = o.find(f"{W}lvl")
            if lvl is not None:
                num.overrides[ilvl] = _level(lvl)
        nums[n.get(f"{W}numId", "")] = num
    return abstracts, nums


def _chinese(n: int, digits: str, units: str, drop_leading_one: bool) -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out, zero = out + digits[0], False
        out += digits[d] + unit
    if drop_leading_one and 10 <= n < 20:
        out = out[1:]  # 十一, not 一十一
    return out


def _letters(n: int, upper: bool) -> str:
    if n <= 0 or n > MAX_LETTERS:
        return str(n)
    letter = chr(ord("a") + (n - 1) % 26)
    text = letter * ((n - 1) // 26 + 1)  # Word repeats: z, aa, bb
    return text.upper() if upper else text


def _roman(n: int, upper: bool) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, numeral in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):
        while n >= value:
            out, n = out + numeral, n - value
    return out.upper() if upper else out


def _sequence(n: int, items: str) -> str:
    return items[n - 1] if 1 <= n <= len(items) else str(n)


def format_number(n: int, fmt: str, rules: NumberingRules, numerals: NumeralRules) -> str:
    """`n` written in Word's number format `fmt` (decimal, chineseCounting, upperRoman, …)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographDigital", "japaneseCounting"):
        return _chinese(n, rules.chinese_digits, rules.chinese_units, drop_leading_one=True)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, rules.legal_digits, rules.legal_units, drop_leading_one=False)
    if fmt == "ideographTraditional":
        return _sequence(n, rules.ideograph_traditional)
    if fmt == "ideographZodiac":
        return _sequence(n, rules.ideograph_zodiac)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        if 1 <= n <= numerals.circled_count:
            return chr(ord(numerals.circled_one) + n - 1)
        return str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n, fmt == "upperRoman")
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class Numberer:
    """Computes each numbered paragraph's label, keeping Word's counters."""

    def __init__(self, root: Any | None, rules: NumberingRules, numerals: NumeralRules) -> None:
        self.abstracts, self.nums = parse_numbering(root)
        self.rules = rules
        self.numerals = numerals
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()

    def level(self, num_id: str, ilvl: int) -> Level | None:
        """The definition of level `ilvl` of list `num_id`, overrides applied."""
        num = self.nums.get(num_id)
        if num is None:
            return None
        if ilvl in num.overrides:
            return num.overrides[ilvl]
        return self.abstracts.get(num.abstract, {}).get(ilvl)

    def style_level(self, num_id: str, style: str) -> int | None:
        """The level of `num_id` linked to paragraph style `style` (lvl/pStyle), if any."""
        num = self.nums.get(num_id)
        if num is None:
            return None
        for ilvl, lvl in self.abstracts.get(num.abstract, {}).items():
            if lvl.style == style:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """(label, suffix) of the next paragraph of list `num_id` at level `ilvl`; None if unnumbered."""
        if num_id in ("", "0") or not 0 <= ilvl < MAX_LEVELS:
            return None
        num = self.nums.get(num_id)
        lvl = self.level(num_id, ilvl)
        if num is None or lvl is None:
            return None
        counters = self.counters.setdefault(num.abstract, [None] * MAX_LEVELS)
        if num_id not in self.used:
            self.used.add(num_id)
            for k, start in num.starts.items():
                if 0 <= k < MAX_LEVELS:
                    counters[k] = start - 1
        current = counters[ilvl]
        counters[ilvl] = lvl.start if current is None else current + 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            below = self.level(num_id, deeper)
            if below is None or below.restart != 0:
                counters[deeper] = None
        if lvl.fmt == "bullet":
            return None
        text = lvl.text
        for k in range(MAX_LEVELS - 1, -1, -1):
            marker = f"%{k + 1}"
            if marker not in text:
                continue
            ref = self.level(num_id, k) or Level()
            value = counters[k] if counters[k] is not None else ref.start
            fmt = "decimal" if lvl.legal and ref.fmt != "decimalZero" else ref.fmt
            text = text.replace(marker, format_number(value or 0, fmt, self.rules, self.numerals))
        return (text, lvl.suffix) if text.strip() else None
