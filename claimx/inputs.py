"""Finding articles and turning each into text: files, folders, globs, stdin, URLs, in any format.

Discovery (`discover`, `iter_sources`) runs in the main process and only lists paths or reads
collections (JSONL, CSV, Parquet, WARC) record by record; reading and decoding one article
(`load_article`) runs where the article is processed, so a batch never holds the corpus in memory.
What each format does lives in `claimx.formats` (one module per format, found from a table);
this module is the IO layer they share: opening files, stdin and URLs, and naming outputs.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from claimx.reading import InputError

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_INSTALL_HINT = "HTML input needs trafilatura; fix: pip install 'claimx[html]'"
# Larger inputs are refused (error kind "too_large") unless --max-chars says otherwise: at
# ~5,000 words/s a 2-million-character "article" takes over a minute and is rarely an article.
DEFAULT_MAX_CHARS = 2_000_000
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")
_MAX_COMPONENT = 200


class UsageError(ValueError):
    """A path or option that cannot work at all (reported once, exit code 2)."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file found on the command line or under a folder, and how to read it."""

    path: str  # as given, or the given folder joined with the relative path
    format: str  # a reader's name in claimx.formats ("text", "html", "jsonl", "csv", "parquet", "warc")
    guessed: bool = False  # neither --input-format nor the name said: the content's first bytes decide


@dataclass(frozen=True, slots=True)
class Source:
    """One article to process: a file, stdin, or one record of a collection (JSONL, CSV, Parquet, WARC).

    `name` is how errors and progress refer to it (a path, "stdin" or "FILE:LINE"); `doc_id` is
    the record's doc_id; `output` is its file under --out-dir, relative to it, without suffix;
    `format` names the reader that loads it (claimx.formats).
    """

    name: str
    doc_id: str
    format: str
    path: str | None = None
    data: bytes | str | dict[str, Any] | None = None  # the article's bytes, or a record (a dict when parsed)
    output: str = ""
    meta: dict[str, Any] | None = None  # passed through to each claim (e.g. a WARC record's URL and date)


@dataclass(frozen=True, slots=True)
class SourceError:
    """An input, or part of one, that yields no article: a file that cannot be opened, a corrupt archive."""

    name: str
    error: InputError


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record skipped on purpose (a WARC request, a 404 page): counted, not an error."""

    name: str
    reason: str


@dataclass(slots=True)
class Article:
    """An article's text, ready for the pipeline."""

    doc_id: str
    text: str
    text_origin: str
    meta: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How records are read: which fields hold text and id, and how long an article may be."""

    text_field: str = "text"
    id_field: str = "id"
    max_chars: int = DEFAULT_MAX_CHARS
    doc_id: str | None = None  # replaces the doc_id of a single text or HTML input

    @property
    def max_bytes(self) -> int | None:
        """Decompressed bytes an article may take (UTF-32 aside, bytes bound characters), None: no limit."""
        return self.max_chars * 4 if self.max_chars else None


def format_of(path: str, forced: str = "auto") -> str:
    """The input format of a path: forced by --input-format, else by its extension (text by default)."""
    from claimx.formats import reader_by_name

    if forced != "auto":
        return forced
    reader = reader_by_name(path)
    return reader.name if reader is not None else "text"


def article_suffixes(forced_format: str = "auto") -> frozenset[str]:
    """The suffixes a folder walk takes, plain or compressed (`.jsonl`, `.jsonl.gz`, ...): text, HTML,
    JSONL and WARC, and CSV or Parquet when --input-format names them (see claimx.formats)."""
    from claimx.formats import all_suffixes

    return all_suffixes(forced_format)


def is_article_file(relative: str, pattern: str | None, suffixes: frozenset[str] | None = None) -> bool:
    """Whether a file (path relative to its folder) is taken: it matches `pattern`, else a suffix."""
    if pattern is not None:
        return fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(relative).name, pattern)
    suffixes = article_suffixes() if suffixes is None else suffixes
    name = Path(relative).name.lower()
    return any(name.endswith(suffix) for suffix in suffixes)


def walk_folder(folder: str, pattern: str | None = None, suffixes: frozenset[str] | None = None) -> Iterator[str]:
    """Relative POSIX paths of the article files under a folder, recursively, in sorted order.

    Files match `pattern` if given, else end in one of `suffixes` (default: every format's, plain
    or compressed). Hidden files and folders (".name") are skipped; symbolic links are followed,
    but a folder already being walked (a symlink loop) is entered only once.
    """
    seen: set[tuple[int, int]] = set()
    suffixes = article_suffixes() if suffixes is None else suffixes

    def walk(directory: Path, relative: str) -> Iterator[str]:
        try:
            info = directory.stat()
        except OSError:
            return
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return
        seen.add(key)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = f"{relative}/{entry.name}" if relative else entry.name
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if is_dir:
                yield from walk(Path(entry.path), child)
            elif is_article_file(child, pattern, suffixes):
                yield child

    yield from walk(Path(folder), "")


def discover(
    paths: Sequence[str], pattern: str | None = None, forced_format: str = "auto",
    suffixes: frozenset[str] | None = None,
) -> list[InputFile]:
    """Every input file named by `paths`, in the order given, folders expanded (sorted).

    In folders, files match `pattern` if given, else end in one of `suffixes`. A path that does not exist is kept: reading it gives an error record that names it. "-"
    stands for stdin.
    """
    from claimx.formats import input_file

    found: list[InputFile] = []
    for given in paths:
        if given != "-" and os.path.isdir(given):
            base = given.rstrip("/") or "/"
            prefix = base if base.endswith("/") else base + "/"
            taken = suffixes if suffixes is not None else article_suffixes(forced_format)
            found.extend(input_file(prefix + relative, forced_format)
                         for relative in walk_folder(given, pattern, taken))
        else:
            found.append(input_file(given, forced_format))
    return found


def count_articles(item: InputFile) -> int:
    """How many articles a file holds (an estimate for collections, 0 when unreadable); for progress totals."""
    from claimx.formats import reader_for

    if item.path == "-":
        return 1
    return reader_for(item).count(item.path)


def count_lines(path: str) -> int:
    """Number of non-blank lines of a file, decompressed (0 when it cannot be read); for progress totals."""
    from claimx.formats.compression import DecompressionFailed, MissingExtra, decompressing

    count = 0
    try:
        with open_binary(path) as raw:
            stream, _ = decompressing(raw, path)
            for line in stream:
                count += bool(line.strip())
    except (OSError, DecompressionFailed, MissingExtra, InputError):
        return count
    return count


def is_url(path: str) -> bool:
    """An fsspec URL (s3://, gs://, http://), not a local path."""
    return "://" in path and not path.startswith("file://")


def open_binary(path: str) -> BinaryIO:
    """A file or fsspec URL opened for reading bytes; OSError as `open` raises it."""
    if is_url(path):
        import fsspec

        return fsspec.open(path, "rb").open()
    if os.path.isdir(path):
        raise IsADirectoryError(21, "Is a directory", path)
    return open(path, "rb")


def file_size(path: str) -> int | None:
    """A local file's size in bytes (None for URLs); OSError for a missing or unreadable one."""
    if is_url(path):
        return None
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "Is a directory", path)
    return info.st_size


