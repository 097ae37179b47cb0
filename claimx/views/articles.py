"""Articles as the views see them: claim records, the text they index when it is known, and
inputs that failed.

claimx JSONL is read leniently so the views outlive record versions: any `claimx.claim/*` line
is accepted, keys a view does not know are ignored, and `claimx.error/*` lines become failed
inputs. A line that is not a claimx record stops the reading with its file and line number.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from claimx.schema import ErrorRecord

if TYPE_CHECKING:
    from spacy.language import Language

CLAIM_SCHEMA_PREFIX = "claimx.claim/"
ERROR_SCHEMA_PREFIX = "claimx.error/"
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


class RecordsError(Exception):
    """A line of claimx JSONL that cannot be read; the message names its file and line."""

    def __init__(self, source: str, line_number: int, problem: str) -> None:
        super().__init__(f"{source}:{line_number}: {problem}")
        self.source = source
        self.line_number = line_number
        self.problem = problem


@dataclass(slots=True)
class Article:
    """One article's claims, with the text their offsets index when the views have it."""

    doc_id: str
    claims: list[Claim] = field(default_factory=list)
    text: str | None = None

    @property
    def word_basis(self) -> str:
        """What `words` counts: the whole `article`, or only the text its `claims` cover."""
        return "article" if self.text is not None else "claims"

    @property
    def words(self) -> int:
        """Words in the article text, or, from records alone, words in the text claims cover."""
        if self.text is not None:
            return count_words(self.text)
        words = 0
        covered_until = -1
        for claim in sorted(self.claims, key=lambda claim: (claim.start, -claim.end)):
            if claim.end <= covered_until:
                continue
            # Count an overlap between neighbouring claims once.
            words += count_words(claim.text[max(0, covered_until - claim.start):])
            covered_until = claim.end
        return words


