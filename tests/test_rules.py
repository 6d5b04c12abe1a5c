"""Rules files: the shipped ones validate, a user's file extends them, a bad one is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticeparse.errors import RulesError
from noticeparse.rules import Rules, default_rules, load_rules, rules_dir


def test_every_shipped_file_loads_strictly() -> None:
    # One file per section of the Rules model, named after it.
    names = sorted(p.stem for p in rules_dir().glob("*.toml"))
    assert names == sorted(Rules.model_fields)
    assert default_rules().labels.max_length == 10


def test_user_lists_extend_and_scalars_replace(tmp_path: Path) -> None:
    f = tmp_path / "u.toml"
    f.write_text('[labels]\nmax_length = 8\n[chrome]\nlines = ["广告.*"]\n', encoding="utf-8")
    rules = load_rules([f])
    assert rules.labels.max_length == 8
    assert len(rules.chrome.lines) == len(default_rules().chrome.lines) + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[labels\n", "not valid TOML"),
        ("[labelz]\nx = 1\n", "labelz: Extra inputs are not permitted"),
        ("[labels]\nmax_length = 'ten'\n", "labels.max_length: Input should be a valid integer"),
        ("[chrome]\nlines = ['a(b']\n", "chrome.lines.9: missing ), unterminated subpattern at position 1"),
    ],
)
def test_malformed_file_names_file_key_and_problem(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules([f])
    assert str(info.value).startswith(f"{f}: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read rules file"):
        load_rules([tmp_path / "nope.toml"])


def test_a_memoized_recogniser_runs_once_per_text_and_starts_afresh_past_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import noticeparse.rules as rules_module

    calls: list[tuple[str, int]] = []

    @rules_module.memoized
    def length(text: str, rules: rules_module.Rules, extra: int = 0) -> int:
        calls.append((text, extra))
        return len(text) + extra

    first = rules_module.load_rules([])
    assert [length("甲乙", first), length("甲乙", first), length("甲乙", first, 1)] == [2, 2, 3]
    assert calls == [("甲乙", 0), ("甲乙", 1)]  # one run per text and arguments
    monkeypatch.setattr(rules_module, "MEMO_LIMIT", 2)
    for text in ("一", "二", "三", "四"):
        length(text, first)
    calls.clear()
    assert length("一", first) == 1 and calls == [("一", 0)]  # forgotten: the cache started afresh
    assert len(first.memo(f"{length.__module__}.{length.__qualname__}")) <= 3
