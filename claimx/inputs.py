"""Finding articles and turning each into text: files, folders, stdin, JSONL collections, HTML pages.

Discovery (`discover`, `iter_sources`) runs in the main process and only lists paths or reads
JSONL lines; reading and decoding (`load_article`) runs where the article is processed, so a
batch never holds the corpus in memory.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from claimx.reading import InputError, decode_bytes, input_error_from_os

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
INPUT_FORMATS = ("auto", "text", "html", "jsonl")
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
    format: str  # "text", "html" or "jsonl"


@dataclass(frozen=True, slots=True)
class Source:
    """One article to process: a file, stdin, or one line of a JSONL file.

    `name` is how errors and progress refer to it (a path, "stdin" or "FILE:LINE"); `doc_id` is
    the record's doc_id; `output` is its file under --out-dir, relative to it.
    """

    name: str
    doc_id: str
    format: str  # "text", "html" or "jsonl_line"
    path: str | None = None
    data: bytes | str | dict[str, Any] | None = None  # stdin's bytes, or a JSONL line (parsed when an object)
    output: str = ""


@dataclass(slots=True)
class Article:
    """An article's text, ready for the pipeline."""

    doc_id: str
    text: str
    text_origin: str
    meta: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


def format_of(path: str, forced: str = "auto") -> str:
    """The input format of a path: forced by --input-format, else by its extension (text by default)."""
    if forced != "auto":
        return forced
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def is_article_file(relative: str, pattern: str | None, suffixes: frozenset[str] = ARTICLE_SUFFIXES) -> bool:
    """Whether a file (path relative to its folder) is taken: it matches `pattern`, else a suffix."""
    if pattern is None:
        return Path(relative).suffix.lower() in suffixes
    return fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(relative).name, pattern)


def walk_folder(folder: str, pattern: str | None = None, suffixes: frozenset[str] = ARTICLE_SUFFIXES) -> Iterator[str]:
    """Relative POSIX paths of the article files under a folder, recursively, in sorted order.

    Files match `pattern` if given, else end in one of `suffixes`. Hidden files and folders (".name") are skipped; symbolic links are followed, but a folder
    already being walked (a symlink loop) is entered only once.
    """
    seen: set[tuple[int, int]] = set()

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
    suffixes: frozenset[str] = ARTICLE_SUFFIXES,
) -> list[InputFile]:
    """Every input file named by `paths`, in the order given, folders expanded (sorted).

    In folders, files match `pattern` if given, else end in one of `suffixes`. A path that does not exist is kept: reading it gives an error record that names it. "-"
    stands for stdin.
    """
    found: list[InputFile] = []
    for given in paths:
        if given != "-" and os.path.isdir(given):
            base = given.rstrip("/") or "/"
            prefix = base if base.endswith("/") else base + "/"
            found.extend(
                InputFile(prefix + relative, format_of(relative, forced_format))
                for relative in walk_folder(given, pattern, suffixes)
            )
        else:
            found.append(InputFile(given, format_of(given, forced_format)))
    return found


def count_lines(path: str) -> int:
    """Number of non-blank lines of a file (0 when it cannot be read); for progress totals."""
    count = 0
    try:
        with open(path, "rb") as handle:
            for line in handle:
                count += bool(line.strip())
    except OSError:
        return 0
    return count


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
) -> Iterator[Source | tuple[str, InputError]]:
    """The articles of the input files, in order: one per text/HTML file, one per JSONL line.

    Yields a Source per article, or (name, InputError) for a JSONL file that cannot be opened.
    JSONL lines are read lazily; their output names are unique within the run. `doc_id`
    replaces the default doc_id (path, or "stdin") of text and HTML inputs: give it for one input.
    """
    used_outputs: set[str] = set()

    def unique(output: str) -> str:
        candidate, number = output, 1
        while candidate in used_outputs:
            number += 1
            candidate = f"{output[: -len('.jsonl')]}~{number}.jsonl"
        used_outputs.add(candidate)
        return candidate

    for item in files:
        if item.path == "-":
            stream = stdin() if stdin else io.BytesIO()
            if item.format == "jsonl":  # line by line: a JSONL corpus piped in is never held whole
                yield from _jsonl_sources(stream, "stdin", text_field, id_field, unique)
                continue
            data = stream.read()
            yield Source("stdin", doc_id or "stdin", item.format, None, data, unique("stdin.jsonl"))
            continue
        if item.format == "jsonl":
            try:
                handle = open(item.path, "rb")
            except OSError as error:
                yield item.path, input_error_from_os(item.path, error)
                continue
            with handle:
                yield from _jsonl_sources(handle, item.path, text_field, id_field, unique)
            continue
        yield Source(item.path, doc_id or item.path, item.format, item.path, None,
                     unique(safe_relative_path(item.path) + ".jsonl"))


