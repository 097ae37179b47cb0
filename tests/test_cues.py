"""Cue detection, rule family by rule family: the words that tell how sure a writer is."""

from __future__ import annotations

import json

import pytest

from claimx.lexicon import LexiconError, load_lexicon, read_lexicon_file
from claimx.pipeline import load_pipeline


@pytest.fixture(scope="module")
def cues_in(nlp):
    """(text, kind, type) of every cue claimx finds in a text."""

    def run(text: str) -> list[tuple[str, str, str]]:
        doc = nlp(text)
        return [(span.text, span.label_, span._.claimx_cue_type) for span in doc.spans["claimx_cues"]]

    return run


def kinds_of(cues: list[tuple[str, str, str]], word: str) -> list[str]:
    return [kind for text, kind, _ in cues if text.lower() == word.lower()]


# -- hedges: the same word, epistemic or not --------------------------------------------------

@pytest.mark.parametrize(
    "text, word, expected",
    [
        ("The ministry may delay the vote.", "may", ["hedge"]),
        ("The vote was held in May.", "May", []),
        ("The plan might fail.", "might", ["hedge"]),
        ("The strike could spread to other ports.", "could", ["hedge"]),
        ("The company could not explain the losses.", "could", []),
        ("Smoke could be seen from across the city.", "could", []),
        ("The governor appears to support the bill.", "appears", ["hedge"]),
        ("The new policy appears less strict than expected.", "appears", ["hedge"]),
        ("The suspect will appear in court on Friday.", "appear", []),
        ("The deal will likely close next year.", "likely", ["hedge"]),
        ("It is likely that rates will rise.", "likely", ["hedge"]),
        ("She is a likely candidate for the post.", "likely", []),
        ("The results seem solid.", "seem", ["hedge"]),
        ("The data suggest that the drug works.", "suggest", ["hedge"]),
        ("The minister suggested a compromise.", "suggested", []),
        ("Two men were reportedly arrested.", "reportedly", ["hedge"]),
        ("The alleged attacker fled.", "alleged", ["hedge"]),
        ("The actor has appeared in films such as 'Meet the Parents'.", "appeared", []),
        ("Both rivals appeared wearing the same crown.", "appeared", []),
        ("Coastal towns tend to flood first.", "tend to", ["hedge"]),
        ("Volunteers tended to the wounded.", "tended to", []),
    ],
)
def test_hedges_are_told_apart_from_lookalikes(cues_in, text, word, expected) -> None:
    assert kinds_of(cues_in(text), word) == expected


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("The speed of the advance warrants some skepticism.", "warrants some skepticism"),
        ("The leak raises questions about the audit.", "raises questions about"),
        ("The report raises serious questions about oversight.", "raises serious questions about"),
        ("The higher price does not necessarily mean lower sales.", "not necessarily"),
    ],
)
def test_multiword_hedges_are_single_cues(cues_in, text, phrase) -> None:
    found = cues_in(text)
    assert (phrase, "hedge") in [(t, k) for t, k, _ in found]
    # The words inside a multiword cue are not also counted on their own.
    assert not any(t in ("not", "questions", "skepticism") for t, _, _ in found)


# -- boosters ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, phrase",
    [
        ("The human toll is undeniable.", "undeniable"),
        ("The importance of the vote cannot be overstated.", "cannot be overstated"),
        ("There is no doubt that the plan failed.", "There is no doubt that"),
        ("The minister clearly misled parliament.", "clearly"),
        ("Without question, the first step is funding.", "Without question"),
    ],
)
def test_boosters(cues_in, text, phrase) -> None:
    assert (phrase, "booster") in [(t, k) for t, k, _ in cues_in(text)]


def test_negated_booster_is_not_a_booster(cues_in) -> None:
    assert kinds_of(cues_in("The answer is not clear."), "clear") == []


