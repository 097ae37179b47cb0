"""`claimx_attribution`: who makes each claim, the author or an attributed speaker.

A claim's source is the subject of its nearest reporting frame ("officials said ...", "analysts
believe ..."), the object of "according to", or, for sentences inside a quotation, the speaker the
quotation is attributed to elsewhere in the paragraph. First-person speakers outside quotes are
the author. Everything else is the author's own claim.
"""

from __future__ import annotations


import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimx.components.claims import SUBJECT_DEPS
from claimx.extensions import CLAIMS_KEY, CUES_KEY
from claimx.token_ids import array_ids

OPENING_QUOTES = frozenset({"“", "«"})
CLOSING_QUOTES = frozenset({"”", "»"})
FIRST_PERSON = frozenset({"i", "we"})
SPEAKER_CUE_TYPES = frozenset({"doxastic"})  # besides every attribution cue
AUTHOR = {"kind": "author", "text": None, "start": None, "end": None}


QUOTE_MARKS = ('"', "''", "``", "“", "”", "«", "»")  # single curly quotes double as apostrophes
_QUOTE_HASHES = array_ids(QUOTE_MARKS)


def quote_regions(doc: Doc) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) token ranges between matching quotation marks.

    Only quotation marks and whitespace tokens are visited (found with numpy), not every token.
    """
    regions: list[tuple[int, int, int]] = []
    if not len(doc):
        return regions
    table = doc.to_array([ORTH, IS_SPACE, SPACY])
    is_space, spaced = table[:, 1] == 1, table[:, 2] == 1
    open_at: int | None = None
    paragraph = 0
    for index in np.flatnonzero(np.isin(table[:, 0], _QUOTE_HASHES) | is_space).tolist():
        text = doc[index].text
        if is_space[index]:
            if "\n" in text:
                open_at = None  # a quote never spans a paragraph break without reopening
                paragraph += 1
            continue
        if text in ('"', "''", "``"):
            attached_before = index > 0 and not spaced[index - 1] and not is_space[index - 1]
            if open_at is not None and (attached_before or text == "''"):
                regions.append((open_at, index + 1, paragraph))
                open_at = None
            else:
                open_at = index
        elif text in OPENING_QUOTES:
            open_at = index
        elif text in CLOSING_QUOTES and open_at is not None:
            regions.append((open_at, index + 1, paragraph))
            open_at = None
    return regions


def _speaker_span(verb: Token) -> Span | None:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.dep_ != "expl"]
    if not subjects:
        agents = [gc for c in verb.children if c.dep_ == "agent" for gc in c.children if gc.dep_ == "pobj"]
        subjects = agents
    if not subjects:
        return None
    subject = subjects[0]
    tokens = [t for t in subject.subtree if not (t.is_punct or t.is_space)]
    if not tokens or subject.lower_ in ("it", "there"):
        return None
    doc = verb.doc
    return doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1]


def _source(span: Span | None, inside_quote: bool = False) -> dict:
    if span is None:
        return {"kind": "speaker", "text": None, "start": None, "end": None}
    if span.text.lower() in FIRST_PERSON and not inside_quote:
        return dict(AUTHOR)
    return {"kind": "speaker", "text": span.text, "start": span.start_char, "end": span.end_char}


class AttributionResolver:
    """Sets `claim._.claimx_source` on every claim span."""

    def __init__(self, cues_key: str = CUES_KEY, claims_key: str = CLAIMS_KEY) -> None:
        self.cues_key = cues_key
        self.claims_key = claims_key

    def __call__(self, doc: Doc) -> Doc:
        cues = list(doc.spans.get(self.cues_key, []))
        claims = list(doc.spans.get(self.claims_key, []))
        regions = quote_regions(doc)
        region_of = {}
        for number, (start, end, _) in enumerate(regions):
            for index in range(start, end):
                region_of[index] = number
        region_speakers: dict[int, dict] = {}
        pending = []
        for claim in claims:
            head = doc[claim._.claimx_head]
            region = region_of.get(head.i)
            source = self._frame_source(doc, claim, cues, region is not None)
            if source is None:
                source = self._according_to(claim, cues)
            if source is not None and region is not None and source["kind"] == "speaker":
                region_speakers.setdefault(region, source)
            claim._.claimx_source = source
            if source is None:
                pending.append((claim, region))
        for claim, region in pending:
            speaker = None if region is None else self._quote_speaker(region, regions, region_speakers)
            claim._.claimx_source = dict(speaker or AUTHOR)
        return doc

    @staticmethod
    def _quote_speaker(region: int, regions: list[tuple[int, int, int]], speakers: dict[int, dict]) -> dict | None:
        """The speaker of a quotation: its own attribution, else the nearest quotation's in the paragraph."""
        if region in speakers:
            return speakers[region]
        paragraph = regions[region][2]
        nearby = [r for r in speakers if regions[r][2] == paragraph]
        if not nearby:
            return None
        return speakers[min(nearby, key=lambda r: (abs(r - region), r > region))]


    @staticmethod
    def _frame_source(doc: Doc, claim: Span, cues: list[Span], inside_quote: bool) -> dict | None:
        """The speaker of the nearest frame whose verb is a reporting or belief cue."""
        for frame_index in claim._.claimx_frames or []:
            frame = doc[frame_index]
            frame_cues = [cues[i] for i, _ in claim._.claimx_cues if cues[i].root.i == frame.i]
            # Speech and belief verbs have speakers; "the data suggest X" stays the author's claim.
            if not any(
                c.label_ == "attribution" or (c._.claimx_cue_type in SPEAKER_CUE_TYPES and c.root.pos_ == "VERB")
                for c in frame_cues
            ):
                continue
            speaker = _speaker_span(frame)
            if speaker is None and any(c.label_ != "attribution" for c in frame_cues):
                continue  # "it seems that": an impersonal hedge, still the author's claim
            return _source(speaker, inside_quote)
        return None

    @staticmethod
    def _according_to(claim: Span, cues: list[Span]) -> dict | None:
        for index, _ in claim._.claimx_cues:
            cue = cues[index]
            if cue._.claimx_cue_rule.startswith("attribution.according_to"):
                objects = [t for t in cue[-1].children if t.dep_ == "pobj"]
                tokens = [t for t in objects[0].subtree if not (t.is_punct or t.is_space)] if objects else []
                if tokens:  # "according to (...)" with nothing but punctuation names nobody
                    return _source(cue.doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1])
        return None


@Language.factory(
    "claimx_attribution",
    requires=["doc.spans"],
    default_config={"cues_key": CUES_KEY, "claims_key": CLAIMS_KEY},
)
def make_attribution(nlp: Language, name: str, cues_key: str, claims_key: str) -> AttributionResolver:
    """Claim sources; add it after "claimx_claims"."""
    return AttributionResolver(cues_key=cues_key, claims_key=claims_key)
