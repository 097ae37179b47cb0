"""Corpora as researchers get them: compressed files, WARC crawls, CSV and Parquet tables in; Parquet and
CSV out, read back with the libraries the analysis happens in (pyarrow, pandas, polars, DuckDB)."""

from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import io
import json
import lzma
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

import claimx.batch
import claimx.sinks
from claimx.cli import app
from claimx.schema import json_schema

runner = CliRunner()
ARTICLE = "Officials said the bridge will likely reopen in May. The repairs cost $4 million.\n"
OTHER = "The council may raise fares next year, according to a draft budget.\n"
THIRD = "Police have not confirmed that the fire was set deliberately.\n"
PAGE = ("<html><head><title>Bridge</title></head><body><article><h1>Bridge repairs</h1>"
        "<p>Officials said the bridge will likely reopen in May, according to the engineers on site.</p>"
        "<p>The repairs may cost $4 million, the mayor said on Tuesday.</p></article></body></html>")


def extract(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, ["extract", "--workers", "1", *args], input=input)


def records_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def without_doc_id(records: list[dict]) -> list[dict]:
    """The records without what names the input (doc_id, and claim_id, which is derived from it)."""
    return [{key: value for key, value in record.items() if key not in ("doc_id", "claim_id")} for record in records]


def zstd(data: bytes) -> bytes:
    zstandard = pytest.importorskip("zstandard")
    return zstandard.ZstdCompressor().compress(data)


COMPRESSORS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress, "zst": zstd}


def error_records(path: Path) -> list[dict]:
    return records_of(path.read_text(encoding="utf-8"))


# --- compressed inputs -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
def test_compressed_articles_and_collections_give_the_claims_of_the_plain_files(tmp_path: Path, suffix: str) -> None:
    compress = COMPRESSORS[suffix]
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    lines = "".join(json.dumps({"id": f"n{number}", "text": text}) + "\n" for number, text in enumerate([OTHER, THIRD]))
    for name, data in (("a.txt", ARTICLE.encode()), ("page.html", PAGE.encode()), ("corpus.jsonl", lines.encode())):
        (plain / name).write_bytes(data)
        (packed / f"{name}.{suffix}").write_bytes(compress(data))
    expected = extract(str(plain))
    result = extract(str(packed))  # a folder walk takes .txt.gz, .html.gz, .jsonl.gz, ...
    assert expected.exit_code == 0 and result.exit_code == 0, result.stderr
    got, want = records_of(result.stdout), records_of(expected.stdout)
    assert len(got) == len(want) > 3
    assert without_doc_id(got) == without_doc_id(want)
    assert {r["doc_id"] for r in got} == {f"{packed}/a.txt.{suffix}", f"{packed}/page.html.{suffix}", "n0", "n1"}


def test_compression_is_found_by_its_magic_bytes_on_stdin_and_in_unnamed_files(tmp_path: Path) -> None:
    expected = records_of(extract("-", input=ARTICLE).stdout)
    piped = extract("-", input=gzip.compress(ARTICLE.encode()))
    assert piped.exit_code == 0, piped.stderr
    assert records_of(piped.stdout) == expected
    unnamed = tmp_path / "article-0001"  # no suffix at all: the first bytes decide
    unnamed.write_bytes(bz2.compress(ARTICLE.encode()))
    result = extract(str(unnamed))
    assert without_doc_id(records_of(result.stdout)) == without_doc_id(expected)
    collection = gzip.compress((json.dumps({"id": "x", "text": OTHER}) + "\n").encode())
    result = extract("-", "--input-format", "jsonl", input=collection)
    assert [r["doc_id"] for r in records_of(result.stdout)] == ["x"]


