"""`claimx_layout`: news-layout sentence boundaries and sections, set before the parser runs.

Headlines, decks, bylines, dates and datelines become sentences of their own (never glued to the
first sentence), paragraphs always start a sentence, and so does a list item. Inside a paragraph
a sentence may start only after sentence-final punctuation (or a line break), never after a title
("Dr.", "Sgt."), a name's initial ("John A. Smith") or before a lower-case word; the parser
decides at the places that remain.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from spacy.attrs import (
    IS_PUNCT,
    IS_QUOTE,
    IS_RIGHT_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LENGTH,
    LOWER,
    ORTH,
    PREFIX,
    SENT_START,
    SPACY,
    SUFFIX,
)
from spacy.language import Language
from spacy.tokens import Doc, Span

from claimx.extensions import SECTIONS_KEY
from claimx.layout import layout_units
from claimx.token_ids import array_ids

# Set in doc.user_data on later chunks of a long article: no headline or dateline there.
CONTINUATION_KEY = "claimx_continuation"
# Titles before a name: a sentence never ends after them.
TITLE_ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. prof. gen. lt. col. maj. capt. sgt. sen. rep. gov. pres. rev. st. mt. "
    "hon. sr. jr. messrs. gov. supt. cmdr. adm. no. vs. v. fig. approx. est.".split()
)
# A run of tokens with no sentence-final punctuation is cut into sentences of at most this many
# tokens (preferably after a comma). Real news sentences stay far below it; without the cap a
# 200,000-character line with no full stop would be one sentence, and clause analysis within a
# sentence grows with the square of its length.
MAX_SENTENCE_TOKENS = 200
# Sections that are one unit each: no sentence boundary inside them.
SINGLE_UNIT_SECTIONS = frozenset({"headline", "subheadline", "byline", "date", "dateline", "subheading"})


CLOSING_QUOTES = ("”", "’", "»", "''")
STRAIGHT_QUOTES = ('"', "'")
CLAUSE_PUNCTUATION = (",", ";", ":")
# Bullets that open a list item wherever they stand after a space; "_" (old wire copy: "_The
# Pentagon said …") and "*" only when attached to the item's first word; a lone "@" marks a
# table row in wire copy. After a line break any of these, or a dash, opens an item.
BULLETS = ("•", "●", "▪", "►", "‣", "◦", "■", "·")
ATTACHED_BULLETS = ("_", "*")
LONE_BULLETS = ("@",)
LINE_BULLETS = ("-", "–", "—", "*", "_", "@")
_ATTRS = (IS_PUNCT, IS_QUOTE, IS_SPACE, LOWER, ORTH, SPACY, PREFIX, SUFFIX, LENGTH, IS_RIGHT_PUNCT, IS_TITLE, IS_UPPER)
(_IS_PUNCT, _IS_QUOTE, _IS_SPACE, _LOWER, _ORTH, _SPACY, _PREFIX, _SUFFIX, _LENGTH, _IS_RIGHT, _IS_TITLE,
 _IS_UPPER) = range(len(_ATTRS))


_CLOSING, _STRAIGHT, _TITLES, _BARE_TITLES, _CLAUSE, _FINAL = (
    array_ids(words) for words in (CLOSING_QUOTES, STRAIGHT_QUOTES, TITLE_ABBREVIATIONS,
                                   [title.rstrip(".") for title in TITLE_ABBREVIATIONS], CLAUSE_PUNCTUATION,
                                   (".", "!", "?", "\n", "\n\n"))
)
_COMMA = array_ids([","])
_PERIOD = array_ids(["."])
_OPENING_BRACKETS = array_ids(["(", "["])
_BULLETS, _ATTACHED_BULLETS, _LONE_BULLETS, _LINE_BULLETS = (
    array_ids(marks) for marks in (BULLETS, ATTACHED_BULLETS, LONE_BULLETS, LINE_BULLETS)
)


# Answers of the string tests below per string hash, kept across Docs (the same words recur from
# article to article); emptied when it grows past _MAX_CACHED so a long batch stays flat in memory.
_ANSWERS: dict[Callable[[str], bool], dict[int, bool]] = {}
_MAX_CACHED = 200_000


def _by_string(values: np.ndarray, strings, test: Callable[[str], bool]) -> np.ndarray:
    """Apply a string test to each distinct hashed value once, and spread the answers."""
    distinct, positions = np.unique(values, return_inverse=True)
    answers = _ANSWERS.setdefault(test, {})
    if len(answers) > _MAX_CACHED:
        answers.clear()
    flags = []
    for value in distinct.tolist():
        answer = answers.get(value)
        if answer is None:
            answer = answers[value] = test(strings[value])
        flags.append(answer)
    return np.array(flags, dtype=bool)[positions]


def _ends_with_period(word: str) -> bool:
    return word.endswith(".")


def _starts_lower_or_digit(word: str) -> bool:
    return word[:1].islower() or word[:1].isdigit()


def _ends_sentence(word: str) -> bool:
    return word.endswith((".", "!", "?", "…"))


def _is_ellipsis(word: str) -> bool:
    return word in ("...", "…")


def _has_line_break(word: str) -> bool:
    return "\n" in word or "\r" in word


def _shift(values: np.ndarray, fill: bool = False) -> np.ndarray:
    """values[i - 1] at position i (the previous token's value)."""
    return np.concatenate([[fill], values[:-1]])


LayoutTable = tuple[np.ndarray, np.ndarray]


def _layout_table(doc: Doc, table: LayoutTable | None = None) -> LayoutTable:
    """The token attribute table the boundary rules read, and "a space follows" per token (read
    from the Doc once; the rules pass it on to each other)."""
    if table is not None:
        return table
    attributes = doc.to_array(list(_ATTRS))
    return attributes, attributes[:, _SPACY] == 1


def no_break_flags(doc: Doc, layout_table: LayoutTable | None = None) -> np.ndarray:
    """For every token: True when a sentence must not start there (inside a body paragraph).

    Not before punctuation (except opening quotes and brackets), a closing quote or whitespace;
    not where the previous word (closing quotes and brackets aside) has no sentence-final
    punctuation and no line break follows it (news sentences end in punctuation: "David" /
    "Miliband's rise" is a parser's guess); not after a title such as "Dr." or "Sgt ."; not
    after a name's initial ("John A. Smith"); not before a lower-case word or number that
    follows a full stop, an abbreviation ("U.S. officials"), a closing quote or clause
    punctuation; not just after a list bullet. Computed for the whole Doc at once.
    """
    if not len(doc):
        return np.zeros(0, dtype=bool)
    layout_table = _layout_table(doc, layout_table)
    table = layout_table[0]
    strings = doc.vocab.strings
    orth = table[:, _ORTH]
    space = table[:, _IS_SPACE] == 1
    attached = _shift(table[:, _SPACY] == 0)  # no space before this token
    closing = np.isin(orth, _CLOSING) | (np.isin(orth, _STRAIGHT) & attached)
    flags = ((table[:, _IS_PUNCT] == 1) & (table[:, _IS_QUOTE] == 0) & ~np.isin(orth, _OPENING_BRACKETS)) | closing | space
    title = np.isin(table[:, _LOWER], _TITLES)
    bare_title_stop = np.isin(orth, _PERIOD) & attached & _shift(np.isin(table[:, _LOWER], _BARE_TITLES))
    previous_title = _shift(title | bare_title_stop)
    # "A." after a capitalised word or another initial, before a capitalised word: a name.
    initial = (table[:, _LENGTH] == 2) & (table[:, _IS_UPPER] == 1) & _by_string(orth, strings, _ends_with_period)
    capitalised = (table[:, _IS_TITLE] == 1) | initial
    previous_initial = _shift(initial & _shift(capitalised)) & capitalised
    lower_start = _by_string(table[:, _PREFIX], strings, _starts_lower_or_digit)
    abbreviation = _by_string(table[:, _SUFFIX], strings, _ends_with_period) & (table[:, _LENGTH] > 1)
    final = _by_string(orth, strings, _ends_sentence)
    # A spaced ellipsis (". . .") or "…" leaves the sentence open; a single full stop may end it
    # before a lower-case word (transcripts do not capitalise).
    ellipsis = _by_string(orth, strings, _is_ellipsis) | (
        np.isin(orth, _PERIOD) & _shift(np.isin(orth, _PERIOD))
    )
    previous_stop = _shift(ellipsis | (abbreviation & ~np.isin(orth, _PERIOD)) | closing | np.isin(orth, _CLAUSE))
    line_break = space & _by_string(orth, strings, _has_line_break)
    # The nearest earlier token that is not a closing quote or bracket or a plain space decides
    # whether a sentence may end before this one.
    skipped = (closing | (table[:, _IS_RIGHT] == 1) | space) & ~line_break
    index = np.where(~skipped, np.arange(len(doc)), -1)
    last = _shift(np.maximum.accumulate(index), fill=-1)
    may_end = final | line_break
    unpunctuated = (last >= 0) & ~may_end[np.maximum(last, 0)]
    return (
        flags | previous_title | previous_initial | (lower_start & previous_stop) | unpunctuated
        | _shift(list_item_starts(doc, layout_table))
    )


def list_item_starts(doc: Doc, layout_table: LayoutTable | None = None) -> np.ndarray:
    """For every token: True when it is a bullet that opens a list item (see BULLETS)."""
    if not len(doc):
        return np.zeros(0, dtype=bool)
    table, space_after = _layout_table(doc, layout_table)
    strings = doc.vocab.strings
    orth = table[:, _ORTH]
    space = table[:, _IS_SPACE] == 1
    space_before = _shift(space_after, fill=True) | _shift(space, fill=True)
    line_start = _shift(space & _by_string(orth, strings, _has_line_break), fill=True)
    next_word = np.concatenate([~space[1:], [False]])
    return space_before & next_word & (
        np.isin(orth, _BULLETS)
        | (np.isin(orth, _ATTACHED_BULLETS) & ~space_after)
        | (np.isin(orth, _LONE_BULLETS) & space_after)
        | (np.isin(orth, _LINE_BULLETS) & line_start)
    )


def bracket_sentence_starts(doc: Doc, layout_table: LayoutTable | None = None) -> np.ndarray:
    """For every token: True for an opening bracket right after a full stop ("He left. (The …)"):
    a parenthesised sentence or a wire-desk tag, never the end of the sentence before."""
    if not len(doc):
        return np.zeros(0, dtype=bool)
    table, space_after = _layout_table(doc, layout_table)
    orth = table[:, _ORTH]
    return np.isin(orth, _OPENING_BRACKETS) & _shift(np.isin(orth, _PERIOD) & space_after)


def overlong_run_breaks(doc: Doc, start: int, end: int, limit: int = MAX_SENTENCE_TOKENS) -> list[int]:
    """Where to start sentences inside doc[start:end] so no run without a full stop exceeds `limit`."""
    if end - start <= limit:
        return []
    orth = doc.to_array(ORTH)[start:end]
    stops = np.flatnonzero(np.isin(orth, _FINAL))
    edges = np.concatenate([[-1], stops, [end - start]])
    commas = np.flatnonzero(np.isin(orth, _COMMA))
    breaks: list[int] = []
    for left, right in zip(edges[:-1], edges[1:]):
        position = int(left) + 1
        while right - position > limit:
            cut = position + limit
            # Prefer to cut just after the last comma in the final quarter of the window.
            near = commas[(commas >= position + limit * 3 // 4) & (commas < cut - 1)]
            if len(near):
                cut = int(near[-1]) + 1
            breaks.append(start + cut)
            position = cut
    return breaks


class LayoutSegmenter:
    """Marks layout units as sentences and records them in `doc.spans["claimx_sections"]`."""

    def __init__(self, spans_key: str = SECTIONS_KEY) -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        sections: list[Span] = []
        no_break: np.ndarray | None = None
        forced: np.ndarray | None = None
        # Sentence starts as spaCy stores them (1 start, -1 not a start, 0 unknown), set in one
        # array write at the end: Token.is_sent_start costs a Python call per token.
        starts = doc.to_array(SENT_START).view(np.int64).copy()
        article_start = not doc.user_data.get(CONTINUATION_KEY, False)
        for unit in layout_units(doc.text, article_start=article_start):
            span = doc.char_span(unit.start, unit.end, label=unit.section, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            sections.append(span)
            starts[span.start] = 1
            if unit.section in SINGLE_UNIT_SECTIONS:
                starts[span.start + 1 : span.end] = -1
            else:
                if no_break is None:
                    layout_table = _layout_table(doc)
                    no_break = no_break_flags(doc, layout_table)
                    forced = list_item_starts(doc, layout_table) | bracket_sentence_starts(doc, layout_table)
                inside = starts[span.start + 1 : span.end]
                inside[no_break[span.start + 1 : span.end]] = -1
                inside[forced[span.start + 1 : span.end]] = 1
                starts[overlong_run_breaks(doc, span.start, span.end)] = 1
            after = span.end
            while after < len(doc) and doc[after].is_space:
                after += 1
            if after < len(doc) and (after > span.end or unit.section in SINGLE_UNIT_SECTIONS):
                starts[after] = 1
        if len(doc):
            doc.from_array([SENT_START], starts.view(np.uint64).reshape(-1, 1))
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


def token_sections(doc: Doc, spans_key: str = SECTIONS_KEY) -> list[str]:
    """The layout section of every token ("body" outside layout spans, or without them)."""
    sections = ["body"] * len(doc)
    for span in doc.spans.get(spans_key, []):
        sections[span.start : span.end] = [span.label_] * len(span)
    return sections
