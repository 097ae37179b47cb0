"""Corpora as they come: reading WARC.gz and Parquet against a plain-text folder, readers alone and with the pipeline.

    python benchmarks/formats.py                              # 10,000 articles; pipeline on 300 of them
    python benchmarks/formats.py --articles 1000 --rounds 3   # size the NLP part for the machine at hand
    python benchmarks/formats.py --corpus 20000 --memory 2500,10000,20000

Builds one synthetic corpus (paragraphs of the bundled samples, as benchmarks/batch.py does) four
ways, with the libraries claimx reads them with: a folder of .txt files, the same articles as a
folder of .html pages, one WARC.gz of HTTP responses (warcio) and one Parquet file in row groups
of 1,000 (pyarrow). Then, each in a fresh process:

- readers: every article of the full corpus listed and loaded as a worker loads it (decompressing,
  decoding, HTML main-text extraction), no NLP: articles/s and peak memory (max RSS);
- memory: the readers at several corpus sizes, so a flat peak shows nothing grows with the corpus;
- pipeline: `run_batch` with 1 worker over the first --articles articles of each corpus, output to
  /dev/null: articles/s and words/s, and the ratio to the plain-text folder.

Needs claimx[parquet,warc,html]. Prints a table to stdout.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ("text", "html", "warc", "parquet")
LABELS = {"text": "text folder (.txt)", "html": "HTML folder (.html)", "warc": "WARC.gz (warcio)",
          "parquet": "Parquet (pyarrow)"}
ROW_GROUP = 1_000


def page(text: str) -> str:
    """An article as a news page: its first paragraph the headline, the rest paragraphs."""
    from html import escape

    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    body = "".join(f"<p>{escape(part)}</p>" for part in paragraphs[1:])
    return (f"<html><head><title>{escape(paragraphs[0])}</title></head><body><nav>Home | World | Business</nav>"
            f"<article><h1>{escape(paragraphs[0])}</h1>{body}</article><footer>© News</footer></body></html>")


def build(folder: Path, count: int) -> dict[str, str]:
    """Write `count` articles four ways under `folder`; returns the path of each corpus."""
    import pyarrow
    import pyarrow.parquet
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    sys.path.insert(0, str(HERE))
    from throughput import synthetic_corpus

    texts = synthetic_corpus(count)
    paths = {name: folder / name for name in ("text", "html")}
    for number, text in enumerate(texts):
        for name, content in (("text", text), ("html", page(text))):
            path = paths[name] / f"{number // 1000:03d}" / f"article-{number:06d}.{name if name == 'html' else 'txt'}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    warc = folder / "corpus.warc.gz"
    with open(warc, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for number, text in enumerate(texts):
            uri = f"https://news.example/{number // 1000:03d}/article-{number:06d}"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(page(text).encode("utf-8")), http_headers=headers))
    table = pyarrow.table({"id": [f"article-{n:06d}" for n in range(count)], "text": texts,
                           "outlet": [("Daily", "Herald", "Courier")[n % 3] for n in range(count)]})
    parquet = folder / "corpus.parquet"
    pyarrow.parquet.write_table(table, parquet, row_group_size=ROW_GROUP, compression="zstd")
    return {"text": str(paths["text"]), "html": str(paths["html"]), "warc": str(warc), "parquet": str(parquet)}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_readers(path: str) -> dict:
    """List and load every article of a corpus, as the batch runner and its worker do, without NLP."""
    import pyarrow.parquet  # noqa: F401 (imported before the clock starts, as in a long run)
    import trafilatura  # noqa: F401
    import warcio.archiveiterator  # noqa: F401

    from claimx.inputs import Source, discover, iter_sources, load_article

    baseline = _current_mb()  # the libraries, loaded; what reading adds is measured above this
    started = time.perf_counter()
    articles = characters = 0
    for source in iter_sources(discover([path])):
        if isinstance(source, Source):
            characters += len(load_article(source).text)
            articles += 1
    seconds = time.perf_counter() - started
    return {"articles": articles, "characters": characters, "seconds": seconds, "peak_mb": _peak_mb(),
            "added_mb": _peak_mb() - baseline}


def measure_pipeline(path: str) -> dict:
    """`claimx extract PATH -w 1 > /dev/null`, timed after the pipeline is loaded."""
    from claimx.batch import Settings, init_worker, run_batch
    from claimx.inputs import discover
    from claimx.sinks import StreamSink

    init_worker(Settings(), ignore_interrupts=False)
    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        summary = run_batch(discover([path]), StreamSink(sink), Settings(), workers=1)
    seconds = time.perf_counter() - started
    return {"articles": summary.articles, "words": summary.words, "claims": summary.claims,
            "errors": summary.failed, "seconds": seconds, "peak_mb": _peak_mb()}


def in_subprocess(mode: str, path: str) -> dict:
    command = [sys.executable, __file__, "--measure", mode, path]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=int, default=10_000, help="articles in the corpus the readers read")
    parser.add_argument("--articles", type=int, default=300, help="articles run through the pipeline (NLP cost)")
    parser.add_argument("--rounds", type=int, default=1, help="pipeline runs per format, in turn; medians")
    parser.add_argument("--memory", default=None, help="comma-separated corpus sizes for the readers' peak memory")
    parser.add_argument("--skip-pipeline", action="store_true", help="measure the readers only")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated corpora to read alone")
    parser.add_argument("--measure", nargs=2, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        mode, path = args.measure
        print(json.dumps(measure_readers(path) if mode == "readers" else measure_pipeline(path)))
        return

    from claimx.pipeline import resolve_model_name

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"model {resolve_model_name()}")
    with tempfile.TemporaryDirectory(prefix="claimx-formats-") as scratch:
        started = time.perf_counter()
        full = build(Path(scratch) / "full", args.corpus)
        sizes = {name: _size_mb(path) for name, path in full.items()}
        print(f"built {args.corpus:,} articles four ways in {time.perf_counter() - started:.0f}s "
              f"({', '.join(f'{name} {mb:,.2f} MB' for name, mb in sizes.items())})")

        print(f"\nreaders alone, {args.corpus:,} articles (list + load: decompress, decode, extract HTML; no NLP)")
        print(f"{'corpus':<24}{'articles':>10}{'articles/s':>12}{'MB/s':>8}{'peak MB':>9}")
        for name in [name for name in FORMATS if name in args.formats.split(",")]:
            row = in_subprocess("readers", full[name])
            print(f"{LABELS[name]:<24}{row['articles']:>10,}{row['articles'] / row['seconds']:>12,.0f}"
                  f"{sizes[name] / row['seconds']:>8,.1f}{row['peak_mb']:>9,.0f}")

        if args.memory:
            counts = [int(n) for n in args.memory.split(",")]
            print("\nreaders' peak memory (MB) by corpus size: peak (and above the loaded libraries)")
            print(f"{'corpus':<24}" + "".join(f"{count:>16,}" for count in counts))
            built = {count: build(Path(scratch) / f"m{count}", count) for count in counts if count != args.corpus}
            built[args.corpus] = full
            for name in ("text", "warc", "parquet"):
                rows = [in_subprocess("readers", built[count][name]) for count in counts]
                print(f"{LABELS[name]:<24}" + "".join(f"{row['peak_mb']:>10,.0f} ({row['added_mb']:>3,.0f})"
                                                      for row in rows))

        if args.skip_pipeline:
            return
        small = build(Path(scratch) / "pipeline", args.articles)
        runs: dict[str, list[dict]] = {name: [] for name in FORMATS}
        for round_number in range(args.rounds):
            for name in FORMATS if round_number % 2 == 0 else FORMATS[::-1]:
                runs[name].append(in_subprocess("pipeline", small[name]))
        print(f"\npipeline, 1 worker, {args.articles:,} articles"
              + (f"; median of {args.rounds} rounds" if args.rounds > 1 else ""))
        print(f"{'corpus':<24}{'articles/s':>12}{'words/s':>10}{'claims':>8}{'peak MB':>9}{'vs text':>9}")
        base = [row["articles"] / row["seconds"] for row in runs["text"]]
        for name in FORMATS:
            rates = [row["articles"] / row["seconds"] for row in runs[name]]
            ratio = statistics.median(rate / reference for rate, reference in zip(rates, base))
            rows = runs[name]
            print(f"{LABELS[name]:<24}{statistics.median(rates):>12,.2f}"
                  f"{statistics.median(r['words'] / r['seconds'] for r in rows):>10,.0f}"
                  f"{rows[0]['claims']:>8,}{statistics.median(r['peak_mb'] for r in rows):>9,.0f}{ratio:>8.2f}x")


def _size_mb(path: str) -> float:
    target = Path(path)
    if target.is_file():
        return target.stat().st_size / 1e6
    return sum(file.stat().st_size for file in target.rglob("*") if file.is_file()) / 1e6


if __name__ == "__main__":
    main()
