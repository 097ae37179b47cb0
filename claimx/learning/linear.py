"""Hashed linear models: features are strings (or string/value pairs) hashed into a fixed space.

The same `HashedVectorizer` turns features into vectors at training time and at run time, so
there is no skew between the two; run time needs only numpy and murmurhash (a spaCy dependency).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from murmurhash.mrmr import hash as murmur

# A feature is a string, a pre-hashed integer (e.g. spaCy's own hash of a word), or a
# (string, value) pair for real-valued features.
Feature = str | int | tuple[str, float]
N_FEATURES = 2**18
MASK64 = 0xFFFFFFFFFFFFFFFF


@lru_cache(maxsize=1 << 16)
def name_index(name: str, n_features: int) -> int:
    """Hashed index of a named feature (names repeat across sentences: "L:pos=NOUN", ...)."""
    return murmur(name) % n_features


@dataclass(slots=True)
class HashedFeatures:
    """Features already hashed to unsigned 64-bit integers, plus (name, value) pairs.

    The fast path for text: word hashes come straight from spaCy and never become strings.
    """

    hashes: list[int] | np.ndarray
    pairs: list[tuple[str, float]]
    _cache: dict = field(default_factory=dict)

    def counted(self, n_features: int) -> tuple[np.ndarray, np.ndarray]:
        """Distinct hashed indices and their counts (cached: several models share them)."""
        key = ("counts", n_features)
        if key not in self._cache:
            hashed = np.asarray(self.hashes, dtype=np.uint64) % np.uint64(n_features)
            self._cache[key] = np.unique(hashed.astype(np.int64), return_counts=True)
        return self._cache[key]

    def pair_vector(self, n_features: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices and summed values of the (name, value) pairs (cached)."""
        key = ("pairs", n_features)
        if key not in self._cache:
            extra: dict[int, float] = {}
            for name, value in self.pairs:
                index = murmur(name) % n_features
                extra[index] = extra.get(index, 0.0) + value
            self._cache[key] = (
                np.fromiter(extra.keys(), dtype=np.int64, count=len(extra)),
                np.fromiter(extra.values(), dtype=np.float32, count=len(extra)),
            )
        return self._cache[key]


@dataclass(slots=True)
class HashedVectorizer:
    """Feature strings → sparse (indices, values).

    `tfidf=True` weighs string features by (1 + log count) · idf and scales them to unit length
    (as scikit-learn's sublinear TF-IDF); string/value pairs are added as they are.
    """

    n_features: int = N_FEATURES
    tfidf: bool = False
    idf: np.ndarray | None = None

    def index(self, feature: str) -> int:
        return murmur(feature) % self.n_features

    def vectorize(self, features: Iterable[Feature] | HashedFeatures) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(features, HashedFeatures):
            return self._vectorize_hashed(features)
        counts: dict[int, float] = {}
        pairs: dict[int, float] = {}
        n = self.n_features
        for feature in features:
            if isinstance(feature, int):
                index = feature % n
            elif isinstance(feature, tuple):
                index = murmur(feature[0]) % n
                pairs[index] = pairs.get(index, 0.0) + feature[1]
                continue
            else:
                index = murmur(feature) % n
            counts[index] = counts.get(index, 0.0) + 1.0
        if self.tfidf and counts:
            idf = self.idf
            for index, count in counts.items():
                counts[index] = (1.0 + math.log(count)) * (float(idf[index]) if idf is not None else 1.0)
            norm = math.sqrt(sum(v * v for v in counts.values()))
            if norm:
                for index in counts:
                    counts[index] /= norm
        for index, value in pairs.items():
            counts[index] = counts.get(index, 0.0) + value
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        return indices, values

    def _vectorize_hashed(self, features: HashedFeatures) -> tuple[np.ndarray, np.ndarray]:
        indices, counts = features.counted(self.n_features)
        values = counts.astype(np.float32)
        if self.tfidf and len(values):
            values = 1.0 + np.log(values)
            if self.idf is not None:
                values *= self.idf[indices]
            norm = float(np.sqrt(np.dot(values, values)))
            if norm:
                values /= norm
        if features.pairs:
            pair_indices, pair_values = features.pair_vector(self.n_features)
            indices = np.concatenate([indices, pair_indices])
            values = np.concatenate([values, pair_values])
        return indices, values.astype(np.float32)

    def fit_idf(self, documents: Sequence[Sequence[Feature] | HashedFeatures]) -> None:
        """Smoothed idf from document frequencies (string and hashed features, not pairs)."""
        df = np.zeros(self.n_features, dtype=np.float64)
        for features in documents:
            if isinstance(features, HashedFeatures):
                df[features.counted(self.n_features)[0]] += 1
                continue
            indices = {
                (f if isinstance(f, int) else murmur(f)) % self.n_features
                for f in features if not isinstance(f, tuple)
            }
            for index in indices:
                df[index] += 1
        self.idf = (np.log((1 + len(documents)) / (1 + df)) + 1.0).astype(np.float32)