def count_words(text: str) -> int:
    """Words as people count them: runs of letters or digits, with inner hyphens and apostrophes."""
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue as the views need it (the fields of a record's `cues` entries)."""

    text: str
    kind: str
    type: str
    start: int
    end: int
    weight: float
    rule: str
    scope: str
    probability: float | None


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity inside a claim."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Source:
    """Who makes a claim: `author`, or a `speaker` (text None when unnamed). From
    `claimx.claim/5` on, `speaker` is the article's id for it and `name` its fullest name."""

    kind: str
    text: str | None = None
    speaker: str | None = None
    name: str | None = None
    type: str | None = None
    attribution: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """The part of a claim record the views show; read from any `claimx.claim/*` version."""

    doc_id: str
    claim_id: str
    start: int
    end: int
    text: str
    label: str
    polarity: str
    confidence: float
    source: Source
    section: str = "body"
    sentence_index: int = 0
    claim_type: str = "statement"
    explanation: str = ""
    entities: tuple[Entity, ...] = ()
    cues: tuple[Cue, ...] = ()
    schema: str = CLAIM_SCHEMA_PREFIX
    # The record's statement as shown: (text, role) segments in reading order, role "" for the
    # spaces between pieces; empty for records older than claimx.claim/5.
    statement: tuple[tuple[str, str], ...] = ()

    @property
    def statement_text(self) -> str:
        """The claim as a sentence that stands alone (its own text for records without one)."""
        return "".join(text for text, _ in self.statement) if self.statement else self.text

    @property
    def restated(self) -> bool:
        """Whether the statement says more than the claim's own text (a subject, a modal, a name)."""
        return any(role not in ("claim", "") for _, role in self.statement)


def statement_segments(statement: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """A record's statement as (text, role) segments: each piece as the statement shows it
    (antecedents in brackets) and, with role "", whatever joins them."""
    if not statement:
        return ()
    text = str(statement["text"])
    segments: list[tuple[str, str]] = []
    cursor = 0
    for piece in statement.get("pieces") or ():
        role = str(piece["role"])
        shown = f"[{piece['text']}]" if role == "antecedent" else str(piece["text"])
        found = text.find(shown, cursor)
        if found < 0:  # a statement that does not read its pieces: show its text as it is
            return ((text, "claim"),)
        if found > cursor:
            segments.append((text[cursor:found], ""))
        segments.append((shown, role))
        cursor = found + len(shown)
    if cursor < len(text):
        segments.append((text[cursor:], ""))
    return tuple(segments)


def speaker_name(claim: Claim) -> str | None:
    """Who a claim is attributed to, for display: the speaker's name ("Patricia Hewitt" for
    "she", "Ms Hewitt" and "Hewitt" alike), else the words the article uses; None for the author."""
    if claim.source.kind != "speaker":
        return None
    return claim.source.name or claim.source.text or "unnamed source"


def speaker_key(claim: Claim) -> str | None:
    """What identifies a claim's speaker within its article: the speaker id, else the name."""
    if claim.source.kind != "speaker":
        return None
    return claim.source.speaker or (speaker_name(claim) or "").lower()


def speaker_shown(claims: Sequence[Claim]) -> list[bool]:
    """Whether each claim's badge names its speaker: only the first of a row by one speaker.

    A quotation of many claims would otherwise repeat the speaker before each of them; naming
    them once keeps the text readable and makes a change of speaker stand out.
    """
    shown, previous = [], None
    for claim in claims:
        speaker = speaker_key(claim)
        shown.append(speaker is not None and speaker != previous)
        previous = speaker
    return shown


def claim_from_dict(data: dict[str, Any]) -> Claim:
    """A Claim from a record dict (a decoded JSON line, or `Claim.to_dict()`).

    Keys the views do not use are ignored. Raises KeyError, TypeError or ValueError when a field
    they need is missing or has the wrong type.
    """
    start, end, text, doc_id = int(data["start"]), int(data["end"]), data["text"], data["doc_id"]
    if not isinstance(text, str) or not isinstance(doc_id, str):
        raise TypeError("'text' and 'doc_id' must be strings")
    if not 0 <= start <= end:
        raise ValueError(f"bad offsets start={start}, end={end}")
    source = data.get("source") or {"kind": "author"}
    return Claim(
        doc_id=doc_id,
        claim_id=str(data.get("claim_id") or f"{doc_id}:{start}-{end}"),
        start=start,
        end=end,
        text=text,
        label=str(data["label"]),
        polarity=str(data.get("polarity") or "positive"),
        confidence=float(data.get("confidence") or 0.0),
        source=Source(str(source["kind"]), source.get("text"), source.get("speaker"), source.get("name"),
                      source.get("type"), source.get("attribution")),
        section=str(data.get("section") or "body"),
        sentence_index=int(data.get("sentence_index") or 0),
        claim_type=str(data.get("claim_type") or "statement"),
        explanation=str(data.get("explanation") or ""),
        entities=tuple(
            Entity(str(entity["text"]), str(entity["label"]), int(entity["start"]), int(entity["end"]))
            for entity in data.get("entities") or ()
        ),
        cues=tuple(
            Cue(
                text=str(cue["text"]), kind=str(cue["kind"]), type=str(cue.get("type") or ""),
                start=int(cue["start"]), end=int(cue["end"]), weight=float(cue.get("weight") or 0.0),
                rule=str(cue.get("rule") or ""), scope=str(cue.get("scope") or "clause"),
                probability=None if cue.get("probability") is None else float(cue["probability"]),
            )
            for cue in data.get("cues") or ()
        ),
        schema=str(data["schema"]),
        statement=statement_segments(data.get("statement")),
    )


def read_records(lines: Iterable[str], source: str) -> Iterator[Claim | ErrorRecord]:
    """Claim and error records from lines of claimx JSONL; blank lines are skipped.

    `source` names the input in error messages ("claims.jsonl", "stdin"). Raises RecordsError
    at the first line that is not a claimx record.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            hint = ""
            if number == 1:
                hint = " (this reads the JSON lines `claimx extract` prints, not article text)"
            raise RecordsError(source, number, f"not a JSON line: {error.msg}{hint}") from None
        schema = data.get("schema") if isinstance(data, dict) else None
        if not isinstance(schema, str):
            raise RecordsError(source, number, "not a claimx record (no \"schema\" field)")
        if schema.startswith(ERROR_SCHEMA_PREFIX):
            yield ErrorRecord(
                input=str(data.get("input", source)), kind=str(data.get("kind", "unknown")),
                message=str(data.get("message", "")), schema=schema,
            )
        elif schema.startswith(CLAIM_SCHEMA_PREFIX):
            try:
                yield claim_from_dict(data)
            except KeyError as error:
                raise RecordsError(source, number, f"claim record lacks the field {error}") from None
            except (TypeError, ValueError, AttributeError) as error:
                raise RecordsError(source, number, f"malformed claim record: {error}") from None
        else:
            raise RecordsError(source, number, f"unknown record schema {schema!r} "
                               f"(expected {CLAIM_SCHEMA_PREFIX}* or {ERROR_SCHEMA_PREFIX}*)")


def read_record_stream(stream: TextIO, source: str) -> Iterator[Claim | ErrorRecord]:
    """read_records over an open text stream, reporting a bad encoding as a RecordsError."""
    try:
        yield from read_records(stream, source)
    except UnicodeDecodeError as error:
        raise RecordsError(source, 1, f"not UTF-8 text: {error.reason}") from None


def group_articles(records: Iterable[Claim | ErrorRecord]) -> tuple[list[Article], list[ErrorRecord]]:
    """Claims grouped by doc_id in order of first appearance, claims sorted by position; and the errors."""
    articles: dict[str, Article] = {}
    errors: list[ErrorRecord] = []
    for record in records:
        if isinstance(record, ErrorRecord):
            errors.append(record)
            continue
        articles.setdefault(record.doc_id, Article(record.doc_id)).claims.append(record)
    for article in articles.values():
        article.claims.sort(key=lambda claim: (claim.start, claim.end))
    return list(articles.values()), errors


def article_from_text(nlp: Language, text: str, doc_id: str) -> Article:
    """Run the pipeline on one article's decoded text."""
    from claimx.pipeline import extract_text

    claims = [claim_from_dict(record.to_dict()) for record in extract_text(nlp, text, doc_id)]
    return Article(doc_id, sorted(claims, key=lambda claim: (claim.start, claim.end)), text)


def read_jsonl_articles(paths: Sequence[str]) -> tuple[list[Article], list[ErrorRecord]]:
    """Articles and error records from claimx JSONL files ("-" is stdin), folders giving their *.jsonl.

    Raises RecordsError for a bad line, and OSError for a file that cannot be opened.
    """
    from claimx.inputs import discover

    def records() -> Iterator[Claim | ErrorRecord]:
        for path in (item.path for item in discover(paths, suffixes=frozenset({".jsonl"}))):
            if path == "-":
                stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
                yield from read_record_stream(stream, "stdin")
                continue
            with open(path, encoding="utf-8") as stream:
                yield from read_record_stream(stream, path)

    return group_articles(records())


def read_text_articles(
    nlp: Language, paths: Sequence[str], doc_id: str | None = None
) -> tuple[list[Article], list[ErrorRecord]]:
    """Articles from text or HTML files ("-" is stdin; folders give their text and HTML files), through the pipeline.

    Files are read as `claimx extract` reads them (HTML pages by their main text), so offsets
    match its records. An input that cannot be read becomes an error record, and the others are
    still processed.
    """
    from claimx.inputs import HTML_SUFFIXES, TEXT_SUFFIXES, Source, discover, load_article
    from claimx.reading import InputError

    articles: list[Article] = []
    errors: list[ErrorRecord] = []
    for item in discover(paths, suffixes=TEXT_SUFFIXES | HTML_SUFFIXES):
        path = item.path
        shown = "stdin" if path == "-" else path
        input_format = item.format
        if input_format == "jsonl":
            errors.append(ErrorRecord(input=shown, kind="unsupported", message=(
                "is JSONL: pass claimx records with --from-jsonl, or run article collections "
                "through claimx extract first")))
            continue
        data = sys.stdin.buffer.read() if path == "-" else None
        try:
            text = load_article(Source(shown, doc_id or shown, input_format, None if path == "-" else path, data),
                                max_chars=0).text
        except InputError as error:
            errors.append(ErrorRecord(input=shown, kind=error.kind, message=error.message))
            continue
        try:
            articles.append(article_from_text(nlp, text, doc_id or shown))
        except Exception as error:  # one bad article must not stop the others
            errors.append(ErrorRecord(input=shown, kind="processing",
                                      message=f"processing failed: {type(error).__name__}: {error}"))
    return articles, errors
