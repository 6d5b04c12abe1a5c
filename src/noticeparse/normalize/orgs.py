"""Split unit lists (牵头单位：A、B和C等) into organisations, per the record format spec."""

from __future__ import annotations

import re
import unicodedata

from ..rules import OrgRules
from ..text.patterns import any_of
from ..text.width import fold_width

__all__ = ["split_orgs"]

# Letter-spacing inside a CJK name (团 委) is layout, not part of the name.
_INNER_SPACE = re.compile(r"(?<=[\u3400-\u9fff])[ \u3000\xa0]+(?=[\u3400-\u9fff])")


def _is_cjk(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo"


def _split_marks(rules: OrgRules) -> re.Pattern[str]:
    return any_of(tuple(s for s in (*rules.separators, rules.cjk_comma) if len(s) == 1))


def _split_commas(text: str, rules: OrgRules) -> list[str]:
    """Split on the separators and the full-width comma; an ASCII comma only between CJK."""
    folded = fold_width(text)
    parts, start = [], 0
    # Visit only the characters that may separate, not every character.
    marks = rules.built("split_marks", _split_marks)
    for m in marks.finditer(folded):
        i, ch = m.start(), m.group(0)
        split = ch in rules.separators or (
            ch == rules.cjk_comma
            and text[i] != ch  # a full-width comma always separates
        ) or (
            ch == rules.cjk_comma
            and 0 < i < len(folded) - 1
            and _is_cjk(folded[i - 1])
            and _is_cjk(folded[i + 1])
        )
        if split:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _is_org(name: str, rules: OrgRules) -> bool:
    name = name.strip()
    return any(name.endswith(s) and len(name) > len(s) for s in rules.suffixes)


def _drop_tail(unit: str, rules: OrgRules) -> str:
    unit = unit.strip()
    if rules.words("trailing").search(unit) is None:
        return unit  # most units hold no 等: nothing to drop
    changed = True
    while changed:
        changed = False
        for tail in rules.trailing:
            if unit.endswith(tail) and len(unit) > len(tail):
                unit, changed = unit[: -len(tail)].rstrip(), True
        # 商务部等有关部门 → 商务部: a generic tail after 等 goes with it.
        for marker in rules.trailing:
            head, sep, tail = unit.rpartition(marker)
            if sep and head and tail in rules.generic_tails:
                unit, changed = head.rstrip(), True
    return unit


def _split_conjunctions(unit: str, rules: OrgRules) -> list[str]:
    if unit in rules.generic_units or not rules.conjunctions:
        return [unit]
    for m in rules.words("conjunctions").finditer(unit):
        raw_left = unit[: m.start()].rstrip()
        left, right = _drop_tail(raw_left, rules), unit[m.end() :]
        # A list closed by 等 (全国妇联等和各省级人民政府) ends there, whatever its last name.
        closed = left != raw_left and bool(left)
        if (closed or _is_org(left, rules)) and _is_org(right, rules):
            return [left, *_split_conjunctions(right.strip(), rules)]
    return [unit]


def _rejoin_tails(text: str, rules: OrgRules) -> str:
    """`德育处、团委等⏎部门`: a generic tail wrapped onto the next line still follows its 等."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        if out[-1].rstrip().endswith(tuple(rules.trailing)) and line.strip() in rules.generic_tails:
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def split_orgs(text: str, rules: OrgRules) -> list[str]:
    """The organisations in a unit list, in printed order, each once."""
    out: list[str] = []
    seen: set[str] = set()
    for part in _split_commas(_rejoin_tails(text, rules), rules):
        unit = _drop_tail(part, rules)
        if not unit:
            continue
        for name in _split_conjunctions(unit, rules):
            name = _INNER_SPACE.sub("", _drop_tail(name, rules))
            if name and name not in seen:
                seen.add(name)
                out.append(name)
    return out
