"""claimx's spaCy components, one module per pipeline step; importing registers their factories."""

from claimx.components import (  # noqa: F401  (imported for their @Language.factory side effects)
    attributes,
    attribution,
    claim_type,
    claims,
    confidence,
    coreference,
    cues,
    encoder,
    entities,
    layout,
    learned,
    statements,
)
