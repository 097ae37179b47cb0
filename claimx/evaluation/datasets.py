"""Readers for the annotated task formats (one JSON object per line), with clear errors.

Formats: every record has `id` and `text`; character offsets index `text`.
- uncertainty: `uncertain` (bool), `cues` [{start, end, text, type}]
- factuality: `predicates` [{start, end, text, factuality in [-3, 3]}]
- claims: `claim` (bool)
- subjectivity: `subjective` (bool)
- attribution: one article per line, `attributions` [{source {start, end} or null, `source_spans`,
  `content_spans` [[start, end], ...]}] (PolNeAR's Source / Cue / Content annotation)
- sentences: only `id` and `text`; each record is one gold sentence, and the records of one
  document (`document_of(id)`) in file order make up that document
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TASKS = ("uncertainty", "factuality", "claims", "subjectivity", "attribution", "sentences")


class DatasetError(ValueError):
    """A task file that does not follow its format; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    value: Any = None


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution: where its Source is (no pieces when it has none) and the
    pieces of its Content, as (start, end) character ranges."""

    source: tuple[tuple[int, int], ...]
    content: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Example:
    """One annotated text: a boolean label (uncertainty, claims, subjectivity), spans and/or
    attributions."""

    id: str
    text: str
    label: bool | None = None
    spans: tuple[GoldSpan, ...] = ()
    attributions: tuple[GoldAttribution, ...] = ()


def _require(row: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in row:
        raise DatasetError(f"{where}: missing '{key}'")
    value = row[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind in ((int, float), int, float):
        raise DatasetError(f"{where}: '{key}' has the wrong type ({type(value).__name__})")
    return value


def _spans(row: dict[str, Any], key: str, value_key: str | None, where: str) -> tuple[GoldSpan, ...]:
    text = row["text"]
    spans = []
    for number, item in enumerate(_require(row, key, list, where)):
        item_where = f"{where}: {key}[{number}]"
        start = _require(item, "start", int, item_where)
        end = _require(item, "end", int, item_where)
        if not 0 <= start < end <= len(text):
            raise DatasetError(f"{item_where}: offsets {start}-{end} are outside the text")
        value = _require(item, value_key, (int, float), item_where) if value_key else None
        spans.append(GoldSpan(start, end, float(value) if value is not None else None))
    return tuple(spans)


def _ranges(value: Any, text: str, where: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list):
        raise DatasetError(f"{where}: expected a list of [start, end] pairs")
    ranges = []
    for pair in value:
        if (not isinstance(pair, list) or len(pair) != 2 or not all(type(x) is int for x in pair)
                or not 0 <= pair[0] <= pair[1] <= len(text)):
            raise DatasetError(f"{where}: {pair!r} is not a [start, end] pair inside the text")
        ranges.append((pair[0], pair[1]))
    return tuple(ranges)


def _attributions(row: dict[str, Any], where: str) -> tuple[GoldAttribution, ...]:
    text = row["text"]
    attributions = []
    for number, item in enumerate(_require(row, "attributions", list, where)):
        item_where = f"{where}: attributions[{number}]"
        if not isinstance(item, dict):
            raise DatasetError(f"{item_where}: each attribution must be a JSON object")
        source = item.get("source")
        if item.get("source_spans"):
            source_ranges = _ranges(item["source_spans"], text, f"{item_where}: source_spans")
        elif isinstance(source, dict):
            source_ranges = _ranges([[source.get("start"), source.get("end")]], text, f"{item_where}: source")
        else:
            source_ranges = ()
        if item.get("content_spans"):
            content = _ranges(item["content_spans"], text, f"{item_where}: content_spans")
        elif isinstance(item.get("content"), dict):
            content = _ranges([[item["content"].get("start"), item["content"].get("end")]], text,
                              f"{item_where}: content")
        else:
            raise DatasetError(f"{item_where}: missing 'content_spans'")
        attributions.append(GoldAttribution(source_ranges, content))
    return tuple(attributions)


def example_from_row(task: str, row: dict[str, Any], where: str) -> Example:
    """Validate one record of a task file."""
    identifier = str(row.get("id", where))
    text = _require(row, "text", str, where)
    if task == "uncertainty":
        return Example(identifier, text, bool(_require(row, "uncertain", bool, where)), _spans(row, "cues", None, where))
    if task == "factuality":
        return Example(identifier, text, None, _spans(row, "predicates", "factuality", where))
    if task == "claims":
        return Example(identifier, text, bool(_require(row, "claim", bool, where)))
    if task == "subjectivity":
        return Example(identifier, text, bool(_require(row, "subjective", bool, where)))
    if task == "attribution":
        return Example(identifier, text, attributions=_attributions(row, where))
    if task == "sentences":
        return Example(identifier, text)
    raise DatasetError(f"unknown task '{task}' (known: {', '.join(TASKS)})")


def read_examples(task: str, path: str | Path) -> Iterator[Example]:
    """Stream the examples of a task file; raises DatasetError on the first bad line."""
    if task not in TASKS:
        raise DatasetError(f"unknown task '{task}' (known: {', '.join(TASKS)})")
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise DatasetError(f"{path}: cannot read: {error.strerror or error}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatasetError(f"{where}: not valid JSON: {error.msg}") from None
            if not isinstance(row, dict):
                raise DatasetError(f"{where}: each line must be a JSON object")
            yield example_from_row(task, row, where)


def document_of(example_id: str) -> str:
    """The document an example belongs to: its id without the last path part ("…/S1.3")."""
    return example_id.rsplit("/", 1)[0] if "/" in example_id else example_id