def test_claimx_text_prints_the_text_of_a_compressed_page(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    plain = runner.invoke(app, ["text", str(tmp_path / "page.html")])
    packed = runner.invoke(app, ["text", str(tmp_path / "page.html.gz")])
    assert packed.exit_code == 0 and packed.stdout == plain.stdout and "likely reopen" in packed.stdout


def test_corrupt_and_truncated_archives_are_error_records_that_say_what_was_lost(tmp_path: Path) -> None:
    noise = random.Random(3)
    lines = "".join(json.dumps({"id": f"n{number}", "text": OTHER, "padding": noise.randbytes(6000).hex()}) + "\n"
                    for number in range(60))  # incompressible, so half the file holds about half the lines
    packed = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])  # a download cut short
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(ARTICLE.encode())[:30])
    (tmp_path / "fake.txt.gz").write_bytes(ARTICLE.encode())  # named gzip, is not
    (tmp_path / "good.txt").write_text(THIRD)
    errors = tmp_path / "errors.jsonl"
    result = extract(str(tmp_path), "--errors", str(errors))
    assert result.exit_code == 1
    failed = {record["input"]: record for record in error_records(errors)}
    assert set(failed) == {f"{tmp_path}/cut.jsonl.gz", f"{tmp_path}/cut.txt.gz", f"{tmp_path}/fake.txt.gz"}
    assert all(record["kind"] == "corrupt" for record in failed.values())
    cut = failed[f"{tmp_path}/cut.jsonl.gz"]["message"]
    read = {r["doc_id"] for r in records_of(result.stdout)} - {f"{tmp_path}/good.txt"}
    assert 0 < len(read) < 60  # what came before the cut is kept
    assert f"the last {tmp_path}/cut.jsonl.gz:{len(read)}" in cut and "the rest of the file is lost" in cut
    assert "the article is lost" in failed[f"{tmp_path}/cut.txt.gz"]["message"]
    assert "not gzip" in failed[f"{tmp_path}/fake.txt.gz"]["message"]


def test_a_decompression_bomb_is_an_error_record_and_reading_stops_at_max_chars(tmp_path: Path) -> None:
    bomb = gzip.compress(b"a" * 20_000_000)  # 20 MB from ~20 KB
    (tmp_path / "bomb.txt.gz").write_bytes(bomb)
    lines = (json.dumps({"id": "small", "text": OTHER}) + "\n").encode() + b'{"id": "big", "text": "' + b"a" * 20_000_000 \
        + b'"}\n' + (json.dumps({"id": "after", "text": THIRD}) + "\n").encode()
    (tmp_path / "lines.jsonl.gz").write_bytes(gzip.compress(lines))
    errors = tmp_path / "errors.jsonl"
    result = extract(str(tmp_path), "--max-chars", "10000", "--errors", str(errors))
    assert result.exit_code == 1
    failed = {record["input"]: record for record in error_records(errors)}
    assert failed[f"{tmp_path}/bomb.txt.gz"]["kind"] == "too_large"
    assert "decompresses to more than 40,000 bytes" in failed[f"{tmp_path}/bomb.txt.gz"]["message"]
    assert failed[f"{tmp_path}/lines.jsonl.gz:2"]["kind"] == "too_large"
    assert {r["doc_id"] for r in records_of(result.stdout)} == {"small", "after"}  # the lines around it go on


# --- CSV -----------------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def test_csv_rows_are_articles_with_quoted_newlines_ids_and_meta(tmp_path: Path) -> None:
    two_paragraphs = "Bridge repairs\n\n" + ARTICLE
    write_csv(tmp_path / "export.csv", [{"story": two_paragraphs, "stories_id": "101", "outlet": "Daily"},
                                        {"story": OTHER, "stories_id": "102", "outlet": "Herald"}],
              ["stories_id", "outlet", "story"])
    result = extract(str(tmp_path / "export.csv"), "--text-field", "story", "--id-field", "stories_id")
    assert result.exit_code == 0, result.stderr
    records = records_of(result.stdout)
    assert [r["doc_id"] for r in records][0] == "101" and {r["doc_id"] for r in records} == {"101", "102"}
    texts = {"101": two_paragraphs, "102": OTHER}
    assert all(texts[r["doc_id"]][r["start"]:r["end"]] == r["text"] for r in records)
    assert all(r["text_origin"] == "csv_field" for r in records)
    assert {r["meta"]["outlet"] for r in records} == {"Daily", "Herald"}


def test_csv_without_the_text_column_is_one_error_naming_the_columns(tmp_path: Path) -> None:
    write_csv(tmp_path / "export.csv", [{"body": ARTICLE, "id": "1"}], ["id", "body"])
    result = extract(str(tmp_path / "export.csv"))
    assert result.exit_code == 1 and result.stdout == ""
    assert "has no column 'text' (its columns: id, body); choose the text column with --text-field" in result.stderr
    assert result.stderr.count("claimx: error") == 1


