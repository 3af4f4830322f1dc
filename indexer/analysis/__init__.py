"""The Dutch analysis: one analyzer for pages and queries alike.

A page and a query must pass through the same chain, or "leerlingen" in a query would
never meet "leerling" on a page. The chain is spaCy's Dutch tokenizer and lemmas,
lower-casing, folding of diacritics, stop words, and compound parts indexed beside
the whole word at the same position.
"""

from __future__ import annotations

import functools
import re

from whoosh.analysis import Composable, Filter, Token, Tokenizer

from ..vocab import fold_diacritics
from .compounds import CompoundSplitter
from .lemmas import LEMMATIZER_VERSION, default_lemmatizer, load_pipeline, trained_model_installed
from .stems import derivation_stem
from .stopwords import FILLERS, STOP_WORDS

__all__ = [
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

# Hyphens and slashes join words that a teacher may type apart: "leraar-leerlingrelatie",
# "po/vo", "NT2-leerlingen". Each part becomes a token of its own.
_SPLIT = re.compile(r"[-/\u2010-\u2015]+")
_EDGE = re.compile(r"^\W+|\W+$")


@functools.cache
def compound_splitter() -> CompoundSplitter:
    """Return the shared compound splitter."""
    return CompoundSplitter(default_lemmatizer())


def analyzer_name(use_trained: bool | None = None) -> str:
    """Return the name an index records for the analyzer that built it."""
    return load_pipeline(use_trained)[1]


class DutchTokenizer(Tokenizer):
    """Tokenize with spaCy and yield each word's lemma, lower-cased and without accents.

    Whoosh pickles the schema, and with it this tokenizer, into the index; the spaCy
    pipeline is therefore looked up on use, never stored.
    """

    def __init__(self, use_trained: bool | None = None):
        self.use_trained = use_trained

    def __eq__(self, other):
        return type(other) is type(self) and other.use_trained == self.use_trained

    def __call__(
        self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
        start_pos=0, start_char=0, tokenize=True, mode="", **kwargs,
    ):
        nlp = load_pipeline(self.use_trained)[0]
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        if not tokenize:
            words = [(value, value.lower(), 0)]
        else:
            words = _words(nlp(value))
        for surface, lemma, offset in words:
            folded = fold_diacritics(lemma)
            stopped = fold_diacritics(surface.lower()) in STOP_WORDS or folded in STOP_WORDS
            if stopped and removestops:
                continue
            t.text = folded
            t.stopped = stopped
            t.boost = 1.0
            if keeporiginal:
                t.original = surface
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + offset
                t.endchar = start_char + offset + len(surface)
            yield t


def _words(doc):
    """Yield (surface, index term, char offset) for each word of a spaCy doc."""
    lemmatizer = default_lemmatizer()
    lemmatize, term = lemmatizer.lemma, lemmatizer.term
    for token in doc:
        text = token.text
        if not any(c.isalnum() for c in text):
            continue
        if _SPLIT.search(text):
            offset = token.idx
            for part in _SPLIT.split(text):
                stripped = _EDGE.sub("", part)
                if stripped:
                    start = text.find(stripped, offset - token.idx)
                    yield stripped, term(lemmatize(stripped.lower())), token.idx + start
                    offset = token.idx + start + len(stripped)
            continue
        stripped = _EDGE.sub("", text)
        if not stripped:
            continue
        lemma = token.lemma_ or stripped.lower()
        if stripped != text:
            lemma = lemmatize(stripped.lower())
        yield stripped, term(lemma), token.idx + text.find(stripped)


class CompoundFilter(Filter):
    """Add the parts of a compound at the position of the whole word."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, tokens):
        split = compound_splitter().split
        for t in tokens:
            yield t
            if t.stopped:
                continue
            parts = split(t.text)
            if parts:
                text, boost = t.text, t.boost
                for part in parts:
                    if part != text and part not in STOP_WORDS:
                        t.text = part
                        # Parts weigh less than the whole: a page about "rekenangst" should
                        # outrank one that says "angst" and "rekenen" apart.
                        t.boost = boost * 0.5
                        yield t
                t.text, t.boost = text, boost


def DutchAnalyzer(use_trained: bool | None = None) -> Composable:
    """Return the analyzer chain used for every text field and every query."""
    return DutchTokenizer(use_trained) | CompoundFilter()


def analyze(text: str, use_trained: bool | None = None) -> list[str]:
    """Return the terms the index holds for ``text`` (handy in tests and on the CLI)."""
    return [t.text for t in DutchAnalyzer(use_trained)(text)]


@functools.cache
def filler_terms() -> frozenset[str]:
    """Return the index terms of the question fillers (their lemmas)."""
    return frozenset(t for word in FILLERS for t in analyze(word) if t not in STOP_WORDS)
