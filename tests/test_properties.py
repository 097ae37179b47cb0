"""Invariants over generated articles: offsets slice the text, lines validate, output is stable."""

from __future__ import annotations

import json

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimx.output import dumps
from claimx.pipeline import chunk_text, extract_text
from claimx.schema import json_schema

SENTENCES = [
    "Officials said the dam will likely hold.",
    "“We are not leaving,” the mayor said.",
    'The plan "might fail", critics argued.',
    "It is unclear whether the U.S. will join.",
    "Prices rose 3.1% in May, according to the agency.",
    "If the talks fail, the strike could spread.",
    "The harm is undeniable and cannot be overstated.",
    "Dr. Ruiz doubts that the vaccine works?",
    "Nobody walked out.",
    "Les élèves étaient prêts — naïve café résumé.",
    "日本の経済は成長した。",
    "🙂 emoji and\ttabs\u00a0and non-breaking spaces.",
]
HEADLINES = ["Council Backs Bridge Plan", "By Ana Ruiz", "Published March 4, 2026", "GENEVA (Wire) — Talks end."]
SEPARATORS = [" ", "\n", "\n\n", "\r\n", "\r\n\r\n", "  ", "\n \n"]

articles = st.builds(
    lambda head, parts, seps: head + "".join(p + s for p, s in zip(parts, seps)),
    st.sampled_from(["", *[h + "\n\n" for h in HEADLINES]]),
    st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6),
    st.lists(st.sampled_from(SEPARATORS), min_size=6, max_size=6),
)
VALIDATOR = jsonschema.Draft202012Validator(json_schema())
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SLOW
@given(text=articles)
def test_every_offset_slices_the_text_exactly(nlp, text: str) -> None:
    for record in extract_text(nlp, text, "prop"):
        assert text[record.start : record.end] == record.text
        for part in (record.subject, record.predicate, record.object):
            if part is not None:
                assert text[part.start : part.end] == part.text
        for item in (*record.cues, *record.entities):
            assert text[item.start : item.end] == item.text
        if record.source.start is not None:
            assert text[record.source.start : record.source.end] == record.source.text
        for piece in record.statement.pieces:
            assert text[piece.start : piece.end] == piece.text


@SLOW
@given(text=articles)
def test_every_statement_is_made_of_the_articles_words(nlp, text: str) -> None:
    for record in extract_text(nlp, text, "prop"):
        pieces = record.statement.pieces
        assert pieces, record.text
        # The statement reads its pieces in order, nothing added but spaces and brackets.
        assert "".join(record.statement.text.split()) == "".join(
            "".join((f"[{p.text}]" if p.role == "antecedent" else p.text).split()) for p in pieces
        )
        # The claim's own words are all inside the claim; restored words come from before it.
        for piece in pieces:
            if piece.role == "claim":
                assert record.start <= piece.start and piece.end <= record.end
            elif piece.role in ("subject", "auxiliary"):
                assert piece.end <= record.start


@SLOW
@given(text=articles)
def test_every_line_validates_against_the_schema(nlp, text: str) -> None:
    for record in extract_text(nlp, text, "prop"):
        VALIDATOR.validate(json.loads(dumps(record.to_dict())))


@SLOW
@given(text=articles)
def test_output_is_stable_and_ordered(nlp, text: str) -> None:
    first = [dumps(r.to_dict()) for r in extract_text(nlp, text, "prop")]
    second = [dumps(r.to_dict()) for r in extract_text(nlp, text, "prop")]
    assert first == second
    positions = [(json.loads(line)["sentence_index"], json.loads(line)["start"]) for line in first]
    assert positions == sorted(positions)
    ids = [json.loads(line)["claim_id"] for line in first]
    assert len(ids) == len(set(ids))


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab .\n")), max_size=400), limit=st.integers(20, 120))
def test_chunks_cover_the_text_without_gaps(text: str, limit: int) -> None:
    chunks = chunk_text(text, limit)
    assert "".join(chunk.text for chunk in chunks) == text
    for chunk in chunks:
        assert text[chunk.offset : chunk.offset + len(chunk.text)] == chunk.text
        assert len(chunk.text) <= limit


def test_long_input_is_chunked_with_correct_offsets(nlp, monkeypatch) -> None:
    import claimx.pipeline as pipeline

    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 300)
    paragraph = "Officials said the dam will likely hold. Nobody walked out. The plan might fail.\n\n"
    text = paragraph * 20
    records = pipeline.extract_text(nlp, text, "long")
    assert len(records) == 3 * 20
    for record in records:
        assert text[record.start : record.end] == record.text
    assert [r.sentence_index for r in records] == sorted(r.sentence_index for r in records)
    assert len({r.sentence_index for r in records}) == 60


def test_later_chunks_of_a_long_article_have_no_headline(nlp, monkeypatch) -> None:
    import claimx.pipeline as pipeline

    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 200)
    text = "Dam Talks Resume\n\n" + "".join(
        f"Budget Update Number {n}\n\nThe council met again on day {n} and may vote soon.\n\n" for n in range(8)
    )
    records = pipeline.extract_text(nlp, text, "long")
    assert [r.section for r in records].count("headline") == 1
    assert records[0].section == "headline" and records[0].text == "Dam Talks Resume"
