"""`claimx report`: one self-contained HTML file for one or many articles.

The page is rendered with Jinja2 (autoescaped: article text is never markup) from the templates
in `claimx/views/templates/`; styles, script and the SVG charts are inlined, and a
Content-Security-Policy forbids the page any request, so it opens offline and leaks nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from claimx import __version__
from claimx.schema import LABELS, ErrorRecord
from claimx.views.articles import Article, Claim, speaker_name, speaker_shown
from claimx.views.marking import (
    CUE_KIND_ORDER,
    CueMark,
    Run,
    article_runs,
    claim_runs,
    cue_marks,
    outside_marks,
)
from claimx.views.stats import HEDGED_LABELS, Statistics, statistics, summarize

CUE_KIND_HELP = {
    "hedge": "lowers confidence (may, likely, appears to)",
    "booster": "raises confidence (clearly, undeniable)",
    "doubt": "makes a claim doubtful (unlikely, hardly)",
    "negation": "flips polarity (not, never, failed to)",
    "condition": "makes a claim unknown (if, unless)",
    "question": "makes a claim unknown (whether, ?, unclear)",
    "attribution": "names who says it (said, according to)",
}
LABEL_HELP = {
    "certain": "plain assertion or boosted (confidence ≥ 0.85)",
    "probable": "moderate hedge (0.60–0.85)",
    "possible": "strong hedge (0.40–0.60)",
    "doubtful": "doubt cue (< 0.40)",
    "unknown": "condition or question",
}
# How many articles a chart draws before it says how many it left out.
CHART_ROWS = 60


@dataclass(frozen=True, slots=True)
class Bar:
    """One coloured piece of a horizontal bar, in chart units."""

    key: str
    x: float
    width: float
    value: float
    title: str


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """Everything the template needs about one article."""

    number: int
    anchor: str
    doc_id: str
    article: Article
    stats: Statistics
    marks: list[CueMark]
    runs: list[Run]
    claim_rows: list[tuple[int, Claim, list[Run], list[CueMark]]]
    label_bars: list[Bar]
    speaker_shown: list[bool]

    def claim_id(self, index: int) -> str:
        """The HTML id of claim `index`."""
        return f"{self.anchor}c{index}"

    def cue_id(self, mark: CueMark) -> str:
        """The HTML id of a cue occurrence."""
        return f"{self.anchor}k{mark.number}"

    def claim_ids(self, indices: Sequence[int]) -> str:
        """Space-separated HTML ids of claims (for data attributes)."""
        return " ".join(self.claim_id(index) for index in indices)


def label_bars(stats: Statistics) -> list[Bar]:
    """The 100%-stacked bar of an article's labels, in units of 0–100."""
    bars: list[Bar] = []
    x = 0.0
    for label in LABELS:
        count = stats.labels.get(label, 0)
        if not count:
            continue
        width = 100 * count / stats.claims
        bars.append(Bar(label, round(x, 3), round(width, 3), count,
                        f"{label}: {count} of {stats.claims} claims ({width:.0f}%)"))
        x += width
    return bars


def _page(number: int, article: Article) -> ArticlePage:
    marks = cue_marks(article.claims)
    stats = statistics([article], article.doc_id)
    text_runs = article_runs(article.text, article.claims, marks) if article.text is not None else []
    claim_rows = []
    if article.text is None:
        for index, claim in enumerate(article.claims):
            own = [mark for mark in marks if index in mark.claims]
            claim_rows.append((index, claim, claim_runs(claim, own), outside_marks(claim, own, index)))
    return ArticlePage(number, f"a{number}", article.doc_id, article, stats, marks, text_runs, claim_rows,
                       label_bars(stats), speaker_shown(article.claims))


def details(page: ArticlePage) -> dict[str, Any]:
    """Cue and claim details the page's script shows on click, keyed by HTML id."""
    claims = {
        page.claim_id(index): {
            "label": claim.label, "polarity": claim.polarity, "confidence": claim.confidence,
            "type": claim.claim_type, "source": speaker_name(claim), "text": claim.text,
            "source_words": claim.source.text if claim.source.text != speaker_name(claim) else None,
            "attribution": (claim.source.attribution or "").replace("_", " ") or None,
            "explanation": claim.explanation, "section": claim.section,
            "entities": [f"{entity.text} ({entity.label})" for entity in claim.entities],
            "statement": [list(segment) for segment in claim.statement] if claim.restated else None,
        }
        for index, claim in enumerate(page.article.claims)
    }
    cues = {
        page.cue_id(mark): {
            "text": mark.cue.text, "kind": mark.cue.kind, "type": mark.cue.type, "rule": mark.cue.rule,
            "weight": mark.cue.weight, "scope": mark.cue.scope, "probability": mark.cue.probability,
            "claims": [page.claim_id(index) for index in mark.claims],
        }
        for mark in page.marks
    }
    return {"claims": claims, "cues": cues}


def density_chart(stats: Sequence[Statistics]) -> dict[str, Any]:
    """Rows of the hedge/booster density chart, densest hedging first, scaled to the largest value."""
    rows = sorted(stats, key=lambda item: (-(item.hedges_per_100_words or 0), item.doc_id or ""))
    largest = max([max(item.hedges_per_100_words or 0, item.boosters_per_100_words or 0) for item in rows] + [0.0])
    return {"rows": rows[:CHART_ROWS], "left_out": max(0, len(rows) - CHART_ROWS), "largest": largest or 1.0}


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("claimx.views", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["pct"] = lambda value: "–" if value is None else f"{100 * value:.0f}%"
    environment.filters["num"] = lambda value, digits=2: "–" if value is None else f"{value:.{digits}f}"
    return environment


def render_report(
    articles: Sequence[Article],
    errors: Sequence[ErrorRecord] = (),
    title: str | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """The whole HTML report as one string."""
    pages = [_page(number, article) for number, article in enumerate(articles, start=1)]
    summary = summarize(articles, errors)
    if title is None:
        title = f"claimx report: {pages[0].doc_id}" if len(pages) == 1 else f"claimx report: {len(pages)} articles"
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        version=__version__,
        generated=(generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        pages=pages,
        summary=summary,
        overall=summary.overall,
        overall_bars=label_bars(summary.overall),
        errors=list(errors),
        details={page.anchor: details(page) for page in pages},
        density=density_chart([page.stats for page in pages]),
        labels=LABELS,
        cue_kinds=CUE_KIND_ORDER,
        cue_kind_help=CUE_KIND_HELP,
        label_help=LABEL_HELP,
        hedged_labels=HEDGED_LABELS,
        source_text=speaker_name,
        chart_rows=CHART_ROWS,
    )
