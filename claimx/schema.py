"""The claim record: claimx's public output contract, and its JSON Schema.

Every field is defined here once. Key order is fixed by the dataclass field order, so the same
input always serialises to the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from typing import Any

SCHEMA_VERSION = "claimx.claim/4"
ERROR_SCHEMA_VERSION = "claimx.error/1"
ERROR_KINDS = (
    "missing", "unreadable", "binary", "decode", "malformed", "too_large", "unsupported", "output", "processing",
)
# What the offsets of a record index: the decoded input file (or stdin), the text field of a JSONL
# line, or the main text claimx extracted from an HTML page (`claimx text PAGE.html` prints it).
TEXT_ORIGINS = ("input", "jsonl_field", "html_extracted")

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
CUE_SCOPES = ("clause", "frame", "sentence")
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
    """Who makes the claim: the article's author, or an attributed speaker."""

    kind: str
    text: str | None = None
    start: int | None = None
    end: int | None = None


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
    for cls in (TextSpan, EntityRecord, CueRecord, EventRecord, SourceRecord, ClaimRecord)
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
        "$id": "https://claimx.invalid/schema/claim-4.json",
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
                "description": "What the offsets index: the decoded input, a JSONL line's text field, "
                "or the text extracted from an HTML page.",
            },
            "sentence_index": {"type": "integer", "minimum": 0},
            "section": {"enum": list(SECTIONS)},
            "start": _OFFSET,
            "end": _OFFSET,
            "text": {"type": "string"},
            "subject": _nullable(_TEXT_SPAN),
            "predicate": _nullable(_TEXT_SPAN),
            "object": _nullable(_TEXT_SPAN),
            "source": {
                "type": "object",
                "properties": {
                    "kind": {"enum": list(SOURCE_KINDS)},
                    "text": {"type": ["string", "null"]},
                    "start": {"type": ["integer", "null"], "minimum": 0},
                    "end": {"type": ["integer", "null"], "minimum": 0},
                },
                "required": ["kind", "text", "start", "end"],
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
                "description": "The other fields of a JSONL input line, passed through; null otherwise.",
            },
        },
        "required": [
            "meta", "text_origin", "events", "schema", "doc_id", "claim_id", "sentence_index", "section", "start", "end", "text",
            "subject", "predicate", "object", "source", "label", "polarity", "confidence",
            "factuality", "claim_type", "checkworthiness", "subjective", "subjectivity",
            "explanation", "entities", "cues",
        ],
        "additionalProperties": False,
    }
