"""CSV (.csv): one article per row in; one claim per row out, flat columns for spreadsheets.

In, the first row names the columns; `--text-field` names the text column, `--id-field` the id
column, and the other columns pass through as `meta` (as strings). Quoted fields may hold
newlines. Rows are named FILE:N, N counting data rows from 1 (the header is not counted).

Out, the columns follow the claim record (`claimx.formats.columns`): an object field becomes one
column per property (`source_kind`, `subject_text`, ...); a list of objects becomes one column per
property with the items' values joined by " | " in the same order in every column (`cues_text`,
`cues_kind`, ...); `meta` is JSON text; null is an empty cell. Parquet or JSONL keep the exact
structure.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from claimx.formats.base import CollectionReader, Produced, Writer, display_name, record_article, record_source
from claimx.formats.columns import Column, record_columns
from claimx.inputs import Article, InputFile, OutputNames, ReadOptions, Source, SourceError, safe_relative_path
from claimx.reading import InputError

JOINER = " | "
# Room in a row for the other columns of an article as long as --max-chars allows.
ROW_SLACK_CHARS = 1 << 20


class CsvReader(CollectionReader):
    """A header row, then one article per row (UTF-8, with or without BOM; RFC 4180 quoting)."""

    name = "csv"
    suffixes = frozenset({".csv"})
    origin = "csv_field"
    in_folders = False

    def read(self, stream: BinaryIO, item: InputFile, options: ReadOptions, names: OutputNames,
             compressed: bool) -> Iterator[Produced]:
        name = display_name(item)
        folder = safe_relative_path(name)
        limit = options.max_chars + ROW_SLACK_CHARS if options.max_chars else sys.maxsize
        # The csv module's limit is per process; raise it to what --max-chars allows (never lower it).
        csv.field_size_limit(max(csv.field_size_limit(), min(limit, sys.maxsize)))
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
        rows = csv.reader(_limited(text, limit))
        try:
            yield from self._rows(rows, name, folder, options, names)
        finally:
            text.detach()  # the stream belongs to the caller (it may be stdin)

    def _rows(self, rows: Iterator[list[str]], name: str, folder: str, options: ReadOptions,
              names: OutputNames) -> Iterator[Produced]:
        number = 0
        try:
            header = next(rows, None)
            if header is None:
                return
            if options.text_field not in header:
                shown = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
                yield SourceError(name, InputError(name, "malformed", f"has no column '{options.text_field}' "
                                  f"(its columns: {shown}); choose the text column with --text-field"))
                return
            for row in rows:
                number += 1
                label = f"{name}:{number}"
                if not any(row):
                    continue
                if len(row) != len(header):
                    yield SourceError(label, InputError(label, "malformed", f"has {len(row)} fields, the header "
                                      f"{len(header)}; check the quoting of the row before it"))
                    continue
                yield record_source(dict(zip(header, row)), label, f"row-{number}", folder, self.name, options, names)
        except _RowTooLong:
            yield SourceError(name, InputError(name, "too_large", f"the row after row {number:,} is longer than "
                              f"--max-chars {options.max_chars:,} allows; reading stopped there, the rest of "
                              "the file is lost (raise --max-chars, or 0 for no limit)"))
        except csv.Error as error:
            yield SourceError(name, InputError(name, "malformed", f"is not readable CSV ({error}); "
                              "the rest of the file is lost"))

    def load(self, source: Source, options: ReadOptions) -> Article:
        return record_article(source, options, self.origin)


class _RowTooLong(Exception):
    """A line longer than --max-chars allows: the file cannot be read past it."""


def _limited(text: io.TextIOWrapper, limit: int) -> Iterator[str]:
    """Lines of the text, refusing one longer than `limit` characters before it is read whole."""
    while True:
        line = text.readline(limit + 1 if limit < sys.maxsize else -1)
        if not line:
            return
        if len(line) > limit:
            raise _RowTooLong
        yield line


def flat_names(columns: Iterable[Column], prefix: str = "") -> list[str]:
    """The CSV header for these columns: objects and lists of objects spread into one column per property."""
    names = []
    for column in columns:
        name = f"{prefix}{column.name}"
        if column.kind == "object":
            names.extend(flat_names(column.children, name + "_"))
        elif column.kind == "array" and column.item is not None and column.item.kind == "object":
            names.extend(flat_names(column.item.children, name + "_"))
        else:
            names.append(name)
    return names


def _cell(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "json" or isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flat_cells(record: dict[str, Any], columns: Iterable[Column]) -> list[str]:
    """One record's cells, in `flat_names` order."""
    cells: list[str] = []
    for column in columns:
        value = record.get(column.name)
        if column.kind == "object":
            cells.extend(flat_cells(value or {}, column.children) if value is not None
                         else [""] * len(flat_names(column.children)))
        elif column.kind == "array" and column.item is not None and column.item.kind == "object":
            items = value or []
            for child in column.item.children:
                cells.append(JOINER.join(_cell(entry.get(child.name), child) for entry in items))
        elif column.kind == "array":
            cells.append(JOINER.join(_cell(entry, column.item) for entry in value or []))
        else:
            cells.append(_cell(value, column))
    return cells


class CsvWriter(Writer):
    """One claim per row under a header row; UTF-8, RFC 4180 quoting, CRLF row ends (as spreadsheets expect)."""

    name = "csv"
    suffix = ".csv"

    def __init__(self, stream: BinaryIO, header: bool = True) -> None:
        super().__init__(stream)
        self.columns = record_columns()
        self.header = header

    def write(self, lines: Iterable[str]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if self.header:
            writer.writerow(flat_names(self.columns))
            self.header = False
        for line in lines:
            writer.writerow(flat_cells(json.loads(line), self.columns))
        if buffer.tell():
            self.stream.write(buffer.getvalue().encode("utf-8"))

    def close(self) -> None:
        self.write([])  # a run without claims still gets its header
