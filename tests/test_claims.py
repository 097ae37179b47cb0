"""Claims: proposition splitting, scope, sources, confidence labels, polarity and claim types."""

from __future__ import annotations

import pytest

from conftest import cue_texts, find_claim


# -- splitting sentences into propositions ---------------------------------------------------

def test_concessive_sentence_gives_two_claims_with_different_labels(claims_of) -> None:
    records = claims_of("While the new leadership appears less hostile than feared, it remains far from friendly.")
    first = find_claim(records, "appears less hostile")
    second = find_claim(records, "remains far from friendly")
    assert first.label == "probable" and cue_texts(first) == ["appears"]
    assert second.label == "certain" and second.polarity == "negative"
    assert first.label != second.label


def test_semicolon_clauses_are_separate_claims(claims_of) -> None:
    records = claims_of("The pullout isn't a sudden decision; it's likely the result of months of pressure.")
    assert find_claim(records, "sudden decision").polarity == "negative"
    assert find_claim(records, "the result of months").label == "probable"


def test_conjoined_verbs_are_separate_claims(claims_of) -> None:
    records = claims_of("The suspect fled the scene and may have left the country.")
    assert find_claim(records, "fled the scene").label == "certain"
    assert find_claim(records, "have left the country").label == "possible"


# -- scope that follows the grammar ------------------------------------------------------------

def test_a_shared_modal_scopes_over_every_conjoined_predicate(claims_of) -> None:
    records = claims_of("The vacuum left by the departing Iranian forces might cause instability and lead to a "
                        "further escalation of the conflict in various forms.")
    first, second = find_claim(records, "cause instability"), find_claim(records, "lead to a further")
    assert first.label == second.label == "possible"
    assert [(c.text, c.scope) for c in second.cues] == [("might", "clause")]


def test_shared_negation_negates_both_conjuncts(claims_of) -> None:
    records = claims_of("The ministry did not confirm or deny the report.")
    assert find_claim(records, "confirm").polarity == "negative"
    assert find_claim(records, "deny the report").polarity == "negative"


def test_negation_does_not_carry_over_but(claims_of) -> None:
    records = claims_of("The ministry did not confirm the report but denied it.")
    assert find_claim(records, "confirm the report").polarity == "negative"
    assert find_claim(records, "denied it").polarity == "positive"


def test_could_rise_and_then_fall_hedges_both(rule_claims_of, claims_of) -> None:
    records = rule_claims_of("Prices could rise and then fall.")
    assert [(r.text, r.label) for r in records] == [("Prices could rise", "possible"), ("then fall", "possible")]
    # The full pipeline judges "could" in context; whatever it decides holds for both conjuncts.
    records = claims_of("Prices could rise and then fall.")
    assert records[0].label == records[1].label
    assert cue_texts(records[0]) == cue_texts(records[1])


def test_a_shared_hedging_adverb_scopes_over_a_conjunct_without_its_own_auxiliary(claims_of) -> None:
    records = claims_of("The strike has likely disrupted supplies and raised prices.")
    assert find_claim(records, "raised prices").label == "probable"
    assert cue_texts(find_claim(records, "raised prices")) == ["likely"]


def test_a_conjunct_with_only_a_nonfinite_auxiliary_shares_the_modal(claims_of) -> None:
    records = claims_of("The project might be delayed or be cancelled.")
    assert find_claim(records, "be cancelled").label == "possible"
    assert find_claim(records, "be cancelled").statement.text == "The project might be cancelled"


def test_a_finite_copula_conjunct_keeps_its_own_polarity(claims_of) -> None:
    records = claims_of("Experts say the defects don't affect the average user and are likely to be fixed soon.")
    assert find_claim(records, "affect the average user").polarity == "negative"
    record = find_claim(records, "are likely to be fixed")
    assert (record.label, record.polarity) == ("probable", "positive")


def test_a_fronted_hedge_scopes_over_every_conjunct(claims_of) -> None:
    records = claims_of("Reportedly, the suspect fled the scene and hid in a barn.")
    assert find_claim(records, "hid in a barn").label == find_claim(records, "fled the scene").label == "probable"


