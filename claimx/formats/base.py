"""The two small interfaces every format implements: a Reader (articles in) and a Writer (claims out).

A reader is either an *article file* reader (one article per file, read where it is processed:
text, HTML) or a *collection* reader (many articles per file, listed record by record in the main
process: JSONL, CSV, Parquet, WARC). A writer stores claim records, given as the JSON lines the
pipeline produced, in its format on a binary stream.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

from claimx import inputs
from claimx.formats.compression import DecompressionFailed, MissingExtra, decompressing
from claimx.inputs import (
    Article, InputFile, OutputNames, ReadOptions, SkippedRecord, Source, SourceError, safe_relative_path,
)
from claimx.reading import InputError, input_error_from_os

Produced = Source | SourceError | SkippedRecord


class Reader:
    """One input format: which names and first bytes it claims, how it lists and loads articles."""

    name: str = ""
    suffixes: frozenset[str] = frozenset()
    magic: bytes | None = None  # how its (decompressed) data starts, for inputs whose name does not say
    extra: str | None = None  # the claimx extra that installs its library, if any
    collection: bool = False  # many articles per file, listed in the main process
    # Taken from folders by its suffix; tables (CSV, Parquet) often hold other data than articles,
    # so a folder gives them only with --input-format or --glob.
    in_folders: bool = True

    def sources(self, item: InputFile, options: ReadOptions, names: OutputNames) -> Iterator[Produced]:
        """The articles of a local file or URL that is not opened here (an article file: one Source)."""
        raise NotImplementedError

    def read(self, stream: BinaryIO, item: InputFile, options: ReadOptions, names: OutputNames,
             compressed: bool) -> Iterator[Produced]:
        """The articles of an opened, decompressed stream (stdin, a collection, a file known by its bytes)."""
        raise NotImplementedError

    def load(self, source: Source, options: ReadOptions) -> Article:
        """One article's text, where it is processed; raises InputError naming what went wrong."""
        raise NotImplementedError

    def count(self, path: str) -> int | None:
        """How many articles the file holds (an estimate; 0 when unreadable, None when unknown), for progress."""
        return 1

    def parts(self, path: str) -> list[Any] | None:
        """Independent pieces of the file for a cluster to read on its workers; None: list articles here."""
        return None

    def read_part(self, path: str, part: Any, options: ReadOptions) -> Iterator[Produced]:
        """The articles of one piece that `parts` named, read on a worker."""
        raise NotImplementedError


def display_name(item: InputFile) -> str:
    return "stdin" if item.path == "-" else item.path


class ArticleFileReader(Reader):
    """One article per file; the file is read (and decompressed) where the article is processed."""

    origin = "input"

    def sources(self, item: InputFile, options: ReadOptions, names: OutputNames) -> Iterator[Produced]:
        yield Source(item.path, options.doc_id or item.path, self.name, item.path, None,
                     names.unique(safe_relative_path(item.path)))

    def read(self, stream: BinaryIO, item: InputFile, options: ReadOptions, names: OutputNames,
             compressed: bool) -> Iterator[Produced]:
        if item.path != "-":  # known by its first bytes; read again where it is processed
            yield from self.sources(item, options, names)
            return
        # stdin: plain bytes are read whole (as ever); decompressed ones stop at the --max-chars bound.
        limit = options.max_bytes if compressed else None
        data = stream.read(limit + 1) if limit else stream.read()
        if limit and len(data) > limit:
            yield SourceError("stdin", bomb_error("stdin", options))
            return
        yield Source("stdin", options.doc_id or "stdin", self.name, None, data, names.unique("stdin"))

    def load(self, source: Source, options: ReadOptions) -> Article:
        from claimx.reading import decode_bytes

        data = source.data if source.data is not None else read_article_bytes(source.path or source.name, options)
        decoded = decode_bytes(data if isinstance(data, bytes) else str(data).encode("utf-8"), source.name)
        return Article(source.doc_id, self.text_of(decoded.text, source.name), self.origin, source.meta)

    def text_of(self, decoded: str, name: str) -> str:
        """The article's text from its decoded file."""
        return decoded


def bomb_error(name: str, options: ReadOptions) -> InputError:
    return InputError(name, "too_large", f"decompresses to more than {options.max_bytes:,} bytes, over the "
                      f"--max-chars limit of {options.max_chars:,} characters; reading stopped there "
                      "(raise --max-chars, or 0 for no limit)")


def read_article_bytes(path: str, options: ReadOptions) -> bytes:
    """A whole article file's bytes, decompressed, read no further than --max-chars allows."""
    limit = options.max_bytes
    try:
        size = inputs.file_size(path)
        with inputs.open_binary(path) as raw:
            stream, codec = decompressing(raw, path)
            if codec is None and limit and size is not None and size > limit:
                # Bytes bound characters from above (UTF-32 aside), so this refuses without reading.
                raise InputError(path, "too_large", f"{size:,} bytes is over the --max-chars limit "
                                 f"of {options.max_chars:,} characters")
            data = stream.read(limit + 1) if limit else stream.read()
    except OSError as error:
        raise input_error_from_os(path, error) from None
    except DecompressionFailed as error:
        raise InputError(path, "corrupt", f"{error}; the article is lost") from None
    except MissingExtra as error:
        raise InputError(path, "unsupported", str(error)) from None
    if limit and len(data) > limit:
        raise bomb_error(path, options)
    return data


