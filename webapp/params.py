"""Read search parameters from a query string into a SearchRequest, for the API and the pages alike.

Which parameters exist, which repeat and what type each has follows from the fields of
SearchRequest; the bounds are checked by SearchRequest.validate.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from datetime import date

from werkzeug.datastructures import MultiDict

from indexer import InvalidParameter, SearchRequest

_FIELDS = {f.name: f for f in dataclasses.fields(SearchRequest)}
KNOWN = set(_FIELDS)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_BOOLEANS = {"1": True, "true": True, "ja": True, "0": False, "false": False, "nee": False}


def search_request(args: MultiDict, strict: bool = True) -> SearchRequest:
    """Return the validated request.

    :param strict: refuse parameters that are not known (the API does; the web pages
        ignore them, since browsers and campaign links add their own).
    :raises InvalidParameter: naming the first bad parameter.
    """
    return request_from_args(SearchRequest, args, strict)


def request_from_args(request_type, args: MultiDict, strict: bool = True):
    """Return a request dataclass filled from a query string and validated; list fields repeat.

    :raises InvalidParameter: naming the first bad parameter.
    """
    fields = [f.name for f in dataclasses.fields(request_type)]
    hints = typing.get_type_hints(request_type)
    repeatable = [name for name in fields if typing.get_origin(hints[name]) is list]
    if strict:
        for name in args:
            if name not in fields:
                raise InvalidParameter(name, f"onbekende parameter '{name}'", sorted(fields))
    words = {f.name: _enum_words(f) for f in dataclasses.fields(request_type)}
    values = {}
    for name in repeatable:
        item = typing.get_args(hints[name])[0]
        values[name] = [_convert(name, item, words[name].get(v.strip().lower(), v)) for v in args.getlist(name) if v != ""]
    for name in (n for n in fields if n not in repeatable):
        raw = args.getlist(name)
        if len(raw) > 1:
            raise InvalidParameter(name, f"parameter '{name}' mag maar één keer voorkomen")
        if raw and raw[0] != "":
            values[name] = _convert(name, hints[name], words[name].get(raw[0].strip().lower(), raw[0]))
    return request_type(**values).validate()


def _enum_words(f: dataclasses.Field) -> dict[str, str]:
    """Return a field's allowed words by their lower-case form, so sector=PO means sector=po."""
    enum = f.metadata.get("schema", {}).get("enum") or f.metadata.get("items", {}).get("enum") or []
    return {v.lower(): v for v in enum if isinstance(v, str)}


def _convert(name: str, hint, raw: str):
    """Return a parameter's text as the field's type, or raise InvalidParameter naming it."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    kind = args[0] if args else hint
    try:
        if kind is int:
            # Only ASCII digits: int() would also read "１２３" (full-width) and "1_000".
            if not _INTEGER.fullmatch(raw.strip()):
                raise ValueError(raw)
            return int(raw.strip())
        if kind is date:
            return date.fromisoformat(raw.strip())
        if kind is bool:
            return _BOOLEANS[raw.strip().lower()]
    except (ValueError, KeyError):
        expected = {int: "een geheel getal", date: "een datum (JJJJ-MM-DD)", bool: "0 of 1"}[kind]
        allowed = ["0", "1"] if kind is bool else None
        raise InvalidParameter(name, f"{name} moet {expected} zijn, niet '{raw[:40]}'", allowed) from None
    return raw
