"""Running claimx on a Dask cluster: a bag of claim records, and partitioned, resumable output runs.

`extract_bag` turns paths, fsspec URLs or a bag of (doc_id, text) pairs into a `dask.bag.Bag` of
claim records; `run_extract` is what `claimx extract --engine dask` runs: it writes `part-NNNNN.jsonl`
files and a manifest to an output folder and, run again, redoes only the partitions that are missing.
Each worker process loads the spaCy pipeline once (see `worker_pipeline`); it is never pickled.
dask and distributed are an optional extra, imported only when a function here needs them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from claimx import __version__
from claimx.inputs import DEFAULT_MAX_CHARS
from claimx.output import atomic_binary_file, atomic_text_file, dumps
from claimx.schema import ErrorRecord

if TYPE_CHECKING:
    import dask.bag
    from distributed import Client

    from claimx.batch import Settings

INSTALL_HINT = "pip install 'claimx[dask]'"
MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = "claimx.dask-manifest/1"
LOCK_NAME = ".claimx.lock"
# How often the client rewrites the manifest while partitions complete (and always at the end).
MANIFEST_FLUSH_SECONDS = 2.0
WORKER_WAIT_SECONDS = 120


class DaskUnavailable(ImportError):
    """dask or distributed is not installed; the message is one line saying how to install them."""


class DaskEngineError(RuntimeError):
    """An expected failure of a Dask run; the message is one line that says how to fix it."""


class OutputDirConflict(DaskEngineError):
    """The output folder holds a different run (other inputs or options), or is in use."""


class WorkerSetupError(DaskEngineError):
    """Workers cannot run claimx: not installed, another version, or no English pipeline."""


class SchedulerUnreachable(DaskEngineError):
    """No Dask scheduler answers at the given address."""


class UnsupportedInput(DaskEngineError, ValueError):
    """An input the Dask engine cannot read (standard input, JSONL article files)."""


def require_dask() -> None:
    """Raise DaskUnavailable with the install command unless dask.bag and distributed import."""
    try:
        # Absolute imports: these are the top-level dask packages, not this module.
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as error:
        missing = error.name or "dask"
        raise DaskUnavailable(
            f"--engine dask needs dask and distributed ({missing} is not installed); "
            f"fix: {INSTALL_HINT}"
        ) from None


# --- the pipeline, once per worker process ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """Everything a worker needs to build the client's pipeline and read articles as it would.

    Cue lexicons travel as their bytes, so workers need no access to the client's files.
    """

    model: str | None = None
    cues: tuple[tuple[str, bytes], ...] = ()
    events: bool = False
    input_format: str = "auto"
    text_field: str = "text"
    id_field: str = "id"
    max_chars: int = DEFAULT_MAX_CHARS
    accurate: bool = False
    # onnxruntime threads of each worker's encoder (accurate tier): its share of its machine's cores.
    threads: int = 1

    @classmethod
    def from_options(cls, model: str | None = None, cue_files: Sequence[str] = (), events: bool = False,
                     **reading: Any) -> PipelineSpec:
        """Read and check the cue files here (LexiconError on a bad one), before any worker starts."""
        from claimx.lexicon import load_lexicon

        load_lexicon(list(cue_files))
        cues = tuple((Path(name).name, Path(name).read_bytes()) for name in cue_files)
        return cls(model or os.environ.get("CLAIMX_MODEL") or None, cues, events, **reading)

    def describe(self) -> dict[str, Any]:
        """The options that change records, as a manifest records them (cue files by sha256)."""
        return {
            "model": self.model,
            "cues": [{"name": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in self.cues],
            "events": self.events,
            "input_format": self.input_format,
            "text_field": self.text_field,
            "id_field": self.id_field,
            "max_chars": self.max_chars,
            # Named only when on, so default-tier manifests (and their resumes) are unchanged.
            **({"accurate": True} if self.accurate else {}),
        }

    def settings(self) -> Settings:
        """The single-machine batch settings for this spec, with cue files local to this process."""
        from claimx.batch import Settings

        return Settings(self.model, tuple(_cue_paths(self)), self.events, self.text_field, self.id_field,
                        self.max_chars, accurate=self.accurate, threads=self.threads)


# claimx.batch keeps one pipeline per process; a worker with several threads runs one partition at
# a time, because spaCy pipelines are not meant to be shared by threads (give workers --nthreads 1
# and more processes instead).
_RUN_LOCK = threading.Lock()


def _worker_ready(spec: PipelineSpec) -> None:
    """Load the pipeline for `spec` in this worker process unless it is loaded already."""
    from claimx import batch

    settings = spec.settings()
    if batch._state.get("settings") != settings:
        batch.init_worker(settings, ignore_interrupts=False)  # not the main thread: no signals


def _cue_paths(spec: PipelineSpec) -> list[str]:
    """The spec's cue lexicons as files in this process's temp folder (written once)."""
    if not spec.cues:
        return []
    digest = hashlib.sha256(b"".join(data for _, data in spec.cues)).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"claimx-cues-{digest}"
    folder.mkdir(exist_ok=True)
    paths = []
    for number, (name, data) in enumerate(spec.cues):
        path = folder / f"{number:02d}-{name}"
        if not path.exists() or path.read_bytes() != data:
            with atomic_text_file(path) as handle:
                handle.write(data.decode("utf-8"))
        paths.append(str(path))
    return paths


def _warm_up(spec: PipelineSpec) -> dict[str, str]:
    """Load the pipeline in this worker; report what it runs so the client can check it."""
    import spacy

    from claimx import batch

    with _RUN_LOCK:
        _worker_ready(spec)
        batch.process_sources([])  # raises WorkerStartError when the pipeline could not be built
        meta = batch._state["nlp"].meta
    return {
        "claimx": __version__,
        "spacy": spacy.__version__,
        "model": f"{meta.get('lang', 'en')}_{meta.get('name', '?')}",
        "model_version": str(meta.get("version", "?")),
    }


# --- inputs ---------------------------------------------------------------------------------

# An item is one article to process: a file path or URL (read on the worker), a JSONL line read
# on the client (a claimx.inputs.Source), or an input that already failed there (an ErrorRecord).


def _is_url(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def _has_magic(path: str) -> bool:
    return any(char in path for char in "*?[")


def _walk_url(folder: str, glob: str | None) -> list[str]:
    """Relative paths under a folder URL, as `claimx.inputs.walk_folder` orders and filters them."""
    import fsspec

    from claimx.inputs import is_article_file

    fs, root = fsspec.core.url_to_fs(folder)
    root = root.rstrip("/")
    found = []
    for path in fs.find(root):
        relative = path[len(root):].lstrip("/")
        if relative and not any(part.startswith(".") for part in relative.split("/")) and is_article_file(relative, glob):
            found.append(relative)
    return sorted(found, key=lambda relative: relative.split("/"))


def _url_paths(path: str, glob: str | None) -> list[str]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(path)
    if _has_magic(path):
        matches = [fs.unstrip_protocol(match) for match in sorted(fs.glob(root)) if not fs.isdir(match)]
        return matches or [path]
    if fs.isdir(root):
        prefix = path.rstrip("/")
        return [f"{prefix}/{relative}" for relative in _walk_url(path, glob)]
    return [path]


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of a collection that a worker reads whole: a CSV or WARC file, or one Parquet row group.

    A part is a partition of its own; `part` is what the format's reader named (a row group
    number, or None for the whole file).
    """

    path: str
    format: str
    part: Any = None


