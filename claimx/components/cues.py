"""`claimx_cues`: finds hedges, boosters, negation, conditions, questions, attribution and doubt.

Lexicon entries become spaCy Matcher patterns over lemmas and words; each match must pass its
entry's disambiguation check (`claimx.cue_checks`), then overlapping matches keep the longest, so
"there is no doubt" wins over "no" and "doubt". Results go to `doc.spans["claimx_cues"]` with the
kind as label and type, weight and rule as span extensions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from claimx.cue_checks import CHECKS
from claimx.extensions import CUES_KEY
from claimx.lexicon import CueEntry, Lexicon, expand_alternatives, load_lexicon, load_rows

LEXICON_FILE = "cues.jsonl"
FIRST_WORD_ATTRS = ("LOWER", "LEMMA", "ORTH")
TOKEN_ATTRS = {"LOWER": "lower_", "LEMMA": "lemma_", "ORTH": "text", "POS": "pos_", "TAG": "tag_", "DEP": "dep_"}


def plain_values(wanted: Any) -> list[str] | None:
    """The values a token attribute spec accepts when it is an exact value or {"IN": [...]};
    None for anything else ("REGEX", "NOT_IN", ...), which only spaCy's Matcher understands."""
    if isinstance(wanted, str):
        return [wanted]
    if isinstance(wanted, dict) and set(wanted) == {"IN"}:
        return [str(value) for value in wanted["IN"]]
    return None


def is_fixed_sequence(pattern: list[dict[str, Any]]) -> bool:
    """A pattern without operators over plain token attributes (exact values or {"IN": [...]}),
    starting with a word; anything else is left to spaCy's Matcher."""
    return bool(pattern) and all(
        "OP" not in spec and set(spec) <= set(TOKEN_ATTRS)
        and all(plain_values(value) is not None for value in spec.values())
        for spec in pattern
    ) and any(isinstance(pattern[0].get(attr), str) for attr in FIRST_WORD_ATTRS)


def token_matches(token: Token, spec: dict[str, Any]) -> bool:
    """Whether a token satisfies one token of a fixed-sequence pattern."""
    for attribute, wanted in spec.items():
        value = getattr(token, TOKEN_ATTRS[attribute])
        if isinstance(wanted, dict):
            if value not in wanted["IN"]:
                return False
        elif value != wanted:
            return False
    return True


def required_words(pattern: list[dict[str, Any]]) -> tuple[int, list[str]] | None:
    """(attribute position, words) of the last token a pattern cannot match without, if any.

    The last such token: in "in (a) fact", "raise (ADJ)* question", it is the rarer word.
    """
    for spec in reversed(pattern):
        if spec.get("OP", "1") not in ("1", "+"):
            continue
        for position, attribute in enumerate(FIRST_WORD_ATTRS):
            words = plain_values(spec.get(attribute))
            if words is not None:
                return position, words
    return None


def holding(table: np.ndarray, words: list[np.ndarray]) -> np.ndarray:
    """Indices of the tokens whose LOWER, LEMMA or ORTH (columns of `table`) is among `words`
    (one array of spaCy hashes per attribute, in FIRST_WORD_ATTRS order)."""
    found = np.zeros(len(table), dtype=bool)
    for position, wanted in enumerate(words):
        if len(wanted):
            found |= np.isin(table[:, position], wanted)
    return np.flatnonzero(found)


