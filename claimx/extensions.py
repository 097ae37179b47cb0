"""The `._.claimx_*` attributes claimx components set on spaCy spans, registered in one place.

Cues live in `doc.spans["claimx_cues"]` (label = kind) and claims in
`doc.spans["claimx_claims"]`; their details sit in these namespaced span extensions. All values are
plain JSON-like data so Docs keep working with DocBin and multiprocessing.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

CUES_KEY = "claimx_cues"
CLAIMS_KEY = "claimx_claims"
SECTIONS_KEY = "claimx_sections"

_SPAN_EXTENSIONS: dict[str, object] = {
    # cue spans
    "claimx_cue_type": None,       # finer type, e.g. "epistemic"
    "claimx_cue_weight": None,     # level the cue sets, reaches or caps, in [0, 1]
    "claimx_cue_rule": None,       # lexicon entry id that fired, plus its check
    "claimx_cue_learnable": True,  # whether the learned cue model may re-weigh or drop it
    "claimx_cue_probability": None,  # learned chance that this occurrence is a real cue
    # claim spans
    "claimx_section": "body",      # layout section of the claim's sentence
    "claimx_sentence": None,       # index of the claim's sentence in the doc
    "claimx_sentence_span": None,  # [start_token, end_token] of the claim's sentence
    "claimx_head": None,           # token index of the clause head
    "claimx_tokens": None,         # token indices that belong to this clause
    "claimx_frames": None,         # token indices of governing frames, nearest first
    "claimx_frame_tokens": None,   # token indices of those frames' own clauses ("officials said")
    "claimx_subject": None,        # [start_token, end_token] or None
    "claimx_predicate": None,
    "claimx_object": None,
    "claimx_shared_tokens": None,  # token indices a conjoined predicate shares ("might" in "might cause X and lead to Y")
    "claimx_cues": None,           # [[index into doc.spans["claimx_cues"], scope], ...]
    "claimx_statement": None,      # [[start_token, end_token, role, space_after], ...]: the claim as a sentence that stands alone
    "claimx_source": None,         # {"kind", "text", "start", "end"} (character offsets)
    "claimx_label": None,
    "claimx_polarity": None,
    "claimx_confidence": None,
    "claimx_explanation": None,
    "claimx_claim_type": None,
    "claimx_event_factuality": None,  # learned [-3, +3] factuality of the head event
    "claimx_events": None,            # [[token index, factuality, "clause"/"frame"], ...] when events are on
    "claimx_checkworthiness": None,   # learned 0-1 score of the claim's sentence
    "claimx_subjectivity": None,      # learned 0-1 score of the claim's sentence
    "claimx_score_tier": None,        # "accurate" when the encoder scored it; None for the default tier
}


_DOC_EXTENSIONS: dict[str, object] = {
    # set by claimx_coreference
    "claimx_antecedents": None,     # {token index of a resolved pronoun / role-noun head: [start, end] of the name}
    "claimx_entities_of": None,     # {token index of a name or resolved mention: entity number}
    "claimx_named_entities": None,  # [{"kind", "gender", "name": [start, end]}] per entity number
    # set by claimx_attribution
    "claimx_speakers": None,        # [{"id", "name", "type", "mentions": [[start_char, end_char], ...]}]
}


def register_extensions() -> None:
    """Register claimx's span extensions (idempotent; `force=True` lets reloads replace them)."""
    for name, default in _SPAN_EXTENSIONS.items():
        Span.set_extension(name, default=default, force=True)
    # Token indices where a lexicon entry matched but its context check said no.
    Doc.set_extension("claimx_rejected_cues", default=None, force=True)
    for name, default in _DOC_EXTENSIONS.items():
        Doc.set_extension(name, default=default, force=True)


register_extensions()
