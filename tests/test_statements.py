"""Statements: every claim as a sentence that stands alone, made only of the article's own words."""

from __future__ import annotations

from conftest import find_claim

from claimx.records import doc_records

VACUUM = ("The vacuum left by the departing Iranian forces might cause instability and lead to a further "
          "escalation of the conflict in various forms.")
CIVIL_WAR = ("The potential for a prolonged civil war, with multiple factions and external actors supporting them, "
             "is very real and should be considered.")
MILIBAND = ("David Miliband was educated at Haverstock School. He is a special advisor to Chancellor Gordon Brown.")


def restored(record, role: str | None = None) -> list[str]:
    """The statement's pieces that do not come from the claim's own text (of one role)."""
    return [p.text for p in record.statement.pieces if p.role != "claim" and (role is None or p.role == role)]


def test_a_conjoined_predicate_gets_the_shared_subject_and_modal(claims_of) -> None:
    record = find_claim(claims_of(VACUUM), "lead to a further escalation")
    assert record.text.startswith("lead to")  # the claim's offsets are unchanged
    assert record.statement.text == (
        "The vacuum left by the departing Iranian forces might lead to a further escalation of the conflict "
        "in various forms"
    )
    assert restored(record, "subject") == ["The vacuum left by the departing Iranian forces"]
    assert restored(record, "auxiliary") == ["might"]


def test_should_be_considered_has_its_subject(claims_of) -> None:
    record = find_claim(claims_of(CIVIL_WAR), "should be considered")
    assert record.text == "should be considered"
    assert record.statement.text == (
        "The potential for a prolonged civil war, with multiple factions and external actors supporting them, "
        "should be considered"
    )  # the comma that closes the aside comes along with the subject
    # Its own modal stays its own: nothing of "is very real" is carried over.
    assert restored(record, "auxiliary") == []


def test_shared_negation_is_restored(claims_of) -> None:
    record = find_claim(claims_of("The ministry did not confirm or deny the report."), "deny the report")
    assert record.statement.text == "The ministry did not deny the report"


def test_a_statement_never_drops_the_nor_that_negates_its_claim(claims_of) -> None:
    record = find_claim(claims_of("The court neither approved nor rejected the merger."), "rejected the merger")
    assert record.polarity == "negative"
    assert record.statement.text == "The court nor rejected the merger"


def test_could_rise_and_then_fall_keeps_the_modal(claims_of) -> None:
    record = find_claim(claims_of("Prices could rise and then fall."), "then fall")
    assert record.statement.text == "Prices could then fall"


def test_a_conjunct_with_its_own_auxiliary_gets_only_the_subject(claims_of) -> None:
    record = find_claim(claims_of("The gap between the two sides had narrowed but had not closed."), "had not closed")
    assert record.statement.text == "The gap between the two sides had not closed"
    assert restored(record, "auxiliary") == []


def test_a_different_verb_form_does_not_take_the_auxiliaries(claims_of) -> None:
    text = "A spokesperson said staff had been called in from leave and declined to give further details."
    record = find_claim(claims_of(text), "declined")
    assert record.statement.text == "staff declined to give further details"


def test_a_pronoun_subject_is_replaced_by_its_resolved_antecedent(nlp) -> None:
    doc = nlp(MILIBAND)
    pronoun = next(token.i for token in doc if token.text == "He")
    doc._.claimx_antecedents = {pronoun: [0, 2]}  # as a coreference component sets it
    nlp.get_pipe("claimx_statements")(doc)
    record = next(r for r in doc_records(doc, "t") if "special advisor" in r.text)
    assert record.text == "He is a special advisor to Chancellor Gordon Brown"
    assert record.statement.text == "[David Miliband] is a special advisor to Chancellor Gordon Brown"
    antecedent = record.statement.pieces[0]
    assert (antecedent.role, antecedent.text, antecedent.start) == ("antecedent", "David Miliband", 0)


def test_antecedents_set_after_the_statements_component_still_reach_the_record(nlp) -> None:
    doc = nlp(MILIBAND)  # claimx_statements has run, without antecedents
    doc._.claimx_antecedents = {next(token.i for token in doc if token.text == "He"): [0, 2]}
    record = next(r for r in doc_records(doc, "t") if "special advisor" in r.text)
    assert record.statement.text == "[David Miliband] is a special advisor to Chancellor Gordon Brown"


