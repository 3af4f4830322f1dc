"""Facet counts from per-value document sets, built once per opened build.

Each facet value's documents are one boolean NumPy array over all documents, the same
document-set type the scorer produces, so filtering and counting are array AND and sum.
Counts are disjunctive: a facet's counts apply every other facet's filter but not its
own, so ticking a second sector shows what that adds instead of collapsing to zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def docset(docnums, size: int) -> np.ndarray:
    """Return the document set holding the given document numbers."""
    out = np.zeros(size, dtype=bool)
    docnums = list(docnums)
    if docnums:
        out[docnums] = True
    return out


@dataclass
class FacetSets:
    """Per-value document sets for each facet field of one build."""

    size: int
    alive: np.ndarray
    values: dict[str, dict[str, np.ndarray]]

    @classmethod
    def load(cls, reader, fields) -> FacetSets:
        size = reader.doc_count_all()
        # Deleted documents stay in the postings until segments merge; mask them out.
        alive = docset(reader.all_doc_ids(), size) if reader.has_deletions() else np.ones(size, dtype=bool)
        values: dict[str, dict[str, np.ndarray]] = {}
        for name in fields:
            per_value = {}
            for term in reader.lexicon(name):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                per_value[value] = docset(reader.postings(name, term).all_ids(), size) & alive
            values[name] = per_value
        return cls(size, alive, values)

    def filter(self, selected: dict[str, list[str]], skip: str | None = None) -> np.ndarray:
        """Return the documents passing the selected values of every facet except ``skip``.

        Values within a facet combine with OR, facets with AND.
        """
        mask = self.alive.copy()
        empty = np.zeros(self.size, dtype=bool)
        for name, chosen in selected.items():
            if name == skip or not chosen:
                continue
            union = empty.copy()
            for value in chosen:
                union |= self.values.get(name, {}).get(value, empty)
            mask &= union
        return mask

    def counts(self, matching: np.ndarray, selected: dict[str, list[str]],
               leave_out: dict[str, np.ndarray] | None = None) -> dict[str, dict[str, int]]:
        """Return, per facet and value, how many matching documents choosing it would give.

        :param leave_out: per facet, documents that choosing one of its values leaves out
            (a filter on evidence leaves out derived figures).
        """
        out = {}
        for name, per_value in self.values.items():
            base = matching & self.filter(selected, skip=name)
            if leave_out and name in leave_out:
                base &= ~leave_out[name]
            out[name] = {value: int(np.count_nonzero(base & mask)) for value, mask in per_value.items()}
        return out

    def count(self) -> int:
        return int(np.count_nonzero(self.alive))
