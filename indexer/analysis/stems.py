"""Derivational stems: the lower-weighted second match that lets a verb meet its noun.

A lemma joins the forms of one word (leerlingen -> leerling); it does not join words
derived from each other (bewegen / beweging, storen / storend, uitdagen / uitdaging).
Whoosh's Snowball stemmer for Dutch does most of that; it leaves -ing and -end on short
words, so those are replaced by the verb ending first.
"""

from __future__ import annotations

import functools

from whoosh.lang.snowball.dutch import DutchStemmer

_SUFFIXES = ("ingen", "ing", "ende", "end")
_MIN_STEM = 3
_stemmer = DutchStemmer()


@functools.lru_cache(maxsize=200_000)
def derivation_stem(term: str) -> str:
    """Return the stem shared by a term and the words derived from it."""
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= _MIN_STEM:
            # Stem the verb the noun or participle comes from: "oefening" as "oefenen",
            # since Snowball would take "oefen" itself for a plural.
            return _stemmer.stem(term[: -len(suffix)] + "en")
    return _stemmer.stem(term)
