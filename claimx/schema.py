"""The claim record: claimx's public output contract, and its JSON Schema.

Every field is defined here once. Key order is fixed by the dataclass field order, so the same
input always serialises to the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from typing import Any

SCHEMA_VERSION = "claimx.claim/5"
ERROR_SCHEMA_VERSION = "claimx.error/1"
ERROR_KINDS = (
    "missing", "unreadable", "binary", "decode", "malformed", "too_large", "unsupported", "output", "processing",
    "corrupt",
)
# What the offsets of a record index: the decoded input file (or stdin), the text field of a JSONL
# line, CSV row or Parquet row, or the main text claimx extracted from an HTML page (`claimx text
# PAGE.html` prints it; WARC responses are HTML pages).
TEXT_ORIGINS = ("input", "jsonl_field", "html_extracted", "csv_field", "parquet_field")

SECTIONS = ("headline", "subheadline", "byline", "date", "dateline", "subheading", "body")
CUE_KINDS = ("hedge", "booster", "negation", "condition", "question", "attribution", "doubt")
LABELS = ("certain", "probable", "possible", "doubtful", "unknown")
POLARITIES = ("positive", "negative")
CLAIM_TYPES = (
    "recommendation",
    "prediction",
    "causal",
    "quantity",
    "rule",
    "evaluation",
    "personal_experience",
    "event",
    "question",
    "statement",
)
SOURCE_KINDS = ("author", "speaker")
# How a speaker's claim is attributed, and what kind of source the speaker is.
ATTRIBUTION_MODES = ("direct_quote", "indirect_speech", "according_to", "belief")
SOURCE_TYPES = ("person", "organisation", "anonymous", "document", "unresolved", "other")
CUE_SCOPES = ("clause", "frame", "sentence", "modifier")
# Where each piece of a statement comes from: the claim itself, or restored from its sentence.
STATEMENT_ROLES = ("claim", "subject", "auxiliary", "antecedent")
EVENT_SCOPES = ("clause", "frame")
# The sentence-score tiers a record can name in `tier` (the default tier names none).
SCORE_TIERS = ("accurate",)


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A stretch of the decoded input: `text == input[start:end]`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class StatementPiece:
    """A stretch of the decoded input that a statement is made of (`text == input[start:end]`),
    and its `role`: the claim's own words, or words restored from elsewhere in the article."""

    text: str
    start: int
    end: int
    role: str


