"""Scoring claimx's own output on the four annotated tasks.

Every score comes from the claim records claimx prints, through these documented mappings:

- uncertainty: a sentence is uncertain iff one of its claims carries an uncertainty cue (hedge,
  doubt, condition, question, or a distancing attribution such as "alleged") or a label other
  than `certain`. Cue scores match those cue spans to gold cues by overlap.
- factuality: a gold predicate gets the value of the event claimx lists at it (`--events`): the
  event of the smallest claim covering it, or, outside every claim, a frame event ("officials
  *said*"); else `factuality_value()` of the covering claim; a predicate claimx says nothing
  about is an authorial assertion, +3.
- claims: a text is positive iff one of its claims has `checkworthiness` ≥ 0.5.
- subjectivity: a text is subjective iff one of its claims has `subjective` = true.
- attribution: a claim is *reported* in gold when at least half of its characters lie inside the
  Content pieces of one attribution (the innermost, i.e. shortest, when several qualify), else
  *authorial*; claimx says *reported* when the claim's source is not the author and has a span.
  The source *matches* when claimx's source span, or the span of the name it was resolved to,
  overlaps the gold Source.
- sentences: the gold sentences of each document are joined with one space (no paragraph breaks,
  which the source files do not keep, so layout gets no free boundaries) and claimx's sentence
  starts are matched to the gold sentence starts; a document's first start is not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language

from claimx.evaluation.datasets import Example, GoldAttribution, document_of
from claimx.evaluation.metrics import (
    accuracy,
    macro_f1,
    mean_absolute_error,
    overlap_counts,
    overlap_prf,
    pearson_r,
    precision_recall_f1,
)
from claimx.factuality import factuality_value
from claimx.pipeline import iter_records
from claimx.schema import ClaimRecord, CueRecord

UNCERTAINTY_KINDS = frozenset({"hedge", "doubt", "condition", "question"})
CHECKWORTHY_THRESHOLD = 0.5
AUTHORIAL_ASSERTION = 3.0


def is_uncertainty_cue(cue: CueRecord) -> bool:
    """Cues that make a proposition uncertain in the Szeged sense (not boosters or negation)."""
    return cue.kind in UNCERTAINTY_KINDS or (cue.kind == "attribution" and cue.weight < 1.0)


def _records(nlp: Language, examples: list[Example]) -> Iterable[tuple[Example, list[ClaimRecord]]]:
    pairs = iter_records(nlp, ((example.id, example.text) for example in examples))
    for example, (_, records) in zip(examples, pairs):
        yield example, records


def score_uncertainty(nlp: Language, examples: list[Example]) -> dict[str, Any]:
    gold, predicted = [], []
    counts = [0, 0, 0, 0]
    for example, records in _records(nlp, examples):
        cues = {(c.start, c.end) for r in records for c in r.cues if is_uncertainty_cue(c)}
        gold.append(bool(example.label))
        predicted.append(bool(cues) or any(r.label != "certain" for r in records))
        found = overlap_counts([(s.start, s.end) for s in example.spans], sorted(cues))
        counts = [a + b for a, b in zip(counts, found)]
    precision, recall, f1 = precision_recall_f1(gold, predicted)
    cue_precision, cue_recall, cue_f1 = overlap_prf(*counts)
    return {
        "n": len(gold), "precision": precision, "recall": recall, "f1": f1,
        "cue_precision": cue_precision, "cue_recall": cue_recall, "cue_f1": cue_f1,
    }


def predicate_values(example: Example, records: list[ClaimRecord], use_events: bool = True) -> list[float]:
    """The claim-derived factuality of each gold predicate span of an example."""
    values = []
    frame_events = [e for r in records for e in r.events or [] if e.scope == "frame"] if use_events else []
    for span in example.spans:
        covering = [r for r in records if r.start <= span.start and span.end <= r.end]
        if not covering:
            framing = [e for e in frame_events if e.start < span.end and span.start < e.end]
            values.append(framing[0].factuality if framing else AUTHORIAL_ASSERTION)
            continue
        claim = min(covering, key=lambda r: r.end - r.start)
        events = [e for e in claim.events or [] if e.start < span.end and span.start < e.end] if use_events else []
        values.append(events[0].factuality if events else factuality_value(claim.label, claim.polarity, claim.confidence))
    return values


def score_factuality(nlp: Language, examples: list[Example]) -> dict[str, Any]:
    """Per-predicate factuality: the value of the event claimx lists there (claims list their own
    and their frames' events with `--events`), else the covering claim's own value, else +3."""
    gold, predicted, claim_level = [], [], []
    factuality = nlp.get_pipe("claimx_factuality") if "claimx_factuality" in nlp.pipe_names else None
    if factuality is not None:
        factuality.events = True
    for example, records in _records(nlp, examples):
        gold.extend(float(span.value) for span in example.spans)
        predicted.extend(predicate_values(example, records))
        claim_level.extend(predicate_values(example, records, use_events=False))
    return {
        "n": len(gold), "pearson_r": pearson_r(predicted, gold), "mae": mean_absolute_error(predicted, gold),
        "claim_level_pearson_r": pearson_r(claim_level, gold), "claim_level_mae": mean_absolute_error(claim_level, gold),
    }


def _binary_scores(gold: list[bool], predicted: list[bool], with_prf: bool) -> dict[str, Any]:
    scores: dict[str, Any] = {"n": len(gold), "accuracy": accuracy(gold, predicted)}
    if with_prf:
        precision, recall, f1 = precision_recall_f1(gold, predicted)
        scores.update(precision=precision, recall=recall, f1=f1)
    scores["macro_f1"] = macro_f1(gold, predicted)
    return scores


def score_claims(nlp: Language, examples: list[Example]) -> dict[str, Any]:
    gold, predicted = [], []
    for example, records in _records(nlp, examples):
        gold.append(bool(example.label))
        predicted.append(any(r.checkworthiness >= CHECKWORTHY_THRESHOLD for r in records))
    return _binary_scores(gold, predicted, with_prf=True)


def score_subjectivity(nlp: Language, examples: list[Example]) -> dict[str, Any]:
    gold, predicted = [], []
    for example, records in _records(nlp, examples):
        gold.append(bool(example.label))
        predicted.append(any(r.subjective for r in records))
    return _binary_scores(gold, predicted, with_prf=False)


def _inside(start: int, end: int, pieces: tuple[tuple[int, int], ...]) -> int:
    return sum(max(0, min(end, b) - max(start, a)) for a, b in pieces)


def gold_attribution(record: ClaimRecord, attributions: tuple[GoldAttribution, ...]) -> int | None:
    """Index of the attribution whose Content holds at least half of the claim (the innermost)."""
    length = record.end - record.start
    if length <= 0:
        return None
    qualifying = [
        (sum(b - a for a, b in attribution.content), number)
        for number, attribution in enumerate(attributions)
        if 2 * _inside(record.start, record.end, attribution.content) >= length
    ]
    return min(qualifying)[1] if qualifying else None


def source_spans(record: ClaimRecord) -> list[tuple[int, int]]:
    """The claim's source span and, for a resolved pronoun or role noun, the name's span."""
    source = record.source
    if source.kind == "author" or source.start is None or source.end is None:
        return []
    spans = [(source.start, source.end)]
    resolved = getattr(source, "resolved", None)
    if resolved is not None:
        spans.append((resolved.start, resolved.end))
    return spans


def score_attribution(nlp: Language, examples: list[Example]) -> dict[str, Any]:
    """Reported vs authorial claims, and whose they are, against PolNeAR-style attributions."""
    n_claims = correct = 0
    reported = reported_right = 0
    gold_sourced = gold_sourced_found = 0
    relations = relations_found = 0
    for example, records in _records(nlp, examples):
        found_relations: set[int] = set()
        for record in records:
            n_claims += 1
            gold = gold_attribution(record, example.attributions)
            spans = source_spans(record)
            says_reported = bool(spans)
            correct += (gold is not None) == says_reported
            gold_source = example.attributions[gold].source if gold is not None else ()
            matches = any(_inside(start, end, gold_source) for start, end in spans)
            if says_reported:
                reported += 1
                reported_right += matches
            if gold_source:
                gold_sourced += 1
                gold_sourced_found += matches
                if matches:
                    found_relations.add(gold)
        relations += sum(1 for attribution in example.attributions if attribution.source)
        relations_found += len(found_relations)
    precision = reported_right / reported if reported else 0.0
    recall = gold_sourced_found / gold_sourced if gold_sourced else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n_claims": n_claims,
        "attribution_accuracy": correct / n_claims if n_claims else 0.0,
        "source_precision": precision,
        "source_recall": recall,
        "source_f1": f1,
        "relation_recall": relations_found / relations if relations else 0.0,
    }


SENTENCE_JOINER = " "


def joined_documents(examples: list[Example]) -> list[tuple[str, list[int]]]:
    """Each document's text (its sentences in file order, joined by SENTENCE_JOINER) and the
    character offsets where its gold sentences start."""
    documents: dict[str, list[str]] = {}
    for example in examples:
        documents.setdefault(document_of(example.id), []).append(example.text.strip())
    joined = []
    for sentences in documents.values():
        starts, offset = [], 0
        for sentence in sentences:
            starts.append(offset)
            offset += len(sentence) + len(SENTENCE_JOINER)
        joined.append((SENTENCE_JOINER.join(sentences), starts))
    return joined


def predicted_sentence_starts(nlp: Language, texts: Iterable[str]) -> Iterable[list[int]]:
    """The character offsets where claimx's sentences start (only the pipes up to the parser run:
    nothing after it moves a sentence boundary)."""
    last = nlp.pipe_names.index("parser") if "parser" in nlp.pipe_names else len(nlp.pipe_names) - 1
    with nlp.select_pipes(enable=nlp.pipe_names[: last + 1]):
        for doc in nlp.pipe(texts):
            yield [sentence[0].idx for sentence in doc.sents if not sentence.text.isspace()]


def score_sentences(nlp: Language, examples: list[Example]) -> dict[str, Any]:
    """Sentence boundary P/R/F1 over documents rebuilt from their gold sentences."""
    documents = joined_documents(examples)
    correct = predicted_total = gold_total = 0
    for (_, gold), predicted in zip(documents, predicted_sentence_starts(nlp, (t for t, _ in documents))):
        gold_inner, predicted_inner = set(gold[1:]), set(predicted) - {0}
        correct += len(gold_inner & predicted_inner)
        predicted_total += len(predicted_inner)
        gold_total += len(gold_inner)
    precision = correct / predicted_total if predicted_total else 0.0
    recall = correct / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(examples), "documents": len(documents), "precision": precision, "recall": recall, "f1": f1}


SCORERS: dict[str, Callable[[Language, list[Example]], dict[str, Any]]] = {
    "uncertainty": score_uncertainty,
    "factuality": score_factuality,
    "claims": score_claims,
    "subjectivity": score_subjectivity,
    "attribution": score_attribution,
    "sentences": score_sentences,
}


def evaluate(task: str, nlp: Language, examples: Iterable[Example]) -> dict[str, Any]:
    """Scores of claimx on a task's examples (keys as documented for `claimx eval --json`)."""
    return SCORERS[task](nlp, list(examples))
