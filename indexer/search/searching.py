"""One search on one build: understand the query, match, correct, filter, rank and page."""

from __future__ import annotations

import itertools

import numpy as np

from .. import vocab
from ..analysis import analyze
from ..results import Expansion, FacetValue, SearchRequest, SearchResult, Widening
from ..schema import FACETS, sort_day
from ..synonyms import Synonyms
from . import hits as _hits
from . import ranking, spelling, understand
from .query import ParsedQuery, QueryBuilder, parse_user_query
from .snapshot import Snapshot
from .units import AnyOf, Prefix, unit_terms

# The phrase check reads each page's stored text, so it covers the best pages only: a
# fixed head, the same for every page of a result, so that paging never shows a page
# twice or skips one. Pages below it keep the order of their scores.
PHRASE_CHECKED = 30
SORT_COLUMNS = {"date": "modified", "bewijskracht": "bewijskracht", "impact": "impact"}
FACET_LABELS = {"type": vocab.TYPES, "sector": vocab.SECTORS,
                "bewijskracht": {str(k): v for k, v in vocab.BEWIJSKRACHT.items()}}


class Search:
    """A search request against one snapshot and one version of the synonyms."""

    def __init__(self, snap: Snapshot, synonyms: Synonyms, request: SearchRequest):
        self.snap = snap
        self.request = request
        self.builder = QueryBuilder(synonyms, related=snap.related_terms)

    def run(self) -> SearchResult:
        request, snap = self.request, self.snap
        typed = parse_user_query(request.q)
        skip = set(understand.KINDS) if "all" in request.skip else set(request.skip)
        # A facet the person chose is theirs: the query's words do not override it.
        skip |= {name for name in ("type", "sector") if getattr(request, name)}
        if request.min_bewijskracht is not None or request.bewijskracht:
            skip.add("bewijskracht")
        parsed, interpreted = understand.interpret(typed, skip)
        selected = self._selected(interpreted)
        ranges = self._ranges(interpreted)
        allowed = snap.facets.filter(selected) & ranges
        corrected, suggestion = None, None
        number = vocab.kr_number(request.q)
        answer = snap.matching("nummer", number) if number else None
        if answer is not None and answer.any():
            # "KR.123" is the answer with that number, as on the Kennisrotonde site.
            outcome = _Outcome(typed, [], [], None, answer, not (answer & allowed).any(), False)
            fixes = {}
        elif typed.raw and typed.is_empty:
            # Only punctuation or operators ("???", "*:*", "%"): nothing to look for,
            # which finds nothing rather than every page.
            outcome = _Outcome(typed, [], [], None, np.zeros_like(snap.facets.alive), True, False)
            fixes = {}
        else:
            outcome = self._match(parsed, allowed)
            fixes = spelling.corrections(parsed, snap.knows, analyze, snap.spelling_candidates) if request.q else {}
        if fixes:
            retry = self._match(spelling.corrected_query(parsed, fixes), allowed)
            if not retry.empty and not retry.no_good_match:
                if (outcome.empty or outcome.no_good_match) and request.correct:
                    outcome, corrected = retry, spelling.corrected_query(typed, fixes).raw
                else:
                    suggestion = spelling.corrected_query(typed, fixes).raw

        found = outcome.docs & allowed
        total = int(found.sum())
        return SearchResult(
            query=typed.raw,
            total=total,
            page=request.page,
            per_page=request.per_page,
            results=self._page(found, outcome) if total else [],
            facets=self._facet_values(snap.facets.counts(
                outcome.docs & ranges, selected,
                # Choosing an evidence level is a filter on figures: derived ones drop out.
                leave_out=None if self.request.afgeleid else {"bewijskracht": snap.derived})),
            suggestion=suggestion,
            relaxed=outcome.relaxed(found),
            # Browsing without words sorts newest first; say so rather than "relevance".
            sort="date" if outcome.ranked is None and request.sort == "relevance" else request.sort,
            query_used=corrected or typed.raw,
            corrected=corrected is not None,
            interpreted=interpreted,
            expanded=outcome.expanded,
            no_good_match=outcome.no_good_match,
            without_filter=[] if total else self._without_filter(outcome, selected, interpreted, ranges),
        )

    def _without_filter(self, outcome: _Outcome, selected: dict, interpreted, ranges: np.ndarray) -> list[Widening]:
        """Return, for each filter value the request chose, how many pages the search finds without it.

        Worked out on the document sets of this one match, so the help after zero results
        costs no second search (and no second spelling check) per filter value.
        """
        request, snap = self.request, self.snap
        out = []
        for name, values in request.selected.items():
            for value in values:
                fewer = dict(selected, **{name: [v for v in selected[name] if v != value]})
                out.append(Widening(name, value, outcome.count_within(snap.facets.filter(fewer) & ranges)))
        if request.min_bewijskracht is not None:
            allowed = snap.facets.filter(selected) & self._ranges(interpreted, minimum=False)
            out.append(Widening("min_bewijskracht", str(request.min_bewijskracht), outcome.count_within(allowed)))
        return out

    # -- matching ------------------------------------------------------------------

    def _match(self, parsed: ParsedQuery, allowed: np.ndarray) -> _Outcome:
        snap = self.snap
        positives = self.builder.units(parsed.positive)
        negatives = self.builder.units(parsed.negative)
        alive = snap.facets.alive
        if parsed.is_empty or (not positives and negatives):
            docs = alive.copy()
            ranked = None
            matches = []
        elif not positives:
            # Only stop words: nothing to look for, rather than everything.
            return _Outcome(parsed, [], [], None, np.zeros_like(alive), True, False)
        else:
            matches = [snap.scorer.match(u) for u in positives]
            ranked = ranking.rank(positives, matches, snap.scorer.live_count, alive, snap.scorer.lengths["title"])
            strict = ranked
            if not (ranked.docs & allowed).any():
                # No page has enough of the query: show the pages that have some of it
                # rather than nothing (they are flagged as no good match below).
                ranked = ranked.loosened()
            docs = ranked.docs.copy()
        excluded = np.zeros_like(alive)
        for unit in negatives:
            excluded |= snap.scorer.match(unit).docs
        docs &= ~excluded
        # Judged over every page, not the filtered ones: it says whether any page is about
        # the question; filters that leave nothing get their own help.
        no_good = ranked is not None and ranking.no_good_match(ranked, docs)
        outcome = _Outcome(parsed, positives, matches, ranked, docs, not (docs & allowed).any(), no_good)
        if ranked is not None:
            outcome.strict, outcome.loose = strict.docs & ~excluded, strict.partial & ~excluded
        return outcome

    def _selected(self, interpreted) -> dict[str, list[str]]:
        """Return the facet values chosen in the request or read from the query's words."""
        selected = self.request.selected
        for i in interpreted:
            if i.filter in ("type", "sector"):
                selected[i.filter] = sorted(set(selected[i.filter]) | set(i.values))
        return selected

    def _ranges(self, interpreted, minimum: bool = True) -> np.ndarray:
        """Return the documents within the evidence minimum, the date range and the query's ranges.

        :param minimum: apply the request's evidence minimum.
        """
        request, snap = self.request, self.snap
        mask = snap.facets.alive.copy()
        if minimum and request.min_bewijskracht is not None:
            mask &= snap.range_mask("bewijskracht", request.min_bewijskracht, None)
        if request.date_from or request.date_to:
            low = sort_day(request.date_from) if request.date_from else 0
            high = sort_day(request.date_to) if request.date_to else 99991231
            mask &= snap.range_mask("modified", low, high)
        figures = request.min_bewijskracht is not None or bool(request.bewijskracht)
        for i in interpreted:
            if i.filter not in ("type", "sector"):
                mask &= snap.range_mask(i.filter, i.minimum, i.maximum)
                figures = True
        if figures and not request.afgeleid:
            # A filter on figures means toolkit figures unless the person asks for the
            # editors' derived ones too (vocab.CIJFERS).
            mask &= ~snap.derived
        return mask

    # -- one page of hits ------------------------------------------------------------

    def _page(self, found: np.ndarray, outcome: _Outcome):
        request, snap = self.request, self.snap
        browse = outcome.ranked is None
        sort = "date" if browse and request.sort == "relevance" else request.sort
        start = (request.page - 1) * request.per_page
        limit = start + request.per_page
        docs = np.flatnonzero(found)
        score = outcome.ranked.score if not browse else np.zeros(found.size, dtype=np.float32)
        searcher = snap.searcher()
        stored: dict[int, dict] = {}
        if sort == "relevance":
            pattern = _hits.phrase_pattern([c.text for c in outcome.parsed.positive if c.kind == "word"])
            # Pages with the words together, as typed, rank above pages with them
            # scattered. The check reads the stored text, so it is done for the top of
            # the list, with a margin, rather than for every match.
            window = min(docs.size, max(limit, PHRASE_CHECKED if pattern else 0))
            scores = score[docs]
            top = np.argpartition(-scores, window - 1)[:window] if window < docs.size else np.arange(docs.size)
            ranked = sorted(((float(scores[i]), int(docs[i])) for i in top), key=lambda x: (-x[0], x[1]))
            if pattern:
                checked = PHRASE_CHECKED
                head = ranked[:checked]
                stored = {d: searcher.stored_fields(d) for _, d in head}
                head = [(s * _hits.phrase_factor(stored[d], pattern), d) for s, d in head]
                ranked = sorted(head, key=lambda x: (-x[0], x[1])) + ranked[checked:]
        else:
            key = snap.columns[SORT_COLUMNS[sort]]
            secondary = snap.columns["modified"]
            # np.lexsort sorts by the last key first: the sort key, then relevance, then date.
            order = np.lexsort((docs, -secondary[docs], -score[docs], -key[docs]))
            ranked = [(None, int(docs[i])) for i in order[:limit]]
        page = ranked[start:limit]
        if browse:
            page = [(None, d) for _, d in page]
        terms = unit_terms(outcome.units) | self._prefix_terms(outcome.units)
        matched = {d: ranking.matched_labels(outcome.units, outcome.matches, d) for _, d in page}
        return _hits.hits(searcher, page, terms, matched, stored)

    def _prefix_terms(self, units) -> set[str]:
        """Return the body words that the query's prefixes match (the first few), for snippets."""
        reader = self.snap.searcher().reader()
        out: set[str] = set()
        for u in units:
            if isinstance(u, Prefix):
                for term in itertools.islice(reader.expand_prefix("body", u.stem), 50):
                    out.add(term.decode("utf-8") if isinstance(term, bytes) else term)
        return out

    def _facet_values(self, counts: dict) -> dict[str, list[FacetValue]]:
        selected = self.request.selected
        labels = self.snap.theme_labels
        out = {}
        for name in FACETS:
            per_value = counts.get(name, {})
            chosen = set(selected.get(name, []))
            if name == "thema":
                values = sorted(
                    (v for v in set(per_value) | chosen if per_value.get(v, 0) or v in chosen),
                    key=lambda v: (-per_value.get(v, 0), labels.get(v, v)),
                )
                out[name] = [FacetValue(v, labels.get(v, v), per_value.get(v, 0), v in chosen) for v in values]
                continue
            order = list(FACET_LABELS[name])
            if name == "bewijskracht":
                order.reverse()
            out[name] = [FacetValue(v, FACET_LABELS[name].get(v) or v, per_value.get(v, 0), v in chosen)
                         for v in order]
        return out


