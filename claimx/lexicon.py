"""Cue lexicons: JSONL data files of hedges, boosters, negators and friends, and their loading.

A lexicon file has one JSON object per line. An optional header line carries `lexicon` (name) and
`version`; every other line is a cue entry:

    {"id": "hedge.likely", "kind": "hedge", "type": "epistemic", "weight": 0.7,
     "lemma": "likely", "check": "not_attributive"}

An entry matches by exactly one of `lemma` (space-separated lemmas), `lower` (one lower-cased
word, or {"IN": [...]}), `phrase` (space-separated lower-cased words) or `pattern` (a spaCy Matcher
token pattern); `pos` restricts single-token matches to parts of speech; `check` names a
disambiguation rule from `claimx.cue_checks`; `"learned": false` keeps the learned cue model from
re-weighing or dropping the entry's matches. `"veto": true` makes an entry say where its words
are *not* a cue: a single-word match that passes its check becomes no cue, and the learned model
adds one there only when it is all but sure (the future of a past report, "said prices *would*
fall", is not a condition).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimx.resources import default_lexicon_path
from claimx.schema import CUE_KINDS

_MATCH_KEYS = ("lemma", "lower", "phrase", "pattern")
# Rows of these kinds belong to the reporting lexicon (`claimx.reporting`); a cue file may hold them.
REPORTING_ENTRY_KINDS = frozenset({"reporting", "source", "role"})


class LexiconError(ValueError):
    """A cue lexicon file that cannot be used; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class CueEntry:
    """One lexicon entry: what to match, what kind of cue it is, and how strongly it counts."""

    id: str
    kind: str
    type: str
    weight: float
    pattern: list[dict[str, Any]]
    check: str | None = None
    source: str = "claimx-core"
    learnable: bool = True
    veto: bool = False


@dataclass(slots=True)
class Lexicon:
    """Cue entries from one or more files, keyed by id (later files override earlier ones)."""

    entries: dict[str, CueEntry] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def add(self, entry: CueEntry) -> None:
        """Add or replace an entry."""
        self.entries[entry.id] = entry

    def to_jsonl_rows(self) -> list[dict[str, Any]]:
        """Rows that `load_rows` turns back into this lexicon (used when a pipeline is saved)."""
        rows: list[dict[str, Any]] = [
            {"lexicon": name, "version": version} for name, version in self.versions.items()
        ]
        for entry in self.entries.values():
            row: dict[str, Any] = {
                "id": entry.id, "kind": entry.kind, "type": entry.type, "weight": entry.weight,
                "pattern": entry.pattern, "source": entry.source,
            }
            if entry.check:
                row["check"] = entry.check
            if not entry.learnable:
                row["learned"] = False
            if entry.veto:
                row["veto"] = True
            rows.append(row)
        return rows


def _lemma_token(word: str) -> dict[str, Any]:
    # Lemmas keep the case of proper nouns and sentence-initial words; match either casing.
    variants = sorted({word, word.lower(), word.capitalize()})
    return {"LEMMA": {"IN": variants}}


