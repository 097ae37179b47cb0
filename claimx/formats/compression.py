"""Compressed inputs: gzip, bzip2, xz and zstd, found by magic bytes (or extension), decompressed as a stream.

One table (`CODECS`) says what exists, as fsspec's compression registry does; `decompressing`
wraps any binary stream so every reader sees plain bytes, and `DecompressionFailed` says a
compressed stream is corrupt or cut short, so the caller can name what was lost.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO


@dataclass(frozen=True, slots=True)
class Codec:
    """One compression format: how to recognise it and how to open a decompressing stream."""

    name: str
    suffixes: tuple[str, ...]
    magic: bytes
    open: Callable[[BinaryIO], BinaryIO]
    extra: str | None = None  # the claimx extra that installs it, if it is not in the standard library


def _open_zstd(stream: BinaryIO) -> BinaryIO:
    import zstandard

    # read_across_frames: a file of several frames (zstd --rsyncable, concatenated parts) is one stream.
    # closefd=False: the caller closes its own stream (and must not lose stdin), as with gzip, bz2, xz.
    return zstandard.ZstdDecompressor().stream_reader(stream, read_across_frames=True, closefd=False)


CODECS: tuple[Codec, ...] = (
    Codec("gzip", (".gz", ".gzip"), b"\x1f\x8b", lambda stream: gzip.GzipFile(fileobj=stream, mode="rb")),
    Codec("bzip2", (".bz2",), b"BZh", lambda stream: bz2.BZ2File(stream, "rb")),
    Codec("xz", (".xz", ".lzma"), b"\xfd7zXZ\x00", lambda stream: lzma.LZMAFile(stream, "rb")),
    Codec("zstd", (".zst", ".zstd"), b"\x28\xb5\x2f\xfd", _open_zstd, extra="zstd"),
)
COMPRESSED_SUFFIXES = frozenset(suffix for codec in CODECS for suffix in codec.suffixes)
MAGIC_BYTES = max(len(codec.magic) for codec in CODECS)
# Decompressed bytes per read: what a corrupt stream can take with it beyond the last whole record.
READ_BYTES = 64 * 1024


class DecompressionFailed(Exception):
    """A compressed stream is corrupt or ends early; `codec` names it, the message says how."""

    def __init__(self, codec: str, detail: str) -> None:
        super().__init__(f"{codec} data is corrupt or truncated ({detail})")
        self.codec = codec
        self.detail = detail


class MissingExtra(ImportError):
    """A codec's library is not installed; the message is the one-line install hint."""


def codec_by_suffix(path: str) -> Codec | None:
    """The codec a file name's last suffix names (`corpus.jsonl.zst` -> zstd), or None."""
    suffix = PurePosixPath(path).suffix.lower()
    return next((codec for codec in CODECS if suffix in codec.suffixes), None)


def strip_suffix(path: str) -> str:
    """The name without its compression suffix (`page.html.gz` -> `page.html`)."""
    return path[: -len(PurePosixPath(path).suffix)] if codec_by_suffix(path) else path


def codec_by_magic(head: bytes) -> Codec | None:
    """The codec whose magic bytes start `head`, or None for plain data."""
    return next((codec for codec in CODECS if head.startswith(codec.magic)), None)


class _Guarded(io.RawIOBase):
    """A decompressing stream whose decoder errors become DecompressionFailed."""

    def __init__(self, inner: BinaryIO, codec: str) -> None:
        self.inner, self.codec = inner, codec

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.inner.read(min(len(buffer), READ_BYTES))
        except EOFError as error:  # gzip, bz2 and xz: the stream ends before its end marker
            raise DecompressionFailed(self.codec, f"ends early: {error}") from None
        except (OSError, zlib.error, lzma.LZMAError) as error:
            raise DecompressionFailed(self.codec, str(error) or type(error).__name__) from None
        except Exception as error:  # zstandard.ZstdError and any other decoder's own error type
            if type(error).__module__.split(".")[0] in ("zstandard", "_zstd"):
                raise DecompressionFailed(self.codec, str(error)) from None
            raise
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            super().close()


def decompressing(stream: BinaryIO, name: str = "") -> tuple[BinaryIO, Codec | None]:
    """`stream` as plain bytes, decompressed when its magic bytes (else its name's suffix) say so.

    Returns the buffered stream and the codec found (None for plain data). Raises MissingExtra when
    the codec's library is not installed, DecompressionFailed when a name promises a codec whose
    magic bytes are not there (a `.gz` that is not gzip).
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)
    head = buffered.peek(MAGIC_BYTES)[:MAGIC_BYTES]
    codec = codec_by_magic(head)
    if codec is None:
        named = codec_by_suffix(name)
        if named is not None and head:
            raise DecompressionFailed(named.name, f"the name ends in {PurePosixPath(name).suffix} "
                                      f"but the data is not {named.name}")
        return buffered, None
    try:
        inner = codec.open(buffered)
    except ImportError:
        raise MissingExtra(f"{codec.name} input needs the {codec.name} library; "
                           f"fix: pip install 'claimx[{codec.extra}]'") from None
    return io.BufferedReader(_Guarded(inner, codec.name), buffer_size=READ_BYTES), codec
