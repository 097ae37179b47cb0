"""The `claimx` command line: parses options, runs the library, writes JSON lines.

stdout carries data only; warnings, errors and summaries go to stderr. Exit codes: 0 all inputs
processed, 1 at least one input failed, 2 usage error (bad option, missing file argument).
spaCy is imported only by commands that need it, so `--help` and `--version` stay instant.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from claimx import __version__

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="claimx",
    help="Extract claims from English news articles, with confidence labels and the cues that explain them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        print(f"claimx {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Extract claims from English news articles, with confidence labels and the cues that explain them."""


def _error(message: str) -> None:
    stderr.print(f"claimx: error: {message}", markup=False)


def _warn(message: str) -> None:
    stderr.print(f"claimx: warning: {message}", markup=False)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Article files (plain text), or - for standard input.")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write JSON lines to FILE (atomically) instead of stdout.")
    ] = None,
    model: Annotated[
        Optional[str],
        typer.Option("--model", "-m", envvar="CLAIMX_MODEL", help="spaCy English pipeline name or path [env: CLAIMX_MODEL]."),
    ] = None,
    cues: Annotated[
        Optional[list[Path]], typer.Option("--cues", help="Extra cue lexicon (JSONL); repeatable; overrides entries by id.")
    ] = None,
    doc_id: Annotated[
        Optional[str], typer.Option("--doc-id", help="doc_id for a single input (default: its path, or 'stdin').")
    ] = None,
    events: Annotated[
        bool, typer.Option("--events", help="List each claim's events with their learned factuality (slower).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks for unexpected errors.")] = False,
) -> None:
    """Print one JSON line per claim found in each article."""
    from claimx.lexicon import LexiconError
    from claimx.pipeline import ModelNotFoundError, extract_text, load_pipeline
    from claimx.reading import InputError, read_input

    if doc_id is not None and len(paths) > 1:
        _error("--doc-id names a single input; drop it or pass one path")
        raise typer.Exit(EXIT_USAGE)
    try:
        nlp = load_pipeline(model, [str(path) for path in cues or []])
    except (ModelNotFoundError, LexiconError) as error:
        _error(str(error))
        raise typer.Exit(EXIT_USAGE if isinstance(error, LexiconError) else EXIT_INPUT_FAILED)
    if events:
        nlp.get_pipe("claimx_factuality").events = True

    failures = 0
    claims = 0
    from claimx.output import atomic_text_file, line_writer

    target = atomic_text_file(output) if output else contextlib.nullcontext(sys.stdout)
    try:
        with target as stream:
            writer = line_writer(stream)
            for path in paths:
                shown = "stdin" if path == "-" else path
                name = doc_id or shown
                try:
                    decoded = read_input(path)
                except InputError as error:
                    failures += 1
                    _error(f"{shown}: {error.message}")
                    continue
                if not decoded.text.strip():
                    if not quiet:
                        _warn(f"{shown}: empty input, no claims")
                    continue
                try:
                    records = extract_text(nlp, decoded.text, name)
                except Exception as error:  # one bad article must not stop the others
                    if debug:
                        raise
                    failures += 1
                    _error(f"{shown}: processing failed: {type(error).__name__}: {error}")
                    continue
                for record in records:
                    writer.write(record.to_dict())
                claims += len(records)
    except BrokenPipeError:
        # The reader (head, jq) went away: stop quietly, without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(EXIT_OK)
    except OSError as error:
        _error(f"cannot write output: {error.strerror or error}")
        raise typer.Exit(EXIT_INPUT_FAILED)
    if not quiet and output:
        stderr.print(f"claimx: wrote {claims} claims to {output}", markup=False)
    if failures:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command(name="eval")
