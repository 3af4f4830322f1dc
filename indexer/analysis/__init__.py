"""The Dutch analysis: one analyzer for pages and queries alike.

A page and a query must pass through the same chain, or "leerlingen" in a query would
never meet "leerling" on a page (filters.py):

    DutchTokenizer | LemmaFilter | LowercaseFilter | FoldFilter | DutchStopFilter | CompoundFilter

spaCy's Dutch tokenizer, the lemma's index term, lower-casing, folding of diacritics,
stop words, and compound parts indexed beside the whole word at the same position.
"""

from __future__ import annotations

import functools

from .compounds import CompoundSplitter

# The classes Whoosh pickles into an index stay importable from here (see filters.py).
from .filters import CompoundFilter, DutchStopFilter, DutchTokenizer, FoldFilter, LemmaFilter, dutch_chain
from .lemmas import LEMMATIZER_VERSION, default_lemmatizer, load_pipeline, trained_model_installed
from .stems import derivation_stem
from .stopwords import FILLERS, STOP_WORDS

__all__ = [
    "CompoundFilter",
    "DutchStopFilter",
    "DutchTokenizer",
    "FoldFilter",
    "LemmaFilter",
    "DutchAnalyzer",
    "analyzer_name",
    "analyze",
    "derivation_stem",
    "filler_terms",
    "STOP_WORDS",
    "compound_splitter",
    "trained_model_installed",
    "LEMMATIZER_VERSION",
]


@functools.cache
def compound_splitter() -> CompoundSplitter:
    """Return the shared compound splitter."""
    return CompoundSplitter(default_lemmatizer())


def analyzer_name(use_trained: bool | None = None) -> str:
    """Return the name an index records for the analyzer that built it."""
    return load_pipeline(use_trained)[1]


def DutchAnalyzer(use_trained: bool | None = None):
    """Return the analyzer chain used for every text field and every query."""
    return dutch_chain(use_trained)


def analyze(text: str, use_trained: bool | None = None) -> list[str]:
    """Return the terms the index holds for ``text`` (handy in tests and on the CLI)."""
    return [t.text for t in DutchAnalyzer(use_trained)(text)]


@functools.cache
def filler_terms() -> frozenset[str]:
    """Return the index terms of the question fillers (their lemmas)."""
    return frozenset(t for word in FILLERS for t in analyze(word) if t not in STOP_WORDS)
