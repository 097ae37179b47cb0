"""Who says it: quotations, reporting frames, resolved speakers, source kinds, and the eval."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from claimx.cli import app
from claimx.quotations import quote_regions
from conftest import find_claim

runner = CliRunner()

MINISTER = (
    "Minister defends export plan\n\n"
    "Patricia Hewitt, the Trade and Industry Secretary, defended the export plan on Tuesday against "
    "criticism from business groups.\n\n"
    "\u201cThis plan will create jobs in every region,\u201d Ms Hewitt said. \u201cWe have listened to "
    "manufacturers.\u201d\n\n"
    "She said the plan would be reviewed next year. The shadow trade secretary, Alan Duncan, called it a "
    "gimmick.\n\n"
    "\u201cNobody in the industry believes these figures,\u201d Mr Duncan told reporters. He said the "
    "department had ignored its own advisers.\n"
)


def test_pronoun_speakers_are_resolved_to_the_person_named_before(claims_of) -> None:
    records = claims_of(MINISTER)
    reviewed = find_claim(records, "reviewed next year")
    assert reviewed.source.text == "She"
    assert reviewed.source.resolved is not None and reviewed.source.resolved.text == "Patricia Hewitt"
    assert reviewed.source.name == "Patricia Hewitt" and reviewed.source.type == "person"
    ignored = find_claim(records, "ignored its own advisers")
    assert ignored.source.text == "He" and ignored.source.name == "Alan Duncan"


def test_every_name_of_a_speaker_shares_one_id(claims_of) -> None:
    records = claims_of(MINISTER)
    jobs, reviewed = find_claim(records, "create jobs"), find_claim(records, "reviewed next year")
    assert jobs.source.text == "Ms Hewitt" and reviewed.source.text == "She"
    assert jobs.source.speaker == reviewed.source.speaker
    figures = find_claim(records, "believes these figures")
    assert figures.source.speaker != jobs.source.speaker
    assert figures.source.speaker == find_claim(records, "ignored its own advisers").source.speaker


def test_gender_picks_the_man_when_a_woman_was_named_last(claims_of) -> None:
    records = claims_of(
        "John Redwood met Maria Gonzalez, the union leader, on Monday. "
        "He said the talks had been useful.\n"
    )
    claim = find_claim(records, "talks had been useful")
    assert claim.source.text == "He" and claim.source.name == "John Redwood"


def test_role_nouns_resolve_to_the_person_and_the_organisation(claims_of) -> None:
    records = claims_of(
        "Vantis Energy raised its prices by 12 percent, according to its filing. "
        "The company said demand had outstripped supply.\n\n"
        "Its chief executive, Laura Kim, defended the decision on a call with analysts. "
        "The executive said customers would be compensated.\n"
    )
    demand = find_claim(records, "demand had outstripped supply")
    assert demand.source.text == "The company" and demand.source.name == "Vantis Energy"
    assert demand.source.type == "organisation"
    compensated = find_claim(records, "customers would be compensated")
    assert compensated.source.name == "Laura Kim"


def test_coreference_component_maps_subject_pronouns_to_names(nlp) -> None:
    doc = nlp("Patricia Hewitt arrived late for the vote. She apologised to colleagues.")
    she = next(token for token in doc if token.text == "She")
    start, end = doc._.claimx_antecedents[she.i]
    assert doc[start:end].text == "Patricia Hewitt"


# -- quotations ----------------------------------------------------------------------------------

def test_a_quotation_over_two_paragraphs_keeps_its_speaker(claims_of) -> None:
    records = claims_of(
        "The mayor spoke after the vote.\n\n"
        "Carla Mendes said: \"The bridge will reopen in March. Crews have worked through the winter.\n\n"
        "\"The council has kept its promise to the east side.\"\n\n"
        "Opposition councillors said the repairs were late.\n"
    )
    for fragment in ("bridge will reopen", "Crews have worked", "kept its promise"):
        claim = find_claim(records, fragment)
        assert claim.source.name == "Carla Mendes" and claim.source.attribution == "direct_quote", fragment
    assert find_claim(records, "repairs were late").source.text == "Opposition councillors"


def test_speaker_after_and_in_the_middle_of_a_quotation(claims_of) -> None:
    records = claims_of(
        "\u201cWe are not going anywhere,\u201d Tomas Berg said on Friday. \u201cThe factory stays open, "
        "and the jobs stay here.\u201d\n\n"
        "\u201cPrices will fall,\u201d the analyst Ruth Obi said, \u201cbut not this year.\u201d\n"
    )
    assert find_claim(records, "not going anywhere").source.name == "Tomas Berg"
    assert find_claim(records, "factory stays open").source.name == "Tomas Berg"
    assert find_claim(records, "Prices will fall").source.name == "Ruth Obi"


def test_nested_single_quotes_belong_to_the_quotation(nlp) -> None:
    doc = nlp("\u201cHe told me \u2018never again\u2019 and I believed him,\u201d Sara Lind said.")
    regions = quote_regions(doc)
    assert len(regions) == 1
    assert doc[regions[0].start : regions[0].end].text.startswith("\u201cHe told me")


def test_a_scare_quote_without_a_speech_frame_stays_the_writers(claims_of) -> None:
    records = claims_of("The senator called the plan \u201ca disgrace\u201d during the debate.")
    assert records[0].source.kind == "author"



def test_a_short_quotation_inside_its_own_frame_is_the_speakers(claims_of) -> None:
    # The claim holds the frame ("..., she said"): five words, three of them quoted.
    records = claims_of("Reporters asked whether the vote would be delayed. \u201cNot even slightly,\u201d she said.")
    assert find_claim(records, "Not even slightly").source.text == "she"


def test_a_quotation_opening_with_a_condition_is_split_from_its_frame(claims_of) -> None:
    records = claims_of(
        "\u201cIf we want younger voters to trust us, we have to show up in their towns,\u201d wrote "
        "the authors of the party review, citing the last election."
    )
    claim = find_claim(records, "we have to show up")
    assert "wrote" not in claim.text
    assert claim.source.text.startswith("the authors of the party review")


def test_a_parenthetical_frame_without_quotes_attributes_the_clause_before_it(claims_of) -> None:
    records = claims_of(
        "The mayor was unable to find a single donor, he said, on condition of anonymity to speak "
        "freely about the party."
    )
    assert find_claim(records, "unable to find a single donor").source.text == "he"
    assert not any(r.text.startswith("he said") for r in records)


def test_a_quotation_after_a_name_and_a_colon_is_that_persons(claims_of) -> None:
    records = claims_of(
        "Forecasters disagree about turnout. The lesson of the primary - Maria Gonzalez: \u201cThe early "
        "polls stopped too soon. Late deciders broke for the challenger.\u201d\n"
    )
    assert find_claim(records, "Late deciders broke").source.text == "Maria Gonzalez"


def test_an_as_clause_frames_the_clause_it_hangs_on(claims_of) -> None:
    records = claims_of("As the newspaper noted, the council had not voted on the budget since March.")
    claim = find_claim(records, "the council had not voted")
    assert claim.source.text == "the newspaper"
    assert not any(r.text.endswith("newspaper noted") for r in records)


def test_a_quotation_opening_with_a_free_relative_is_no_question(claims_of) -> None:
    records = claims_of("\u201cWhat is shaping up is a long fight over the budget,\u201d said Mara Quint, a council aide.")
    assert find_claim(records, "is a long fight").source.text.startswith("Mara Quint")


def test_an_interviews_question_and_answer_labels_are_its_speakers(claims_of) -> None:
    records = claims_of(
        "Q: What did you find when you came home?\n\nA: My parents were gone. Nobody came to check on me.\n\n"
        "Q: Did anyone help you?\n\nA: A neighbour took me in for a week.\n"
    )
    assert find_claim(records, "My parents were gone").source.text == "A"
    assert find_claim(records, "Nobody came to check").source.text == "A"


def test_a_hyphenated_speaker_label_speaks_for_its_paragraph(claims_of) -> None:
    records = claims_of(
        "Panel on the primaries\n\nAnna Kovac-Reyes: She is right on the numbers. "
        "She is trying to sell a harder message.\n"
    )
    assert find_claim(records, "trying to sell a harder message").source.text == "Anna Kovac-Reyes"


def test_a_document_label_and_a_released_statement_introduce_quotations(claims_of) -> None:
    records = claims_of(
        "More from the report: \u201cOnline vendors weight their samples by interest. That makes "
        "them look representative.\u201d\n\n"
        "When the senator died, the former governor released the following statement:\n\n"
        "\u201cWe offer our condolences to his family. I remember working with him in 1983.\u201d\n"
    )
    assert find_claim(records, "look representative").source.text == "the report"
    # The colon ends the paragraph before: the statement is the governor's, not "the statement"'s.
    assert find_claim(records, "I remember working").source.text == "the former governor"


def test_the_content_of_a_participle_frame_is_a_claim_of_the_same_speaker(claims_of) -> None:
    records = claims_of(
        "The governor said the budget was balanced, adding that his cousin is friendly with one of the senators."
    )
    added = find_claim(records, "his cousin is friendly with one of the senators")
    assert added.source.text == "The governor"


def test_a_transcripts_label_used_once_still_names_its_speaker(claims_of) -> None:
    records = claims_of(
        "LENA MARSH: Why not debate?\n\nOWEN PRICE: This is a man who promised a clean campaign. "
        "They are now planning to run more attack ads.\n\nMARSH: You were open to debates.\n\n"
        "PRICE: We are open to them now.\n"
    )
    assert find_claim(records, "planning to run more attack ads").source.text == "OWEN PRICE"


def test_mixed_quotation_marks_and_a_bare_speech_frame_before_them(claims_of, nlp) -> None:
    # Opened curly, closed straight (scraped copy); the frame before has no content of its own.
    records = claims_of("Pence said at a town hall on Friday. \u201cIt was the last administration that undid the gains.\"\n")
    assert find_claim(records, "undid the gains").source.text == "Pence"
    doc = nlp("\u201cHe told me \"never again\" and I believed him,\u201d Sara Lind said.")
    assert [doc[a:b].text for a, b, _ in quote_regions(doc)] == ["\u201cHe told me \"never again\" and I believed him,\u201d"]


def test_a_name_label_with_a_parenthesis(claims_of) -> None:
    records = claims_of("At the hearing, Rep. Trey Gowdy (R-S.C.): \u201cI have not heard anyone else cite that "
                        "figure. Nobody at the department uses it.\u201d\n")
    assert find_claim(records, "Nobody at the department uses it").source.text == "Trey Gowdy"


def test_in_a_transcript_i_and_a_question_to_you_are_the_labels_speaker(claims_of) -> None:
    records = claims_of(
        "HOST: Do you think the senator has campaigned as a healer?\n\nGUEST: I think he will unite the party.\n\n"
        "HOST: You said he would win.\n\nGUEST: I believe the voters want change.\n"
    )
    assert find_claim(records, "campaigned as a healer").source.text == "HOST"
    assert find_claim(records, "unite the party").source.text == "GUEST"
    assert find_claim(records, "he would win").source.text == "You"  # what the guest said, not the host


def test_an_unquoted_block_after_a_colon_paragraph_is_the_writers_of_the_frame(claims_of) -> None:
    records = claims_of(
        "Rolf Haugen wrote:\n\nI think this prayer is timely. Polls are showing a slip in support for the "
        "candidate.\n\nThe rally ended at nine.\n"
    )
    assert find_claim(records, "this prayer is timely").source.text == "Rolf Haugen"
    assert find_claim(records, "Polls are showing a slip").source.text == "Rolf Haugen"
    assert find_claim(records, "The rally ended at nine").source.kind == "author"


def test_curly_quotes_nested_in_straight_ones_and_an_inch_mark(nlp) -> None:
    doc = nlp('"The agency is not about \u201cequal justice\u201d anymore. It is about a vision." He left.')
    assert [doc[a:b].text for a, b, _ in quote_regions(doc)] == [
        '"The agency is not about \u201cequal justice\u201d anymore. It is about a vision."']
    doc = nlp("He is 6'2\" tall. \u201cWe won,\u201d she said.")
    assert [doc[a:b].text for a, b, _ in quote_regions(doc)] == ["\u201cWe won,\u201d"]


def test_a_subordinate_clause_with_a_speech_verb_is_no_frame(claims_of) -> None:
    # "although residents were told": a claim of its own, not a frame after a comma.
    records = claims_of(
        "Officials said the readings were normal, although residents were told to keep their windows closed."
    )
    assert find_claim(records, "residents were told to keep their windows closed")

def test_a_headlines_document_label_speaks_but_the_result_is_the_writers(claims_of) -> None:
    records = claims_of("Survey: Most farmers expect a dry summer\n\nThe result: prices will rise in the autumn.\n")
    assert find_claim(records, "expect a dry summer").source.text == "Survey"
    assert find_claim(records, "prices will rise").source.kind == "author"


def test_a_frame_naming_who_was_told_reports_the_clause_after_it(claims_of) -> None:
    records = claims_of("Instead, Lund told CNN, his plan would merely be to repave the roads.")
    assert find_claim(records, "his plan would merely be").source.text == "Lund"


def test_who_and_which_speak_for_what_they_relate_to(claims_of) -> None:
    records = claims_of(
        "The audit, which found that the fund had lost money, was published on Monday.\n\n"
        "Anna Berg and Tomas Lind, who want the harbour to expand, lost their seats in May.\n"
    )
    asides = {record.text: record for record in records}
    lost = asides["which found that the fund had lost money"]
    assert lost.source.text == "which" and lost.source.resolved.text == "The audit"
    assert lost.source.type == "document"
    harbour = asides["who want the harbour to expand"]
    assert harbour.source.text == "who" and harbour.source.name == "Anna Berg and Tomas Lind"
    # The report inside the subject's aside does not make the whole sentence theirs.
    assert find_claim(records, "lost their seats in May").source.kind == "author"


def test_what_an_aside_reports_is_a_claim_of_the_noun_it_describes(claims_of) -> None:
    records = claims_of("The ministry, which said the export figures were wrong, refused to comment on Friday.")
    wrong = next(record for record in records if record.text == "the export figures were wrong")
    assert wrong.source.text == "which" and wrong.source.resolved.text == "The ministry"
    refused = find_claim(records, "refused to comment")
    assert refused.source.kind == "author"


def test_a_frame_inserted_mid_sentence_is_no_claim_of_its_own(claims_of) -> None:
    records = claims_of(
        "The museum, the director said, would make visitors face hard truths. "
        '"My hope," she said, "is that schools will visit."\n'
    )
    assert [record.text for record in records if "said" in record.text and len(record.text.split()) <= 3] == []
    assert find_claim(records, "make visitors face hard truths").source.text == "the director"
    assert find_claim(records, "schools will visit").source.text == "she"


def test_an_inverted_question_frame_after_the_quotation(claims_of) -> None:
    records = claims_of(
        '"Is the council running against its own voters?" asked Mr. Okafor, pointing to the vote. '
        '"The answer is no."\n'
    )
    assert find_claim(records, "running against its own voters").source.text == "Mr. Okafor"
    assert find_claim(records, "The answer is no").source.text == "Mr. Okafor"


def test_a_relative_clause_on_a_reporting_noun_is_not_its_content(claims_of) -> None:
    records = claims_of("The minister's comments, which included a slide show, came late in the evening.")
    aside = next(record for record in records if record.text == "which included a slide show")
    assert aside.source.kind == "author"


# -- reported speech beyond "said" ----------------------------------------------------------------

def test_according_to_at_the_end_and_at_the_start(claims_of) -> None:
    records = claims_of(
        "The plant will close in June, according to two people familiar with the plans. "
        "According to the census bureau, the town lost 4,000 residents.\n"
    )
    closing = find_claim(records, "plant will close")
    assert closing.source.attribution == "according_to" and closing.source.type == "anonymous"
    assert closing.source.cue.text == "according to"
    residents = find_claim(records, "lost 4,000 residents")
    assert residents.source.attribution == "according_to" and residents.source.type == "organisation"


def test_documents_beliefs_and_anonymous_officials(claims_of) -> None:
    records = claims_of(
        "The report found that emissions rose for a third year. Economists believe the slowdown will "
        "last. Officials insisted the budget was balanced.\n"
    )
    emissions = find_claim(records, "emissions rose")
    assert emissions.source.type == "document" and emissions.source.text == "The report"
    slowdown = find_claim(records, "slowdown will last")
    assert slowdown.source.attribution == "belief" and slowdown.source.type == "anonymous"
    budget = find_claim(records, "budget was balanced")
    assert budget.source.text == "Officials" and budget.source.attribution == "indirect_speech"
    assert budget.source.cue.text == "insisted"


def test_a_statement_speaks_for_its_organisation(claims_of) -> None:
    records = claims_of(
        "The Lisbon Port Authority closed two terminals on Monday. In a statement, it said the "
        "closures would last a week.\n"
    )
    claim = find_claim(records, "closures would last")
    assert claim.source.text == "it" and claim.source.name == "The Lisbon Port Authority"


def test_users_can_add_reporting_verbs_with_a_cue_file(tmp_path: Path) -> None:
    text = "The senator opined that the bill would fail.\n"
    before = [json.loads(line) for line in runner.invoke(app, ["extract", "-"], input=text).stdout.splitlines()]
    assert all(record["source"]["kind"] == "author" for record in before)
    lexicon = tmp_path / "mine.jsonl"
    lexicon.write_text(json.dumps({"id": "reporting.mine", "kind": "reporting", "how": "speech",
                                   "pos": ["VERB"], "lemma": ["opine"]}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "-", "--cues", str(lexicon)], input=text)
    after = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(record["source"]["text"] == "The senator" for record in after)


def test_a_bad_reporting_row_is_a_usage_error(tmp_path: Path) -> None:
    lexicon = tmp_path / "mine.jsonl"
    lexicon.write_text(json.dumps({"id": "reporting.bad", "kind": "reporting", "how": "shout",
                                   "lemma": ["yell"]}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "-", "--cues", str(lexicon)], input="Text.")
    assert result.exit_code == 2 and "'how' must be one of" in result.stderr and result.stdout == ""


# -- claimx eval attribution -----------------------------------------------------------------------

def _gold(text: str, source: str, content: str) -> dict:
    start, content_start = text.index(source), text.index(content)
    return {
        "source": {"start": start, "end": start + len(source), "text": source},
        "cue": None,
        "content": {"start": content_start, "end": content_start + len(content), "text": content},
        "content_spans": [[content_start, content_start + len(content)]],
    }


def test_eval_attribution_scores_claims_against_gold_sources(tmp_path: Path) -> None:
    text = "Officials said the bridge would reopen on Monday. The river rose overnight."
    perfect = {"id": "a", "text": text, "attributions": [_gold(text, "Officials", "the bridge would reopen on Monday")]}
    wrong = {"id": "b", "text": text, "attributions": [_gold(text, "The river", "The river rose overnight")]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(perfect) + "\n", encoding="utf-8")
    scores = json.loads(runner.invoke(app, ["eval", "attribution", str(path), "--json"]).stdout)
    assert scores["n_claims"] == 2 and scores["attribution_accuracy"] == 1.0
    assert scores["source_precision"] == scores["source_recall"] == scores["relation_recall"] == 1.0
    path.write_text(json.dumps(wrong) + "\n", encoding="utf-8")
    scores = json.loads(runner.invoke(app, ["eval", "attribution", str(path), "--json"]).stdout)
    assert scores["attribution_accuracy"] == 0.0
    assert scores["source_precision"] == 0.0 and scores["relation_recall"] == 0.0
