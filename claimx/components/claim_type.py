"""`claimx_claim_type`: what kind of claim it is, by rules after Full Fact's typology.

Types, first match wins: question, recommendation ("should", "must", "it is vital to"),
prediction ("will", "is expected to"), causal ("because of", "led to"), quantity (numbers,
amounts, percentages), rule (laws and regulations), evaluation (opinion words, boosters),
personal_experience ("I"/"we" in the past), event (something happened), statement (the rest).
The word lists are data: `models/claim-types.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimx.extensions import CLAIMS_KEY, CUES_KEY
from claimx.resources import models_dir

NUMERIC_EXCLUDED_LABELS = frozenset({"DATE", "TIME", "ORDINAL"})


def load_claim_type_rules(path: str | Path | None = None) -> dict[str, Any]:
    """The claim-type word lists (claimx's shipped file unless a path is given)."""
    path = Path(path) if path else models_dir() / "claim-types.json"
    rules = json.loads(path.read_text(encoding="utf-8"))
    for section in rules.values():
        if isinstance(section, dict):
            for key, value in section.items():
                if isinstance(value, list):
                    section[key] = frozenset(value) if key != "phrases" else tuple(value)
    return rules


class ClaimTyper:
    """Sets `claim._.claimx_claim_type` on every claim span."""

    def __init__(self, rules: dict[str, Any], cues_key: str = CUES_KEY, claims_key: str = CLAIMS_KEY) -> None:
        self.rules = rules
        self.order: list[str] = list(rules["order"])
        self.cues_key = cues_key
        self.claims_key = claims_key

    def __call__(self, doc: Doc) -> Doc:
        cues = list(doc.spans.get(self.cues_key, []))
        quantity_labels = self.rules["quantity"]["entity_labels"]
        amounts = [(ent.start, ent.end) for ent in doc.ents if ent.label_ in quantity_labels]
        for claim in doc.spans.get(self.claims_key, []):
            scoped = [cues[i] for i, _ in claim._.claimx_cues or []]
            claim._.claimx_claim_type = self.classify(claim, scoped, amounts)
        return doc


    def classify(self, claim: Span, cues: list[Span], amounts: list[tuple[int, int]] | None = None) -> str:
        """The first claim type in rule order whose test passes.

        `amounts` are the token ranges of the doc's numeric entities (computed from `doc.ents`
        when not given; pass them to avoid rebuilding the entity list for every claim).
        """
        doc = claim.doc
        if amounts is None:
            labels = self.rules["quantity"]["entity_labels"]
            amounts = [(ent.start, ent.end) for ent in doc.ents if ent.label_ in labels]
        tokens = [doc[i] for i in claim._.claimx_tokens or range(claim.start, claim.end)]
        lemmas = {t.lemma_.lower() for t in tokens}
        lemmas.update(t.lower_ for t in tokens)
        head = doc[claim._.claimx_head] if claim._.claimx_head is not None else claim.root
        text = " " + " ".join(t.lower_ for t in tokens) + " "
        rules = self.rules
        tests = {
            "question": lambda: any(c._.claimx_cue_type == "interrogative" for c in cues),
            "recommendation": lambda: bool(
                {t.lower_ for t in tokens if t.tag_ == "MD"} & rules["recommendation"]["modals"]
                or lemmas & rules["recommendation"]["lemmas"]
                or any(f" {phrase} " in text for phrase in rules["recommendation"]["phrases"])
                or (
                    lemmas & rules["recommendation"]["predicates"]
                    and any(c.dep_ == "xcomp" for t in (head, *head.children) for c in t.children)
                )
            ),
            "prediction": lambda: bool(
                {t.lower_ for t in tokens if t.tag_ == "MD"} & rules["prediction"]["modals"]
                or lemmas & rules["prediction"]["lemmas"]
                or "going to" in text and head.tag_ == "VB"
                or any(c._.claimx_cue_type == "predictive" for c in cues)
            ),
            "causal": lambda: bool(
                lemmas & rules["causal"]["lemmas"]
                or any(f" {phrase} " in text for phrase in rules["causal"]["phrases"])
            ),
            "quantity": lambda: any(
                claim.start <= start and end <= claim.end for start, end in amounts
            ) or any(
                (t.like_num and t.ent_type_ not in NUMERIC_EXCLUDED_LABELS) for t in tokens
            ) or bool(lemmas & rules["quantity"]["lemmas"]),
            "rule": lambda: bool(lemmas & rules["rule"]["lemmas"]),
            "evaluation": lambda: bool(lemmas & rules["evaluation"]["lemmas"])
            or any(c.label_ == "booster" for c in cues),
            "personal_experience": lambda: any(
                t.lower_ in rules["personal_experience"]["subjects"] and t.dep_ in ("nsubj", "nsubjpass")
                for t in tokens
            ) and head.tag_ in ("VBD", "VBN"),
            "event": lambda: head.pos_ == "VERB" and head.lemma_ != "be" and (
                head.tag_ == "VBD"
                or head.tag_ == "VBN" and any(
                    c.dep_ in ("aux", "auxpass") and (c.tag_ == "VBD" or c.lemma_ == "have")
                    for c in head.children
                )
            ),
            "statement": lambda: True,
        }
        for claim_type in self.order:
            if tests[claim_type]():
                return claim_type
        return "statement"


@Language.factory(
    "claimx_claim_type",
    requires=["doc.spans"],
    default_config={"rules_path": None, "cues_key": CUES_KEY, "claims_key": CLAIMS_KEY},
)
def make_claim_type(
    nlp: Language, name: str, rules_path: str | None, cues_key: str, claims_key: str
) -> ClaimTyper:
    """Rule-based claim types; add it after "claimx_confidence"."""
    return ClaimTyper(load_claim_type_rules(rules_path), cues_key=cues_key, claims_key=claims_key)
