"""`claimx_entities`: repairs named entities in title-case headlines, after the base NER.

Statistical NER reads capitalisation as a name signal, so "Iran Withdraws Military" comes out as an
ORG. In title-case layout units claimx keeps only entities the rest of the article confirms (the
same words tagged elsewhere, e.g. "Iran" GPE in the body) and numeric entities (dates, amounts).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimx.extensions import SECTIONS_KEY
from claimx.layout import is_title_case

TITLE_CASE_SECTIONS = frozenset({"headline", "subheadline", "subheading"})
CASE_INDEPENDENT_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
)


class HeadlineEntityFilter:
    """Replaces NER output inside title-case headline units by entities confirmed in the body."""

    def __init__(self, spans_key: str = SECTIONS_KEY) -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        units = [
            span for span in doc.spans.get(self.spans_key, [])
            if span.label_ in TITLE_CASE_SECTIONS and is_title_case(span.text)
        ]
        if not units:
            return doc
        in_units = set()
        for unit in units:
            in_units.update(range(unit.start, unit.end))
        confirmed: dict[tuple[str, ...], str] = {}
        for ent in doc.ents:
            if ent.start not in in_units:
                confirmed.setdefault(tuple(t.text for t in ent), ent.label_)
        kept = [
            ent for ent in doc.ents
            if ent.start not in in_units or ent.label_ in CASE_INDEPENDENT_LABELS
        ]
        taken = {i for ent in kept for i in range(ent.start, ent.end)}
        longest = max((len(key) for key in confirmed), default=0)
        for unit in units:
            index = unit.start
            while index < unit.end:
                for size in range(min(longest, unit.end - index), 0, -1):
                    words = tuple(t.text for t in doc[index : index + size])
                    label = confirmed.get(words)
                    if label and not taken.intersection(range(index, index + size)):
                        kept.append(Span(doc, index, index + size, label=label))
                        taken.update(range(index, index + size))
                        index += size - 1
                        break
                index += 1
        doc.set_ents(sorted(kept, key=lambda span: span.start), default="outside")
        return doc


@Language.factory(
    "claimx_entities",
    assigns=["doc.ents"],
    requires=["doc.spans"],
    default_config={"spans_key": SECTIONS_KEY},
)
def make_entities(nlp: Language, name: str, spans_key: str) -> HeadlineEntityFilter:
    """Headline entity repair; add it after "ner"."""
    return HeadlineEntityFilter(spans_key=spans_key)