class _Outcome:
    """What matching one version of the query gave."""

    def __init__(self, parsed, units, matches, ranked, docs, empty, no_good_match):
        self.parsed = parsed
        self.units = units
        self.matches = matches
        self.ranked = ranked
        self.docs = docs
        self.empty = empty
        self.no_good_match = no_good_match
        #: For a ranked query: the pages passing the threshold, and those with any of the words.
        self.strict: np.ndarray | None = None
        self.loose: np.ndarray | None = None

    def count_within(self, allowed: np.ndarray) -> int:
        """Return how many pages this match finds among ``allowed``, as a search with those filters would."""
        if self.strict is None:
            return int(np.count_nonzero(self.docs & allowed))
        strict = self.strict & allowed
        return int(np.count_nonzero(strict if strict.any() else self.loose & allowed))

    def relaxed(self, found: np.ndarray) -> bool:
        """Return whether no result has every word of the query."""
        if self.ranked is None or len(self.units) < 2 or not found.any():
            return False
        return float(self.ranked.coverage[found].max()) < 1.0 - 1e-6

    @property
    def expanded(self) -> list[Expansion]:
        out = []
        for u in self.units:
            if isinstance(u, AnyOf) and len(u.alternatives) > 1:
                out.append(Expansion(u.label, [a.label for a in u.alternatives[1:]]))
        return out
