"""The views for people: `claimx stats`, `claimx show` and the HTML report, checked against
figures computed by hand and against the records they are drawn from."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from claimx.cli import app
from claimx.views.articles import Article, article_from_text, read_records
from claimx.views.marking import cue_marks
from claimx.views.report import render_report
from claimx.views.stats import summarize

runner = CliRunner()
ANSI = "\x1b["

TEXT_A = "Officials said Acme will likely buy Bolt and the tolls may rise in 2025."
TEXT_B = "Acme clearly won. Acme did not lose. If Acme wins, Bolt is unlikely to recover."


def span(text: str, fragment: str, after: int = 0) -> tuple[int, int]:
    start = text.index(fragment, after)
    return start, start + len(fragment)


def claim(doc_id: str, text: str, fragment: str, label: str, confidence: float, *, cues=(), entities=(),
          speaker: str | None = None, polarity: str = "positive", schema: str = "claimx.claim/2", **extra) -> dict:
    """A claim record as claimx writes it, with offsets computed from the article text."""
    start, end = span(text, fragment)
    record = {
        "schema": schema, "doc_id": doc_id, "claim_id": f"{doc_id}-{start}", "sentence_index": 0,
        "section": "body", "start": start, "end": end, "text": fragment,
        "subject": None, "predicate": None, "object": None,
        "source": {"kind": "speaker", "text": speaker, "start": 0, "end": len(speaker)} if speaker
        else {"kind": "author", "text": None, "start": None, "end": None},
        "label": label, "polarity": polarity, "confidence": confidence, "factuality": 0.0,
        "claim_type": "statement", "checkworthiness": None, "subjective": None, "subjectivity": None,
        "explanation": f"{label}: test", "events": None,
        "entities": [dict(zip(("text", "label", "start", "end"), (word, kind, *span(text, word, start))))
                     for word, kind in entities],
        "cues": [{"text": word, "kind": kind, "type": "test", "start": span(text, word)[0], "end": span(text, word)[1],
                  "weight": 0.5, "rule": f"{kind}.{word.lower()}", "scope": "clause", "probability": None}
                 for word, kind in cues],
    }
    record.update(extra)
    return record


def hand_written_lines() -> list[str]:
    """Two articles, a future record version with unknown keys, and one failed input."""
    records = [
        claim("a.txt", TEXT_A, "Acme will likely buy Bolt", "probable", 0.7, speaker="Officials",
              cues=[("said", "attribution"), ("likely", "hedge")], entities=[("Acme", "ORG"), ("Bolt", "ORG")]),
        claim("a.txt", TEXT_A, "the tolls may rise in 2025", "possible", 0.5, speaker="officials",
              cues=[("said", "attribution"), ("may", "hedge")], entities=[("2025", "DATE")]),
        claim("b.txt", TEXT_B, "Acme clearly won", "certain", 0.95, cues=[("clearly", "booster")],
              entities=[("Acme", "ORG")], schema="claimx.claim/3", meta={"outlet": "x"}, text_origin="input",
              a_field_from_the_future=[1, 2]),
        claim("b.txt", TEXT_B, "Acme did not lose", "certain", 0.9, polarity="negative",
              cues=[("not", "negation")], entities=[("Acme", "ORG")], schema="claimx.claim/3"),
        claim("b.txt", TEXT_B, "Bolt is unlikely to recover", "doubtful", 0.3,
              cues=[("If", "condition"), ("unlikely", "doubt")], entities=[("Bolt", "GPE")], schema="claimx.claim/3"),
    ]
    lines = [json.dumps(record) for record in records]
    lines.insert(3, json.dumps({"schema": "claimx.error/1", "input": "c.txt", "kind": "missing",
                                "message": "no such file"}))
    lines.insert(1, "")  # blank lines are allowed
    return lines


@pytest.fixture()
def claims_file(tmp_path: Path) -> Path:
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(hand_written_lines()) + "\n", encoding="utf-8")
    return path


# --- statistics -----------------------------------------------------------------------------


def test_stats_equal_the_figures_counted_by_hand(claims_file: Path) -> None:
    from claimx.views.articles import group_articles

    articles, errors = group_articles(read_records(claims_file.read_text().splitlines(), "claims.jsonl"))
    summary = summarize(articles, errors)
    a, b = summary.documents
    assert (a.doc_id, a.claims, b.doc_id, b.claims) == ("a.txt", 2, "b.txt", 3)
    # "said" frames both claims of a.txt but occurs once in the text.
    assert a.cues["attribution"] == 1 and a.cues["hedge"] == 2
    assert a.words == 5 + 6 and a.word_basis == "claims"
    assert a.hedges_per_100_words == round(200 / 11, 2) and a.boosters_per_100_words == 0.0
    assert (a.attributed_claims, a.authorial_claims, a.attributed_share, a.hedged_claims) == (2, 0, 1.0, 2)
    assert [(s.text, s.claims) for s in a.top_sources] == [("Officials", 2)]   # "officials" is the same speaker
    assert [(e.text, e.hedged_claims, e.claims) for e in a.hedged_entities] == [("Acme", 1, 1), ("Bolt", 1, 1)]
    assert a.mean_confidence == 0.6
    assert b.labels == {"certain": 2, "probable": 0, "possible": 0, "doubtful": 1, "unknown": 0}
    assert (b.negative_claims, b.hedged_claims, b.hedged_entities, b.boosters_per_100_words) == (1, 0, [], round(100 / 12, 2))

    overall = summary.overall
    assert (overall.doc_id, overall.documents, overall.claims, overall.words) == (None, 2, 5, 23)
    assert overall.cues == {"hedge": 2, "booster": 1, "doubt": 1, "negation": 1, "condition": 1, "question": 0,
                            "attribution": 1}
    assert overall.hedges_per_100_words == round(200 / 23, 2)
    assert overall.attributed_share == 0.4 and overall.mean_confidence == round(3.35 / 5, 4)
    # Acme is in three claims, one hedged; Bolt in two (tagged ORG once, GPE once: still one name),
    # one hedged; the date is not an entity to rank.
    assert [(e.text, e.hedged_claims, e.claims) for e in overall.hedged_entities] == [("Acme", 1, 3), ("Bolt", 1, 2)]
    assert [(error.input, error.kind) for error in summary.errors] == [("c.txt", "missing")]


def test_stats_json_on_stdout_with_error_records_counted(claims_file: Path) -> None:
    result = runner.invoke(app, ["stats", "--json", str(claims_file)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert [doc["doc_id"] for doc in data["documents"]] == ["a.txt", "b.txt"]
    assert data["overall"]["claims"] == 5 and data["overall"]["labels"]["probable"] == 1
    assert data["errors"] == [{"schema": "claimx.error/1", "input": "c.txt", "kind": "missing",
                               "message": "no such file"}]


def test_stats_reads_stdin_and_prints_a_table_per_document_and_overall(claims_file: Path) -> None:
    result = runner.invoke(app, ["stats"], input=claims_file.read_text())
    assert result.exit_code == 0, result.stderr
    assert ANSI not in result.stdout
    rows = result.stdout.splitlines()
    assert any(row.lstrip().startswith("a.txt") for row in rows)
    assert any(row.lstrip().startswith("b.txt") for row in rows)
    assert any("all 2 documents" in row for row in rows)
    assert "Inputs that failed (1)" in result.stdout and "c.txt" in result.stdout


@pytest.mark.parametrize("command", [["stats"], ["show", "--from-jsonl"], ["report", "--from-jsonl", "-o"]])
def test_a_bad_jsonl_line_is_named_by_file_and_line(command: list[str], tmp_path: Path) -> None:
    lines = hand_written_lines()
    lines[2] = '{"schema": "claimx.claim/2", "doc_id": "a.txt", "text": "cut off'
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines), encoding="utf-8")
    report = tmp_path / "r.html"
    args = [*command, str(report)] if command[-1] == "-o" else command
    result = runner.invoke(app, [*args, str(bad)])
    assert not report.exists()
    assert result.exit_code == 2
    assert f"{bad}:3: not a JSON line" in result.stderr
    assert result.stdout == ""


def test_records_of_another_kind_are_refused_with_their_schema(tmp_path: Path) -> None:
    other = tmp_path / "other.jsonl"
    other.write_text('{"schema": "someone.else/1", "x": 1}\n', encoding="utf-8")
    result = runner.invoke(app, ["stats", str(other)])
    assert result.exit_code == 2
    assert f"{other}:1: unknown record schema 'someone.else/1'" in result.stderr


def test_a_claim_record_without_its_label_is_refused(tmp_path: Path) -> None:
    record = claim("a.txt", TEXT_A, "Acme will likely buy Bolt", "probable", 0.7)
    del record["label"]
    path = tmp_path / "nolabel.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["stats", str(path)])
    assert result.exit_code == 2 and f"{path}:1: claim record lacks the field 'label'" in result.stderr


def test_article_text_given_to_stats_gets_a_hint(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", str(SAMPLES / "short_note.txt")])
    assert result.exit_code == 2
    assert "short_note.txt:1: not a JSON line" in result.stderr and "claimx extract" in result.stderr


# --- claimx show ----------------------------------------------------------------------------


def run_claimx(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    """claimx in its own process, its stdout a real pipe."""
    return subprocess.run([sys.executable, "-m", "claimx", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, check=False)


def test_show_from_jsonl_piped_or_no_color_has_no_escapes_and_spells_cues_out(claims_file: Path) -> None:
    clean = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    piped = subprocess.run([sys.executable, "-m", "claimx", "show", "--from-jsonl", str(claims_file)],
                           capture_output=True, text=True, env=clean, timeout=120, check=False)
    forced = run_claimx(["show", "--from-jsonl", str(claims_file)], {"FORCE_COLOR": "1"})
    no_color = run_claimx(["show", "--from-jsonl", str(claims_file)], {"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert piped.returncode == forced.returncode == no_color.returncode == 0
    assert ANSI in forced.stdout  # a terminal gets colour ...
    for result in (piped, no_color):  # ... a pipe and NO_COLOR get the same facts in brackets
        assert ANSI not in result.stdout
        assert "{probable · Officials} Acme will likely[hedge] buy Bolt" in result.stdout
        assert "{doubtful} Bolt is unlikely[doubt] to recover" in result.stdout
        assert "scoped by If[condition]" in result.stdout  # a cue outside the claim's own text
        assert "c.txt" in result.stdout and "no such file" in result.stdout  # the failed input is reported
        assert result.stderr == ""


def test_show_stdin_jsonl_with_colour_always(claims_file: Path) -> None:
    result = runner.invoke(app, ["show", "--from-jsonl", "--color", "always"], input=claims_file.read_text())
    assert result.exit_code == 0, result.stderr
    assert ANSI in result.stdout and "Acme" in result.stdout


def test_show_renders_an_article_with_badges_cues_and_summary() -> None:
    result = runner.invoke(app, ["show", str(SAMPLES / "short_note.txt")])
    assert result.exit_code == 0, result.stderr
    assert ANSI not in result.stdout
    out = " ".join(result.stdout.split())  # the text is wrapped to the terminal's width
    assert "{possible} The measure may[hedge] also ease pressure" in out
    assert "has not[negation] published" in out
    assert "If[condition] {unknown} the bill passes" in out
    assert re.search(r"possible\s+1\s+17%", out)  # the summary table: 1 of 6 claims
    assert "Cues" in out and "Who says it" in out


def test_show_missing_file_fails_with_exit_1() -> None:
    result = runner.invoke(app, ["show", "no/such/article.txt"])
    assert result.exit_code == 1
    assert "no/such/article.txt: no such file" in result.stderr and result.stdout == ""


# --- the HTML report ------------------------------------------------------------------------


class Marks(HTMLParser):
    """Collects the report's cue marks (text per data-cue id and kind), script tags and references."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[list[str]] = []  # [cue id, kind, text] per <mark> element
        self.current: list[str] | None = None
        self.scripts = 0
        self.references: list[str] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "mark" and attributes.get("data-cue"):
            self.current = [attributes["data-cue"], attributes["data-kind"] or "", ""]
            self.pieces.append(self.current)
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if attributes.get(name) and not attributes[name].startswith("#"):
                self.references.append(f"{tag} {name}={attributes[name]}")
        if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
            self.csp = attributes.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current:
            self.current[2] += data

    @property
    def marks(self) -> dict[str, list[str]]:
        """[kind, text] per cue id: a cue cut by a claim boundary is drawn as several <mark>s."""
        joined: dict[str, list[str]] = {}
        for cue_id, kind, text in self.pieces:
            joined.setdefault(cue_id, [kind, ""])[1] += text
        return joined


