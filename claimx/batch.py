"""Batch extraction: many articles through the pipeline, in input order, on one or many processes.

`run_batch` is the library entry point behind `claimx extract`. Articles travel in fixed-size
tasks (the same tasks whatever the number of workers, so the output is byte-identical for any
`--workers`); each worker process loads the pipeline once and frees per-task strings with spaCy's
`memory_zone`, so memory stays flat over long runs. Results are written in input order by the
main process, one whole article at a time, to a sink that can be resumed after an interruption.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from typing import Any, BinaryIO

from claimx.inputs import DEFAULT_MAX_CHARS, InputFile, SkippedRecord, Source, SourceError, iter_sources, load_article
from claimx.output import dumps
from claimx.reading import InputError
from claimx.schema import ErrorRecord
from claimx.sinks import Sink

# Articles per task: large enough for nlp.pipe to batch well, small enough to keep two workers busy.
TASK_SIZE = 32
# Tasks in flight per worker: keeps workers fed without reading far ahead of the writer.
TASKS_PER_WORKER = 2
# Below this many articles a process pool costs more (each worker loads spaCy) than it saves.
MIN_ARTICLES_FOR_POOL = 2 * TASK_SIZE
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Settings:
    """What a worker needs to build its pipeline and read articles (picklable)."""

    model: str | None = None
    cue_files: tuple[str, ...] = ()
    events: bool = False
    text_field: str = "text"
    id_field: str = "id"
    max_chars: int = DEFAULT_MAX_CHARS
    accurate: bool = False
    # onnxruntime threads per worker for the accurate tier (0: this machine's cores over the workers).
    threads: int = 0

    def fingerprint(self) -> dict[str, Any]:
        """The settings that change records: a resumed run must use the same ones."""
        tier = {"accurate": True} if self.accurate else {}  # default-tier journals stay as they were
        return {"model": self.model, "cue_files": list(self.cue_files), "events": self.events,
                "text_field": self.text_field, "id_field": self.id_field, **tier}


@dataclass(slots=True)
class Outcome:
    """What became of one article: its JSON lines, or the error that stopped it."""

    source: Source
    lines: list[str] = field(default_factory=list)
    words: int = 0
    error: ErrorRecord | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Summary:
    """Totals of a batch run, for the closing line on stderr and for callers."""

    articles: int = 0
    claims: int = 0
    failed: int = 0
    skipped: int = 0
    words: int = 0
    elapsed: float = 0.0
    interrupted: bool = False
    workers: int = 1
    # Records that are not articles (WARC requests, 404 pages), by why they were skipped.
    records_skipped: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        rate = self.words / self.elapsed if self.elapsed else 0.0
        minutes, seconds = divmod(self.elapsed, 60)
        took = f"{int(minutes)}m {seconds:04.1f}s" if minutes else f"{seconds:.1f}s"
        parts = [_count(self.articles, "article"), _count(self.claims, "claim"), _count(self.failed, "error")]
        if self.skipped:
            parts.append(f"{self.skipped:,} skipped as already done")
        if self.records_skipped:
            reasons = sorted(self.records_skipped.items(), key=lambda pair: (-pair[1], pair[0]))
            total = sum(self.records_skipped.values())
            parts.append(f"{_count(total, 'record')} skipped as not articles "
                         f"({', '.join(f'{number:,} {reason}' for reason, number in reasons)})")
        return f"{', '.join(parts)}; {self.words:,} words in {took} ({rate:,.0f} words/s, {self.workers} worker" \
               f"{'s' if self.workers != 1 else ''})"


def cores_per_worker(workers: int) -> int:
    """This machine's cores shared out over `workers` processes (at least one each)."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class WorkerStartError(RuntimeError):
    """The pipeline could not be built in a worker (bad model name, unreadable cue file)."""


# --- worker side -------------------------------------------------------------------------------

_state: dict[str, Any] = {}


def init_worker(settings: Settings, ignore_interrupts: bool = True) -> None:
    """Load the pipeline once for this process (a pool initializer, or called in-process)."""
    if ignore_interrupts:
        # The main process decides when to stop; Ctrl-C in the terminal must not kill workers mid-write.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _state.clear()
    try:
        # Cached per process: repeated in-process runs (tests, notebooks) load spaCy once.
        nlp = _pipeline(settings.model, settings.cue_files, settings.events, settings.accurate, settings.threads)
    except Exception as error:  # reported by the first task, in the main process
        _state["error"] = f"{type(error).__name__}: {error}" if not str(error).startswith("no spaCy") else str(error)
        return
    _state["nlp"], _state["settings"] = nlp, settings


