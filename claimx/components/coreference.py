"""`claimx_coreference`: who "she", "the spokesman" and "the company" are, by rules.

Named people and organisations (the NER's PERSON and ORG entities) are grouped into one entity per
referent: "Patricia Hewitt", "Ms Hewitt" and "Hewitt" share a surname, "The New York Post" and
"The Post" a last word. Subject pronouns (he, she; "it" and "they" when the previous subject is
an organisation or a plural noun) and definite role nouns ("the spokesman", "the company", "the
Republican candidate") are then resolved to the nearest compatible name, looking back sentence by
sentence: subjects first, gender agreeing (from Mr/Ms, a first-name list, or an earlier pronoun).
Pronouns inside quotation marks are left alone: there "he" is rarely the speaker's own name.

Sets `doc._.claimx_antecedents` ({token index of the pronoun or role noun: [start, end] tokens
of the name}), `doc._.claimx_entities_of` ({token index: entity number}) and
`doc._.claimx_named_entities` (each entity's kind, gender and fullest name).
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy.attrs import DEP, LOWER, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimx.quotations import quote_regions
from claimx.components.claims import SUBJECT_DEPS
from claimx.reporting import CarriesReportingLexicon, ReportingLexicon, default_reporting, load_reporting
from claimx.token_ids import array_ids

HONORIFICS = {"mr": "male", "mr.": "male", "mrs": "female", "mrs.": "female", "ms": "female",
              "ms.": "female", "miss": "female", "sir": "male", "lady": "female", "dame": "female"}
GENDERED_PRONOUNS = {"he": "male", "she": "female"}
PRONOUNS = ("he", "she", "it", "they")
LOOKBACK_SENTENCES = 3    # pronouns: the current sentence and the three before it
ROLE_LOOKBACK_SENTENCES = 6
PLURAL_TAGS = ("NNS", "NNPS")
UNNAMED = -1  # the entity number of a person the article mentions but never names
_PRONOUN_IDS = array_ids(PRONOUNS)
_SUBJECT_IDS = array_ids(tuple(SUBJECT_DEPS - {"expl"}))
_PLURAL_IDS = array_ids(PLURAL_TAGS)


@lru_cache(maxsize=1)
def _first_name_genders():  # noqa: ANN202  (gender_guesser has no type hints)
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def first_name_gender(name: str) -> str | None:
    """'female', 'male' or None for a first name, from gender_guesser's name list."""
    answer = _first_name_genders().get_gender(name)
    if answer in ("female", "mostly_female"):
        return "female"
    if answer in ("male", "mostly_male"):
        return "male"
    return None


@dataclass(slots=True)
class NamedEntity:
    """One referent: every named mention of a person or organisation that denotes it."""

    kind: str                      # "person" or "organisation"
    names: list[tuple[int, int]] = field(default_factory=list)
    words: dict[tuple[int, int], int] = field(default_factory=dict)  # name -> its words, titles left out
    keys: set[str] = field(default_factory=set)
    first_names: set[str] = field(default_factory=set)
    gender: str | None = None

    def fullest_name_before(self, index: int) -> tuple[int, int]:
        """The fullest name given before `index`: most words ("Patricia Hewitt" over "Ms Hewitt"),
        the earliest of equals."""
        before = [name for name in self.names if name[0] < index] or self.names
        return max(before, key=lambda name: (self.words.get(name, 0), -name[0]))


def _name_words(ent: Span) -> list[str]:
    words = [t.lower_ for t in ent if not t.is_punct and t.lower_ not in HONORIFICS and t.lower_ != "'s"]
    return words