def entry_pattern(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The spaCy Matcher pattern for a lexicon row."""
    present = [key for key in _MATCH_KEYS if key in row]
    if len(present) != 1:
        raise ValueError(f"needs exactly one of {', '.join(_MATCH_KEYS)}, found {present or 'none'}")
    key = present[0]
    value = row[key]
    if key == "pattern":
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            raise ValueError("'pattern' must be a list of token objects")
        return value
    if key == "phrase":
        return [{"LOWER": word} for word in str(value).lower().split()]
    if key == "lower":
        pattern = [{"LOWER": value}]
    elif isinstance(value, dict):
        words = value.get("IN", [])
        pattern = [{"LEMMA": {"IN": sorted({v for w in words for v in _lemma_token(w)["LEMMA"]["IN"]})}}]
    else:
        pattern = [_lemma_token(word) for word in str(value).split()]
    if "pos" in row:
        pattern[-1] = {**pattern[-1], "POS": {"IN": list(row["pos"])}}
    return pattern


def expand_alternatives(pattern: list[dict[str, Any]], limit: int = 64) -> list[list[dict[str, Any]]] | None:
    """The pattern with each {"IN": [...]} value spelled out as exact values, or None when that
    would give more than `limit` sequences or the pattern has operators ("?", "*", "+").

    Fixed sequences can be matched by a dictionary lookup on their first word instead of
    spaCy's Matcher, whose cost grows with every pattern at every token.
    """
    variants: list[list[dict[str, Any]]] = [[]]
    for token in pattern:
        if "OP" in token:
            return None
        options = [token]
        for attribute, value in token.items():
            if isinstance(value, dict) and set(value) == {"IN"} and attribute != "_":
                options = [{**option, attribute: item} for option in options for item in value["IN"]]
        if len(variants) * len(options) > limit:
            return None
        variants = [variant + [option] for variant in variants for option in options]
    return variants


def entry_from_row(row: dict[str, Any], source: str) -> CueEntry:
    """Validate one lexicon row and build its entry; raises ValueError with the reason."""
    for key in ("id", "kind", "type", "weight"):
        if key not in row:
            raise ValueError(f"missing '{key}'")
    if row["kind"] not in CUE_KINDS:
        raise ValueError(f"kind '{row['kind']}' is not one of {', '.join(CUE_KINDS)}")
    weight = float(row["weight"])
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight {weight} is outside [0, 1]")
    from claimx.cue_checks import CHECKS

    check = row.get("check")
    if check is not None and check not in CHECKS:
        raise ValueError(f"unknown check '{check}' (known: {', '.join(sorted(CHECKS))})")
    return CueEntry(
        id=str(row["id"]), kind=row["kind"], type=str(row["type"]), weight=weight,
        pattern=entry_pattern(row), check=check, source=str(row.get("source", source)),
        learnable=bool(row.get("learned", True)), veto=bool(row.get("veto", False)),
    )


def load_rows(rows: list[dict[str, Any]], origin: str, lexicon: Lexicon | None = None) -> Lexicon:
    """Add parsed JSON rows to a lexicon (a new one by default)."""
    lexicon = lexicon if lexicon is not None else Lexicon()
    name = Path(origin).stem
    for number, row in enumerate(rows, start=1):
        if "lexicon" in row:
            name = str(row["lexicon"])
            lexicon.versions[name] = str(row.get("version", "unversioned"))
            continue
        if row.get("kind") in REPORTING_ENTRY_KINDS:
            from claimx.reporting import ReportingLexicon

            try:  # checked here so a bad row fails before any article is read
                ReportingLexicon().add(row, origin)
            except (ValueError, TypeError) as error:
                raise LexiconError(f"{origin}: entry {number}: {error}") from None
            continue  # reporting frames and source nouns belong to claimx.reporting
        try:
            lexicon.add(entry_from_row(row, name))
        except (ValueError, TypeError) as error:
            raise LexiconError(f"{origin}: entry {number}: {error}") from None
    return lexicon


def read_jsonl_rows(path: str | Path, what: str = "cue lexicon",
                    error: type[LexiconError] | None = None) -> list[dict[str, Any]]:
    """The JSON objects of a lexicon file (blank and `//` lines skipped); `error` (LexiconError by
    default) names the file and line of anything that is not one."""
    error = error or LexiconError
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as failure:
        raise error(f"{path}: cannot read {what}: {failure.strerror or failure}") from None
    except UnicodeDecodeError:
        raise error(f"{path}: {what} is not UTF-8 text") from None
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as failure:
            raise error(f"{path}:{number}: not valid JSON: {failure.msg}") from None
        if not isinstance(row, dict):
            raise error(f"{path}:{number}: each line must be a JSON object")
        rows.append(row)
    return rows


def read_lexicon_file(path: str | Path, lexicon: Lexicon | None = None) -> Lexicon:
    """Read a JSONL cue lexicon file into a lexicon; raises LexiconError on any bad line."""
    return load_rows(read_jsonl_rows(path), str(path), lexicon)


def load_lexicon(extra_paths: list[str] | tuple[str, ...] = (), use_default: bool = True) -> Lexicon:
    """The default claimx lexicon plus users' files, later files overriding entries by id."""
    lexicon = Lexicon()
    if use_default:
        read_lexicon_file(default_lexicon_path(), lexicon)
    for path in extra_paths:
        read_lexicon_file(path, lexicon)
    return lexicon
