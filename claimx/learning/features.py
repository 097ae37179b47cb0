"""Features for claimx's learned models, read off the Doc the base pipeline already produced.

Nothing here runs another model: only token attributes, the dependency parse, entities and
claimx's own cues. The same functions serve training (`claimx train`) and run time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from murmurhash.mrmr import hash as murmur
from spacy import parts_of_speech as spacy_pos
from spacy.attrs import (
    DEP, ENT_IOB, ENT_TYPE, IS_SPACE, IS_UPPER, LEMMA, LENGTH, LIKE_NUM, LIKE_URL, LOWER, POS, PREFIX, TAG,
)
from spacy.tokens import Doc, Span, Token

from claimx.learning.linear import MASK64, HashedFeatures
from claimx.token_ids import array_id, array_ids

SPEECH_COGNITION = frozenset({
    "say", "tell", "report", "claim", "state", "announce", "add", "note", "explain", "insist",
    "believe", "think", "suspect", "fear", "hope", "expect", "suggest", "allege", "deny",
    "accuse", "argue", "predict", "warn", "doubt", "assume", "know", "learn", "show",
    "reveal", "confirm", "acknowledge", "admit", "indicate", "estimate", "speculate", "want",
    "plan", "intend", "try", "seek", "ask", "urge", "demand", "agree", "promise", "threaten",
    "decide", "refuse", "fail", "consider", "worry", "seem", "appear", "likely", "possible",
})
NEGATORS = frozenset({"not", "n't", "n’t", "never", "no", "neither", "nor", "without", "nothing", "none", "nobody"})
CONDITION_MARKS = frozenset({"if", "unless", "whether", "until", "provided", "once"})
MODALS = frozenset({"may", "might", "could", "would", "should", "can", "will", "must", "shall", "ought"})
FIRST_SECOND_PERSON = frozenset({"i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your",
                                 "yours", "myself", "ourselves", "yourself"})
QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})
# Arguments that negate the event they fill: "*Nobody* hurried her", "*no one* was named".
NEGATIVE_PRONOUNS = frozenset({"nobody", "nothing", "none", "neither", "nowhere", "noone"})
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "pobj", "npadvmod", "expl"})
# Governors that say their complement did not happen ("refused to *pay*", "against *restricting*")
# or has not happened yet ("plans to *buy*", "willing to *talk*"): classes, so the model can
# generalise past the lemmas its training data happens to hold.
NEGATIVE_IMPLICATIVES = frozenset({
    "fail", "refuse", "decline", "forbid", "prohibit", "prevent", "avoid", "deny", "reject", "withdraw",
    "cancel", "block", "bar", "stop", "neglect", "forget", "halt", "ban", "abandon", "resist", "oppose",
    "veto", "against", "without", "instead",
})
INTENTIONS = frozenset({
    "want", "plan", "intend", "hope", "expect", "seek", "try", "propose", "offer", "ask", "urge", "threaten",
    "promise", "agree", "decide", "aim", "prepare", "consider", "order", "request", "demand", "need", "wish",
    "attempt", "push", "call", "recommend", "vow", "pledge", "suggest", "plot", "allow", "permit", "able",
    "willing", "ready",
})
# Negated doubt is certainty: "there is *no doubt* that X" asserts X.
DOUBT_NOUNS = frozenset({"doubt", "question", "dispute", "denying", "mistake", "secret"})


def _shape(token: Token) -> str:
    return token.shape_[:4]


def _reporting_verb(token: Token) -> Token | None:
    """The speech or cognition verb whose complement holds `token`'s clause, if any."""
    clause = token.head if token.dep_ in ("aux", "auxpass", "advmod", "neg", "mark") else token
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ in ("ccomp", "parataxis") and clause.head.lemma_.lower() in SPEECH_COGNITION:
        return clause.head
    return None


