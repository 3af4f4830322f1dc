"""The steps of the Dutch analysis, each a Whoosh tokenizer or filter you can read in one line.

    DutchTokenizer | LemmaFilter | LowercaseFilter | FoldFilter | DutchStopFilter | CompoundFilter

Whoosh pickles the schema, and with it these classes, into every index. Their stored
names are therefore fixed to the stable module ``indexer.analysis`` (which re-exports
them), so this module can change shape without making old indexes unreadable before
the analyzer check can say that they need a rebuild.
"""

from __future__ import annotations

import re

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from ..vocab import fold_diacritics
from .lemmas import default_lemmatizer, load_pipeline
from .stopwords import STOP_WORDS

STABLE_MODULE = "indexer.analysis"

# Hyphens and slashes join words that a teacher may type apart: "leraar-leerlingrelatie",
# "po/vo", "NT2-leerlingen". Each part becomes a token of its own.
_SPLIT = re.compile(r"[-/\u2010-\u2015]+")
_EDGE = re.compile(r"^\W+|\W+$")


class DutchTokenizer(Tokenizer):
    """Split text into words with spaCy's Dutch tokenizer; each token carries its lemma.

    The spaCy pipeline is looked up on use, never pickled into the index.
    """

    __module__ = STABLE_MODULE

    def __init__(self, use_trained: bool | None = None):
        self.use_trained = use_trained

    def __eq__(self, other):
        return type(other) is type(self) and other.use_trained == self.use_trained

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = _chunked_words(load_pipeline(self.use_trained)[0], value) if tokenize else [(value, value.lower(), 0)]
        for surface, lemma, offset in words:
            t.text = surface
            t.surface = surface
            t.lemma = lemma
            t.stopped = False
            t.boost = 1.0
            if keeporiginal:
                t.original = surface
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char + offset
                t.endchar = start_char + offset + len(surface)
            yield t


class _StoredFilter(Filter):
    """A filter stored in the index under the stable module's name; equal to any of its kind."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.__module__ = STABLE_MODULE

    def __eq__(self, other):
        return type(other) is type(self)


class LemmaFilter(_StoredFilter):
    """Replace each word by the index term of its lemma (one term per word family)."""

    def __call__(self, tokens):
        term = default_lemmatizer().term
        for t in tokens:
            t.text = term(t.lemma)
            yield t


class FoldFilter(_StoredFilter):
    """Remove diacritics, so 'coördinatie' and 'coordinatie' meet."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_diacritics(t.text)
            yield t


class DutchStopFilter(_StoredFilter):
    """Drop stop words (as typed or as lemma) and number the remaining positions."""

    def __call__(self, tokens):
        pos = None
        for t in tokens:
            if pos is None and t.positions:
                pos = t.pos
            t.stopped = fold_diacritics(t.surface.lower()) in STOP_WORDS or t.text in STOP_WORDS
            if t.stopped and t.removestops:
                continue
            if t.positions:
                t.pos = pos
                pos += 1
            yield t


class CompoundFilter(_StoredFilter):
    """Add the parts of a compound at the position of the whole word."""

    def __call__(self, tokens):
        from . import compound_splitter

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


def dutch_chain(use_trained: bool | None = None):
    """Return the analyzer chain used for every text field and every query."""
    return (DutchTokenizer(use_trained) | LemmaFilter() | LowercaseFilter() | FoldFilter() | DutchStopFilter()
            | CompoundFilter())


#: Text is analysed in pieces of at most this many characters. spaCy refuses a text over
#: its max_length (1,000,000) with E088, and a page of a million characters is a long
#: report, not an attack; pieces cut at whitespace give exactly the tokens of the whole.
CHUNK_CHARS = 100_000


def _chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Return (char offset, piece) for pieces of text no longer than size, cut at whitespace where possible."""
    if len(text) <= size:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
            # A piece without any space (one endless "word") is cut where it must be.
            if cut > start:
                end = cut
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _chunked_words(nlp, text: str):
    """Yield (surface, lemma, char offset) for each word of text, analysing it piece by piece."""
    for offset, piece in _chunks(text):
        for surface, lemma, start in _words(nlp(piece)):
            yield surface, lemma, offset + start


def _words(doc):
    """Yield (surface, lemma, char offset) for each word of a spaCy doc."""
    lemmatize = default_lemmatizer().lemma
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
                    yield stripped, lemmatize(stripped.lower()), token.idx + start
                    offset = token.idx + start + len(stripped)
            continue
        stripped = _EDGE.sub("", text)
        if not stripped:
            continue
        lemma = token.lemma_ or stripped.lower()
        if stripped != text:
            lemma = lemmatize(stripped.lower())
        yield stripped, lemma, token.idx + text.find(stripped)
