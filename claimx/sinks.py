"""Where batch output goes: a stream, one resumable file, or one file per article in a folder.

Every sink writes an article's lines whole, in one call, and knows which articles it already
holds, so an interrupted run can be resumed without losing or repeating any article. What the
bytes look like (JSONL, CSV, Parquet) is a format's writer's business (`claimx.formats.writer_for`).
"""

from __future__ import annotations

import io
import json
import os
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

from claimx.inputs import Source, UsageError
from claimx.output import atomic_binary_file, atomic_text_file, dumps

# Lines handed to a writer at a time when a finished -o file is converted from its JSONL partial.
_CONVERT_LINES = 10_000


class Sink(Protocol):
    """Receives each finished article's JSON lines, in input order."""

    def is_done(self, source: Source) -> bool: ...

    def write(self, source: Source, lines: list[str]) -> None: ...

    def close(self, complete: bool) -> None: ...


def _joined(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


class _TextAsBinary(io.RawIOBase):
    """A text stream (stdout, StringIO) seen as the binary stream a writer writes to."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.stream.write(bytes(data).decode("utf-8"))
        return len(data)


class StreamSink:
    """Records to a text stream (stdout), flushed after each article: JSONL (default) or CSV."""

    def __init__(self, stream: IO[str], format: str = "jsonl") -> None:
        self.stream = stream
        self.writer = None
        if format != "jsonl":
            from claimx.formats import WRITERS, writer_for

            if not WRITERS[format].streams:
                raise UsageError(f"{format} output cannot go to a stream; write a file with -o FILE or --out-dir DIR")
            self.writer = writer_for(format, _TextAsBinary(stream))

    def is_done(self, source: Source) -> bool:
        return False

    def write(self, source: Source, lines: list[str]) -> None:
        if self.writer is not None:
            self.writer.write(lines)
            self.stream.flush()
        elif lines:
            self.stream.write(_joined(lines))
            self.stream.flush()

    def close(self, complete: bool) -> None:
        if self.writer is not None:
            self.writer.close()
        self.stream.flush()


class FileSink:
    """One output file (JSONL, CSV or Parquet) that appears only when the run is complete.

    While running, JSON lines go to `FILE.partial` and each finished article is recorded in
    `FILE.partial.done` with the partial file's size after it. An interrupted run leaves both;
    `resume=True` cuts the partial file back to the last recorded article (dropping anything
    written after it, e.g. by a killed process) and skips the recorded articles. When the run is
    complete the partial file becomes FILE (JSONL), or is written into FILE by the format's writer.
    """

    def __init__(self, path: str | Path, settings: dict[str, Any], resume: bool = False,
                 format: str = "jsonl") -> None:
        self.format = format
        if format != "jsonl":
            from claimx.formats import WRITERS

            WRITERS[format]  # an unknown format fails here, before any work
            _check_writer(format)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.journal_path = self.path.with_name(self.path.name + ".partial.done")
        self.done: set[str] = set()
        self.resumed = False
        self.discarded = False
        size = 0
        if resume and self.journal_path.exists() and self.partial.exists():
            size = self._read_journal(settings)
            self.resumed = True
        else:
            self.discarded = self.partial.exists() or self.journal_path.exists()
            for stale in (self.partial, self.journal_path):
                stale.unlink(missing_ok=True)
        self.handle = open(self.partial, "r+b" if self.resumed else "wb")
        self.handle.truncate(size)
        self.handle.seek(size)
        self.size = size
        self.journal = open(self.journal_path, "a", encoding="utf-8")
        if not self.resumed:
            self.journal.write(dumps({"claimx_partial": 1, "settings": settings}) + "\n")
            self.journal.flush()

    def _read_journal(self, settings: dict[str, Any]) -> int:
        size = 0
        with open(self.journal_path, encoding="utf-8") as journal:
            lines = journal.read().split("\n")
        complete = lines[:-1]  # the last piece is empty, or a line cut short by a crash
        try:
            header = json.loads(complete[0])
            entries = [json.loads(line) for line in complete[1:]]
        except (IndexError, ValueError):
            raise UsageError(f"{self.journal_path} is damaged; run again without --resume to start over") from None
        if header.get("settings") != settings:
            raise UsageError(f"{self.partial} was started with other inputs or settings ({header.get('settings')}); "
                             "resume with the same paths and options, or run without --resume")
        for entry in entries:
            self.done.add(entry["done"])
            size = entry["size"]
        if self.partial.stat().st_size < size:
            raise UsageError(f"{self.partial} is shorter than its journal says; run again without --resume")
        # Rewrite the journal without a torn last line (atomically: it is the run's only record).
        with atomic_text_file(self.journal_path) as journal:
            journal.write("".join(line + "\n" for line in complete))
        return size

    def is_done(self, source: Source) -> bool:
        return source.output in self.done

    def write(self, source: Source, lines: list[str]) -> None:
        data = _joined(lines).encode("utf-8")
        if data:
            self.handle.write(data)
            self.handle.flush()
            self.size += len(data)
        # Recorded only after the lines are in the file: a crash in between repeats nothing.
        self.journal.write(dumps({"done": source.output, "size": self.size}) + "\n")
        self.journal.flush()

    def close(self, complete: bool) -> None:
        self.journal.close()
        if complete:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            if self.format == "jsonl":
                os.replace(self.partial, self.path)
            else:
                self._convert()
                self.partial.unlink()
            self.journal_path.unlink(missing_ok=True)
        else:
            self.handle.close()

    def _convert(self) -> None:
        """Write the finished partial JSONL into FILE with the format's writer, a chunk of lines at a time."""
        from claimx.formats import writer_for

        with open(self.partial, encoding="utf-8") as lines, atomic_binary_file(self.path) as handle:
            writer = writer_for(self.format, handle)
            while chunk := [line.rstrip("\n") for line in islice(lines, _CONVERT_LINES)]:
                writer.write(chunk)
            writer.close()


def _check_writer(format: str) -> None:
    """Fail now, with the install hint, when the format's library is missing (not after the run)."""
    from claimx.formats import writer_for

    writer_for(format, io.BytesIO()).close()


class DirectorySink:
    """One file per article (JSONL, CSV or Parquet) under a folder, mirroring the input paths, each written atomically.

    An article's file exists only once all its claims are in it (an empty file: no claims), so
    `resume=True` skips the articles whose file exists.
    """

    def __init__(self, folder: str | Path, resume: bool = False, format: str = "jsonl") -> None:
        from claimx.formats import WRITERS

        self.format = format
        self.suffix = WRITERS[format].suffix
        if format != "jsonl":
            _check_writer(format)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.root = os.path.realpath(self.folder)
        self.resume = resume

    def target(self, source: Source) -> Path:
        """The article's output file; refuses any path that would end up outside the folder."""
        target = self.folder / (source.output + self.suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        parent = os.path.realpath(target.parent)
        if os.path.commonpath([self.root, parent]) != self.root:
            raise PermissionError(0, f"output path {target} would leave {self.folder}")
        return target

    def is_done(self, source: Source) -> bool:
        return self.resume and (self.folder / (source.output + self.suffix)).is_file()

    def write(self, source: Source, lines: list[str]) -> None:
        if self.format == "jsonl":
            with atomic_text_file(self.target(source)) as handle:
                handle.write(_joined(lines))
            return
        from claimx.formats import writer_for

        with atomic_binary_file(self.target(source)) as handle:
            writer = writer_for(self.format, handle)
            writer.write(lines)
            writer.close()

    def close(self, complete: bool) -> None:
        pass
