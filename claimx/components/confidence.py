"""`claimx_confidence`: the label, polarity and numeric confidence of each claim, from its cues.

The scale follows FactBank, relative to the claim's source. A plain assertion is `certain` at
0.90; the lowest hedge sets the level (each further hedge lowers it a little more); doubt cues set
a doubtful level; boosters lift a plain assertion to their weight, or pull a hedged one up part of
the way; "claimed"/"alleged" attributions cap it; conditions and questions make it `unknown`.
Negation (or a denial frame) flips polarity, not confidence; a negated reporting frame ("did
not say/confirm/deny that X") makes X `unknown`. Cues in a clause that only modifies a word of the
claim (scope `modifier`) are left out. The explanation names every cue used.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimx.extensions import CLAIMS_KEY, CUES_KEY
from claimx.factuality import confidence_from_factuality

PLAIN_ASSERTION = 0.90
UNKNOWN_CONFIDENCE = 0.50
EXTRA_HEDGE_FACTOR = 0.95
BOOSTED_HEDGE_PULL = 0.25
LABEL_FLOORS = (("certain", 0.85), ("probable", 0.60), ("possible", 0.40), ("doubtful", 0.0))


def label_for(confidence: float) -> str:
    """The ordinal label of a confidence level (for claims that are not `unknown`)."""
    for label, floor in LABEL_FLOORS:
        if confidence >= floor:
            return label
    return "doubtful"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The confidence outcome for one claim."""

    label: str
    polarity: str
    confidence: float
    explanation: str


def _describe(cue: Span) -> str:
    return f"{cue.label_} “{cue.text}” ({cue._.claimx_cue_type}, {cue._.claimx_cue_weight:.2f})"


def negated_frames(cues: list[Span]) -> list[tuple[Span, Span]]:
    """(frame cue, negation) pairs among the cues of a claim's frames: "officials did not *say*
    that X", "police have not *confirmed* that X", "did not *deny* that X", "neither confirmed nor
    *denied* that X". The source then neither asserts nor denies X."""
    frames = [c for c in cues if c.label_ in ("attribution", "booster") and c.root.pos_ in ("VERB", "AUX")]
    pairs = []
    for frame in frames:
        verb = frame.root
        for cue in cues:
            if cue.label_ != "negation":
                continue
            negator = cue.root
            # "nor" hangs on the first conjunct but negates the next ("neither X nor denied").
            next_conjunct = (negator.lower_ == "nor" and verb.dep_ == "conj"
                             and verb.head == negator.head and verb.i > negator.i)
            if negator.head == verb or verb in negator.children or next_conjunct:
                pairs.append((frame, cue))
                break
    return pairs


def judge(cues: list[Span], cancelled: list[tuple[Span, Span]] = ()) -> Judgement:
    """Combine the cues that scope over a claim into label, polarity, confidence and explanation.

    `cancelled` holds negated frames (see `negated_frames`): they leave the claim `unknown`.
    """
    dropped = {id(cue) for pair in cancelled for cue in pair}
    by_kind: dict[str, list[Span]] = {}
    for cue in cues:
        if id(cue) not in dropped:
            by_kind.setdefault(cue.label_, []).append(cue)
    hedges = sorted(by_kind.get("hedge", []), key=lambda c: c._.claimx_cue_weight)
    doubts = sorted(by_kind.get("doubt", []), key=lambda c: c._.claimx_cue_weight)
    boosters = sorted(by_kind.get("booster", []), key=lambda c: -c._.claimx_cue_weight)
    capping = [c for c in by_kind.get("attribution", []) if c._.claimx_cue_weight < 1.0]
    denials = [c for c in by_kind.get("attribution", []) if c._.claimx_cue_type == "denial"]
    negations = by_kind.get("negation", [])
    open_cues = by_kind.get("condition", []) + by_kind.get("question", [])

    reasons: list[str] = []
    level = PLAIN_ASSERTION
    if doubts:
        level = doubts[0]._.claimx_cue_weight
        reasons += [_describe(c) for c in doubts]
    elif hedges:
        level = hedges[0]._.claimx_cue_weight * EXTRA_HEDGE_FACTOR ** (len(hedges) - 1)
        reasons += [_describe(c) for c in hedges]
    if boosters:
        if doubts or hedges:
            level += (1.0 - level) * BOOSTED_HEDGE_PULL
        else:
            level = max(level, boosters[0]._.claimx_cue_weight)
        reasons += [_describe(c) for c in boosters]
    for cue in capping:
        level = min(level, cue._.claimx_cue_weight)
        reasons.append(_describe(cue))

    if open_cues or cancelled:
        label, level = "unknown", UNKNOWN_CONFIDENCE
        reasons = ([_describe(c) for c in open_cues]
                   + [f"{f.label_} “{f.text}” negated by “{n.text}”" for f, n in cancelled] + reasons)
    else:
        label = label_for(level)
    negative = bool(negations) != bool(denials)
    if negations:
        reasons.append("polarity flipped by " + ", ".join(f"“{c.text}”" for c in negations))
    if denials:
        reasons.append("denied by " + ", ".join(f"“{c.text}”" for c in denials))
    explanation = f"{label}: " + ("; ".join(reasons) if reasons else "plain assertion, no cues")
    return Judgement(label, "negative" if negative else "positive", round(level, 3), explanation)


