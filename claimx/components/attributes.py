"""`claimx_attribute_ruler`: spaCy's AttributeRuler with its one-token rules looked up, not matched.

en_core_web_sm maps fine-grained tags to POS and morphology with ~180 attribute-ruler rules that
spaCy runs through the Matcher at every token, then applies one match at a time in Python: about
an eighth of the whole pipeline's time. Almost all of those rules test one token's TAG, LOWER, DEP
or IS_SPACE against fixed values (or sets of them), so which of them a token meets depends only on
those four values. This subclass works that out once per distinct combination and writes POS,
MORPH and LEMMA for the whole Doc as arrays; anything else a rule sets (the tag and dependency of
whitespace tokens, say) is set token by token with spaCy's own setter. Rules of any other shape
(several tokens, REGEX, operators) still go through a Matcher of their own, run only on Docs that
hold the words they need (en_core_web_sm's are colloquial: "gon na", "y'all", "ai n't"). Every
rule is applied in spaCy's order (a later rule overrides an earlier one), so the annotations are
the ones spaCy's own ruler gives; `tests/test_attributes.py` compares them token by token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.pipeline.attributeruler import attribute_ruler_score
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.vocab import Vocab

# What a one-token rule may test, in the column order of the lookup key.
KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
KEY_IDS = [TAG, LOWER, DEP, IS_SPACE]
_TAG, _LOWER, _DEP, _IS_SPACE = range(len(KEY_ATTRS))
# What rules set through one array write, in its column order; other attributes go token by token.
SET_IDS = [POS, MORPH, LEMMA]
# LOWER and DEP values no rule names all behave alike; they are folded into this one value.
OTHER = numpy.uint64(2**64 - 1)


@dataclass(frozen=True, slots=True)
class _Test:
    """One attribute of a one-token pattern: its value must (or, negated, must not) be in `values`."""

    column: int
    values: frozenset
    negated: bool = False

    def passes(self, key: tuple[int, ...]) -> bool:
        return (key[self.column] in self.values) != self.negated


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a set of rules does to a token: values per SET_IDS column (None: untouched), the rest."""

    values: tuple[Any, ...]
    rest: dict[Any, Any]


@dataclass(slots=True)
class _Plan:
    """The ruler's rules sorted into looked-up (one-token, fixed values) and matched (the others)."""

    lookups: list[tuple[int, list[_Test]]] = field(default_factory=list)
    named_lowers: numpy.ndarray = field(default_factory=lambda: numpy.zeros(0, dtype="uint64"))
    named_deps: numpy.ndarray = field(default_factory=lambda: numpy.zeros(0, dtype="uint64"))
    matcher: Matcher | None = None
    rule_of: dict[int, int] = field(default_factory=dict)  # the matcher's match ids -> rule index
    # What a Doc must hold for the matched rules to have a chance: a token meeting each test, a
    # lowercase form fitting each regex. One list per rule; an empty list means "always run".
    needs: list[tuple[list[_Test], list[re.Pattern]]] = field(default_factory=list)
    # key -> (the rules a token of that shape meets, what they do to it)
    cache: dict[tuple[int, ...], tuple[tuple[int, ...], _Outcome]] = field(default_factory=dict)


