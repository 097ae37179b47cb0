"""`claimx_statements`: each claim as a sentence that stands alone, built only from the article's words.

A claim's text is an exact stretch of the article ("should be considered", "lead to a further
escalation"); its statement is what a careful reader would copy into a ticket: the subject a
conjoined predicate shares is restored ("The potential for a prolonged civil war … should be
considered"), and so are the auxiliaries, modal and negation it shares ("… might lead to …"); a
pronoun subject becomes its antecedent in brackets when a coreference component resolved it
("[David Miliband] is a special advisor …", from `doc._.claimx_antecedents`), and a relative
pronoun the noun it follows ("[Luis Ortega] has fished …"); reporting frames
inside the claim ("The plan, officials said, will fail") and leading connectives ("However,")
are dropped. Every piece is a stretch of the article with its role, so each word can be checked.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimx.extensions import CLAIMS_KEY

# Roles of statement pieces: the claim's own words, and words brought in from elsewhere.
# (The record lists them as claimx.schema.STATEMENT_ROLES.)
CLAIM, SUBJECT, AUXILIARY, ANTECEDENT = "claim", "subject", "auxiliary", "antecedent"
# Words that only link a sentence to the one before it; a statement read alone does without them.
CONNECTIVES = frozenset({
    "and", "but", "or", "so", "yet", "however", "moreover", "meanwhile", "nevertheless", "nonetheless",
    "furthermore", "still", "besides", "additionally", "also", "instead", "thus", "hence", "therefore",
    "consequently", "indeed", "likewise", "similarly", "otherwise", "then", "plus", "anyway",
})
CONNECTIVE_PHRASES = (
    ("in", "addition"), ("as", "a", "result"), ("on", "the", "other", "hand"), ("at", "the", "same", "time"),
    ("by", "contrast"), ("in", "contrast"), ("even", "so"), ("in", "fact"), ("after", "all"),
)
# Connectives that are also ordinary adverbs ("Then there is the money", "Still waters") are only
# dropped when a comma sets them off, or when they are coordinators.
COMMA_ONLY = frozenset({"still", "then", "also", "instead", "otherwise", "indeed", "plus"})
# Punctuation that joined a dropped frame to the claim ("The plan, officials said, will fail").
JOINING_PUNCTUATION = frozenset({",", ";", ":", "—", "–", "-", "--"})
# Subjects that give way to their antecedent: personal and relative pronouns (by tag).
RELATIVE_PRONOUN_TAGS = frozenset({"WDT", "WP"})
REPLACED_PRONOUN_TAGS = frozenset({"PRP"}) | RELATIVE_PRONOUN_TAGS


def connective_length(tokens: list[Token]) -> int:
    """How many tokens at the start of `tokens` are a linking word or phrase (with its comma)."""
    if not tokens:
        return 0
    lowered = [t.lower_ for t in tokens[:5]]
    length = 0
    for phrase in CONNECTIVE_PHRASES:
        if tuple(lowered[: len(phrase)]) == phrase and len(tokens) > len(phrase) and tokens[len(phrase)].text == ",":
            length = len(phrase)
            break
    else:
        first = tokens[0]
        if first.lower_ in CONNECTIVES and first.dep_ in ("cc", "advmod", "preconj"):
            followed_by_comma = len(tokens) > 1 and tokens[1].text == ","
            if first.lower_ in COMMA_ONLY and not followed_by_comma:
                return 0
            length = 1
    if length and len(tokens) > length and tokens[length].text == ",":
        length += 1
    return length if length < len(tokens) else 0


def _runs(indices: list[int]) -> list[list[int]]:
    """Consecutive runs of sorted token indices."""
    runs: list[list[int]] = []
    for index in indices:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def statement_pieces(claim: Span, antecedents: dict | None = None) -> list[list]:
    """The claim's statement as `[start_token, end_token, role, space_after]` pieces, in reading order."""
    doc = claim.doc
    ext = claim._
    # A frame's words go ("The plan, officials said, will fail"); the punctuation the parser hung
    # on it stays where it closes the claim's own quotation ('… "narrow and fragile."').
    dropped = {i for i in ext.claimx_frame_tokens or () if not doc[i].is_punct}
    own = [i for i in range(claim.start, claim.end) if i not in dropped]
    skip = connective_length([doc[i] for i in own])
    own = own[skip:]
    subject = ext.claimx_subject
    subject_root = doc[subject[0] : subject[1]].root.i if subject else None
    restored_subject = [i for i in range(*subject) if i < claim.start] if subject else []
    if restored_subject and _closes_parenthetical(doc, restored_subject):
        restored_subject.append(restored_subject[-1] + 1)
    restored_auxiliaries = [i for i in ext.claimx_shared_tokens or () if i < claim.start and i not in restored_subject]
    # "neither confirmed nor denied": the claim starts after the "nor" that negates it; keep it.
    if claim.start > 0 and doc[claim.start - 1].lower_ == "nor" and (restored_subject or restored_auxiliaries):
        restored_auxiliaries.append(claim.start - 1)
    antecedent = _antecedent(doc, subject_root, antecedents) or _relative_antecedent(doc, ext.claimx_head, subject_root)

    pieces: list[list] = []

    def add_run(run: list[int], role: str) -> None:
        # Trim punctuation left dangling where a frame or connective was cut out.
        while run and doc[run[0]].text in JOINING_PUNCTUATION:
            run = run[1:]
        while run and doc[run[-1]].text in JOINING_PUNCTUATION and not (role == SUBJECT and run[-1] >= subject[1]):
            run = run[:-1]
        if not run:
            return
        if antecedent is not None and subject_root in run and doc[subject_root].tag_ in REPLACED_PRONOUN_TAGS:
            # The pronoun itself gives way to its antecedent: "[David Miliband] is ...".
            before = [i for i in run if i < subject_root]
            after = [i for i in run if i > subject_root]
            if before:
                pieces.append([before[0], before[-1] + 1, role, True])
            pieces.append([antecedent[0], antecedent[1], ANTECEDENT, bool(doc[subject_root].whitespace_)])
            if after:
                pieces.append([after[0], after[-1] + 1, role, bool(doc[after[-1]].whitespace_)])
            return
        pieces.append([run[0], run[-1] + 1, role, bool(doc[run[-1]].whitespace_)])

    restored = [(run, SUBJECT) for run in _runs(restored_subject)]
    restored += [(run, AUXILIARY) for run in _runs(restored_auxiliaries)]
    for run, role in sorted(restored):
        add_run(run, role)
        if pieces:
            pieces[-1][3] = True  # restored words come before the claim's own, always spaced
    for run in _runs(own):
        add_run(run, CLAIM)
    if antecedent is not None and doc[subject_root].tag_ not in REPLACED_PRONOUN_TAGS:
        _name_role_noun(pieces, subject, antecedent)
    if pieces:
        pieces[-1][3] = False
    return pieces


