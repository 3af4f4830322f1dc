"""Kennisbank's indexing and search library: parse pages, analyse Dutch, build and search the index."""

from .build import Report, build_index, check_sources
from .parse import Page, PageError, parse_page
from .results import InvalidParameter, NotFound, SearchRequest, SearchResult
from .search import SearchEngine
from .settings import Settings, SettingsError
from .sources import SourceError
from .store import AnalyzerMismatch, IndexStoreError, NoIndex

__all__ = [
    "AnalyzerMismatch",
    "IndexStoreError",
    "InvalidParameter",
    "NoIndex",
    "NotFound",
    "Page",
    "PageError",
    "Report",
    "SearchEngine",
    "SearchRequest",
    "SearchResult",
    "Settings",
    "SettingsError",
    "SourceError",
    "build_index",
    "check_sources",
    "parse_page",
]
