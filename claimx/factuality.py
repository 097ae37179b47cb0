"""claimx's confidence scale on the [-3, +3] factuality scale of FactBank-style corpora.

    factuality = (+1 if polarity is positive else -1) × (6 × confidence − 3)

so a certain positive claim at confidence 1.0 is +3, an `unknown` claim (0.5) is 0, a doubtful
positive claim (0.25) is −1.5 (probably not), and a certain negative claim is −3.
"""

from __future__ import annotations


def factuality_value(label: str, polarity: str, confidence: float) -> float:
    """The [-3, +3] factuality of a claim from its label, polarity and confidence."""
    if label == "unknown":
        return 0.0
    sign = 1.0 if polarity == "positive" else -1.0
    return round(sign * (6.0 * confidence - 3.0), 3)


def confidence_from_factuality(value: float, polarity: str) -> float:
    """The inverse: the confidence that a [-3, +3] value expresses for a claim of this polarity."""
    sign = 1.0 if polarity == "positive" else -1.0
    return min(1.0, max(0.0, (sign * value + 3.0) / 6.0))
