"""Match and score query units (BM25F) over the posting arrays of one build.

Whoosh evaluates a query by walking a tree of matchers in Python, one document at a
time; for a query over four weighted fields with compound alternatives that costs about
50 ms on 10,000 pages. Here a unit's matches and scores are array operations over all
documents at once (postings.py reads each posting list once per build).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from cachetools import LRUCache

from . import positions
from .postings import PostingArrays
from .units import AnyOf, Phrase, Prefix, Word

# A word found only through its compound parts ("angst voor rekenen" for "rekenangst")
# counts for less than the word itself, and a word related only by its stem
# ("beweging" for "bewegen") for less again.
PART_WEIGHT = 0.5
RELATED_WEIGHT = 0.4
# Members of a synonym group other than the word typed: the teacher did not write them.
SYNONYM_WEIGHT = 0.8
MAX_PREFIX_TERMS = 64
CACHE_POSITIONAL = 400
# Compound parts count where they stand at most this many positions apart (stop words
# take no position): "rekenangst" meets "angst voor rekenen" and "reken-angst".
PART_DISTANCE = 1
# Positions are read for at most this many pages with both parts of a compound, or with
# all words of a synonym of several words: the best-scoring ones.
MAX_POSITIONAL_CANDIDATES = 100
# A word on at most this share of the pages is specific enough to stand for a compound part.
SPECIFIC_SHARE = 0.1


@dataclass(frozen=True)
class Match:
    """What one unit matched: the documents, their BM25F scores, and which have it in the title."""

    docs: np.ndarray  # bool per document
    score: np.ndarray  # float32 per document
    in_title: np.ndarray  # bool per document


class Scorer:
    """Matches and BM25F scores of query units over one build's posting arrays."""

    def __init__(self, reader: Callable, fields: dict[str, float], alive: np.ndarray):
        """
        :param reader: returns the calling thread's index reader. Whoosh's readers seek
            and read one file object each, so threads must not share one.
        """
        self.reader = reader
        self.fields = fields
        self.arrays = PostingArrays(reader, fields, alive)
        self.size = self.arrays.size
        self.live_count = self.arrays.live_count
        self.lengths = self.arrays.lengths
        self.postings = self.arrays.get
        self._positional = LRUCache(CACHE_POSITIONAL)
        self._lock = threading.Lock()

    # -- units -------------------------------------------------------------------

    def match(self, unit) -> Match:
        """Return the documents a unit matches, with their scores."""
        match unit:
            case Word():
                return self._word(unit)
            case Phrase(words=words, bounded=bounded):
                return self._phrase(words, bounded)
            case Prefix(stem=stem):
                return self._prefix(stem)
            case AnyOf(alternatives=alts):
                docs, score, title = self._empty()
                for i, alt in enumerate(alts):
                    m = self.match(alt)
                    weight = 1.0 if i == 0 else SYNONYM_WEIGHT
                    docs |= m.docs
                    title |= m.in_title
                    np.maximum(score, weight * m.score, out=score)
                return Match(docs, score, title)
        raise TypeError(f"not a query unit: {unit!r}")

    def _empty(self):
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float32), np.zeros(self.size, dtype=bool)

    def _term(self, term: str, weight: float = 1.0) -> Match:
        docs, score, title = self._empty()
        for field, boost in self.fields.items():
            ids, s = self.postings(field, term)
            if ids.size:
                docs[ids] = True
                score[ids] += boost * weight * s
                if field == "title":
                    title[ids] = True
        return Match(docs, score, title)

    def _word(self, word: Word) -> Match:
        whole = self._term(word.term)
        docs, score, title = whole.docs.copy(), whole.score.copy(), whole.in_title.copy()
        if word.parts:
            parts = [self._term(p, PART_WEIGHT) for p in word.parts]
            together = self._parts_together(word, parts, whole)
            if not together.any() and not whole.docs.any() and all(self._specific(p) for p in parts):
                # No page has the compound, whole or with its parts together ("telefoonverbod"):
                # then its parts anywhere are the best there is, if each says something of its
                # own ("oktober" + "kind" on one page says nothing about an "oktoberkind").
                together = np.logical_and.reduce([p.docs for p in parts])
            docs |= together
            score += np.where(together & ~whole.docs, sum(p.score for p in parts), 0).astype(np.float32)
            title |= together & np.logical_and.reduce([p.in_title for p in parts])
        for term in word.related:
            rel = self._term(term, RELATED_WEIGHT)
            # A relative adds to a page that lacks the word itself, never to one that has it.
            add = rel.docs & ~whole.docs
            score += np.where(add, rel.score, 0).astype(np.float32)
            docs |= rel.docs
            title |= rel.in_title
        return Match(docs, score, title)

    def _best(self, candidates: np.ndarray, score: np.ndarray) -> np.ndarray:
        """Return at most MAX_POSITIONAL_CANDIDATES of the candidates, the best-scoring ones."""
        if candidates.size <= MAX_POSITIONAL_CANDIDATES:
            return candidates
        top = np.argpartition(-score[candidates], MAX_POSITIONAL_CANDIDATES - 1)[:MAX_POSITIONAL_CANDIDATES]
        return candidates[top]

    def _specific(self, match: Match) -> bool:
        return int(match.docs.sum()) <= SPECIFIC_SHARE * self.live_count

    def _parts_together(self, word: Word, parts: list[Match], whole: Match) -> np.ndarray:
        """Return the pages where a compound's parts stand together, not sentences apart.

        Pages with the compound itself already match; of the others, positions are read
        for the best-scoring ones only, so that two common parts cost a bounded amount.
        """
        key = ("near", word.term, word.parts)
        with self._lock:
            cached = self._positional.get(key)
        if cached is not None:
            return cached
        candidates = np.flatnonzero(np.logical_and.reduce([m.docs for m in parts]) & ~whole.docs)
        docnums = sorted(int(d) for d in self._best(candidates, sum(m.score for m in parts)))
        keep: set[int] = set()
        for field in ("title", "body"):
            keep |= positions.near(self.reader(), field, list(word.parts), docnums, PART_DISTANCE)
        out = np.zeros(self.size, dtype=bool)
        if keep:
            out[list(keep)] = True
        with self._lock:
            self._positional[key] = out
        return out

    def _prefix(self, stem: str) -> Match:
        docs, score, title = self._empty()
        for field in self.fields:
            for n, term in enumerate(self.reader().expand_prefix(field, stem)):
                if n >= MAX_PREFIX_TERMS:
                    break
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                ids, s = self.postings(field, text)
                docs[ids] = True
                if field == "title":
                    title[ids] = True
                np.maximum.at(score, ids, self.fields[field] * s)
        return Match(docs, score, title)

    def _phrase(self, words: tuple[str, ...], bounded: bool = False) -> Match:
        key = ("phrase", words, bounded)
        with self._lock:
            cached = self._positional.get(key)
        if cached is not None:
            return cached
        terms = [self._term(w) for w in words]
        docs = np.logical_and.reduce([t.docs for t in terms])
        # Check word order only where all words occur: positions from the postings.
        candidates = np.flatnonzero(docs)
        if bounded:
            candidates = self._best(candidates, sum(t.score for t in terms))
        candidates = sorted(int(d) for d in candidates)
        in_body = positions.with_phrase(self.reader(), "body", list(words), candidates)
        in_title = positions.with_phrase(self.reader(), "title", list(words), candidates)
        docs = np.zeros(self.size, dtype=bool)
        title = np.zeros(self.size, dtype=bool)
        if in_body | in_title:
            docs[list(in_body | in_title)] = True
        if in_title:
            title[list(in_title)] = True
        score = np.where(docs, sum(t.score for t in terms), 0).astype(np.float32)
        result = Match(docs, score, title)
        with self._lock:
            self._positional[key] = result
        return result