def test_an_empty_table_or_archive_gives_no_claims_and_no_error(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "empty.jsonl.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    result = extract(str(tmp_path / "empty.csv"), str(tmp_path / "empty.jsonl.gz"), str(tmp_path / "empty.warc.gz"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and "error" not in result.stderr


def test_a_csv_row_past_max_chars_stops_the_file_with_an_error(tmp_path: Path) -> None:
    rows = [{"id": "1", "text": OTHER}, {"id": "2", "text": "word " * 400_000}]
    write_csv(tmp_path / "big.csv", rows, ["id", "text"])
    (tmp_path / "big.csv.gz").write_bytes(gzip.compress((tmp_path / "big.csv").read_bytes()))
    (tmp_path / "big.csv").unlink()
    result = extract(str(tmp_path / "big.csv.gz"), "--max-chars", "1000")
    assert result.exit_code == 1
    assert {r["doc_id"] for r in records_of(result.stdout)} == {"1"}
    assert "the row after row 1 is longer than --max-chars 1,000 allows" in result.stderr


def test_tables_in_folders_are_read_only_when_asked_for(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    write_csv(tmp_path / "metadata.csv", [{"id": "1", "text": OTHER}], ["id", "text"])
    assert {r["doc_id"] for r in records_of(extract(str(tmp_path)).stdout)} == {f"{tmp_path}/a.txt"}
    assert {r["doc_id"] for r in records_of(extract(str(tmp_path), "--input-format", "csv").stdout)} == {"1"}


# --- Parquet -------------------------------------------------------------------------------------


def test_parquet_is_read_row_group_by_row_group_in_order(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import datetime

    texts = [ARTICLE, OTHER, THIRD, "", OTHER]
    table = pa.table({"id": [f"p{n}" for n in range(5)], "body": texts,
                      "published": [datetime.datetime(2024, 5, n + 1) for n in range(5)], "words": [10, 20, 30, 0, 20]})
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=2)
    assert pq.ParquetFile(tmp_path / "news.parquet").metadata.num_row_groups == 3
    result = extract(str(tmp_path / "news.parquet"), "--text-field", "body")
    assert result.exit_code == 0, result.stderr
    records = records_of(result.stdout)
    assert list(dict.fromkeys(r["doc_id"] for r in records)) == ["p0", "p1", "p2", "p4"]  # p3 is empty
    assert "p3" not in result.stdout and "empty input" in result.stderr
    assert all(texts[int(r["doc_id"][1])][r["start"]:r["end"]] == r["text"] for r in records)
    assert records[0]["meta"] == {"published": "2024-05-01T00:00:00", "words": 10}
    assert records[0]["text_origin"] == "parquet_field"


def test_parquet_errors_wrong_column_corrupt_file_and_bomb(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"id": ["1"], "content": [ARTICLE]}), tmp_path / "wrong.parquet")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not really parquet")
    bomb = pa.table({"id": ["b1", "b2"], "text": ["a" * 5_000_000, OTHER]})
    pq.write_table(bomb, tmp_path / "bomb.parquet", compression="zstd")
    assert (tmp_path / "bomb.parquet").stat().st_size < 100_000
    errors = tmp_path / "errors.jsonl"
    result = extract(str(tmp_path / "wrong.parquet"), str(tmp_path / "broken.parquet"), str(tmp_path / "bomb.parquet"),
                     "--max-chars", "100000", "--errors", str(errors))
    assert result.exit_code == 1 and result.stdout == ""
    failed = {record["input"]: record for record in error_records(errors)}
    assert "has no column 'text' (its columns: id, content)" in failed[f"{tmp_path}/wrong.parquet"]["message"]
    assert failed[f"{tmp_path}/broken.parquet"]["kind"] == "corrupt"
    assert failed[f"{tmp_path}/bomb.parquet: row group 0 (rows 1-2)"]["kind"] == "too_large"