LABEL_BANDS = {"certain": (0.85, 1.0), "probable": (0.60, 0.849), "possible": (0.40, 0.599),
               "doubtful": (0.0, 0.399)}


def blend(judgement: Judgement, event_factuality: float | None, learned_share: float) -> Judgement:
    """Refine a rule judgement with the learned factuality of the claim's head event.

    The level moves towards what the learned value expresses, but stays inside the band of the
    rule label, so the label is always the one the cues explain; `unknown` is left alone.
    """
    if event_factuality is None or judgement.label == "unknown" or learned_share <= 0:
        return judgement
    learned = confidence_from_factuality(event_factuality, judgement.polarity)
    low, high = LABEL_BANDS[judgement.label]
    level = (1 - learned_share) * judgement.confidence + learned_share * learned
    level = round(min(high, max(low, level)), 3)
    explanation = f"{judgement.explanation}; learned event factuality {event_factuality:+.1f} → {level:.2f}"
    return Judgement(judgement.label, judgement.polarity, level, explanation)



class ConfidenceScorer:
    """Sets label, polarity, confidence and explanation on every claim span."""

    def __init__(self, cues_key: str = CUES_KEY, claims_key: str = CLAIMS_KEY, learned_share: float = 0.5) -> None:
        self.cues_key = cues_key
        self.claims_key = claims_key
        self.learned_share = learned_share

    def __call__(self, doc: Doc) -> Doc:
        cues = list(doc.spans.get(self.cues_key, []))
        for claim in doc.spans.get(self.claims_key, []):
            in_scope = [(cues[index], scope) for index, scope in claim._.claimx_cues or []]
            # Negation is clause-local: "officials did not say X" does not deny X; it leaves X open.
            cancelled = negated_frames([cue for cue, scope in in_scope if scope == "frame"])
            # A cue in a clause that modifies a word of the claim ("a man who allegedly tried")
            # is shown with the claim but does not qualify it.
            scoped = [
                cue for cue, scope in in_scope
                if scope != "modifier" and (scope == "clause" or cue.label_ != "negation")
            ]
            judgement = blend(judge(scoped, cancelled), claim._.claimx_event_factuality, self.learned_share)
            claim._.claimx_label = judgement.label
            claim._.claimx_polarity = judgement.polarity
            claim._.claimx_confidence = judgement.confidence
            claim._.claimx_explanation = judgement.explanation
        return doc



@Language.factory(
    "claimx_confidence",
    requires=["doc.spans"],
    default_config={"cues_key": CUES_KEY, "claims_key": CLAIMS_KEY, "learned_share": 0.5},
)
def make_confidence(
    nlp: Language, name: str, cues_key: str, claims_key: str, learned_share: float
) -> ConfidenceScorer:
    """Claim confidence from cues (and learned event factuality, weighted by `learned_share`)."""
    return ConfidenceScorer(cues_key=cues_key, claims_key=claims_key, learned_share=learned_share)