def _pipeline(model: str | None, cue_files: tuple[str, ...], events: bool, accurate: bool = False, threads: int = 1):
    """The process's pipeline for these settings: `claimx.extract`'s own, or (with events) a second one."""
    from claimx.pipeline import shared_pipeline

    threads = max(1, threads)
    if not events:
        return shared_pipeline(model, cue_files, accurate, threads)
    return _events_pipeline(model, cue_files, accurate, threads)


@lru_cache(maxsize=2)
def _events_pipeline(model: str | None, cue_files: tuple[str, ...], accurate: bool = False, threads: int = 1):
    from claimx.pipeline import load_pipeline

    nlp = load_pipeline(model, cue_files, accurate=accurate, threads=threads)
    nlp.get_pipe("claimx_factuality").events = True
    return nlp


def english_warning(text: str) -> str | None:
    """A warning when text does not read as English (few English function words), else None."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = _WORD.findall(text[:4_000].lower())  # a few paragraphs tell; the whole text costs 3% of a run
    if len(words) < 20:
        return None
    share = sum(word in STOP_WORDS for word in words) / len(words)
    if share < 0.15:
        return (f"does not look like English ({share:.0%} English function words); "
                "processed anyway, but claims and labels will be unreliable")
    return None


def process_sources(sources: Sequence[Source]) -> list[Outcome]:
    """Read, decode and extract a task's articles; every source gets an Outcome, in order."""
    if "error" in _state:
        raise WorkerStartError(_state["error"])
    nlp, settings = _state["nlp"], _state["settings"]
    outcomes = [Outcome(source) for source in sources]
    ready = []
    for outcome in outcomes:
        source = outcome.source
        try:
            article = load_article(source, settings.text_field, settings.id_field, settings.max_chars)
        except InputError as error:
            outcome.error = ErrorRecord(source.name, error.kind, error.message)
            continue
        if not article.text.strip():
            outcome.warnings.append("empty input, no claims")
            continue
        warning = english_warning(article.text)
        if warning:
            outcome.warnings.append(warning)
        outcome.words = len(article.text.split())
        ready.append((outcome, article))
    try:
        _extract_lines(nlp, ready)
    except Exception:
        # Some article broke the pipeline: redo them one at a time so only that one fails.
        for outcome, article in ready:
            try:
                _extract_lines(nlp, [(outcome, article)])
            except Exception as error:
                outcome.lines = []
                outcome.error = ErrorRecord(outcome.source.name, "processing", f"{type(error).__name__}: {error}")
    return outcomes


def _extract_lines(nlp, ready: list) -> None:
    from claimx.pipeline import iter_records

    if not ready:
        return
    with nlp.memory_zone():
        articles = ((article.doc_id, article.text) for _, article in ready)
        for (outcome, article), (_, records) in zip(ready, iter_records(nlp, articles, batch_size=TASK_SIZE)):
            lines = []
            for record in records:
                data = record.to_dict()
                data["text_origin"] = article.text_origin
                data["meta"] = article.meta
                lines.append(dumps(data))
            outcome.lines = lines


# --- main side ---------------------------------------------------------------------------------


class _InProcess:
    """Runs tasks in this process; the pool's interface, for --workers 1 and small runs."""

    def __init__(self, settings: Settings) -> None:
        init_worker(settings, ignore_interrupts=False)

    def submit(self, task: list[Source]) -> Future:
        future: Future = Future()
        try:
            future.set_result(process_sources(task))
        except BaseException as error:  # noqa: BLE001 - handed to the caller through the future
            if isinstance(error, KeyboardInterrupt):
                raise
            future.set_exception(error)
        return future

    def restart(self) -> None:
        pass

    def shutdown(self) -> None:
        pass