def test_without_pyarrow_parquet_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "news.parquet").write_bytes(b"PAR1")
    monkeypatch.setitem(__import__("sys").modules, "pyarrow", None)
    monkeypatch.setitem(__import__("sys").modules, "pyarrow.parquet", None)
    result = extract(str(tmp_path / "a.txt"), "-o", str(tmp_path / "claims.parquet"))
    assert result.exit_code == 2 and "fix: pip install 'claimx[parquet]'" in result.stderr
    assert not (tmp_path / "claims.parquet").exists()
    result = extract(str(tmp_path / "news.parquet"), str(tmp_path / "a.txt"))
    assert result.exit_code == 1 and "fix: pip install 'claimx[parquet]'" in result.stderr
    assert records_of(result.stdout)  # the other input is still processed


# --- WARC ----------------------------------------------------------------------------------------


def write_warc(path: Path, responses: list[tuple[str, str, str, bytes]], requests: bool = True) -> None:
    pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for uri, status, content_type, body in responses:
            if requests:
                request = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "news.example")], is_http_request=True)
                writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def test_warc_html_responses_are_articles_and_other_records_are_counted(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    other_page = PAGE.replace("bridge", "tunnel").encode()
    write_warc(tmp_path / "crawl.warc.gz", [
        ("https://news.example/bridge", "200 OK", "text/html; charset=utf-8", PAGE.encode()),
        ("https://news.example/gone", "404 Not Found", "text/html", b"<html><p>Not found</p></html>"),
        ("https://news.example/report.pdf", "200 OK", "application/pdf", b"%PDF-1.4 ..."),
        ("https://news.example/bridge", "200 OK", "text/html", other_page),  # crawled twice
    ])
    result = extract(str(tmp_path / "crawl.warc.gz"))
    assert result.exit_code == 0, result.stderr
    records = records_of(result.stdout)
    doc_ids = list(dict.fromkeys(r["doc_id"] for r in records))
    assert doc_ids[0] == "https://news.example/bridge"
    assert len(doc_ids) == 2 and doc_ids[1].startswith("https://news.example/bridge <urn:uuid:")
    assert all(r["text_origin"] == "html_extracted" and r["meta"]["url"] == "https://news.example/bridge" for r in records)
    assert "6 records skipped as not articles (4 not a response, 1 not HTML, 1 status not 200)" in result.stderr
    # Offsets index the page's main text, as for the same page saved as a file.
    (tmp_path / "bridge.html").write_text(PAGE)
    page = records_of(extract(str(tmp_path / "bridge.html")).stdout)
    assert without_doc_id(page) == [{k: v for k, v in r.items() if k not in ("doc_id", "claim_id", "meta")} | {"meta": None}
                                    for r in records if r["doc_id"] == doc_ids[0]]


def test_a_truncated_warc_keeps_the_pages_before_the_cut(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    noise = random.Random(5)  # incompressible comments, so 60% of the file holds about 60% of the pages
    pages = [(f"https://news.example/{n}", "200 OK", "text/html",
              PAGE.encode() + b"<!-- " + noise.randbytes(15_000).hex().encode() + b" -->") for n in range(6)]
    write_warc(tmp_path / "crawl.warc.gz", pages, requests=False)
    data = (tmp_path / "crawl.warc.gz").read_bytes()
    (tmp_path / "crawl.warc.gz").write_bytes(data[: int(len(data) * 0.6)])
    result = extract(str(tmp_path / "crawl.warc.gz"))
    assert result.exit_code == 1
    kept = list(dict.fromkeys(r["doc_id"] for r in records_of(result.stdout)))
    assert 0 < len(kept) < 6 and kept == [f"https://news.example/{n}" for n in range(len(kept))]
    assert "corrupt or truncated" in result.stderr and "the rest of the file is lost" in result.stderr


def test_a_warc_page_past_max_chars_is_an_error_and_the_next_pages_go_on(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    write_warc(tmp_path / "crawl.warc", [
        ("https://news.example/huge", "200 OK", "text/html", b"<html><p>" + b"a " * 500_000 + b"</p></html>"),
        ("https://news.example/bridge", "200 OK", "text/html", PAGE.encode()),
    ], requests=False)
    result = extract(str(tmp_path / "crawl.warc"), "--max-chars", "5000")
    assert result.exit_code == 1
    assert {r["doc_id"] for r in records_of(result.stdout)} == {"https://news.example/bridge"}
    assert f"{tmp_path}/crawl.warc:https://news.example/huge: the page is over 20,000 bytes" in result.stderr


# --- outputs -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outlet_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """A JSONL collection with an outlet field, and the records claimx prints for it."""
    folder = tmp_path_factory.mktemp("outlets")
    articles = [("d1", "Daily", ARTICLE), ("h1", "Herald", OTHER), ("h2", "Herald", THIRD), ("d2", "Daily", OTHER)]
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps({"id": i, "outlet": o, "text": t}) + "\n" for i, o, t in articles))
    result = extract(str(path))
    assert result.exit_code == 0, result.stderr
    return path, records_of(result.stdout)


def test_parquet_output_is_the_jsonl_records_as_nested_columns(tmp_path: Path, outlet_corpus) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path, expected = outlet_corpus
    target = tmp_path / "claims.parquet"
    result = extract(str(path), "-o", str(target))  # the format follows the extension
    assert result.exit_code == 0, result.stderr
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob("*.partial*"))
    parquet = pq.ParquetFile(target)
    assert parquet.schema_arrow.metadata[b"claimx.schema"] == expected[0]["schema"].encode()
    cues = parquet.schema_arrow.field("cues").type  # a list of structs, as in the JSON Schema
    cue = next(c for r in expected for c in r["cues"])
    assert cues.value_type.num_fields == len(cue) and [f.name for f in cues.value_type] == list(cue)
    rows = parquet.read().to_pylist()
    for row in rows:
        row["meta"] = json.loads(row["meta"]) if row["meta"] is not None else None
    # A key the JSON line leaves out (`tier`, written only by the accurate tier) is a null column.
    optional = set(rows[0]) - set(expected[0])
    schema = json_schema()
    assert optional <= set(schema["properties"]) - set(schema["required"])
    assert all(row[key] is None for row in rows for key in optional)
    assert [{key: value for key, value in row.items() if key not in optional} for row in rows] == expected


