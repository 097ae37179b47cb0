"""From a processed spaCy Doc to claim records (`claimx.schema.ClaimRecord`)."""

from __future__ import annotations

import hashlib

from spacy.tokens import Doc, Span

from claimx.extensions import CLAIMS_KEY, CUES_KEY
from claimx.factuality import factuality_value
from claimx.schema import ClaimRecord, CueRecord, EntityRecord, EventRecord, SourceRecord, TextSpan


SUBJECTIVE_THRESHOLD = 0.5


def claim_id(doc_id: str, start: int, end: int) -> str:
    """A stable claim id: the same document name and offsets give the same id on every run."""
    digest = hashlib.blake2b(f"{doc_id}\x1f{start}\x1f{end}".encode(), digest_size=8).hexdigest()
    return f"c{digest}"


def _text_span(doc: Doc, text: str, bounds: list[int] | None, offset: int) -> TextSpan | None:
    if not bounds:
        return None
    last = doc[bounds[1] - 1]
    start, end = doc[bounds[0]].idx, last.idx + len(last)
    return TextSpan(text[start:end], start + offset, end + offset)


def _source(source: dict | None, offset: int) -> SourceRecord:
    if not source or source.get("kind") != "speaker":
        return SourceRecord("author")
    if source.get("start") is None:
        return SourceRecord("speaker")
    return SourceRecord("speaker", source["text"], source["start"] + offset, source["end"] + offset)


def claim_record(claim: Span, doc_id: str, cues: list[Span], offset: int = 0,
                 sentence_offset: int = 0, ents: list[Span] | None = None,
                 text: str | None = None) -> ClaimRecord:
    """One claim span as a record; `offset` shifts character offsets (for chunked input)."""
    doc = claim.doc
    text = doc.text if text is None else text
    subjectivity = claim._.claimx_subjectivity
    start, end = claim.start_char + offset, claim.end_char + offset
    entities = [
        EntityRecord(ent.text, ent.label_, ent.start_char + offset, ent.end_char + offset)
        for ent in (doc.ents if ents is None else ents)
        if ent.start < claim.end and ent.end > claim.start
    ]
    cue_records = [
        CueRecord(
            text=cues[index].text,
            kind=cues[index].label_,
            type=cues[index]._.claimx_cue_type,
            start=cues[index].start_char + offset,
            end=cues[index].end_char + offset,
            weight=cues[index]._.claimx_cue_weight,
            rule=cues[index]._.claimx_cue_rule,
            scope=scope,
            probability=cues[index]._.claimx_cue_probability,
        )
        for index, scope in claim._.claimx_cues or []
    ]
    return ClaimRecord(
        doc_id=doc_id,
        claim_id=claim_id(doc_id, start, end),
        sentence_index=claim._.claimx_sentence + sentence_offset,
        section=claim._.claimx_section,
        start=start,
        end=end,
        text=text[claim.start_char : claim.end_char],
        subject=_text_span(doc, text, claim._.claimx_subject, offset),
        predicate=_text_span(doc, text, claim._.claimx_predicate, offset),
        object=_text_span(doc, text, claim._.claimx_object, offset),
        source=_source(claim._.claimx_source, offset),
        label=claim._.claimx_label,
        polarity=claim._.claimx_polarity,
        confidence=claim._.claimx_confidence,
        factuality=factuality_value(claim._.claimx_label, claim._.claimx_polarity, claim._.claimx_confidence),
        claim_type=claim._.claimx_claim_type,
        checkworthiness=claim._.claimx_checkworthiness,
        subjective=None if subjectivity is None else subjectivity >= SUBJECTIVE_THRESHOLD,
        subjectivity=subjectivity,
        explanation=claim._.claimx_explanation,
        entities=entities,
        cues=cue_records,
        events=None if claim._.claimx_events is None else [
            EventRecord(doc[i].text, doc[i].idx + offset, doc[i].idx + len(doc[i]) + offset, value)
            for i, value in claim._.claimx_events
        ],
    )


def doc_records(doc: Doc, doc_id: str, offset: int = 0, sentence_offset: int = 0) -> list[ClaimRecord]:
    """All claim records of a processed Doc, in text order."""
    cues = list(doc.spans.get(CUES_KEY, []))
    ents = list(doc.ents)
    text = doc.text
    return [
        claim_record(claim, doc_id, cues, offset, sentence_offset, ents, text)
        for claim in doc.spans.get(CLAIMS_KEY, [])
    ]
