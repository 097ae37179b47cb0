"""`claimx show` and `claimx stats` in the terminal, drawn with rich.

With colour, cues are coloured by kind and labels are coloured badges. Without it (NO_COLOR, a
pipe, `--color never`) the same information is spelled out in brackets: `likely[hedge]`,
`{probable · Officials}`, so nothing is lost when the output is read as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.columns import Columns
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from claimx.schema import LABELS, ErrorRecord
from claimx.views.articles import Article, Claim, speaker_name, speaker_shown
from claimx.views.marking import (
    CUE_KIND_ORDER,
    Run,
    article_runs,
    claim_runs,
    cue_marks,
    outside_marks,
)
from claimx.views.stats import Statistics, Summary, statistics

CUE_STYLES = {
    "hedge": "bold yellow underline",
    "booster": "bold green underline",
    "doubt": "bold magenta underline",
    "negation": "bold red underline",
    "condition": "bold blue underline",
    "question": "bold blue underline",
    "attribution": "bold cyan underline",
}
# Words a statement brings in from elsewhere in the article, by role.
RESTORED_STYLES = {"subject": "italic cyan", "auxiliary": "italic cyan", "antecedent": "bold cyan"}
# Without colour, restored words are wrapped in these (antecedents already come in [brackets]).
RESTORED_MARKS = ("⟨", "⟩")
LABEL_STYLES = {
    "certain": "bold black on green",
    "probable": "bold black on cyan",
    "possible": "bold black on yellow",
    "doubtful": "bold white on red",
    "unknown": "bold black on white",
}


CERTAIN_MARK = "✓"


def label_text(label: str) -> Text:
    """A label as the legend and the tables show it: a tick for certain, else its coloured block."""
    if label == "certain":
        return Text(f"{CERTAIN_MARK} certain", style="bold green")
    return Text(f" {label} ", style=LABEL_STYLES.get(label, "reverse"))


def is_plain(console: Console) -> bool:
    """True when the console shows no colour, so highlights must be spelled out."""
    return console.no_color or console.color_system is None


def short(text: str, limit: int = 28) -> str:
    """`text` cut to `limit` characters with an ellipsis, so long speaker names do not flood the text."""
    return text if len(text) <= limit else text[:limit - 1].rstrip(" ,") + "…"


def badge(claim: Claim, plain: bool, with_source: bool = True) -> Text:
    """The claim's label, and its speaker when attributed (and `with_source`), as one badge.

    Plain assertions are most claims, so their badge is a quiet tick (✓) and the probable,
    possible, doubtful and unknown ones stand out as coloured blocks.
    """
    source = speaker_name(claim) if with_source else None
    if plain:
        return Text(f"{{{claim.label}" + (f" · {short(source)}" if source else "") + "} ")
    style = LABEL_STYLES.get(claim.label, "reverse")
    if claim.label == "certain":
        text = Text(CERTAIN_MARK, style="bold green")
        if source:
            text.append(f" {short(source)}", style="italic green")
        text.append(" ")
        return text
    text = Text(f" {claim.label} ", style=style)
    if source:
        text.append(f"{short(source)} ", style="italic " + style.replace("bold ", ""))
    text.append(" ")
    return text


def cue_colour(kind: str) -> str:
    """A cue kind's colour without underline, for table cells (rich would underline their padding)."""
    return CUE_STYLES.get(kind, "bold").replace(" underline", "")


def _append_runs(text: Text, runs: Sequence[Run], claims: Sequence[Claim], plain: bool) -> None:
    named = speaker_shown(claims)
    for run in runs:
        for index in run.opens:
            text.append_text(badge(claims[index], plain, with_source=named[index]))
        kinds = [mark.cue.kind for mark in run.marks]
        if not kinds:
            text.append(run.text)
        elif plain:
            text.append(run.text)
            # Spell the kind out once, after the cue's last run.
            ended = [mark.cue.kind for mark in run.marks if mark.cue.end == run.end]
            if ended:
                text.append(f"[{'/'.join(dict.fromkeys(ended))}]")
        else:
            text.append(run.text, style=CUE_STYLES.get(kinds[0], "bold underline"))


def legend(plain: bool) -> Text:
    """Which colour (or bracket) means what."""
    if plain:
        return Text("cue[kind]: " + " ".join(CUE_KIND_ORDER)
                    + "\n{label · speaker} claim: " + " ".join(LABELS))
    text = Text("cues: ", style="dim")
    for kind in CUE_KIND_ORDER:
        text.append(kind, style=CUE_STYLES[kind])
        text.append("  ")
    text.append("\nlabels: ", style="dim")
    for label in LABELS:
        text.append_text(label_text(label))
        text.append(" ")
    return text