def cue_token_features(token: Token) -> list[str]:
    """Whether `token` is (part of) an uncertainty cue: the word, its neighbours and its clause."""
    doc = token.doc
    i = token.i
    lower, lemma, pos, tag, dep = token.lower_, token.lemma_.lower(), token.pos_, token.tag_, token.dep_
    head = token.head
    head_lemma = head.lemma_.lower()
    entity = token.ent_type_ or "O"
    features = [
        "b", "w=" + lower, "l=" + lemma, "p=" + pos, "t=" + tag, "d=" + dep,
        "hl=" + head_lemma, "hp=" + head.pos_, "hd=" + head.dep_,
        f"l|t={lemma}|{tag}", f"l|d={lemma}|{dep}", f"l|p={lemma}|{pos}",
        f"l|hl={lemma}|{head_lemma}", f"l|hp={lemma}|{head.pos_}",
        "suf3=" + lower[-3:], f"suf2|p={lower[-2:]}|{pos}",
        "ent=" + entity, f"l|ent={lemma}|{entity}", "shape=" + _shape(token),
    ]
    if token.is_sent_start:
        features += ["sent_start", "l|ss=" + lemma]
    for k in (-2, -1, 1, 2):
        j = i + k
        if 0 <= j < len(doc):
            neighbour = doc[j]
            features += [f"w{k}={neighbour.lower_}", f"t{k}={neighbour.tag_}"]
            if k in (-1, 1):
                features += [f"l|w{k}={lemma}|{neighbour.lower_}", f"l|t{k}={lemma}|{neighbour.tag_}"]
        else:
            features.append(f"w{k}=<pad>")
    following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    preceding = doc[i - 1].lower_ if i > 0 else ""
    if following in ("to", "that", "whether", "if", "as", "be"):
        features.append(f"l|next={lemma}|{following}")
    if preceding in ("be", "is", "was", "are", "were", "been", "it", "to"):
        features.append(f"l|prev={lemma}|{preceding}")
    child_deps = set()
    for child in token.children:
        child_deps.add(child.dep_)
        if child.dep_ in ("aux", "auxpass", "neg", "mark", "nsubjpass", "nsubj", "expl"):
            features.append(f"c{child.dep_}={child.lemma_.lower()}")
        if child.dep_ in ("ccomp", "xcomp", "advcl"):
            features.append(f"l|c{child.dep_}={lemma}")
            for grandchild in child.children:
                if grandchild.dep_ in ("mark", "aux") and grandchild.lower_ in ("that", "to", "if", "whether"):
                    features.append(f"l|{child.dep_}_{grandchild.lower_}={lemma}")
    features += ["cd=" + d for d in sorted(child_deps)]
    if "auxpass" in child_deps or "nsubjpass" in child_deps:
        features.append("l|pass=" + lemma)
    if "expl" in child_deps:
        features.append("l|expl=" + lemma)
    if "neg" in child_deps:
        features.append("l|neg=" + lemma)
    features.append(f"d|hl={dep}|{head_lemma}")
    if dep in ("mark", "advmod", "aux"):
        features.append(f"l|hd={lemma}|{head.dep_}")
    # A condition elsewhere in the sentence makes its modals conditional ("if X, prices *will*
    # fall"); a past report makes them the future of the past ("said prices *would* fall").
    sentence = token.sent
    if any(other.lower_ in CONDITION_MARKS and other.i != i for other in sentence):
        features.append("l|cond_sent=" + lemma)
    reporter = _reporting_verb(token)
    if reporter is not None:
        features += ["l|reported=" + lemma, f"l|reported_t={lemma}|{reporter.tag_}"]
    return features


def negative_argument(token: Token) -> str | None:
    """How an event is negated through its arguments rather than a "not": a negative pronoun or
    a "no"-determined subject/object ("no weapon was recovered"), or "neither … nor"."""
    for child in token.children:
        dep = child.dep_
        if dep in ARGUMENT_DEPS and child.lemma_.lower() not in DOUBT_NOUNS:
            if child.lower_ in NEGATIVE_PRONOUNS or any(
                grandchild.dep_ == "det" and grandchild.lower_ in ("no", "neither") for grandchild in child.children
            ):
                return dep
        elif (dep, child.lower_) in (("preconj", "neither"), ("cc", "nor")):
            return "neither"
    return None