def list_inputs(
    paths: Sequence[str], glob: str | None = None, input_format: str = "auto",
    text_field: str = "text", id_field: str = "id",
) -> list[Any]:
    """The articles named by files, folders, globs and fsspec URLs, in the single-machine order.

    Local inputs are found by `claimx.inputs.discover`, exactly as `claimx extract` finds them
    (a file keeps its path as given; folders are walked recursively in sorted order, hidden names
    skipped); JSONL files are read here, one item per line; CSV and WARC files become one Part
    each, Parquet files one Part per row group, read on the workers. URLs are listed with fsspec
    the same way; a glob ("s3://bucket/2024/*.txt") is expanded. A path that does not exist stays
    in the list and becomes a `missing` error record.
    """
    from claimx.formats import input_file
    from claimx.inputs import discover

    items: list[Any] = []
    for path in paths:
        if path == "-":
            raise UnsupportedInput("the Dask engine cannot read standard input; pass files, folders or URLs")
        if _is_url(path):
            found = [input_file(url, input_format) for url in _url_paths(path, glob)]
        else:
            given = [path]
            if not os.path.exists(path) and _has_magic(path):
                import glob as globbing

                given = sorted(match for match in globbing.glob(path, recursive=True) if os.path.isfile(match)) or [path]
            found = discover(given, glob, input_format)
        for item in found:
            items.extend(_items_of(item, text_field, id_field))
    return items


