"""Direct quotations as token ranges: straight and curly double quotes, single curly quotes where
they are the outer marks (British style), and a quotation that runs over several paragraphs.

Newspapers leave a quotation open at the end of a paragraph and reopen it at the start of the next
one when the same speaker goes on; such a quotation is one region from its first opening mark to
its final closing mark. Quotation marks inside an open quotation (nested single quotes) belong to
it. Only quotation marks and line breaks are visited (found with numpy), not every token.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SPACY
from spacy.tokens import Doc

from claimx.token_ids import array_ids

STRAIGHT_QUOTES = ('"', "''", "``")
OPENING_QUOTES = frozenset({"“", "«"})
CLOSING_QUOTES = frozenset({"”", "»"})
SINGLE_OPENING, SINGLE_CLOSING = "‘", "’"
QUOTE_MARKS = (*STRAIGHT_QUOTES, "“", "”", "«", "»", SINGLE_OPENING, SINGLE_CLOSING)
_QUOTE_HASHES = array_ids(QUOTE_MARKS)


class Quotation(NamedTuple):
    """Token range [start, end) of a quotation, marks included, and the paragraph it opens in."""

    start: int
    end: int
    paragraph: int


def quote_regions(doc: Doc) -> list[Quotation]:
    """The doc's direct quotations, in text order."""
    regions: list[Quotation] = []
    if not len(doc):
        return regions
    table = doc.to_array([ORTH, IS_SPACE, SPACY])
    is_space, spaced = table[:, 1] == 1, table[:, 2] == 1
    marks = np.flatnonzero(np.isin(table[:, 0], _QUOTE_HASHES) | is_space).tolist()
    open_at: int | None = None
    opener = ""           # the mark that opened the current quotation
    open_paragraph = paragraph = 0
    carried = False       # the quotation was left open at a paragraph end and reopened
    nested = False        # a quotation is open inside the current one (straight in curly or curly in straight)
    for position, index in enumerate(marks):
        text = doc[index].text
        if is_space[index]:
            if "\n" not in text:
                continue
            paragraph += 1
            if open_at is None:
                continue
            # Left open at the paragraph's end: it goes on if the next paragraph opens a quote.
            following = next((doc[i] for i in marks[position + 1:] if not is_space[i]), None)
            starts_paragraph = following is not None and all(
                is_space[i] for i in range(index + 1, following.i)
            )
            if following is not None and starts_paragraph and following.text in (opener, *OPENING_QUOTES, '"'):
                carried = True
            else:
                open_at = None
            continue
        if carried:
            carried = False  # the reopening mark at the start of the paragraph
            continue
        if open_at is not None and opener == SINGLE_OPENING:
            if text == SINGLE_CLOSING:
                regions.append(Quotation(open_at, index + 1, open_paragraph))
                open_at = None
            continue
        if text in STRAIGHT_QUOTES:
            attached_before = index > 0 and not spaced[index - 1] and not is_space[index - 1]
            # A straight mark attached to the word before it closes a quotation, whichever mark
            # opened it (scraped copy mixes them: “... nation."), unless it closes a straight
            # quotation nested in a curly one (“He said "no" to me”).
            if open_at is not None and opener not in STRAIGHT_QUOTES and not attached_before:
                nested = True
            elif open_at is not None and nested and opener not in STRAIGHT_QUOTES:
                nested = False
            elif open_at is not None and (attached_before or text == "''"):
                regions.append(Quotation(open_at, index + 1, open_paragraph))
                open_at = None
            elif open_at is None and not (attached_before and doc[index - 1].text[-1:].isalnum()):
                # (A mark glued to a word, as in 6'2", opens nothing.)
                open_at, opener, open_paragraph = index, text, paragraph
                nested = False
        elif text in OPENING_QUOTES:
            if open_at is None:
                open_at, opener, open_paragraph = index, text, paragraph
                nested = False
            elif opener in STRAIGHT_QUOTES:
                nested = True  # "The department is not about “Equal Justice” anymore."
        elif text in CLOSING_QUOTES and open_at is not None:
            if nested and opener in STRAIGHT_QUOTES:
                nested = False
                continue
            regions.append(Quotation(open_at, index + 1, open_paragraph))
            open_at = None
        elif text == SINGLE_OPENING and open_at is None:
            open_at, opener, open_paragraph = index, text, paragraph
    return regions
