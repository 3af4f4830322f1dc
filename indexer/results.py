"""What a search asks for and what it answers: the request, its validation, the result objects.

The API serializes a SearchResult as it is and the web pages render it, so both show
the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from . import vocab

#: Sort orders as the API names them, with the Dutch label the web page shows.
SORTS: dict[str, str] = {
    "relevance": "relevantie",
    "date": "nieuwste",
    "bewijskracht": "sterkste bewijs",
    "impact": "grootste effect",
}
MAX_PER_PAGE = 100
MAX_PAGE = 1000
MAX_FILTER_VALUES = 20
#: The kinds of filter a search reads from the query's words (see search/understand.py).
INTERPRETED = ("type", "sector", "kosten", "impact", "bewijskracht")


class SearchError(Exception):
    """Base of the search's named errors."""


class InvalidParameter(SearchError):
    """A search parameter outside what is allowed; names the parameter and what is."""

    def __init__(self, parameter: str, message: str, allowed: list | None = None):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.allowed = allowed


class NotFound(SearchError):
    """No page with that id."""


@dataclass
class SearchRequest:
    """Everything a search can ask for; `validate` checks it all at once."""

    q: str = ""
    type: list[str] = field(default_factory=list)
    thema: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    bewijskracht: list[int] = field(default_factory=list)
    min_bewijskracht: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    #: Filters read from the query's words that the person switched off ("all": every one).
    skip: list[str] = field(default_factory=list)
    #: Correct misspelled words when the query as typed finds no good match.
    correct: bool = True

    def validate(self) -> SearchRequest:
        """Return self, or raise InvalidParameter for the first value out of bounds."""
        _check_values("type", self.type, list(vocab.TYPES))
        _check_values("sector", self.sector, list(vocab.SECTORS))
        _check_values("bewijskracht", self.bewijskracht, list(vocab.BEWIJSKRACHT))
        _check_values("thema", self.thema, None)
        _check_values("skip", self.skip, [*INTERPRETED, "all"])
        if self.min_bewijskracht is not None and self.min_bewijskracht not in vocab.BEWIJSKRACHT:
            raise InvalidParameter(
                "min_bewijskracht", "min_bewijskracht moet een getal van 0 tot en met 5 zijn", list(vocab.BEWIJSKRACHT)
            )
        if self.sort not in SORTS:
            raise InvalidParameter("sort", f"onbekende sortering '{self.sort}'", list(SORTS))
        if not 1 <= self.page <= MAX_PAGE:
            raise InvalidParameter("page", f"page moet tussen 1 en {MAX_PAGE} liggen")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidParameter("per_page", f"per_page moet tussen 1 en {MAX_PER_PAGE} liggen")
        return self

    @property
    def selected(self) -> dict[str, list[str]]:
        return {
            "type": list(self.type),
            "thema": list(self.thema),
            "sector": list(self.sector),
            "bewijskracht": [str(b) for b in self.bewijskracht],
        }

    @property
    def has_filters(self) -> bool:
        return any(self.selected.values()) or self.min_bewijskracht is not None or bool(self.date_from or self.date_to)


def _check_values(name: str, values: list, allowed: list | None) -> None:
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidParameter(name, f"te veel waarden voor {name} (maximaal {MAX_FILTER_VALUES})")
    if allowed is not None:
        for v in values:
            if v not in allowed:
                raise InvalidParameter(name, f"onbekende waarde '{v}' voor {name}", allowed)


@dataclass
class Hit:
    """One page in a result. ``snippet`` is plain text; ``highlights`` are the [start, end)
    character ranges in it that matched, for the caller to mark up."""

    id: str
    url: str
    title: str
    type: str
    summary: str
    snippet: str
    highlights: list[list[int]]
    themes: list[dict]
    sectors: list[str]
    bewijskracht: int | None
    impact: int | None
    kosten: int | None
    modified: str | None
    score: float | None
    matched: list[str] = field(default_factory=list)  # the query's words (as typed) this page has


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    """What a search returns; the API serializes it as is, the web page renders it."""

    query: str
    total: int
    page: int
    per_page: int
    results: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    relaxed: bool = False
    sort: str = "relevance"
    #: The query the results are for: the query as typed, or its spelling correction.
    query_used: str = ""
    corrected: bool = False
    #: Words of the query that became filters (Interpretation.to_dict()).
    interpreted: list[dict] = field(default_factory=list)
    #: Synonyms searched for as well: {"word": as typed, "added": [...]}.
    expanded: list[dict] = field(default_factory=list)
    #: No page has most of the query's informative words: the results are partial matches.
    no_good_match: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def to_dict(self) -> dict:
        # Built by hand: dataclasses.asdict deep-copies every value, which costs more
        # than the search itself for a page of results with facets.
        return {
            "query": self.query, "total": self.total, "page": self.page, "per_page": self.per_page,
            "results": [dict(h.__dict__) for h in self.results],
            "facets": {name: [dict(v.__dict__) for v in values] for name, values in self.facets.items()},
            "suggestion": self.suggestion, "relaxed": self.relaxed, "sort": self.sort,
            "query_used": self.query_used, "corrected": self.corrected, "interpreted": self.interpreted,
            "expanded": self.expanded, "no_good_match": self.no_good_match,
        }
