"""The claim record's columns, derived from its JSON Schema (`claimx.schema.json_schema`).

Table formats (Parquet, CSV) read the field list, order, types and nesting from here, so a field
added to the schema appears in every output format without touching them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Column:
    """One field of the record: its name, kind and, for objects and arrays, what it holds.

    `kind` is "string", "integer", "number", "boolean", "object" (known properties), "array"
    or "json" (a free-form object, such as `meta`, stored as JSON text).
    """

    name: str
    kind: str
    nullable: bool
    children: tuple[Column, ...] = ()  # an object's properties
    item: Column | None = None  # an array's items


_SCALAR_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


def _column(name: str, schema: dict[str, Any], required: bool) -> Column:
    nullable = not required
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        nullable = nullable or len(options) < len(schema["anyOf"])
        if len(options) != 1:
            return Column(name, "json", True)
        schema = options[0]
    declared = schema.get("type")
    if isinstance(declared, list):
        nullable = nullable or "null" in declared
        kinds = [kind for kind in declared if kind != "null"]
        declared = kinds[0] if len(kinds) == 1 else None
    if "const" in schema or "enum" in schema:
        values = [schema["const"]] if "const" in schema else schema["enum"]
        nullable = nullable or None in values  # an enum that admits null ("attribution": null for the author)
        kind = "string" if all(isinstance(value, str) for value in values if value is not None) else "json"
        return Column(name, kind, nullable)
    if declared == "object":
        properties = schema.get("properties")
        if not properties:
            return Column(name, "json", nullable)
        needed = set(schema.get("required", ()))
        children = tuple(_column(key, value, key in needed) for key, value in properties.items())
        return Column(name, "object", nullable, children)
    if declared == "array":
        return Column(name, "array", nullable, item=_column("item", schema.get("items", {}), True))
    if declared in _SCALAR_TYPES:
        return Column(name, _SCALAR_TYPES[declared], nullable)
    return Column(name, "json", True)


@lru_cache(maxsize=1)
def record_columns() -> tuple[Column, ...]:
    """The top-level columns of a claim record, in the record's key order."""
    from claimx.schema import json_schema

    schema = json_schema()
    return _column("record", schema, True).children
