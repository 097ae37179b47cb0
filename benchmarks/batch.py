"""Batch throughput and memory: bare spaCy `nlp.pipe`, claimx with 1 worker and with N workers
(and, with --accurate, claimx's accurate tier with 1 and N workers against the default tier).

    python benchmarks/batch.py ~/articles                   # any folder of articles (.txt, recursive)
    python benchmarks/batch.py --synthetic 2000             # 2,000 articles made from samples/
    python benchmarks/batch.py --synthetic 500 --rounds 3   # each configuration 3 times, medians
    python benchmarks/batch.py --synthetic 10000 --memory 1000,10000 --only claimx-n
    python benchmarks/batch.py --synthetic 200 --accurate --only claimx-1 --only claimx-n   # tiers compared

Each configuration runs in its own fresh process over the same files (read from disk, output
to /dev/null), so peak memory (max RSS) is its own: "main" is the process that runs the batch,
"worker" the largest worker process. Prints a table to stdout.
"""

from __future__ import annotations

import argparse
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


def write_synthetic_corpus(folder: Path, count: int) -> Path:
    """Write `count` articles made from the bundled samples (throughput.py's corpus) as files."""
    # Imported here: throughput.py loads spaCy, which the measured processes must not inherit.
    sys.path.insert(0, str(HERE))
    from throughput import synthetic_corpus

    for number, text in enumerate(synthetic_corpus(count)):
        path = folder / f"{number // 1000:03d}" / f"article-{number:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def corpus_files(folder: str, limit: int | None) -> list[str]:
    from claimx.inputs import discover

    files = [item.path for item in discover([folder], "*.txt")]
    return files[:limit] if limit else files


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def measure(mode: str, folder: str, limit: int | None, workers: int) -> dict:
    """One configuration, in this process: seconds, words, articles and peak memory."""
    files = corpus_files(folder, limit)
    words = 0
    if mode == "bare":
        import spacy

        from claimx.pipeline import resolve_model_name

        nlp = spacy.load(resolve_model_name())

        def texts():
            nonlocal words
            for path in files:
                text = Path(path).read_text(encoding="utf-8")
                words += len(text.split())
                yield text

        started = time.perf_counter()
        for _ in nlp.pipe(texts(), batch_size=64):
            pass
        seconds = time.perf_counter() - started
    else:
        from claimx.batch import Settings, cores_per_worker, init_worker, run_batch
        from claimx.inputs import InputFile
        from claimx.sinks import StreamSink

        settings = Settings(accurate=mode == "accurate")
        if workers == 1:
            # Load the pipeline before the clock starts, as for bare spaCy. N workers load theirs
            # inside the timed run: starting them (~2 s) is part of what N workers cost.
            init_worker(Settings(accurate=settings.accurate, threads=cores_per_worker(1)), ignore_interrupts=False)
        started = time.perf_counter()
        with open(os.devnull, "w", encoding="utf-8") as sink:
            summary = run_batch([InputFile(path, "text") for path in files], StreamSink(sink), settings,
                                workers=workers, total_hint=len(files))
        seconds = time.perf_counter() - started
        words = summary.words
    return {
        "mode": mode, "workers": workers, "articles": len(files), "words": words, "seconds": seconds,
        "main_mb": _peak_mb(resource.RUSAGE_SELF), "worker_mb": _peak_mb(resource.RUSAGE_CHILDREN),
    }