class OutputNames:
    """Names of the articles' files under --out-dir (without suffix), unique within a run."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def unique(self, output: str) -> str:
        candidate, number = output, 1
        while candidate in self.used:
            number += 1
            candidate = f"{output}~{number}"
        self.used.add(candidate)
        return candidate


def safe_relative_path(name: str) -> str:
    """A relative path for `name` that cannot leave the folder it is joined to.

    A leading "/" is dropped, ".." becomes "__", control characters (newlines
    included) become "_", and overlong parts are shortened, so every input maps inside --out-dir.
    """
    parts = []
    for part in re.split(r"[/\\]+", name):
        if part in ("", "."):
            continue
        if part == "..":
            part = "__"
        part = _UNSAFE_NAME.sub("_", part)
        if len(part.encode("utf-8")) > _MAX_COMPONENT:
            digest = hashlib.blake2b(part.encode("utf-8"), digest_size=6).hexdigest()
            part = part.encode("utf-8")[: _MAX_COMPONENT - 13].decode("utf-8", "ignore") + "~" + digest
        parts.append(part)
    return "/".join(parts) or "_"


def iter_sources(
    files: Sequence[InputFile],
    text_field: str = "text",
    id_field: str = "id",
    doc_id: str | None = None,
    stdin: Callable[[], BinaryIO] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[Source | SourceError | SkippedRecord]:
    """The articles of the input files, in order: one per text/HTML file, one per collection record.

    Yields a Source per article, a SourceError for an input (or the rest of one) that cannot be
    read, and a SkippedRecord for a record that is not an article (a WARC request, a 404 page).
    Collections are read lazily; output names are unique within the run. `doc_id` replaces the
    default doc_id (path, or "stdin") of text and HTML inputs: give it for one input.
    """
    from claimx.formats import open_source

    options = ReadOptions(text_field, id_field, max_chars, doc_id)
    names = OutputNames()
    for item in files:
        yield from open_source(item, options, names, stdin)


def load_article(source: Source, text_field: str = "text", id_field: str = "id",
                 max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Read and decode one source into an Article; raises InputError naming what went wrong."""
    from claimx.formats import reader_by_format

    article = reader_by_format(source.format).load(source, ReadOptions(text_field, id_field, max_chars))
    if max_chars and len(article.text) > max_chars:
        raise InputError(source.name, "too_large", f"{len(article.text):,} characters is over the --max-chars "
                         f"limit of {max_chars:,} (raise it, or 0 for no limit)")
    return article


def html_text(html: str, name: str) -> str:
    """The main text of an HTML page (trafilatura), paragraphs separated by blank lines."""
    from claimx.formats.html import main_text

    return main_text(html, name)

