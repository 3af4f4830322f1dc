"""Related pages: the pages that share a page's themes and key terms, scored over the posting arrays.

Whoosh's own search for the same clauses walks its matchers one document at a time and
cost over a second of CPU per page view on 10,000 pages; here each key term is one
array operation over all pages (the scorer's BM25F, postings read once per build).
"""

from __future__ import annotations

import math

import numpy as np

from .scorer import Scorer
from .units import Word

#: A shared theme says more about relatedness than any single shared word.
THEME_WEIGHT = 3.0
#: A key term's weight is capped, so one rare word cannot outweigh the themes.
MAX_TERM_WEIGHT = 3.0


def related(scorer: Scorer, themes: dict[str, np.ndarray], terms: list[tuple[str, float]],
            docnum: int, top: int) -> list[int]:
    """Return the document numbers of the pages most like ``docnum``, best first.

    :param themes: the page's themes, each as the set of pages that have it.
    :param terms: the page's key terms with their weights.
    """
    score = np.zeros(scorer.size, dtype=np.float32)
    live = max(scorer.live_count, 1)
    for pages in themes.values():
        df = int(np.count_nonzero(pages))
        score[pages] += THEME_WEIGHT * math.log(1 + (live - df + 0.5) / (df + 0.5))
    for term, weight in terms:
        score += min(weight, MAX_TERM_WEIGHT) * scorer.match(Word(term)).score
    score[docnum] = 0
    candidates = np.flatnonzero(score > 0)
    if candidates.size > top:
        candidates = candidates[np.argpartition(-score[candidates], top - 1)[:top]]
    return [int(d) for d in sorted(candidates, key=lambda d: (-score[d], d))]
