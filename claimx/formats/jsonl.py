"""JSONL (.jsonl, .ndjson): one article per line, in and out.

In, an article is a JSON object whose `--text-field` holds its text; its `--id-field` is the
doc_id and the other fields pass through as `meta`. Out, one claim record per line, exactly as
`claimx extract` prints them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from claimx.formats.base import (
    CollectionReader, Produced, Writer, display_name, limited_lines, record_article, record_source,
)
from claimx.inputs import JSONL_SUFFIXES, Article, InputFile, OutputNames, ReadOptions, Source, SourceError
from claimx.inputs import safe_relative_path
from claimx.reading import InputError

# Room on a line for the other fields of an article as long as --max-chars allows.
LINE_SLACK_BYTES = 1 << 20


class JsonlReader(CollectionReader):
    """One JSON object per line; lines are parsed here (the id names the output), loaded on the worker."""

    name = "jsonl"
    suffixes = JSONL_SUFFIXES
    origin = "jsonl_field"

    def read(self, stream: BinaryIO, item: InputFile, options: ReadOptions, names: OutputNames,
             compressed: bool) -> Iterator[Produced]:
        name = display_name(item)
        folder = safe_relative_path(name)
        limit = options.max_bytes + LINE_SLACK_BYTES if options.max_bytes else None
        for number, raw in limited_lines(stream, limit):
            label = f"{name}:{number}"
            if raw is None:
                yield SourceError(label, InputError(label, "too_large", f"the line is over {limit:,} bytes, "
                                  f"more than an article within --max-chars {options.max_chars:,} takes; "
                                  "skipped unread"))
                continue
            if not raw.strip():
                continue
            line = raw.decode("utf-8", errors="replace")
            # Parsed once, here; the parsed object travels to the worker. A line that is not an
            # object travels as text, and the worker reports what is wrong with it.
            try:
                value = json.loads(line)
            except ValueError:
                value = None
            data = value if isinstance(value, dict) else line
            yield record_source(data, label, f"line-{number}", folder, self.name, options, names)

    def load(self, source: Source, options: ReadOptions) -> Article:
        return record_article(source, options, self.origin)

    def parts(self, path: str) -> None:
        """Lines are listed where the run starts (a cluster gets them in partitions of --partition-size)."""
        return None


class JsonlWriter(Writer):
    """Claim records as JSON lines, byte for byte what stdout gets."""

    name = "jsonl"
    suffix = ".jsonl"

    def write(self, lines: Iterable[str]) -> None:
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        if data:
            self.stream.write(data)
