"""Turning input bytes into text: encodings, byte-order marks and binary detection.

All claimx offsets are offsets into the text this module returns (a BOM is not part of it;
CRLF line ends are kept as they are, so offsets match the decoded file exactly).
"""

from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from pathlib import Path

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text files (everything below 0x20 except \t \n \f \r, ESC).
_BINARY_CONTROLS = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}))
_SNIFF_BYTES = 8192


class InputError(Exception):
    """An input that cannot be read as text; `kind` names the failure for error records."""

    def __init__(self, name: str, kind: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.kind = kind
        self.message = message


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Decoded input text and how it was decoded."""

    text: str
    encoding: str


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text in any encoding claimx accepts (sniffs the first 8 KiB)."""
    head = data[:_SNIFF_BYTES]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    return controls / len(head) > 0.01


def decode_bytes(data: bytes, name: str = "<input>") -> DecodedText:
    """Decode UTF-8 (with or without BOM), UTF-16/32 with BOM, or a legacy 8-bit encoding.

    Raises InputError(kind="binary") for data that is not text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise InputError(name, "decode", f"starts with a {encoding} byte-order mark "
                                 f"but is not valid {encoding}: {error.reason}") from None
    if looks_binary(data):
        raise InputError(name, "binary", "looks like a binary file, not text "
                         "(claimx reads plain-text articles)")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return DecodedText(*_decode_legacy(data, name))


def _decode_legacy(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: Windows-1252 for Latin-script text, else a detected codec.

    Detectors guess badly on short Latin-script text (a French sentence comes back as cp1250), and
    English news in a legacy encoding is nearly always Windows-1252; so only text whose letters are
    mostly non-ASCII (Cyrillic, Greek, Hebrew, ...) is handed to charset-normalizer.
    """
    high = sum(1 for byte in data if byte >= 0x80)
    letters = high + sum(1 for byte in data if 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A)
    if letters and high / letters > 0.3:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best), best.encoding
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def input_error_from_os(name: str, error: OSError) -> InputError:
    """The InputError (kind missing or unreadable) for an OSError met reading `name`."""
    if isinstance(error, FileNotFoundError):
        return InputError(name, "missing", "no such file (deleted or never there)")
    if isinstance(error, IsADirectoryError):
        return InputError(name, "unreadable", "is a directory")
    if isinstance(error, PermissionError):
        return InputError(name, "unreadable", "permission denied")
    return InputError(name, "unreadable", error.strerror or str(error))


def read_input(path: str) -> DecodedText:
    """Read and decode a file path, or standard input when `path` is "-"."""
    if path == "-":
        data = sys.stdin.buffer.read()
        return decode_bytes(data, "stdin")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise input_error_from_os(path, error) from None
    return decode_bytes(data, path)
