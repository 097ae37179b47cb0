"""Throughput of `claimx extract` on one machine against the Dask engine on a LocalCluster.

    python benchmarks/dask_engine.py                          # 2,000 synthetic articles, 2 workers
    python benchmarks/dask_engine.py --articles 5000 --workers 4 --partition-size 100

Writes the articles (made from samples/ paragraphs) to --corpus, runs the real CLI
(`claimx extract CORPUS -w N -o FILE`) and `claimx.dask.run_extract` with a LocalCluster of N
single-threaded workers, both timed from start to finish (pipeline loading and cluster start-up
included), then checks that both gave the same lines: equal in order, and the sha256 of the sorted
lines. Prints a Markdown table to stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import synthetic_corpus  # noqa: E402  (the sibling benchmark's corpus maker)

from claimx.dask import run_extract  # noqa: E402


def sorted_sha256(lines: list[str]) -> str:
    """sha256 of the lines sorted, one per line: equal for the same claims in any order."""
    return hashlib.sha256("".join(line + "\n" for line in sorted(lines)).encode("utf-8")).hexdigest()


def write_corpus(folder: Path, count: int) -> int:
    """Write `count` synthetic articles to folder; return their words."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    words = 0
    for number, text in enumerate(synthetic_corpus(count)):
        (folder / f"article-{number:06d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles to write")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for both engines")
    parser.add_argument("--partition-size", type=int, default=100, help="articles per Dask partition")
    parser.add_argument("--corpus", default="/tmp/claimx-dask-bench/corpus", help="where to write the articles")
    parser.add_argument("--out", default="/tmp/claimx-dask-bench", help="where to write both outputs")
    args = parser.parse_args()

    corpus, out = Path(args.corpus), Path(args.out)
    words = write_corpus(corpus, args.articles)
    local_file, dask_dir = out / "local.jsonl", out / "dask"
    shutil.rmtree(dask_dir, ignore_errors=True)
    print(f"corpus: {args.articles} articles, {words} words in {corpus}", file=sys.stderr)

    started = time.perf_counter()
    subprocess.run(["claimx", "extract", str(corpus), "-w", str(args.workers), "-o", str(local_file), "-q"],
                   check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    local_s = time.perf_counter() - started
    print(f"local engine: {local_s:.1f}s", file=sys.stderr)

    summary = run_extract([str(corpus)], str(dask_dir), n_workers=args.workers, partition_size=args.partition_size,
                          progress=lambda done, total: print(f"\rdask: {done}/{total} partitions", end="", file=sys.stderr))
    print(f"\ndask engine: {summary.elapsed_s:.1f}s", file=sys.stderr)

    local_lines = local_file.read_text(encoding="utf-8").splitlines()
    dask_lines = [line for part in sorted(dask_dir.glob("part-*.jsonl")) for line in part.read_text(encoding="utf-8").splitlines()]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}; "
          f"{args.articles} articles, {words} words; {args.workers} workers each; "
          f"Dask partitions of {args.partition_size}")
    print()
    print("| engine | wall time | articles/s | words/s | claims |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, lines in (
        (f"`claimx extract -w {args.workers}` (local processes)", local_s, local_lines),
        (f"`--engine dask`, LocalCluster of {args.workers}", summary.elapsed_s, dask_lines),
    ):
        print(f"| {name} | {seconds:.1f} s | {args.articles / seconds:.1f} | {words / seconds:,.0f} | {len(lines):,} |")
    print()
    print(f"sha256 of sorted lines: local {sorted_sha256(local_lines)}")
    print(f"sha256 of sorted lines: dask  {sorted_sha256(dask_lines)}")
    print(f"same lines in the same order: {local_lines == dask_lines}; "
          f"duplicate claim lines in dask output: {len(dask_lines) - len(set(dask_lines))}")


if __name__ == "__main__":
    main()