def evaluate_command(
    task: Annotated[str, typer.Argument(help="uncertainty, factuality, claims or subjectivity.")],
    file: Annotated[Path, typer.Argument(help="Annotated JSONL file in the task's format.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    split: Annotated[
        str, typer.Option("--split", help="all, or train/dev: documents held in or out by claimx's split.")
    ] = "all",
    limit: Annotated[Optional[int], typer.Option("--limit", help="Score only the first N examples.")] = None,
    model: Annotated[
        Optional[str], typer.Option("--model", "-m", envvar="CLAIMX_MODEL", help="spaCy English pipeline name or path.")
    ] = None,
) -> None:
    """Score claimx on annotated data (the README documents each mapping)."""
    import json
    from itertools import islice

    from claimx.evaluation.datasets import TASKS, DatasetError, document_of, read_examples
    from claimx.evaluation.tasks import evaluate
    from claimx.learning.train import is_dev_document
    from claimx.pipeline import ModelNotFoundError, load_pipeline

    if task not in TASKS:
        _error(f"unknown task '{task}'; choose one of: {', '.join(TASKS)}")
        raise typer.Exit(EXIT_USAGE)
    if split not in ("all", "train", "dev"):
        _error(f"unknown split '{split}'; choose all, train or dev")
        raise typer.Exit(EXIT_USAGE)
    try:
        examples = [
            e for e in read_examples(task, file)
            if split == "all" or is_dev_document(document_of(e.id)) == (split == "dev")
        ]
        nlp = load_pipeline(model)
    except DatasetError as error:
        _error(str(error))
        raise typer.Exit(EXIT_USAGE)
    except ModelNotFoundError as error:
        _error(str(error))
        raise typer.Exit(EXIT_INPUT_FAILED)
    examples = list(islice(examples, limit)) if limit else examples
    if not examples:
        _error(f"{file}: no examples to score (split {split})")
        raise typer.Exit(EXIT_USAGE)
    scores = evaluate(task, nlp, examples)
    if as_json:
        print(json.dumps({"task": task, "file": str(file), "split": split, **scores}))
        return
    from rich.table import Table

    table = Table(title=f"claimx on {file} ({task}, split {split})")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in scores.items():
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    Console().print(table)


@app.command()
def train(
    data_dir: Annotated[Path, typer.Argument(help="Folder with uncertainty/, factuality/, claims/, subjectivity/ data.")],
    out: Annotated[
        Optional[Path], typer.Option("--out", help="Where to write the models (default: claimx's models/learned).")
    ] = None,
    only: Annotated[
        Optional[list[str]], typer.Option("--only", help="Train only this model (repeatable).")
    ] = None,
    model: Annotated[
        Optional[str], typer.Option("--model", "-m", envvar="CLAIMX_MODEL", help="spaCy English pipeline name or path.")
    ] = None,
) -> None:
    """Train claimx's learned models from annotated corpora (needs claimx[train])."""
    import time

    from claimx.learning.train import TRAINERS, train_all
    from claimx.resources import models_dir

    unknown = set(only or []) - set(TRAINERS)
    if unknown:
        _error(f"unknown model {', '.join(sorted(unknown))}; choose from {', '.join(TRAINERS)}")
        raise typer.Exit(EXIT_USAGE)
    if not data_dir.is_dir():
        _error(f"{data_dir}: not a folder")
        raise typer.Exit(EXIT_USAGE)
    started = time.perf_counter()
    target = out or models_dir() / "learned"
    train_all(data_dir, target, model, only or (), log=lambda line: stderr.print(line, markup=False))
    stderr.print(f"claimx: trained in {time.perf_counter() - started:.0f}s, models in {target}", markup=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the claim records."""
    import json

    from claimx.schema import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))


# --- Views for people: show, report, stats (claimx/views/) ---

_COLOR_HELP = "auto (colour on a terminal, none when piped or NO_COLOR is set), always or never."


def _view_console(color: str) -> Console:
    """The stdout console of the views; `always` keeps colour through a pipe (e.g. into less -R)."""
    if color not in ("auto", "always", "never"):
        _error(f"unknown --color '{color}'; choose auto, always or never")
        raise typer.Exit(EXIT_USAGE)
    if color == "always":
        return Console(force_terminal=True, color_system="truecolor", highlight=False)
    if color == "never":
        return Console(color_system=None, no_color=True, highlight=False)
    return Console(highlight=False)


def _stdout_gone() -> None:
    """The reader of stdout (head, less) went away: stop quietly, without a traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(EXIT_OK)


def _read_view_inputs(
    paths: list[str], from_jsonl: bool, model: Optional[str], cues: Optional[list[Path]], doc_id: Optional[str] = None
) -> tuple[list, list]:
    """Articles and error records for the views, from JSONL or through the pipeline; exits on usage errors."""
    from claimx.views.articles import RecordsError, read_jsonl_articles, read_text_articles

    if paths == ["-"] and sys.stdin.isatty():
        kind = "claimx JSONL" if from_jsonl else "an article"
        _error(f"expected {kind} on standard input; pass a file, or pipe into it"
               + (" (claimx extract a.txt | claimx ...)" if from_jsonl else ""))
        raise typer.Exit(EXIT_USAGE)
    if from_jsonl:
        try:
            return read_jsonl_articles(paths)
        except RecordsError as error:
            _error(str(error))
            raise typer.Exit(EXIT_USAGE)
        except OSError as error:
            _error(f"{error.filename}: {error.strerror or error}")
            raise typer.Exit(EXIT_INPUT_FAILED)
    from claimx.lexicon import LexiconError
    from claimx.pipeline import ModelNotFoundError, load_pipeline

    try:
        nlp = load_pipeline(model, [str(path) for path in cues or []])
    except (ModelNotFoundError, LexiconError) as error:
        _error(str(error))
        raise typer.Exit(EXIT_USAGE if isinstance(error, LexiconError) else EXIT_INPUT_FAILED)
    articles, errors = read_text_articles(nlp, paths, doc_id)
    for error in errors:
        _error(f"{error.input}: {error.message}")
    return articles, errors


@app.command()
def show(
    path: Annotated[
        str, typer.Argument(help="Article file, or - for standard input (claimx JSONL with --from-jsonl).")
    ] = "-",
    from_jsonl: Annotated[
        bool, typer.Option("--from-jsonl", help="Read claimx JSONL (claimx extract output) instead of an article.")
    ] = False,
    color: Annotated[str, typer.Option("--color", help=_COLOR_HELP)] = "auto",
    model: Annotated[
        Optional[str], typer.Option("--model", "-m", envvar="CLAIMX_MODEL", help="spaCy English pipeline name or path.")
    ] = None,
    cues: Annotated[
        Optional[list[Path]], typer.Option("--cues", help="Extra cue lexicon (JSONL); repeatable; overrides entries by id.")
    ] = None,
) -> None:
    """Show one article in the terminal: cues highlighted by kind, claim labels as badges, a summary."""
    console = _view_console(color)
    articles, errors = _read_view_inputs([path], from_jsonl, model, cues)
    from claimx.views.terminal import show_articles

    if not from_jsonl and errors:
        raise typer.Exit(EXIT_INPUT_FAILED)
    try:
        show_articles(console, articles, errors if from_jsonl else ())
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_gone()


@app.command()
def report(
    paths: Annotated[
        list[str], typer.Argument(help="Article files or folders (their *.txt), - for stdin; JSONL with --from-jsonl.")
    ],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="The HTML file to write (default: stdout when piped).")
    ] = None,
    from_jsonl: Annotated[
        bool, typer.Option("--from-jsonl", help="Read claimx JSONL (folders give their *.jsonl) instead of articles.")
    ] = False,
    title: Annotated[Optional[str], typer.Option("--title", help="The report's title.")] = None,
    model: Annotated[
        Optional[str], typer.Option("--model", "-m", envvar="CLAIMX_MODEL", help="spaCy English pipeline name or path.")
    ] = None,
    cues: Annotated[
        Optional[list[Path]], typer.Option("--cues", help="Extra cue lexicon (JSONL); repeatable; overrides entries by id.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but errors.")] = False,
) -> None:
    """Write one self-contained HTML report (no network requests) for one or many articles."""
    if output is None and sys.stdout.isatty():
        _error("the report is HTML: write it to a file with -o report.html (or pipe it)")
        raise typer.Exit(EXIT_USAGE)
    articles, errors = _read_view_inputs(paths, from_jsonl, model, cues)
    if not articles and not errors:
        _error("no articles found in " + ", ".join(paths) + (" (folders give their *.jsonl)" if from_jsonl
                                                               else " (folders give their *.txt)"))
        raise typer.Exit(EXIT_USAGE)
    from claimx.output import atomic_text_file
    from claimx.views.report import render_report

    html = render_report(articles, errors, title=title)
    try:
        if output is None:
            sys.stdout.write(html)
            sys.stdout.flush()
        else:
            with atomic_text_file(output) as stream:
                stream.write(html)
    except BrokenPipeError:
        _stdout_gone()
    except OSError as error:
        _error(f"cannot write the report: {error.strerror or error}")
        raise typer.Exit(EXIT_INPUT_FAILED)
    if output is not None and not quiet:
        claims = sum(len(article.claims) for article in articles)
        stderr.print(f"claimx: wrote {output}: {len(articles)} articles, {claims} claims", markup=False)
    if errors and not from_jsonl:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
def stats(
    paths: Annotated[
        Optional[list[str]], typer.Argument(help="claimx JSONL files or folders (their *.jsonl); default: stdin.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    color: Annotated[str, typer.Option("--color", help=_COLOR_HELP)] = "auto",
) -> None:
    """Aggregate statistics of claimx JSONL, per document and overall."""
    console = _view_console(color)
    articles, errors = _read_view_inputs(paths or ["-"], True, None, None)
    from claimx.views.stats import summarize

    summary = summarize(articles, errors)
    try:
        if as_json:
            import json

            print(json.dumps(summary.to_dict(), ensure_ascii=False))
        else:
            from claimx.views.terminal import print_stats

            print_stats(console, summary)
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_gone()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