def test_parquet_output_answers_the_readme_questions_in_duckdb_pandas_and_polars(tmp_path: Path, outlet_corpus) -> None:
    duckdb = pytest.importorskip("duckdb")
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    path, expected = outlet_corpus
    target = tmp_path / "claims.parquet"
    assert extract(str(path), "-o", str(target)).exit_code == 0
    hedged: dict[str, list[bool]] = {}
    for record in expected:
        hedged.setdefault(record["meta"]["outlet"], []).append(any(cue["kind"] == "hedge" for cue in record["cues"]))
    want = {outlet: sum(flags) / len(flags) for outlet, flags in hedged.items()}
    query = f"""
        SELECT meta->>'$.outlet' AS outlet,
               avg((len(list_filter(cues, lambda c: c.kind = 'hedge')) > 0)::INT) AS hedged_share
        FROM '{target}' GROUP BY outlet ORDER BY outlet"""
    assert dict(duckdb.sql(query).fetchall()) == pytest.approx(want)
    frame = pd.read_parquet(target)
    assert frame.groupby("label").size().to_dict() == {label: sum(r["label"] == label for r in expected)
                                                        for label in {r["label"] for r in expected}}
    assert pl.read_parquet(target).explode("cues").unnest("cues", separator=".").height >= len(expected)