class _Pool:
    """A pool of spawned worker processes, each with its own pipeline."""

    def __init__(self, settings: Settings, workers: int) -> None:
        import multiprocessing

        self.settings, self.workers = settings, workers
        self.context = multiprocessing.get_context("spawn")
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=init_worker,
                                   initargs=(self.settings,))

    def submit(self, task: list[Source]) -> Future:
        return self.executor.submit(process_sources, task)

    def restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class _StopFlag:
    """SIGINT/SIGTERM ask for a clean stop (finish what is in flight); a second Ctrl-C forces it."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _StopFlag:
        for number in (signal.SIGINT, signal.SIGTERM):
            try:
                self._previous[number] = signal.signal(number, self._handle)
            except ValueError:  # not the main thread: no signal handling
                pass
        return self

    def _handle(self, number: int, frame: Any) -> None:
        if self.requested and number == signal.SIGINT:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)


def _tasks(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    iterator = iter(sources)
    while task := list(islice(iterator, size)):
        yield task


def run_batch(
    files: Sequence[InputFile],
    sink: Sink,
    settings: Settings,
    *,
    workers: int = 1,
    stdin: Callable[[], BinaryIO] | None = None,
    doc_id: str | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    total_hint: int | None = None,
) -> Summary:
    """Process every article of `files` into `sink`, in input order; returns the totals.

    Articles the sink already holds (a resumed run) are skipped. `on_outcome` sees each
    article's outcome as it is written (progress, warnings, error lines). Stops cleanly on
    SIGINT/SIGTERM after writing the articles in flight (`Summary.interrupted`).
    """
    started = time.perf_counter()
    summary = Summary()
    sources = iter_sources(files, settings.text_field, settings.id_field, doc_id, stdin, settings.max_chars)

    def pending_sources() -> Iterator[Source]:
        for item in sources:
            if isinstance(item, SkippedRecord):
                summary.records_skipped[item.reason] = summary.records_skipped.get(item.reason, 0) + 1
                continue
            if isinstance(item, SourceError):  # a file that cannot be opened, a corrupt archive
                error = item.error
                outcome = Outcome(Source(item.name, item.name, "text"),
                                  error=ErrorRecord(item.name, error.kind, error.message))
                deliver(outcome)
                continue
            if sink.is_done(item):
                summary.skipped += 1
                continue
            yield item

    def deliver(outcome: Outcome) -> None:
        if outcome.error is None:
            try:
                sink.write(outcome.source, outcome.lines)
            except BrokenPipeError:
                raise  # the reader went away (`| head`): the whole run stops, quietly
            except OSError as error:
                outcome.error = ErrorRecord(outcome.source.name, "output", f"cannot write its claims: "
                                            f"{error.strerror or error}")
        summary.articles += 1
        if outcome.error is not None:
            summary.failed += 1
        else:
            summary.claims += len(outcome.lines)
            summary.words += outcome.words
        if on_outcome is not None:
            on_outcome(outcome)

    use_pool = workers > 1 and (total_hint is None or total_hint >= MIN_ARTICLES_FOR_POOL)
    summary.workers = workers if use_pool else 1
    if settings.accurate and not settings.threads:
        settings = replace(settings, threads=cores_per_worker(summary.workers))
    runner: _InProcess | _Pool | None = None

    def submit(task: list[Source]) -> Future:
        nonlocal runner
        if runner is None:  # started on first use: a resumed run with nothing left loads no pipeline
            runner = _Pool(settings, workers) if use_pool else _InProcess(settings)
        return runner.submit(task)
    window = max(1, summary.workers * TASKS_PER_WORKER)
    in_flight: deque[tuple[list[Source], Future, int]] = deque()

    def settle(task: list[Source], future: Future, attempt: int) -> None:
        try:
            outcomes = future.result()
        except BrokenProcessPool:
            if attempt > 0:
                outcomes = [Outcome(s, error=ErrorRecord(s.name, "processing", "the worker process died "
                                                         "while processing it (out of memory?)")) for s in task]
            else:
                # A worker died (killed, out of memory): every unfinished task died with the pool;
                # run them again on a fresh one, this task once more at most.
                runner.restart()
                again = [(t, f if f.done() and f.exception() is None else submit(t), a) for t, f, a in in_flight]
                in_flight.clear()
                in_flight.extend(again)
                settle(task, submit(task), attempt + 1)
                return
        for outcome in outcomes:
            deliver(outcome)

    try:
        with _StopFlag() as stop:
            tasks = _tasks(pending_sources(), TASK_SIZE)
            for task in tasks:
                in_flight.append((task, submit(task), 0))
                while len(in_flight) >= window:
                    settle(*in_flight.popleft())
                if stop.requested:
                    break
            while in_flight:
                settle(*in_flight.popleft())
            # A stop that came after the last task was handed out interrupted nothing.
            summary.interrupted = stop.requested and next(tasks, None) is not None
    finally:
        if runner is not None:
            runner.shutdown()
        summary.elapsed = time.perf_counter() - started
    return summary