def _jsonl_sources(lines, name: str, text_field: str, id_field: str, unique) -> Iterator[Source]:
    folder = safe_relative_path(name)
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        line = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        label = f"{name}:{number}"
        # Parsed once, here (the id names the output); the parsed object travels to the worker.
        # A line that is not an object travels as text, and the worker reports what is wrong.
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        data = value if isinstance(value, dict) else line
        article_id = _article_id(data, id_field) if isinstance(data, dict) else None
        doc_id = article_id if article_id is not None else label
        leaf = safe_relative_path(article_id) if article_id is not None else f"line-{number}"
        yield Source(label, doc_id, "jsonl_line", None, data, unique(f"{folder}/{leaf}.jsonl"))


def _article_id(value: dict[str, Any], id_field: str) -> str | None:
    found = value.get(id_field)
    if isinstance(found, (str, int)) and not isinstance(found, bool):
        return str(found)
    return None


def _read_file(path: str, max_chars: int) -> bytes:
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        # Bytes bound characters from above (UTF-32 aside), so this refuses without reading.
        if max_chars and info.st_size > max_chars * 4:
            raise InputError(path, "too_large", f"{info.st_size:,} bytes is over the --max-chars limit "
                             f"of {max_chars:,} characters")
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise input_error_from_os(path, error) from None


def load_article(source: Source, text_field: str = "text", id_field: str = "id",
                 max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Read and decode one source into an Article; raises InputError naming what went wrong."""
    if source.format == "jsonl_line":
        article = _jsonl_article(source, text_field, id_field)
    else:
        data = source.data if source.data is not None else _read_file(source.path or source.name, max_chars)
        decoded = decode_bytes(data if isinstance(data, bytes) else data.encode("utf-8"), source.name)
        if source.format == "html":
            article = Article(source.doc_id, html_text(decoded.text, source.name), "html_extracted")
        else:
            article = Article(source.doc_id, decoded.text, "input")
    if max_chars and len(article.text) > max_chars:
        raise InputError(source.name, "too_large", f"{len(article.text):,} characters is over the --max-chars "
                         f"limit of {max_chars:,} (raise it, or 0 for no limit)")
    return article


def _jsonl_article(source: Source, text_field: str, id_field: str) -> Article:
    value = source.data
    if not isinstance(value, dict):  # not parsed by iter_sources: say why
        line = value if isinstance(value, str) else (value or b"").decode("utf-8", "replace")
        try:
            value = json.loads(line)
        except ValueError as error:
            raise InputError(source.name, "malformed", f"not a JSON object: {error}") from None
    if not isinstance(value, dict):
        raise InputError(source.name, "malformed", f"a JSONL article must be an object, not {type(value).__name__}")
    text = value.get(text_field)
    if not isinstance(text, str):
        found = "missing" if text is None else f"a {type(text).__name__}"
        raise InputError(source.name, "malformed", f"field '{text_field}' is {found}, expected the article "
                         f"text (choose the field with --text-field)")
    meta = {key: item for key, item in value.items() if key not in (text_field, id_field)}
    return Article(source.doc_id, text, "jsonl_field", meta)


def html_text(html: str, name: str) -> str:
    """The main text of an HTML page (trafilatura), paragraphs separated by blank lines."""
    try:
        import trafilatura
    except ImportError:
        raise InputError(name, "unsupported", HTML_INSTALL_HINT) from None
    extracted = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not extracted:
        return ""
    return "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip()) + "\n"