# -- negation ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, word",
    [
        ("The company did not pay the fine.", "not"),
        ("The firm hasn't paid.", "n't"),
        ("No injuries were reported.", "No"),
        ("He never attended the meeting.", "never"),
        ("Nobody walked out.", "Nobody"),
    ],
)
def test_negation(cues_in, text, word) -> None:
    assert kinds_of(cues_in(text), word) == ["negation"]


def test_not_only_is_not_a_negation(cues_in) -> None:
    assert kinds_of(cues_in("The storm hit not only the coast but also the hills."), "not") == []


# -- conditions, questions, doubt, attribution -----------------------------------------------

@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("Troops will stay in case the talks fail.", "in case", ["condition"]),
        ("In the event of a strike, flights may be cancelled.", "In the event of", ["condition"]),
        # "In the case of X" introduces a topic ("as for X"); it sets no condition.
        ("In the case of Syria, the army withdrew.", "In the case", []),
        ("In the case of Syria, the army withdrew.", "In the case of", []),
    ],
)
def test_case_and_event_phrases_are_conditions_only_when_conditional(cues_in, text, phrase, expected) -> None:
    assert kinds_of(cues_in(text), phrase) == expected


@pytest.mark.parametrize(
    "text, conditional",
    [
        ("Prices will rise if the talks fail.", True),
        ("If the talks fail, prices will rise.", True),
        ("The deal, if it survives, will be small.", True),
        ("The town is treated as if it were a village.", False),
        ("The merger, if confirmed, would create the largest bank.", True),
        ("If anything, the risk is growing.", False),
        ("The rebels paused, if only briefly, to regroup.", False),
    ],
)
def test_if_is_a_condition_only_when_it_sets_one(cues_in, text, conditional) -> None:
    assert (kinds_of(cues_in(text), "if") == ["condition"]) is conditional


def test_conditional_if_versus_embedded_question_if(cues_in) -> None:
    assert kinds_of(cues_in("If the bill passes, prices will fall."), "If") == ["condition"]
    assert kinds_of(cues_in("Reporters asked if the bill would pass."), "if") == ["question"]


@pytest.mark.parametrize(
    "text, phrase, kind",
    [
        ("Will the ceasefire hold?", "?", "question"),
        ("It is unclear whether the deal will survive.", "unclear", "question"),
        ("Whether the grant arrives remains to be seen.", "remains to be seen", "question"),
        ("It is not yet clear what caused the fire.", "not yet clear", "question"),
        ("A quick recovery is unlikely.", "unlikely", "doubt"),
        ("Analysts doubt that the target is realistic.", "doubt", "doubt"),
        ("Officials said the bridge would reopen.", "said", "attribution"),
        ("According to Reuters, the talks failed.", "According to", "attribution"),
    ],
)
def test_other_cue_families(cues_in, text, phrase, kind) -> None:
    assert (phrase, kind) in [(t, k) for t, k, _ in cues_in(text)]


def test_every_cue_records_the_rule_that_fired(nlp) -> None:
    doc = nlp("The deal will likely close, officials said.")
    rules = {span.text: span._.claimx_cue_rule for span in doc.spans["claimx_cues"]}
    assert rules["likely"] == "hedge.likely+not_attributive"
    assert rules["said"].startswith("attribution.say")


# -- lexicons are data -------------------------------------------------------------------------

def test_shipped_lexicon_is_versioned_and_valid() -> None:
    lexicon = load_lexicon()
    assert lexicon.versions["claimx-core"]
    assert len(lexicon.entries) > 50
    assert {entry.kind for entry in lexicon.entries.values()} == {
        "hedge", "booster", "negation", "condition", "question", "attribution", "doubt"
    }


