"""Sentence boundaries as news writes them: names, titles, initials, quotes, lists, datelines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def sentences(nlp):
    """The sentence texts claimx gives a text (stripped, blank ones dropped)."""

    def run(text: str) -> list[str]:
        return [s.text.strip() for s in nlp(text).sents if s.text.strip()]

    return run


def test_a_name_after_a_headline_is_not_split(sentences) -> None:
    text = (
        "Profile: David Miliband\n\n"
        "David Miliband's rapid rise through the ranks of the Labour Party has been swift. "
        "He is a special advisor to Chancellor Gordon Brown.\n"
    )
    assert sentences(text)[1:] == [
        "David Miliband's rapid rise through the ranks of the Labour Party has been swift.",
        "He is a special advisor to Chancellor Gordon Brown.",
    ]


def test_titles_and_initials_do_not_end_a_sentence(sentences) -> None:
    assert sentences("Citing an example, Sgt. Derek Glenn, a spokesman, said the case was open.") == [
        "Citing an example, Sgt. Derek Glenn, a spokesman, said the case was open."
    ]
    assert sentences("The award went to John A. Smith and Mary K. Jones. Both accepted.") == [
        "The award went to John A. Smith and Mary K. Jones.", "Both accepted."
    ]


def test_abbreviation_before_a_lower_case_word_and_a_spaced_ellipsis_stay_inside(sentences) -> None:
    assert len(sentences("The U.S. officials met on Friday.")) == 1
    assert sentences('"He was told . . . the handwriting was on the wall," the source said. He left.') == [
        '"He was told . . . the handwriting was on the wall," the source said.', "He left."
    ]


def test_quotations_keep_their_closing_quote_and_end_where_the_quote_does(sentences) -> None:
    text = '"We will win this vote," she said. "The count is close." Turnout was high.'
    assert sentences(text) == ['"We will win this vote," she said.', '"The count is close."', "Turnout was high."]
    text = "``It's incredibly sincere,'' she said. ``But it's powerful.'' It aired Monday."
    assert sentences(text) == ["``It's incredibly sincere,'' she said.", "``But it's powerful.''", "It aired Monday."]


def test_list_items_are_sentences(sentences) -> None:
    text = "In other developments: _The Pentagon said it would send ships. _Soviet officials said talks failed."
    assert sentences(text) == [
        "In other developments:", "_The Pentagon said it would send ships.", "_Soviet officials said talks failed."
    ]
    text = "The plan has three parts:\n- New bus lanes\n- Cheaper fares\n- A night service\n\nIt starts in May.\n"
    assert sentences(text) == [
        "The plan has three parts:", "- New bus lanes", "- Cheaper fares", "- A night service", "It starts in May."
    ]
    assert sentences("• Prices rose • Wages fell") == ["• Prices rose", "• Wages fell"]


def test_a_bracketed_sentence_or_desk_tag_after_a_full_stop_stands_alone(sentences) -> None:
    assert sentences("The panel will meet within a year. (aa-kjd)") == [
        "The panel will meet within a year.", "(aa-kjd)"
    ]
    # An abbreviation's full stop is not a sentence end.
    assert len(sentences("Acme Corp. (NYSE: ACM) said profits rose.")) == 1


def test_underscore_wire_dateline_is_its_own_unit(sentences) -> None:
    text = "NEWARK, N.J. _ A new task force began work on Monday. It has six members."
    assert sentences(text) == ["NEWARK, N.J. _", "A new task force began work on Monday.", "It has six members."]


def test_an_unpunctuated_run_is_still_cut_into_bounded_sentences(nlp) -> None:
    from claimx.components.layout import MAX_SENTENCE_TOKENS

    doc = nlp(" ".join(["word"] * (MAX_SENTENCE_TOKENS * 2 + 10)))
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_eval_sentences_scores_boundaries_of_documents_rebuilt_from_their_sentences(tmp_path: Path) -> None:
    rows = [
        {"id": "news/a.txt/S1.1", "text": "The council voted on Tuesday."},
        {"id": "news/a.txt/S1.2", "text": "Dr. Ana Ruiz said the U.S. grant would help."},
        {"id": "news/b.txt/S1.1", "text": "Prices rose."},
        {"id": "news/b.txt/S1.2", "text": "Wages fell."},
    ]
    result = runner.invoke(app, ["eval", "sentences", str(_write(tmp_path / "s.jsonl", rows)), "--json"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert (scores["n"], scores["documents"]) == (4, 2)
    assert (scores["precision"], scores["recall"], scores["f1"]) == (1.0, 1.0, 1.0)


def test_eval_sentences_counts_a_missed_boundary(tmp_path: Path) -> None:
    # Two gold sentences that claimx reads as one (no full stop between them).
    rows = [
        {"id": "news/a.txt/S1.1", "text": "Market Activity"},
        {"id": "news/a.txt/S1.2", "text": "The index fell."},
        {"id": "news/a.txt/S1.3", "text": "Trading was light."},
    ]
    scores = json.loads(runner.invoke(app, ["eval", "sentences", str(_write(tmp_path / "s.jsonl", rows)), "--json"]).stdout)
    assert scores["recall"] == 0.5 and scores["precision"] == 1.0
