"""Graded matching: every query word contributes, rarer words and fuller matches count more.

Requiring every word first and falling back to any word loses the page that lacks one
filler word of a question ("feedback geven" and the Feedback page, which never says
"geven"). Instead, as Elasticsearch's minimum_should_match with coordination does, each
unit weighs what its inverse document frequency says (a filler counts little), a page
matches when it covers enough of the query's weight, and its BM25F score is scaled by
how much it covers. A page that has the query's words in its title leads.

Everything here is a pure function of the units' matches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..analysis import filler_terms
from .scorer import Match
from .units import AnyOf, Prefix, Word

# A page must cover this share of the query's weight to match at all (one unit: itself);
# a long question, whose pages seldom share most of its words, a smaller share.
MIN_COVERAGE = 0.4
MIN_COVERAGE_LONG = 0.25
LONG_QUERY = 5
# Score x coverage^COORDINATION: a page with all the words beats one with most of them.
COORDINATION = 2.0
# Score x (1 + TITLE_BONUS x share of the weight found in the title)
#       x (1 + TITLE_IS_QUERY x share of the title made of the query's words).
TITLE_BONUS = 1.0
TITLE_IS_QUERY = 1.0
# A filler ("helpen", "zinvol", "tips") weighs this much of what its rarity says.
FILLER_FACTOR = 0.25
# A word on more than this share of the pages says little about what a page is about;
# a query whose pages only share such words has no good match.
COMMON_SHARE = 0.25
# A page that covers less than this share of the informative words is no good match.
GOOD_MATCH = 0.6


@dataclass(frozen=True)
class Ranked:
    """Graded matching's outcome over all documents."""

    docs: np.ndarray  # bool: the documents that match
    score: np.ndarray  # float32: the score to rank by
    coverage: np.ndarray  # float32: the share of the query's weight each document has
    informative: np.ndarray  # float32: the share of the informative words each document has
    has_informative: bool  # whether the query has informative words at all
    partial: np.ndarray  # bool: the documents with any of the query's words

    def loosened(self) -> Ranked:
        """Return the outcome with every partial match admitted, for when none passes the threshold."""
        return Ranked(self.partial, self.score, self.coverage, self.informative, self.has_informative, self.partial)


def is_filler(unit) -> bool:
    """Return whether a unit is a question's filler word ("helpen", "zinvol", "tips")."""
    match unit:
        case Word(term=term):
            return term in filler_terms()
        case AnyOf(alternatives=alts):
            return is_filler(alts[0])
    return False


def weigh(unit, match: Match, live: int) -> tuple[float, bool]:
    """Return a unit's weight in the query and whether it is informative."""
    df = int(match.docs.sum())
    weight = math.log(1 + (live - df + 0.5) / (df + 0.5))
    if is_filler(unit):
        return weight * FILLER_FACTOR, False
    if isinstance(unit, Prefix):
        return weight, False
    return weight, df <= max(2, COMMON_SHARE * live)


def rank(units: list, matches: list[Match], live: int, alive: np.ndarray, title_length: np.ndarray) -> Ranked:
    """Combine the units' matches into documents, scores and coverage.

    :param title_length: the number of terms in each document's title.
    """
    size = alive.size
    weighed = [weigh(u, m, live) for u, m in zip(units, matches, strict=True)]
    weights = [w for w, _ in weighed]
    informative = [i for _, i in weighed]
    covered = np.zeros(size, dtype=np.float32)
    in_title = np.zeros(size, dtype=np.float32)
    info = np.zeros(size, dtype=np.float32)
    score = np.zeros(size, dtype=np.float32)
    title_units = np.zeros(size, dtype=np.float32)
    info_total = sum(w for w, i in zip(weights, informative, strict=True) if i)
    for u, m, w, i in zip(units, matches, weights, informative, strict=True):
        covered += w * m.docs
        in_title += w * m.in_title
        title_units += m.in_title
        score += m.score * (FILLER_FACTOR if is_filler(u) else 1.0)
        if i:
            info += w * m.docs
    # Words no page has cannot be matched by any page, so they do not count against one;
    # they do count for "no good match" below.
    known = sum(w for w, m in zip(weights, matches, strict=True) if m.docs.any()) or 1.0
    coverage = covered / known
    threshold = 1.0 if len(units) == 1 else MIN_COVERAGE if len(units) < LONG_QUERY else MIN_COVERAGE_LONG
    docs = alive & (coverage >= threshold - 1e-6) & (covered > 0)
    title_share = np.minimum(title_units / np.maximum(title_length, 1), 1.0)
    final = score * coverage**COORDINATION * (1 + TITLE_BONUS * in_title / known) * (1 + TITLE_IS_QUERY * title_share)
    return Ranked(docs, final.astype(np.float32), coverage, info / (info_total or 1.0), info_total > 0,
                  alive & (covered > 0))


def no_good_match(ranked: Ranked, allowed: np.ndarray) -> bool:
    """Return whether no allowed page has most of the query's informative words."""
    if not ranked.has_informative:
        return False
    candidates = ranked.docs & allowed
    return not candidates.any() or float(ranked.informative[candidates].max()) < GOOD_MATCH


def matched_labels(units: list, matches: list[Match], docnum: int) -> list[str]:
    """Return the query's words (as typed) that a document matched."""
    return [u.label for u, m in zip(units, matches, strict=True) if m.docs[docnum] and u.label]
