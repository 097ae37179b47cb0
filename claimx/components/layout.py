"""`claimx_layout`: news-layout sentence boundaries and sections, set before the parser runs.

Headlines, decks, bylines, dates and datelines become sentences of their own (never glued to the
first sentence), paragraphs always start a sentence, and sentences are not split after "Dr." or
"U.S." or before a closing quote. The parser keeps these boundaries and adds its own elsewhere.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimx.extensions import SECTIONS_KEY
from claimx.layout import layout_units

# Set in doc.user_data on later chunks of a long article: no headline or dateline there.
CONTINUATION_KEY = "claimx_continuation"
# Titles before a name: a sentence never ends after them.
TITLE_ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. prof. gen. lt. col. maj. capt. sgt. sen. rep. gov. pres. rev. st. mt. "
    "hon. sr. jr. messrs. gov. supt. cmdr. adm. no. vs. v. fig. approx. est.".split()
)
# Sections that are one unit each: no sentence boundary inside them.
SINGLE_UNIT_SECTIONS = frozenset({"headline", "subheadline", "byline", "date", "dateline", "subheading"})


def _is_closing_quote(token: Token) -> bool:
    if token.text in ("”", "’", "»"):
        return True
    if token.text in ('"', "'"):
        return token.i > 0 and not token.doc[token.i - 1].whitespace_
    return False


def _no_break_before(token: Token) -> bool:
    """True when a sentence must not start at this token (inside a body paragraph)."""
    if token.is_punct and not token.is_quote or _is_closing_quote(token) or token.is_space:
        return True
    previous = token.doc[token.i - 1]
    if previous.lower_ in TITLE_ABBREVIATIONS:
        return True
    lower_start = token.text[:1].islower() or token.text[:1].isdigit()
    if lower_start and (previous.text.endswith(".") and len(previous) > 1 or _is_closing_quote(previous)
                        or previous.text in (",", ";", ":")):
        return True
    return False


class LayoutSegmenter:
    """Marks layout units as sentences and records them in `doc.spans["claimx_sections"]`."""

    def __init__(self, spans_key: str = SECTIONS_KEY) -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        sections: list[Span] = []
        article_start = not doc.user_data.get(CONTINUATION_KEY, False)
        for unit in layout_units(doc.text, article_start=article_start):
            span = doc.char_span(unit.start, unit.end, label=unit.section, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            sections.append(span)
            span[0].is_sent_start = True
            for token in span[1:]:
                if unit.section in SINGLE_UNIT_SECTIONS:
                    token.is_sent_start = False
                elif _no_break_before(token):
                    token.is_sent_start = False
            after = span.end
            while after < len(doc) and doc[after].is_space:
                after += 1
            if after < len(doc) and after > span.end:
                doc[after].is_sent_start = True
            elif after < len(doc) and unit.section in SINGLE_UNIT_SECTIONS:
                doc[after].is_sent_start = True
        doc.spans[self.spans_key] = sections
        return doc


@Language.factory(
    "claimx_layout",
    assigns=["token.is_sent_start", "doc.spans"],
    default_config={"spans_key": SECTIONS_KEY},
)
def make_layout(nlp: Language, name: str, spans_key: str) -> LayoutSegmenter:
    """News-layout segmentation; add it before the parser."""
    return LayoutSegmenter(spans_key=spans_key)


def section_of(doc: Doc, token_index: int, spans_key: str = SECTIONS_KEY) -> str:
    """The layout section a token lies in ("body" when the doc has no layout spans)."""
    for span in doc.spans.get(spans_key, []):
        if span.start <= token_index < span.end:
            return span.label_
    return "body"
