"""The API contract from the types: JSON Schema, JSON values and checks, all read off dataclasses.

The request and result types in results.py are the contract. Their fields' type hints
say the shape; a field's ``meta(...)`` adds what the hint cannot (a description, allowed
values, bounds). From that one declaration come the OpenAPI document's schemas and
parameters, the serialization to JSON, and the request's validation, so none of them can
drift from the others.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from typing import Any

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def meta(description: str = "", *, items: dict | None = None, **schema) -> dict:
    """Return field metadata: a description and JSON Schema keywords (enum, minimum, maxItems...).

    :param items: keywords for each item of a list field.
    """
    out = dict(schema)
    if description:
        out["description"] = description
    return {"schema": out, "items": items or {}}


def field_schema(field: dataclasses.Field, hint, refs: dict) -> dict:
    """Return the JSON Schema of one dataclass field, its metadata applied."""
    schema = type_schema(hint, refs)
    extra = field.metadata.get("schema", {})
    items = field.metadata.get("items", {})
    if items and schema.get("type") == "array":
        schema["items"] = {**schema["items"], **items}
    return {**schema, **extra}


def type_schema(hint, refs: dict) -> dict:
    """Return the JSON Schema of a type hint; dataclasses become $refs, collected in ``refs``."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = type_schema(args[0], refs) if len(args) == 1 else {"anyOf": [type_schema(a, refs) for a in args]}
        if isinstance(inner.get("type"), str):
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is list or origin is tuple:
        (item, *_) = typing.get_args(hint) or (Any,)
        return {"type": "array", "items": type_schema(item, refs)}
    if origin is dict:
        _, value = typing.get_args(hint)
        return {"type": "object", "additionalProperties": type_schema(value, refs)}
    if hint in _JSON_TYPES:
        return {"type": _JSON_TYPES[hint]}
    if hint is datetime.date:
        return {"type": "string", "format": "date"}
    if dataclasses.is_dataclass(hint):
        name = hint.__name__
        if name not in refs:
            refs[name] = {}  # placeholder first: types may refer to each other
            refs[name] = object_schema(hint, refs)
        return {"$ref": f"#/components/schemas/{name}"}
    return {}


def object_schema(cls, refs: dict) -> dict:
    """Return the JSON Schema of a dataclass: every field is always present in its JSON."""
    hints = typing.get_type_hints(cls)
    props = {f.name: field_schema(f, hints[f.name], refs) for f in dataclasses.fields(cls)}
    schema = {"type": "object", "required": list(props), "properties": props}
    if cls.__doc__:
        schema["description"] = " ".join(cls.__doc__.split())
    return schema


def to_json(value):
    """Return a dataclass (and what it holds) as JSON values.

    Written out rather than dataclasses.asdict, which deep-copies every value and costs
    more than the search itself for a page of results with facets.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def problems(obj) -> list[tuple[str, str, list | None]]:
    """Return (field, message, allowed values) for each field value outside its metadata's bounds.

    Messages are Dutch: they reach the person who sent the request.
    """
    out = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        schema = f.metadata.get("schema", {})
        if isinstance(value, list):
            limit = schema.get("maxItems")
            if limit is not None and len(value) > limit:
                out.append((f.name, f"te veel waarden voor {f.name} (maximaal {limit})", None))
                continue
            items = f.metadata.get("items", {})
            out += [(f.name, message, allowed) for v in value for message, allowed in _check(f.name, v, items)]
        elif value is not None:
            out += [(f.name, message, allowed) for message, allowed in _check(f.name, value, schema)]
    return out


def _check(name: str, value, schema: dict):
    longest = schema.get("maxLength")
    if longest is not None and isinstance(value, str) and len(value) > longest:
        yield f"{name} mag hoogstens {longest} tekens lang zijn", None
    allowed = schema.get("enum")
    if allowed is not None and value not in allowed:
        yield f"onbekende waarde '{value}' voor {name}", list(allowed)
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        yield f"{name} moet tussen {low} en {high} liggen", None
