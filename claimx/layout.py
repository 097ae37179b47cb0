"""News layout on raw text: headlines, decks, bylines, dates, datelines, subheadings, paragraphs.

Works on characters only, so it can run before any tokenizer and be tested on plain strings.
The spaCy component in `claimx.components.layout` turns these units into sentence boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|words by)\s+[A-Z\u00C0-\u024F][\w.'’\-]*"
    r"(?:[ ,]+(?:and\s+)?[\w.'’\-]+){0,9}$",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted|last updated|first published)(?: on)?:?\s+)?"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
    r"(?:\s*[|·•].*)?$",
    re.IGNORECASE,
)
# "GENEVA, March 3 (Claimx Wire) — ", "PORTLAND, Ore. — ", "WASHINGTON (AP) - ", "LONDON -- ",
# and older wire copy's underscore dash, "NEWARK, N.J. _ ".
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s*[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?"
    rf"(?:,\s*{_MONTH}\s+\d{{1,2}})?"
    r"(?:\s*\([^()\n]{1,40}\))?"
    r"\s*(?:—|–|--|-|_|:)\s+"
)
_TERMINAL = (".", "!", ";", ",", ":", "”", '"', "’", "'", ")")
_MAX_HEADLINE_WORDS = 25
_MAX_SUBHEADING_WORDS = 12
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or over per the to up via vs with".split()
)


@dataclass(frozen=True, slots=True)
class LayoutUnit:
    """A stretch of text with its layout role; `start`/`end` are character offsets."""

    start: int
    end: int
    section: str


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, without its line break."""
    spans = []
    for match in _LINE.finditer(text):
        if match.start() == len(text) and match.end() == len(text):
            break
        content = match.group().rstrip("\r\n")
        spans.append((match.start(), match.start() + len(content)))
    return spans


def is_title_case(line: str) -> bool:
    """True for headline-style capitalisation ("Iran Withdraws Military from Syria")."""
    words = [w for w in re.findall(r"[A-Za-z\u00C0-\u024F][\w’'\-]*", line)]
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if len(content) < 2:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.75


def _is_headline_like(line: str, next_blank: bool) -> bool:
    words = line.split()
    if not words or len(words) > _MAX_HEADLINE_WORDS:
        return False
    if line.rstrip().endswith(_TERMINAL) and not line.rstrip().endswith(("?", "!")):
        return False
    if line.rstrip().endswith("?") and not is_title_case(line):
        return False
    return next_blank or is_title_case(line)


def layout_units(text: str, article_start: bool = True) -> list[LayoutUnit]:
    """Split an article into layout units, in order, covering every non-blank line.

    The header zone (lines before the first body paragraph) yields headline, subheadline,
    byline and date units; each body paragraph yields an optional dateline prefix and a body
    unit; short title-like lines between paragraphs are subheadings. With
    `article_start=False` (a later chunk of a long article) there is no header zone.
    """
    lines = _lines(text)
    units: list[LayoutUnit] = []
    in_header = article_start
    headlines = 0
    paragraph_start: int | None = None
    paragraph_end = 0
    first_paragraph = article_start
    blank = [not text[s:e].strip() for s, e in lines]
    last_content = max((i for i, is_blank in enumerate(blank) if not is_blank), default=-1)

    def close_paragraph() -> None:
        nonlocal paragraph_start, first_paragraph
        if paragraph_start is None:
            return
        start = paragraph_start
        if first_paragraph:
            match = _DATELINE.match(text, start, paragraph_end)
            if match and match.end() < paragraph_end:
                units.append(LayoutUnit(start, start + len(match.group().rstrip()), "dateline"))
                start = match.end()
        units.append(LayoutUnit(start, paragraph_end, "body"))
        paragraph_start = None
        first_paragraph = False

    for index, (start, end) in enumerate(lines):
        if blank[index]:
            close_paragraph()
            continue
        line = text[start:end]
        stripped = line.strip()
        lead = start + (len(line) - len(line.lstrip()))
        trail = start + len(line.rstrip())
        next_blank = index + 1 == len(lines) or blank[index + 1]
        previous_blank = index == 0 or blank[index - 1]
        standalone = previous_blank and next_blank
        more_follows = index < last_content
        if paragraph_start is None and (in_header or standalone) and more_follows:
            if _BYLINE.match(stripped) and len(stripped.split()) <= 12:
                units.append(LayoutUnit(lead, trail, "byline"))
                continue
            if _DATE_LINE.match(stripped):
                units.append(LayoutUnit(lead, trail, "date"))
                continue
            if in_header and _is_headline_like(stripped, next_blank):
                units.append(LayoutUnit(lead, trail, "headline" if headlines == 0 else "subheadline"))
                headlines += 1
                continue
            if (
                not in_header
                and standalone
                and len(stripped.split()) <= _MAX_SUBHEADING_WORDS
                and not stripped.endswith(_TERMINAL)
                and is_title_case(stripped)
            ):
                units.append(LayoutUnit(lead, trail, "subheading"))
                continue
        in_header = False
        if paragraph_start is None:
            paragraph_start = lead
        paragraph_end = trail
    close_paragraph()
    return units
