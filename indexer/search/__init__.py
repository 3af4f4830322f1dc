"""Search: one engine behind the CLI, the web pages and the JSON API.

The parts, each in its own module:
  engine      opens, watches and caches builds; pages, suggestions, health
  snapshot    one opened build: reader, document sets, scorer, columns, word lists
  opening     a build verified, then opened; the newest intact kept build to fall back on
  searching   one search: understand, match, correct, filter, rank, page
  query       the query language for people, and query units from its clauses
  units       the units as frozen values
  understand  filters read from the query's words
  spelling    corrections of words the index does not know
  scorer      BM25F matches of units
  postings    posting lists as cached arrays with their BM25 scores
  ranking     graded matching and "no good match", as pure functions
  positions   phrase, compound and snippet positions from the postings
  snippets    the text around the matches, with their offsets
  hits        result pages as Hit objects
  docsets     facet values as document sets, and their counts
  related     pages like a page, from its key terms on the posting arrays
"""

from ..results import (
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PER_PAGE,
    SORTS,
    FacetValue,
    Hit,
    InvalidParameter,
    NotFound,
    SearchError,
    SearchRequest,
    SearchResult,
)
from ..schema import MISSING_SORT
from .engine import SearchEngine

__all__ = [
    "MAX_FILTER_VALUES",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "MISSING_SORT",
    "SORTS",
    "FacetValue",
    "Hit",
    "InvalidParameter",
    "NotFound",
    "SearchEngine",
    "SearchError",
    "SearchRequest",
    "SearchResult",
]
