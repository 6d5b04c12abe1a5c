"""Run the command line as `python -m noticeparse`."""

from .cli import cli

cli(prog_name="noticeparse")