class Coreference(CarriesReportingLexicon):
    """Groups named mentions into entities and resolves pronoun and role-noun subjects to them."""

    def __init__(self, lexicon: ReportingLexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else default_reporting()
        self._role_cache: tuple[int, np.ndarray] | None = None

    def _role_ids(self) -> np.ndarray:
        """Array ids of the role-noun lemmas (rebuilt when the lexicon is replaced)."""
        if self._role_cache is None or self._role_cache[0] != id(self.lexicon):
            self._role_cache = (id(self.lexicon), array_ids(tuple(self.lexicon.roles)))
        return self._role_cache[1]

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimx_antecedents = {}
        doc._.claimx_entities_of = {}
        doc._.claimx_named_entities = []
        if not len(doc):
            return doc
        table = doc.to_array([LOWER, DEP, SENT_START, TAG])
        is_subject = np.isin(table[:, 1], _SUBJECT_IDS)
        in_quote = np.zeros(len(doc), dtype=bool)
        for start, end, _ in quote_regions(doc):
            in_quote[start:end] = True
        # Sentences are counted outside quotations: a speaker quoted at length is still near.
        sentence_of = np.cumsum((table[:, 2] == 1) & ~in_quote)
        entities, entity_of, mentions = self._group_names(doc, is_subject, sentence_of)
        # Candidates: subject pronouns outside quotes, role nouns, plural subjects (for "they").
        pronouns = np.flatnonzero(np.isin(table[:, 0], _PRONOUN_IDS) & is_subject & ~in_quote).tolist()
        roles = np.flatnonzero(np.isin(doc.to_array("LEMMA"), self._role_ids()) & ~in_quote).tolist()
        plural_subjects = np.flatnonzero(np.isin(table[:, 3], _PLURAL_IDS) & is_subject).tolist()
        antecedents: dict[int, list[int]] = {}
        events = sorted(
            [(i, "pronoun") for i in pronouns] + [(i, "role") for i in roles]
        )
        for index, what in events:
            token = doc[index]
            if what == "role":
                named = [entity_of[c.i] for c in token.children if c.dep_ == "appos" and c.i in entity_of]
                if named:
                    # "Its chief executive, Laura Kim, said": the role is named by its apposition.
                    insort(mentions, (index, index + 1, named[0], bool(is_subject[index]), int(sentence_of[index])))
                    continue
                found = self._resolve_role(doc, token, sentence_of, entities, mentions, entity_of)
            else:
                found = self._resolve_pronoun(doc, token, sentence_of, entities, mentions, plural_subjects)
            if found is None:
                if what == "role" and self._unnamed_person(token, entity_of):
                    # "The mayor's spokesman said ... He declined": he is the spokesman, whom
                    # the article never names; no earlier name may be given to that "he".
                    insort(mentions, (index, index + 1, UNNAMED, True, int(sentence_of[index])))
                continue
            if isinstance(found, tuple):  # "they"/"it" -> a noun phrase ("Senate Republicans", "The central bank")
                antecedents[index] = list(found)
                continue
            entity = entities[found]
            if token.lower_ in GENDERED_PRONOUNS and entity.gender is None:
                entity.gender = GENDERED_PRONOUNS[token.lower_]
            antecedents[index] = list(entity.fullest_name_before(index))
            entity_of[index] = found
            insort(mentions, (index, index + 1, found, bool(is_subject[index]), int(sentence_of[index])))
        doc._.claimx_antecedents = antecedents
        doc._.claimx_entities_of = entity_of
        doc._.claimx_named_entities = [
            {"kind": e.kind, "gender": e.gender, "name": list(e.fullest_name_before(len(doc)))} for e in entities
        ]
        return doc

    # -- named mentions -----------------------------------------------------------------------

    def _group_names(
        self, doc: Doc, is_subject: np.ndarray, sentence_of: np.ndarray
    ) -> tuple[list[NamedEntity], dict[int, int], list[tuple[int, int, int, bool, int]]]:
        entities: list[NamedEntity] = []
        entity_of: dict[int, int] = {}
        mentions: list[tuple[int, int, int, bool, int]] = []
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG"):
                continue
            # "Ms Tolland" tagged ORG by the small NER model is still a person.
            kind = "person" if ent.label_ == "PERSON" or ent[0].lower_ in HONORIFICS else "organisation"
            words = _name_words(ent)
            if not words:
                continue
            number = self._match(entities, kind, words)
            if number is None:
                entities.append(NamedEntity(kind))
                number = len(entities) - 1
            entity = entities[number]
            # The name without a possessive the NER span may end in ("David Miliband's rise").
            end = ent.end
            while end - 1 > ent.start and doc[end - 1].tag_ == "POS":
                end -= 1
            entity.names.append((ent.start, end))
            entity.words[(ent.start, end)] = len(words)
            entity.keys.add(words[-1])
            if kind == "person" and len(words) > 1:
                entity.first_names.add(words[0])
            if kind == "organisation":
                entity.keys.add(" ".join(w for w in words if w != "the"))
            if kind == "person" and entity.gender is None:
                entity.gender = self._gender(doc, ent, words)
            for index in range(ent.start, ent.end):
                entity_of[index] = number
            # "Hewitt's aide said": the possessor of a subject; "Hewitt and Beckett met": a conjoined subject.
            subject = bool(is_subject[ent.root.i]) or ent.root.dep_ in ("poss", "conj") and bool(is_subject[ent.root.head.i])
            mentions.append((ent.start, ent.end, number, subject, int(sentence_of[ent.start])))
        return entities, entity_of, mentions

    @staticmethod
    def _match(entities: list[NamedEntity], kind: str, words: list[str]) -> int | None:
        """The latest entity a name can denote: same surname (and no other first name), or, for a
        single word, a known first name; organisations by their name or its last word."""
        for number in range(len(entities) - 1, -1, -1):
            entity = entities[number]
            if entity.kind != kind:
                continue
            if kind == "organisation":
                joined = " ".join(w for w in words if w != "the")
                if joined in entity.keys or (len(words) == 1 or words[0] == "the") and words[-1] in entity.keys:
                    return number
                continue
            if words[-1] in entity.keys and (len(words) == 1 or not entity.first_names or words[0] in entity.first_names):
                return number
            if len(words) == 1 and words[0] in entity.first_names:
                return number
        return None

    @staticmethod
    def _gender(doc: Doc, ent: Span, words: list[str]) -> str | None:
        before = doc[ent.start - 1].lower_ if ent.start else ""
        honorific = HONORIFICS.get(ent[0].lower_) or HONORIFICS.get(before)
        if honorific:
            return honorific
        return first_name_gender(words[0]) if len(words) > 1 else None

    # -- resolution ---------------------------------------------------------------------------

    @staticmethod
    def _nearest(
        mentions: list[tuple[int, int, int, bool, int]], index: int, sentence: int, lookback: int, accept
    ) -> int | None:
        """The entity of the best earlier mention: by sentence, nearest first; within a sentence a
        subject before other mentions, then the latest. None when that is not clear: two different
        entities that fit are subjects of the same sentence ("Ana Ruiz and Maria Lopez met. She …")."""
        best: dict[int, tuple[bool, int, int]] = {}
        subjects: dict[int, set[int]] = {}
        for start, _, number, subject, mention_sentence in mentions:
            if start >= index:
                break
            if sentence - mention_sentence > lookback or number != UNNAMED and not accept(number):
                continue
            if subject:
                subjects.setdefault(mention_sentence, set()).add(number)
            current = best.get(mention_sentence)
            candidate = (subject, start, number)
            if current is None or candidate[:2] > current[:2]:
                best[mention_sentence] = candidate
        if not best:
            return None
        nearest = max(best)
        found = best[nearest][2]
        if found == UNNAMED or len(subjects.get(nearest, ())) > 1:
            return None
        return found

    def _unnamed_person(self, token: Token, entity_of: dict[int, int]) -> bool:
        return (token.dep_ in SUBJECT_DEPS and token.tag_ not in PLURAL_TAGS and token.i not in entity_of
                and self.lexicon.roles.get(token.lemma_.lower()) == "person")

    def _resolve_pronoun(self, doc, token, sentence_of, entities, mentions, plural_subjects):  # noqa: ANN001, ANN202
        sentence = int(sentence_of[token.i])
        word = token.lower_
        if word in GENDERED_PRONOUNS:
            gender = GENDERED_PRONOUNS[word]
            return self._nearest(
                mentions, token.i, sentence, LOOKBACK_SENTENCES,
                lambda n: entities[n].kind == "person" and entities[n].gender in (gender, None),
            )
        if word == "it":
            # Only when the latest subject before it is an organisation: "The company ... It said",
            # named ("Vantis Energy") or by its role ("The central bank held rates ... it signalled").
            here = self._organisation_subject(doc, token, sentence_of, same_sentence=True)
            if here is not None:
                return here
            latest = self._nearest(mentions, token.i, sentence, 1, lambda n: True)
            if latest is not None and entities[latest].kind == "organisation":
                previous_subjects = [i for i in plural_subjects if i < token.i and sentence - sentence_of[i] <= 1]
                return latest if not previous_subjects else None
            if latest is None:
                return self._organisation_subject(doc, token, sentence_of)
            return None
        # "they": the latest plural subject in this or the previous sentence
        earlier = [i for i in plural_subjects if i < token.i and sentence - sentence_of[i] <= 1
                   and doc[i].lower_ not in PRONOUNS]
        if not earlier:
            return None
        head = doc[earlier[-1]]
        left = [t for t in head.lefts if not t.is_punct]
        return (left[0].left_edge.i if left else head.i, head.i + 1)

    def _organisation_subject(
        self, doc: Doc, token: Token, sentence_of: np.ndarray, same_sentence: bool = False
    ) -> tuple[int, int] | None:
        """The subject noun phrase of this (or the previous) sentence when it is an organisation
        named by its role ("The central bank"), for "it"."""
        sentence = doc[token.i].sent
        previous = doc[sentence.start - 1].sent if sentence.start > 0 and not same_sentence else None
        for span in (sentence, previous):
            if span is None:
                continue
            subjects = [t for t in span if t.i < token.i and t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN"
                        and self.lexicon.roles.get(t.lemma_.lower()) == "organisation" and t.tag_ not in PLURAL_TAGS]
            if subjects:
                head = subjects[-1]
                return (head.left_edge.i, head.i + 1)
        return None

    def _resolve_role(self, doc, token, sentence_of, entities, mentions, entity_of):  # noqa: ANN001, ANN202
        """ "the spokesman" -> the latest person named; "the company" -> the latest organisation."""
        if token.i in entity_of or token.pos_ != "NOUN" or token.tag_ in PLURAL_TAGS:
            return None
        children = list(token.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in children):
            return None
        if any(c.dep_ in ("compound", "poss") and (c.ent_type_ or c.pos_ == "PROPN") for c in children):
            return None  # "the Trump campaign", "Clinton's spokesman": named by their modifier
        if not (token.dep_ in SUBJECT_DEPS or token.dep_ == "pobj" and token.head.lower_ == "to"):
            return None
        word = token.lemma_.lower()
        kind = self.lexicon.roles[word]
        gender = self.lexicon.genders.get(word)
        # "the central bank" is not whichever organisation came last: a modified organisation
        # role needs a name with that word in it ("Nordvik Bank"); "the company" takes the latest.
        modified = kind == "organisation" and any(c.dep_ in ("amod", "compound") for c in children)

        def accept(number: int) -> bool:
            entity = entities[number]
            if entity.kind != kind or gender is not None and entity.gender not in (gender, None):
                return False
            return not modified or any(word in doc[a:b].text.lower() for a, b in entity.names)

        return self._nearest(mentions, token.i, int(sentence_of[token.i]), ROLE_LOOKBACK_SENTENCES, accept)


@Language.factory(
    "claimx_coreference",
    assigns=["doc._.claimx_antecedents", "doc._.claimx_entities_of", "doc._.claimx_named_entities"],
    requires=["token.dep", "token.lemma", "doc.ents"],
    default_config={"extra_lexicons": []},
)
def make_coreference(nlp: Language, name: str, extra_lexicons: list[str]) -> Coreference:
    """Pronoun and role-noun subjects resolved to named people and organisations; add it before
    "claimx_attribution"."""
    return Coreference(load_reporting(extra_lexicons) if extra_lexicons else None)