BatchCounts = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def count_batch(batch: Sequence[HashedFeatures], n: int) -> BatchCounts:
    """The hashed features of a batch as arrays: (owner, index, count) of each distinct hashed
    feature, and (owner, index, value) of each named feature; owner is the item's position."""
    count = len(batch)
    hashed = [np.asarray(f.hashes, dtype=np.uint64) for f in batch]
    owner = np.repeat(np.arange(count, dtype=np.int64), [len(h) for h in hashed])
    indices = (np.concatenate(hashed) % np.uint64(n)).astype(np.int64) if hashed else np.zeros(0, np.int64)
    keys, counts = np.unique(owner * n + indices, return_counts=True)
    # Named (real-valued) features: a few dozen distinct names across the batch, hashed once.
    names = [name for features in batch for name, _ in features.pairs]
    index_of = {name: name_index(name, n) for name in set(names)}
    pair_indices = np.fromiter((index_of[name] for name in names), dtype=np.int64, count=len(names))
    pair_values = np.fromiter((value for f in batch for _, value in f.pairs), dtype=np.float32, count=len(names))
    pair_owner = np.repeat(np.arange(count, dtype=np.int64), [len(f.pairs) for f in batch])
    return keys // n, keys % n, counts, pair_owner, pair_indices, pair_values


@dataclass(slots=True)
class HashedLinearModel:
    """w·x + b over hashed features; `logistic` models return probabilities."""

    name: str
    vectorizer: HashedVectorizer
    weights: np.ndarray
    bias: float
    logistic: bool = True
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    def decision(self, features: Iterable[Feature] | HashedFeatures) -> float:
        indices, values = self.vectorizer.vectorize(features)
        return float(np.dot(self.weights[indices], values)) + self.bias

    def predict(self, features: Iterable[Feature] | HashedFeatures) -> float:
        """Probability (logistic) or value (linear) for one feature list."""
        score = self.decision(features)
        return 1.0 / (1.0 + math.exp(-score)) if self.logistic else score

    def decisions(self, batch: Sequence[HashedFeatures], counted: BatchCounts | None = None) -> np.ndarray:
        """`decision` of many HashedFeatures at once: one numpy pass instead of one per item.

        `counted` is `count_batch(batch, n_features)`, for models that score the same batch.
        """
        vectorizer, count = self.vectorizer, len(batch)
        n = vectorizer.n_features
        owner, indices, counts, pair_owner, pair_indices, pair_values = counted or count_batch(batch, n)
        values = counts.astype(np.float32)
        if vectorizer.tfidf and len(values):
            values = 1.0 + np.log(values)
            if vectorizer.idf is not None:
                values *= vectorizer.idf[indices]
            norms = np.sqrt(np.bincount(owner, weights=values * values, minlength=count)).astype(np.float32)
            values /= np.where(norms[owner] > 0, norms[owner], 1.0)
        scores = np.bincount(owner, weights=self.weights[indices] * values, minlength=count)
        if len(pair_indices):
            scores += np.bincount(pair_owner, weights=self.weights[pair_indices] * pair_values, minlength=count)
        return scores + self.bias

    def save(self, path: str | Path) -> None:
        """Weights as float16 (.npz) plus a JSON header; pruned of exact zeros."""
        path = Path(path)
        nonzero = np.flatnonzero(self.weights).astype(np.int32)
        arrays = {"indices": nonzero, "values": self.weights[nonzero].astype(np.float16)}
        if self.vectorizer.idf is not None:
            arrays["idf"] = self.vectorizer.idf.astype(np.float16)
        header = {
            "name": self.name, "bias": self.bias, "logistic": self.logistic, "threshold": self.threshold,
            "n_features": self.vectorizer.n_features, "tfidf": self.vectorizer.tfidf, "meta": self.meta,
        }
        np.savez_compressed(path, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8), **arrays)

    @classmethod
    def load(cls, path: str | Path) -> HashedLinearModel:
        with np.load(Path(path)) as data:
            header = json.loads(bytes(data["header"]).decode())
            weights = np.zeros(header["n_features"], dtype=np.float32)
            weights[data["indices"]] = data["values"].astype(np.float32)
            idf = data["idf"].astype(np.float32) if "idf" in data else None
        vectorizer = HashedVectorizer(header["n_features"], header["tfidf"], idf)
        return cls(header["name"], vectorizer, weights, float(header["bias"]), bool(header["logistic"]),
                   float(header["threshold"]), header.get("meta", {}))