def _items_of(item: Any, text_field: str, id_field: str) -> Iterator[Any]:
    """An input file's items: itself (an article file), its Parts, or its records listed here (JSONL)."""
    from claimx.formats import open_source, reader_for
    from claimx.formats.base import ArticleFileReader
    from claimx.inputs import ReadOptions, Source, SourceError

    reader = reader_for(item)
    if isinstance(reader, ArticleFileReader) and not item.guessed:
        yield item.path
        return
    parts = reader.parts(item.path)
    if parts is not None:
        yield from (Part(item.path, reader.name, part) for part in parts)
        return
    if _is_url(item.path):
        raise UnsupportedInput(f"{item.path}: {reader.name.upper()} inputs must be local files for the Dask engine; "
                               "copy it here, or split it into one file per article")
    for produced in open_source(item, ReadOptions(text_field, id_field)):
        if isinstance(produced, SourceError):
            yield ErrorRecord(produced.name, produced.error.kind, produced.error.message)
        elif isinstance(produced, Source):
            yield produced


def item_name(item: Any) -> str:
    """How errors name an item: its path, "FILE:LINE" for a JSONL line."""
    if isinstance(item, str):
        return item
    if isinstance(item, ErrorRecord):
        return item.input
    if isinstance(item, Part):
        return item.path if item.part is None else f"{item.path}#{item.part}"
    return item.name


def list_articles(paths: Sequence[str], glob: str | None = None) -> list[str]:
    """The names of the articles `paths` gives, in order (see `list_inputs`)."""
    return [item_name(item) for item in list_inputs(paths, glob)]


def partitions(items: Sequence[Any], partition_size: int) -> list[list[Any]]:
    """Items grouped into partitions in order: `partition_size` articles at a time, each Part on its own."""
    chunks: list[list[Any]] = []
    current: list[Any] = []
    for item in items:
        if isinstance(item, Part):
            if current:
                chunks.append(current)
                current = []
            chunks.append([item])
            continue
        current.append(item)
        if len(current) == partition_size:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _sources(item: Any, spec: PipelineSpec, skipped: list[Any] | None = None) -> list[Any]:
    """The batch Sources of an item (reading a Part here, on the worker), or its ErrorRecords.

    Records that are not articles (a WARC request, a 404 page) go to `skipped`.
    """
    from claimx.formats import reader_by_format
    from claimx.inputs import ReadOptions, SkippedRecord, Source, SourceError

    if isinstance(item, Part):
        options = ReadOptions(spec.text_field, spec.id_field, spec.max_chars)
        found = []
        for produced in reader_by_format(item.format).read_part(item.path, item.part, options):
            if isinstance(produced, SourceError):
                found.append(ErrorRecord(produced.name, produced.error.kind, produced.error.message))
            elif isinstance(produced, Source):
                found.append(produced)
            elif isinstance(produced, SkippedRecord) and skipped is not None:
                skipped.append(produced)
        return found
    return [_source(item, spec)]


def _source(item: Any, spec: PipelineSpec) -> Any:
    """The batch Source for an article item (a path or URL, read where it is processed), or the item itself."""
    from claimx.inputs import Source, format_of

    if not isinstance(item, str):
        return item
    return Source(item, item, format_of(item, spec.input_format), item)


# --- extraction of one partition (runs on a worker) -------------------------------------------


@dataclass(frozen=True, slots=True)
class PartitionOutput:
    """One partition's result as sent back to the client: JSON lines, counts and warnings."""

    claims_data: bytes  # the part file, in the run's output format
    errors_text: str
    articles: int
    claims: int
    errors: int
    words: int
    warnings: tuple[tuple[str, str], ...] = ()
    records_skipped: int = 0  # records that are not articles (WARC requests, 404 pages)

    @property
    def claims_text(self) -> str:
        """The part file as text (JSONL and CSV parts)."""
        return self.claims_data.decode("utf-8")


def _extract_items(items: Sequence[Any], spec: PipelineSpec,
                   skipped: list[Any] | None = None) -> list[tuple[list[str], ErrorRecord | None, Any]]:
    """(claim lines, error, outcome) per item in order, through the single-machine batch code."""
    from claimx import batch

    sources = [source for item in items for source in _sources(item, spec, skipped)]
    with _RUN_LOCK:
        _worker_ready(spec)
        outcomes = iter(batch.process_sources([source for source in sources if not isinstance(source, ErrorRecord)]))
    results = []
    for source in sources:
        if isinstance(source, ErrorRecord):
            results.append(([], source, None))
        else:
            outcome = next(outcomes)
            results.append((outcome.lines, outcome.error, outcome))
    return results


