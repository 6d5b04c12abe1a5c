"""Shared test helpers: the shipped rules and paths to bundled fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticeparse.models import Block
from noticeparse.rules import Rules, default_rules

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "samples" / "gongqingcheng-quality-month-plan-2024.txt"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return default_rules()


def blocks(*texts: str) -> list[Block]:
    """Paragraph blocks from literal lines, numbered as an extractor would."""
    from noticeparse.extract import number_blocks

    return number_blocks([Block(index=i, text=t) for i, t in enumerate(texts)])
