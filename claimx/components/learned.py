"""claimx's learned components: cue disambiguation, event factuality, check-worthiness, subjectivity.

Each loads one hashed linear model from `models/learned/` (trained by `claimx train`) and reads
its features off the parsed Doc, so it adds no second neural network.

- `claimx_cue_model` (after `claimx_cues`): for single-word uncertainty cues whose word the
  training data knows well, the probability that this occurrence really marks uncertainty. A cue
  whose rule checked its context is dropped only below 0.35; one whose rule did not is weighted
  by the probability. Headlines are left to the lexicon. Words the lexicon lacks (and did not reject) but the model recognises above the
  threshold become `learned.*` cues.
- `claimx_factuality` (before `claimx_confidence`): a [-3, +3] factuality estimate for each
  claim's head event, which the confidence step blends with the rule-based level.
- `claimx_sentence_scores` (last): sentence-level check-worthiness and subjectivity, copied to
  each claim of the sentence.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

import numpy as np
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from claimx.components.layout import token_sections
from claimx.extensions import CLAIMS_KEY, CUES_KEY
from claimx.learning.features import TextFeaturizer, cue_token_features, predicate_features
from claimx.learning.linear import HashedLinearModel, count_batch
from claimx.resources import models_dir
from claimx.token_ids import array_id, array_ids

DISAMBIGUATED_KINDS = frozenset({"hedge", "doubt", "condition", "question"})
# Szeged cue types → (claimx kind, claimx type, weight) for cues only the model found.
LEARNED_CUE_KINDS = {
    "epistemic": ("hedge", "epistemic", 0.5),
    "doxastic": ("hedge", "doxastic", 0.7),
    "condition": ("condition", "conditional", 0.5),
    "investigation": ("question", "investigation", 0.5),
    "possible": ("hedge", "epistemic", 0.5),
}
FULL_STRENGTH_PROBABILITY = 0.8
QUESTION_MARK = array_id("?")
# Below this the model drops a cue whose lexicon rule checked its context, unless the model file
# names its own cut (`claimx train` chooses it by document-grouped cross-validation).
LEXICON_DROP_PROBABILITY = 0.35
HEADLINE_SECTIONS = frozenset({"headline", "subheadline"})
# Unless the model file names its own (chosen by `claimx train`), the probability at which the
# model brings back a word a lexicon rule rejected.
REJECTED_READD_PROBABILITY = 0.9
EVENT_NOUN_SUFFIXES = ("tion", "sion", "ment", "ing", "ance", "ence", "ure", "al")


def model_path(name: str, directory: str | None = None) -> Path:
    """Where a learned model file lives: the given folder, or claimx's shipped `models/learned/`."""
    return Path(directory) / f"{name}.npz" if directory else models_dir() / "learned" / f"{name}.npz"


def _load(name: str, directory: str | None) -> HashedLinearModel:
    path = model_path(name, directory)
    if not path.exists():
        raise FileNotFoundError(
            f"learned model {path} is missing; train it with `claimx train DATA_DIR` or reinstall claimx"
        )
    return HashedLinearModel.load(path)


def scaled_weight(weight: float, probability: float) -> float:
    """A cue's weight, moved towards 1 (no effect) as the chance that it is a real cue falls."""
    strength = min(1.0, probability / FULL_STRENGTH_PROBABILITY)
    return round(1.0 - (1.0 - weight) * strength, 3)