def _partition_output(items: list[Any], spec: PipelineSpec, output_format: str = "jsonl") -> PartitionOutput:
    """Extract one partition's articles (runs on a worker) into a part file in `output_format`."""
    import io

    from claimx.formats import writer_for

    claim_lines: list[str] = []
    error_lines: list[str] = []
    warnings: list[tuple[str, str]] = []
    words = 0
    skipped: list[Any] = []
    results = _extract_items(items, spec, skipped)
    for lines, error, outcome in results:
        claim_lines.extend(lines)
        if error is not None:
            error_lines.append(dumps(error.to_dict()))
        if outcome is not None:
            words += outcome.words
            warnings.extend((outcome.source.name, warning) for warning in outcome.warnings)
    part = io.BytesIO()
    writer = writer_for(output_format, part)
    writer.write(claim_lines)
    writer.close()
    return PartitionOutput(
        claims_data=part.getvalue(),
        errors_text="".join(line + "\n" for line in error_lines),
        articles=len(results),
        claims=len(claim_lines),
        errors=len(error_lines),
        words=words,
        warnings=tuple(warnings),
        records_skipped=len(skipped),
    )


def _bag_partition(items: Iterable[Any], spec: PipelineSpec, errors: bool, pairs: bool) -> list[dict[str, Any]]:
    """Claim records (and error records if `errors`) of one bag partition, in input order."""
    records: list[dict[str, Any]] = []
    items = [_pair_source(item) for item in items] if pairs else list(items)
    for lines, error, _ in _extract_items([item for chunk in items for item in chunk] if not pairs else items, spec):
        records.extend(json.loads(line) for line in lines)
        if errors and error is not None:
            records.append(error.to_dict())
    return records


def _pair_source(item: Any) -> Any:
    from claimx.inputs import Source

    if isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], (str, bytes)):
        return Source(str(item[0]), str(item[0]), "text", None, item[1])
    raise TypeError(
        f"extract_bag expects a bag of (doc_id, text) pairs (text as str or bytes), got {type(item).__name__}"
    )


# --- the library API ----------------------------------------------------------------------------


def extract_bag(
    paths_or_bag: str | Sequence[str] | dask.bag.Bag,
    *,
    model: str | None = None,
    cue_files: Sequence[str] = (),
    events: bool = False,
    glob: str | None = None,
    partition_size: int = 200,
    errors: bool = True,
    input_format: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    max_chars: int = DEFAULT_MAX_CHARS,
    accurate: bool = False,
    threads: int = 1,
) -> dask.bag.Bag:
    """A lazy bag of claim records (dicts, as `claimx extract` prints them) in input order.

    `paths_or_bag` is a path, folder, fsspec URL or glob ("s3://bucket/2024/*.txt"), a list of
    them, or a bag of (doc_id, text) pairs. With `errors`, failed articles appear in the bag as
    error records (`"schema": "claimx.error/1"`, see `is_claim`) where their claims would be.
    Compute it with any Dask scheduler; each worker process loads the pipeline once. `accurate`
    scores sentences with the fine-tuned encoder (claimx[accurate]), on `threads` onnxruntime
    threads per worker process (its share of its machine's cores).
    """
    require_dask()
    import dask.bag

    if accurate:
        _require_accurate()
    spec = PipelineSpec.from_options(model, cue_files, events, input_format=input_format,
                                     text_field=text_field, id_field=id_field, max_chars=max_chars,
                                     accurate=accurate, threads=threads)
    if isinstance(paths_or_bag, dask.bag.Bag):
        return paths_or_bag.map_partitions(_bag_partition, spec, errors, True)
    paths = [paths_or_bag] if isinstance(paths_or_bag, str) else list(paths_or_bag)
    items = list_inputs(paths, glob, input_format, text_field, id_field)
    if not items:
        return dask.bag.from_sequence([], npartitions=1)
    chunks = partitions(items, partition_size)  # each bag partition holds one chunk
    return dask.bag.from_sequence(chunks, npartitions=len(chunks)).map_partitions(_bag_partition, spec, errors, False)


def is_claim(record: dict[str, Any]) -> bool:
    """True for a claim record, False for an error record (for `bag.filter`)."""
    return not str(record.get("schema", "")).startswith("claimx.error/")


# --- partitioned output runs ------------------------------------------------------------------