def test_csv_output_has_one_flat_row_per_claim_for_spreadsheets(tmp_path: Path, outlet_corpus) -> None:
    path, expected = outlet_corpus
    target = tmp_path / "claims.csv"
    assert extract(str(path), "-o", str(target)).exit_code == 0
    with open(target, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(expected)
    for row, record in zip(rows, expected):
        assert row["doc_id"] == record["doc_id"] and row["text"] == record["text"] and row["label"] == record["label"]
        assert row["source_kind"] == record["source"]["kind"]
        assert row["cues_text"] == " | ".join(cue["text"] for cue in record["cues"])
        assert row["cues_kind"] == " | ".join(cue["kind"] for cue in record["cues"])
        assert row["confidence"] == str(record["confidence"]) and json.loads(row["meta"]) == record["meta"]
    piped = extract(str(path), "--format", "csv")  # to stdout too
    assert piped.stdout.replace("\r\n", "\n") == target.read_text(encoding="utf-8").replace("\r\n", "\n")


def test_out_dir_writes_one_parquet_or_csv_file_per_article(tmp_path: Path, outlet_corpus) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path, expected = outlet_corpus
    result = extract(str(path), "--out-dir", str(tmp_path / "out"), "--format", "parquet")
    assert result.exit_code == 0, result.stderr
    files = sorted((tmp_path / "out").rglob("*.parquet"))
    assert [f.name for f in files] == ["d1.parquet", "d2.parquet", "h1.parquet", "h2.parquet"]
    assert sum(pq.ParquetFile(f).metadata.num_rows for f in files) == len(expected)
    again = extract(str(path), "--out-dir", str(tmp_path / "out"), "--format", "parquet", "--resume")
    assert "4 skipped as already done" in again.stderr


def test_parquet_to_stdout_is_refused_with_a_fix(outlet_corpus) -> None:
    pytest.importorskip("pyarrow")
    path, _ = outlet_corpus
    result = extract(str(path), "--format", "parquet")
    assert result.exit_code == 2 and "-o FILE" in result.stderr and result.stdout == ""


def test_an_interrupted_parquet_run_resumes_to_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyarrow")
    corpus = tmp_path / "in"
    corpus.mkdir()
    for number, text in enumerate([ARTICLE, OTHER, THIRD, OTHER, ARTICLE]):
        (corpus / f"{number}.txt.gz").write_bytes(gzip.compress(text.encode()))
    reference = tmp_path / "reference.parquet"
    assert extract(str(corpus), "-o", str(reference)).exit_code == 0
    monkeypatch.setattr(claimx.batch, "TASK_SIZE", 1)
    real_write = claimx.sinks.FileSink.write
    written = []

    def stop_after_two(self, source, lines):
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(source)
        real_write(self, source, lines)

    monkeypatch.setattr(claimx.sinks.FileSink, "write", stop_after_two)
    target = tmp_path / "claims.parquet"
    stopped = extract(str(corpus), "-o", str(target))
    assert stopped.exit_code == 130 and not target.exists()
    monkeypatch.setattr(claimx.sinks.FileSink, "write", real_write)
    resumed = extract(str(corpus), "-o", str(target), "--resume")
    assert resumed.exit_code == 0, resumed.stderr
    assert "2 skipped as already done" in resumed.stderr
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(reference.read_bytes()).digest()


def test_table_columns_follow_the_schema_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """A field added to claimx.schema appears in Parquet and CSV output without touching the writers."""
    pytest.importorskip("pyarrow")
    import claimx.formats.columns
    import claimx.formats.parquet
    import claimx.schema
    from claimx.formats.csv import flat_names

    real = claimx.schema.json_schema

    def extended():
        schema = real()
        schema["properties"]["stance"] = {"anyOf": [{"type": "null"}, {"type": "object", "properties": {
            "label": {"enum": ["for", "against"]}, "score": {"type": "number"}}, "required": ["label", "score"]}]}
        return schema

    monkeypatch.setattr(claimx.schema, "json_schema", extended)
    claimx.formats.columns.record_columns.cache_clear()
    claimx.formats.parquet.arrow_schema.cache_clear()
    try:
        assert str(claimx.formats.parquet.arrow_schema().field("stance").type) == "struct<label: string not null, score: double not null>"
        assert flat_names(claimx.formats.columns.record_columns())[-2:] == ["stance_label", "stance_score"]
    finally:
        monkeypatch.undo()
        claimx.formats.columns.record_columns.cache_clear()
        claimx.formats.parquet.arrow_schema.cache_clear()


# --- the Dask engine -----------------------------------------------------------------------------


def test_dask_partitions_parquet_by_row_group_and_writes_parquet_parts(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from claimx.dask import Part, list_inputs, partitions, run_extract

    texts = [ARTICLE, OTHER, THIRD, OTHER, ARTICLE]
    pq.write_table(pa.table({"id": [f"p{n}" for n in range(5)], "text": texts}), tmp_path / "news.parquet",
                   row_group_size=2)
    (tmp_path / "a.txt").write_text(ARTICLE)
    write_warc(tmp_path / "crawl.warc.gz", [("https://news.example/bridge", "200 OK", "text/html", PAGE.encode())])
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "news.parquet"), str(tmp_path / "crawl.warc.gz")]
    items = list_inputs(paths)
    assert items[1:] == [Part(str(tmp_path / "news.parquet"), "parquet", group) for group in range(3)] + [
        Part(str(tmp_path / "crawl.warc.gz"), "warc", None)]  # a row group, or a whole WARC, per partition
    assert [len(chunk) for chunk in partitions(items, 200)] == [1, 1, 1, 1, 1]
    single = records_of(extract(*paths).stdout)
    summary = run_extract(paths, str(tmp_path / "out"), n_workers=1, output_format="parquet")
    assert summary.complete and summary.articles == 7 and summary.claims == len(single)
    assert summary.records_skipped == 1  # the WARC's request record
    parts = sorted((tmp_path / "out").glob("part-*.parquet"))
    assert len(parts) == 5
    rows = [row for part in parts for row in pq.read_table(part).to_pylist()]
    assert [row["claim_id"] for row in rows] == [record["claim_id"] for record in single]


