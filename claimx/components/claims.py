"""`claimx_claims`: splits sentences into propositions and decides which cues scope over each.

A sentence yields one claim per clause head: the root, conjoined verbs, adverbial clauses with
their own subject ("While X appears ..., it remains ..."), and the content clauses of *frames*.
A frame is a clause that only reports or qualifies another ("officials said X", "it is unclear
whether X", "analysts believe X"): it is not a claim itself; its cues scope over its content.
A clause that only dates or locates another ("when he was leader of the opposition") is part of
the claim it dates, not a claim of its own; a relative clause set off by a comma that asserts
something about its noun ("The State Department, which has observer status, urged ...") is one.
Every token belongs to its nearest clause head; a cue scopes over the claim that owns it
(`clause`), over the claims its frame governs (`frame`), or, for conditions and questions, over
every claim in its sentence (`sentence`). A cue inside a clause that modifies a word of the claim
("a man who *allegedly* tried ...", "when prices *might* fall") stays with that clause (`modifier`):
shown with the claim, it does not decide its label. Conjoined predicates share what stands before
the first of them, as ConText-style scope follows the grammar: "might cause X and lead to Y",
"did not confirm or deny", "could rise and then fall" — the shared subject, auxiliaries, modal,
negation and fronted adverbials scope over every conjunct that has none of its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque

import numpy as np
from spacy.attrs import DEP, HEAD, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimx.components.layout import token_sections
from claimx.cue_checks import WH_WORDS, as_frame, inserted_frame
from claimx.extensions import CLAIMS_KEY, CUES_KEY
from claimx.token_ids import array_id, array_ids

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
CLAUSE_POS = frozenset({"VERB", "AUX"})
CONTENT_DEPS = frozenset({"ccomp", "parataxis"})
REVERSE_FRAME_DEPS = frozenset({"ccomp", "parataxis", "advcl"})
NOMINAL_FRAME_DEPS = frozenset({"attr", "dobj", "nsubj", "nsubjpass"})
# The only relations by which a token can head a clause of its own (or a frame's content).
CLAUSE_LINK_DEPS = frozenset({"ccomp", "parataxis", "advcl", "conj", "acl", "relcl"})
CC, NOR = array_id("cc"), array_id("nor")
COMPLEMENTIZERS = frozenset({"that", "whether", "if"})
FRAME_CUE_KINDS = frozenset({"attribution", "hedge", "booster", "doubt", "question"})
SENTENCE_SCOPE_KINDS = frozenset({"condition"})
SENTENCE_SCOPE_TYPES = frozenset({"interrogative"})
EXPLETIVE_SUBJECTS = frozenset({"it", "there", "this"})
NO_CLAIM_SECTIONS = frozenset({"byline", "date", "dateline"})
OBJECT_DEPS = ("dobj", "attr", "acomp", "oprd", "dative", "xcomp", "ccomp", "agent", "prep")
PREDICATE_DEPS = frozenset({"aux", "auxpass", "neg", "prt"})
EDGE_STRIP_DEPS = frozenset({"cc", "mark", "punct"})
LEADING_WORDS = frozenset({"and", "but", "or", "so", "yet"})
# Words that introduce a clause which only dates or locates another ("when he was leader").
DATING_SUBORDINATORS = frozenset({"when", "whenever", "after", "before", "until", "till", "once", "where", "wherever"})
# Time and place expressions a comma-separated "when"/"where" clause can say more about
# ("on March 19, when it will release projections"): such a clause is a claim of its own.
SETTING_ENTITIES = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC"})
# Clauses that modify a word of the claim; their cues stay with them.
MODIFIER_DEPS = frozenset({"relcl", "acl"})
PREDICATIVE_DEPS = frozenset({"attr", "acomp", "oprd"})
# What a conjunct shares with the predicate before it: auxiliaries, modal, negation and the
# adverbs between subject and verb ("has likely pushed ... and forced"), when it has none of its own.
SHARED_PREVERBAL_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})
OWN_AUXILIARY_DEPS = frozenset({"aux", "auxpass"})
NONFINITE_TAGS = frozenset({"VB", "VBN", "VBG"})
# Relative pronouns ("which", "who", "that") and what opens a supplementary clause.
RELATIVE_TAGS = frozenset({"WDT", "WP"})
SUPPLEMENT_OPENERS = frozenset({",", "—", "–", "(", "--"})
# Fronted adverbials ("Perhaps", "According to witnesses,") scope over every conjunct.
SHARED_FRONTED_DEPS = frozenset({"advmod", "prep", "npadvmod"})
# Negation does not carry over a contrast: "did not confirm but denied", "not only X but also Y".
CONTRASTIVE_COORDINATORS = frozenset({"but", "yet"})
# A conjunct that starts with its verb phrase shares the subject; one that starts with a nominal
# the parser did not call a subject ("..., and most see inflation ...") has its own.
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET"})
OPENING_QUOTE_MARKS = frozenset({"“", "‘", "«"})
CLOSING_QUOTE_MARKS = frozenset({"”", "’", "»"})


def has_subject(token: Token) -> bool:
    return any(child.dep_ in SUBJECT_DEPS for child in token.children)


def stray_subject(token: Token) -> Token | None:
    """A nominal before a conjoined verb that the parser did not call its subject ("and *most* see")."""
    if token.dep_ != "conj":
        return None
    return next((c for c in token.children if c.i < token.i and c.pos_ in NOMINAL_POS), None)


def same_verb_form(conjunct: Token, first: Token) -> bool:
    """Whether a conjunct has the verb form the first predicate's auxiliaries ask for.

    "did not confirm or deny", "could rise and fall" (base forms, which the tagger sometimes calls
    present), "has cut prices and raised wages" (a participle the tagger often calls past tense,
    unless the first is passive: "had been called in and declined" does not share "had been"). A
    finite copula or auxiliary carries its own tense ("do n't affect X and *are* likely to Y").
    """
    if conjunct.pos_ == "AUX" and conjunct.tag_ not in NONFINITE_TAGS:
        return False
    if conjunct.tag_ == first.tag_:
        return True
    if first.tag_ == "VB" and conjunct.tag_ == "VBP" and conjunct.pos_ == "VERB":
        return True
    return first.tag_ == "VBN" and conjunct.tag_ == "VBD" and not any(c.dep_ == "auxpass" for c in first.children)


def shares_subject(token: Token) -> bool:
    """A conjoined predicate that takes the subject of the one before it ("might cause X and lead to Y")."""
    return token.dep_ == "conj" and not has_subject(token) and stray_subject(token) is None


def is_dating_clause(token: Token) -> bool:
    """An adverbial clause that only dates or locates its head clause ("when he was leader").

    Set off by a comma after a date or place ("on March 19, when it will release projections"), it
    says something of its own about that time or place, and stays a claim.
    """
    if token.dep_ != "advcl":
        return False
    opener = next((
        c for c in token.children
        if c.i < token.i and c.dep_ in ("mark", "advmod") and c.lower_ in DATING_SUBORDINATORS
    ), None)
    if opener is None:
        return False
    start = opener.i
    doc = token.doc
    return not (start >= 2 and doc[start - 1].text == "," and doc[start - 2].ent_type_ in SETTING_ENTITIES)


def relative_subject(token: Token) -> Token | None:
    """The relative pronoun that is a relative clause's subject ("*which* has observer status")."""
    return next((c for c in token.children if c.dep_ in SUBJECT_DEPS and c.tag_ in RELATIVE_TAGS), None)