def test_a_nominal_before_a_conjoined_verb_is_its_own_subject(claims_of) -> None:
    records = claims_of("Economists expect the central bank to lower rates in June, and most see inflation "
                        "settling near 2% by the end of the year.")
    record = find_claim(records, "most see")
    assert record.subject.text == "most"
    assert record.statement.text.startswith("most see")


def test_a_clause_that_dates_a_claim_is_part_of_it(claims_of) -> None:
    records = claims_of("He worked for Tony Blair when he was leader of the opposition.")
    assert [r.text for r in records] == ["He worked for Tony Blair when he was leader of the opposition"]


def test_a_claim_that_opens_with_its_dating_clause_keeps_the_subordinator(claims_of) -> None:
    record = claims_of("Once its ownership is finalized, the new company will open talks with receivers.")[0]
    assert record.text == "Once its ownership is finalized, the new company will open talks with receivers"


def test_a_clause_that_dates_a_frame_stays_a_claim(claims_of) -> None:
    records = claims_of("When Wong spent seventy million dollars on the house, he thought it was a great deal.")
    assert find_claim(records, "Wong spent seventy million dollars").label == "certain"
    assert find_claim(records, "it was a great deal")


def test_a_when_clause_after_a_date_says_something_of_its_own(claims_of) -> None:
    records = claims_of("The central bank's next policy meeting is scheduled for March 19, when it will release "
                        "updated projections.")
    assert find_claim(records, "when it will release").text == "when it will release updated projections"


def test_a_dating_clause_that_reports_keeps_its_content_a_claim(claims_of) -> None:
    records = claims_of("When Norrell announced in May that it would acquire Vantis, the deal was presented as a "
                        "straightforward bet on scale.")
    assert find_claim(records, "it would acquire Vantis").text == "it would acquire Vantis"


def test_a_cue_in_a_relative_clause_stays_with_it(claims_of) -> None:
    record = claims_of("Police detained a man who allegedly tried to slip through the cordon.")[0]
    assert record.label == "certain"
    assert [(c.text, c.scope) for c in record.cues] == [("allegedly", "modifier")]
    assert "allegedly" not in record.explanation


def test_a_supplementary_relative_clause_is_a_claim_of_its_own(claims_of) -> None:
    records = claims_of("Chip makers are developing faster machines, which are expected to reach the market next "
                        "year.")
    main = find_claim(records, "are developing")
    assert main.label == "certain" and cue_texts(main) == []
    aside = find_claim(records, "which are expected")
    assert aside.label == "probable"
    assert aside.statement.text == "[faster machines] are expected to reach the market next year"


def test_a_reporting_relative_clause_stays_in_its_claim(claims_of) -> None:
    records = claims_of("The rise came from new orders, according to the ministry, which said one contract was "
                        "worth $4 billion.")
    assert not any(r.text.startswith("which") for r in records)


def test_negation_in_a_relative_clause_does_not_negate_the_claim(claims_of) -> None:
    record = claims_of("The council funded schools that never opened.")[0]
    assert record.polarity == "positive"


def test_a_relative_clause_on_a_predicate_noun_is_what_the_claim_says(rule_claims_of) -> None:
    record = rule_claims_of("It is a move that could backfire.")[0]
    assert record.label == "possible"
    assert [(c.text, c.scope) for c in record.cues] == [("could", "clause")]


def test_subject_predicate_object(claims_of) -> None:
    record = find_claim(claims_of("The regional crisis has likely pushed the government to rethink its plans."),
                        "pushed")
    assert record.subject.text == "The regional crisis"
    assert record.predicate.text == "has likely pushed"
    assert record.object.text == "the government"


def test_entities_are_attached_to_the_claims_they_occur_in(claims_of) -> None:
    records = claims_of("Germany signed the accord. Brazil may follow in March.")
    assert [e.text for e in find_claim(records, "Germany").entities] == ["Germany"]
    assert {(e.text, e.label) for e in find_claim(records, "Brazil").entities} == {("Brazil", "GPE"), ("March", "DATE")}


# -- frames: the content is the claim ---------------------------------------------------------

def test_it_is_unclear_whether_makes_the_content_unknown(claims_of) -> None:
    records = claims_of("It is unclear whether the truce will hold.")
    assert len(records) == 1
    record = records[0]
    assert record.text == "the truce will hold"
    assert record.label == "unknown"
    assert {cue.scope for cue in record.cues} >= {"frame"}