@dataclass(frozen=True, slots=True)
class Statement:
    """The claim as a sentence that stands alone: its pieces joined, antecedents in brackets."""

    text: str
    pieces: list[StatementPiece] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """A named entity inside a claim."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CueRecord:
    """A word or phrase that tells how sure the source is, and the rule that found it."""

    text: str
    kind: str
    type: str
    start: int
    end: int
    weight: float
    rule: str
    scope: str
    probability: float | None = None


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An event (verb, event noun or adjective) with its learned factuality: in the claim's own
    clause, or in the frame that reports it ("officials *said*", "who *refused* to be named")."""

    text: str
    start: int
    end: int
    factuality: float
    scope: str


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """Who makes the claim: the article's author, or an attributed speaker.

    `text`/`start`/`end` are the words the article uses ("she", "the spokesman"); `resolved` is
    the name they were resolved to, `speaker` the article-wide speaker id every name of that
    speaker shares, `name` its fullest name; `attribution` says how the claim is attributed,
    `cue` the words that attribute it, `type` what kind of source it is. All null for the author.
    """

    kind: str
    text: str | None = None
    start: int | None = None
    end: int | None = None
    speaker: str | None = None
    name: str | None = None
    resolved: TextSpan | None = None
    attribution: str | None = None
    cue: TextSpan | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One claim: one JSON line of `claimx extract` output."""

    doc_id: str
    claim_id: str
    text_origin: str
    sentence_index: int
    section: str
    start: int
    end: int
    text: str
    statement: Statement
    subject: TextSpan | None
    predicate: TextSpan | None
    object: TextSpan | None
    source: SourceRecord
    label: str
    polarity: str
    confidence: float
    factuality: float
    claim_type: str
    checkworthiness: float | None
    subjective: bool | None
    subjectivity: float | None
    # Which implementation scored checkworthiness and subjectivity: "accurate" (the fine-tuned
    # encoder, --accurate); None — and the key left out — for the default tier.
    tier: str | None
    explanation: str
    entities: list[EntityRecord] = field(default_factory=list)
    cues: list[CueRecord] = field(default_factory=list)
    events: list[EventRecord] | None = None
    meta: dict[str, Any] | None = None
    schema: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The record as a plain dict, `schema` first, keys in documented order."""
        data = _plain(self)
        if data["tier"] is None:
            del data["tier"]  # default-tier records stay exactly as they were before tiers existed
        return {"schema": data.pop("schema"), **data}

    def to_json(self) -> str:
        """One JSON line: UTF-8 unescaped, fixed key order, no trailing newline."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """An input that yielded no claims because it failed: one JSON line of `--errors FILE`.

    `input` names it the way the user gave it: a path, "stdin", or "FILE:LINE" / an id for
    one article of a JSONL input. `kind` is one of ERROR_KINDS.
    """

    input: str
    kind: str
    message: str
    schema: str = ERROR_SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {"schema": data.pop("schema"), **data}


def _plain(value: Any) -> Any:
    """Records to dicts and lists, recursively (as `dataclasses.asdict`, which deep-copies and is
    several times slower; this runs once per output line)."""
    known = _FIELDS.get(type(value))
    if known is not None:
        names, values = known
        return {name: item if type(item) in _SCALARS else _plain(item) for name, item in zip(names, values(value))}
    if type(value) is list:
        return [item if type(item) in _SCALARS else _plain(item) for item in value]
    if type(value) is dict:
        return {key: item if type(item) in _SCALARS else _plain(item) for key, item in value.items()}
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})


# Each record class: its field names in order, and one getter returning all their values.
_FIELDS = {
    cls: (names, attrgetter(*names))
    for cls in (TextSpan, StatementPiece, Statement, EntityRecord, CueRecord, EventRecord, SourceRecord, ClaimRecord)
    for names in [tuple(f.name for f in fields(cls))]
}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_OFFSET = {"type": "integer", "minimum": 0}
_TEXT_SPAN = {
    "type": "object",
    "description": "A stretch of the decoded input; text == input[start:end].",
    "properties": {"text": {"type": "string"}, "start": _OFFSET, "end": _OFFSET},
    "required": ["text", "start", "end"],
    "additionalProperties": False,
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every output line validates against."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://claimx.invalid/schema/claim-5.json",
        "title": "claimx claim record",
        "description": "One claim extracted from a news article by claimx. Offsets are Python "
        "string indices (Unicode code points) into the decoded input text, end exclusive.",
        "type": "object",
        "properties": {
            "schema": {"const": SCHEMA_VERSION},
            "doc_id": {"type": "string", "description": "The input's name: path, id or 'stdin'."},
            "claim_id": {"type": "string", "description": "Stable id: same input, same id."},
            "text_origin": {
                "enum": list(TEXT_ORIGINS),
                "description": "What the offsets index: the decoded input, the text field of a JSONL "
                "line, CSV row or Parquet row, or the text extracted from an HTML page (or WARC response).",
            },
            "sentence_index": {"type": "integer", "minimum": 0},
            "section": {"enum": list(SECTIONS)},
            "start": _OFFSET,
            "end": _OFFSET,
            "text": {"type": "string"},
            "statement": {
                "type": "object",
                "description": "The claim as a sentence that stands alone, made only of the article's words: "
                "text is the pieces joined (a space where the article had one, or between restored words), "
                "antecedent pieces in [brackets]. Each piece's text == input[start:end].",
                "properties": {
                    "text": {"type": "string"},
                    "pieces": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "text": {"type": "string"}, "start": _OFFSET, "end": _OFFSET,
                                "role": {"enum": list(STATEMENT_ROLES)},
                            },
                            "required": ["text", "start", "end", "role"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["text", "pieces"],
                "additionalProperties": False,
            },
            "subject": _nullable(_TEXT_SPAN),
            "predicate": _nullable(_TEXT_SPAN),
            "object": _nullable(_TEXT_SPAN),
            "source": {
                "type": "object",
                "description": "Who makes the claim. text/start/end: the words the article uses; the "
                "other fields (null for the author) say what they mean.",
                "properties": {
                    "kind": {"enum": list(SOURCE_KINDS)},
                    "text": {"type": ["string", "null"]},
                    "start": {"type": ["integer", "null"], "minimum": 0},
                    "end": {"type": ["integer", "null"], "minimum": 0},
                    "speaker": {"type": ["string", "null"],
                                "description": "Article-wide speaker id (s1, s2, ...): every name, pronoun "
                                "and role noun that denotes the same speaker shares it."},
                    "name": {"type": ["string", "null"], "description": "The speaker's fullest name in the article."},
                    "resolved": {**_nullable(_TEXT_SPAN),
                                 "description": "The name a pronoun or role noun was resolved to."},
                    "attribution": {"enum": [*ATTRIBUTION_MODES, None],
                                    "description": "How the claim is attributed to the speaker."},
                    "cue": {**_nullable(_TEXT_SPAN),
                            "description": "The words that attribute it (said, according to, a colon)."},
                    "type": {"enum": [*SOURCE_TYPES, None],
                             "description": "Named person, organisation, anonymous (officials, a source "
                             "familiar with), document or study, a pronoun or role noun left unresolved, or other."},
                },
                "required": ["kind", "text", "start", "end", "speaker", "name", "resolved", "attribution",
                             "cue", "type"],
                "additionalProperties": False,
            },
            "label": {"enum": list(LABELS)},
            "polarity": {"enum": list(POLARITIES)},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "factuality": {"type": "number", "minimum": -3, "maximum": 3,
                           "description": "sign(polarity) × (6 × confidence − 3); 0 for unknown"},
            "claim_type": {"enum": list(CLAIM_TYPES)},
            "checkworthiness": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "subjective": {"type": ["boolean", "null"]},
            "subjectivity": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "tier": {
                "enum": list(SCORE_TIERS),
                "description": "Which implementation scored checkworthiness and subjectivity: 'accurate' is the "
                "fine-tuned encoder (--accurate). Absent for the default tier's linear models.",
            },
            "explanation": {"type": "string"},
            "entities": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "label": {"type": "string"},
                        "start": _OFFSET,
                        "end": _OFFSET,
                    },
                    "required": ["text", "label", "start", "end"],
                    "additionalProperties": False,
                },
            },
            "cues": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "kind": {"enum": list(CUE_KINDS)},
                        "type": {"type": "string"},
                        "start": _OFFSET,
                        "end": _OFFSET,
                        "weight": {"type": "number"},
                        "rule": {"type": "string"},
                        "scope": {"enum": list(CUE_SCOPES)},
                        "probability": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                    },
                    "required": ["text", "kind", "type", "start", "end", "weight", "rule", "scope",
                                 "probability"],
                    "additionalProperties": False,
                },
            },
            "events": {
                "description": "Events in the claim (scope clause) and in the frame that reports it "
                "(scope frame), with learned factuality (null unless --events).",
                "anyOf": [
                    {"type": "null"},
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "text": {"type": "string"}, "start": _OFFSET, "end": _OFFSET,
                                "factuality": {"type": "number", "minimum": -3, "maximum": 3},
                                "scope": {"enum": list(EVENT_SCOPES)},
                            },
                            "required": ["text", "start", "end", "factuality", "scope"],
                            "additionalProperties": False,
                        },
                    },
                ],
            },
            "meta": {
                "type": ["object", "null"],
                "description": "The other fields of a JSONL line, CSV row or Parquet row, passed "
                "through (a WARC response's url, warc_record_id and warc_date); null otherwise.",
            },
        },
        "required": [
            "meta", "text_origin", "events", "schema", "doc_id", "claim_id", "sentence_index", "section", "start", "end", "text",
            "statement", "subject", "predicate", "object", "source", "label", "polarity", "confidence",
            "factuality", "claim_type", "checkworthiness", "subjective", "subjectivity",
            "explanation", "entities", "cues",
        ],
        "additionalProperties": False,
    }
