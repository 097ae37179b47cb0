"""`claimx_attribution`: who makes each claim, how it is attributed, and the article's speakers.

A claim is attributed when it is (1) the content of a reporting frame from the reporting lexicon
("officials *said* X", "X, she *argued*", "the report *found* X", "his *view* is that X"): the
source is the frame's subject (or agent, or, for "..., *saying* X", the subject of the clause the
participle hangs on); (2) inside a direct quotation: the source is the quotation's speaker, found
at a frame in or next to the quotation, before it ("X said: '...'"), after it ("'...,' X said"),
in the middle, in a preceding "She said:" sentence, or at another quotation of the same paragraph;
(3) in a sentence with "according to X", in any position. A quotation that no frame holds
("called the plan 'a disgrace'") stays the writer's; so do first-person sentences outside quotes.

Each source keeps what the text says (`text`, `start`, `end`) and adds what it means: the name a
pronoun or role noun was resolved to by `claimx_coreference`, the article speaker it belongs to,
how it is attributed (direct_quote, indirect_speech, according_to, belief), the cue and the kind of
source (person, organisation, anonymous, document, unresolved, other). `doc._.claimx_speakers`
lists the article's speakers, one id each, with every mention that names them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

import numpy as np
from spacy.attrs import IS_SPACE, LEMMA, LOWER, ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimx.components.claims import SUBJECT_DEPS
from claimx.extensions import CLAIMS_KEY
from claimx.quotations import Quotation, quote_regions
from claimx.reporting import CarriesReportingLexicon, ReportingLexicon, default_reporting, load_reporting
from claimx.token_ids import array_ids

__all__ = ["AttributionResolver", "quote_regions", "source_type"]

FIRST_PERSON = frozenset({"i", "we"})
IMPERSONAL_SUBJECTS = frozenset({"it", "there", "this", "that", "which", "what", "who"})
AUTHOR = {"kind": "author", "text": None, "start": None, "end": None}
# Relations by which a frame's content hangs on a reporting verb ("said [that X]", "called [for X]").
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "dobj", "prep", "pcomp", "pobj", "oprd", "acomp"})
# Relations by which a trailing or inserted frame hangs on its content ("[X], officials said").
REVERSE_DEPS = frozenset({"parataxis", "ccomp", "advcl"})
# A frame with no subject of its own borrows its governor's ("..., saying X", "went on to say").
BORROWING_DEPS = frozenset({"advcl", "xcomp", "conj", "acl", "pcomp", "ccomp"})
NOUN_FRAME_DEPS = frozenset({"acl", "ccomp", "relcl", "attr", "appos"})
HOW_LABELS = {"speech": "indirect_speech", "stance": "indirect_speech", "finding": "indirect_speech", "belief": "belief",
              "according_to": "according_to"}
MAX_CLIMB = 8
MAX_LABEL_TOKENS = 5  # "JAKE TAPPER:", "OK Gov Fallin:"
NAME_MARKS = frozenset({".", "-", "'", "’"})
ADDRESSEE_VERBS = frozenset({"tell", "ask", "urge", "remind", "warn", "assure", "inform", "notify", "advise"})
PRONOUN_TYPES = frozenset({"he", "she", "they", "it", "i", "we", "you"})
_VERB_POS = array_ids(("VERB", "AUX"))
_NOUN_POS = array_ids(("NOUN",))[0]
_COLON = array_ids((":",))[0]


def _trimmed(tokens: Iterable[Token]) -> tuple[int, int] | None:
    kept = [t.i for t in tokens if not (t.is_punct or t.is_space)]
    return (min(kept), max(kept) + 1) if kept else None


def _subject_span(verb: Token, speech: bool = False) -> tuple[int, int] | None:
    """The subject of a frame (or the agent of a passive one), as a token range. `speech` frames
    also take "it" ("It added, ...": a company or a statement) and an inverted subject the parser
    hung as an object ("'...,' added a South Carolina Democrat")."""
    # A passive frame's subject is who was addressed or criticised; its speaker is the agent.
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if not subjects:
        subjects = [gc for c in verb.children if c.dep_ == "agent" for gc in c.children if gc.dep_ == "pobj"]
    after_quote = verb.i > 1 and (verb.nbor(-1).is_quote or verb.nbor(-1).is_punct and verb.nbor(-2).is_quote)
    # Who was addressed follows a participle ("..., telling reporters"); a finite verb with no subject
    # right after the quotation is inverted ("'Is it over?' asked Mr. Manafort").
    if not subjects and speech and after_quote and (verb.tag_ in ("VBD", "VBZ", "VBP") or verb.lemma_ not in ADDRESSEE_VERBS):
        subjects = [c for c in verb.rights if c.dep_ in ("dobj", "attr", "npadvmod", "oprd") and c.pos_ in ("NOUN", "PROPN")]
    if not subjects:
        return None
    subject = subjects[0]
    if _relative_antecedent(subject) is not None:
        return subject.i, subject.i + 1  # "experts who say X": "who", resolved to the experts
    if (subject.lower_ in IMPERSONAL_SUBJECTS and subject.i not in (verb.doc._.claimx_antecedents or {})
            and not (speech and subject.lower_ == "it")):
        return None
    return _noun_phrase(subject)


def _relative_antecedent(token: Token) -> Token | None:
    """The noun a relative pronoun stands for ("experts [who] say", "the report, [which] found"),
    when the pronoun is the subject of its relative clause."""
    if token.tag_ in ("WP", "WDT") and token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "relcl":
        noun = token.head.head
        while noun.dep_ == "conj" and noun.head.i < noun.i:
            noun = noun.head  # "Bush and Christie, who say": both
        if noun.pos_ in ("NOUN", "PROPN") or noun.lower_ in PRONOUN_TYPES:
            return noun
    return None


def _relative_clause(clause: Token) -> bool:
    """A relative clause proper, with a relative pronoun ("his comments, which included X"): it
    describes the noun and is not its content, as "the claim that X" is (which the parser may also
    call a relative clause)."""
    return clause.dep_ == "relcl" and any(c.tag_ in ("WDT", "WP") for c in clause.children)


def _noun_phrase(head: Token) -> tuple[int, int] | None:
    """A speaker's noun phrase up to its first relative clause: "officials, who asked not to be
    named," -> "officials"; "the trade ministry, which said ..." -> "the trade ministry"."""
    clauses = [t.left_edge.i for t in head.subtree if t.dep_ in ("relcl", "acl") and t.i > head.i]
    cut = min(clauses, default=head.right_edge.i + 1)
    return _trimmed(t for t in head.subtree if t.i < cut)