def test_a_relative_pronoun_gives_way_to_its_noun_in_every_conjunct(claims_of) -> None:
    records = claims_of("Investors sold shares of Acme, which rose in May and then fell sharply in June.")
    assert find_claim(records, "rose in May").statement.text == "[Acme] rose in May"
    record = find_claim(records, "fell sharply")
    assert record.statement.text == "[Acme] then fell sharply in June"
    assert [(p.text, p.role) for p in record.statement.pieces][0] == ("Acme", "antecedent")


def test_a_pronoun_subject_gives_way_to_the_person_the_article_named(claims_of) -> None:
    record = find_claim(claims_of(MILIBAND), "special advisor")
    assert record.statement.text == "[David Miliband] is a special advisor to Chancellor Gordon Brown"
    assert restored(record, "antecedent") == ["David Miliband"]
    assert record.text.startswith("He is")  # the claim's own words and offsets stay as they are


def test_an_antecedent_named_in_the_possessive_is_restored_without_it(claims_of) -> None:
    records = claims_of("David Miliband's rapid rise through the ranks surprised many. "
                        "He is a special advisor to Chancellor Gordon Brown.")
    assert find_claim(records, "special advisor").statement.text.startswith("[David Miliband] is a special")


def test_without_a_clear_antecedent_the_pronoun_stays(claims_of) -> None:
    # No one named before "He", and two women who are both subjects before "She": nothing is clear
    # enough to restore.
    text = ("He is a special advisor to Chancellor Gordon Brown. Patricia Hewitt and Margaret Beckett met on "
            "Monday. She is the new chair of the committee.")
    records = claims_of(text)
    assert find_claim(records, "special advisor").statement.text.startswith("He is")
    chair = find_claim(records, "new chair")
    assert chair.statement.text.startswith("She is") and restored(chair) == []


def test_a_restored_pronoun_subject_is_replaced_too(nlp) -> None:
    doc = nlp("Ana Ruiz joined the cabinet in 2007. She resigned in May and left politics.")
    pronoun = next(token.i for token in doc if token.text == "She")
    doc._.claimx_antecedents = {pronoun: [0, 2]}
    nlp.get_pipe("claimx_statements")(doc)
    record = next(r for r in doc_records(doc, "t") if r.text.startswith("left"))
    assert record.statement.text == "[Ana Ruiz] left politics"


def test_a_resolved_role_noun_keeps_its_words_and_gets_the_name(nlp) -> None:
    doc = nlp("Ana Ruiz was appointed in May. The minister resigned in June.")
    noun = next(token.i for token in doc if token.text == "minister")
    doc._.claimx_antecedents = {noun: [0, 2]}
    nlp.get_pipe("claimx_statements")(doc)
    record = next(r for r in doc_records(doc, "t") if "resigned" in r.text)
    assert record.statement.text == "The minister [Ana Ruiz] resigned in June"


def test_leading_connectives_are_dropped(claims_of) -> None:
    records = claims_of("However, analysts expect growth. Meanwhile, rents rose. In addition, wages fell.")
    assert find_claim(records, "analysts").text == "However, analysts expect growth"
    assert [r.statement.text for r in records] == ["analysts expect growth", "rents rose", "wages fell"]


def test_an_adverb_that_is_not_set_off_is_kept(claims_of) -> None:
    record = claims_of("Then there is the money.")[0]
    assert record.statement.text == "Then there is the money"


def test_a_quotation_that_ends_the_sentence_stays_closed(claims_of) -> None:
    # The closing '."' hangs on the reporting verb in the parse; the statement keeps it.
    record = claims_of('The minister said the dam was "a national project, not a bargaining chip."')[0]
    assert record.statement.text == 'the dam was "a national project, not a bargaining chip."'


def test_every_sample_claim_has_a_statement_whose_pieces_slice_the_text(claims_of) -> None:
    from conftest import SAMPLES

    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for record in claims_of(text, path.name):
            assert record.statement.text
            for piece in record.statement.pieces:
                assert text[piece.start : piece.end] == piece.text