def parse(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def sample_articles(nlp) -> list[Article]:
    names = ("speculative_analysis.txt", "breaking_news.txt", "opinion_column.txt")
    return [article_from_text(nlp, (SAMPLES / name).read_text(encoding="utf-8"), name) for name in names]


def test_report_highlights_every_cue_once_with_its_kind(sample_articles: list[Article]) -> None:
    page = parse(render_report(sample_articles))
    shown = Counter((kind, text) for kind, text in page.marks.values())
    expected = Counter((mark.cue.kind, mark.cue.text) for article in sample_articles
                       for mark in cue_marks(article.claims))
    assert {kind for kind, _ in expected} >= {"hedge", "booster", "negation", "attribution"}
    assert shown == expected


def test_report_is_self_contained(sample_articles: list[Article]) -> None:
    html = render_report(sample_articles)
    page = parse(html)
    assert page.references == []
    assert "default-src 'none'" in page.csp
    assert not re.search(r"url\(|@import|https?://", html.split("<body>")[0])


def test_report_escapes_the_article(nlp) -> None:
    text = 'Officials said <script>alert("x")</script> the plan will likely fail & <b>cost</b> more.\n'
    html = render_report([article_from_text(nlp, text, "<evil>.txt")])
    page = parse(html)
    assert page.scripts == 2  # the page's data and its own script, nothing from the article
    assert "script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html and "&lt;b&gt;cost&lt;/b&gt;" in html
    assert "&lt;evil&gt;.txt" in html and "<evil>" not in html


def test_report_from_jsonl_lists_claims_with_their_cues(claims_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--from-jsonl", str(claims_file), "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and f"wrote {output}: 2 articles, 5 claims" in result.stderr
    html = output.read_text(encoding="utf-8")
    page = parse(html)
    # "said" is drawn once per claim it frames, outside each claim's text.
    assert sorted([kind, text] for _, kind, text in page.pieces) == sorted([["attribution", "said"],
        ["hedge", "likely"], ["hedge", "may"], ["attribution", "said"], ["booster", "clearly"],
        ["negation", "not"], ["doubt", "unlikely"], ["condition", "If"]])
    assert "Inputs that failed (1)" in html and "no such file" in html
    assert 'id="overview-table"' in html


def test_report_of_a_folder_keeps_going_past_a_missing_file(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "note.txt").write_text((SAMPLES / "short_note.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "ignored.jsonl").write_text("not read\n", encoding="utf-8")
    output = tmp_path / "out" / "r.html"
    result = runner.invoke(app, ["report", str(folder), str(tmp_path / "missing.txt"), "-o", str(output)])
    assert result.exit_code == 1
    assert "missing.txt: no such file" in result.stderr
    html = output.read_text(encoding="utf-8")
    assert "note.txt" in html and "Inputs that failed (1)" in html
    assert ["hedge", "may"] in parse(html).marks.values()


def test_show_reads_html_pages_as_extract_does(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura", reason="HTML input needs claimx[html]")
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><h1>Bridge talks</h1><p>Officials said the bridge will likely reopen "
                    "in May.</p><p>The city has not published the cost.</p></article></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["show", str(page)])
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "<p>" not in out and "will likely[hedge] reopen" in out and "has not[negation] published" in out


def test_show_warns_about_an_empty_article() -> None:
    result = runner.invoke(app, ["show", "-"], input="")
    assert result.exit_code == 0
    assert "stdin: empty input, no claims" in result.stderr and "no claims" in result.stdout


def test_report_refuses_claim_records_without_from_jsonl(tmp_path: Path) -> None:
    output = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(SAMPLES / "short_note.jsonl"), "-o", str(output)])
    assert result.exit_code == 1
    assert "short_note.jsonl: is JSONL: pass claimx records with --from-jsonl" in result.stderr


def test_a_speaker_is_named_once_for_a_row_of_their_claims(nlp) -> None:
    text = ('"The bridge will reopen in May and the tolls will stay," the mayor said. '
            "Engineers said cracks may remain. The council approved the budget.")
    article = article_from_text(nlp, text, "quote.txt")
    speakers = [claim.source.text if claim.source.kind == "speaker" else None for claim in article.claims]
    assert speakers[:3] == ["the mayor", "the mayor", "Engineers"]
    result = runner.invoke(app, ["show", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split(" Cues")[0].split())
    assert out.count("· the mayor}") == 1  # named before the first claim of the quotation only
    assert "{certain · the mayor} The bridge will reopen in May and {certain} the tolls will stay" in out
    assert "{possible · Engineers} cracks may[hedge] remain" in out  # a new speaker is named again
    page = render_report([article])
    assert page.count('<span class="who"> · the mayor</span>') == 1
    assert page.count("per the mayor") == 2  # the hover text still names the speaker of each claim


# -- statements ----------------------------------------------------------------------------------

STATEMENT_TEXT = "The ministry did not confirm or deny the report. However, analysts expect growth.\n"


def test_show_statements_lists_each_claim_standing_alone_with_restored_words_marked(tmp_path: Path) -> None:
    article = tmp_path / "ministry.txt"
    article.write_text(STATEMENT_TEXT, encoding="utf-8")
    result = runner.invoke(app, ["show", str(article), "--statements", "--color", "never"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    listed = lines[next(i for i, line in enumerate(lines) if line.startswith("Claims as statements")) + 2:]
    assert listed[:3] == ["{certain} The ministry did not confirm", "{certain} ⟨The ministry⟩ ⟨did not⟩ deny the report",
                          "{probable} analysts expect growth"]
    plain = runner.invoke(app, ["show", str(article), "--color", "never"])
    assert "Claims as statements" not in plain.stdout  # only on request


def test_statements_from_older_records_fall_back_to_the_claim_text(claims_file: Path) -> None:
    result = runner.invoke(app, ["show", "--from-jsonl", str(claims_file), "--statements", "--color", "never"])
    assert result.exit_code == 0, result.stderr
    assert "{probable · Officials} Acme will likely buy Bolt" in result.stdout.split("Claims as statements")[1]


def test_report_shows_a_restated_claim_with_its_restored_words(nlp, tmp_path: Path) -> None:
    article = tmp_path / "ministry.txt"
    article.write_text(STATEMENT_TEXT, encoding="utf-8")
    lines = tmp_path / "claims.jsonl"
    assert runner.invoke(app, ["extract", str(article), "-o", str(lines)]).exit_code == 0
    output = tmp_path / "report.html"
    assert runner.invoke(app, ["report", "--from-jsonl", str(lines), "-o", str(output)]).exit_code == 0
    html = output.read_text(encoding="utf-8")
    assert ('as a statement: <ins class="restored r-subject">The ministry</ins> '
            '<ins class="restored r-auxiliary">did not</ins> deny the report') in html
    # From the article, the statement travels with the claim's details (shown on click).
    data = json.loads(re.search(r'<script type="application/json" id="claimx-data">(.*?)</script>', render_report(
        [article_from_text(nlp, STATEMENT_TEXT, "ministry.txt")]), re.S).group(1))
    statements = [claim["statement"] for page in data.values() for claim in page["claims"].values()]
    assert [["The ministry", "subject"], [" ", ""], ["did not", "auxiliary"], [" ", ""], ["deny the report", "claim"]] \
        in statements
    assert statements.count(None) == 2  # claims that read alone as they are carry none


def test_show_and_stats_group_every_name_of_a_speaker(nlp) -> None:
    text = ("Patricia Hewitt, the trade secretary, defended the plan on Tuesday. "
            '"It will create jobs in every region," Ms Hewitt said. She said the plan would be reviewed. '
            "Hewitt added that exporters had been consulted.")
    article = article_from_text(nlp, text, "hewitt.txt")
    words = {claim.source.text for claim in article.claims if claim.source.kind == "speaker"}
    assert {"Ms Hewitt", "She", "Hewitt"} <= words
    stats = summarize([article]).overall
    assert [(source.text, source.claims) for source in stats.top_sources] == [("Patricia Hewitt", 3)]
    result = runner.invoke(app, ["show", "-"], input=text)
    out = " ".join(result.stdout.split(" Cues")[0].split())
    assert out.count("· Patricia Hewitt}") == 1  # one speaker: named once for her row of claims
    assert "· She}" not in out and "· Ms Hewitt}" not in out