def article_text(article: Article, plain: bool) -> Text:
    """The article with cues highlighted and a badge before each claim (needs `article.text`)."""
    assert article.text is not None
    text = Text()
    marks = cue_marks(article.claims)
    _append_runs(text, article_runs(article.text.rstrip(), article.claims, marks), article.claims, plain)
    return text


def claim_lines(article: Article, plain: bool) -> Text:
    """Each claim on its own line with its own cues highlighted, for records without the article text."""
    marks = cue_marks(article.claims)
    text = Text()
    for index, claim in enumerate(article.claims):
        own = [mark for mark in marks if index in mark.claims]
        text.append_text(badge(claim, plain))
        _append_runs(text, claim_runs(claim, own), [], plain)
        outside = outside_marks(claim, own, index)
        if outside:
            text.append("\n    ")
            text.append("scoped by ", style="dim")
            for number, mark in enumerate(outside):
                if number:
                    text.append(", ", style="dim")
                if plain:
                    text.append(f"{mark.cue.text}[{mark.cue.kind}]")
                else:
                    text.append(mark.cue.text, style=CUE_STYLES.get(mark.cue.kind, "bold underline"))
        text.append("\n")
    return text


def statement_text(claim: Claim, plain: bool) -> Text:
    """A claim's statement, the words it restores from elsewhere in the article marked."""
    text = Text()
    for segment, role in claim.statement or ((claim.text, "claim"),):
        if role in ("claim", "") or (plain and role == "antecedent"):
            text.append(segment)
        elif plain:
            text.append(RESTORED_MARKS[0] + segment + RESTORED_MARKS[1])
        else:
            text.append(segment, style=RESTORED_STYLES.get(role, "italic"))
    return text


def statement_lines(article: Article, plain: bool) -> Text:
    """Every claim as a sentence that stands alone, one a line, behind its badge."""
    text = Text()
    if plain:
        text.append(f"{RESTORED_MARKS[0]}restored from the sentence{RESTORED_MARKS[1]} [antecedent]\n")
    else:
        text.append("restored from the sentence", style=RESTORED_STYLES["subject"])
        text.append("  ")
        text.append("[antecedent]", style=RESTORED_STYLES["antecedent"])
        text.append("\n")
    for claim in article.claims:
        text.append_text(badge(claim, plain))
        text.append_text(statement_text(claim, plain))
        text.append("\n")
    return text


def _count_table(title: str, rows: Sequence[tuple[Text | str, ...]], headers: Sequence[str]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold", pad_edge=False)
    for number, header in enumerate(headers):
        table.add_column(header, justify="left" if number == 0 else "right")
    for row in rows:
        table.add_row(*row)
    return table


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.0f}%" if total else "–"


