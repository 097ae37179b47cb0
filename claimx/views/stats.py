"""Figures about how articles lean: claims per label, hedge and booster density, attribution,
the cues used most and the entities most often hedged about.

Definitions (the README repeats them): a cue occurrence counts once even when it scopes over
several claims; a claim is *hedged* when its label is `probable` or `possible`; *attributed*
claims have a speaker as source, *authorial* ones the author; densities are per 100 words of
the article, or of the text the claims cover when only records are known (`word_basis`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from claimx.schema import LABELS, ErrorRecord
from claimx.views.articles import Article, speaker_name
from claimx.views.marking import CUE_KIND_ORDER, cue_marks

HEDGED_LABELS = ("probable", "possible")
# Entity types that name who or what a claim is about; numbers and dates are left out.
NUMERIC_ENTITY_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
TOP = 10


@dataclass(frozen=True, slots=True)
class CueCount:
    """How often one cue (lower-cased text and kind) occurs."""

    text: str
    kind: str
    count: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity (by name, with the type NER gave it most often) and how many claims mention it."""

    text: str
    label: str
    hedged_claims: int
    claims: int


@dataclass(frozen=True, slots=True)
class SourceCount:
    """A named speaker and how many claims are attributed to them."""

    text: str
    claims: int


@dataclass(frozen=True, slots=True)
class Statistics:
    """Aggregate figures for one document (`doc_id`) or several (`doc_id` None: overall)."""

    doc_id: str | None
    documents: int
    words: int
    word_basis: str
    claims: int
    labels: dict[str, int]
    hedged_claims: int
    negative_claims: int
    attributed_claims: int
    authorial_claims: int
    attributed_share: float | None
    cues: dict[str, int]
    hedges_per_100_words: float | None
    boosters_per_100_words: float | None
    mean_confidence: float | None
    top_cues: list[CueCount] = field(default_factory=list)
    hedged_entities: list[EntityCount] = field(default_factory=list)
    top_sources: list[SourceCount] = field(default_factory=list)

    def label_share(self, label: str) -> float:
        """The share (0–1) of claims with `label`; 0 when there are no claims."""
        return self.labels.get(label, 0) / self.claims if self.claims else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict, keys in field order."""
        return asdict(self)


def _per_100(count: int, words: int) -> float | None:
    return round(100 * count / words, 2) if words else None


def statistics(articles: Sequence[Article], doc_id: str | None = None) -> Statistics:
    """Figures over `articles`; name the result `doc_id` when it describes one document."""
    labels = Counter({label: 0 for label in LABELS})
    cues = Counter({kind: 0 for kind in CUE_KIND_ORDER})
    cue_texts: Counter[tuple[str, str]] = Counter()
    entity_claims: Counter[str] = Counter()
    entity_hedged: Counter[str] = Counter()
    entity_labels: dict[str, Counter[str]] = {}
    sources: Counter[str] = Counter()
    source_names: dict[str, str] = {}
    claims = hedged = negative = attributed = 0
    confidence_sum = 0.0
    for article in articles:
        for mark in cue_marks(article.claims):
            cues[mark.cue.kind] += 1
            cue_texts[(mark.cue.text.lower(), mark.cue.kind)] += 1
        for claim in article.claims:
            claims += 1
            labels[claim.label] += 1
            confidence_sum += claim.confidence
            is_hedged = claim.label in HEDGED_LABELS
            hedged += is_hedged
            negative += claim.polarity == "negative"
            if claim.source.kind == "speaker":
                attributed += 1
                name = speaker_name(claim)
                if claim.source.text and name:
                    # One row per speaker: every name of a speaker carries its fullest name, and
                    # "She" and "she" are one; show the spelling seen first.
                    key = name.lower()
                    source_names.setdefault(key, name)
                    sources[key] += 1
            # One entity per name: the small NER model may tag "Vantis" ORG here and GPE there.
            for entity in claim.entities:
                if entity.label not in NUMERIC_ENTITY_LABELS:
                    entity_labels.setdefault(entity.text, Counter())[entity.label] += 1
            for name in {entity.text for entity in claim.entities if entity.label not in NUMERIC_ENTITY_LABELS}:
                entity_claims[name] += 1
                entity_hedged[name] += is_hedged
    words = sum(article.words for article in articles)
    bases = {article.word_basis for article in articles}
    return Statistics(
        doc_id=doc_id,
        documents=len(articles),
        words=words,
        word_basis=bases.pop() if len(bases) == 1 else ("mixed" if bases else "article"),
        claims=claims,
        labels=dict(labels),
        hedged_claims=hedged,
        negative_claims=negative,
        attributed_claims=attributed,
        authorial_claims=claims - attributed,
        attributed_share=round(attributed / claims, 4) if claims else None,
        cues=dict(cues),
        hedges_per_100_words=_per_100(cues["hedge"], words),
        boosters_per_100_words=_per_100(cues["booster"], words),
        mean_confidence=round(confidence_sum / claims, 4) if claims else None,
        top_cues=[CueCount(text, kind, count) for (text, kind), count
                  in sorted(cue_texts.items(), key=lambda item: (-item[1], item[0]))[:TOP]],
        hedged_entities=[
            EntityCount(name, entity_labels[name].most_common(1)[0][0], entity_hedged[name], count)
            for name, count in sorted(
                entity_claims.items(),
                key=lambda item: (-entity_hedged[item[0]], -item[1], item[0]),
            )
            if entity_hedged[name]
        ][:TOP],
        top_sources=[SourceCount(source_names[key], count) for key, count
                     in sorted(sources.items(), key=lambda item: (-item[1], item[0]))[:TOP]],
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """Statistics per document, overall, and the inputs that failed."""

    documents: list[Statistics]
    overall: Statistics
    errors: list[ErrorRecord]

    def to_dict(self) -> dict[str, Any]:
        """The `claimx stats --json` object."""
        return {
            "documents": [stats.to_dict() for stats in self.documents],
            "overall": self.overall.to_dict(),
            "errors": [error.to_dict() for error in self.errors],
        }


def summarize(articles: Sequence[Article], errors: Sequence[ErrorRecord] = ()) -> Summary:
    """Statistics for each article and for all of them."""
    return Summary(
        documents=[statistics([article], article.doc_id) for article in articles],
        overall=statistics(articles),
        errors=list(errors),
    )