class LookupAttributeRuler(AttributeRuler):
    """An AttributeRuler that gives spaCy's annotations with one lookup per distinct token shape."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", **kwargs: Any) -> None:
        super().__init__(vocab, name, **kwargs)
        self._plan: _Plan | None = None

    def clear(self) -> None:
        super().clear()
        self._plan = None

    def add(self, patterns: Iterable, attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._plan = None

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        try:
            self._annotate(doc, self._plan if self._plan is not None else self._make_plan())
            return doc
        except Exception as error:  # noqa: BLE001 - the pipeline's error handler decides
            return self.get_error_handler()(self.name, self, [doc], error)

    def _make_plan(self) -> _Plan:
        plan = _Plan()
        matched = []
        for rule, entry in enumerate(self.patterns):
            for pattern in entry["patterns"]:
                tests = self._tests(pattern[0]) if len(pattern) == 1 and entry["index"] in (0, -1) else None
                if tests is None:
                    matched.append((rule, pattern))
                else:
                    plan.lookups.append((rule, tests))
        all_tests = [test for _, rule_tests in plan.lookups for test in rule_tests]
        plan.named_lowers, plan.named_deps = (
            numpy.array(sorted({v for t in all_tests if t.column == column for v in t.values}), dtype="uint64")
            for column in (_LOWER, _DEP)
        )
        if matched:
            plan.matcher = Matcher(self.vocab, validate=self.validate)
            for rule, pattern in matched:
                plan.matcher.add(str(rule), [pattern])
                plan.rule_of[self.vocab.strings[str(rule)]] = rule
                plan.needs.append(self._needs(pattern))
        self._plan = plan
        return plan

    def _test(self, column: int, value: Any) -> _Test | None:
        """The test of one attribute spec of fixed values (exact, IN or NOT_IN), else None."""
        negated = isinstance(value, dict) and set(value) == {"NOT_IN"}
        if isinstance(value, dict):
            if set(value) not in ({"IN"}, {"NOT_IN"}):
                return None
            value = value["NOT_IN" if negated else "IN"]
        values = value if isinstance(value, list) else [value]
        kind = bool if column == _IS_SPACE else str
        if not all(isinstance(item, kind) for item in values):
            return None
        hashed = (int(item) if column == _IS_SPACE else self.vocab.strings.add(item) for item in values)
        return _Test(column, frozenset(hashed), negated)

    def _tests(self, token: dict) -> list[_Test] | None:
        """The tests of a one-token pattern of fixed values, else None."""
        tests = []
        for name, value in token.items():
            test = self._test(KEY_ATTRS.index(name.upper()), value) if name.upper() in KEY_ATTRS else None
            if test is None:
                return None
            tests.append(test)
        return tests

    def _needs(self, pattern: list[dict]) -> tuple[list[_Test], list[re.Pattern]]:
        """What a Doc must hold for a matched pattern to match: tests of its required tokens."""
        tests, regexes = [], []
        for token in pattern:
            if "OP" in token:
                continue
            for name, value in token.items():
                if name.upper() not in KEY_ATTRS[:_IS_SPACE]:
                    continue
                column = KEY_ATTRS.index(name.upper())
                test = self._test(column, value)
                if test is not None and not test.negated:
                    tests.append(test)
                elif column == _LOWER and isinstance(value, dict) and set(value) == {"REGEX"}:
                    regexes.append(re.compile(value["REGEX"]))
        return tests, regexes

    def _could_match(self, plan: _Plan, keys: numpy.ndarray) -> bool:
        """False when no matched rule can apply: the Doc lacks a value some required token needs."""
        present: dict[int, set[int]] = {}
        lowers: list[str] | None = None
        for tests, regexes in plan.needs:
            for test in tests:
                if test.column not in present:
                    present[test.column] = set(numpy.unique(keys[:, test.column]).tolist())
            if any(test.values.isdisjoint(present[test.column]) for test in tests):
                continue
            if regexes and lowers is None:
                lowers = [self.vocab.strings[value] for value in numpy.unique(keys[:, _LOWER]).tolist()]
            if all(any(regex.search(lower) for lower in lowers) for regex in regexes):
                return True
        return False

    def _rules_for(self, plan: _Plan, key: tuple[int, ...]) -> tuple[tuple[int, ...], _Outcome]:
        known = plan.cache.get(key)
        if known is None:
            rules = tuple(rule for rule, tests in plan.lookups if all(test.passes(key) for test in tests))
            known = plan.cache[key] = (rules, self._merged(rules))
        return known

    def _merged(self, rules: Iterable[int]) -> _Outcome:
        """What these rules, applied in order, leave on a token (a later rule overrides an earlier)."""
        merged: dict[Any, Any] = {}
        for rule in sorted(rules):
            merged.update(self.attrs[rule])
        rest = {attr: value for attr, value in merged.items() if attr not in SET_IDS}
        return _Outcome(tuple(merged.get(attr) for attr in SET_IDS), rest)

    def _annotate(self, doc: Doc, plan: _Plan) -> None:
        keys = doc.to_array(KEY_IDS)
        folded = keys.copy()
        folded[~numpy.isin(keys[:, _LOWER], plan.named_lowers), _LOWER] = OTHER
        folded[~numpy.isin(keys[:, _DEP], plan.named_deps), _DEP] = OTHER
        shapes, inverse = numpy.unique(folded, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        outcomes: list[_Outcome] = []
        shape_rules = []
        table = numpy.zeros((len(shapes), len(SET_IDS)), dtype="uint64")
        touched = numpy.zeros((len(shapes), len(SET_IDS)), dtype=bool)
        for number, shape in enumerate(shapes.tolist()):
            rules, outcome = self._rules_for(plan, tuple(shape))
            shape_rules.append(rules)
            outcomes.append(outcome)
            for column, value in enumerate(outcome.values):
                if value is not None:
                    table[number, column], touched[number, column] = value, True
        values = numpy.where(touched[inverse], table[inverse], doc.to_array(SET_IDS))
        rest = {}
        for number in (number for number, outcome in enumerate(outcomes) if outcome.rest):
            for position in numpy.flatnonzero(inverse == number).tolist():
                rest[position] = outcomes[number].rest
        if plan.matcher is not None and self._could_match(plan, keys):
            extra: dict[int, set[int]] = {}
            for match_id, start, end in plan.matcher(doc, allow_missing=True, as_spans=False):
                rule = plan.rule_of[match_id]
                position = doc[start:end][self.indices[rule]].i
                extra.setdefault(position, set()).add(rule)
            for position, rules in extra.items():
                outcome = self._merged(set(shape_rules[inverse[position]]) | rules)
                for column, value in enumerate(outcome.values):
                    if value is not None:
                        values[position, column] = value
                rest[position] = outcome.rest
        doc.from_array(SET_IDS, values)
        for position, attrs in rest.items():
            if attrs:
                set_token_attrs(doc[position], attrs)


@Language.factory(
    "claimx_attribute_ruler",
    default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}},
)
def make_lookup_attribute_ruler(nlp: Language, name: str, validate: bool, scorer: Any) -> LookupAttributeRuler:
    return LookupAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer or attribute_ruler_score)


def speed_up_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Swap spaCy's AttributeRuler `name` for the lookup one with the same rules; True if swapped."""
    if name not in nlp.pipe_names:
        return False
    old = nlp.get_pipe(name)
    if type(old) is not AttributeRuler:
        return False
    new = nlp.replace_pipe(name, "claimx_attribute_ruler", config={"validate": old.validate})
    new.add_patterns(old.patterns)
    return True