def _finite(clause: Token) -> bool:
    """A clause that states something: it has a subject or opens with "that"/"whether"
    ("found that X rose"), unlike a small clause ("may find itself carrying debt")."""
    return any(c.dep_ in SUBJECT_DEPS and not c.lower_.endswith(("self", "selves")) or c.dep_ == "mark"
               for c in clause.children)


class AttributionResolver(CarriesReportingLexicon):
    """Sets `claim._.claimx_source` on every claim span and `doc._.claimx_speakers`."""

    def __init__(self, claims_key: str = CLAIMS_KEY, lexicon: ReportingLexicon | None = None) -> None:
        self.claims_key = claims_key
        self.lexicon = lexicon if lexicon is not None else default_reporting()
        self._frame_cache: tuple[int, np.ndarray, np.ndarray] | None = None

    # -- frames -------------------------------------------------------------------------------

    def _frame_how(self, token: Token) -> str | None:
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX"):
            return self.lexicon.verbs.get(lemma)
        if token.pos_ == "NOUN":
            return self.lexicon.nouns.get(lemma)
        return None

    def _speaker_of_frame(self, frame: Token) -> tuple[int, int] | None:
        """Who speaks in a frame: its subject; a noun's possessor ("Clinton's claim"); else the
        subject of the clause a subject-less frame hangs on ("..., saying X")."""
        if frame.pos_ == "NOUN":
            owners = [c for c in frame.children if c.dep_ == "poss"]
            if owners:
                return _trimmed(owners[0].subtree)
            by = [gc for c in frame.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
                  for gc in c.children if gc.dep_ == "pobj" and (gc.ent_type_ in ("PERSON", "ORG") or gc.pos_ == "PROPN")]
            if by:
                return _trimmed(by[0].subtree)
            if frame.dep_ in SUBJECT_DEPS:  # "his view is that X" without a possessor: no speaker
                return None
            frame = frame.head
        node = frame
        for _ in range(3):
            span = _subject_span(node, speech=self._frame_how(frame) == "speech")
            if span is not None:
                if frame.lemma_.lower() in self.lexicon.animate and not self._animate(frame.doc[span[0]:span[1]]):
                    return None
                return span
            if node.dep_ not in BORROWING_DEPS or node.head.i == node.i:
                return None
            node = node.head
        return None

    def _animate(self, span: Span) -> bool:
        """A person or group: a name, a personal pronoun, a role or anonymous-source noun."""
        head = span.root
        if head.ent_type_ in ("PERSON", "ORG", "NORP") or head.lower_ in ("he", "she", "they", "i", "we", "you"):
            return True
        if head.i in (span.doc._.claimx_antecedents or {}):
            return True  # "it" resolved to an organisation
        lemma = head.lemma_.lower()
        return lemma in self.lexicon.roles or self.lexicon.source_nouns.get(lemma) == "anonymous"

    def _frame_of(self, head: Token, own: set[int]) -> tuple[Token, tuple[int, int]] | None:
        """The reporting frame whose content holds the claim's head, with its speaker: the
        outermost one ("Sanders said he suspects X" is Sanders's claim; one level, as a reader
        attributes it)."""
        found: tuple[Token, tuple[int, int]] | None = None
        if (head.dep_ in ("parataxis", "advcl") and self._frame_how(head) and any(c.dep_ in SUBJECT_DEPS for c in head.children)
                and not any(c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis") for c in head.children)):
            return None  # "Mr. Taylor warned," / "she said": a frame clause, not the content
        node = head
        for _ in range(MAX_CLIMB):
            # A frame trailing or inserted in the clause: "[X], officials said", "[X], he said, [Y]",
            # "As the paper noted, [X]".
            for child in node.children:
                if (child.dep_ in REVERSE_DEPS and child.i != head.i and child.i not in own
                        and self._frame_how(child) and any(c.dep_ in SUBJECT_DEPS for c in child.children)
                        # An object is the frame's own content, unless it is who was told ("Trump told CNN,").
                        and not any(c.dep_ == "ccomp" or c.dep_ == "dobj" and child.lemma_ not in ADDRESSEE_VERBS
                                    or c.dep_ == "mark" and c.lower_ != "as" for c in child.children)):
                    speaker = self._speaker_of_frame(child)
                    if speaker is not None:
                        found = child, speaker
                        break
            parent = node.head
            if parent.i == node.i:
                return found
            if self._frame_how(parent) and (node.dep_ in CONTENT_DEPS or parent.pos_ == "NOUN" and node.dep_ in NOUN_FRAME_DEPS
                                            and not _relative_clause(node)):
                speaker = self._speaker_of_frame(parent)
                if speaker is not None and not speaker[0] <= head.i < speaker[1]:
                    found = parent, speaker
            elif node.dep_ in SUBJECT_DEPS and self._frame_how(parent):
                return found  # the claim is a frame's subject, not its content
            # "his view is that X": a reporting noun as the subject of the copula above the content.
            elif parent.lemma_ == "be" and node.dep_ in ("ccomp", "attr"):
                nouns = [c for c in parent.children if c.dep_ in SUBJECT_DEPS and self._frame_how(c)]
                speaker = self._speaker_of_frame(nouns[0]) if nouns else None
                if speaker is not None:
                    found = nouns[0], speaker
            node = parent
        return found

    def _frame_words(self, doc: Doc) -> np.ndarray:
        """Which tokens are reporting verbs or nouns, for the whole doc at once (numpy)."""
        if self._frame_cache is None or self._frame_cache[0] != id(self.lexicon):
            def ids(words: Iterable[str]) -> np.ndarray:
                return array_ids(tuple(v for w in words for v in (w, w.capitalize())))
            self._frame_cache = (id(self.lexicon), ids(self.lexicon.verbs), ids(self.lexicon.nouns))
        _, verbs, nouns = self._frame_cache
        table = doc.to_array([LEMMA, POS])
        return (np.isin(table[:, 0], verbs) & np.isin(table[:, 1], _VERB_POS)
                | np.isin(table[:, 0], nouns) & (table[:, 1] == _NOUN_POS))

    def _own_frame(
        self, head: Token, own: set[int], region_of: list[int], frame_words: np.ndarray
    ) -> tuple[Token, tuple[int, int]] | None:
        """A claim that is mostly the content of a report inside it: "the candidate boasted that
        X", "'...,' Trump asked", "Obama described the attack as '...'", "stiffened their
        denunciation, saying that X". A quotation held only by a stance verb ("called the plan 'a
        disgrace'") stays the writer's."""
        words = {i for i in own if not (head.doc[i].is_punct or head.doc[i].is_space)}
        for index in sorted((i for i in own if frame_words[i]), key=lambda i: (i != head.i, i)):
            verb = head.doc[index]
            how = self._frame_how(verb)
            if verb.pos_ != "VERB" or not how or how == "according_to" or verb.dep_ == "relcl" and verb.i != head.i:
                continue  # "Bush, who says X, attacked him": the report describes the subject
            contents = [
                child for child in verb.children
                if child.dep_ in ("ccomp", "parataxis") and child.pos_ in ("VERB", "AUX") and _finite(child)
                or how == "speech" and child.dep_ == "xcomp"
                or how == "speech" and child.dep_ not in SUBJECT_DEPS and child.dep_ != "punct"
                and any(region_of[t.i] >= 0 for t in child.subtree)
            ]
            # Words, not marks: "'Not even one,' he said" is three words of quotation in five.
            inside = sum(1 for child in contents for t in child.subtree if t.i in words)
            if not contents or 2 * inside < len(words):
                continue
            speaker = self._speaker_of_frame(verb)
            if speaker is not None:
                return verb, speaker
        return None

    def _colon_speaker(self, doc: Doc, start: int, labels_seen: dict[str, int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """(colon, label) of a paragraph that opens with a speaker's label: a headline's
        "Clinton: Time for a new strategy" or "Poll: Races are tight", a transcript's "TAPPER: ..."."""
        for index in range(start, min(start + MAX_LABEL_TOKENS + 1, len(doc))):
            token = doc[index]
            if token.text == ":" and index > start:
                label = doc[start:index]
                # A headline's document label is bare ("Poll:", "WSJ editorial:"); "The result:" is the writer's.
                named = any(t.ent_type_ in ("PERSON", "ORG", "NORP") for t in label) or (
                    len(label) <= 3 and self.lexicon.source_nouns.get(label[-1].lemma_.lower()) == "document"
                    and not any(t.pos_ == "DET" for t in label))
                # A transcript's speaker label is in capitals and comes back paragraph after paragraph.
                # ("Q:" and "A:" too: an interview's labels are single letters). In an article with
                # three or more such paragraphs, a transcript, a label used once counts too
                # ("JOEL BENENSON:" before "BENENSON:").
                transcript = label.text.isupper() and (labels_seen.get(label.text, 0) > 1 or label.text in labels_seen
                                                       and sum(labels_seen.values()) > 2)
                if named or transcript:
                    return (index, index + 1), (start, index)
                return None
            # Names may hold a full stop, a hyphen or an apostrophe ("Alex Seitz-Wald", "O'Malley").
            if token.is_space or token.pos_ in ("VERB", "AUX") or token.is_punct and token.text not in NAME_MARKS:
                return None
        return None

    def _introduced(self, doc: Doc, sentence: Span, paragraph: int, region_of: list[int]) -> dict | None:
        """The speaker of a sentence that ends with a colon just before this one ("He put it this
        way:", "The statement reads as follows:"), or before this paragraph when that sentence
        closed the previous one."""
        start = sentence.start if sentence.start != paragraph else paragraph
        before = start - 1
        while before >= 0 and doc[before].is_space:
            before -= 1
        if before < 0 or doc[before].text != ":" or (sentence.start != paragraph and before + 1 != sentence.start):
            return None
        for verb in doc[before].sent:
            if region_of[verb.i] < 0 and self._introduces(verb):
                speaker = self._speaker_of_frame(verb)
                if speaker is not None:
                    return self._source(doc, speaker, (verb.i, verb.i + 1), "speech", False)
        return None

    def _bare_speech(self, verb: Token) -> bool:
        """A speech verb that reports nothing in its own sentence ("Pence said at a town hall.")."""
        return self._frame_how(verb) == "speech" and not any(
            child.dep_ in ("ccomp", "xcomp", "dobj", "parataxis", "dative") for child in verb.children)

    def _introduces(self, verb: Token) -> bool:
        """A verb that can introduce quoted words: "He said:", or one that issues a reporting
        noun ("released the following statement:")."""
        return verb.pos_ == "VERB" and bool(self._frame_how(verb) or any(
            child.dep_ == "dobj" and child.pos_ == "NOUN" and self._frame_how(child) for child in verb.children))

    @staticmethod
    def _capital_labels(doc: Doc, paragraph_starts: list[int]) -> dict[str, int]:
        """How many paragraphs open with each capitalised "LABEL:" (transcripts repeat them)."""
        seen: dict[str, int] = {}
        colons = np.flatnonzero(doc.to_array(ORTH) == _COLON).tolist()
        for start in paragraph_starts:
            # The first colon among the paragraph's first words; one that opens it is no label.
            next_colon = bisect_left(colons, start)
            colon = colons[next_colon] if next_colon < len(colons) else len(doc)
            if start < colon <= start + MAX_LABEL_TOKENS:
                label = doc[start:colon].text
                if label.isupper():
                    seen[label] = seen.get(label, 0) + 1
        return seen

    def _according_to(self, sentence: Span, first_words: list[int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """(cue tokens, source tokens) of "according to X" anywhere in the sentence;
        `first_words` are the doc's tokens that begin such a phrase."""
        doc = sentence.doc
        for phrase, how in self.lexicon.phrases.items():
            if how != "according_to":
                continue
            words = len(phrase)
            for index in first_words[bisect_left(first_words, sentence.start) : bisect_left(first_words, sentence.end)]:
                token = doc[index]
                if token.lower_ != phrase[0] or token.i + words > sentence.end:
                    continue
                if tuple(t.lower_ for t in token.doc[token.i : token.i + words]) != phrase:
                    continue
                last = token.doc[token.i + words - 1]
                objects = [t for t in last.children if t.dep_ == "pobj"]
                span = _noun_phrase(objects[0]) if objects else None
                if span is None and token.i + words < sentence.end:
                    span = _trimmed(t for t in token.doc[token.i + words : sentence.end] if t.dep_ != "punct")
                    span = (span[0], min(span[1], span[0] + 8)) if span else None
                if span is not None:
                    return (token.i, token.i + words), span
        return None

    # -- the pass over a doc ------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        claims = list(doc.spans.get(self.claims_key, []))
        regions = quote_regions(doc)
        region_of = self._region_index(doc, regions)
        found: list[dict | None] = []
        claim_regions = [self._claim_region(claim, region_of) for claim in claims]
        frame_words: np.ndarray | None = None
        for claim, region in zip(claims, claim_regions):
            head = doc[claim._.claimx_head]
            own = set(claim._.claimx_tokens or range(claim.start, claim.end))
            frame = self._frame_of(head, own)
            if frame is None:
                if frame_words is None:
                    frame_words = self._frame_words(doc)
                frame = self._own_frame(head, own, region_of, frame_words)
            if frame is not None and (region is None or not regions[region].start <= frame[0].i < regions[region].end
                                      or doc[frame[1][0]].lower_ not in FIRST_PERSON):
                verb, speaker = frame
                how = HOW_LABELS[self._frame_how(verb) or "speech"]
                found.append(self._source(doc, speaker, (verb.i, verb.i + 1), how, region is not None))
                continue
            found.append(None)
        speakers = self._quotation_speakers(doc, claim_regions, regions, region_of, found)
        # Paragraphs start after line-break whitespace tokens (found with numpy, not a token loop).
        paragraph_starts = [0, *(i + 1 for i in np.flatnonzero(doc.to_array(IS_SPACE)).tolist()
                                 if "\n" in doc[i].text)]
        self._carry_speakers(doc, claims, regions, found, speakers, paragraph_starts)
        according: dict[int, tuple | None] = {}
        labels: dict[int, tuple | None] = {}
        labels_seen: dict[str, int] | None = None
        introduced: dict[int, dict | None] = {}  # by sentence start: a sentence right after a colon
        blocks: dict[int, dict | None] = {}      # by paragraph start: a paragraph after one ending in a colon
        phrase_starts: list[int] | None = None

        def paragraph_speaker(claim: Span, paragraph: int) -> dict | None:
            """Who speaks for the claim's whole paragraph: its speaker label ("TAPPER: ...", which
            speaks for what follows it, though the parser may make the label the claim's head), or
            the frame of a paragraph ending in a colon just before it ("Wallnau wrote:" over an
            unquoted block quotation)."""
            nonlocal labels_seen
            if paragraph not in labels:
                if labels_seen is None:
                    labels_seen = self._capital_labels(doc, paragraph_starts)
                labels[paragraph] = self._colon_speaker(doc, paragraph, labels_seen)
            colon = labels[paragraph]
            if colon is not None and claim.end > colon[0][1]:
                return self._source(doc, colon[1], colon[0], "speech", False)
            if paragraph not in blocks:
                blocks[paragraph] = (self._introduced(doc, doc[paragraph].sent, paragraph, region_of)
                                     if paragraph < len(doc) else None)
            return None if blocks[paragraph] is None else dict(blocks[paragraph])

        def asks(claim: Span) -> bool:
            sentence = doc[claim._.claimx_head].sent
            return sentence.text.rstrip().rstrip("\"'”’").endswith("?")

        for number, (claim, region) in enumerate(zip(claims, claim_regions)):
            source = found[number]
            paragraph = paragraph_starts[bisect_right(paragraph_starts, claim.start) - 1]
            if region is not None and speakers.get(region) is not None:
                source = dict(speakers[region])
            if source is not None and region is None and (
                    source["_first_person"] or source["text"].lower() == "you" and asks(claim)):
                # "CLINTON: I think X", "TAPPER: Do you think X?": the paragraph's speaker thinks or asks.
                source = paragraph_speaker(claim, paragraph) or source
            if source is None:
                sentence = doc[claim._.claimx_head].sent
                if sentence.start not in according:
                    if phrase_starts is None:
                        firsts = array_ids(tuple({p[0] for p, how in self.lexicon.phrases.items() if how == "according_to"}))
                        phrase_starts = np.flatnonzero(np.isin(doc.to_array(LOWER), firsts)).tolist()
                    according[sentence.start] = self._according_to(sentence, phrase_starts)
                hit = according[sentence.start]
                if hit is not None:
                    source = self._source(doc, hit[1], hit[0], "according_to", False)
                else:
                    source = paragraph_speaker(claim, paragraph)
                    if source is None and sentence.start != paragraph:
                        # A sentence right after a colon inside the paragraph ("He put it this way: X").
                        if sentence.start not in introduced:
                            introduced[sentence.start] = self._introduced(doc, sentence, paragraph, region_of)
                        source = None if introduced[sentence.start] is None else dict(introduced[sentence.start])
            if source is not None and source["_first_person"] and region is None:
                source = None  # "I think X" outside quotes: the writer's own claim
            claim._.claimx_source = dict(AUTHOR) if source is None else source
        self._name_speakers(doc, claims)
        return doc

    @staticmethod
    def _region_index(doc: Doc, regions: list[Quotation]) -> list[int]:
        index = [-1] * len(doc)
        for number, (start, end, _) in enumerate(regions):
            index[start:end] = [number] * (end - start)
        return index

    @staticmethod
    def _claim_region(claim: Span, region_of: list[int]) -> int | None:
        """The quotation holding the claim's head and most of its tokens."""
        region = region_of[claim._.claimx_head]
        if region < 0:
            return None
        tokens = claim._.claimx_tokens or range(claim.start, claim.end)
        inside = sum(1 for i in tokens if region_of[i] == region)
        return region if 2 * inside >= len(tokens) else None

    def _source(self, doc: Doc, speaker: tuple[int, int], cue: tuple[int, int], how: str, quoted: bool) -> dict:
        span = doc[speaker[0] : speaker[1]]
        cue_span = doc[cue[0] : cue[1]]
        return {
            "kind": "speaker", "text": span.text, "start": span.start_char, "end": span.end_char,
            "how": "direct_quote" if quoted else how,
            "cue": [cue_span.start_char, cue_span.end_char], "tokens": list(speaker),
            "_first_person": span.text.lower() in FIRST_PERSON,
        }

    def _quotation_speakers(
        self, doc: Doc, claim_regions: list[int | None], regions: list[Quotation], region_of: list[int],
        found: list[dict | None],
    ) -> dict[int, dict | None]:
        """Each quotation's speaker: a frame outside it that holds one of its claims, a frame in
        the sentences it touches, a "She said:" sentence before it, else the paragraph's other
        quotations."""
        speakers: dict[int, dict | None] = {}
        for region, source in zip(claim_regions, found):
            if region is None or source is None or region in speakers:
                continue
            cue = doc.char_span(*source["cue"], alignment_mode="expand")
            if cue is not None and region_of[cue.start] < 0 and not source["_first_person"]:
                speakers[region] = {**source, "how": "direct_quote"}
        for number, (start, end, _) in enumerate(regions):
            if number in speakers:
                continue
            speakers[number] = self._frame_near(doc, start, end, region_of)
        for number, (start, end, paragraph) in enumerate(regions):
            if speakers.get(number) is not None or end - start <= 4:
                continue
            nearby = [r for r, s in speakers.items() if s is not None and regions[r].paragraph == paragraph
                      and r != number]
            if nearby:
                speakers[number] = speakers[min(nearby, key=lambda r: (abs(r - number), r > number))]
            elif self._opens_paragraph(doc, start):
                # A paragraph that is all quotation goes on with the previous paragraph's speaker.
                earlier = [r for r in range(number - 1, -1, -1)
                           if regions[r].paragraph == paragraph - 1 and speakers.get(r) is not None]
                if earlier:
                    speakers[number] = speakers[earlier[0]]
        return speakers

    @staticmethod
    def _carry_speakers(
        doc: Doc, claims: list[Span], regions: list[Quotation], found: list[dict | None], speakers: dict[int, dict | None],
        paragraph_starts: list[int],
    ) -> None:
        """A quotation of a sentence or more that nothing attributes goes to the latest speaker of
        the two paragraphs before it: newspapers name a speaker once and quote on."""
        if not any(s is None for s in speakers.values()):
            return
        def paragraph_of(index: int) -> int:
            return bisect_right(paragraph_starts, index)

        events: list[tuple[int, dict]] = [
            (doc[claim._.claimx_head].i, source) for claim, source in zip(claims, found)
            if source is not None and not source["_first_person"]
        ]
        events.extend((regions[r].start, s) for r, s in speakers.items() if s is not None)
        events.sort(key=lambda item: item[0])
        positions = [index for index, _ in events]
        for number, (start, end, _) in enumerate(regions):
            if speakers.get(number) is not None or end - start < 8:
                continue
            before = bisect_right(positions, start) - 1
            if before >= 0 and paragraph_of(start) - paragraph_of(positions[before]) <= 1:
                speakers[number] = {**events[before][1], "how": "direct_quote"}

    @staticmethod
    def _opens_paragraph(doc: Doc, start: int) -> bool:
        return start == 0 or doc[start - 1].is_space and "\n" in doc[start - 1].text

    def _frame_near(self, doc: Doc, start: int, end: int, region_of: list[int]) -> dict | None:
        """A reporting frame outside the quotation in the sentences it opens and closes in, or a
        sentence just before it that introduces it ("She said:")."""
        if end - start <= 3:
            return None  # a quoted word or two ("a 'disgrace'") is the writer's, unless a frame holds it
        labelled = self._name_label(doc, start)
        if labelled is not None:
            return labelled
        first, last = doc[start].sent, doc[end - 1].sent
        candidates: list[Token] = []
        for sentence in (last, first) if first.start != last.start else (first,):
            candidates.extend(t for t in sentence if region_of[t.i] < 0 and self._frame_how(t) == "speech"
                              and t.pos_ == "VERB")
        before = doc[first.start - 1].sent if first.start > 0 else None
        # "She said:" / "Howard continued his remarks." just before the quotation introduces it, and
        # so does a speech frame with no content of its own ("Pence said at a town hall. '...'").
        if before is not None and (before.text.rstrip().endswith((":", ",")) or (
                self._opens_paragraph(doc, start) or self._bare_speech(before.root))
                and self._frame_how(before.root) and before.root.pos_ == "VERB"):
            candidates.extend(t for t in before if region_of[t.i] < 0 and self._introduces(t))
        for verb in sorted(candidates, key=lambda t: min(abs(t.i - start), abs(t.i - end))):
            speaker = self._speaker_of_frame(verb)
            if speaker is not None and region_of[speaker[0]] < 0:
                return {**self._source(doc, speaker, (verb.i, verb.i + 1), "direct_quote", True)}
        return None

    def _name_label(self, doc: Doc, start: int) -> dict | None:
        """A quotation right after a name and a colon on the same line: a digest's "Pollsters agree -
        Carl Bialik: '...'", "More from the report: '...'". The name (a person or organisation the
        NER found) or the document is the speaker."""
        colon = start - 1
        while colon >= 0 and doc[colon].is_space and "\n" not in doc[colon].text:
            colon -= 1
        if colon < 1 or not doc[colon].text.endswith(":"):
            return None  # a colon that ends the paragraph before introduces a speaker's words instead
        last = doc[colon - 1] if doc[colon].text == ":" else doc[colon]
        if last.text.startswith(")"):  # "Rep. Trey Gowdy (R-S.C.):", where "):" may be one token
            opening = next((doc[i] for i in range(last.i - 1, max(-1, last.i - 9), -1) if doc[i].text == "("), None)
            if opening is None or opening.i == 0:
                return None
            last = doc[opening.i - 1]
        if self.lexicon.source_nouns.get(last.lemma_.lower()) == "document" and last.pos_ == "NOUN":
            span = _noun_phrase(last)  # "More from the report: '...'"
            return None if span is None else self._source(doc, span, (colon, colon + 1), "direct_quote", True)
        if last.ent_type_ not in ("PERSON", "ORG"):
            return None
        first = last
        while first.i > 0 and first.ent_iob_ == "I":
            first = doc[first.i - 1]
        return self._source(doc, (first.i, last.i + 1), (colon, colon + 1), "direct_quote", True)

    # -- speakers ---------------------------------------------------------------------------

    def _name_speakers(self, doc: Doc, claims: list[Span]) -> None:
        """Resolve each source's words to a named entity, give every speaker an id, list them."""
        antecedents = doc._.claimx_antecedents or {}
        entity_of = doc._.claimx_entities_of or {}
        entities = doc._.claimx_named_entities or []
        speakers: list[dict] = []
        by_key: dict[object, dict] = {}
        for claim in claims:
            source = claim._.claimx_source
            if source.get("kind") != "speaker":
                continue
            start, end = source.pop("tokens")
            source.pop("_first_person", None)
            span = doc[start:end]
            head = span.root
            # The speaker is the head's entity, or its apposition's ("the shadow minister, Alan Duncan"),
            # not a name inside a modifier ("a report by the Institute" is a document).
            relative = _relative_antecedent(head) if end - start == 1 else None
            if relative is not None:
                head = relative  # "who" speaks for the noun it relates to
            named = [head.i, *(c.i for c in head.children if c.dep_ == "appos" and c.i < end)]
            several = relative is not None and any(c.dep_ == "conj" for c in head.children)
            # Two or more people ("Bush and Christie, who say") are no one entity.
            entity = None if several else next((entity_of[i] for i in named if i in entity_of), None)
            if entity is None and head.pos_ == "PROPN" and not several:
                # A surname the NER missed ("Tolland later conceded") is the person of that surname.
                entity = next((number for number, e in enumerate(entities) if e["kind"] == "person"
                               and doc[e["name"][1] - 1].lower_ == head.lower_), None)
            resolved = antecedents.get(head.i)
            if relative is not None:
                resolved = resolved or _noun_phrase(relative)
            elif resolved is None and head.i not in entity_of:
                resolved = next((antecedents[i] for i in range(start, end) if i in antecedents), None)
            resolved_span = doc[resolved[0] : resolved[1]] if resolved else None
            meant = resolved_span if resolved_span is not None and entity is None else span
            kind = source_type(meant, entities[entity]["kind"] if entity is not None else None,
                               resolved_span, self.lexicon)
            key: object = ("entity", entity) if entity is not None else ("text", meant.text.lower())
            speaker = by_key.get(key)
            if speaker is None:
                if entity is not None:
                    name_start, name_end = entities[entity]["name"]
                    name = doc[name_start:name_end].text
                else:
                    name = resolved_span.text if resolved_span is not None else span.text
                speaker = {"id": f"s{len(speakers) + 1}", "name": name, "type": kind, "mentions": []}
                speakers.append(speaker)
                by_key[key] = speaker
            mention = [span.start_char, span.end_char]
            if mention not in speaker["mentions"]:
                speaker["mentions"].append(mention)
            source.update(
                speaker=speaker["id"], name=speaker["name"], type=kind,
                resolved=None if resolved_span is None else {
                    "text": resolved_span.text, "start": resolved_span.start_char, "end": resolved_span.end_char},
            )
        doc._.claimx_speakers = speakers


def source_type(span: Span, entity_kind: str | None, resolved: Span | None, lexicon: ReportingLexicon) -> str:
    """What kind of source a speaker span is: person, organisation, anonymous, document,
    unresolved (a pronoun or role noun with no name found) or other."""
    if entity_kind is not None:
        return entity_kind
    head = span.root
    lemma = head.lemma_.lower()
    if head.ent_type_ in ("PERSON",):
        return "person"
    if head.ent_type_ in ("ORG", "NORP", "GPE"):
        return "organisation"
    if lemma in lexicon.source_nouns and not any(t.ent_type_ == "PERSON" for t in span):
        return lexicon.source_nouns[lemma]
    if lexicon.roles.get(lemma) == "organisation" and head.lower_ not in PRONOUN_TYPES:
        return "organisation"  # "the census bureau": an organisation even when not named
    if head.lower_ in PRONOUN_TYPES or lemma in lexicon.roles:
        return "unresolved"
    if head.pos_ == "PROPN":
        return "person"
    return "other"


@Language.factory(
    "claimx_attribution",
    assigns=["span._.claimx_source", "doc._.claimx_speakers"],
    requires=["doc.spans"],
    default_config={"claims_key": CLAIMS_KEY, "extra_lexicons": [], "cues_key": None},
)
def make_attribution(
    nlp: Language, name: str, claims_key: str, extra_lexicons: list[str], cues_key: str | None
) -> AttributionResolver:
    """Claim sources and the article's speakers; add it after "claimx_claims" and
    "claimx_coreference". (`cues_key` is accepted for configs saved by earlier versions.)"""
    return AttributionResolver(claims_key=claims_key, lexicon=load_reporting(extra_lexicons) if extra_lexicons else None)
