"""Completions as a person types: titles and themes whose words start with the input.

A sorted list of (word, entry) pairs is searched with bisect, so a completion costs a
few dictionary lookups however large the index is; it is built once per index build.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import vocab
from .results import Suggestion

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(vocab.fold_diacritics(text.lower()))


@dataclass
class Entry:
    label: str
    kind: str  # "thema" or a content type
    id: str | None
    words: tuple[str, ...]
    weight: int


class SuggestIndex:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        pairs = sorted((w, i) for i, e in enumerate(entries) for w in set(e.words))
        self.keys = [w for w, _ in pairs]
        self.refs = [i for _, i in pairs]

    @classmethod
    def build(cls, titles, theme_labels: dict[str, str], facets) -> SuggestIndex:
        """Make the index from (id, title, type) triples and the theme labels with their counts."""
        counts = {slug: int(mask.sum()) for slug, mask in facets.values.get("thema", {}).items()}
        entries = [
            Entry(label, "thema", slug, tuple(_words(label)), counts.get(slug, 0))
            for slug, label in theme_labels.items()
            if counts.get(slug)
        ]
        entries += [Entry(title, kind, doc_id, tuple(_words(title)), 0) for doc_id, title, kind in titles if title]
        return cls(entries)

    def complete(self, text: str, limit: int = 8) -> list[dict]:
        """Return up to ``limit`` entries matching every word typed, the last as a prefix."""
        words = _words(text)
        if not words or limit < 1:
            return []
        *complete_words, last = words
        # Each candidate is checked against every complete word: check each word once.
        complete_words = list(dict.fromkeys(complete_words))
        lo = bisect.bisect_left(self.keys, last)
        hi = bisect.bisect_left(self.keys, last + "\uffff")
        candidates = {self.refs[i] for i in range(lo, hi)}
        full = " ".join(words)
        scored = []
        for i in candidates:
            e = self.entries[i]
            if any(not any(w.startswith(c) for w in e.words) for c in complete_words):
                continue
            joined = " ".join(e.words)
            # Entries that start with what was typed come first, then themes (broad
            # entry points), then shorter titles.
            rank = (not joined.startswith(full), e.kind != "thema", -e.weight, len(e.label), e.label)
            scored.append((rank, e))
        scored.sort(key=lambda x: x[0])
        return [Suggestion(e.label, e.kind, e.id) for _, e in scored[:limit]]
