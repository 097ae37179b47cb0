"""Disambiguation rules for cue matches, named in lexicon entries by their `check` field.

Each rule takes the matched span of a parsed Doc and says whether the words are really a cue
there: epistemic "may" but not the month, "appears to" but not "appear in court", "will likely"
but not "a likely candidate", "could" but not "could not", hypothetical "would" but not the
future of a past report, "is considered the best" but not "should be considered".
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

CLAUSAL_DEPS = frozenset({"ccomp", "xcomp"})
PREDICATIVE_EXCLUDED_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})
NEGATORS = frozenset({"not", "n't", "n’t", "never", "no", "neither", "nor", "nothing", "nobody",
                      "none", "cannot"})
PERCEPTION_LEMMAS = frozenset({"see", "hear", "feel", "smell", "spot", "observe"})
WH_WORDS = frozenset({"whether", "if", "what", "why", "how", "who", "whom", "whose", "when", "where",
                      "which"})
QUESTION_EMBEDDERS = frozenset({"ask", "wonder", "know", "see", "check", "determine", "unclear",
                                "clear", "investigate", "examine", "question", "decide", "doubt"})
# Verbs that report what someone said, thought or foresaw: a "would" in their past-tense
# complement is the future of the past ("officials said prices would fall"), not a condition.
REPORTING_LEMMAS = frozenset({
    "say", "tell", "announce", "report", "state", "add", "note", "explain", "write", "predict",
    "forecast", "expect", "promise", "pledge", "vow", "warn", "indicate", "estimate", "insist",
    "believe", "think", "hope", "decide", "agree", "confirm", "claim", "signal", "reply", "argue",
    "assert", "declare", "disclose", "reveal", "acknowledge", "concede", "know", "learn", "anticipate",
    "project", "plan", "intend", "threaten", "suggest", "tweet",
})
CONDITIONAL_MARKS = frozenset({"if", "unless", "provided", "providing", "assuming", "suppose", "supposing"})
# Complements that make "consider" a judgement ("is considered the best", "considered it likely",
# "is considered to be"): without one it is deliberation ("should be considered").
JUDGEMENT_DEPS = frozenset({"oprd", "acomp", "attr", "ccomp"})


def _is_negated(token: Token) -> bool:
    """True if the token or the verb it depends on carries a negation."""
    for candidate in (token, token.head):
        if any(child.dep_ == "neg" or child.lower_ in NEGATORS and child.dep_ in ("advmod", "det")
               for child in candidate.children):
            return True
    return False


def modal(span: Span) -> bool:
    """A modal auxiliary (tag MD): "may" the verb, not "May" the month."""
    return span[0].tag_ == "MD"


def epistemic_could(span: Span) -> bool:
    """Epistemic "could": not "could not" (inability) and not "could be seen" (perception)."""
    token = span[0]
    if token.tag_ != "MD" or _is_negated(token):
        return False
    verb = token.head
    return not (verb.lemma_ in PERCEPTION_LEMMAS and any(c.dep_ == "auxpass" for c in verb.children))


def _is_predicative(token: Token) -> bool:
    # A modifier after its noun ("make a deal unlikely") is a small-clause predicate.
    return token.dep_ not in PREDICATIVE_EXCLUDED_DEPS or token.i > token.head.i


def not_attributive(span: Span) -> bool:
    """Not an attributive adjective: "will likely", "is likely to", but not "a likely candidate"."""
    return _is_predicative(span.root)


def predicative(span: Span) -> bool:
    """An adjective used as a predicate ("it is possible that"), not as a modifier."""
    return _is_predicative(span.root)


def predicative_positive(span: Span) -> bool:
    """A predicative adjective that is not negated ("it is clear", not "it is not clear")."""
    return predicative(span) and not _is_negated(span.root)


def attributive(span: Span) -> bool:
    """An adjective or participle modifying a noun ("the alleged intruder")."""
    return span.root.dep_ in ("amod", "compound") or span.root.pos_ == "ADJ"


def raising(span: Span) -> bool:
    """"appears to", "seems less extreme", "it appears that", but not "appear in court".

    A verb complement counts only as an infinitive or an adjective/noun: the parser also hangs
    titles and participles there ("appeared in 'Meet the Barkers'", "appear wearing crowns").
    A clausal complement counts when it follows the verb ("appears that ...").
    """
    verb = span.root
    for child in verb.children:
        if child.dep_ in ("acomp", "oprd", "attr"):
            return True
        if child.dep_ == "xcomp" and (
            child.pos_ in ("ADJ", "NOUN") or any(c.dep_ == "aux" and c.tag_ == "TO" for c in child.children)
        ):
            return True
        if child.dep_ == "ccomp" and child.i > verb.i:
            return True
        if child.dep_ in ("expl", "nsubj") and child.lower_ == "it" and verb.dep_ == "ROOT":
            return any(c.dep_ == "ccomp" for c in verb.children)
    return False


def clausal(span: Span) -> bool:
    """A verb taking a clause ("suggests that", "is believed to"), not a noun object."""
    return any(child.dep_ in CLAUSAL_DEPS for child in span.root.children)


def embedded_question(span: Span) -> bool:
    """A verb taking an indirect question ("asked whether", "wonder why"), not a request."""
    return any(
        child.dep_ == "ccomp" and child.left_edge.lower_ in WH_WORDS for child in span.root.children
    )


def clausal_positive(span: Span) -> bool:
    """A clause-taking verb that is not negated ("shows that", not "does not show that")."""
    return clausal(span) and not _is_negated(span.root)


def not_negated(span: Span) -> bool:
    """The cue's verb is not negated ("clearly", but not "not clearly")."""
    return not _is_negated(span.root)


def negator(span: Span) -> bool:
    """A real negation: not "not only ... but", "whether or not", or "No." as an interjection."""
    token = span[0]
    following = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
    preceding = token.nbor(-1).lower_ if token.i > 0 else ""
    if following == "only" or (token.lower_ == "not" and preceding == "or"):
        return False
    return token.dep_ not in ("intj",)


def predicate_far_from(span: Span) -> bool:
    """"far from certain", "remains far from pro-Western", but not "far from the city"."""
    end = span.end
    if end >= len(span.doc):
        return False
    after = span.doc[end]
    return after.pos_ in ("ADJ", "ADV") or after.tag_ == "VBG" or after.lower_ in (
        "over", "certain", "clear", "perfect", "done", "finished", "pro", "enough")


def conditional_mark(span: Span) -> bool:
    """"if"/"unless" introducing a condition: not an embedded question ("asked if"), a comparison
    ("as if it were"), or a set phrase ("if anything", "if only briefly"). Verbless conditions
    stay conditions ("if true", "if confirmed")."""
    token = span[0]
    if token.lower_ == "unless":
        return True
    doc = token.doc
    if token.i > 0 and doc[token.i - 1].lower_ == "as":
        return False
    if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in ("anything", "only"):
        return False
    if token.dep_ != "mark":
        return token.i == token.sent.start
    return not embedded_question_mark(span)


def embedded_question_mark(span: Span) -> bool:
    """"if" introducing an embedded yes/no question ("asked if", "unclear if")."""
    token = span[0]
    clause = token.head
    return (
        token.dep_ == "mark"
        and clause.dep_ == "ccomp"
        and clause.head.lemma_.lower() in QUESTION_EMBEDDERS
    )


def sentence_final(span: Span) -> bool:
    """A question mark that ends its sentence (possibly before closing quotes)."""
    token = span[0]
    for follower in token.doc[token.i + 1 : token.sent.end]:
        if not (follower.is_quote or follower.is_space or follower.is_bracket):
            return False
    return True


def reporting(span: Span) -> bool:
    """A speech or cognition verb that reports content: "said that ...", "“...,” she said"."""
    verb = span.root
    if any(child.dep_ in ("ccomp", "parataxis") for child in verb.children):
        return True
    has_subject = any(child.dep_ in ("nsubj", "nsubjpass") for child in verb.children)
    if not has_subject or verb.dep_ not in ("parataxis", "ccomp", "advcl"):
        return False
    # A frame after its content, set off by a comma: "X, he said, on condition of anonymity".
    start = verb.left_edge.i
    while verb.doc[start].is_punct and start < verb.i:
        start += 1
    trailing = (verb.i > verb.head.i and start > 0 and verb.doc[start - 1].text in (",", "—", "–")
                and not any(child.dep_ in ("mark", "nsubjpass") for child in verb.children))
    return trailing or as_frame(verb) or inserted_frame(verb) or any(token.is_quote for token in verb.sent)


def as_frame(verb: Token) -> bool:
    """ "*As* the paper noted, X": an "as" clause whose verb reports the clause it hangs on."""
    return verb.dep_ == "advcl" and any(child.dep_ == "mark" and child.lower_ == "as" for child in verb.children)


SET_OFF_MARKS = frozenset({",", "-", "--", "\u2014", "\u2013", '"', "''", "\u201c", "\u201d", "'", "\u2019"})


def inserted_frame(verb: Token) -> bool:
    """ "The museum, Mr. Obama said, would ...", "'My hope,' he said, 'is ...'": a frame set off
    inside the clause it reports, with part of that clause before it."""
    words = [t.i for t in verb.subtree if not t.is_punct]  # its own commas hang on it
    start, end = words[0], words[-1]
    doc = verb.doc
    return (0 < start and end + 1 < len(doc) and doc[start - 1].text in SET_OFF_MARKS
            and doc[end + 1].text in SET_OFF_MARKS and verb.head.left_edge.i < start < verb.head.i)


def _has_condition(sentence: Span) -> bool:
    return any(token.lower_ in CONDITIONAL_MARKS and token.dep_ in ("mark", "advmod", "prep", "csubj", "advcl")
               or token.lower_ in CONDITIONAL_MARKS and token.i == sentence.start for token in sentence)


def future_in_the_past(span: Span) -> bool:
    """A "would" that is the future of a past report: "officials said prices *would* fall"
    reports a prediction (the attribution carries it), while "prices would fall if …", "it would
    be a mistake" or "would have won" are hypothetical. A condition anywhere in the sentence, or a
    perfect ("would have"), keeps it hypothetical."""
    token = span[0]
    if token.tag_ != "MD":
        return False
    verb = token.head
    if _has_condition(token.sent) or any(
        child.lemma_ == "have" and child.dep_ == "aux" and child.i > token.i for child in verb.children
    ):
        return False
    clause = verb
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    reporter = clause.head
    reported = clause.dep_ in ("ccomp", "parataxis") or (clause.dep_ == "ROOT" and any(
        child.dep_ in ("parataxis", "advcl") and child.lemma_ in REPORTING_LEMMAS for child in clause.children
    ))
    if clause.dep_ == "ROOT":
        reporter = next((c for c in clause.children if c.dep_ in ("parataxis", "advcl")
                         and c.lemma_ in REPORTING_LEMMAS), clause)
    return reported and reporter.lemma_.lower() in REPORTING_LEMMAS and reporter.tag_ in ("VBD", "VBN")


def judgement_complement(span: Span) -> bool:
    """"consider" as a judgement: "is considered the best", "considered it likely", "is
    considered to be …", "considers that …"; not "should be considered" or "considered buying"."""
    verb = span.root
    for child in verb.children:
        if child.dep_ in JUDGEMENT_DEPS:
            return True
        if child.dep_ == "xcomp" and (
            child.pos_ in ("ADJ", "NOUN", "PROPN") or any(c.dep_ == "aux" and c.tag_ == "TO" for c in child.children)
        ):
            return True
    return False


def deliberation(span: Span) -> bool:
    """"consider" as weighing something up ("should be considered", "is considering a bid"):
    no judgement complement, so no doxastic hedge."""
    return not judgement_complement(span)


def infinitive_complement(span: Span) -> bool:
    """A participle taking a to-infinitive: "is *set* to cut", "is *poised* to expand" (not
    "the alarm was set to 7am")."""
    verb = span.root
    return any(
        child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX")
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in child.children)
        for child in verb.children
    )


CHECKS: dict[str, Callable[[Span], bool]] = {
    function.__name__: function
    for function in (
        modal, epistemic_could, not_attributive, predicative, predicative_positive, attributive,
        raising, clausal, embedded_question, clausal_positive, not_negated, negator, predicate_far_from,
        conditional_mark, embedded_question_mark, sentence_final, reporting, future_in_the_past,
        judgement_complement, deliberation, infinitive_complement,
    )
}
