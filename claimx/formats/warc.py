"""WARC web archives (.warc, .warc.gz): every HTML response with status 200 is an article.

Records are read by warcio; the page's main text comes from the HTML path (trafilatura), so
offsets index what `claimx text` prints for the page. `doc_id` is the WARC-Target-URI (with the
record id after a space when the URI came before in the file, or is missing); `meta` carries
`url`, `warc_record_id` and `warc_date`. Other records (requests, metadata, redirects, 404s, PDFs)
are skipped and counted in the run's summary. Needs warcio: pip install 'claimx[warc]'.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from claimx.formats.base import CollectionReader, Produced, display_name
from claimx.formats.compression import MissingExtra
from claimx.formats.html import HtmlReader
from claimx.inputs import InputFile, OutputNames, ReadOptions, SkippedRecord, Source, SourceError, safe_relative_path
from claimx.reading import InputError

INSTALL_HINT = "WARC input needs warcio; fix: pip install 'claimx[warc]'"


class WarcReader(CollectionReader):
    """HTML responses of a WARC file, in file order; each is loaded as an HTML page."""

    name = "warc"
    suffixes = frozenset({".warc", ".arc"})
    magic = b"WARC/"
    extra = "warc"

    def read(self, stream: BinaryIO, item: InputFile, options: ReadOptions, names: OutputNames,
             compressed: bool) -> Iterator[Produced]:
        try:
            from warcio.archiveiterator import ArchiveIterator
            from warcio.exceptions import ArchiveLoadFailed
        except ImportError:
            raise MissingExtra(INSTALL_HINT) from None
        name = display_name(item)
        folder = safe_relative_path(name)
        seen: set[str] = set()
        number = 0
        try:
            for record in ArchiveIterator(stream, check_digests=False):
                number += 1
                yield self._article(record, name, number, folder, seen, options, names)
        except ArchiveLoadFailed as error:
            lost = f"after record {number:,}" if number else "from the start"
            yield SourceError(name, InputError(name, "corrupt", f"is not a readable WARC {lost} ({error}); "
                              "the rest of the file is lost"))

    def _article(self, record, name: str, number: int, folder: str, seen: set[str], options: ReadOptions,
                 names: OutputNames) -> Produced:
        headers = record.rec_headers
        uri = headers.get_header("WARC-Target-URI") or ""
        record_id = headers.get_header("WARC-Record-ID") or f"record-{number}"
        label = f"{name}:{uri or record_id}"
        if record.rec_type != "response":
            return SkippedRecord(label, "not a response")
        status = record.http_headers.get_statuscode() if record.http_headers else None
        if status != "200":
            return SkippedRecord(label, "status not 200")
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if "html" not in content_type:
            return SkippedRecord(label, "not HTML")
        limit = options.max_bytes
        payload = record.content_stream().read(limit + 1) if limit else record.content_stream().read()
        if limit and len(payload) > limit:
            return SourceError(label, InputError(label, "too_large", f"the page is over {limit:,} bytes, more than "
                               f"--max-chars {options.max_chars:,} allows; skipped (raise --max-chars, or 0)"))
        doc_id = uri if uri and uri not in seen else f"{uri} {record_id}".strip()
        seen.add(uri)
        meta = {"url": uri or None, "warc_record_id": record_id, "warc_date": headers.get_header("WARC-Date")}
        return Source(label, doc_id, HtmlReader.name, None, payload, names.unique(f"{folder}/{safe_relative_path(doc_id)}"),
                      meta)

    def count(self, path: str) -> int | None:
        return None  # unknown without reading the archive; progress shows articles done
