"""The `._.claimx_*` attributes claimx components set on spaCy spans, registered in one place.

Cues live in `doc.spans["claimx_cues"]` (label = kind) and claims in
`doc.spans["claimx_claims"]`; their details sit in these namespaced span extensions. All values are
plain JSON-like data so Docs keep working with DocBin and multiprocessing.
"""

from __future__ import annotations

from spacy.tokens import Span

CUES_KEY = "claimx_cues"
CLAIMS_KEY = "claimx_claims"
SECTIONS_KEY = "claimx_sections"

_SPAN_EXTENSIONS: dict[str, object] = {
    # cue spans
    "claimx_cue_type": None,       # finer type, e.g. "epistemic"
    "claimx_cue_weight": None,     # level the cue sets, reaches or caps, in [0, 1]
    "claimx_cue_rule": None,       # lexicon entry id that fired, plus its check
    # claim spans
    "claimx_section": "body",      # layout section of the claim's sentence
    "claimx_sentence": None,       # index of the claim's sentence in the doc
    "claimx_head": None,           # token index of the clause head
    "claimx_tokens": None,         # token indices that belong to this clause
    "claimx_frames": None,         # token indices of governing frames, nearest first
    "claimx_subject": None,        # [start_token, end_token] or None
    "claimx_predicate": None,
    "claimx_object": None,
    "claimx_cues": None,           # [[index into doc.spans["claimx_cues"], scope], ...]
    "claimx_source": None,         # {"kind", "text", "start", "end"} (character offsets)
    "claimx_label": None,
    "claimx_polarity": None,
    "claimx_confidence": None,
    "claimx_explanation": None,
    "claimx_claim_type": None,
}


def register_extensions() -> None:
    """Register claimx's span extensions (idempotent; `force=True` lets reloads replace them)."""
    for name, default in _SPAN_EXTENSIONS.items():
        Span.set_extension(name, default=default, force=True)


register_extensions()
