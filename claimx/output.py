"""Writing JSON lines: one fixed serialisation, and files that appear whole or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import jsonlines


def dumps(obj: Any) -> str:
    """The one JSON serialisation claimx writes: UTF-8 unescaped, compact, keys in given order."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def line_writer(stream: IO[str]) -> jsonlines.Writer:
    """A jsonlines writer on a text stream that flushes after every line."""
    return jsonlines.Writer(stream, dumps=dumps, flush=True)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once at import: os.umask can only be read by setting it, which is not thread-safe.
_UMASK = _read_umask()


@contextlib.contextmanager
def atomic_text_file(path: str | Path) -> Iterator[IO[str]]:
    """Open a temporary file next to `path`; on success it replaces `path`, on error it vanishes."""
    with _atomic_file(path, binary=False) as handle:
        yield handle


@contextlib.contextmanager
def atomic_binary_file(path: str | Path) -> Iterator[IO[bytes]]:
    """As `atomic_text_file`, for bytes (Parquet, CSV written by a format's writer)."""
    with _atomic_file(path, binary=True) as handle:
        yield handle


@contextlib.contextmanager
def _atomic_file(path: str | Path, binary: bool) -> Iterator[IO]:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text_options = {} if binary else {"encoding": "utf-8", "newline": "\n"}
    handle = tempfile.NamedTemporaryFile(
        "wb" if binary else "w", **text_options, dir=target.parent,
        prefix=f".{target.name}.", suffix=".tmp", delete=False,
    )
    try:
        with handle:
            # Temporary files are created 0600; the result gets the usual permissions (umask).
            os.fchmod(handle.fileno(), 0o666 & ~_UMASK)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise
