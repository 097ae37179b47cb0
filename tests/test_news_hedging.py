"""How news hedges: predictions, reported speech and judgement verbs, each in both directions."""

from __future__ import annotations

import pytest

UNCERTAIN_KINDS = {"hedge", "doubt", "condition", "question"}


def claim_with(records, words: str):
    return next(r for r in records if words in r.text)


def uncertainty_cues(record) -> list[tuple[str, str]]:
    return [(c.text, c.kind) for c in record.cues if c.kind in UNCERTAIN_KINDS]


def test_deliberative_consider_is_no_hedge_but_a_judgement_is(claims_of) -> None:
    records = claims_of(
        "The potential for a prolonged civil war in the country is very real and should be considered."
    )
    considered = claim_with(records, "considered")
    assert uncertainty_cues(considered) == []
    assert considered.label == "certain"
    judged = claim_with(claims_of("Ruiz is considered the best goalkeeper in the league."), "considered")
    assert ("considered", "hedge") in uncertainty_cues(judged)
    assert judged.label == "probable"


def test_unlikely_as_a_small_clause_predicate_is_a_doubt_cue(claims_of) -> None:
    record = claim_with(
        claims_of("Mounting tensions make a peaceful resolution unlikely in the short term."), "unlikely"
    )
    assert ("unlikely", "doubt") in uncertainty_cues(record)
    assert record.label == "doubtful"
    hero = claim_with(claims_of("An unlikely hero saved the village on Sunday."), "hero")
    assert uncertainty_cues(hero) == []


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Prices are likely to rise next year.", "likely"),
        ("The merger is expected to close in May.", "expected"),
        ("The company is set to cut 500 jobs.", "set"),
        ("The firm is poised to expand into Asia.", "poised"),
    ],
)
def test_predictions_carry_the_writers_uncertainty(claims_of, sentence: str, cue: str) -> None:
    record = claims_of(sentence)[0]
    assert (cue, "hedge") in uncertainty_cues(record)
    assert record.label == "probable"


@pytest.mark.parametrize(
    "sentence",
    ["She is a likely candidate for the post.", "The alarm was set to 7am.", "The gymnast looked poised and calm."],
)
def test_the_same_words_without_a_prediction_are_no_hedge(claims_of, sentence: str) -> None:
    record = claims_of(sentence)[0]
    assert uncertainty_cues(record) == []
    assert record.label == "certain"


def test_reported_would_is_the_future_of_the_past_not_a_condition(claims_of) -> None:
    would = claim_with(claims_of("Officials said prices would fall."), "prices would fall")
    will = claim_with(claims_of("Officials said prices will fall."), "prices will fall")
    assert not any(c.kind == "condition" for c in would.cues)
    assert would.label != "unknown"
    assert would.label == will.label


def test_a_conditional_would_still_makes_the_claim_open(claims_of) -> None:
    records = claims_of("If interest rates rise again, prices would fall.")
    consequence = claim_with(records, "prices would fall")
    assert any(c.kind == "condition" for c in consequence.cues)
    assert consequence.label == "unknown"
    reported = claim_with(claims_of("Officials said that if rates rise, prices would fall."), "prices would fall")
    assert reported.label == "unknown"


def test_a_user_veto_entry_silences_a_word_where_its_check_holds(tmp_path) -> None:
    from claimx.pipeline import extract_text, load_pipeline

    veto = tmp_path / "veto.jsonl"
    veto.write_text(
        '{"id": "veto.poised", "kind": "hedge", "type": "predictive", "weight": 0.8, '
        '"lower": "poised", "check": "infinitive_complement", "veto": true}\n',
        encoding="utf-8",
    )
    nlp = load_pipeline(cue_files=[str(veto)])
    vetoed = extract_text(nlp, "The firm is poised to expand into Asia.")[0]
    assert uncertainty_cues(vetoed) == [] and vetoed.label == "certain"
    # Other words of the shipped entry keep their hedge.
    kept = extract_text(nlp, "The company is set to cut 500 jobs.")[0]
    assert ("set", "hedge") in uncertainty_cues(kept)
