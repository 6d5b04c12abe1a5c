"""Chinese numerals to integers (十一 → 11, 二〇二四 → 2024), driven by rules/numerals.toml."""

from __future__ import annotations

import re

from ..rules import NumeralRules

__all__ = ["fold_numerals", "numeral_value"]


def numeral_value(text: str, rules: NumeralRules) -> int | None:
    """The value of an Arabic, Chinese or circled numeral; None if it is none of these."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) == 1:
        offset = ord(text) - ord(rules.circled_one)
        if 0 <= offset < rules.circled_count:
            return offset + 1
    if any(ch in rules.units for ch in text):
        return _positional(text, rules)
    if all(ch in rules.digits for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + rules.digits[ch]
        return value
    return None


def _positional(text: str, rules: NumeralRules) -> int | None:
    total, digit = 0, None
    for ch in text:
        if ch in rules.digits:
            digit = rules.digits[ch]
        elif ch in rules.units:
            total += (1 if digit is None else digit) * rules.units[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def fold_numerals(text: str, rules: NumeralRules) -> str:
    """Replace every run of Chinese numeral characters with its Arabic value."""
    run = rules.run_pattern()
    if run.search(text) is None:
        return text
    values = rules.values()

    def repl(m: re.Match[str]) -> str:
        found = m.group(0)
        value = values.get(found, _UNREAD)
        if value is _UNREAD:
            value = values[found] = numeral_value(found, rules)
        return found if value is None else str(value)

    return run.sub(repl, text)


_UNREAD = -1  # no numeral's value: numerals are never negative