def test_there_is_no_doubt_boosts_the_content(claims_of) -> None:
    record = claims_of("There is no doubt that the reform failed.")[0]
    assert record.text == "the reform failed"
    assert record.label == "certain" and record.confidence > 0.9


# -- sources -------------------------------------------------------------------------------------

def test_indirect_speech_is_attributed_to_the_speaker(claims_of) -> None:
    record = claims_of("Officials said the bridge would reopen in June.")[0]
    assert record.text == "the bridge would reopen in June"
    assert record.source.kind == "speaker" and record.source.text == "Officials"


def test_trailing_attribution_and_according_to(claims_of) -> None:
    trailing = claims_of("The plant will close next year, the company said.")[0]
    assert trailing.source.text == "the company"
    according = claims_of("According to the fire service, the blaze started in a kitchen.")[0]
    assert according.source.text == "the fire service"


def test_multi_sentence_direct_quote_is_attributed_to_its_speaker(claims_of) -> None:
    text = '"We are not leaving. This is our home," Mayor Lina Ortiz said on Monday.'
    records = claims_of(text)
    assert {r.source.text for r in records} == {"Mayor Lina Ortiz"}
    assert find_claim(records, "We are not leaving").polarity == "negative"


def test_curly_quotes_are_attributed_too(claims_of) -> None:
    records = claims_of("“The dam is safe,” the engineer said. “Nothing has changed.”")
    assert {r.source.text for r in records} == {"the engineer"}


def test_speaker_label_is_relative_to_the_speaker(claims_of) -> None:
    record = claims_of("Analysts believe the merger will probably collapse.")[0]
    assert record.source.text == "Analysts"
    assert record.label == "probable"


def test_evidential_verbs_do_not_make_their_subject_a_speaker(claims_of) -> None:
    record = claims_of("The figures suggest that inflation has peaked.")[0]
    assert record.source.kind == "author"
    assert record.label == "probable"


def test_plain_sentences_are_the_authors(claims_of) -> None:
    record = claims_of("The river flooded three villages.")[0]
    assert record.source.kind == "author" and record.source.text is None


# -- confidence ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, label",
    [
        ("The economy grew by two percent.", "certain"),
        ("The economy will likely grow next year.", "probable"),
        ("The economy might grow next year.", "possible"),
        ("A quick recovery is unlikely.", "doubtful"),
        ("Will the economy grow next year?", "unknown"),
        ("If exports recover, the economy will grow.", "unknown"),
        ("The collapse of the talks is undeniable.", "certain"),
    ],
)
def test_labels_follow_the_cues(claims_of, text, label) -> None:
    assert [record.label for record in claims_of(text)][-1] == label


def test_boosters_raise_and_hedges_lower_confidence(rule_claims_of) -> None:
    plain = rule_claims_of("The decision was a mistake.")[0].confidence
    boosted = rule_claims_of("The decision was undeniably a mistake.")[0].confidence
    hedged = rule_claims_of("The decision was probably a mistake.")[0].confidence
    doubly_hedged = rule_claims_of("The decision was perhaps possibly a mistake.")[0].confidence
    assert boosted > plain > hedged > doubly_hedged


def test_negation_flips_polarity_not_confidence(rule_claims_of, claims_of) -> None:
    positive = rule_claims_of("The minister resigned.")[0]
    negative = rule_claims_of("The minister did not resign.")[0]
    assert (positive.polarity, negative.polarity) == ("positive", "negative")
    assert positive.confidence == negative.confidence
    # With learned event factuality the level moves, but stays inside the label the cues give.
    learned = [claims_of(text)[0] for text in ("The minister resigned.", "The minister did not resign.")]
    assert [(r.label, r.polarity) for r in learned] == [("certain", "positive"), ("certain", "negative")]
    assert all(0.85 <= r.confidence <= 1.0 for r in learned)


def test_nor_negates_the_conjunct_it_introduces(claims_of) -> None:
    records = claims_of("The court neither approved nor rejected the merger.")
    assert find_claim(records, "approved").polarity == "negative"
    assert find_claim(records, "rejected the merger").polarity == "negative"


