"""Posting lists as arrays: each (field, term) read once per build, with its BM25 scores.

Whoosh walks postings one document at a time in Python; reading a list once into NumPy
arrays (kept in a byte-bounded cache) makes matching and scoring array operations over
all documents at once. Whoosh still stores the index; this module only reads it.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import numpy as np
from cachetools import LRUCache
from whoosh.reading import TermNotFound

# BM25 parameters, the usual ones: k1 for how fast repeated words saturate, b for how
# much a long field is discounted.
K1 = 1.2
B = 0.75
# The cache is bounded by bytes, not entries: one common term of a 100,000-page index
# takes over a megabyte.
CACHE_BYTES = 192 * 2**20


class PostingArrays:
    """Per-build field lengths, and cached posting lists as (docnums, BM25 scores)."""

    def __init__(self, reader: Callable, fields, alive: np.ndarray):
        """:param reader: returns the calling thread's index reader."""
        self.reader = reader
        self.size = reader().doc_count_all()
        self.alive = alive
        self.live_count = int(alive.sum())
        self.lengths: dict[str, np.ndarray] = {}
        self.avg: dict[str, float] = {}
        for field in fields:
            lengths = np.zeros(self.size, dtype=np.float32)
            for leaf, offset in reader().leaf_readers():
                n = leaf.doc_count_all()
                lengths[offset : offset + n] = [leaf.doc_field_length(d, field) for d in range(n)]
            self.lengths[field] = lengths
            live = lengths[alive]
            self.avg[field] = float(live.mean()) if live.size and live.mean() > 0 else 1.0
        self._cache = LRUCache(CACHE_BYTES, getsizeof=lambda v: v[0].nbytes + v[1].nbytes)
        self._lock = threading.Lock()

    def get(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (docnums, BM25 scores) of a term in a field."""
        key = (field, term)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        ids, weights = self._read(field, term)
        if ids.size:
            keep = self.alive[ids]
            ids, weights = ids[keep], weights[keep]
        idf = math.log(1 + (self.live_count - ids.size + 0.5) / (ids.size + 0.5))
        norm = K1 * (1 - B + B * self.lengths[field][ids] / self.avg[field])
        value = (ids, (idf * weights * (K1 + 1) / (weights + norm)).astype(np.float32))
        with self._lock:
            self._cache[key] = value
        return value

    def _read(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        ids: list[int] = []
        weights: list[float] = []
        for leaf, offset in self.reader().leaf_readers():
            try:
                m = leaf.postings(field, term)
            except (TermNotFound, KeyError):
                continue
            _drain(m, offset, ids, weights)
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)


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
