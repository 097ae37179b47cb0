"""Plain metric functions: precision/recall/F1, macro-F1, accuracy, Pearson r, MAE, span overlap."""

from __future__ import annotations

import math
from collections.abc import Sequence


def precision_recall_f1(gold: Sequence[bool], predicted: Sequence[bool]) -> tuple[float, float, float]:
    """P, R and F1 of the positive class (0.0 where undefined)."""
    tp = sum(1 for g, p in zip(gold, predicted) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted) if p and not g)
    fn = sum(1 for g, p in zip(gold, predicted) if g and not p)
    return _prf(tp, tp + fp, tp + fn)


def _prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def accuracy(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    return sum(1 for g, p in zip(gold, predicted) if g == p) / len(gold) if gold else 0.0


def macro_f1(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    """Mean F1 of the positive and the negative class."""
    positive = precision_recall_f1(gold, predicted)[2]
    negative = precision_recall_f1([not g for g in gold], [not p for p in predicted])[2]
    return (positive + negative) / 2


def pearson_r(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson correlation (0.0 when either side is constant)."""
    n = len(xs)
    if n < 2:
        return 0.0
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    return cov / math.sqrt(var_x * var_y) if var_x and var_y else 0.0


def mean_absolute_error(xs: Sequence[float], ys: Sequence[float]) -> float:
    return sum(abs(x - y) for x, y in zip(xs, ys)) / len(xs) if xs else 0.0


def overlap_counts(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]
) -> tuple[int, int, int, int]:
    """(predicted spans overlapping some gold span, predicted, gold spans overlapped, gold)."""

    def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    correct_predicted = sum(1 for p in predicted if any(overlaps(p, g) for g in gold))
    found_gold = sum(1 for g in gold if any(overlaps(g, p) for p in predicted))
    return correct_predicted, len(predicted), found_gold, len(gold)


def overlap_prf(correct_predicted: int, predicted: int, found_gold: int, gold: int) -> tuple[float, float, float]:
    """Token-overlap P/R/F1: a predicted cue is right if it overlaps a gold cue, and vice versa."""
    precision = correct_predicted / predicted if predicted else 0.0
    recall = found_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
