"""Where the highlights go: each cue occurrence once, with the claims it scopes over, and a text
cut into runs that carry the same cues and claims.

The terminal and the HTML report both draw from these runs, so they highlight the same spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from claimx.views.articles import Claim, Cue

# Order in legends and summaries: what changes confidence first, then what sets the source.
CUE_KIND_ORDER = ("hedge", "booster", "doubt", "negation", "condition", "question", "attribution")


@dataclass(frozen=True, slots=True)
class CueMark:
    """One cue occurrence in an article, and the claims (indices into the article's claims) it scopes over."""

    number: int
    cue: Cue
    claims: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text, `text == article[start:end]`, under the same cues and claims throughout.

    `opens` lists the claims that start exactly here, so a view can put their badges before it.
    """

    start: int
    end: int
    text: str
    marks: tuple[CueMark, ...]
    claims: tuple[int, ...]
    opens: tuple[int, ...]


def cue_marks(claims: Sequence[Claim]) -> list[CueMark]:
    """Every cue occurrence of an article once, in text order.

    A frame cue ("officials said") scopes over each claim it reports, so records repeat it; here it
    is one mark that lists all those claims.
    """
    scoped: dict[tuple[int, int, str], list[int]] = {}
    first: dict[tuple[int, int, str], Cue] = {}
    for index, claim in enumerate(claims):
        for cue in claim.cues:
            key = (cue.start, cue.end, cue.kind)
            first.setdefault(key, cue)
            if index not in scoped.setdefault(key, []):
                scoped[key].append(index)
    ordered = sorted(first, key=lambda key: (key[0], -key[1], CUE_KIND_ORDER.index(key[2])
                                             if key[2] in CUE_KIND_ORDER else len(CUE_KIND_ORDER)))
    return [CueMark(number, first[key], tuple(scoped[key])) for number, key in enumerate(ordered)]


def runs(
    text: str,
    offset: int,
    marks: Iterable[CueMark],
    claim_spans: Iterable[tuple[int, int, int]] = (),
) -> list[Run]:
    """Cut `text` (which starts at article offset `offset`) at every cue and claim boundary.

    `claim_spans` are (claim index, start, end) in article offsets. Marks and claims reaching
    outside `text` are clipped to it.
    """
    end_of_text = offset + len(text)
    marks = [mark for mark in marks if mark.cue.start < end_of_text and mark.cue.end > offset
             and mark.cue.end > mark.cue.start]
    spans = [(index, start, end) for index, start, end in claim_spans
             if start < end_of_text and end > offset and end > start]
    cuts = {offset, end_of_text}
    for mark in marks:
        cuts.update((max(offset, mark.cue.start), min(end_of_text, mark.cue.end)))
    for _, start, end in spans:
        cuts.update((max(offset, start), min(end_of_text, end)))
    points = sorted(cuts)
    result: list[Run] = []
    for start, end in pairwise(points):
        result.append(Run(
            start=start,
            end=end,
            text=text[start - offset:end - offset],
            marks=tuple(mark for mark in marks if mark.cue.start <= start and mark.cue.end >= end),
            claims=tuple(index for index, claim_start, claim_end in spans
                         if claim_start <= start and claim_end >= end),
            opens=tuple(index for index, claim_start, _ in spans if claim_start == start),
        ))
    return result


def article_runs(text: str, claims: Sequence[Claim], marks: Sequence[CueMark]) -> list[Run]:
    """The whole article text cut into runs."""
    return runs(text, 0, marks, ((index, claim.start, claim.end) for index, claim in enumerate(claims)))


def claim_runs(claim: Claim, marks: Sequence[CueMark]) -> list[Run]:
    """One claim's text cut into runs at its own cues (offsets of cues are article offsets)."""
    return runs(claim.text, claim.start, marks)


def outside_marks(claim: Claim, marks: Sequence[CueMark], index: int) -> list[CueMark]:
    """The marks that scope over claim `index` but lie outside its text (frames, sentence cues)."""
    return [mark for mark in marks if index in mark.claims
            and (mark.cue.end <= claim.start or mark.cue.start >= claim.end)]