def predicate_features(token: Token, question: bool = False, max_ancestors: int = 4) -> list[str]:
    """How strongly the text commits to the event `token` names: modality, negation, embedding."""
    lemma = token.lemma_.lower()
    features = ["b", "l=" + lemma, "p=" + token.pos_, "t=" + token.tag_, "d=" + token.dep_,
                "w=" + token.lower_, "suf3=" + token.lower_[-3:]]
    morph = token.morph
    for key in ("Tense", "VerbForm", "Aspect", "Mood"):
        value = morph.get(key)
        if value:
            features.append(f"m{key}={value[0]}")
    local = []
    for child in token.children:
        child_lemma = child.lemma_.lower()
        if child.dep_ in ("aux", "auxpass"):
            features.append("aux=" + child_lemma)
            if child_lemma in MODALS:
                features += ["modal", "modal=" + child_lemma]
                local.append("modal")
        if child.dep_ == "neg" or child_lemma in NEGATORS and child.dep_ in ("neg", "det", "advmod"):
            features.append("neg")
            local.append("neg")
        if child.dep_ == "mark":
            features.append("mark=" + child_lemma)
            if child_lemma in CONDITION_MARKS:
                features.append("cond")
                local.append("cond")
        if child.dep_ == "advmod" and child.pos_ == "ADV":
            features.append("advmod=" + child_lemma)
        if child.dep_ in ("nsubj", "nsubjpass"):
            features.append("subj_p=" + child.pos_)
        if child.dep_ == "det":
            features.append("det=" + child_lemma)
        if child.dep_ == "prep" and child_lemma in ("of", "in", "for", "to"):
            features.append("prep=" + child_lemma)
    negated_by = negative_argument(token)
    if negated_by:
        features += ["neg_arg", "neg_arg=" + negated_by]
    if token.dep_ == "conj" and any(c.dep_ in ("cc", "preconj") and c.lower_ in ("nor", "neither")
                                    for c in token.head.children):
        features.append("neg_arg=nor_conj")
    local_key = "+".join(sorted(local)) or "none"
    features.append("local=" + local_key)
    current = token
    path = []
    for depth in range(1, max_ancestors + 1):
        if current.head.i == current.i:
            features.append(f"root_at={depth}")
            break
        parent = current.head
        parent_lemma = parent.lemma_.lower()
        relation = current.dep_
        path.append(relation)
        features += [f"a{depth}={parent_lemma}", f"a{depth}r={relation}", f"a{depth}r|l={relation}|{parent_lemma}",
                     "anc=" + parent_lemma, f"ancrel={relation}|{parent_lemma}"]
        if parent_lemma in SPEECH_COGNITION:
            features += ["under_sc", f"under_sc{min(depth, 2)}"]
        if depth <= 3 and parent_lemma in NEGATIVE_IMPLICATIVES:
            features += ["cls_negimpl", f"cls_negimpl{min(depth, 2)}"]
        if depth <= 3 and parent_lemma in INTENTIONS:
            features += ["cls_intent", f"cls_intent{min(depth, 2)}"]
        parent_negated, parent_modal = False, False
        for child in parent.children:
            child_lemma = child.lemma_.lower()
            if child.dep_ in ("aux", "auxpass") and child_lemma in MODALS:
                features += ["anc_modal=" + child_lemma, "anc_modal"]
                parent_modal = True
            if child.dep_ == "neg":
                features.append("anc_neg")
                parent_negated = True
                if depth == 1:
                    features.append("par_neg")
            if child.dep_ == "mark" and child_lemma in CONDITION_MARKS:
                features.append("anc_cond=" + child_lemma)
        if depth <= 3 and negative_argument(parent):
            features += ["anc_neg_arg", f"anc_neg_arg{min(depth, 2)}"]
            parent_negated = True
        if depth <= 2:
            # Which governing words pass their negation or modality down ("did not *want* to go").
            if parent_negated:
                features.append(f"a{depth}neg={parent_lemma}")
            if parent_modal:
                features.append(f"a{depth}mod={parent_lemma}")
            features.append(f"a{depth}pol={'neg' if parent_negated else 'pos'}|{relation}")
        current = parent
    features.append("path=" + "/".join(path[:2]))
    if token.head.i != token.i:
        head_lemma = token.head.lemma_.lower()
        features += [f"p|d|a1={token.pos_}|{token.dep_}|{head_lemma}", f"l|a1={lemma}|{head_lemma}"]
    features.append(f"l|local={lemma}|{local_key}")
    if token.dep_ in ("advcl", "ccomp", "xcomp", "relcl", "acl", "pcomp", "conj"):
        features.append(f"clause={token.dep_}|{token.head.lemma_.lower()}")
    if question:
        features.append("question")
    if token.i > 0 and token.doc[token.i - 1].lower_ == "to":
        features.append("prev_to")
    return features


