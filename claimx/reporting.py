"""The reporting lexicon: words that frame what someone says, thinks or found, and the nouns that
tell what kind of source speaks. Data in `models/reporting/claimx-reporting.jsonl`.

Each line is one entry (an optional header line carries `lexicon` and `version`):

    {"id": "reporting.speech", "kind": "reporting", "how": "speech", "pos": ["VERB"], "lemma": ["say", ...]}
    {"id": "source.anonymous", "kind": "source", "type": "anonymous", "lemma": ["official", ...]}
    {"id": "role.person", "kind": "role", "type": "person", "lemma": [...], "female": [...], "male": [...]}

`reporting` entries are frames (`how`: speech, stance (holds no quotation: "called it 'a disgrace'"), belief, finding or
according_to; `pos` VERB or NOUN;
`phrase` for several words); `"animate": true` marks frames that report only when a person or group is their subject ("she
suggested X"; "the figures suggest X" stays an evidential hedge, the writer's claim);
`source` entries name the head nouns of anonymous or document
sources; `role` entries are the nouns that stand for a person or an organisation already named
("the spokesman", "the company"). A user's `--cues` file may hold such rows too: they are read
here, later files overriding entries by id, while the cue lexicon skips them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

from claimx.lexicon import REPORTING_ENTRY_KINDS, LexiconError, read_jsonl_rows
from claimx.resources import models_dir

HOWS = ("speech", "stance", "belief", "finding", "according_to")
SOURCE_NOUN_TYPES = ("anonymous", "document")
ROLE_TYPES = ("person", "organisation")


class ReportingLexiconError(LexiconError):
    """A reporting lexicon file that cannot be used; the message names the file and line."""


@dataclass(slots=True)
class ReportingLexicon:
    """Lemma tables built from the entries (later entries with the same id replace earlier ones)."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    verbs: dict[str, str] = field(default_factory=dict)        # lemma -> how
    nouns: dict[str, str] = field(default_factory=dict)        # lemma -> how
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)  # lower words -> how
    source_nouns: dict[str, str] = field(default_factory=dict)  # lemma -> anonymous / document
    roles: dict[str, str] = field(default_factory=dict)        # lemma -> person / organisation
    genders: dict[str, str] = field(default_factory=dict)      # role lemma -> female / male
    animate: set[str] = field(default_factory=set)             # frames only with a person or group speaking

    def add(self, row: dict[str, Any], origin: str) -> None:
        """Validate and add one entry; raises ValueError with the reason."""
        if "id" not in row or row.get("kind") not in REPORTING_ENTRY_KINDS:
            raise ValueError(f"needs an 'id' and a 'kind' of {', '.join(sorted(REPORTING_ENTRY_KINDS))}")
        kind = row["kind"]
        if kind == "reporting" and row.get("how") not in HOWS:
            raise ValueError(f"'how' must be one of {', '.join(HOWS)}")
        if kind == "source" and row.get("type") not in SOURCE_NOUN_TYPES:
            raise ValueError(f"'type' must be one of {', '.join(SOURCE_NOUN_TYPES)}")
        if kind == "role" and row.get("type") not in ROLE_TYPES:
            raise ValueError(f"'type' must be one of {', '.join(ROLE_TYPES)}")
        if not isinstance(row.get("lemma", []), list) or ("lemma" in row) == ("phrase" in row):
            raise ValueError("needs either 'lemma' (a list of lemmas) or 'phrase' (words)")
        self.entries[str(row["id"])] = {**row, "origin": origin}
        self._rebuild()

    def _rebuild(self) -> None:
        self.verbs, self.nouns, self.phrases = {}, {}, {}
        self.source_nouns, self.roles, self.genders, self.animate = {}, {}, {}, set()
        for row in self.entries.values():
            lemmas = [str(word).lower() for word in row.get("lemma", [])]
            if row["kind"] == "reporting":
                if "phrase" in row:
                    self.phrases[tuple(str(row["phrase"]).lower().split())] = row["how"]
                    continue
                pos = row.get("pos", ["VERB"])
                if row.get("animate"):
                    self.animate.update(lemmas)
                for lemma in lemmas:
                    if "VERB" in pos:
                        self.verbs.setdefault(lemma, row["how"])
                    if "NOUN" in pos:
                        self.nouns.setdefault(lemma, row["how"])
            elif row["kind"] == "source":
                self.source_nouns.update(dict.fromkeys(lemmas, row["type"]))
            else:
                self.roles.update(dict.fromkeys(lemmas, row["type"]))
                for gender in ("female", "male"):
                    self.genders.update(dict.fromkeys((str(w).lower() for w in row.get(gender, [])), gender))

    def to_rows(self) -> list[dict[str, Any]]:
        """Rows that `reporting_from_rows` turns back into this lexicon (for saved pipelines)."""
        return [{k: v for k, v in row.items() if k != "origin"} for row in self.entries.values()]


def reporting_from_rows(rows: list[dict[str, Any]], origin: str, lexicon: ReportingLexicon | None = None,
                        strict: bool = True) -> ReportingLexicon:
    """Add the reporting rows among parsed JSON rows; `strict=False` skips rows of other kinds."""
    lexicon = lexicon if lexicon is not None else ReportingLexicon()
    for number, row in enumerate(rows, start=1):
        if "lexicon" in row:
            continue
        if row.get("kind") not in REPORTING_ENTRY_KINDS and not strict:
            continue
        try:
            lexicon.add(row, origin)
        except (ValueError, TypeError) as error:
            raise ReportingLexiconError(f"{origin}: entry {number}: {error}") from None
    return lexicon


def default_reporting_path() -> Path:
    """The reporting lexicon that ships with claimx."""
    return models_dir() / "reporting" / "claimx-reporting.jsonl"


def load_reporting(extra_paths: list[str] | tuple[str, ...] = ()) -> ReportingLexicon:
    """The default reporting lexicon plus the reporting rows of users' files (e.g. `--cues`)."""
    lexicon = reporting_from_rows(read_jsonl_rows(default_reporting_path(), "reporting lexicon", ReportingLexiconError), "claimx-reporting")
    for path in extra_paths:
        reporting_from_rows(read_jsonl_rows(path, "reporting lexicon", ReportingLexiconError), str(path), lexicon, strict=False)
    return lexicon


@lru_cache(maxsize=1)
def default_reporting() -> ReportingLexicon:
    """The shipped reporting lexicon, read once per process."""
    return load_reporting()


SAVED_LEXICON_FILE = "reporting.jsonl"


class CarriesReportingLexicon:
    """For components that read the reporting lexicon: it travels with a saved pipeline."""

    lexicon: ReportingLexicon

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the effective reporting lexicon next to the pipeline."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in self.lexicon.to_rows())
        (path / SAVED_LEXICON_FILE).write_text("".join(lines), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Self:
        """Load the lexicon saved by `to_disk`."""
        file = Path(path) / SAVED_LEXICON_FILE
        self.lexicon = reporting_from_rows(read_jsonl_rows(file, "reporting lexicon", ReportingLexiconError), str(file))
        return self