def _closes_parenthetical(doc: Doc, subject: list[int]) -> bool:
    """A subject that opens an aside with a comma and is followed by the comma that closes it
    ("The potential for a civil war, with many factions involved, should be considered")."""
    following = subject[-1] + 1
    return following < len(doc) and doc[following].text == "," and any(doc[i].text == "," for i in subject)


def _antecedent(doc: Doc, subject_root: int | None, antecedents: dict | None) -> tuple[int, int] | None:
    """The token range a coreference component resolved the subject's head to, if it did."""
    if subject_root is None or not antecedents:
        return None
    found = antecedents.get(subject_root)
    if found is None:
        found = antecedents.get(str(subject_root))  # keys come back as strings from JSON
    if not found:
        return None
    start, end = int(found[0]), int(found[1])
    if not 0 <= start < end <= len(doc) or start <= subject_root < end:
        return None
    return start, end


def _relative_antecedent(doc: Doc, head: int | None, subject_root: int | None) -> tuple[int, int] | None:
    """The noun phrase a relative pronoun subject stands for: "[The State Department], which has
    observer status" — the grammar says which, no coreference needed."""
    if head is None or subject_root is None:
        return None
    clause = doc[head]
    while clause.dep_ == "conj" and clause.head.i != clause.i:  # "which rose and then fell"
        clause = clause.head
    if clause.dep_ != "relcl" or doc[subject_root].tag_ not in RELATIVE_PRONOUN_TAGS:
        return None
    noun = clause.head
    end = clause.left_edge.i
    while end > noun.left_edge.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return (noun.left_edge.i, end) if noun.left_edge.i < end else None


def _name_role_noun(pieces: list[list], subject: list[int], antecedent: tuple[int, int]) -> None:
    """"the minister" resolved to a name stays, with the name after it: "the minister [David Miliband]"."""
    subject_end = subject[1]
    for number, piece in enumerate(pieces):
        start, end, role, space_after = piece
        if start < subject_end <= end:
            named = [antecedent[0], antecedent[1], ANTECEDENT, True]
            if subject_end == end:
                piece[3] = True
                pieces.insert(number + 1, named)
            else:
                pieces[number : number + 1] = [[start, subject_end, role, True], named, [subject_end, end, role, space_after]]
            return


def statement_text(pieces: list[tuple[str, str, bool]]) -> str:
    """The statement's text from (text, role, space_after) pieces: antecedents in brackets."""
    parts = []
    for text, role, space_after in pieces:
        parts.append(f"[{text}]" if role == ANTECEDENT else text)
        parts.append(" " if space_after else "")
    return "".join(parts).strip()


class StatementBuilder:
    """Sets `span._.claimx_statement` on every claim."""

    def __init__(self, claims_key: str = CLAIMS_KEY) -> None:
        self.claims_key = claims_key

    def __call__(self, doc: Doc) -> Doc:
        antecedents = doc._.claimx_antecedents
        for claim in doc.spans.get(self.claims_key, []):
            claim._.claimx_statement = statement_pieces(claim, antecedents)
        return doc


@Language.factory(
    "claimx_statements",
    assigns=["span._.claimx_statement"],
    requires=["doc.spans"],
    default_config={"claims_key": CLAIMS_KEY},
)
def make_statements(nlp: Language, name: str, claims_key: str) -> StatementBuilder:
    """Self-contained statements of claims; add it after "claimx_claims" (and after coreference)."""
    return StatementBuilder(claims_key=claims_key)