def test_the_python_api_reads_any_format_into_any_writer(tmp_path: Path) -> None:
    from claimx.batch import Settings, run_batch
    from claimx.formats import input_file, open_source
    from claimx.inputs import ReadOptions, Source, discover
    from claimx.sinks import FileSink

    write_csv(tmp_path / "export.csv", [{"id": "1", "body": ARTICLE}, {"id": "2", "body": OTHER}], ["id", "body"])
    listed = list(open_source(input_file(str(tmp_path / "export.csv")), ReadOptions(text_field="body")))
    assert [s.doc_id for s in listed if isinstance(s, Source)] == ["1", "2"]
    sink = FileSink(tmp_path / "claims.csv", settings={}, format="csv")
    summary = run_batch(discover([str(tmp_path / "export.csv")]), sink, Settings(text_field="body"))
    sink.close(complete=not summary.interrupted)
    with open(tmp_path / "claims.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert summary.articles == 2 and len(rows) == summary.claims > 0
    assert {row["doc_id"] for row in rows} == {"1", "2"} and {row["text_origin"] for row in rows} == {"csv_field"}


def test_a_parquet_corpus_on_two_workers_gives_the_one_worker_output(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    count = claimx.batch.MIN_ARTICLES_FOR_POOL + 6  # enough for a process pool
    texts = [(ARTICLE, OTHER, THIRD)[n % 3] for n in range(count)]
    pq.write_table(pa.table({"id": [f"p{n:03d}" for n in range(count)], "text": texts}), tmp_path / "news.parquet",
                   row_group_size=25)
    one = runner.invoke(app, ["extract", str(tmp_path / "news.parquet"), "--workers", "1"])
    two = runner.invoke(app, ["extract", str(tmp_path / "news.parquet"), "--workers", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, two.stderr
    assert "2 workers" in two.stderr
    assert two.stdout == one.stdout
    assert list(dict.fromkeys(r["doc_id"] for r in records_of(two.stdout))) == [f"p{n:03d}" for n in range(count)]


@pytest.mark.parametrize("module, name, extra", [("warcio", "crawl.warc", "warc"), ("zstandard", "a.txt.zst", "zstd")])
def test_a_missing_extra_is_an_error_record_with_the_install_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   module: str, name: str, extra: str) -> None:
    import sys

    pytest.importorskip(module)
    if extra == "warc":
        write_warc(tmp_path / name, [("https://news.example/a", "200 OK", "text/html", PAGE.encode())])
    else:
        (tmp_path / name).write_bytes(zstd(ARTICLE.encode()))
    (tmp_path / "b.txt").write_text(OTHER)
    for loaded in [key for key in sys.modules if key == module or key.startswith(module + ".")]:
        monkeypatch.setitem(sys.modules, loaded, None)
    monkeypatch.setitem(sys.modules, module, None)
    result = extract(str(tmp_path / name), str(tmp_path / "b.txt"))
    assert result.exit_code == 1
    assert f"{tmp_path / name}: " in result.stderr and f"fix: pip install 'claimx[{extra}]'" in result.stderr
    assert {r["doc_id"] for r in records_of(result.stdout)} == {f"{tmp_path}/b.txt"}
