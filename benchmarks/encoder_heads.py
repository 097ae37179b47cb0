"""Would the encoder beat today's models on sentence uncertainty or event factuality? (issue 14)

The accurate tier keeps an encoder head for a task only if it beats the default tier's model in
cross-validation on train. This script runs that comparison with the pretrained all-MiniLM-L6-v2
encoder frozen (the cheap route; a fine-tuned token head is not tried when the frozen features
are far behind) and prints the figures:

- factuality: per predicate, the encoder's vectors of the predicate's word pieces (mean) next to
  the sentence's mean vector; ridge regression, 5-fold out-of-fold Pearson r and MAE on
  uw-train + meantime-train, folds grouped by sentence. Compared with today's feature set
  (`claimx.learning.features.predicate_features`, ridge + LAD as `claimx train` fits it) on the
  same folds, and with both feature sets side by side.
- uncertainty: per sentence, the mean vector; class-balanced logistic regression, 5-fold
  document-grouped out-of-fold sentence F1 on the Wikipedia training documents and on the news
  documents of szeged-factbank-dev, next to the cue model's out-of-fold figures that
  `claimx train` prints.

    python benchmarks/encoder_heads.py ../shared/data            # both tasks, ~10 min on 2 cores
    python benchmarks/encoder_heads.py ../shared/data --only factuality

Needs the `train` extra and the weights (see `claimx train --encoder`). Dev files are not read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def encode(texts: list[str], spans: list[list[tuple[int, int]]] | None = None, threads: int = 1):
    """Mean sentence vectors (texts × 384) and, with `spans`, each span's mean word-piece vector."""
    import torch
    from transformers import AutoModel

    from claimx.learning.encoder import _tokenizer, check_weights, weights_dir

    weights = weights_dir()
    check_weights(weights)
    torch.set_num_threads(threads)
    model = AutoModel.from_pretrained(str(weights)).eval()
    tokenizer = _tokenizer(weights / "tokenizer.json", 128)
    encodings = tokenizer.encode_batch(texts)
    sentence = np.zeros((len(texts), 384), dtype=np.float32)
    span_vectors: list[np.ndarray] = []
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    by_text: dict[int, np.ndarray] = {}
    started = time.perf_counter()
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            rows = order[start:start + 64]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(rows):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1
            hidden = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state
            hidden = hidden.numpy()
            for row, i in enumerate(rows):
                n = len(encodings[i].ids)
                sentence[i] = hidden[row, :n].mean(0)
                if spans is not None:
                    by_text[i] = hidden[row, :n]
            if start // 64 % 50 == 49:
                print(f"  encoded {start + len(rows)}/{len(texts)} {time.perf_counter() - started:.0f}s", file=sys.stderr)
    if spans is not None:
        for i, text_spans in enumerate(spans):
            offsets = encodings[i].offsets
            for begin, end in text_spans:
                pieces = [k for k, (a, b) in enumerate(offsets) if b > a and a < end and b > begin]
                span_vectors.append(by_text[i][pieces].mean(0) if pieces else sentence[i])
    return sentence, (np.array(span_vectors) if spans is not None else None)


def factuality(data_dir: Path) -> dict:
    from scipy.stats import pearsonr
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GroupKFold

    from claimx.evaluation.datasets import read_examples
    from claimx.learning.linear import HashedVectorizer
    from claimx.learning.train import (FACTUALITY_ALPHA, FACTUALITY_TRAIN, N_FEATURES, _docs, _fit_factuality, _matrix,
                                       factuality_rows)
    from claimx.pipeline import load_pipeline

    examples = [e for name in FACTUALITY_TRAIN for e in read_examples("factuality", data_dir / name)]
    nlp = load_pipeline(None)
    docs = _docs(nlp, examples)
    rows, targets, groups = [], [], []
    spans: list[list[tuple[int, int]]] = [[] for _ in examples]
    for number, predicate, features, value in factuality_rows(docs, examples):
        rows.append(features)
        targets.append(value)
        groups.append(number)
        spans[number].append((predicate.start_char, predicate.end_char))
    sentence, predicate = encode([e.text for e in examples], spans)
    target, groups = np.array(targets), np.array(groups)
    sentence_rows = np.repeat(np.arange(len(examples)), [len(s) for s in spans])
    dense = np.hstack([predicate, sentence[sentence_rows]])
    hashed = _matrix(HashedVectorizer(N_FEATURES), rows)

    def today(fit, held):
        weights, bias = _fit_factuality(hashed[fit], target[fit])
        return hashed[held] @ weights + bias

    def encoder(alpha):
        def run(fit, held):
            mean, scale = dense[fit].mean(0), dense[fit].std(0) + 1e-6
            return Ridge(alpha=alpha).fit((dense[fit] - mean) / scale, target[fit]).predict((dense[held] - mean) / scale)
        return run

    def both(alpha):
        from scipy.sparse import csr_matrix, hstack

        def run(fit, held):
            mean, scale = dense[fit].mean(0), dense[fit].std(0) + 1e-6
            joined = hstack([hashed, csr_matrix((dense - mean) / scale / np.sqrt(alpha))]).tocsr()
            return Ridge(alpha=FACTUALITY_ALPHA).fit(joined[fit], target[fit]).predict(joined[held])
        return run

    folds = list(GroupKFold(5).split(dense, target, groups))
    report = {"predicates": len(target)}
    for name, method in [("today's features", today), *((f"encoder, ridge alpha={a}", encoder(a)) for a in (100, 1000, 3000)),
                         *((f"both, encoder weight 1/{a}", both(a)) for a in (10, 100))]:
        predicted = np.zeros(len(target))
        for fit, held in folds:
            predicted[held] = method(fit, held)
        report[name] = {"r": round(float(pearsonr(predicted, target)[0]), 4),
                        "mae": round(float(np.mean(np.abs(predicted - target))), 4)}
        print(f"  factuality {name}: {report[name]}", file=sys.stderr)
    return report


def uncertainty(data_dir: Path) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    from claimx.evaluation.datasets import read_examples
    from claimx.learning.train import split_uncertainty

    wiki, _ = split_uncertainty(read_examples("uncertainty", data_dir / "uncertainty/szeged-wiki.jsonl"))
    news = list(read_examples("uncertainty", data_dir / "uncertainty/szeged-factbank-dev.jsonl"))
    examples = wiki + news
    features, _ = encode([e.text for e in examples])
    gold = np.array([bool(e.label) for e in examples])
    documents = np.array([e.id.rsplit("/", 1)[0] for e in examples])
    is_news = np.array([i >= len(wiki) for i in range(len(examples))])
    report = {"sentences": {"wiki": len(wiki), "news": len(news)}}
    for c in (0.1, 1.0):
        predicted = np.zeros(len(gold), dtype=bool)
        for fit, held in GroupKFold(5).split(features, gold, documents):
            mean, scale = features[fit].mean(0), features[fit].std(0) + 1e-6
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
            model.fit((features[fit] - mean) / scale, gold[fit])
            predicted[held] = model.predict((features[held] - mean) / scale)
        report[f"encoder C={c}"] = {
            part: round(float(f1_score(gold[rows], predicted[rows])), 4)
            for part, rows in (("wiki", ~is_news), ("news", is_news))
        }
        print(f"  uncertainty encoder C={c}: sentence F1 {report[f'encoder C={c}']}", file=sys.stderr)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--only", choices=("factuality", "uncertainty"))
    args = parser.parse_args()
    report = {}
    for task, run in (("factuality", factuality), ("uncertainty", uncertainty)):
        if args.only in (None, task):
            report[task] = run(args.data_dir)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
