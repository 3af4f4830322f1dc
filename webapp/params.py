"""Read search parameters from a query string into a SearchRequest, for the API and the pages alike."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from indexer import InvalidParameter, SearchRequest

REPEATABLE = ("type", "thema", "sector", "bewijskracht", "skip")
SINGLE = ("q", "min_bewijskracht", "sort", "page", "per_page", "date_from", "date_to", "correct")
_BOOLEANS = {"1": True, "true": True, "ja": True, "0": False, "false": False, "nee": False}
KNOWN = set(REPEATABLE) | set(SINGLE)


def search_request(args: MultiDict, strict: bool = True) -> SearchRequest:
    """Return the validated request.

    :param strict: refuse parameters that are not known (the API does; the web pages
        ignore them, since browsers and campaign links add their own).
    :raises InvalidParameter: naming the first bad parameter.
    """
    if strict:
        for name in args:
            if name not in KNOWN:
                raise InvalidParameter(name, f"onbekende parameter '{name}'", sorted(KNOWN))
    for name in SINGLE:
        if len(args.getlist(name)) > 1:
            raise InvalidParameter(name, f"parameter '{name}' mag maar één keer voorkomen")
    values = {name: [v for v in args.getlist(name) if v != ""] for name in REPEATABLE}
    request = SearchRequest(
        q=args.get("q", ""),
        type=values["type"],
        thema=values["thema"],
        sector=values["sector"],
        bewijskracht=[_int("bewijskracht", v) for v in values["bewijskracht"]],
        min_bewijskracht=_optional_int(args, "min_bewijskracht"),
        date_from=_date(args, "date_from"),
        date_to=_date(args, "date_to"),
        sort=args.get("sort") or "relevance",
        page=_with_default(_optional_int(args, "page"), 1),
        per_page=_with_default(_optional_int(args, "per_page"), 10),
        skip=values["skip"],
        correct=_boolean(args, "correct", True),
    )
    return request.validate()


def _int(name: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except (ValueError, AttributeError):
        raise InvalidParameter(name, f"{name} moet een geheel getal zijn, niet '{raw[:40]}'") from None


def _optional_int(args: MultiDict, name: str) -> int | None:
    raw = args.get(name)
    return None if raw in (None, "") else _int(name, raw)


def _with_default(value: int | None, default: int) -> int:
    return default if value is None else value


def _date(args: MultiDict, name: str) -> date | None:
    raw = args.get(name)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidParameter(name, f"{name} moet een datum zijn (JJJJ-MM-DD), niet '{raw[:40]}'") from None


def _boolean(args: MultiDict, name: str, default: bool) -> bool:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        return _BOOLEANS[raw.strip().lower()]
    except KeyError:
        raise InvalidParameter(name, f"{name} moet 0 of 1 zijn, niet '{raw[:40]}'", ["0", "1"]) from None