@dataclass(slots=True)
class DaskSummary:
    """What a `run_extract` run left in the output folder and what this run did.

    `articles`, `claims` and `errors` count the whole output (skipped partitions included);
    `articles_processed`, `words` and `warnings` count what this run extracted; `failures` say why
    partitions failed (a re-run redoes them).
    """

    articles: int = 0
    claims: int = 0
    errors: int = 0
    partitions: int = 0
    partitions_written: int = 0
    partitions_skipped: int = 0
    partitions_failed: int = 0
    elapsed_s: float = 0.0
    words: int = 0
    articles_processed: int = 0
    warnings: int = 0
    records_skipped: int = 0  # records of the processed partitions that are not articles (WARC requests, 404s)
    out_dir: str = ""
    failures: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every partition is in the output folder."""
        return self.partitions_written + self.partitions_skipped == self.partitions


class _OutputDir:
    """The output folder, local or an fsspec URL: whole files appear at once, or not at all."""

    def __init__(self, location: str) -> None:
        self.location = location.rstrip("/") or "/"
        self.remote = _is_url(location)
        self._lock: IO[str] | None = None
        if self.remote:
            import fsspec

            self.fs, self.root = fsspec.core.url_to_fs(self.location)
            self.fs.makedirs(self.root, exist_ok=True)
        else:
            self.root = self.location
            Path(self.root).mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> str:
        return f"{self.root}/{name}"

    def lock(self) -> None:
        """Hold a lock on a local folder so two runs never write it at once."""
        if self.remote:
            return
        import fcntl

        handle = open(self.path(LOCK_NAME), "a", encoding="utf-8")  # noqa: SIM115 (held for the run)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise OutputDirConflict(f"{self.location}: another claimx run is writing to this folder") from None
        self._lock = handle

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def size(self, name: str) -> int | None:
        try:
            return self.fs.size(self.path(name)) if self.remote else os.path.getsize(self.path(name))
        except (FileNotFoundError, OSError):
            return None

    def read_text(self, name: str) -> str | None:
        try:
            if self.remote:
                return self.fs.cat_file(self.path(name)).decode("utf-8")
            return Path(self.path(name)).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write(self, name: str, content: str | bytes) -> None:
        """Write `name` whole: a temp file renamed into place (or one upload on object stores)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        if not self.remote:
            with atomic_binary_file(self.path(name)) as handle:
                handle.write(data)
            os.chmod(self.path(name), _FILE_MODE)  # temp files are private; outputs are not
            return
        temporary = self.path(f".{name}.{uuid.uuid4().hex}.tmp")
        self.fs.pipe_file(temporary, data)
        self.fs.mv(temporary, self.path(name))

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            if self.remote:
                self.fs.rm(self.path(name))
            else:
                os.unlink(self.path(name))

    def names(self) -> list[str]:
        if self.remote:
            return [posixpath.basename(path) for path in self.fs.ls(self.root, detail=False)]
        return os.listdir(self.root)

    def clean_temporaries(self) -> None:
        """Remove temp files a killed client left behind (the lock guarantees nobody writes them)."""
        for name in self.names():
            if name.startswith(".") and name.endswith(".tmp"):
                self.remove(name)


