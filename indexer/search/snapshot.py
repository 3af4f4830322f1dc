"""One opened build of the index: its reader, document sets, scorer, columns and word lists."""

from __future__ import annotations

import threading

import numpy as np
from cachetools import LRUCache

from .. import store, vocab
from ..analysis import derivation_stem
from ..schema import FACETS, MISSING_SORT, TEXT_FIELDS
from ..suggest import SuggestIndex
from .docsets import FacetSets
from .scorer import Scorer

#: Numeric columns for sorting and ranges, by the name the search uses.
COLUMNS = {"modified": "sort_modified", "bewijskracht": "sort_bewijskracht", "impact": "sort_impact",
           "kosten": "sort_kosten"}
# How many derivational relatives a query word brings along (the most frequent ones),
# from how many index terms that start with its stem.
MAX_RELATED = 3
MAX_STEM_CANDIDATES = 64
RELATED_CACHE = 20_000


class Snapshot:
    """An opened build; everything a search needs that depends only on the build."""

    def __init__(self, build: store.Build):
        self.build = build
        self.marker = f"builds/{build.id}"
        self.ix = build.open()
        self._local = threading.local()
        reader = self.searcher().reader()
        self.facets = FacetSets.load(reader, FACETS)
        self.scorer = Scorer(lambda: self.searcher().reader(), TEXT_FIELDS, self.facets.alive)
        self.columns = {name: _column(reader, field) for name, field in COLUMNS.items()}
        # Interventions whose figures the editors derived: left out of filters on figures.
        self.derived = self.matching("cijfers", vocab.DERIVED)
        self.theme_labels: dict[str, str] = build.info.theme_labels
        self._suggest: SuggestIndex | None = None
        self._related = LRUCache(RELATED_CACHE)
        self._lock = threading.Lock()

    def searcher(self):
        """Return this thread's searcher: Whoosh's readers keep a file position each."""
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self.ix.searcher()
        return s

    def suggest_index(self) -> SuggestIndex:
        with self._lock:
            if self._suggest is None:
                reader = self.searcher().reader()
                titles = [(f.get("id"), f.get("title", ""), f.get("type", "")) for f in reader.all_stored_fields()]
                self._suggest = SuggestIndex.build(titles, self.theme_labels, self.facets)
        return self._suggest

    def related_terms(self, term: str) -> tuple[str, ...]:
        """Return the body terms that share a term's derivational stem, most frequent first.

        Snowball stems are prefixes of their words, so the candidates are the index
        terms that start with the stem: a walk of the term dictionary, not of every term.
        """
        with self._lock:
            cached = self._related.get(term)
        if cached is not None:
            return cached
        stem = derivation_stem(term)
        reader = self.searcher().reader()
        family = []
        for n, candidate in enumerate(reader.expand_prefix("body", stem)):
            if n >= MAX_STEM_CANDIDATES:
                break
            text = candidate.decode("utf-8") if isinstance(candidate, bytes) else candidate
            if text != term and text.isalpha() and derivation_stem(text) == stem:
                family.append((-reader.doc_frequency("body", text), text))
        related = tuple(t for _, t in sorted(family)[:MAX_RELATED])
        with self._lock:
            self._related[term] = related
        return related

    def knows(self, term: str) -> bool:
        """Return whether any page has the term in its title or body."""
        reader = self.searcher().reader()
        return bool(reader.doc_frequency("body", term) or reader.doc_frequency("title", term))

    def spelling_candidates(self, word: str, distance: int) -> list[str]:
        """Return index terms within ``distance`` edits of a word, best first."""
        corrector = self.searcher().corrector("body")
        return list(corrector.suggest(word, limit=3, maxdist=distance, prefix=1))

    def matching(self, field: str, value: str) -> np.ndarray:
        """Return the live documents with this exact value in an ID field (none if the build lacks the field)."""
        mask = np.zeros(self.facets.alive.size, dtype=bool)
        searcher = self.searcher()
        if field in searcher.schema.names():
            mask[list(searcher.document_numbers(**{field: value}))] = True
        return mask & self.facets.alive

    def range_mask(self, column: str, low: int | None, high: int | None) -> np.ndarray:
        """Return the documents whose value in a column lies within [low, high]; pages without it never do."""
        values = self.columns[column]
        mask = values != MISSING_SORT
        if low is not None:
            mask &= values >= low
        if high is not None:
            mask &= values <= high
        return mask & self.facets.alive


def _column(reader, name: str) -> np.ndarray:
    """Return a sortable numeric column for all documents as an array."""
    values = np.full(reader.doc_count_all(), MISSING_SORT, dtype=np.int64)
    if name not in reader.schema.names():  # an index written before the column existed
        return values
    for leaf, offset in reader.leaf_readers():
        if not leaf.has_column(name):
            continue
        column = list(leaf.column_reader(name))
        values[offset : offset + len(column)] = column
    return values