_URL, _USER, _NUMBER = (murmur(word) & MASK64 for word in ("<url>", "<user>", "<num>"))
_BIGRAM, _LEMMA_POS = np.uint64(1_000_003), np.uint64(7_919)
TEXT_ATTRS = (POS, TAG, LOWER, LEMMA, LIKE_NUM, LIKE_URL, IS_SPACE, IS_UPPER, DEP, ENT_IOB, ENT_TYPE, LENGTH, PREFIX)
(_POS, _TAG, _LOWER, _LEMMA, _LIKE_NUM, _LIKE_URL, _IS_SPACE, _IS_UPPER, _DEP, _ENT_IOB, _ENT_TYPE,
 _LENGTH, _PREFIX) = range(len(TEXT_ATTRS))
COUNTED_TAGS = ("JJR", "JJS", "RBR", "RBS", "MD", "PRP", "PRP$", "UH", "WP", "WRB")
MODIFIER_DEPS = ("amod", "advmod", "acomp")


_FIRST_SECOND, _MODALS, _NEGATORS, _QUOTES = (array_ids(w) for w in (FIRST_SECOND_PERSON, MODALS, NEGATORS, QUOTES))
_SPEECH_COGNITION, _COUNTED_TAGS, _MODIFIER_DEPS = (array_ids(w) for w in (SPEECH_COGNITION, COUNTED_TAGS, MODIFIER_DEPS))
_H = {word: array_id(word) for word in ("!", "?", "@", "#", "MD")}
_ADJ_ADV = np.array([spacy_pos.IDS["ADJ"], spacy_pos.IDS["ADV"]], dtype=np.uint64)
_VERB = np.uint64(spacy_pos.IDS["VERB"])