def test_user_lexicon_adds_cues_and_overrides_by_id(tmp_path) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_text(
        json.dumps({"lexicon": "newsroom", "version": "2"}) + "\n"
        + json.dumps({"id": "hedge.mooted", "kind": "hedge", "type": "reportative", "weight": 0.4,
                      "lemma": "moot", "pos": ["VERB"]}) + "\n"
        + json.dumps({"id": "hedge.might", "kind": "hedge", "type": "epistemic", "weight": 0.3,
                      "lemma": "might", "check": "modal"}) + "\n",
        encoding="utf-8",
    )
    nlp = load_pipeline(cue_files=[str(path)])
    doc = nlp("A merger was mooted last year and it might happen.")
    found = {span.text: span._.claimx_cue_weight for span in doc.spans["claimx_cues"]}
    assert found == {"mooted": 0.4, "might": 0.3}
    assert nlp.get_pipe("claimx_cues").lexicon.versions["newsroom"] == "2"


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"id": "x", "kind": "vibe", "type": "t", "weight": 0.5, "lemma": "x"}), "kind 'vibe'"),
        (json.dumps({"id": "x", "kind": "hedge", "type": "t", "weight": 2, "lemma": "x"}), "outside [0, 1]"),
        (json.dumps({"id": "x", "kind": "hedge", "type": "t", "weight": 0.5}), "exactly one of"),
        (json.dumps({"id": "x", "kind": "hedge", "type": "t", "weight": 0.5, "lemma": "x", "check": "nope"}),
         "unknown check"),
    ],
)
def test_bad_lexicon_lines_are_reported_with_file_and_reason(tmp_path, line, message) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as raised:
        read_lexicon_file(path)
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_operator_patterns_are_found_in_any_sentence_and_without_sentence_boundaries(nlp) -> None:
    from spacy.tokens import Doc

    text = "The vote was late. Critics agree. In fact, the result warrants some skepticism."
    doc = nlp(text)
    found = [(span.text, span.label_, span.start_char) for span in doc.spans["claimx_cues"]]
    assert ("In fact", "booster", text.index("In fact")) in found
    assert ("warrants some skepticism", "hedge", text.index("warrants")) in found
    # A Doc with no sentence boundaries (no parser upstream) still gets the Matcher's cues.
    bare = Doc(nlp.vocab, words=["It", "is", "in", "fact", "late"], lemmas=["it", "be", "in", "fact", "late"])
    assert not bare.has_annotation("SENT_START")
    assert [span.text for span in nlp.get_pipe("claimx_cues").find(bare)] == ["in fact"]


def test_user_operator_patterns_match_with_or_without_a_required_word(tmp_path) -> None:
    rows = [
        {"id": "hedge.purported", "kind": "hedge", "type": "distancing", "weight": 0.5,
         "pattern": [{"POS": "ADV", "OP": "*"}, {"LEMMA": "purport"}]},
        {"id": "hedge.style", "kind": "hedge", "type": "distancing", "weight": 0.5,
         "pattern": [{"POS": "PROPN", "OP": "+"}, {"ORTH": "-"}, {"LOWER": "style"}]},
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    text = "The deal was signed. It allegedly purported to be a Wall Street-style merger."
    nlp = load_pipeline(cue_files=[str(path)])
    assert nlp.get_pipe("claimx_cues").matcher_anchors is not None  # each pattern needs a word
    doc = nlp(text)
    texts = [span.text for span in doc.spans["claimx_cues"]]
    assert "allegedly purported" in texts and "Wall Street-style" in texts
    # A pattern that needs no particular word sends every sentence through the Matcher.
    rows.append({"id": "hedge.mooted", "kind": "hedge", "type": "distancing", "weight": 0.5,
                 "pattern": [{"LOWER": {"REGEX": "^moot(ed|s)?$"}}]})
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    nlp = load_pipeline(cue_files=[str(path)])
    assert nlp.get_pipe("claimx_cues").matcher_anchors is None
    doc = nlp("The reform was mooted, and it allegedly purported to help.")
    texts = [span.text for span in doc.spans["claimx_cues"]]
    assert "mooted" in texts and "allegedly purported" in texts