def run_in_subprocess(mode: str, folder: str, limit: int | None, workers: int) -> dict:
    command = [sys.executable, __file__, "--measure", mode, folder, "--workers", str(workers)]
    if limit:
        command += ["--limit", str(limit)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", help="folder of .txt articles (default: make a synthetic corpus)")
    parser.add_argument("--synthetic", type=int, default=2000, help="make N articles from samples/ (no folder given)")
    parser.add_argument("--limit", type=int, default=None, help="use at most N articles")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="N for the N-worker run")
    parser.add_argument("--only", choices=["bare", "claimx-1", "claimx-n"], action="append",
                        help="run only these configurations (repeatable)")
    parser.add_argument("--accurate", action="store_true",
                        help="also run the accurate tier (claimx[accurate]) with 1 and N workers")
    parser.add_argument("--rounds", type=int, default=1, help="run every configuration N times, in turn")
    parser.add_argument("--memory", default=None,
                        help="comma-separated article counts: peak memory of the N-worker run at each")
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        print(json.dumps(measure(args.measure, args.folder, args.limit, args.workers)))
        return

    with tempfile.TemporaryDirectory(prefix="claimx-bench-") as scratch:
        folder = args.folder or str(write_synthetic_corpus(Path(scratch), args.synthetic))
        from claimx.pipeline import resolve_model_name

        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
              f"model {resolve_model_name()}")
        if args.memory:
            print(f"{'articles':>10}{'words/s':>10}{'main MB':>10}{'worker MB':>11}   ({args.workers} workers)")
            for count in (int(n) for n in args.memory.split(",")):
                row = run_in_subprocess("claimx", folder, count, args.workers)
                print(f"{row['articles']:>10,}{row['words'] / row['seconds']:>10,.0f}"
                      f"{row['main_mb']:>10,.0f}{row['worker_mb']:>11,.0f}")
            return
        chosen = args.only or ["bare", "claimx-1", "claimx-n"]
        if args.accurate:
            chosen = chosen + ["accurate-1", "accurate-n"]
        # The machine's speed drifts by tens of percent over minutes: with --rounds N every
        # configuration runs N times, in turn, and each figure is the median of its runs; the
        # ratios are medians of the ratios within each round.
        runs: dict[str, list[dict]] = {name: [] for name in chosen}
        for round_number in range(args.rounds):
            order = chosen if round_number % 2 == 0 else chosen[::-1]
            for name in order:
                mode = "bare" if name == "bare" else name.split("-")[0]
                workers = 1 if name in ("bare", "claimx-1", "accurate-1") else args.workers
                runs[name].append(run_in_subprocess(mode, folder, args.limit, workers))
        first = runs[chosen[0]][0]
        print(f"corpus: {first['articles']:,} articles, {first['words']:,} words"
              + (f"; median of {args.rounds} rounds" if args.rounds > 1 else ""))
        print(f"{'pipeline':<26}{'words/s':>10}{'articles/s':>12}{'peak MB':>9}{'worker MB':>11}")
        rates = {name: [row["words"] / row["seconds"] for row in rows] for name, rows in runs.items()}
        for name, rows in runs.items():
            label = {"bare": "bare en_core_web_sm", "claimx-1": "claimx, 1 worker",
                     "claimx-n": f"claimx, {args.workers} workers", "accurate-1": "--accurate, 1 worker",
                     "accurate-n": f"--accurate, {args.workers} workers"}[name]
            worker_mb = statistics.median(row["worker_mb"] for row in rows)
            worker = f"{worker_mb:>11,.0f}" if worker_mb else f"{'-':>11}"
            print(f"{label:<26}{statistics.median(rates[name]):>10,.0f}"
                  f"{statistics.median(row['articles'] / row['seconds'] for row in rows):>12,.1f}"
                  f"{statistics.median(row['main_mb'] for row in rows):>9,.0f}{worker}")

        def ratio(top: str, bottom: str) -> str:
            within = sorted(a / b for a, b in zip(rates[top], rates[bottom]))
            spread = f" (rounds: {', '.join(f'{r:.2f}' for r in within)})" if len(within) > 1 else ""
            return f"{statistics.median(within):.2f}x{spread}"

        if "bare" in rates and "claimx-1" in rates:
            print(f"claimx 1 worker / bare: {ratio('claimx-1', 'bare')}")
        if "claimx-1" in rates and "claimx-n" in rates:
            print(f"claimx {args.workers} workers / 1 worker: {ratio('claimx-n', 'claimx-1')}")
        if "accurate-1" in rates and "claimx-1" in rates:
            print(f"--accurate / default tier, 1 worker: {ratio('accurate-1', 'claimx-1')}")
        if "accurate-n" in rates and "claimx-n" in rates:
            print(f"--accurate / default tier, {args.workers} workers: {ratio('accurate-n', 'claimx-n')}")


if __name__ == "__main__":
    main()