def is_supplementary(token: Token) -> bool:
    """A clause set off from the noun it follows by a comma, dash or bracket (non-restrictive)."""
    start = token.left_edge.i
    return start > 0 and token.doc[start - 1].text in SUPPLEMENT_OPENERS and token.head.i < start


def predicate_noun(token: Token) -> bool:
    """A word the claim predicates of its subject ("is *the injured* and *the families* who ...")."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token.dep_ in PREDICATIVE_DEPS


def is_noun_complement(token: Token) -> bool:
    """A "that"/"whether" clause completing a noun: "no doubt [that the plan failed]"."""
    return token.dep_ == "acl" and any(
        child.dep_ == "mark" and child.lower_ in COMPLEMENTIZERS for child in token.children
    )


def content_clauses(token: Token) -> list[Token]:
    """Clauses a frame could report: its clausal complements and those of its nominal predicate."""
    found = [child for child in token.children if child.dep_ in CONTENT_DEPS]
    for child in token.children:
        if child.dep_ in NOMINAL_FRAME_DEPS:
            found.extend(grandchild for grandchild in child.children if is_noun_complement(grandchild))
    return found


def opens_with_wh_word(clause: Token) -> bool:
    """A clause that opens with a wh-word or "if"/"whether" of its own, as an indirect question
    does ("asked *whether* X"); one that opens with an adverbial clause's "if" or "when" states
    something ("'*If* we want X, we have to Y,' they wrote"), and so does one whose subject is a
    free relative ("'*What* is shaping up is a battle,' he said")."""
    edge = clause.left_edge
    while edge.is_punct and edge.i < clause.i:
        edge = edge.doc[edge.i + 1]
    if edge.lower_ not in WH_WORDS:
        return False
    node = edge
    while node.i != clause.i and node.head.i != node.i:
        if node.dep_ in ("advcl", "csubj"):
            return False
        node = node.head
    return True


def frame_above(token: Token, frames: set[int]) -> int | None:
    """The frame a content clause reports, if the clause is one (directly or via a noun)."""
    if token.dep_ in CONTENT_DEPS and token.head.i in frames:
        return token.head.i
    if is_noun_complement(token) and token.head.dep_ in NOMINAL_FRAME_DEPS and token.head.head.i in frames:
        return token.head.head.i
    return None


class ClaimBuilder:
    """Builds claim spans with their clause tokens, frames, subject/predicate/object and cues."""

    def __init__(self, cues_key: str = CUES_KEY, claims_key: str = CLAIMS_KEY) -> None:
        self.cues_key = cues_key
        self.claims_key = claims_key
        self.link_deps = array_ids(CLAUSE_LINK_DEPS)
        self.modifier_deps = array_ids(MODIFIER_DEPS | {"advcl"})

    def __call__(self, doc: Doc) -> Doc:
        cues = list(doc.spans.get(self.cues_key, []))
        cue_roots: dict[int, list[int]] = {}
        for index, cue in enumerate(cues):
            cue_roots.setdefault(cue.root.i, []).append(index)
        claims: list[Span] = []
        parse = doc.to_array([HEAD, DEP, LOWER])
        nors = np.flatnonzero((parse[:, 1] == CC) & (parse[:, 2] == NOR)).tolist()
        head_of = (parse[:, 0].astype(np.int64) + np.arange(len(doc))).tolist()
        links = np.isin(parse[:, 1], self.link_deps).tolist()
        modifier_candidates = np.flatnonzero(np.isin(parse[:, 1], self.modifier_deps)).tolist()
        sections = token_sections(doc)
        cue_cursor = 0
        for sentence_index, sentence in enumerate(doc.sents):
            while cue_cursor < len(cues) and cues[cue_cursor].start < sentence.start:
                cue_cursor += 1
            sentence_cues = []
            while cue_cursor < len(cues) and cues[cue_cursor].start < sentence.end:
                sentence_cues.append(cue_cursor)
                cue_cursor += 1
            section = sections[sentence.start]
            if section in NO_CLAIM_SECTIONS:
                continue
            claims.extend(
                self._sentence_claims(
                    sentence, sentence_index, section, cues, sentence_cues, cue_roots, head_of, links,
                    _within(nors, sentence), _within(modifier_candidates, sentence),
                )
            )
        doc.spans[self.claims_key] = claims
        return doc


    # -- clause structure -------------------------------------------------------------------

    def _is_frame(self, token: Token, cues: list[Span], cue_roots: dict[int, list[int]]) -> bool:
        """A clause head that reports or qualifies a content clause instead of asserting one."""
        own_kinds = {cues[index].label_ for index in cue_roots.get(token.i, [])}
        # Speech verbs report content on either side ("X, officials said"); other frames
        # introduce what follows them ("it is likely that X", "there is no doubt that X").
        contents = [
            child for child in content_clauses(token)
            if (child.i > token.i or "attribution" in own_kinds)
            and (not opens_with_wh_word(child) or self._has_question_cue(token, cues, cue_roots))
        ]
        if not contents:
            return False
        if own_kinds & FRAME_CUE_KINDS:
            return True
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        if subjects and not all(s.lower_ in EXPLETIVE_SUBJECTS for s in subjects):
            return False
        # "it is unclear whether ...", "there is no doubt that ...": a cue on the predicate.
        for child in token.children:
            if child.dep_ in ("acomp", "attr", "oprd") and any(
                cues[i].label_ in FRAME_CUE_KINDS for i in cue_roots.get(child.i, [])
            ):
                return True
        return any(
            cues[i].label_ in FRAME_CUE_KINDS
            for child in token.children if child.dep_ in ("attr", "dobj")
            for i in cue_roots.get(child.i, [])
        )

    @staticmethod
    def _has_question_cue(token: Token, cues: list[Span], cue_roots: dict[int, list[int]]) -> bool:
        """"it is unclear what happened": a frame whose content may be an indirect question."""
        return any(
            cues[i].label_ == "question" for t in (token, *token.children) for i in cue_roots.get(t.i, [])
        )

    def _clause_roles(
        self, sentence: Span, root: int, cues: list[Span], cue_roots: dict[int, list[int]],
        children: dict[int, list[int]], links: list[bool],
    ) -> tuple[list[Token], set[int]]:
        """Clause heads (claims) and frames (not claims) of a sentence, in tree order.

        The walk goes over token indices; only the root and tokens attached by a clausal
        relation (`links`) are looked at as Token objects.
        """
        doc = sentence.doc
        heads: list[Token] = []
        frames: set[int] = set()
        clause_like: set[int] = set()
        queue = deque([root])
        while queue:
            index = queue.popleft()
            queue.extend(children.get(index, ()))
            if index != root and not links[index]:
                continue
            token = doc[index]
            role = self._role(token, root, clause_like, frames, cues, cue_roots)
            if role == "frame":
                frames.add(index)
                clause_like.add(index)
            elif role == "head":
                heads.append(token)
                clause_like.add(index)
        return heads, frames

    def _role(
        self,
        token: Token,
        root: int,
        clause_like: set[int],
        frames: set[int],
        cues: list[Span],
        cue_roots: dict[int, list[int]],
    ) -> str | None:
        if token.i == root:
            return "frame" if self._is_frame(token, cues, cue_roots) else "head"
        dep = token.dep_
        if dep not in CLAUSE_LINK_DEPS:
            return None
        parent = token.head
        if frame_above(token, frames) is not None:
            return "frame" if self._is_frame(token, cues, cue_roots) else "head"
        if dep == "relcl":
            # "The State Department, which has observer status, urged ...": an aside that asserts
            # something of its own about the noun; a defining relative clause modifies it. One that
            # reports ("the ministry, which said X") stays in its claim: its speaker is a pronoun.
            supplementary = relative_subject(token) is not None and is_supplementary(token)
            if not supplementary:
                return None
            return "frame" if self._is_frame(token, cues, cue_roots) else "head"
        if parent.i not in clause_like:
            return None
        is_frame = self._is_frame(token, cues, cue_roots)
        if dep in REVERSE_FRAME_DEPS and self._is_reverse_frame(token, cues, cue_roots):
            return "frame"
        if dep == "conj" and (token.pos_ in CLAUSE_POS or has_subject(token)):
            return "frame" if is_frame else "head"
        if is_dating_clause(token) and not is_frame and parent.i not in frames:
            # Part of the claim it dates. One that dates a frame ("when X happened, he thought
            # Y") or reports ("when Norrell announced that X") keeps its own claims.
            return None
        if dep in ("advcl", "parataxis") and has_subject(token):
            return "frame" if is_frame else "head"
        if dep in ("advcl", "xcomp") and is_frame and token.tag_ in ("VBG", "VBN"):
            # "..., adding that X", "..., noting X": a participle that reports its own content.
            return "frame"
        if dep == "ccomp" and token.i < parent.i and any(
            t.text in (";", ":") for t in token.doc[token.i : parent.i]
        ):
            return "frame" if is_frame else "head"
        return None

    def _is_reverse_frame(self, token: Token, cues: list[Span], cue_roots: dict[int, list[int]]) -> bool:
        """`"..., officials said` parsed with the speech verb under the content clause; "As the
        paper noted, X"; "X, he said, Y"."""
        return (token.i > token.head.i or as_frame(token) or inserted_frame(token)) and has_subject(token) and any(
            cues[i].label_ == "attribution" for i in cue_roots.get(token.i, [])
        )

    # -- claims -------------------------------------------------------------------------------

    def _sentence_claims(
        self,
        sentence: Span,
        sentence_index: int,
        section: str,
        cues: list[Span],
        sentence_cues: list[int],
        cue_roots: dict[int, list[int]],
        head_of: list[int],
        links: list[bool],
        nors: list[int],
        modifier_candidates: list[int],
    ) -> list[Span]:
        doc = sentence.doc
        children: dict[int, list[int]] = {}
        root = sentence.root.i
        for index in range(sentence.start, sentence.end):
            if index != root:
                children.setdefault(head_of[index], []).append(index)
        heads, frames = self._clause_roles(sentence, root, cues, cue_roots, children, links)
        anchors = {h.i for h in heads} | frames
        owner = self._owners(sentence, root, anchors, children)
        # "neither approved nor rejected": the parser hangs "nor" on the first conjunct, but it
        # negates the next one.
        for index in nors:
            following = [
                c for c in children.get(head_of[index], ())
                if c > index and c in anchors and doc[c].dep_ == "conj"
            ]
            if following:
                owner[index] = min(following)
        claims = []
        used: set[tuple[int, int]] = set()
        modifying = self._modifier_tokens(doc, modifier_candidates, owner, anchors)
        # The clause anchors each cue sits in, once per sentence rather than once per claim, and
        # whether it sits in a clause that modifies a word of its claim.
        cue_owners = [
            (index, {owner[i] for i in range(cues[index].start, cues[index].end)},
             all(i in modifying for i in range(cues[index].start, cues[index].end)))
            for index in sentence_cues
        ]
        # A condition reaches past its own clause only to the clause its conditional clause hangs on
        # ("If rates rise, [prices will fall]"), not to every claim of the sentence ("She endorsed the
        # plan" keeps its certainty beside "he would back it if they won").
        governed = {
            index: {governor for o in owners if doc[o].dep_ == "advcl" and doc[o].head.i != o
                    for governor in self._conditioned(doc[o], owner)}
            for index, owners, _ in cue_owners if cues[index].label_ in SENTENCE_SCOPE_KINDS
        }
        shared: dict[int, tuple[list[int], list[int]]] = {}
        frame_tokens: dict[int, list[int]] = {}
        if frames:
            for index in range(sentence.start, sentence.end):
                if owner[index] in frames:
                    frame_tokens.setdefault(owner[index], []).append(index)
        for head in heads:
            tokens = self._clause_block(head, sentence, owner)
            bounds = self._trim(tokens, head.i)
            if bounds is None or bounds in used:
                continue
            used.add(bounds)
            claim = Span(doc, bounds[0], bounds[1], label="claim")
            claim_frames = self._frames_of(head, frames)
            ext = claim._
            ext.claimx_section = section
            ext.claimx_sentence = sentence_index
            ext.claimx_sentence_span = [sentence.start, sentence.end]
            ext.claimx_head = head.i
            ext.claimx_tokens = [t.i for t in tokens]
            ext.claimx_frames = claim_frames
            ext.claimx_frame_tokens = sorted(i for frame in claim_frames for i in frame_tokens.get(frame, ()))
            ext.claimx_subject = self._subject(head, owner)
            ext.claimx_predicate = self._predicate(head)
            ext.claimx_object = self._object(head, owner)
            restored, fronted = self._coordinated_context(head, shared)
            ext.claimx_shared_tokens = restored
            ext.claimx_cues = self._scoped_cues(head, claim_frames, cues, cue_owners, set(restored) | set(fronted),
                                                governed)
            claims.append(claim)
        return sorted(claims, key=lambda span: (span.start, span.end))

    @staticmethod
    def _owners(sentence: Span, root: int, anchors: set[int], children: dict[int, list[int]]) -> dict[int, int]:
        """Each token's nearest clause head or frame, itself included (top-down, linear time)."""
        owner = {root: root}
        stack = [root]
        while stack:
            node = stack.pop()
            for child in children.get(node, ()):
                owner[child] = child if child in anchors else owner[node]
                stack.append(child)
        for index in range(sentence.start, sentence.end):  # tokens outside the root's tree
            owner.setdefault(index, root)
        return owner

    @staticmethod
    def _clause_block(head: Token, sentence: Span, owner: dict[int, int]) -> list[Token]:
        """The clause's own tokens around its head, as one stretch of text.

        Tokens of an embedded clause or trailing frame in between are bridged ("The plan,
        officials said, will fail"); a coordinated clause or the enclosing clause is not, so a
        stray token the parser hung on the far side cannot stretch the claim over a sibling.
        """
        doc = sentence.doc
        mine = head.i
        ancestors = {a.i for a in head.ancestors}

        def blocks(anchor: int) -> bool:
            return anchor in ancestors or doc[anchor].dep_ == "conj"

        def substantial(run: range) -> bool:
            return any(
                doc[i].dep_ not in ("cc", "punct", "mark", "advmod", "intj", "")
                and not doc[i].is_space for i in run
            )

        start = end = head.i
        for step in (-1, 1):
            edge = head.i
            cursor = head.i + step
            while sentence.start <= cursor < sentence.end:
                if owner[cursor] == mine:
                    edge = cursor
                    cursor += step
                    continue
                gap_end = cursor
                while sentence.start <= gap_end < sentence.end and owner[gap_end] != mine:
                    gap_end += step
                if not sentence.start <= gap_end < sentence.end:
                    break
                gap = range(min(cursor, gap_end - step), max(cursor, gap_end - step) + 1)
                if any(blocks(anchor) for anchor in {owner[i] for i in gap}):
                    break
                far = gap_end
                while sentence.start <= far + step < sentence.end and owner[far + step] == mine:
                    far += step
                if not substantial(range(min(gap_end, far), max(gap_end, far) + 1)):
                    break
                edge = far
                cursor = far + step
            if step < 0:
                start = edge
            else:
                end = edge
        return [doc[i] for i in range(start, end + 1) if owner[i] == mine]

    @staticmethod
    def _trim(tokens: list[Token], head: int | None = None) -> tuple[int, int] | None:
        """Token bounds of a clause without edge punctuation, quotes and conjunctions.

        A leading subordinator goes only when it introduces the clause itself ("that X", "While
        X"), not when it opens a dating clause the claim begins with ("Once X is final, Y").
        """
        start, end = 0, len(tokens)
        while start < end and (
            tokens[start].is_space or tokens[start].is_punct
            or (tokens[start].dep_ in EDGE_STRIP_DEPS
                and not (tokens[start].dep_ == "mark" and head is not None and tokens[start].head.i != head))
            or tokens[start].lower_ in LEADING_WORDS
        ):
            start += 1
        while end > start and (
            tokens[end - 1].is_space or tokens[end - 1].is_punct or tokens[end - 1].dep_ == "cc"
        ):
            end -= 1
        kept = tokens[start:end]
        if not any(t.is_alpha or t.like_num for t in kept):
            return None
        last = kept[-1].i + 1
        # Keep a quotation whole when the clause ends inside it: 'moving "too slowly"'.
        doc = kept[0].doc
        opened = sum(t.text in OPENING_QUOTE_MARKS for t in kept) - sum(t.text in CLOSING_QUOTE_MARKS for t in kept)
        straight = sum(t.text == '"' for t in kept) % 2
        if last < len(doc) and (opened > 0 or straight) and doc[last].is_quote:
            last += 1
        elif last + 1 < len(doc) and (opened > 0 or straight) and doc[last].is_punct and doc[last + 1].is_quote:
            last += 2
        return kept[0].i, last

    @staticmethod
    def _frames_of(head: Token, frames: set[int]) -> list[int]:
        """Frames that govern a clause head, nearest first.

        A frame governs the clauses in its content ("said [X]"), clauses conjoined with that
        content ("said [X] and [Y]"), and the clause it trails ("[X], officials said").
        """
        found: list[int] = []
        node, conj_chain = head, True
        while True:
            if conj_chain:
                found.extend(
                    child.i for child in node.children
                    if child.i in frames and child.i > node.i and child.dep_ in REVERSE_FRAME_DEPS
                    and child.i not in found
                )
            parent = node.head
            if parent.i == node.i:
                return found
            frame = frame_above(node, frames)
            if frame is not None and frame not in found:
                found.append(frame)
            conj_chain = conj_chain and node.dep_ == "conj"
            node = parent

    @staticmethod
    def _modifier_tokens(doc: Doc, candidates: list[int], owner: dict[int, int], anchors: set[int]) -> set[int]:
        """Tokens of clauses that modify a word of their claim: relative and participial clauses
        ("a man who allegedly tried"), and clauses that date it ("when he was leader").

        A relative clause on a predicate noun ("it is a move that could backfire") is what the
        claim says, and is left to the claim.
        """
        found: set[int] = set()
        for index in candidates:
            token = doc[index]
            if index in anchors or index in found:
                continue
            if token.dep_ == "advcl":
                if not is_dating_clause(token):
                    continue
            elif is_noun_complement(token) or predicate_noun(token.head):
                continue
            mine = owner[index]
            found.update(t.i for t in token.subtree if owner[t.i] == mine)
        return found

    @staticmethod
    def _coordinated_context(head: Token, memo: dict[int, tuple[list[int], list[int]]]) -> tuple[list[int], list[int]]:
        """What a conjoined predicate shares with the one before it, as token indices: (the
        auxiliaries, modal, negation and adverbs between subject and verb, restored in its
        statement and scoping over it; the fronted adverbials, scoping over it).

        "might cause X and lead to Y": "lead" shares "might". Only a conjunct without a subject of
        its own, in the same verb form, shares the auxiliaries ("had been called in and declined"
        does not); one with only non-finite auxiliaries of its own shares those before them ("might
        be delayed or be cancelled"); negation does not carry over "but" ("did not confirm but denied").
        """
        if head.i in memo:
            return memo[head.i]
        restored: list[int] = []
        fronted: list[int] = []
        parent = head.head
        if shares_subject(head) and parent.i != head.i:
            inherited_restored, inherited_fronted = ClaimBuilder._coordinated_context(parent, memo)
            same_form, limit = ClaimBuilder._shared_auxiliary_limit(head, parent)
            contrast = any(
                c.dep_ == "cc" and c.lower_ in CONTRASTIVE_COORDINATORS and parent.i < c.i < head.i
                for c in parent.children
            )
            subjects = [c for c in parent.children if c.dep_ in SUBJECT_DEPS]
            subject_start = min((c.left_edge.i for c in subjects), default=parent.i)
            subject_end = max((c.right_edge.i for c in subjects), default=-1)
            fronted.extend(inherited_fronted)
            if same_form:
                restored.extend(inherited_restored)
            for child in parent.lefts:
                if child.dep_ in SUBJECT_DEPS:
                    continue
                if child.i > subject_end and child.dep_ in SHARED_PREVERBAL_DEPS:
                    if same_form and child.i < limit and not (contrast and child.dep_ == "neg"):
                        restored.extend(t.i for t in child.subtree)
                elif child.i < subject_start and child.dep_ in SHARED_FRONTED_DEPS:
                    fronted.extend(t.i for t in child.subtree)
        memo[head.i] = (sorted(set(restored)), sorted(set(fronted)))
        return memo[head.i]

    @staticmethod
    def _shared_auxiliary_limit(head: Token, parent: Token) -> tuple[bool, int]:
        """Whether a conjunct shares its parent's auxiliaries, and the index they must precede.

        Without auxiliaries of its own it shares all of them if its verb form fits; with only
        non-finite ones ("or *be* cancelled") it shares those before the parent's first non-finite
        auxiliary of the same form ("*might* be delayed"); a finite or modal one of its own ("and
        *may* have left") keeps it apart.
        """
        own = [c for c in head.lefts if c.dep_ in OWN_AUXILIARY_DEPS]
        if not own:
            return same_verb_form(head, parent), parent.i
        if own[0].tag_ not in NONFINITE_TAGS:
            return False, parent.i
        matching = [c for c in parent.lefts if c.dep_ in OWN_AUXILIARY_DEPS and c.tag_ in NONFINITE_TAGS]
        if matching and matching[0].tag_ == own[0].tag_:
            return True, matching[0].i
        return False, parent.i

    @staticmethod
    def _conditioned(clause: Token, owner: dict[int, int]) -> set[int | None]:
        """The clause heads a conditional clause scopes over: the one it hangs on and, when it
        comes first, that one's conjoined clauses ("If rates rise, [prices will fall] and [shops
        will close]")."""
        governor = clause.head
        found = {owner.get(governor.i)}
        if clause.i < governor.i:
            found.update(owner.get(t.i) for t in governor.subtree if t.dep_ == "conj" and t.head.i == governor.i)
        return found

    @staticmethod
    def _scoped_cues(
        head: Token, claim_frames: list[int], cues: list[Span], cue_owners: list[tuple[int, set[int], bool]],
        shared: set[int], governed: dict[int, set[int | None]],
    ) -> list[list]:
        scoped = []
        frames = set(claim_frames)
        for index, owners, modifying in cue_owners:
            if head.i in owners:
                scoped.append([index, "modifier" if modifying else "clause"])
            elif shared and any(i in shared for i in range(cues[index].start, cues[index].end)):
                scoped.append([index, "clause"])
            elif owners & frames:
                scoped.append([index, "frame"])
            else:
                # A condition reaches the clauses its conditional clause governs; a question mark
                # the whole sentence.
                cue = cues[index]
                if (head.i in governed.get(index, ()) if cue.label_ in SENTENCE_SCOPE_KINDS
                        else cue._.claimx_cue_type in SENTENCE_SCOPE_TYPES):
                    scoped.append([index, "sentence"])
        return scoped

    def _subject(self, head: Token, owner: dict[int, int]) -> list[int] | None:
        node = head
        while True:
            subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
            if subjects:
                return _phrase(subjects[0])
            stray = stray_subject(node)
            if stray is not None:
                return _phrase(stray)
            if node.dep_ in ("conj", "xcomp") and node.head.i != node.i:
                node = node.head
                continue
            return None

    @staticmethod
    def _predicate(head: Token) -> list[int]:
        parts = [head] + [c for c in head.children if c.dep_ in PREDICATE_DEPS]
        return [min(t.i for t in parts), max(t.i for t in parts) + 1]

    @staticmethod
    def _object(head: Token, owner: dict[int, int]) -> list[int] | None:
        own = [child for child in head.children if owner.get(child.i) == head.i]  # walk the children once
        for dep in OBJECT_DEPS:
            for child in own:
                if child.dep_ == dep:
                    return _phrase(child, restrict_to=head.i, owner=owner)
        return None


def _within(indices: list[int], sentence: Span) -> list[int]:
    """The sorted token indices that fall inside a sentence (by bisection: linear over the doc)."""
    return indices[bisect_left(indices, sentence.start) : bisect_left(indices, sentence.end)]


def _phrase(token: Token, restrict_to: int | None = None, owner: dict[int, int] | None = None) -> list[int] | None:
    """Token bounds of a phrase's subtree, without edge punctuation."""
    indices = [
        t.i for t in token.subtree
        if not (t.is_space or t.is_punct) and (owner is None or owner.get(t.i) == restrict_to)
    ]
    if not indices:
        return None
    return [min(indices), max(indices) + 1]


@Language.factory(
    "claimx_claims",
    assigns=["doc.spans"],
    requires=["token.dep", "token.is_sent_start", "doc.spans"],
    default_config={"cues_key": CUES_KEY, "claims_key": CLAIMS_KEY},
)
def make_claims(nlp: Language, name: str, cues_key: str, claims_key: str) -> ClaimBuilder:
    """Proposition splitting and cue scope; add it after "claimx_cues"."""
    return ClaimBuilder(cues_key=cues_key, claims_key=claims_key)
