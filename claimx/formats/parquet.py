"""Parquet (.parquet): one article per row in, read row group by row group; one claim per row out.

In, `--text-field` names the text column, `--id-field` the id column, and the other columns pass
through as `meta`. Rows are named FILE:N, N counting rows from 1. The file is never read whole:
batches of rows come from one row group at a time, and a cluster reads each row group on a worker.

Out, one row per claim with nested columns that mirror the JSON Schema (cues and entities as
lists of structs; `meta` as JSON text), derived from `claimx.formats.columns`; the file metadata
holds the schema version (`claimx.schema`). Needs pyarrow: pip install 'claimx[parquet]'.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, BinaryIO

from claimx.formats.base import CollectionReader, Produced, Writer, display_name, record_article, record_source
from claimx.formats.columns import Column, record_columns
from claimx.formats.compression import MissingExtra
from claimx.inputs import (
    Article, InputFile, OutputNames, ReadOptions, Source, SourceError, open_binary, safe_relative_path,
)
from claimx.reading import InputError, input_error_from_os

INSTALL_HINT = "Parquet needs pyarrow; fix: pip install 'claimx[parquet]'"
MAGIC = b"PAR1"
# Rows handed out at a time: small, so a row group of long articles never sits in memory as Python strings.
BATCH_ROWS = 64
# Claims per row group of an output file.
ROW_GROUP_ROWS = 10_000  # buffered as dicts until written: keeps the writer at tens of MB


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingExtra(INSTALL_HINT) from None
    return pyarrow


class ParquetReader(CollectionReader):
    """Rows of a Parquet file, one row group at a time; needs a file (random access), not a pipe."""

    name = "parquet"
    suffixes = frozenset({".parquet", ".pq"})
    magic = MAGIC
    extra = "parquet"
    origin = "parquet_field"
    in_folders = False

    def read(self, stream: BinaryIO, item: InputFile, options: ReadOptions, names: OutputNames,
             compressed: bool) -> Iterator[Produced]:
        name = display_name(item)
        if compressed or item.path == "-":
            why = "is compressed" if compressed else "comes from standard input"
            yield SourceError(name, InputError(name, "unsupported", f"is Parquet and {why}; Parquet needs random "
                              "access (and compresses its own columns): pass the plain .parquet file"))
            return
        opened = self._open(stream, name, options)
        if isinstance(opened, SourceError):
            yield opened
            return
        folder = safe_relative_path(name)
        first = 1
        for group in range(opened.metadata.num_row_groups):
            yield from self._row_group(opened, group, first, name, folder, options, names)
            first += opened.metadata.row_group(group).num_rows

    def _open(self, stream: BinaryIO, name: str, options: ReadOptions):
        pyarrow = _pyarrow()
        try:
            parquet = pyarrow.parquet.ParquetFile(stream)
        except (pyarrow.ArrowException, OSError, ValueError) as error:
            return SourceError(name, InputError(name, "corrupt", f"is not a readable Parquet file ({error}); "
                                                "no article could be read from it"))
        columns = parquet.schema_arrow.names
        if options.text_field not in columns:
            shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
            return SourceError(name, InputError(name, "malformed", f"has no column '{options.text_field}' "
                               f"(its columns: {shown}); choose the text column with --text-field"))
        return parquet

    def _row_group(self, parquet, group: int, first: int, name: str, folder: str, options: ReadOptions,
                   names: OutputNames) -> Iterator[Produced]:
        """The articles of one row group, whose first row is row `first` of the file (counting from 1)."""
        pyarrow = _pyarrow()
        metadata = parquet.metadata
        rows = metadata.row_group(group).num_rows
        span = f"rows {first:,}-{first + rows - 1:,}" if rows > 1 else f"row {first:,}"
        where = f"{name}: row group {group} ({span})"
        text_size = _text_column_bytes(metadata.row_group(group), options.text_field)
        if options.max_bytes and text_size > options.max_bytes * max(rows, 1):
            # A decompression bomb (or articles past --max-chars): refused from the metadata, unread.
            yield SourceError(where, InputError(where, "too_large", f"its text column decompresses to {text_size:,} "
                              f"bytes, more than {rows:,} articles within --max-chars {options.max_chars:,} take; "
                              "skipped unread (raise --max-chars, or 0 for no limit)"))
            return
        number = first
        try:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group]):
                for row in batch.to_pylist():
                    label = f"{name}:{number}"
                    value = {key: _plain(item) for key, item in row.items()}
                    yield record_source(value, label, f"row-{number}", folder, self.name, options, names)
                    number += 1
        except (pyarrow.ArrowException, OSError) as error:
            yield SourceError(where, InputError(where, "corrupt", f"is unreadable ({error}); rows {number:,}-"
                              f"{first + rows - 1:,} are lost"))

    def load(self, source: Source, options: ReadOptions) -> Article:
        return record_article(source, options, self.origin)

    def count(self, path: str) -> int:
        try:
            pyarrow = _pyarrow()
            with open_binary(path) as handle:
                return pyarrow.parquet.ParquetFile(handle).metadata.num_rows
        except Exception:  # noqa: BLE001 (a count is only for progress; reading reports the failure)
            return 0

    def parts(self, path: str) -> list[Any] | None:
        """Row groups: each one is read by one worker."""
        pyarrow = _pyarrow()
        try:
            with open_binary(path) as handle:
                return list(range(pyarrow.parquet.ParquetFile(handle).metadata.num_row_groups))
        except (pyarrow.ArrowException, OSError, ValueError):
            return [None]  # read on a worker, which reports what is wrong

    def read_part(self, path: str, part: Any, options: ReadOptions) -> Iterator[Produced]:
        names = OutputNames()
        try:
            with open_binary(path) as handle:
                opened = self._open(handle, path, options)
                if isinstance(opened, SourceError):
                    if part in (0, None):  # said once, by the first row group
                        yield opened
                    return
                metadata = opened.metadata
                groups = range(metadata.num_row_groups) if part is None else [part]  # None: the whole file
                for group in groups:
                    first = sum(metadata.row_group(number).num_rows for number in range(group)) + 1
                    yield from self._row_group(opened, group, first, path, safe_relative_path(path), options, names)
        except OSError as error:
            yield SourceError(path, input_error_from_os(path, error))


def _text_column_bytes(row_group, column: str) -> int:
    for number in range(row_group.num_columns):
        chunk = row_group.column(number)
        if chunk.path_in_schema == column:
            return chunk.total_uncompressed_size or 0
    return 0


def _plain(value: Any) -> Any:
    """A Parquet value as JSON can carry it (dates as ISO text, decimals as text, bytes as base64)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return str(value)


