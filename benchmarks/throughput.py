"""Throughput of claimx against the bare spaCy pipeline it is built on, on the same articles.

    python benchmarks/throughput.py samples/                 # the bundled samples, repeated
    python benchmarks/throughput.py ~/articles --limit 2000  # any folder of .txt articles
    python benchmarks/throughput.py --synthetic 500          # 500 articles made from samples/

Both pipelines run in this one process, alternating for --rounds rounds; the table reports the
median words/s and articles/s of each and the median of the per-round ratios claimx / bare. Prints to stdout.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from pathlib import Path

import spacy

from claimx.pipeline import iter_records, load_pipeline, resolve_model_name

ROOT = Path(__file__).resolve().parent.parent


def read_corpus(paths: list[str], limit: int | None) -> list[str]:
    """Texts of every .txt file under the given files and folders, in sorted order."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(sorted(path.rglob("*.txt")) if path.is_dir() else [path])
    texts = [file.read_text(encoding="utf-8", errors="replace") for file in files]
    return texts[:limit] if limit else texts


def synthetic_corpus(count: int, seed: int = 13) -> list[str]:
    """`count` articles made by shuffling paragraphs of the bundled samples."""
    paragraphs = [
        block.strip()
        for file in sorted((ROOT / "samples").glob("*.txt"))
        for block in file.read_text(encoding="utf-8").split("\n\n")
        if block.strip()
    ]
    rng = random.Random(seed)
    return ["\n\n".join(rng.sample(paragraphs, k=min(8, len(paragraphs)))) + "\n" for _ in range(count)]


def time_bare(nlp: spacy.language.Language, texts: list[str], batch_size: int) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def time_claimx(nlp: spacy.language.Language, texts: list[str], batch_size: int) -> float:
    start = time.perf_counter()
    for _ in iter_records(nlp, ((str(i), text) for i, text in enumerate(texts)), batch_size=batch_size):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="files or folders of .txt articles")
    parser.add_argument("--synthetic", type=int, default=0, help="make N articles from samples/")
    parser.add_argument("--limit", type=int, default=None, help="use at most N articles")
    parser.add_argument("--repeat", type=int, default=1, help="repeat the corpus N times")
    parser.add_argument("--rounds", type=int, default=3, help="alternating timing rounds")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: as claimx chooses)")
    args = parser.parse_args()

    texts = synthetic_corpus(args.synthetic) if args.synthetic else read_corpus(args.paths or [str(ROOT / "samples")], args.limit)
    texts = texts * args.repeat
    words = sum(len(text.split()) for text in texts)
    model = resolve_model_name(args.model)
    bare = spacy.load(model)
    claimx_nlp = load_pipeline(model)
    # Warm both up so one-off costs (vocab growth, lazy imports) are not timed.
    time_bare(bare, texts[:20], args.batch_size)
    time_claimx(claimx_nlp, texts[:20], args.batch_size)

    # The machine's speed drifts by tens of percent over a minute, so each round times both
    # pipelines back to back (in alternating order) and the ratio is taken within each round.
    bare_times, claimx_times = [], []
    for round_number in range(args.rounds):
        if round_number % 2:
            claimx_times.append(time_claimx(claimx_nlp, texts, args.batch_size))
            bare_times.append(time_bare(bare, texts, args.batch_size))
        else:
            bare_times.append(time_bare(bare, texts, args.batch_size))
            claimx_times.append(time_claimx(claimx_nlp, texts, args.batch_size))
    bare_s, claimx_s = statistics.median(bare_times), statistics.median(claimx_times)
    ratios = sorted(b / c for b, c in zip(bare_times, claimx_times))

    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}, "
          f"spaCy {spacy.__version__}, model {model}")
    print(f"corpus: {len(texts)} articles, {words} words; median of {args.rounds} rounds, 1 process")
    print(f"{'pipeline':<28}{'words/s':>12}{'articles/s':>12}")
    print(f"{'bare ' + model:<28}{words / bare_s:>12,.0f}{len(texts) / bare_s:>12,.1f}")
    print(f"{'claimx extract':<28}{words / claimx_s:>12,.0f}{len(texts) / claimx_s:>12,.1f}")
    print(f"claimx / bare throughput: {statistics.median(ratios):.2f}x (median of the rounds' ratios; "
          f"range {ratios[0]:.2f}-{ratios[-1]:.2f})")


if __name__ == "__main__":
    main()
