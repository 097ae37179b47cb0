"""Every input and output format claimx knows: one module per format, found from the tables below.

Inputs: text, html, jsonl, csv, parquet, warc, each possibly compressed (gzip, bzip2, xz, zstd;
see `compression`). Outputs: jsonl, csv, parquet. A format is found by `--input-format`, else by
the file name's suffix (after any compression suffix), else by its first bytes. The CLI, the
batch runner and the Dask engine call `open_source` / `writer_for` and never ask which format
they got. To add a format, write a Reader or Writer (`base`) and add it to a table here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import PurePosixPath
from typing import BinaryIO

from claimx.formats.base import ArticleFileReader, Produced, Reader, Writer, open_and_read
from claimx.formats.compression import COMPRESSED_SUFFIXES, MissingExtra, strip_suffix
from claimx.formats.csv import CsvReader, CsvWriter
from claimx.formats.html import HtmlReader
from claimx.formats.jsonl import JsonlReader, JsonlWriter
from claimx.formats.parquet import ParquetReader, ParquetWriter
from claimx.formats.text import TextReader
from claimx.formats.warc import WarcReader
from claimx.inputs import InputFile, OutputNames, ReadOptions

READERS: dict[str, Reader] = {reader.name: reader for reader in (
    TextReader(), HtmlReader(), JsonlReader(), CsvReader(), ParquetReader(), WarcReader(),
)}
WRITERS: dict[str, type[Writer]] = {writer.name: writer for writer in (JsonlWriter, CsvWriter, ParquetWriter)}
INPUT_FORMATS = ("auto", *READERS)
OUTPUT_FORMATS = tuple(WRITERS)

__all__ = [
    "INPUT_FORMATS", "OUTPUT_FORMATS", "READERS", "WRITERS", "Reader", "Writer", "all_suffixes", "input_file",
    "open_source", "reader_by_format", "reader_by_name", "reader_for", "writer_for", "MissingExtra",
]


def reader_by_name(path: str) -> Reader | None:
    """The reader a file name's suffix names, looking past a compression suffix (`x.jsonl.zst`), or None."""
    suffix = PurePosixPath(strip_suffix(path)).suffix.lower()
    return next((reader for reader in READERS.values() if suffix in reader.suffixes), None)


def reader_by_magic(head: bytes) -> Reader | None:
    """The reader whose data starts like `head` (decompressed), or None."""
    return next((reader for reader in READERS.values() if reader.magic and head.startswith(reader.magic)), None)


def reader_by_format(name: str) -> Reader:
    """The reader called `name` (a Source's format)."""
    return READERS[name]


def reader_for(item: InputFile) -> Reader:
    """The reader an input file was given (by --input-format or its name)."""
    return READERS[item.format]


@lru_cache(maxsize=8)
def all_suffixes(forced: str = "auto") -> frozenset[str]:
    """Every suffix a folder walk takes, alone or followed by a compression suffix: those of the
    readers taken from folders, and of the reader --input-format names."""
    plain = frozenset(suffix for reader in READERS.values() if reader.in_folders or reader.name == forced
                      for suffix in reader.suffixes)
    return plain | frozenset(suffix + compressed for suffix in plain for compressed in COMPRESSED_SUFFIXES)


def input_file(path: str, forced: str = "auto") -> InputFile:
    """An InputFile for a path: its format forced, else named by its suffix, else decided by its first bytes."""
    if forced != "auto":
        return InputFile(path, forced)
    reader = reader_by_name(path) if path != "-" else None
    return InputFile(path, reader.name if reader else "text", guessed=reader is None)


def open_source(item: InputFile, options: ReadOptions, names: OutputNames | None = None,
                stdin: Callable[[], BinaryIO] | None = None) -> Iterator[Produced]:
    """The articles of one input file (path, URL or "-"), in order, as Sources, SourceErrors and SkippedRecords.

    An article file named by its suffix is not opened here (it is read where it is processed);
    collections, stdin and files whose name does not tell are opened, decompressed, and read
    record by record.
    """
    names = names if names is not None else OutputNames()
    reader = reader_for(item)
    if isinstance(reader, ArticleFileReader) and not item.guessed and item.path != "-":
        return reader.sources(item, options, names)
    choose = (lambda head: reader_by_magic(head) or reader) if item.guessed else None
    return open_and_read(reader, item, options, names, stdin, choose)


def writer_for(format: str, stream: BinaryIO) -> Writer:
    """A writer of `format` ("jsonl", "csv", "parquet") on a binary stream; MissingExtra names the install."""
    return WRITERS[format](stream)