class CueTagger:
    """Matches lexicon cues in parsed Docs and stores them as a span group."""

    def __init__(self, vocab: Any, lexicon: Lexicon, spans_key: str = CUES_KEY) -> None:
        self.vocab = vocab
        self.spans_key = spans_key
        self.set_lexicon(lexicon)

    def set_lexicon(self, lexicon: Lexicon) -> None:
        """Replace the cue lexicon and rebuild the matchers.

        Fixed word sequences (most entries) are looked up by their first word, which costs a
        dict lookup per token; only patterns with operators go through spaCy's Matcher, whose
        cost grows with the number of patterns at every token.
        """
        self.lexicon = lexicon
        self.matcher = Matcher(self.vocab, validate=True)
        # Keyed by (attribute, spaCy hash of the word) so a lookup needs no string.
        self.by_first_word: dict[tuple[int, int], list[tuple[CueEntry, list[dict[str, Any]]]]] = {}
        # Words one of which every Matcher pattern needs (per attribute): the Matcher only runs
        # on sentences that hold one. None when some pattern needs no particular word.
        anchors: list[set[int]] | None = [set() for _ in FIRST_WORD_ATTRS]
        strings = self.vocab.strings
        for entry in lexicon.entries.values():
            # Patterns with operators ("in fact", "there is no doubt") stay with the Matcher:
            # spelled out, they would be tried at every "in" and "there".
            expanded = expand_alternatives(entry.pattern, 256)
            if expanded is None or not all(is_fixed_sequence(pattern) for pattern in expanded):
                self.matcher.add(entry.id, [entry.pattern])
                anchor = required_words(entry.pattern)
                if anchor is None or anchors is None:
                    anchors = None
                else:
                    position, words = anchor
                    anchors[position].update(strings.add(word) for word in words)
                continue
            for pattern in expanded:
                attribute, value = next((a, v) for a, v in pattern[0].items() if a in FIRST_WORD_ATTRS and isinstance(v, str))
                key = (FIRST_WORD_ATTRS.index(attribute), strings.add(value))
                self.by_first_word.setdefault(key, []).append((entry, pattern))
        # Per attribute, the first words to look for, so candidates are found with numpy.
        self.first_words = [
            np.array(sorted({value for kind, value in self.by_first_word if kind == position}), dtype=np.uint64)
            for position in range(len(FIRST_WORD_ATTRS))
        ]
        self.matcher_anchors = None if anchors is None else [np.array(sorted(words), dtype=np.uint64) for words in anchors]

    def _matcher_matches(self, doc: Doc, table: np.ndarray) -> Iterator[tuple[str, int, int]]:
        """Matcher patterns, run only over the sentences that hold one of their required words.

        Running spaCy's Matcher over every token costs more than all the fixed cues together;
        the words every operator pattern needs ("skepticism", "fact", "doubt") are rare.
        """
        if not len(self.matcher):
            return
        if self.matcher_anchors is None or not doc.has_annotation("SENT_START"):
            yield from ((self.vocab.strings[m], start, end) for m, start, end in self.matcher(doc))
            return
        done: set[int] = set()
        for index in holding(table, self.matcher_anchors).tolist():
            sentence = doc[index].sent
            if sentence.start in done:
                continue
            done.add(sentence.start)
            for match_id, start, end in self.matcher(sentence):
                yield self.vocab.strings[match_id], sentence.start + start, sentence.start + end

    def _fixed_matches(self, doc: Doc, table: np.ndarray) -> Iterator[tuple[CueEntry, int, int]]:
        lookup = self.by_first_word
        for index in holding(table, self.first_words):
            token = doc[int(index)]
            for key in ((0, token.lower), (1, token.lemma), (2, token.orth)):
                for entry, pattern in lookup.get(key, ()):
                    end = token.i + len(pattern)
                    if end <= len(doc) and all(
                        token_matches(doc[token.i + offset], spec) for offset, spec in enumerate(pattern)
                    ):
                        yield entry, token.i, end

    def find(self, doc: Doc) -> list[Span]:
        """All cue spans in a parsed Doc, checked and de-overlapped, in text order."""
        if not len(doc):
            doc._.claimx_rejected_cues = []
            return []
        table = doc.to_array([LOWER, LEMMA, ORTH])
        matches = [(self.lexicon.entries[key], start, end) for key, start, end in self._matcher_matches(doc, table)]
        matches.extend(self._fixed_matches(doc, table))
        candidates = []
        rejected = set()
        vetoed = set()
        for entry, start, end in matches:
            span = Span(doc, start, end, label=entry.kind)
            passed = not entry.check or CHECKS[entry.check](span)
            if entry.veto or not passed:
                # A failed check, or a passed veto, says these words are no cue here.
                if end - start == 1 and passed == entry.veto:
                    rejected.add(start)
                    if entry.veto:
                        vetoed.add(start)
                continue
            candidates.append((span, entry))
        if vetoed:
            candidates = [(span, entry) for span, entry in candidates if not (len(span) == 1 and span.start in vetoed)]
        doc._.claimx_rejected_cues = sorted(rejected)
        kept = {(s.start, s.end) for s in filter_spans([span for span, _ in candidates])}
        cues = []
        seen: set[tuple[int, int]] = set()
        for span, entry in sorted(candidates, key=lambda pair: (pair[0].start, pair[0].end)):
            key = (span.start, span.end)
            if key not in kept or key in seen:
                continue
            seen.add(key)
            span._.claimx_cue_type = entry.type
            span._.claimx_cue_weight = entry.weight
            span._.claimx_cue_rule = f"{entry.id}+{entry.check}" if entry.check else entry.id
            span._.claimx_cue_learnable = entry.learnable
            cues.append(span)
        return cues

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.spans_key] = self.find(doc)
        return doc


    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the effective lexicon next to the pipeline, so a saved pipeline stands alone."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in self.lexicon.to_jsonl_rows())
        (path / LEXICON_FILE).write_text("".join(lines), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CueTagger:
        """Load the lexicon saved by `to_disk`."""
        file = Path(path) / LEXICON_FILE
        rows = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
        self.set_lexicon(load_rows(rows, str(file)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps(self.lexicon.to_jsonl_rows()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> CueTagger:
        self.set_lexicon(load_rows(json.loads(data), "<bytes>"))
        return self


@Language.factory(
    "claimx_cues",
    assigns=["doc.spans"],
    requires=["token.lemma", "token.pos", "token.dep"],
    default_config={"extra_lexicons": [], "use_default_lexicon": True, "spans_key": CUES_KEY},
)
def make_cues(
    nlp: Language,
    name: str,
    extra_lexicons: list[str],
    use_default_lexicon: bool,
    spans_key: str,
) -> CueTagger:
    """Cue tagger over claimx's shipped lexicon plus any user lexicon files (JSONL paths)."""
    lexicon = load_lexicon(extra_lexicons, use_default=use_default_lexicon)
    return CueTagger(nlp.vocab, lexicon, spans_key=spans_key)