def _file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inputs_digest(articles: Sequence[str]) -> str:
    """sha256 of the article list, as a manifest records it."""
    digest = hashlib.sha256()
    for article in articles:
        digest.update(article.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


class _Manifest:
    """manifest.json: the run's inputs and options, and every finished partition with its checksum."""

    def __init__(self, out: _OutputDir, data: dict[str, Any]) -> None:
        self.out = out
        self.data = data
        self.flushed_at = 0.0
        self.dirty = False

    @property
    def done(self) -> dict[str, dict[str, Any]]:
        return self.data["done"]

    @property
    def output_format(self) -> str:
        return self.data["params"].get("output_format", "jsonl")

    def part_name(self, number: int) -> str:
        from claimx.formats import WRITERS

        suffix = WRITERS[self.output_format].suffix
        return f"part-{number:0{self.data['partitions']['width']}d}{suffix}"

    def errors_name(self, number: int) -> str:
        return f"errors-{number:0{self.data['partitions']['width']}d}.jsonl"

    def key(self, number: int) -> str:
        return f"{number:0{self.data['partitions']['width']}d}"

    def record(self, number: int, entry: dict[str, Any]) -> None:
        self.done[self.key(number)] = entry
        self.dirty = True

    def flush(self, force: bool = False) -> None:
        if self.dirty and (force or time.monotonic() - self.flushed_at >= MANIFEST_FLUSH_SECONDS):
            self.data["complete"] = len(self.done) == self.data["partitions"]["count"]
            self.data["done"] = dict(sorted(self.done.items()))
            self.out.write(MANIFEST_NAME, json.dumps(self.data, indent=1, ensure_ascii=False) + "\n")
            self.flushed_at = time.monotonic()
            self.dirty = False


def _run_identity(spec: PipelineSpec, items: Sequence[Any], partition_size: int, glob: str | None,
                  output_format: str = "jsonl") -> dict[str, Any]:
    # The output format is recorded only when it is not JSONL, so manifests of earlier runs still match.
    chosen = {"output_format": output_format} if output_format != "jsonl" else {}
    return {
        "params": {**spec.describe(), "glob": glob, "partition_size": partition_size, **chosen},
        "inputs": {"articles": len(items), "sha256": inputs_digest([_item_identity(item) for item in items])},
    }


def _item_identity(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, ErrorRecord):
        return f"{item.input}\x1f{item.kind}"
    if isinstance(item, Part):
        return f"{item.path}\x1f{item.format}\x1f{item.part}"
    return f"{item.name}\x1f{item.doc_id}"


def _open_manifest(
    out: _OutputDir, identity: dict[str, Any], paths: Sequence[str], partitions: int, resume: bool
) -> _Manifest:
    """The folder's manifest for this run; OutputDirConflict if it holds another run."""
    existing_text = out.read_text(MANIFEST_NAME)
    if existing_text is None:
        leftovers = [name for name in out.names() if name.startswith(("part-", "errors-"))]
        if leftovers:
            raise OutputDirConflict(
                f"{out.location}: holds {leftovers[0]} but no {MANIFEST_NAME}; choose an empty --out-dir"
            )
        width = max(5, len(str(max(partitions - 1, 0))))
        data = {
            "schema": MANIFEST_SCHEMA,
            "claimx": __version__,
            "paths": list(paths),
            **identity,
            "partitions": {"count": partitions, "width": width},
            "workers": None,
            "complete": False,
            "done": {},
        }
        manifest = _Manifest(out, data)
        manifest.dirty = True
        manifest.flush(force=True)
        return manifest
    try:
        data = json.loads(existing_text)
        if data.get("schema") != MANIFEST_SCHEMA:
            raise ValueError(data.get("schema"))
    except (ValueError, AttributeError):
        raise OutputDirConflict(f"{out.location}/{MANIFEST_NAME} is not a claimx Dask manifest; choose an empty --out-dir") from None
    for section in ("params", "inputs"):
        if data.get(section) != identity[section]:
            what = "inputs" if section == "inputs" else "options"
            raise OutputDirConflict(
                f"{out.location}: holds a run over other {what} "
                f"({_difference(data.get(section) or {}, identity[section])}); use a new --out-dir, or delete it"
            )
    manifest = _Manifest(out, data)
    if not resume:
        data["done"] = {}
        manifest.dirty = True
    return manifest


def _difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    keys = [key for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    return ", ".join(f"{key}: {json.dumps(old.get(key))} then, {json.dumps(new.get(key))} now" for key in keys[:2])


def _finished(manifest: _Manifest, number: int) -> bool:
    """Whether partition `number` is in the folder whole: its part file exists and matches the manifest.

    A part file the manifest does not know yet (the client died before recording it) is complete,
    since it was renamed into place whole; it is checked and recorded now.
    """
    out = manifest.out
    name = manifest.part_name(number)
    size = out.size(name)
    if size is None:
        return False
    entry = manifest.done.get(manifest.key(number))
    if entry is not None:
        return entry.get("bytes") == size
    if manifest.output_format != "jsonl":
        return False  # not counted without reading the format: made again
    text = out.read_text(name) or ""
    errors_text = out.read_text(manifest.errors_name(number)) or ""
    manifest.record(number, {
        "file": name,
        "articles": None,
        "claims": text.count("\n"),
        "errors": errors_text.count("\n"),
        "errors_file": manifest.errors_name(number) if errors_text else None,
        "words": None,
        "bytes": size,
        "sha256": _sha256(text),
    })
    return True


@contextlib.contextmanager
def _connect(scheduler: str | None, n_workers: int | None) -> Iterator[Client]:
    """A client of the given scheduler, or of a LocalCluster of single-threaded worker processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as error:
            raise SchedulerUnreachable(f"no Dask scheduler answers at {scheduler}: {error}") from None
        with client:
            yield client
        return
    workers = n_workers or os.cpu_count() or 1
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _prepare_workers(client: Client, spec: PipelineSpec) -> dict[str, str]:
    """Load the pipeline on every worker now, so a missing claimx or model fails the run at once."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    except TimeoutError:
        raise WorkerSetupError(f"the Dask cluster has no workers after {WORKER_WAIT_SECONDS}s") from None
    addresses = list(client.scheduler_info(n_workers=-1)["workers"]) if _accepts_n_workers(client) else list(
        client.scheduler_info()["workers"])
    token = uuid.uuid4().hex[:8]
    futures = [
        client.submit(_warm_up, spec, workers=[address], allow_other_workers=True, pure=False,
                      key=f"claimx-warm-up-{token}-{number}")
        for number, address in enumerate(addresses)
    ]
    try:
        reports = client.gather(futures)
    except ModuleNotFoundError as error:
        raise WorkerSetupError(
            f"Dask workers cannot import {error.name}: install claimx {__version__} and its English "
            "pipeline on every worker (the same environment as this client)"
        ) from None
    except Exception as error:  # noqa: BLE001 (whatever broke the pipeline's loading, say it in one line)
        raise WorkerSetupError(f"Dask workers cannot load the claimx pipeline: {type(error).__name__}: {error}") from None
    versions = {report["claimx"] for report in reports}
    models = {(report["model"], report["model_version"]) for report in reports}
    if versions != {__version__}:
        raise WorkerSetupError(
            f"Dask workers run claimx {', '.join(sorted(versions))}, this client {__version__}; "
            "install the same claimx on every worker"
        )
    if len(models) > 1:
        raise WorkerSetupError(
            "Dask workers load different spaCy pipelines: "
            + ", ".join(f"{name} {version}" for name, version in sorted(models))
        )
    return reports[0]


def _local_threads(n_workers: int | None) -> int:
    """Encoder threads per LocalCluster worker: the cores shared out, so workers do not oversubscribe them."""
    from claimx.batch import cores_per_worker

    return cores_per_worker(n_workers or os.cpu_count() or 1)


def _require_accurate() -> None:
    """Fail before any worker starts when the client lacks claimx[accurate] (workers need it too)."""
    from claimx.pipeline import ModelNotFoundError, check_accurate_tier

    try:
        check_accurate_tier()
    except ModelNotFoundError as error:
        raise WorkerSetupError(str(error)) from None


def _accepts_n_workers(client: Client) -> bool:
    import inspect

    return "n_workers" in inspect.signature(client.scheduler_info).parameters


def run_extract(
    paths: list[str],
    out_dir: str,
    *,
    scheduler: str | None = None,
    n_workers: int | None = None,
    model: str | None = None,
    cue_files: Sequence[str] = (),
    events: bool = False,
    glob: str | None = None,
    partition_size: int = 200,
    resume: bool = True,
    progress: Callable[[int, int], None] | None = None,
    on_warning: Callable[[str, str], None] | None = None,
    input_format: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    max_chars: int = DEFAULT_MAX_CHARS,
    output_format: str = "jsonl",
    accurate: bool = False,
) -> DaskSummary:
    """Extract claims from `paths` on a Dask cluster into `out_dir`, one part file per partition.

    `out_dir` receives `part-NNNNN.jsonl` (or `.csv`/`.parquet` with `output_format`; claim records; concatenated in order they are the lines a
    single-machine run prints), `errors-NNNNN.jsonl` for partitions with failed articles, and
    `manifest.json`. Each file appears whole or not at all, so a re-run with the same inputs and
    options redoes only missing partitions (`resume=False` redoes all). Without `scheduler` a
    LocalCluster of `n_workers` single-threaded processes runs the job. `progress(done, total)` is
    called as partitions finish, `on_warning(input, message)` for each warning the single-machine
    path would print (empty input, not English). Inputs are found and read exactly as `claimx
    extract` does (`input_format`, `text_field`, `id_field`, `max_chars` mean the same). A partition
    whose task fails (e.g. its worker died too often) is counted in `partitions_failed` and left
    for a re-run; the others are still written. `accurate` scores sentences with the fine-tuned
    encoder (claimx[accurate] on every worker); each worker loads it once, with its share of the
    cores as threads on a LocalCluster and one thread on a given scheduler's workers (scale those
    with more single-threaded worker processes).

    Raises DaskUnavailable (dask missing), OutputDirConflict, WorkerSetupError,
    SchedulerUnreachable or UnsupportedInput (all DaskEngineError but the first, one-line messages),
    LexiconError for a bad cue file, ValueError for bad arguments.
    """
    require_dask()
    started = time.perf_counter()
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    if scheduler and n_workers:
        raise ValueError("n_workers sizes a local cluster; with a scheduler, start as many workers as you need")
    if accurate:
        _require_accurate()
    spec = PipelineSpec.from_options(model, cue_files, events, input_format=input_format,
                                     text_field=text_field, id_field=id_field, max_chars=max_chars,
                                     accurate=accurate, threads=1 if scheduler else _local_threads(n_workers))
    from claimx.formats import WRITERS

    if output_format not in WRITERS:
        raise ValueError(f"unknown output format '{output_format}'; choose one of: {', '.join(WRITERS)}")
    items = list_inputs(paths, glob, input_format, text_field, id_field)
    chunks = partitions(items, partition_size)
    out = _OutputDir(out_dir)
    out.lock()
    try:
        out.clean_temporaries()
        manifest = _open_manifest(out, _run_identity(spec, items, partition_size, glob, output_format), paths, len(chunks), resume)
        summary = DaskSummary(partitions=len(chunks), out_dir=out.location)
        todo = [number for number in range(len(chunks)) if not (resume and _finished(manifest, number))]
        summary.partitions_skipped = len(chunks) - len(todo)
        if progress:
            progress(summary.partitions_skipped, len(chunks))
        try:
            if todo:
                _compute(manifest, chunks, todo, spec, scheduler, n_workers, summary, progress, on_warning)
        finally:
            manifest.flush(force=True)
        for number in range(len(chunks)):
            entry = manifest.done.get(manifest.key(number))
            if entry is not None:
                summary.articles += entry.get("articles") or len(chunks[number])
                summary.claims += entry["claims"]
                summary.errors += entry["errors"]
        summary.elapsed_s = time.perf_counter() - started
        return summary
    finally:
        out.unlock()


def _compute(
    manifest: _Manifest,
    chunks: list[list[Any]],
    todo: list[int],
    spec: PipelineSpec,
    scheduler: str | None,
    n_workers: int | None,
    summary: DaskSummary,
    progress: Callable[[int, int], None] | None,
    on_warning: Callable[[str, str], None] | None,
) -> None:
    """Run the missing partitions and write each one as its result arrives."""
    from distributed import as_completed

    with _connect(scheduler, n_workers) as client:
        workers = _prepare_workers(client, spec)
        previous = manifest.data.get("workers")
        if previous and (previous["model"], previous["model_version"]) != (workers["model"], workers["model_version"]):
            raise OutputDirConflict(
                f"{manifest.out.location}: its parts came from {previous['model']} {previous['model_version']}, "
                f"the workers now load {workers['model']} {workers['model_version']}; use a new --out-dir"
            )
        manifest.data["workers"] = workers
        manifest.dirty = True
        token = uuid.uuid4().hex[:8]
        pending = {
            client.submit(_partition_output, chunks[number], spec, manifest.output_format, pure=False,
                          key=f"claimx-{manifest.key(number)}-{token}"): number
            for number in todo
        }
        for future in as_completed(list(pending)):
            number = pending.pop(future)
            try:
                result: PartitionOutput = future.result()
            except Exception as error:  # noqa: BLE001 (one failed partition must not stop the others)
                summary.partitions_failed += 1
                summary.failures.append(f"{manifest.part_name(number)}: {type(error).__name__}: {error}")
                continue
            finally:
                future.release()
            _write_partition(manifest, number, result)
            summary.partitions_written += 1
            summary.words += result.words
            summary.articles_processed += result.articles
            summary.warnings += len(result.warnings)
            summary.records_skipped += result.records_skipped
            if on_warning:
                for name, warning in result.warnings:
                    on_warning(name, warning)
            manifest.flush()
            if progress:
                progress(summary.partitions_skipped + summary.partitions_written, len(chunks))


def _write_partition(manifest: _Manifest, number: int, result: PartitionOutput) -> None:
    """Errors file first, then the part file: a part file on disk means its partition is complete."""
    out = manifest.out
    errors_name = manifest.errors_name(number)
    if result.errors_text:
        out.write(errors_name, result.errors_text)
    else:
        out.remove(errors_name)
    name = manifest.part_name(number)
    out.write(name, result.claims_data)
    manifest.record(number, {
        "file": name,
        "articles": result.articles,
        "claims": result.claims,
        "errors": result.errors,
        "errors_file": errors_name if result.errors_text else None,
        "words": result.words,
        "bytes": len(result.claims_data),
        "sha256": hashlib.sha256(result.claims_data).hexdigest(),
    })