@pytest.mark.parametrize("text", [
    "Officials did not deny that the plant would close.",
    "The company never disputed that the report was accurate.",
    "Officials neither confirmed nor denied that the plant would close.",
    "Officials did not say that the plant would close.",
    "Police have not confirmed that the plant would close.",
    "The audit does not prove that the report was accurate.",
])
def test_a_negated_reporting_frame_leaves_the_content_open(claims_of, text) -> None:
    content = find_claim(claims_of(text), "the plant would close" if "plant" in text else "the report was accurate")
    assert (content.label, content.polarity) == ("unknown", "positive")
    assert "negated by" in content.explanation


def test_a_denial_still_denies_and_a_confirmation_confirms(claims_of) -> None:
    content = find_claim(claims_of("Officials denied that the plant would close."), "the plant would close")
    assert (content.label, content.polarity) == ("certain", "negative")
    content = find_claim(claims_of("Police confirmed that the plant would close."), "the plant would close")
    assert (content.label, content.polarity) == ("certain", "positive")


def test_every_label_is_explained_by_the_cues_in_its_record(claims_of, nlp) -> None:
    text = ("The plan might fail. Officials said it would not. It is unclear whether funds exist. "
            "The harm is undeniable. Prices rose.")
    for record in claims_of(text):
        assert record.explanation.startswith(record.label + ":")
        for cue in record.cues:
            if cue.kind != "attribution" or cue.weight < 1:
                assert f"“{cue.text}”" in record.explanation
        if record.label != "certain":
            assert record.cues, record


# -- claim types -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, claim_type",
    [
        ("The government should raise the minimum wage.", "recommendation"),
        ("The bridge will reopen in June.", "prediction"),
        ("The outage was caused by a faulty cable.", "causal"),
        ("Unemployment stands at 4.2 percent.", "quantity"),
        ("Smoking in bars is illegal in the state.", "rule"),
        ("The new stadium is a disastrous waste.", "evaluation"),
        ("The senator resigned on Friday.", "event"),
        ("Is the ceasefire holding?", "question"),
    ],
)
def test_claim_types(claims_of, text, claim_type) -> None:
    assert claims_of(text)[0].claim_type == claim_type


# -- news layout -------------------------------------------------------------------------------

def test_headline_is_its_own_claim_with_repaired_entities(claims_of) -> None:
    text = (
        "Iran Withdraws Military Advisers from Syria Amid Mounting Pressure\n\n"
        "Iran has begun pulling advisers out of Syria, officials in Damascus said on Monday.\n"
    )
    records = claims_of(text)
    headline = records[0]
    assert headline.section == "headline"
    assert headline.text.startswith("Iran Withdraws") and "officials" not in headline.text
    assert {(e.text, e.label) for e in headline.entities} == {("Iran", "GPE"), ("Syria", "GPE")}
    assert all(record.section == "body" for record in records[1:])


def test_byline_and_dateline_are_not_glued_to_the_first_sentence(claims_of) -> None:
    text = "Port Strike Ends\n\nBy Sam Reyes\n\nOAKLAND, Calif. — Dock workers returned to work on Friday.\n"
    records = claims_of(text)
    assert [r.section for r in records] == ["headline", "body"]
    assert records[1].text == "Dock workers returned to work on Friday"


def test_abbreviations_do_not_split_sentences(claims_of) -> None:
    records = claims_of("Dr. Ana Ruiz told the U.S. Senate that the vaccine is safe.")
    assert len({r.sentence_index for r in records}) == 1


def test_according_to_a_bare_reference_does_not_break_the_article(claims_of) -> None:
    records = claims_of("This matters since, according to [20], the toxin is rare.")
    assert records
    assert all(r.source.kind in ("author", "speaker") for r in records)


def test_a_condition_scopes_over_the_clause_it_hangs_on_not_the_whole_sentence(claims_of) -> None:
    records = claims_of(
        "She endorsed the plan, and he would support the others if they won. "
        "If rates rise, prices will fall and shops will close."
    )
    assert find_claim(records, "She endorsed the plan").label == "certain"
    assert find_claim(records, "he would support the others").label == "unknown"
    for text in ("prices will fall", "shops will close"):
        assert any(c.text == "If" for c in find_claim(records, text).cues)
