"""What a search asks for and what it answers: the API contract, as types.

The API serializes a SearchResult as it is and the web pages render it, so both show
the same thing. Each field's ``meta`` holds what its type cannot say (a description,
allowed values, bounds); validation, JSON and the OpenAPI document are derived from
these declarations (contract.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from . import vocab
from .contract import meta, problems, to_json
from .parse import Theme

#: Sort orders as the API names them, with the Dutch label the web page shows.
SORTS: dict[str, str] = {
    "relevance": "relevantie",
    "date": "nieuwste",
    "bewijskracht": "sterkste bewijs",
    "impact": "grootste effect",
}
# The cost budget of a request. Each bound is declared once here; validation, the OpenAPI
# document and the README's limits follow from these names. They sit far above what a
# teacher types and keep the costliest request the API allows under 100 ms of CPU on
# 10,000 pages (bench/worst_requests.py).
MAX_PER_PAGE = 100
#: How deep a search pages: page x per_page at most. Every result before the page asked
#: for is ranked, phrase-checked and sorted, and no one reads beyond this.
MAX_RESULTS = 1000
MAX_PAGE = MAX_RESULTS
MAX_FILTER_VALUES = 20
#: Longer queries are cut (not refused): a pasted paragraph still searches its start.
MAX_QUERY_CHARS = 500
#: Exact phrases ("...") in one query: each is a positional match over its words' postings.
MAX_PHRASES = 8
#: Words in one query, a phrase's words and excluded words included: each is a posting
#: list to read and a unit to rank.
MAX_QUERY_WORDS = 32
MAX_SUGGEST = 20
#: Characters of a suggest prefix; completions come from titles, so more never helps.
MAX_SUGGEST_CHARS = 100
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


class Checked:
    """A request type whose field metadata are its rules (see contract.meta)."""

    def validate(self):
        """Return self, or raise InvalidParameter for the first value out of bounds."""
        for name, message, allowed in problems(self):
            raise InvalidParameter(name, message, allowed)
        return self


@dataclass
class SearchRequest(Checked):
    """Everything a search can ask for; `validate` checks it all at once."""

    q: str = field(default="", metadata=meta(
        'Zoekvraag: woorden, "exacte zin", -uitsluiten (of NOT woord), voorvoegsel*. Leeg: alles, nieuwste '
        f"eerst. Na {MAX_QUERY_CHARS} tekens afgekapt; hoogstens {MAX_QUERY_WORDS} woorden en "
        f"{MAX_PHRASES} exacte zinnen, anders 400.",
        **{"x-maxWords": MAX_QUERY_WORDS, "x-maxPhrases": MAX_PHRASES}))
    type: list[str] = field(default_factory=list, metadata=meta(
        "Inhoudstype (herhaalbaar, OF).", maxItems=MAX_FILTER_VALUES, items={"enum": list(vocab.TYPES)}))
    thema: list[str] = field(default_factory=list, metadata=meta("Thema-slug (herhaalbaar, OF).",
                                                                 maxItems=MAX_FILTER_VALUES))
    sector: list[str] = field(default_factory=list, metadata=meta(
        "Sector (herhaalbaar, OF).", maxItems=MAX_FILTER_VALUES, items={"enum": list(vocab.SECTORS)}))
    bewijskracht: list[int] = field(default_factory=list, metadata=meta(
        "Bewijskracht (herhaalbaar, OF).", maxItems=MAX_FILTER_VALUES, items={"enum": list(vocab.BEWIJSKRACHT)}))
    min_bewijskracht: int | None = field(default=None, metadata=meta(
        "Minimale bewijskracht.", minimum=min(vocab.BEWIJSKRACHT), maximum=max(vocab.BEWIJSKRACHT)))
    date_from: date | None = field(default=None, metadata=meta("Bijgewerkt op of na deze datum."))
    date_to: date | None = field(default=None, metadata=meta("Bijgewerkt op of voor deze datum."))
    sort: str = field(default="relevance", metadata=meta("Sortering.", enum=list(SORTS)))
    page: int = field(default=1, metadata=meta(
        f"Resultatenpagina; page x per_page hoogstens {MAX_RESULTS}, anders 400.", minimum=1, maximum=MAX_PAGE,
        **{"x-maxResults": MAX_RESULTS}))
    per_page: int = field(default=10, metadata=meta("Resultaten per pagina.", minimum=1, maximum=MAX_PER_PAGE))
    skip: list[str] = field(default_factory=list, metadata=meta(
        "Filters die niet uit de zoekwoorden gelezen worden (herhaalbaar; all: geen enkel).",
        maxItems=MAX_FILTER_VALUES, items={"enum": [*INTERPRETED, "all"]}))
    correct: bool = field(default=True, metadata=meta(
        "false: zoek de woorden zoals getypt, zonder spellingverbetering."))
    afgeleid: bool = field(default=False, metadata=meta(
        "true: filters op cijfers (bewijskracht, kosten, effect) laten ook interventies met door de redactie "
        "afgeleide cijfers door; standaard alleen toolkitcijfers."))

    def validate(self) -> SearchRequest:
        """Return self, or raise InvalidParameter for the first value out of bounds."""
        super().validate()
        if self.page * self.per_page > MAX_RESULTS:
            raise InvalidParameter("page", f"Je kunt de eerste {MAX_RESULTS} resultaten bekijken, niet verder. "
                                           "Maak je zoekvraag specifieker of kies een filter.")
        self._check_query()
        return self

    def _check_query(self) -> None:
        # Imported here: the search package imports this module.
        from .search.query import parse_user_query

        clauses = parse_user_query(self.q, limit=None).clauses
        phrases = sum(c.kind == "phrase" for c in clauses)
        if phrases > MAX_PHRASES:
            raise InvalidParameter("q", f"Je zoekvraag heeft {phrases} zinnen tussen aanhalingstekens; "
                                        f"gebruik er hoogstens {MAX_PHRASES}.")
        words = sum(len(c.text.split()) for c in clauses)
        if words > MAX_QUERY_WORDS:
            raise InvalidParameter("q", f"Je zoekvraag heeft {words} woorden; gebruik er hoogstens "
                                        f"{MAX_QUERY_WORDS}, de belangrijkste.")

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


@dataclass
class SuggestRequest(Checked):
    """What a person has typed so far, for completions."""

    q: str = field(default="", metadata=meta("Wat er tot nu toe getypt is.", maxLength=MAX_SUGGEST_CHARS))
    limit: int = field(default=8, metadata=meta("Hoeveel aanvullingen.", minimum=1, maximum=MAX_SUGGEST))


@dataclass
class PageFacts:
    """What every answer about one page says of it: ids, titles, facets, figures, date."""

    id: str
    url: str
    title: str
    type: str = field(metadata=meta(enum=list(vocab.TYPES)))
    summary: str
    themes: list[Theme]
    sectors: list[str] = field(metadata=meta(items={"enum": list(vocab.SECTORS)}))
    bewijskracht: int | None = field(metadata=meta(minimum=0, maximum=max(vocab.BEWIJSKRACHT)))
    impact: int | None = field(metadata=meta("Maanden extra vooruitgang (EEF-toolkit)."))
    kosten: int | None = field(metadata=meta(minimum=min(vocab.KOSTEN), maximum=max(vocab.KOSTEN)))
    modified: str | None = field(metadata=meta(format="date"))
    cijfers: str | None = field(metadata=meta(
        "Bij interventies: afgeleid als de cijfers niet uit de EEF-toolkit komen maar door de redactie zijn "
        "samengesteld; leeg bij toolkitcijfers.", enum=[vocab.DERIVED, None]))
    nummer: str | None = field(metadata=meta("Bij Kennisrotonde-antwoorden: het antwoordnummer (KR.123)."))


@dataclass
class Hit(PageFacts):
    """One page in a result."""

    snippet: str = field(metadata=meta("Platte tekst rond de gevonden woorden (geen HTML)."))
    highlights: list[list[int]] = field(metadata=meta(
        "[begin, eind) tekenposities in snippet van de gevonden woorden, om op te maken.",
        items={"minItems": 2, "maxItems": 2}))
    score: float | None
    matched: list[str] = field(default_factory=list, metadata=meta(
        "De woorden uit de zoekvraag (zoals getypt) die deze pagina bevat."))


@dataclass
class Related:
    """A page like the one shown: shared themes and key terms."""

    id: str
    url: str | None
    title: str
    type: str = field(metadata=meta(enum=list(vocab.TYPES)))


@dataclass
class Document(PageFacts):
    """One page with its text, its structure and the pages most like it."""

    body: str = field(metadata=meta("De tekst van de pagina, zonder menu's, voetteksten en literatuurlijst."))
    body_html: str = field(metadata=meta(
        "De opbouw van de tekst als opgeschoonde HTML (koppen, alinea's, lijsten, tabellen, links); "
        "leeg bij een index van vóór dit veld."))
    headings: list[str]
    short_answer: str = field(metadata=meta("Bij Kennisrotonde-antwoorden: het korte antwoord."))
    issued: str | None = field(metadata=meta("Eerst gepubliceerd (bij antwoorden: de datum van het antwoord).",
                                             format="date"))
    related: list[Related]


@dataclass
class Suggestion:
    """A completion: a title to open or a theme to search in."""

    label: str
    kind: str = field(metadata=meta("thema, of het inhoudstype van de pagina.", enum=["thema", *vocab.TYPES]))
    id: str | None = field(metadata=meta("Bij een titel: het id van de pagina."))


@dataclass
class Suggestions:
    """The completions for what someone typed."""

    query: str
    suggestions: list[Suggestion]


@dataclass
class Health:
    """What a load balancer needs: the open build, and whether something is wrong."""

    status: str = field(metadata=meta(enum=["ok", "degraded"]))
    documents: int = field(metadata=meta(minimum=0))
    analyzer: str
    build: str
    built: str | None
    error: str | None = field(default=None, metadata=meta(
        "Waarom een nieuwere index niet geopend kon worden of de index terugviel op een oudere build."))


@dataclass
class FacetValue:
    """One value of a facet, with the number of pages choosing it would give."""

    value: str
    label: str
    count: int = field(metadata=meta(minimum=0))
    selected: bool


@dataclass(frozen=True)
class Interpretation:
    """Words of the query that became a filter."""

    words: str = field(metadata=meta("De woorden zoals getypt."))
    filter: str = field(metadata=meta(enum=list(INTERPRETED)))
    values: tuple[str, ...] = field(default=(), metadata=meta("Bij type en sector: de gekozen waarden."))
    minimum: int | None = field(default=None, metadata=meta("Bij kosten, impact, bewijskracht: ondergrens."))
    maximum: int | None = field(default=None, metadata=meta("Bij kosten, impact, bewijskracht: bovengrens."))
    label: str = ""
    kept_as_text: bool = field(default=False, metadata=meta("De woorden tellen ook als zoekwoorden mee."))


@dataclass(frozen=True)
class Expansion:
    """Synonyms searched for as well as a word of the query."""

    word: str
    added: list[str]


@dataclass(frozen=True)
class Widening:
    """A filter value the request chose, and how many pages the same search finds without it."""

    filter: str = field(metadata=meta(enum=[*vocab.FACETS, "min_bewijskracht"]))
    value: str
    total: int = field(metadata=meta(minimum=0))


@dataclass
class SearchResult:
    """What a search returns; the API serializes it as is, the web page renders it."""

    query: str = field(metadata=meta("De zoekvraag zoals getypt."))
    total: int = field(metadata=meta(minimum=0))
    page: int = field(metadata=meta(minimum=1))
    per_page: int = field(metadata=meta(minimum=1))
    results: list[Hit]
    facets: dict[str, list[FacetValue]] = field(metadata=meta(required=list(vocab.FACETS)))
    suggestion: str | None = field(default=None, metadata=meta("Een verbeterde spelling, niet toegepast."))
    relaxed: bool = field(default=False, metadata=meta("Geen resultaat bevat alle zoekwoorden."))
    sort: str = field(default="relevance", metadata=meta(enum=list(SORTS)))
    query_used: str = field(default="", metadata=meta(
        "De zoekvraag waarvoor de resultaten gelden: zoals getypt, of de spellingverbetering ervan."))
    corrected: bool = field(default=False, metadata=meta("De spelling is verbeterd (zie query_used)."))
    interpreted: list[Interpretation] = field(default_factory=list)
    expanded: list[Expansion] = field(default_factory=list)
    no_good_match: bool = field(default=False, metadata=meta(
        "Geen pagina bevat de meeste informatieve woorden van de vraag: de resultaten zijn gedeeltelijk."))
    without_filter: list[Widening] = field(default_factory=list, metadata=meta(
        "Alleen bij nul resultaten: per gekozen filterwaarde hoeveel pagina's de zoekvraag zonder die waarde vindt."))

    @property
    def pages(self) -> int:
        """Return the number of result pages one can open: no further than MAX_RESULTS."""
        return max(1, min(math.ceil(self.total / self.per_page), MAX_RESULTS // self.per_page))

    def to_dict(self) -> dict:
        return to_json(self)
