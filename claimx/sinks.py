"""Where batch output goes: a stream, one resumable file, or one file per article in a folder.

Every sink writes an article's lines whole, in one call, and knows which articles it already
holds, so an interrupted run can be resumed without losing or repeating any article.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any, Protocol

from claimx.inputs import Source, UsageError
from claimx.output import atomic_text_file, dumps


class Sink(Protocol):
    """Receives each finished article's JSON lines, in input order."""

    def is_done(self, source: Source) -> bool: ...

    def write(self, source: Source, lines: list[str]) -> None: ...

    def close(self, complete: bool) -> None: ...


def _joined(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


class StreamSink:
    """Lines to a text stream (stdout), flushed after each article."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def is_done(self, source: Source) -> bool:
        return False

    def write(self, source: Source, lines: list[str]) -> None:
        if lines:
            self.stream.write(_joined(lines))
            self.stream.flush()

    def close(self, complete: bool) -> None:
        self.stream.flush()


class FileSink:
    """One JSONL file that appears only when the run is complete.

    While running, lines go to `FILE.partial` and each finished article is recorded in
    `FILE.partial.done` with the partial file's size after it. An interrupted run leaves both;
    `resume=True` cuts the partial file back to the last recorded article (dropping anything
    written after it, e.g. by a killed process) and skips the recorded articles.
    """

    def __init__(self, path: str | Path, settings: dict[str, Any], resume: bool = False) -> None:
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
            os.replace(self.partial, self.path)
            self.journal_path.unlink(missing_ok=True)
        else:
            self.handle.close()


class DirectorySink:
    """One JSONL file per article under a folder, mirroring the input paths, each written atomically.

    An article's file exists only once all its claims are in it (an empty file: no claims), so
    `resume=True` skips the articles whose file exists.
    """

    def __init__(self, folder: str | Path, resume: bool = False) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.root = os.path.realpath(self.folder)
        self.resume = resume

    def target(self, source: Source) -> Path:
        """The article's output file; refuses any path that would end up outside the folder."""
        target = self.folder / source.output
        target.parent.mkdir(parents=True, exist_ok=True)
        parent = os.path.realpath(target.parent)
        if os.path.commonpath([self.root, parent]) != self.root:
            raise PermissionError(0, f"output path {target} would leave {self.folder}")
        return target

    def is_done(self, source: Source) -> bool:
        return self.resume and (self.folder / source.output).is_file()

    def write(self, source: Source, lines: list[str]) -> None:
        with atomic_text_file(self.target(source)) as handle:
            handle.write(_joined(lines))

    def close(self, complete: bool) -> None:
        pass
