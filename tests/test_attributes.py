"""claimx's lookup attribute ruler must annotate exactly as spaCy's AttributeRuler does."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token

from claimx.components.attributes import LookupAttributeRuler, speed_up_attribute_ruler
from claimx.pipeline import resolve_model_name

from conftest import SAMPLES

# Colloquial forms en_core_web_sm's multi-token and REGEX rules exist for, whitespace tokens, and
# the tags and dependencies its one-token rules test (expletive "there", auxiliaries, determiners).
ODD_TEXT = (
    "I ain't gonna lie, y'all: we gotta go. Let's wait, c'mon! He's doin' nothin' wrong, "
    "goin' home to see 'em and ol' Bob.\n\n  \n\tThere is a cat. There're two. Which one has been "
    "seen? All those dogs were being walked.   Somethin' else, innit?"
)


def annotations(doc: Doc) -> list[tuple]:
    return [(t.text, t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in doc]


@pytest.fixture(scope="module")
def twin_pipelines():
    """en_core_web_sm as shipped, and the same pipeline with claimx's ruler swapped in."""
    spacy_nlp = spacy.load(resolve_model_name())
    lookup_nlp = spacy.load(resolve_model_name())
    assert speed_up_attribute_ruler(lookup_nlp)
    assert isinstance(lookup_nlp.get_pipe("attribute_ruler"), LookupAttributeRuler)
    assert lookup_nlp.pipe_names == spacy_nlp.pipe_names
    return spacy_nlp, lookup_nlp


def test_annotations_match_spacys_ruler_on_every_token(twin_pipelines):
    spacy_nlp, lookup_nlp = twin_pipelines
    texts = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))] + [ODD_TEXT, "", " "]
    compared = 0
    for expected, got in zip(spacy_nlp.pipe(texts), lookup_nlp.pipe(texts)):
        assert annotations(got) == annotations(expected)
        compared += len(expected)
    assert compared > 2_500


def test_the_colloquial_rules_still_apply(twin_pipelines):
    _, lookup_nlp = twin_pipelines
    lemmas = {t.text: t.lemma_ for t in lookup_nlp("We're gonna win, y'all. He ain't doin' nothin'.")}
    assert lemmas["gon"] == "go" and lemmas["doin'"] == "do" and lemmas["nothin'"] == "nothing"
    assert lemmas["ai"] == "be"


def test_first_use_inside_a_memory_zone_keeps_later_docs_right(twin_pipelines):
    """claimx's workers run every task in a memory zone, which forgets strings added inside it."""
    spacy_nlp, _ = twin_pipelines
    fresh = spacy.load(resolve_model_name())
    speed_up_attribute_ruler(fresh)
    texts = ["A first note.", "There is a cat. We're gonna win, y'all."]
    with fresh.memory_zone():
        list(fresh.pipe(texts[:1]))
    with fresh.memory_zone():
        got = [annotations(doc) for doc in fresh.pipe(texts)]
    assert got == [annotations(doc) for doc in spacy_nlp.pipe(texts)]


def make_doc(vocab, words, tags, deps=None) -> Doc:
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=list(range(len(words))) if deps else None)


def test_user_rules_keep_spacys_order_and_semantics():
    """Later rules override earlier ones; IN/NOT_IN, multi-token, index -1 and extensions work."""
    Token.set_extension("claimx_test_flag", default=False, force=True)
    rules = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"LOWER": "covid"}]], "attrs": {"LEMMA": "covid-19", "POS": "PROPN"}},
        {"patterns": [[{"TAG": {"IN": ["NN", "NNS"]}, "LOWER": {"NOT_IN": ["covid"]}}]], "attrs": {"LEMMA": "thing"}},
        {"patterns": [[{"LOWER": "new"}, {"LOWER": "york"}]], "attrs": {"POS": "PROPN", "LEMMA": "NYC"}, "index": -1},
        {"patterns": [[{"LOWER": {"REGEX": "^v[0-9]+$"}}]], "attrs": {"_": {"claimx_test_flag": True}}},
        {"patterns": [[{"TAG": "NN", "DEP": "nsubj"}]], "attrs": {"MORPH": "Number=Plur"}},
    ]
    words = ["Covid", "cases", "in", "New", "York", "rose", "v2", "cat"]
    tags = ["NN", "NNS", "IN", "NNP", "NNP", "VBD", "NN", "NN"]
    deps = ["nsubj", "nsubj", "prep", "compound", "pobj", "ROOT", "dobj", "dobj"]
    nlp = spacy.blank("en")
    reference, lookup = AttributeRuler(nlp.vocab), LookupAttributeRuler(nlp.vocab)
    for ruler in (reference, lookup):
        ruler.add_patterns(rules)
    expected = reference(make_doc(nlp.vocab, words, tags, deps))
    got = lookup(make_doc(nlp.vocab, words, tags, deps))
    assert annotations(got) == annotations(expected)
    assert [t._.claimx_test_flag for t in got] == [t._.claimx_test_flag for t in expected]
    assert got[0].pos_ == "PROPN" and got[0].lemma_ == "covid-19" and str(got[0].morph) == "Number=Plur"
    assert got[4].lemma_ == "NYC" and got[6]._.claimx_test_flag
    # Rules added after the first Doc count too.
    lookup.add([[{"LOWER": "cat"}]], {"LEMMA": "feline"})
    assert lookup(make_doc(nlp.vocab, words, tags, deps))[7].lemma_ == "feline"


def test_claimx_pipeline_uses_the_lookup_ruler_unless_asked_not_to():
    from claimx.pipeline import load_pipeline

    nlp = load_pipeline(learned=False)
    assert isinstance(nlp.get_pipe("attribute_ruler"), LookupAttributeRuler)
    plain = spacy.load(resolve_model_name())
    from claimx.pipeline import add_claimx_pipes

    add_claimx_pipes(plain, learned=False, lookup_attributes=False)
    assert type(plain.get_pipe("attribute_ruler")) is AttributeRuler
