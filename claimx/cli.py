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
from claimx.inputs import DEFAULT_MAX_CHARS

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
ACCURATE_HELP = ("Score check-worthiness and subjectivity with the fine-tuned encoder (slower, more accurate; "
                 "needs claimx[accurate]).")

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
    paths: Annotated[
        list[str], typer.Argument(help="Article files, folders (searched recursively), or - for standard input.")
    ],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write all records to FILE (JSONL, .csv or .parquet); it appears only when complete.")
    ] = None,
    out_dir: Annotated[
        Optional[Path], typer.Option("--out-dir", help="Write one file per article (--format) under DIR, mirroring the input paths.")
    ] = None,
    glob: Annotated[
        Optional[str],
        typer.Option("--glob", help="In folders, take only files matching this pattern (e.g. '*.txt'; * also matches /)."),
    ] = None,
    input_format: Annotated[
        str, typer.Option("--input-format", help="auto (by extension, else first bytes), text, html, jsonl, csv, "
                          "parquet or warc (compressed or not).")
    ] = "auto",
    text_field: Annotated[
        str, typer.Option("--text-field", help="JSONL field, or CSV/Parquet column, holding the article text.")
    ] = "text",
    id_field: Annotated[
        str, typer.Option("--id-field", help="JSONL field, or CSV/Parquet column, holding the article id (its doc_id).")
    ] = "id",
    output_format: Annotated[
        Optional[str], typer.Option("--format", "-f", help="Output format: jsonl, csv or parquet "
                                    "(default: by the -o file's extension, else jsonl).")
    ] = None,
    workers: Annotated[
        Optional[int], typer.Option("--workers", "-w", min=1, help="Worker processes (default: the machine's cores).")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue a stopped run of -o FILE or --out-dir DIR: skip finished articles.")
    ] = False,
    errors: Annotated[
        Optional[Path], typer.Option("--errors", help="Write one JSON line per failed input to FILE (else: stderr).")
    ] = None,
    max_chars: Annotated[
        int, typer.Option("--max-chars", min=0, help="Refuse articles longer than this; compressed input is read no further (0: no limit).")
    ] = DEFAULT_MAX_CHARS,
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
    accurate: Annotated[
        bool, typer.Option("--accurate", help=ACCURATE_HELP)
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="local (worker processes on this machine) or dask (a Dask cluster; needs --out-dir).")
    ] = "local",
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="With --engine dask: the scheduler address (default: a LocalCluster).")
    ] = None,
    partition_size: Annotated[
        int, typer.Option("--partition-size", min=1, help="With --engine dask: articles per part-NNNNN.jsonl file.")
    ] = 200,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks for unexpected errors.")] = False,
) -> None:
    """Print one JSON line per claim found in each article (text, HTML, JSONL, CSV, Parquet, WARC; compressed or not).

    With --engine dask, --out-dir receives part-NNNNN.jsonl files and a manifest instead of one
    file per article, and a re-run redoes only the missing parts.
    """
    from claimx.batch import Settings, WorkerStartError, run_batch
    from claimx.formats import INPUT_FORMATS, OUTPUT_FORMATS, MissingExtra
    from claimx.inputs import UsageError, count_articles, discover
    from claimx.lexicon import LexiconError, load_lexicon
    from claimx.pipeline import ModelNotFoundError, check_accurate_tier, resolve_model_name
    from claimx.sinks import DirectorySink, FileSink, StreamSink

    def usage(message: str) -> typer.Exit:
        _error(message)
        return typer.Exit(EXIT_USAGE)

    if input_format not in INPUT_FORMATS:
        raise usage(f"unknown --input-format '{input_format}'; choose one of: {', '.join(INPUT_FORMATS)}")
    if output_format is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        output_format = suffix if suffix in OUTPUT_FORMATS else "jsonl"
    if output_format not in OUTPUT_FORMATS:
        raise usage(f"unknown --format '{output_format}'; choose one of: {', '.join(OUTPUT_FORMATS)}")
    if output and out_dir:
        raise usage("choose one of -o FILE and --out-dir DIR")
    if resume and not (output or out_dir):
        raise usage("--resume continues a run written with -o FILE or --out-dir DIR; name it")
    if paths.count("-") > 1:
        raise usage("standard input (-) can be read only once")
    try:
        resolve_model_name(model)
        if accurate:
            check_accurate_tier()
        if cues:
            load_lexicon([str(path) for path in cues])
    except LexiconError as error:
        raise usage(str(error))
    except ModelNotFoundError as error:
        _error(str(error))
        raise typer.Exit(EXIT_INPUT_FAILED)

    if engine not in ("local", "dask"):
        raise usage(f"unknown --engine '{engine}'; choose local or dask")
    if engine == "dask":
        _extract_on_dask(paths, out_dir, output, scheduler, workers, model, cues, events, glob, partition_size,
                         input_format, text_field, id_field, max_chars, quiet, output_format, accurate)
        return
    if scheduler:
        raise usage("--scheduler goes with --engine dask")

    settings = Settings(model, tuple(str(path) for path in cues or []), events, text_field, id_field, max_chars,
                        accurate=accurate)
    files = discover(paths, glob, input_format)
    if not files:
        raise usage(f"no article files under {', '.join(paths)}" + (f" match --glob '{glob}'" if glob else ""))
    if doc_id is not None and (len(files) != 1 or files[0].format not in ("text", "html")):
        raise usage("--doc-id names a single text or HTML article; collections (JSONL, CSV, Parquet, WARC) "
                    "take theirs from their records")
    show_progress = not quiet and stderr.is_terminal
    counts = [count_articles(f) for f in files]
    total = None if None in counts else sum(counts)

    try:
        if out_dir:
            sink = DirectorySink(out_dir, resume, output_format)
        elif output:
            # A resumed run must have the same inputs and settings, or its journal means nothing.
            run = {**settings.fingerprint(), "inputs": list(paths), "glob": glob, "input_format": input_format}
            sink = FileSink(output, run, resume, output_format)
            if sink.discarded and not quiet:
                _warn(f"discarded the unfinished {sink.partial} of an earlier run (pass --resume to continue it)")
        else:
            sink = StreamSink(sys.stdout, output_format)
    except UsageError as error:
        raise usage(str(error))
    except MissingExtra as error:
        raise usage(str(error))
    except OSError as error:
        _error(f"cannot write output: {error.strerror or error}")
        raise typer.Exit(EXIT_INPUT_FAILED)

    failed: list[dict] = []
    progress = _BatchProgress(total) if show_progress else None

    def on_outcome(outcome) -> None:
        if outcome.error is not None:
            failed.append(outcome.error.to_dict())
            if errors is None:
                _error(f"{outcome.error.input}: {outcome.error.message}")
        elif not quiet:
            for warning in outcome.warnings:
                _warn(f"{outcome.source.name}: {warning}")
        if progress is not None:
            progress.advance(len(outcome.lines))

    summary = None
    try:
        with progress if progress is not None else contextlib.nullcontext():
            summary = run_batch(
                files, sink, settings, workers=workers or os.cpu_count() or 1,
                stdin=lambda: sys.stdin.buffer, doc_id=doc_id,
                on_outcome=on_outcome, total_hint=total,
            )
    except BrokenPipeError:
        # The reader (head, jq) went away: stop quietly, without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(EXIT_OK)
    except WorkerStartError as error:
        _error(f"cannot build the pipeline: {error}")
        raise typer.Exit(EXIT_INPUT_FAILED)
    except KeyboardInterrupt:
        _error("interrupted; finished articles are kept" + (" (run again with --resume)" if output or out_dir else ""))
        raise typer.Exit(EXIT_INTERRUPTED)
    finally:
        sink.close(complete=summary is not None and not summary.interrupted)
        if errors is not None:
            _write_errors(errors, failed)
    if summary.interrupted:
        _error(f"interrupted after {summary.articles:,} articles; they are kept"
               + (" — run the same command with --resume to finish" if output or out_dir else ""))
    # One article piped to stdout needs no summary; batches and files get one.
    if not quiet and (summary.articles + summary.skipped > 1 or output or out_dir or summary.records_skipped):
        where = f"; output in {output or out_dir}" if output or out_dir else ""
        stderr.print(f"claimx: {summary.line()}{where}", markup=False)
    if summary.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if summary.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _extract_on_dask(paths, out_dir, output, scheduler, workers, model, cues, events, glob, partition_size,
                     input_format, text_field, id_field, max_chars, quiet, output_format="jsonl", accurate=False) -> None:
    """`claimx extract --engine dask`: partitioned output on a Dask cluster (claimx.dask)."""
    from claimx.dask import DaskEngineError, DaskUnavailable, run_extract
    from claimx.lexicon import LexiconError

    if output or not out_dir:
        _error("--engine dask writes part files: give --out-dir DIR (not -o or stdout)")
        raise typer.Exit(EXIT_USAGE)
    if "-" in paths:
        _error("--engine dask reads files and URLs, not standard input")
        raise typer.Exit(EXIT_USAGE)
    if scheduler and workers:
        _error("--workers sizes the LocalCluster; with --scheduler the cluster has its own workers")
        raise typer.Exit(EXIT_USAGE)

    def warn(name: str, message: str) -> None:
        if not quiet:
            _warn(f"{name}: {message}")

    try:
        summary = run_extract(
            list(paths), str(out_dir), scheduler=scheduler, n_workers=workers, model=model,
            cue_files=[str(path) for path in cues or []], events=events, glob=glob,
            partition_size=partition_size, on_warning=warn, input_format=input_format,
            text_field=text_field, id_field=id_field, max_chars=max_chars, output_format=output_format,
            accurate=accurate,
        )
    except DaskUnavailable as error:
        _error(str(error))
        raise typer.Exit(EXIT_USAGE)
    except (DaskEngineError, LexiconError, ValueError) as error:
        _error(str(error))
        raise typer.Exit(EXIT_INPUT_FAILED)
    for failure in summary.failures:
        _error(failure)
    if not quiet:
        rate = summary.words / summary.elapsed_s if summary.elapsed_s else 0.0
        stderr.print(
            f"claimx: {summary.articles:,} articles, {summary.claims:,} claims, {summary.errors:,} errors in "
            f"{summary.out_dir}; {summary.partitions_written} parts written, {summary.partitions_skipped} already "
            f"done, {summary.partitions_failed} failed; {summary.words:,} words in {summary.elapsed_s:.1f}s "
            f"({rate:,.0f} words/s)"
            + (f"; {summary.records_skipped:,} records skipped as not articles" if summary.records_skipped else ""),
            markup=False)
    if summary.partitions_failed or summary.errors:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _write_errors(path: Path, failed: list[dict]) -> None:
    from claimx.output import atomic_text_file, dumps

    try:
        with atomic_text_file(path) as handle:
            handle.write("".join(dumps(record) + "\n" for record in failed))
    except OSError as error:
        _error(f"cannot write {path}: {error.strerror or error}")


