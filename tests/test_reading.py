"""Decoding input bytes: BOMs, UTF-16, legacy encodings, CRLF, binary data."""

from __future__ import annotations

import codecs

import pytest

from claimx.reading import InputError, decode_bytes, looks_binary, read_input

TEXT = "Officials said the café’s “new” menu will likely sell well.\nPrices rose 3%."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM, native order
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-be", "utf16-le", "cp1252"],
)
def test_decodes_every_supported_encoding_to_the_same_text(data: bytes) -> None:
    assert decode_bytes(data).text == TEXT


def test_bom_is_not_part_of_the_text_so_offsets_start_at_the_first_letter() -> None:
    decoded = decode_bytes(codecs.BOM_UTF8 + b"Hello")
    assert decoded.text == "Hello"
    assert decoded.encoding == "utf-8-sig"


def test_crlf_is_kept_so_offsets_match_the_file() -> None:
    assert decode_bytes(b"One.\r\nTwo.").text == "One.\r\nTwo."


def test_latin1_french_is_not_mangled() -> None:
    text = "Le ministre a déclaré que les élèves étaient prêts."
    assert decode_bytes(text.encode("latin-1")).text == text


def test_cyrillic_legacy_encoding_is_detected() -> None:
    text = "Министр заявил, что реформа необходима и ученики готовы к экзаменам."
    assert decode_bytes(text.encode("cp1251")).text == text


@pytest.mark.parametrize("data", [b"\x7fELF\x02\x01\x01\x00\x00\x00", bytes(range(256)) * 4])
def test_binary_data_is_refused_with_a_named_error(data: bytes) -> None:
    assert looks_binary(data)
    with pytest.raises(InputError) as raised:
        decode_bytes(data, "photo.jpg")
    assert raised.value.kind == "binary"
    assert "photo.jpg" in str(raised.value)


def test_plain_text_is_not_binary() -> None:
    assert not looks_binary(TEXT.encode("utf-8"))
    assert not looks_binary(b"")


def test_missing_and_directory_inputs_raise_input_errors(tmp_path) -> None:
    with pytest.raises(InputError) as missing:
        read_input(str(tmp_path / "nope.txt"))
    assert missing.value.kind == "missing"
    with pytest.raises(InputError) as directory:
        read_input(str(tmp_path))
    assert directory.value.kind == "unreadable"