class CollectionReader(Reader):
    """Many articles per file, listed record by record in the main process from a decompressed stream."""

    collection = True

    def sources(self, item: InputFile, options: ReadOptions, names: OutputNames) -> Iterator[Produced]:
        return open_and_read(self, item, options, names, None)

    def count(self, path: str) -> int | None:
        return inputs.count_lines(path)

    def parts(self, path: str) -> list[Any] | None:
        """The whole file is one piece, read by one worker."""
        return [None]

    def read_part(self, path: str, part: Any, options: ReadOptions) -> Iterator[Produced]:
        return open_and_read(self, InputFile(path, self.name), options, OutputNames(), None)


def open_and_read(reader: Reader, item: InputFile, options: ReadOptions, names: OutputNames,
                  stdin: Callable[[], BinaryIO] | None, choose: Callable[[bytes], Reader] | None = None,
                  ) -> Iterator[Produced]:
    """Open an input (file, URL or stdin), decompress it, and let the reader list its articles.

    `choose` picks the reader from the first decompressed bytes (for inputs whose name does not
    say). Failures become SourceErrors: a file that cannot be opened, a missing extra, and a
    corrupt or truncated archive, which names the last article read before it.
    """
    name = display_name(item)
    read = 0
    last: str | None = None
    try:
        raw = (stdin() if stdin else io.BytesIO()) if item.path == "-" else inputs.open_binary(item.path)
        with raw if item.path != "-" else _not_closing(raw):
            stream, codec = decompressing(raw, item.path)
            if choose is not None:
                reader = choose(stream.peek(64)[:64])
            for produced in reader.read(stream, item, options, names, codec is not None):
                if isinstance(produced, Source):
                    read += 1
                    last = produced.name
                yield produced
    except OSError as error:
        yield SourceError(name, input_error_from_os(name, error))
    except MissingExtra as error:
        yield SourceError(name, InputError(name, "unsupported", str(error)))
    except DecompressionFailed as error:
        lost = (f"read {read:,} article{'s' if read != 1 else ''}, the last {last}; the rest of the file is lost"
                if read else "no article could be read from it")
        yield SourceError(name, InputError(name, "corrupt", f"{error}; {lost}"))


class _not_closing:
    """Use stdin in a with-block without closing it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def __enter__(self) -> BinaryIO:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        pass


def limited_lines(stream: BinaryIO, limit: int | None) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a stream; None for a line over `limit` bytes, whose rest is skipped unread.

    A decompression bomb of one endless line therefore never sits in memory whole.
    """
    number = 0
    while True:
        line = stream.readline(limit + 1) if limit else stream.readline()
        if not line:
            return
        number += 1
        if limit and len(line) > limit and not line.endswith(b"\n"):
            while chunk := stream.readline(1 << 20):
                if chunk.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def record_article(source: Source, options: ReadOptions, origin: str) -> Article:
    """The article of one record (a JSONL line, a CSV row, a Parquet row): its text field and the rest as meta."""
    import json

    value = source.data
    if not isinstance(value, dict):  # a JSONL line that was not parsed where it was read: say why
        line = value if isinstance(value, str) else (value or b"").decode("utf-8", "replace")
        try:
            value = json.loads(line)
        except ValueError as error:
            raise InputError(source.name, "malformed", f"not a JSON object: {error}") from None
    if not isinstance(value, dict):
        raise InputError(source.name, "malformed", f"a JSONL article must be an object, not {type(value).__name__}")
    text = value.get(options.text_field)
    if not isinstance(text, str):
        found = "missing" if text is None else f"a {type(text).__name__}"
        raise InputError(source.name, "malformed", f"field '{options.text_field}' is {found}, expected the article "
                         f"text (choose the field with --text-field)")
    meta = {key: item for key, item in value.items() if key not in (options.text_field, options.id_field)}
    return Article(source.doc_id, text, origin, meta)


def record_id(value: dict[str, Any], id_field: str) -> str | None:
    """A record's id from its id field (a string or an integer), else None."""
    found = value.get(id_field)
    if isinstance(found, (str, int)) and not isinstance(found, bool):
        return str(found)
    return None


def record_source(value: dict[str, Any] | str, label: str, leaf: str, folder: str, reader: str,
                  options: ReadOptions, names: OutputNames) -> Source:
    """The Source of one record: doc_id from its id field, else its label (FILE:LINE)."""
    article_id = record_id(value, options.id_field) if isinstance(value, dict) else None
    doc_id = article_id if article_id is not None else label
    leaf = safe_relative_path(article_id) if article_id is not None else leaf
    return Source(label, doc_id, reader, None, value, names.unique(f"{folder}/{leaf}"))


# --- writers ---------------------------------------------------------------------------------------


class Writer:
    """One output format: claim records (JSON lines) in, the format's bytes out on a binary stream."""

    name: str = ""
    suffix: str = ""
    extra: str | None = None
    streams: bool = True  # can write to a pipe (stdout); Parquet cannot

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, lines: Iterable[str]) -> None:
        """Store one article's claims, given as their JSON lines."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish the file (a Parquet footer); the stream itself stays open."""