class _BatchProgress:
    """A rich progress bar on stderr: articles done/total, claims, rate and ETA."""

    def __init__(self, total: int | None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.claims = 0
        self.progress = Progress(
            TextColumn("claimx"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
            TextColumn("{task.fields[claims]:,} claims"), TextColumn("{task.fields[speed_text]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=stderr, transient=False,
        )
        self.task = self.progress.add_task("extract", total=total, claims=0, speed_text="")

    def __enter__(self) -> _BatchProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, claims: int) -> None:
        self.claims += claims
        task = self.progress.tasks[0]
        speed = f"{task.speed:,.1f} articles/s" if task.speed else ""
        self.progress.update(self.task, advance=1, claims=self.claims, speed_text=speed)


@app.command()
def text(
    path: Annotated[str, typer.Argument(help="An article file (text or HTML), or - for standard input.")],
    input_format: Annotated[
        str, typer.Option("--input-format", help="auto (by extension), text or html.")
    ] = "auto",
) -> None:
    """Print the text claimx analyses for an input: the string every record's offsets index."""
    from claimx.inputs import Source, format_of, load_article
    from claimx.reading import InputError

    chosen = format_of(path, input_format)
    if chosen not in ("text", "html"):
        _error("claimx text takes a text or HTML article; in JSONL input the offsets index the text field")
        raise typer.Exit(EXIT_USAGE)
    data = sys.stdin.buffer.read() if path == "-" else None
    name = "stdin" if path == "-" else path
    try:
        article = load_article(Source(name, name, chosen, None if path == "-" else path, data), max_chars=0)
    except InputError as error:
        _error(f"{error.name}: {error.message}")
        raise typer.Exit(EXIT_INPUT_FAILED)
    sys.stdout.write(article.text)


@app.command(name="eval")
def evaluate_command(
    task: Annotated[str, typer.Argument(help="uncertainty, factuality, claims, subjectivity, attribution or sentences.")],
    file: Annotated[Path, typer.Argument(help="Annotated JSONL file in the task's format.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    split: Annotated[
        str, typer.Option("--split", help="all, or train/dev: documents held in or out by claimx's split.")
    ] = "all",
    limit: Annotated[Optional[int], typer.Option("--limit", help="Score only the first N examples.")] = None,
    model: Annotated[
        Optional[str], typer.Option("--model", "-m", envvar="CLAIMX_MODEL", help="spaCy English pipeline name or path.")
    ] = None,
    accurate: Annotated[
        bool, typer.Option("--accurate", help=ACCURATE_HELP)
    ] = False,
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
        nlp = load_pipeline(model, accurate=accurate, threads=os.cpu_count() or 1)
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
        tier = {"tier": "accurate"} if accurate else {}
        print(json.dumps({"task": task, "file": str(file), "split": split, **tier, **scores}))
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
    encoder: Annotated[
        bool, typer.Option("--encoder", help="Fine-tune the accurate tier's encoder instead (torch; about 20 min "
                           "on 2 cores; default --out: claimx's models/encoder).")
    ] = False,
    threads: Annotated[
        int, typer.Option("--threads", min=1, help="With --encoder: torch threads (the shipped model used 2).")
    ] = 2,
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
    if encoder:
        if only:
            _error("--only picks among the linear models; --encoder trains the encoder alone")
            raise typer.Exit(EXIT_USAGE)
        _train_encoder(data_dir, out or models_dir() / "encoder", model, threads)
        stderr.print(f"claimx: trained the encoder in {time.perf_counter() - started:.0f}s, "
                     f"model in {out or models_dir() / 'encoder'}", markup=False)
        return
    target = out or models_dir() / "learned"
    train_all(data_dir, target, model, only or (), log=lambda line: stderr.print(line, markup=False))
    stderr.print(f"claimx: trained in {time.perf_counter() - started:.0f}s, models in {target}", markup=False)


def _train_encoder(data_dir: Path, out: Path, model: Optional[str], threads: int) -> None:
    """`claimx train --encoder`: one-line errors for a missing extra, weights or training file."""
    from claimx.pipeline import ModelNotFoundError

    try:
        from claimx.learning.encoder import EncoderTrainingError, require_training_packages, train_encoder

        require_training_packages()
        train_encoder(data_dir, out, model, log=lambda line: stderr.print(line, markup=False), threads=threads)
    except (EncoderTrainingError, ModelNotFoundError) as error:
        _error(str(error))
        raise typer.Exit(EXIT_INPUT_FAILED)


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
    if color == "never" or os.environ.get("NO_COLOR"):
        # No colour system at all: not even bold escapes reach a pipe or a NO_COLOR terminal.
        return Console(color_system=None, no_color=True, highlight=False)
    return Console(highlight=False)


def _stdout_gone() -> None:
    """The reader of stdout (head, less) went away: stop quietly, without a traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(EXIT_OK)


def _read_view_inputs(
    paths: list[str], from_jsonl: bool, model: Optional[str], cues: Optional[list[Path]], doc_id: Optional[str] = None,
    accurate: bool = False,
) -> tuple[list, list]:
    """Articles and error records for the views, from JSONL or through the pipeline; exits on usage errors."""
    from claimx.views.articles import RecordsError, read_jsonl_articles, read_text_articles

    if paths == ["-"] and sys.stdin.isatty():
        kind = "claimx JSONL" if from_jsonl else "an article"
        _error(f"expected {kind} on standard input; pass a file, or pipe into it"
               + (" (claimx extract a.txt | claimx ...)" if from_jsonl else ""))
        raise typer.Exit(EXIT_USAGE)
    if from_jsonl and accurate:
        _error("--accurate scores articles as it reads them; JSONL from --from-jsonl was scored when it was "
               "extracted (claimx extract --accurate)")
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
        nlp = load_pipeline(model, [str(path) for path in cues or []], accurate=accurate, threads=os.cpu_count() or 1)
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
    statements: Annotated[
        bool, typer.Option("--statements", help="Also list each claim as a sentence that stands alone, restored words marked.")
    ] = False,
    accurate: Annotated[
        bool, typer.Option("--accurate", help=ACCURATE_HELP)
    ] = False,
) -> None:
    """Show one article in the terminal: cues highlighted by kind, claim labels as badges, a summary."""
    console = _view_console(color)
    articles, errors = _read_view_inputs([path], from_jsonl, model, cues, accurate=accurate)
    from claimx.views.terminal import show_articles

    if not from_jsonl and errors:
        raise typer.Exit(EXIT_INPUT_FAILED)
    for article in articles:
        if article.text is not None and not article.text.strip():
            _warn(f"{article.doc_id}: empty input, no claims")
    try:
        show_articles(console, articles, errors if from_jsonl else (), statements=statements)
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
    accurate: Annotated[
        bool, typer.Option("--accurate", help=ACCURATE_HELP)
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but errors.")] = False,
) -> None:
    """Write one self-contained HTML report (no network requests) for one or many articles."""
    if output is None and sys.stdout.isatty():
        _error("the report is HTML: write it to a file with -o report.html (or pipe it)")
        raise typer.Exit(EXIT_USAGE)
    articles, errors = _read_view_inputs(paths, from_jsonl, model, cues, accurate=accurate)
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
            # A report is for sharing: readable as any new file would be, not only by its owner.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(output, 0o666 & ~umask)
    except BrokenPipeError:
        _stdout_gone()
    except OSError as error:
        _error(f"cannot write the report: {error.strerror or error}")
        raise typer.Exit(EXIT_INPUT_FAILED)
    if output is not None and not quiet:
        claims = sum(len(article.claims) for article in articles)
        noun = "article" if len(articles) == 1 else "articles"
        stderr.print(f"claimx: wrote {output}: {len(articles)} {noun}, {claims} claims", markup=False)
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