class CueModel:
    """Learned, context-aware weighing and discovery of uncertainty cues."""

    def __init__(self, model: HashedLinearModel, cues_key: str = CUES_KEY) -> None:
        self.model = model
        self.cues_key = cues_key
        meta = model.meta
        self.lemmas: dict[str, dict] = meta["lemmas"]
        self.min_count: int = int(meta.get("min_count", 5))
        self.threshold = model.threshold
        self.drop_probability = float(meta.get("drop_probability", LEXICON_DROP_PROBABILITY))
        self.readd_probability = float(meta.get("rejected_readd_probability", REJECTED_READD_PROBABILITY))
        # spaCy's hashes of each known lemma (and its capitalised form): an integer test per token.
        self.lemma_hashes = array_ids(form for lemma in self.lemmas for form in (lemma, lemma.capitalize()))

    def probabilities(self, doc: Doc) -> dict[int, float]:
        """The model's probability for every token whose lemma it knows, outside headlines."""
        probabilities: dict[int, float] = {}
        if not len(doc):
            return probabilities
        candidates = np.flatnonzero(np.isin(doc.to_array([LEMMA, LEMMA])[:, 0], self.lemma_hashes)).tolist()
        if candidates:
            # Title-case, telegraphic headlines are unlike the running text the model learned
            # from ("What the Merger *Could* Mean"): there the lexicon decides alone.
            sections = token_sections(doc)
            candidates = [index for index in candidates if sections[index] not in HEADLINE_SECTIONS]
        for index in candidates:
            token = doc[index]
            if token.lemma_.lower() in self.lemmas:
                probabilities[index] = self.model.predict(cue_token_features(token))
        return probabilities

    def __call__(self, doc: Doc) -> Doc:
        probabilities = self.probabilities(doc)
        cues = list(doc.spans.get(self.cues_key, []))
        kept, found_at = choose_cues(
            doc, cues, probabilities, self.lemmas, self.min_count, self.threshold, self.drop_probability,
            self.readd_probability,
        )
        for cue in cues:
            cue._.claimx_cue_probability = None
        for cue, probability, checked in kept:
            if probability is None:
                continue
            cue._.claimx_cue_probability = round(probability, 3)
            if not checked:
                cue._.claimx_cue_weight = scaled_weight(cue._.claimx_cue_weight, probability)
        found = []
        for index, probability in found_at:
            lemma = doc[index].lemma_.lower()
            kind, cue_type, weight = LEARNED_CUE_KINDS.get(self.lemmas[lemma].get("type", "epistemic"),
                                                           LEARNED_CUE_KINDS["epistemic"])
            span = Span(doc, index, index + 1, label=kind)
            span._.claimx_cue_type = cue_type
            span._.claimx_cue_weight = scaled_weight(weight, probability)
            span._.claimx_cue_rule = f"learned.{lemma}"
            span._.claimx_cue_probability = round(probability, 3)
            found.append(span)
        kept_spans = [cue for cue, _, _ in kept]
        cues = filter_spans(kept_spans + found) if found else kept_spans
        doc.spans[self.cues_key] = sorted(cues, key=lambda span: (span.start, span.end))
        return doc


def choose_cues(
    doc: Doc, cues: list[Span], probabilities: dict[int, float], known: dict[str, dict], min_count: int,
    threshold: float, drop_probability: float, readd_probability: float = REJECTED_READD_PROBABILITY,
) -> tuple[list[tuple[Span, float | None, bool]], list[tuple[int, float]]]:
    """The cue model's decisions, apart from any change to the Doc (training replays them to
    choose thresholds): the lexicon cues kept, each with the probability the model gave it (None
    where it did not look) and whether its rule checked its context; and the (token, probability)
    of each word that becomes a learned cue."""
    kept: list[tuple[Span, float | None, bool]] = []
    for cue in cues:
        probability = None
        checked = "+" in (cue._.claimx_cue_rule or "")
        if cue.label_ in DISAMBIGUATED_KINDS and len(cue) == 1 and cue._.claimx_cue_learnable:
            token = cue[0]
            stats = known.get(token.lemma_.lower())
            if stats and stats["count"] >= min_count and token.i in probabilities:
                probability = probabilities[token.i]
                # The lexicon is curated, so the model drops one of its cues only on strong
                # evidence ("could play the piano"); a cue whose rule did not check its
                # context is weighted by the model's probability.
                if probability < (drop_probability if checked else threshold):
                    continue
        kept.append((cue, probability, checked))
    covered = {i for cue, _, _ in kept for i in range(cue.start, cue.end)}
    # Words a lexicon rule looked at and rejected ("a likely candidate") come back only when
    # the model is fairly sure (`claimx train` chooses how sure).
    rejected = set(doc._.claimx_rejected_cues or ())
    found = []
    for index in sorted(probabilities):
        probability = probabilities[index]
        if probability < threshold or index in covered:
            continue
        if index in rejected and probability < readd_probability:
            continue
        found.append((index, probability))
    return kept, found


class FactualityModel:
    """A learned [-3, +3] factuality estimate of each claim's head event, and optionally of
    every event (verbs, event nouns and adjectives) in the claim and in the frame reporting it.

    The ridge output goes through a median calibration fitted on held-out training folds.
    """

    def __init__(self, model: HashedLinearModel, claims_key: str = CLAIMS_KEY, events: bool = False) -> None:
        self.model = model
        self.claims_key = claims_key
        self.events = events
        calibration = model.meta.get("calibration") or {}
        self.edges: list[float] = calibration.get("edges", [])
        self.medians: list[float] = calibration.get("medians", [])
        self.event_nouns = frozenset(model.meta.get("event_nouns", []))
        self.event_adjectives = frozenset(model.meta.get("event_adjectives", []))

    def value(self, token: Token, question: bool) -> float:
        """Calibrated factuality of the event a token names."""
        raw = self.model.predict(predicate_features(token, question=question))
        if self.medians:
            raw = self.medians[bisect_right(self.edges, raw)]
        return round(max(-3.0, min(3.0, raw)), 3)

    def is_event(self, token: Token) -> bool:
        """Verbs; nouns that name events (seen as event nouns or verbs in training, or deverbal by
        form); adjectives seen as events in training ("willing", "ongoing")."""
        pos = token.pos_
        if pos == "VERB":
            return True
        if pos == "NOUN":
            lemma = token.lemma_.lower()
            return lemma in self.event_nouns or lemma.endswith(EVENT_NOUN_SUFFIXES)
        return pos == "ADJ" and token.lemma_.lower() in self.event_adjectives

    def __call__(self, doc: Doc) -> Doc:
        claims = list(doc.spans.get(self.claims_key, []))
        if not claims:
            return doc
        # Question marks seen up to each token, to tell which sentences ask something.
        marks = np.concatenate([[0], np.cumsum(doc.to_array([ORTH, ORTH])[:, 0] == QUESTION_MARK)])
        for claim in claims:
            head = doc[claim._.claimx_head]
            start, end = claim._.claimx_sentence_span
            question = bool(marks[end] - marks[start])
            claim._.claimx_event_factuality = self.value(head, question)
            if self.events:
                scopes = (("clause", claim._.claimx_tokens), ("frame", claim._.claimx_frame_tokens or ()))
                claim._.claimx_events = [
                    [token.i, self.value(token, question), scope]
                    for scope, indices in scopes
                    for token in (doc[i] for i in indices) if self.is_event(token)
                ]
        return doc



