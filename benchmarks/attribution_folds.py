"""Cross-validation figures for attribution on an annotated training file (PolNeAR format):
`claimx eval attribution`'s scores on each of five folds of whole articles, and their mean.

claimx's attribution is rules and a lexicon; the rules were chosen by looking at training
articles, and the spread across folds shows how much the scores depend on which articles are read.

    python benchmarks/attribution_folds.py ../shared/data/attribution/polnear-train.jsonl
"""

from __future__ import annotations

import hashlib
import json
import statistics
import sys

from claimx.evaluation.datasets import read_examples
from claimx.evaluation.tasks import score_attribution
from claimx.pipeline import load_pipeline

FOLDS = 5


def fold_of(article_id: str) -> int:
    """A stable fold for an article, from a hash of its id (articles are never split)."""
    return int(hashlib.md5(article_id.encode("utf-8")).hexdigest()[:8], 16) % FOLDS


def main(path: str) -> None:
    examples = list(read_examples("attribution", path))
    nlp = load_pipeline()
    rows = []
    for fold in range(FOLDS):
        part = [example for example in examples if fold_of(example.id) == fold]
        scores = score_attribution(nlp, part)
        rows.append(scores)
        print(json.dumps({"fold": fold, "articles": len(part), **{k: round(v, 3) if isinstance(v, float) else v
                                                                  for k, v in scores.items()}}), flush=True)
    keys = [key for key in rows[0] if key != "n_claims"]
    print(json.dumps({"fold": "mean", **{key: round(statistics.mean(r[key] for r in rows), 3) for key in keys},
                      **{f"{key}_sd": round(statistics.stdev(r[key] for r in rows), 3) for key in keys}}))


if __name__ == "__main__":
    main(sys.argv[1])