class TextFeaturizer:
    """Sentence-level features for check-worthiness and subjectivity, for any span of one Doc.

    Word 1–2-grams and lemma/POS pairs (TF-IDF weighted by the model), plus linguistic rates
    (POS mix, first/second person, modals, negation, numbers, entities, quotes, !, ?) and the
    kinds of claimx cues found in the span. Everything per token is computed once per Doc with
    numpy (spaCy's own 64-bit hashes, no strings); a span then costs a few array slices.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        table = doc.to_array(list(TEXT_ATTRS))
        kept = np.flatnonzero(table[:, _IS_SPACE] == 0)
        rows = table[kept]
        # Position of each token among the non-space tokens, for slicing spans.
        self.position = np.concatenate([[0], np.cumsum(table[:, _IS_SPACE] == 0)])
        words = rows[:, _LOWER].copy()
        words[rows[:, _LIKE_NUM] == 1] = _NUMBER
        words[rows[:, _PREFIX] == _H["@"]] = _USER
        words[rows[:, _LIKE_URL] == 1] = _URL
        with np.errstate(over="ignore"):
            self.bigrams = words[:-1] * _BIGRAM + words[1:]
            self.lemma_pos = rows[:, _LEMMA] * _LEMMA_POS + rows[:, _POS]
        self.words = words
        strings = doc.vocab.strings
        pos, tags, lower, deps = rows[:, _POS], rows[:, _TAG], rows[:, _LOWER], rows[:, _DEP]
        columns: list[tuple[str, np.ndarray]] = [
            ("p12", np.isin(lower, _FIRST_SECOND)),
            ("modal", np.isin(lower, _MODALS) & (tags == _H["MD"])),
            ("neg", np.isin(lower, _NEGATORS)),
            ("num", rows[:, _LIKE_NUM] == 1),
            ("excl", lower == _H["!"]),
            ("quest", lower == _H["?"]),
            ("quote", np.isin(lower, _QUOTES)),
            ("url", rows[:, _LIKE_URL] == 1),
            ("mention", rows[:, _PREFIX] == _H["@"]),
            ("hashtag", rows[:, _PREFIX] == _H["#"]),
            ("allcaps", (rows[:, _IS_UPPER] == 1) & (rows[:, _LENGTH] > 2)),
            ("sc_verb", (pos == _VERB) & np.isin(rows[:, _LEMMA], _SPEECH_COGNITION)),
        ]
        entity_starts = rows[:, _ENT_IOB] == 3
        columns.append(("ents", entity_starts))
        for value in np.unique(pos):
            columns.append(("pos=" + spacy_pos.NAMES[int(value)], pos == value))
        counted_tags = np.isin(tags, _COUNTED_TAGS)
        for value in np.unique(tags[counted_tags]):
            columns.append(("tag=" + strings[int(value)], counted_tags & (tags == value)))
        modifiers = np.isin(pos, _ADJ_ADV) & np.isin(deps, _MODIFIER_DEPS)
        for value in np.unique(deps[modifiers]):
            columns.append(("mod=" + strings[int(value)], modifiers & (deps == value)))
        for value in np.unique(rows[entity_starts, _ENT_TYPE]):
            columns.append(("ent=" + strings[int(value)], entity_starts & (rows[:, _ENT_TYPE] == value)))
        self.keys = [key for key, _ in columns]
        # The two named features of each column: its rate and whether it occurs at all.
        self.rate_names = ["L:" + key for key in self.keys]
        self.presence_names = ["L:" + key + ">0" for key in self.keys]
        flags = np.stack([column for _, column in columns], axis=1) if len(rows) else np.zeros((0, len(columns)))
        self.cumulative = np.vstack([np.zeros((1, len(columns)), dtype=np.int64), np.cumsum(flags, axis=0, dtype=np.int64)])

    def features(self, span: Span, cue_kinds: Sequence[str] = ()) -> HashedFeatures:
        """The hashed features of one span of this featurizer's Doc."""
        a, b = int(self.position[span.start]), int(self.position[span.end])
        hashes = np.concatenate([self.words[a:b], self.bigrams[a : max(a, b - 1)], self.lemma_pos[a:b]])
        n = max(b - a, 1)
        counts = self.cumulative[b] - self.cumulative[a]
        pairs: list[tuple[str, float]] = []
        rate_names, presence_names = self.rate_names, self.presence_names
        scale = 10.0 / n
        for column in np.flatnonzero(counts).tolist():
            pairs.append((rate_names[column], int(counts[column]) * scale))
            pairs.append((presence_names[column], 1.0))
        kinds: dict[str, int] = {}
        for kind in cue_kinds:
            kinds[kind] = kinds.get(kind, 0) + 1
        for kind, count in kinds.items():
            pairs.append(("L:cue=" + kind, count / n * 10.0))
            pairs.append(("L:cue=" + kind + ">0", 1.0))
        pairs.append((f"L:len_bin={min(n // 10, 6)}", 1.0))
        root = span.root
        pairs += [("L:root_pos=" + root.pos_, 1.0), ("L:root_tag=" + root.tag_, 1.0)]
        return HashedFeatures(hashes, pairs)


def text_features(span: Span, cue_kinds: Sequence[str] = ()) -> HashedFeatures:
    """Sentence-level features of one span (see `TextFeaturizer`; use it for many spans)."""
    return TextFeaturizer(span.doc).features(span, cue_kinds)
