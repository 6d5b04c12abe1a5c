"""Every CLI command has help, a README example, and an API function covering its options."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from noticeparse import api
from noticeparse.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
# CLI parameter names that map to a differently named API parameter.
RENAMED = {"fmt": "format", "files": "paths"}
# How a command talks on stderr: the API returns the same facts (ExtractResult.seconds and
# .notes, batch's on_file callback and BatchResult) instead of printing them.
CLI_ONLY = {"quiet", "verbose"}


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_documented(name: str) -> None:
    command = cli.commands[name]
    assert command.help and command.help.strip()
    assert f"noticeparse {name}" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_api_twin(name: str) -> None:
    function = getattr(api, name)
    params = set(inspect.signature(function).parameters)
    for param in cli.commands[name].params:
        if param.name not in CLI_ONLY:
            assert RENAMED.get(param.name, param.name) in params, (name, param.name)


def test_readme_has_exactly_two_setup_commands() -> None:
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert setup.count("```sh") == 2
