"""Match and rank with NumPy over Whoosh's postings: BM25F for the query units of query.py.

Whoosh evaluates a query by walking a tree of matchers in Python, one document at a
time; for a query over four weighted fields with compound alternatives that cost about
50 ms on 10,000 pages. Here each (field, term) posting list is read once per index build
into arrays (and kept in a bounded cache), and matching and BM25F scoring become array
operations over all documents at once: a few milliseconds, and the same for the
matching-document set that the facet counts need.

Whoosh still stores the index, the postings and the positions; this module only reads.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.reading import TermNotFound

from . import snippets

# BM25 parameters, the usual ones: k1 for how fast repeated words saturate, b for how
# much a long field is discounted.
K1 = 1.2
B = 0.75
# A word matched through its compound parts ("angst voor rekenen" for "rekenangst")
# counts for less than the word itself.
PART_WEIGHT = 0.5
MAX_PREFIX_TERMS = 64
# The posting cache is bounded by bytes, not entries: one common term of a 100,000-page
# index takes over a megabyte.
CACHE_BYTES = 192 * 2**20
CACHE_PHRASES = 200


@dataclass
class Unit:
    """One required part of a query: a word, a compound, a synonym group, a phrase or a prefix."""

    kind: str  # "word", "phrase", "allwords", "prefix" or "any" (alternatives)
    terms: tuple = ()  # word: (whole, *parts); phrase and allwords: the words; prefix: (stem,)
    alternatives: tuple = ()  # for "any": a tuple of Units


class Scorer:
    """Per-build arrays: field lengths, and cached posting lists as (docnums, weights)."""

    def __init__(self, reader, fields: dict[str, float], alive: np.ndarray):
        self.reader = reader
        self.fields = fields
        self.size = reader.doc_count_all()
        self.alive = alive
        self.lengths = {}
        self.avg = {}
        for field in fields:
            lengths = np.zeros(self.size, dtype=np.float32)
            for leaf, offset in reader.leaf_readers():
                n = leaf.doc_count_all()
                lengths[offset : offset + n] = [leaf.doc_field_length(d, field) for d in range(n)]
            self.lengths[field] = lengths
            live = lengths[alive]
            self.avg[field] = float(live.mean()) if live.size and live.mean() > 0 else 1.0
        self.live_count = int(alive.sum())
        self._cache: OrderedDict = OrderedDict()
        self._cache_bytes = 0
        self._phrases: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    # -- posting lists -----------------------------------------------------------

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (docnums, BM25 scores) of a term in a field, cached per build."""
        key = (field, term)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        ids, weights = self._read(field, term)
        if ids.size:
            keep = self.alive[ids]
            ids, weights = ids[keep], weights[keep]
        df = ids.size
        idf = math.log(1 + (self.live_count - df + 0.5) / (df + 0.5))
        norm = K1 * (1 - B + B * self.lengths[field][ids] / self.avg[field])
        scores = (idf * weights * (K1 + 1) / (weights + norm)).astype(np.float32)
        value = (ids, scores)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = value
                self._cache_bytes += ids.nbytes + scores.nbytes
            while self._cache_bytes > CACHE_BYTES and len(self._cache) > 1:
                _, (old_ids, old_scores) = self._cache.popitem(last=False)
                self._cache_bytes -= old_ids.nbytes + old_scores.nbytes
        return value

    def _read(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        ids: list[int] = []
        weights: list[float] = []
        for leaf, offset in self.reader.leaf_readers():
            try:
                m = leaf.postings(field, term)
            except (TermNotFound, KeyError):
                continue
            _drain(m, offset, ids, weights)
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)

    # -- query units ---------------------------------------------------------------

    def unit(self, unit: Unit) -> tuple[np.ndarray, np.ndarray]:
        """Return (matching mask, score) over all documents for one unit."""
        if unit.kind == "word":
            return self._word(unit.terms[0], unit.terms[1:])
        if unit.kind == "prefix":
            return self._prefix(unit.terms[0])
        if unit.kind == "phrase":
            return self._phrase(tuple(unit.terms))
        if unit.kind == "allwords":
            return self._all_words(unit.terms)
        mask = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float32)
        for alt in unit.alternatives:
            m, s = self.unit(alt)
            mask |= m
            np.maximum(score, s, out=score)
        return mask, score

    def _term(self, term: str, weight: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        mask = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float32)
        for field, boost in self.fields.items():
            ids, s = self.postings(field, term)
            if ids.size:
                mask[ids] = True
                score[ids] += boost * weight * s
        return mask, score

    def _word(self, whole: str, parts: tuple) -> tuple[np.ndarray, np.ndarray]:
        mask, score = self._term(whole)
        if parts:
            part_mask = np.ones(self.size, dtype=bool)
            part_score = np.zeros(self.size, dtype=np.float32)
            for p in parts:
                m, s = self._term(p, PART_WEIGHT)
                part_mask &= m
                part_score += s
            mask |= part_mask
            score += np.where(part_mask, part_score, 0)
        return mask, score

    def _prefix(self, stem: str) -> tuple[np.ndarray, np.ndarray]:
        mask = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float32)
        for field in self.fields:
            for n, term in enumerate(self.reader.expand_prefix(field, stem)):
                if n >= MAX_PREFIX_TERMS:
                    break
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                ids, s = self.postings(field, text)
                mask[ids] = True
                np.maximum.at(score, ids, self.fields[field] * s)
        return mask, score

    def _all_words(self, words) -> tuple[np.ndarray, np.ndarray]:
        mask = np.ones(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float32)
        for w in words:
            m, s = self._term(w)
            mask &= m
            score += s
        return mask, np.where(mask, score, 0).astype(np.float32)

    def _phrase(self, words: tuple) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            cached = self._phrases.get(words)
        if cached is not None:
            return cached
        mask, score = self._all_words(words)
        # Check word order only where all words occur: positions from the postings.
        candidates = [int(d) for d in np.flatnonzero(mask)]
        keep = snippets.with_phrase(self.reader, "body", list(words), candidates)
        keep |= snippets.with_phrase(self.reader, "title", list(words), candidates)
        mask[:] = False
        if keep:
            mask[list(keep)] = True
        result = (mask, np.where(mask, score, 0).astype(np.float32))
        with self._lock:
            self._phrases[words] = result
            if len(self._phrases) > CACHE_PHRASES:
                self._phrases.popitem(last=False)
        return result

    def evaluate(self, units: list[Unit], excluded: list[Unit], mode: str = "and") -> tuple[np.ndarray, np.ndarray]:
        """Combine units: all required ("and") or any ("or"); excluded units remove documents."""
        if units:
            mask = np.ones(self.size, dtype=bool) if mode == "and" else np.zeros(self.size, dtype=bool)
            score = np.zeros(self.size, dtype=np.float32)
            for unit in units:
                m, s = self.unit(unit)
                if mode == "and":
                    mask &= m
                else:
                    mask |= m
                score += s
        else:
            mask = self.alive.copy()
            score = np.zeros(self.size, dtype=np.float32)
        for unit in excluded:
            mask &= ~self.unit(unit)[0]
        return mask & self.alive, score


def _drain(m, offset: int, ids: list, weights: list) -> None:
    """Append a leaf matcher's postings, block by block where the codec allows it."""
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            ids.extend(d + offset for d in m._ids[m._i :])
            weights.extend(m._weights[m._i :])
            m._next_block()
        return
    while m.is_active():
        ids.append(m.id() + offset)
        weights.append(m.weight())
        m.next()


def to_int_mask(mask: np.ndarray) -> int:
    """Convert a boolean array into the int bitset the facet counts use."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def from_int_mask(bits: int, size: int) -> np.ndarray:
    """Convert an int bitset into a boolean array of the given size."""
    raw = bits.to_bytes((size + 7) // 8 + 1, "little")
    return np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")[:size].astype(bool)