class SentenceScorer:
    """Sentence-level check-worthiness and subjectivity, set on each claim of the sentence.

    Both models read the same features, so they are built once per sentence.
    """

    def __init__(self, checkworthiness: HashedLinearModel, subjectivity: HashedLinearModel,
                 cues_key: str = CUES_KEY, claims_key: str = CLAIMS_KEY) -> None:
        self.checkworthiness = checkworthiness
        self.subjectivity = subjectivity
        self.cues_key = cues_key
        self.claims_key = claims_key

    def __call__(self, doc: Doc) -> Doc:
        claims = list(doc.spans.get(self.claims_key, []))
        if not claims:
            return doc
        sentences, checkworthy, subjective = self.decisions(doc)
        by_sentence = {
            span: (round(float(c), 3), round(float(s), 3))
            for span, c, s in zip(sentences, _sigmoid(checkworthy), _sigmoid(subjective))
        }
        for claim in claims:
            claim._.claimx_checkworthiness, claim._.claimx_subjectivity = by_sentence[tuple(claim._.claimx_sentence_span)]
        return doc

    def decisions(self, doc: Doc) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
        """The (start, end) token spans of the sentences that hold claims, and both models' logits
        for each (a sentence is positive at logit ≥ 0); the accurate tier blends these in."""
        sentences = claim_sentences(doc, self.claims_key)
        if not sentences:
            return [], np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32)
        cues = list(doc.spans.get(self.cues_key, []))
        featurizer = TextFeaturizer(doc)
        features = [
            featurizer.features(doc[start:end], [c.label_ for c in cues if start <= c.start < end])
            for start, end in sentences
        ]
        # Both models score every sentence of the Doc in one numpy pass each.
        n = self.checkworthiness.vectorizer.n_features
        counted = count_batch(features, n) if self.subjectivity.vectorizer.n_features == n else None
        return (sentences, self.checkworthiness.decisions(features, counted),
                self.subjectivity.decisions(features, counted))


def claim_sentences(doc: Doc, claims_key: str = CLAIMS_KEY) -> list[tuple[int, int]]:
    """The (start, end) token spans of the sentences that hold claims, each once, in order."""
    return list({tuple(claim._.claimx_sentence_span): None for claim in doc.spans.get(claims_key, [])})


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))


@Language.factory(
    "claimx_cue_model",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"model_dir": None, "cues_key": CUES_KEY},
)
def make_cue_model(nlp: Language, name: str, model_dir: str | None, cues_key: str) -> CueModel:
    """Learned cue disambiguation and discovery; add it after "claimx_cues"."""
    return CueModel(_load("uncertainty_cues", model_dir), cues_key=cues_key)


@Language.factory(
    "claimx_factuality",
    requires=["doc.spans"],
    default_config={"model_dir": None, "claims_key": CLAIMS_KEY, "events": False},
)
def make_factuality(
    nlp: Language, name: str, model_dir: str | None, claims_key: str, events: bool
) -> FactualityModel:
    """Learned event factuality of claim heads (and, with `events`, of every event in a claim)."""
    return FactualityModel(_load("factuality", model_dir), claims_key=claims_key, events=events)


@Language.factory(
    "claimx_sentence_scores",
    requires=["doc.spans"],
    default_config={"model_dir": None, "cues_key": CUES_KEY, "claims_key": CLAIMS_KEY},
)
def make_sentence_scores(
    nlp: Language, name: str, model_dir: str | None, cues_key: str, claims_key: str
) -> SentenceScorer:
    """Check-worthiness and subjectivity of each claim's sentence (0–1); add it last."""
    return SentenceScorer(_load("checkworthiness", model_dir), _load("subjectivity", model_dir), cues_key, claims_key)