# --- output --------------------------------------------------------------------------------------


def _arrow_type(column: Column):
    import pyarrow

    if column.kind == "object":
        return pyarrow.struct([_arrow_field(child) for child in column.children])
    if column.kind == "array":
        return pyarrow.list_(_arrow_field(column.item))
    return {"string": pyarrow.string(), "integer": pyarrow.int64(), "number": pyarrow.float64(),
            "boolean": pyarrow.bool_(), "json": pyarrow.string()}[column.kind]


def _arrow_field(column: Column):
    import pyarrow

    metadata = {"claimx.encoding": "json"} if column.kind == "json" else None
    return pyarrow.field(column.name, _arrow_type(column), nullable=column.nullable, metadata=metadata)


@lru_cache(maxsize=1)
def arrow_schema():
    """The Arrow schema of claim records, from the JSON Schema; the schema version in its metadata."""
    pyarrow = _pyarrow()
    from claimx import __version__
    from claimx.schema import SCHEMA_VERSION

    fields = [_arrow_field(column) for column in record_columns()]
    return pyarrow.schema(fields, metadata={"claimx.schema": SCHEMA_VERSION, "claimx.version": __version__})


def _json_columns() -> tuple[str, ...]:
    return tuple(column.name for column in record_columns() if column.kind == "json")


class ParquetWriter(Writer):
    """One row per claim, row groups of up to ROW_GROUP_ROWS claims, zstd-compressed columns."""

    name = "parquet"
    suffix = ".parquet"
    extra = "parquet"
    streams = False

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__(stream)
        pyarrow = _pyarrow()
        self.schema = arrow_schema()
        self.json_columns = _json_columns()
        self.writer = pyarrow.parquet.ParquetWriter(stream, self.schema, compression="zstd")
        self.pending: list[dict[str, Any]] = []

    def write(self, lines: Iterable[str]) -> None:
        for line in lines:
            record = json.loads(line)
            for name in self.json_columns:
                if record.get(name) is not None:
                    record[name] = json.dumps(record[name], ensure_ascii=False, separators=(",", ":"))
            self.pending.append(record)
        if len(self.pending) >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow

        if self.pending:
            self.writer.write_table(pyarrow.Table.from_pylist(self.pending, schema=self.schema),
                                    row_group_size=ROW_GROUP_ROWS)
            self.pending = []

    def close(self) -> None:
        self._flush()
        self.writer.close()
