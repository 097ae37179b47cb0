"""From a processed spaCy Doc to claim records (`claimx.schema.ClaimRecord`)."""

from __future__ import annotations

import hashlib

from spacy.tokens import Doc, Span

from claimx.components.statements import statement_pieces, statement_text
from claimx.extensions import CLAIMS_KEY, CUES_KEY
from claimx.factuality import factuality_value
from claimx.schema import (
    ClaimRecord, CueRecord, EntityRecord, EventRecord, SourceRecord, Statement, StatementPiece, TextSpan,
)


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


def _statement(claim: Span, text: str, offset: int) -> Statement:
    """The claim's statement with character offsets; built here only when no `claimx_statements`
    ran (it runs after claimx_coreference, so its pieces already name the antecedents)."""
    doc = claim.doc
    pieces = claim._.claimx_statement
    if pieces is None:
        pieces = statement_pieces(claim, doc._.claimx_antecedents)
    records, parts = [], []
    for start, end, role, space_after in pieces:
        last = doc[end - 1]
        begin, finish = doc[start].idx, last.idx + len(last)
        records.append(StatementPiece(text[begin:finish], begin + offset, finish + offset, role))
        parts.append((text[begin:finish], role, space_after))
    return Statement(statement_text(parts), records)


def _char_span(text: str, bounds: list[int] | dict | None, offset: int) -> TextSpan | None:
    if not bounds:
        return None
    start, end = (bounds["start"], bounds["end"]) if isinstance(bounds, dict) else bounds
    return TextSpan(text[start:end], start + offset, end + offset)


def _source(source: dict | None, offset: int, text: str = "") -> SourceRecord:
    if not source or source.get("kind") != "speaker":
        return SourceRecord("author")
    if source.get("start") is None:
        return SourceRecord("speaker")
    return SourceRecord(
        "speaker", source["text"], source["start"] + offset, source["end"] + offset,
        speaker=source.get("speaker"), name=source.get("name"),
        resolved=_char_span(text, source.get("resolved"), offset),
        attribution=source.get("how"), cue=_char_span(text, source.get("cue"), offset), type=source.get("type"),
    )


def _cue_rows(cues: list[Span], offset: int) -> list[tuple]:
    """Each cue's record fields once per doc (span extensions are costly to read per claim)."""
    rows = []
    for cue in cues:
        ext = cue._
        rows.append((cue.text, cue.label_, ext.claimx_cue_type, cue.start_char + offset, cue.end_char + offset,
                     ext.claimx_cue_weight, ext.claimx_cue_rule, ext.claimx_cue_probability))
    return rows


def _ent_rows(ents: tuple[Span, ...] | list[Span]) -> list[tuple[Span, int, int]]:
    """(entity, first token, end token) of each entity, read once per Doc."""
    return [(ent, ent.start, ent.end) for ent in ents]


def claim_record(claim: Span, doc_id: str, cues: list[Span], offset: int = 0,
                 sentence_offset: int = 0, ents: list[tuple[Span, int, int]] | None = None,
                 text: str | None = None, cue_rows: list[tuple] | None = None) -> ClaimRecord:
    """One claim span as a record; `offset` shifts character offsets (for chunked input)."""
    doc = claim.doc
    text = doc.text if text is None else text
    cue_rows = _cue_rows(cues, offset) if cue_rows is None else cue_rows
    ext = claim._
    subjectivity = ext.claimx_subjectivity
    label, polarity, confidence = ext.claimx_label, ext.claimx_polarity, ext.claimx_confidence
    start, end = claim.start_char + offset, claim.end_char + offset
    claim_start, claim_end = claim.start, claim.end
    entities = [
        EntityRecord(ent.text, ent.label_, ent.start_char + offset, ent.end_char + offset)
        for ent, ent_start, ent_end in (_ent_rows(doc.ents) if ents is None else ents)
        if ent_start < claim_end and ent_end > claim_start
    ]
    cue_records = [
        CueRecord(*cue_rows[index][:7], scope=scope, probability=cue_rows[index][7])
        for index, scope in ext.claimx_cues or []
    ]
    events = ext.claimx_events
    return ClaimRecord(
        doc_id=doc_id,
        claim_id=claim_id(doc_id, start, end),
        text_origin="input",
        sentence_index=ext.claimx_sentence + sentence_offset,
        section=ext.claimx_section,
        start=start,
        end=end,
        text=text[claim.start_char : claim.end_char],
        statement=_statement(claim, text, offset),
        subject=_text_span(doc, text, ext.claimx_subject, offset),
        predicate=_text_span(doc, text, ext.claimx_predicate, offset),
        object=_text_span(doc, text, ext.claimx_object, offset),
        source=_source(ext.claimx_source, offset, text),
        label=label,
        polarity=polarity,
        confidence=confidence,
        factuality=factuality_value(label, polarity, confidence),
        claim_type=ext.claimx_claim_type,
        checkworthiness=ext.claimx_checkworthiness,
        subjective=None if subjectivity is None else subjectivity >= SUBJECTIVE_THRESHOLD,
        subjectivity=subjectivity,
        tier=ext.claimx_score_tier,
        explanation=ext.claimx_explanation,
        entities=entities,
        cues=cue_records,
        events=None if events is None else [
            EventRecord(doc[i].text, doc[i].idx + offset, doc[i].idx + len(doc[i]) + offset, value, scope)
            for i, value, scope in events
        ],
    )


def doc_records(doc: Doc, doc_id: str, offset: int = 0, sentence_offset: int = 0) -> list[ClaimRecord]:
    """All claim records of a processed Doc, in text order."""
    cues = list(doc.spans.get(CUES_KEY, []))
    ents = _ent_rows(doc.ents)
    text = doc.text
    cue_rows = _cue_rows(cues, offset)
    return [
        claim_record(claim, doc_id, cues, offset, sentence_offset, ents, text, cue_rows)
        for claim in doc.spans.get(CLAIMS_KEY, [])
    ]
