"""Guards on the shape of the code: one-way stages, no vocabulary in code, a light --help."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "noticeparse"
STAGES = ["extract", "structure", "records", "normalize", "export"]


def _imports(path: Path) -> set[str]:
    """Top-level noticeparse modules a file imports (relative imports resolved)."""
    rel = path.relative_to(PACKAGE).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                parts = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.startswith("noticeparse."):
                parts = node.module.split(".")[1:]
            else:
                continue
            if parts:
                found.add(parts[0])
            else:
                found.update(a.name for a in node.names)
    return found


def test_no_stage_imports_a_later_one() -> None:
    for i, stage in enumerate(STAGES):
        later = set(STAGES[i + 1 :]) | {"api", "cli"}
        for path in (PACKAGE / stage).rglob("*.py"):
            bad = _imports(path) & later
            assert not bad, f"{path.relative_to(PACKAGE)} imports later stage(s) {sorted(bad)}"


def test_click_only_in_cli() -> None:
    for path in PACKAGE.rglob("*.py"):
        if path.name != "cli.py":
            assert "import click" not in path.read_text(encoding="utf-8"), path


def _is_ideograph(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x2FFFF


def test_no_vocabulary_in_code() -> None:
    """Chinese words live in rules/*.toml; code holds mechanisms (docstrings and comments exempt)."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not any(map(_is_ideograph, node.value)), f"{path.name}:{node.lineno}: {node.value!r}"


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from noticeparse.cli import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
        "heavy = {'pdfplumber', 'docx', 'jieba', 'charset_normalizer', 'pypdfium2', 'lxml'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m() -> None:
    out = subprocess.run([sys.executable, "-m", "noticeparse", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "extract" in out.stdout


def test_the_text_layer_imports_only_the_rules() -> None:
    """text/ (width folding, numerals, patterns, label recognisers) sits under every stage."""
    for path in (PACKAGE / "text").rglob("*.py"):
        assert _imports(path) <= {"text", "rules"}, path.relative_to(PACKAGE)
