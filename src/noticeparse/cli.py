"""The `noticeparse` command line: a thin layer over api.py, one command per API function."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ._limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNZIPPED, DEFAULT_TIMEOUT
from .errors import InputError, NoticeparseError, OutputError, RulesError
from .export import BINARY_FORMATS, FORMATS

__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_TERMINATED", "EXIT_USAGE", "cli"]

T = TypeVar("T")

EXIT_OK = 0
EXIT_FAILED = 1  # one or more files could not be parsed, or the output cannot be written
EXIT_USAGE = 2  # bad command line or malformed rules file
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_TERMINATED = 143  # SIGTERM, as shells report it


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that a batch closes its folder and says one line."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated

rules_option = click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A rules TOML file merged over the shipped rules (repeatable).",
)


def _limits(command):  # type: ignore[no-untyped-def]
    """--max-bytes and --max-unzipped, shared by extract and batch."""
    command = click.option(
        "--max-unzipped", type=click.IntRange(min=1), default=DEFAULT_MAX_UNZIPPED, show_default=True,
        help="Bytes a .docx may inflate to (zip-bomb guard).",
    )(command)
    return click.option(
        "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
        help="Largest input file, in bytes.",
    )(command)


escape_option = click.option(
    "--escape-formulas/--no-escape-formulas", default=True, show_default=True,
    help="CSV/XLSX: write cells starting with = + - @ as text, never as live spreadsheet formulas.",
)

ocr_option = click.option(
    "--ocr", type=click.Choice(["auto", "force", "off"], case_sensitive=False), default="auto", show_default=True,
    help='Scans: auto reads pages that are images without text by OCR, force every page, off none '
         '(needs pip install "noticeparse[ocr]").',
)

keywords_option = click.option(
    "--keywords", is_flag=True, help="Give each activity its top 5 keywords (jieba TF-IDF; slower to start)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="noticeparse")
def cli() -> None:
    """Turn Chinese official notices into structured activity records."""


def _guarded(call: Callable[[], T]) -> T:
    """Run an API call; an error is one line on stderr and the documented exit status."""
    try:
        return call()
    except RulesError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    except NoticeparseError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(EXIT_FAILED) from None
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        raise SystemExit(EXIT_INTERRUPTED) from None


def _verbose_line(path: str, seconds: float, notice: Any | None, error: Exception | None) -> str:
    if error is not None:
        return f"{path}: failed after {seconds * 1000:.0f} ms"
    assert notice is not None
    codes = ", ".join(sorted({w.code for w in notice.warnings}))
    records = len(notice.activities)
    what = f"{records} record{'s' if records != 1 else ''}" if records else "no_activities: no records"
    return f"{path}: {what}, {seconds * 1000:.0f} ms" + (f", warnings: {codes}" if codes else "")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS, case_sensitive=False), default=None,
    help="Output format [default: what -o's extension names, else json; jsonl for scripts].",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of standard output; the extension names the format.",
)
@click.option("--bom/--no-bom", default=True, show_default=True, help="CSV: start with a UTF-8 BOM.")
@click.option(
    "--labels", type=click.Choice(["zh", "en"], case_sensitive=False), default=None,
    help="Column headers and warnings of csv/xlsx/parquet/ics in Chinese or English [default: csv, parquet en; "
         "xlsx zh].",
)
@click.option("--ics-events-only", is_flag=True, help="ics: only events; no to-dos for deadline-only activities.")
@ocr_option
@escape_option
@keywords_option
@_limits
@rules_option
@click.option("-q", "--quiet", is_flag=True, help="Print errors only (no notes).")
@click.option("-v", "--verbose", is_flag=True, help="Per file on stderr: records, time taken, warnings.")
def extract(files: tuple[Path, ...], fmt: str | None, output: Path | None, bom: bool, labels: str | None,
            ics_events_only: bool, ocr: str, escape_formulas: bool, keywords: bool, max_bytes: int,
            max_unzipped: int, rules: tuple[Path, ...], quiet: bool, verbose: bool) -> None:
    """Parse FILES (- reads standard input) and print their records.

    Formats, by content: .txt, web pages (.html .aspx …), .docx, .doc/.wps
    (with LibreOffice), .pdf with a text layer, .ofd. Folders and .zip
    archives are for `noticeparse batch`.

    Exit status: 0 every file parsed; 1 one or more failed (one line each on
    stderr); 2 usage error or malformed rules file.
    """
    from . import api  # imported here so that --help stays instant
    from .export import LABELLED_FORMATS, format_for

    try:
        chosen = format_for(output, fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if chosen in BINARY_FORMATS and output is None and sys.stdout.isatty():
        raise click.UsageError(f"{chosen} is a binary format: give -o FILE or redirect standard output")
    if labels and chosen not in LABELLED_FORMATS and not quiet:
        click.echo(f"note: --labels does not change {chosen} output", err=True)
    result = _guarded(lambda: api.extract(
        [str(f) for f in files], format=chosen, output=output if output is not None else sys.stdout,
        rules=rules, bom=bom,
        labels=labels.lower() if labels else None,  # type: ignore[arg-type]
        keywords=keywords, max_bytes=max_bytes, max_unzipped=max_unzipped,
        escape_formulas=escape_formulas, ics_events_only=ics_events_only, ocr=ocr.lower(),
    ))
    if result.output is not None:
        if isinstance(result.output, bytes):
            sys.stdout.buffer.write(result.output)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(result.output)
            sys.stdout.flush()
    for error in result.errors:
        click.echo(f"Error: {error}", err=True)
    if verbose:
        parsed = {n.source.path: n for n in result.notices}
        failed = {e.path: e for e in result.errors}
        for path, seconds in zip(files, result.seconds, strict=True):
            name = "<stdin>" if str(path) == "-" else str(path)
            notice = parsed.get(name)
            click.echo(_verbose_line(name, seconds, notice, failed.get(name) if notice is None else None), err=True)
    if not quiet:
        for note in result.notes:
            click.echo(note, err=True)
    raise SystemExit(EXIT_FAILED if result.errors else EXIT_OK)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="The output folder (notices.jsonl, activities.csv, errors.jsonl, manifest.jsonl).",
)
@click.option(
    "-f", "--format", "formats", type=click.Choice(FORMATS, case_sensitive=False), multiple=True,
    help="Also write this format (repeatable): json, xlsx, parquet, ics, tasks-csv, html (report.html) "
         "[always: jsonl, csv].",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: CPUs].")
@click.option("--resume", is_flag=True, help="Continue a batch folder: skip documents already done.")
@click.option("--timeout", type=click.IntRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds one file may take (0 = no limit).")
@click.option("--labels", type=click.Choice(["zh", "en"], case_sensitive=False), default=None,
              help="Column headers and warnings of tabular outputs.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when stderr is a terminal].")
@click.option("--include", multiple=True, metavar="GLOB", help="In folders, take only files matching (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="In folders, leave out files matching (repeatable).")
@ocr_option
@click.option("--engine", type=click.Choice(["local", "dask"], case_sensitive=False), default="local",
              show_default=True, help="local: worker processes here; dask: a LocalCluster of -j workers.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run on this Dask cluster (tcp://host:8786); outputs must be on storage every worker sees.")
@escape_option
@keywords_option
@_limits
@rules_option
@click.option("-q", "--quiet", is_flag=True, help="Print errors only (no notes, no summary, no progress bar).")
@click.option("-v", "--verbose", is_flag=True, help="One line per file on stderr: records, time taken, warnings.")
def batch(inputs: tuple[str, ...], output: Path, formats: tuple[str, ...], jobs: int | None, resume: bool,
          timeout: int, labels: str | None, progress: bool | None, include: tuple[str, ...],
          exclude: tuple[str, ...], ocr: str, engine: str, scheduler: str | None, escape_formulas: bool,
          keywords: bool, max_bytes: int, max_unzipped: int, rules: tuple[Path, ...], quiet: bool,
          verbose: bool) -> None:
    """Parse many files into a folder, in parallel and resumably.

    INPUTS are files, folders (recursive: supported files only, the output
    folder left out), globs and .zip archives.

    Exit status: 0 every document parsed; 1 some failed (listed in
    errors.jsonl), or the folder stopped taking writes (a full disk); 2 usage
    error, an input that does not exist, a malformed rules file, an output
    folder that holds an earlier batch without --resume or that another batch
    is writing to; 130 Ctrl-C; 143 SIGTERM.
    """
    import signal

    from . import api
    from .batch import DaskMissing, SchedulerUnreachable, WriteFailed

    wanted = tuple(dict.fromkeys(("jsonl", "csv", *(f.lower() for f in formats))))
    previous = signal.signal(signal.SIGTERM, _on_sigterm)

    def said(outcome: Any) -> None:
        if outcome.status == "failed":
            line = f"{outcome.name}: failed ({outcome.error_class})"
        elif outcome.status == "skipped":
            line = f"{outcome.name}: duplicate of content already done"
        else:
            what = f"{outcome.records} records" if outcome.records else "no_activities: no records"
            codes = f", warnings: {', '.join(outcome.warnings)}" if outcome.warnings else ""
            line = f"{outcome.name}: {what}, {outcome.seconds * 1000:.0f} ms{codes}"
        click.echo(line, err=True)

    try:
        result = api.batch(
            list(inputs), output, formats=wanted, jobs=jobs, resume=resume, rules=rules, keywords=keywords,
            labels=labels.lower() if labels else None,  # type: ignore[arg-type]
            timeout=timeout, progress=False if quiet or verbose else progress, max_bytes=max_bytes,
            max_unzipped=max_unzipped, include=include, exclude=exclude, escape_formulas=escape_formulas,
            on_file=said if verbose else None, ocr=ocr.lower(), engine=engine.lower(),  # type: ignore[arg-type]
            scheduler=scheduler,
        )
    except WriteFailed as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(EXIT_FAILED) from None
    except (SchedulerUnreachable, DaskMissing) as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    except (RulesError, OutputError, InputError) as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        click.echo(f"Interrupted: what finished is kept in {output}; run again with --resume to go on.", err=True)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except Terminated:
        click.echo(f"Terminated: what finished is kept in {output}; run again with --resume to go on.", err=True)
        raise SystemExit(EXIT_TERMINATED) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not quiet:
        for note in result.notes:
            click.echo(note, err=True)
        click.echo(result.summary(), err=True)
    raise SystemExit(EXIT_FAILED if result.failed else EXIT_OK)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report here (atomically) instead of standard output.")
@click.option("--labels", type=click.Choice(["zh", "en"], case_sensitive=False), default=None,
              help="The report's headings in Chinese or English [default: zh].")
@ocr_option
@_limits
@rules_option
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def report(inputs: tuple[Path, ...], output: Path | None, labels: str | None, ocr: str, max_bytes: int,
           max_unzipped: int, rules: tuple[Path, ...], quiet: bool) -> None:
    """Write an HTML report of INPUTS: per notice its metadata, a timeline, who leads and supports
    what, and every record beside its source text; a summary for several.

    INPUTS are documents to parse, or noticeparse's own .json/.jsonl output. The page is
    self-contained (no script, nothing fetched): it opens offline.

    Exit status: 0 every file read; 1 one or more failed (listed in the report and on
    stderr); 2 usage error or malformed rules file.
    """
    from . import api

    if output is None and sys.stdout.isatty() and not quiet:
        click.echo("note: the report is HTML; give -o report.html to open it in a browser", err=True)
    result = _guarded(lambda: api.report(
        [str(f) for f in inputs], output if output is not None else sys.stdout, rules=rules,
        labels=labels.lower() if labels else None,  # type: ignore[arg-type]
        max_bytes=max_bytes, max_unzipped=max_unzipped, ocr=ocr.lower(),
    ))
    for error in result.errors:
        click.echo(f"Error: {error}", err=True)
    if output is not None and not quiet:
        records = sum(len(n.activities) for n in result.notices)
        click.echo(f"{output}: {len(result.notices)} notice(s), {records} record(s)", err=True)
    raise SystemExit(EXIT_FAILED if result.errors else EXIT_OK)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the output document."""
    from . import api

    click.echo(api.schema_json())