def _density(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def summary_tables(stats: Statistics, plain: bool) -> RenderableType:
    """Claims per label, cue counts and densities, attribution, top cues and hedged entities."""
    labels = _count_table("Claims", [
        (Text(label) if plain else label_text(label),
         str(stats.labels[label]), _share(stats.labels[label], stats.claims))
        for label in LABELS
    ] + [(Text("all", style="bold"), str(stats.claims), "")], ("label", "claims", "share"))
    basis = "words" if stats.word_basis == "article" else "claim words"
    cue_rows = [
        (Text(kind) if plain else Text(kind, style=cue_colour(kind)), str(stats.cues[kind]),
         _density(100 * stats.cues[kind] / stats.words if stats.words else None))
        for kind in CUE_KIND_ORDER
    ]
    cues = _count_table("Cues", cue_rows, ("kind", "count", f"per 100 {basis}"))
    attribution = _count_table("Who says it", [
        ("attributed to a speaker", str(stats.attributed_claims), _share(stats.attributed_claims, stats.claims)),
        ("authorial", str(stats.authorial_claims), _share(stats.authorial_claims, stats.claims)),
    ] + [(f"  {short(source.text, 40)}", str(source.claims), "") for source in stats.top_sources[:5]],
        ("source", "claims", "share"))
    tables: list[RenderableType] = [labels, cues, attribution]
    if stats.top_cues:
        tables.append(_count_table("Top cues", [
            (cue.text if plain else Text(cue.text, style=cue_colour(cue.kind)), cue.kind, str(cue.count))
            for cue in stats.top_cues[:8]
        ], ("cue", "kind", "count")))
    if stats.hedged_entities:
        tables.append(_count_table("Most hedged about", [
            (entity.text, entity.label, f"{entity.hedged_claims} of {entity.claims}")
            for entity in stats.hedged_entities[:8]
        ], ("entity", "type", "hedged claims")))
    return Columns(tables, padding=(0, 3))


def _heading(article: Article, stats: Statistics) -> Rule:
    basis = "words" if article.word_basis == "article" else "words in claims"
    return Rule(f"{article.doc_id} · {stats.words} {basis} · {stats.claims} claims", align="left", style="dim")


def show_articles(
    console: Console, articles: Sequence[Article], errors: Sequence[ErrorRecord] = (), statements: bool = False,
) -> None:
    """Print each article (its text when known, else its claims), with `statements` each claim as a
    sentence that stands alone, then its summary tables."""
    plain = is_plain(console)
    console.print(legend(plain))
    for article in articles:
        stats = statistics([article], article.doc_id)
        console.print()
        console.print(_heading(article, stats))
        console.print()
        if not article.claims:
            console.print(article.text.rstrip() if article.text else "")
            console.print("no claims", style="dim")
            continue
        if article.text is not None:
            console.print(article_text(article, plain))
        else:
            console.print(claim_lines(article, plain), end="")
        if statements:
            console.print()
            console.print(Rule("Claims as statements", align="left", style="dim"))
            console.print(statement_lines(article, plain), end="")
        console.print()
        console.print(summary_tables(stats, plain))
    if errors:
        console.print()
        console.print(error_table(errors))


def error_table(errors: Sequence[ErrorRecord]) -> Table:
    """Inputs that failed upstream (claimx.error records), one row each."""
    table = Table(title=f"Inputs that failed ({len(errors)})", box=box.SIMPLE_HEAD, title_justify="left",
                  title_style="bold red", pad_edge=False)
    for header in ("input", "kind", "message"):
        table.add_column(header)
    for error in errors:
        table.add_row(error.input, error.kind, error.message)
    return table


def _document_table(title: str, headers: Sequence[str]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=title, title_justify="left", title_style="bold")
    table.add_column("document", overflow="fold", ratio=1)
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True)
    return table


def stats_tables(summary: Summary) -> list[Table]:
    """Two tables, each narrow enough for 80 columns: claims per label, and how the documents lean.

    One row per document, and one for all of them when there are several.
    """
    labels = _document_table("Claims per label", ("claims", *LABELS))
    leaning = _document_table("How they lean", ("words", "hedged", "attrib.", "hedges\nper 100w",
                                                "boosters\nper 100w", "mean\nconf."))
    rows = summary.documents + ([summary.overall] if len(summary.documents) > 1 else [])
    for stats in rows:
        overall = stats.doc_id is None
        name = f"all {stats.documents} documents" if overall else stats.doc_id
        ends_section = bool(summary.documents) and stats is summary.documents[-1] and len(rows) > 1
        style = "bold" if overall else None
        labels.add_row(name, str(stats.claims), *(str(stats.labels[label]) for label in LABELS),
                       end_section=ends_section, style=style)
        leaning.add_row(
            name, f"{stats.words}" + ("*" if stats.word_basis != "article" else ""),
            _share(stats.hedged_claims, stats.claims), _share(stats.attributed_claims, stats.claims),
            _density(stats.hedges_per_100_words), _density(stats.boosters_per_100_words),
            "–" if stats.mean_confidence is None else f"{stats.mean_confidence:.2f}",
            end_section=ends_section, style=style,
        )
    return [labels, leaning]


def print_stats(console: Console, summary: Summary) -> None:
    """The stats table, the overall top cues and hedged entities, and any failed inputs."""
    labels, leaning = stats_tables(summary)
    console.print(labels)
    console.print(leaning)
    if summary.overall.word_basis != "article":
        console.print(Padding(Text("* words in the claims' text: records do not carry the whole article; "
                                   "hedged = probable or possible", style="dim"), (0, 0, 1, 0)))
    overall = summary.overall
    parts: list[RenderableType] = []
    if overall.top_cues:
        parts.append(_count_table("Top cues", [(cue.text, cue.kind, str(cue.count)) for cue in overall.top_cues],
                                  ("cue", "kind", "count")))
    if overall.hedged_entities:
        parts.append(_count_table("Most hedged about", [
            (entity.text, entity.label, f"{entity.hedged_claims} of {entity.claims}")
            for entity in overall.hedged_entities
        ], ("entity", "type", "hedged claims")))
    if overall.top_sources:
        parts.append(_count_table("Top sources", [(source.text, str(source.claims)) for source in overall.top_sources],
                                  ("speaker", "claims")))
    if parts:
        console.print(Columns(parts, padding=(0, 3)))
    if summary.errors:
        console.print(error_table(summary.errors))

