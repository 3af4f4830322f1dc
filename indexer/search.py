"""Search the current index: one engine behind the CLI, the web pages and the JSON API."""

from __future__ import annotations

import html
import re
import threading
import time
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.index import EmptyIndexError

from . import snippets as _snippets
from . import store, vocab
from .analysis import analyzer_name
from .facets import FacetCache
from .results import (  # noqa: F401 - re-exported: callers import them from here
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PER_PAGE,
    SORTS,
    FacetValue,
    Hit,
    InvalidParameter,
    NotFound,
    SearchError,
    SearchRequest,
    SearchResult,
)
from .query import ParsedQuery, QueryBuilder, parse_user_query, unit_terms
from .schema import FACETS, MISSING_SORT, TEXT_FIELDS, sort_day, stored_themes
from .scoring import Scorer, from_int_mask, to_int_mask
from .suggest import SuggestIndex
from .synonyms import SynonymFile

# Below this many results a corrected spelling is tried ("Bedoelde u ...?"); above it the
# query evidently means something, and correction (about 50 ms) would be wasted.
FEW_RESULTS = 3
SORT_COLUMNS = ("sort_modified", "sort_bewijskracht", "sort_impact")
OPEN_ATTEMPTS = 3
# How far below the requested page the phrase check looks for pages to move up.
RERANK_MARGIN = 20
# Score factors for the query's words standing together, in the title or in the body.
PHRASE_IN_TITLE = 2.0
PHRASE_IN_BODY = 1.5


class _State:
    """One opened build: its index, facet bitsets, scoring arrays and per-thread searchers."""

    def __init__(self, build: store.Build):
        self.build = build
        self.marker = f"builds/{build.id}"
        self.ix = build.open()
        self._local = threading.local()
        reader = self.searcher().reader()
        self.facets = FacetCache.load(reader, FACETS)
        alive = from_int_mask(self.facets.alive, self.facets.size)
        self.scorer = Scorer(reader, TEXT_FIELDS, alive)
        self.sort_keys = {name: _column(reader, name) for name in SORT_COLUMNS}
        self.theme_labels: dict[str, str] = build.info.theme_labels
        self._suggest: SuggestIndex | None = None
        self._lock = threading.Lock()

    def searcher(self):
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self.ix.searcher()
        return s

    def suggest_index(self) -> SuggestIndex:
        with self._lock:
            if self._suggest is None:
                reader = self.searcher().reader()
                titles = [(f.get("id"), f.get("title", ""), f.get("type", "")) for f in reader.all_stored_fields()]
                self._suggest = SuggestIndex.build(titles, self.theme_labels, self.facets)
        return self._suggest


class SearchEngine:
    """Searches the current build of an index directory, switching when a new build is made."""

    def __init__(self, index_dir: Path, synonyms_path: Path | None = None, check_analyzer: bool = True,
                 cache_size: int = 0):
        """
        :param cache_size: how many search results to keep for repeated requests (0: none).
            Entries belong to one index build and one version of the synonym list, so a
            reindex or a synonym edit never serves a stale result.
        """
        self.index_dir = Path(index_dir)
        self.synonyms = SynonymFile(synonyms_path)
        self.check_analyzer = check_analyzer
        self._state: _State | None = None
        self._lock = threading.Lock()
        self._open_lock = threading.Lock()
        self.cache_size = cache_size
        self._results: OrderedDict = OrderedDict()
        self._watcher: threading.Thread | None = None

    def watch(self, interval: float = 1.0) -> None:
        """Open new builds in a background thread, so no request waits for an index to open.

        Without a watcher, the first search after a switch opens the new build itself
        (a few hundred milliseconds on a large index). With one, searches go on being
        answered from the previous build until the new one is ready, at most about
        ``interval`` seconds longer.
        """
        if self._watcher is not None:
            return

        def loop():
            while True:
                try:
                    marker = store.current_marker(self.index_dir)
                    if marker is not None and (self._state is None or self._state.marker != marker):
                        self._open(marker)
                except Exception:  # a half-deleted or unreadable build: try again next time
                    pass
                time.sleep(interval)

        self._watcher = threading.Thread(target=loop, name="kennisbank-index-watcher", daemon=True)
        self._watcher.start()

    # -- opening -----------------------------------------------------------------

    def state(self) -> _State:
        """Return the opened current build, opening the new one if the index switched."""
        marker = store.current_marker(self.index_dir)
        state = self._state
        if state is not None and (state.marker == marker or self._watcher is not None):
            return state
        return self._open(marker)

    def _open(self, marker: str | None) -> _State:
        with self._open_lock:
            if self._state is not None and self._state.marker == marker:
                return self._state
            for attempt in range(OPEN_ATTEMPTS):
                try:
                    return self._open_current()
                except (EmptyIndexError, OSError, store.NoIndex):
                    # A reader that stalls while several builds complete can find the
                    # build it read from CURRENT already cleaned up: read CURRENT again.
                    if attempt == OPEN_ATTEMPTS - 1 or store.current_marker(self.index_dir) is None:
                        raise

    def _open_current(self) -> _State:
        build = store.current_build(self.index_dir)
        if self.check_analyzer:
            ours = analyzer_name()
            theirs = build.info.analyzer
            if theirs != ours:
                raise store.AnalyzerMismatch(
                    f"de index is gebouwd met analyzer '{theirs}', deze installatie gebruikt "
                    f"'{ours}'; bouw de index opnieuw met 'kennisbank index --full'"
                )
        # Searchers of the previous build are left to the garbage collector: a request on
        # another thread may still be reading from them.
        self._state = _State(build)
        return self._state

    # -- searching ---------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """Search with the request's query, filters, sort and page."""
        request.validate()
        try:
            return self._cached_search(request)
        except OSError:
            # The build this process had open was removed after several newer builds
            # (a reader that slept through them); open the current one and answer again.
            self._open(store.current_marker(self.index_dir))
            return self._cached_search(request)

    def _cached_search(self, request: SearchRequest) -> SearchResult:
        state = self.state()
        synonyms = self.synonyms.current()
        if not self.cache_size:
            return self._search(state, synonyms, request)
        key = (state.marker, id(synonyms), _request_key(request))
        with self._lock:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return cached
        result = self._search(state, synonyms, request)
        with self._lock:
            self._results[key] = result
            while len(self._results) > self.cache_size:
                self._results.popitem(last=False)
        return result

    def _search(self, state: _State, synonyms, request: SearchRequest) -> SearchResult:
        parsed = parse_user_query(request.q)
        builder = QueryBuilder(synonyms)
        facets = state.facets
        size = facets.size

        range_mask = from_int_mask(self._range_mask(state, request), size)
        filter_mask = from_int_mask(facets.filter_mask(request.selected), size)
        positives = builder.units(parsed.positive)
        negatives = builder.units(parsed.negative)
        relaxed = False
        if parsed.is_empty:
            match, score = state.scorer.alive.copy(), np.zeros(size, dtype=np.float32)
        elif not positives and not negatives:
            # Only stop words: nothing to look for, rather than everything.
            match, score = np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float32)
        else:
            match, score = state.scorer.evaluate(positives, negatives, "and")
            if not (match & range_mask & filter_mask).any() and len(positives) > 1:
                loose, loose_score = state.scorer.evaluate(positives, negatives, "or")
                if (loose & range_mask & filter_mask).any():
                    match, score, relaxed = loose, loose_score, True
        match &= range_mask
        found = match & filter_mask
        total = int(found.sum())
        hits = self._hits(state, found, score, request, parsed, builder, positives) if total else []
        suggestion = None
        if total < FEW_RESULTS and not parsed.is_empty:
            suggestion = self._spelling(state, parsed, builder, range_mask & filter_mask, total)
        return SearchResult(
            query=parsed.raw,
            total=total,
            page=request.page,
            per_page=request.per_page,
            results=hits,
            facets=self._facet_values(state, facets.counts(to_int_mask(match), request.selected), request),
            suggestion=suggestion,
            relaxed=relaxed,
            sort=request.sort,
        )

    def _range_mask(self, state: _State, request: SearchRequest) -> int:
        """Return the documents within the evidence minimum and the date range."""
        facets = state.facets
        mask = facets.alive
        if request.min_bewijskracht is not None:
            levels = facets.values["bewijskracht"]
            mask &= _union(levels.get(str(level), 0) for level in vocab.BEWIJSKRACHT if level >= request.min_bewijskracht)
        if request.date_from or request.date_to:
            days = state.sort_keys["sort_modified"]
            low = sort_day(request.date_from) if request.date_from else 0
            high = sort_day(request.date_to) if request.date_to else 99991231
            mask &= to_int_mask((days >= low) & (days <= high))
        return mask

    def _hits(self, state, found, score, request: SearchRequest, parsed: ParsedQuery, builder, units) -> list[Hit]:
        sort = request.sort if not (parsed.is_empty and request.sort == "relevance") else "date"
        start = (request.page - 1) * request.per_page
        limit = start + request.per_page
        docs = np.flatnonzero(found)
        searcher = state.searcher()
        reader = searcher.reader()
        stored: dict[int, dict] = {}
        if sort == "relevance":
            phrase = _phrase_pattern(parsed)
            # Pages with the words together, as typed, rank above pages with them
            # scattered. The check reads the stored text, so it is done for the top of
            # the list, with a margin, rather than for every match.
            window = min(docs.size, limit + (RERANK_MARGIN if phrase else 0))
            scores = score[docs]
            top = np.argpartition(-scores, window - 1)[:window] if window < docs.size else np.arange(docs.size)
            ranked = [(float(scores[i]), int(docs[i])) for i in top]
            if phrase:
                stored = {d: searcher.stored_fields(d) for _, d in ranked}
                ranked = [(s * _phrase_factor(stored[d], phrase), d) for s, d in ranked]
            ranked.sort(key=lambda x: (-x[0], x[1]))
        else:
            key = state.sort_keys[{"date": "sort_modified", "bewijskracht": "sort_bewijskracht", "impact": "sort_impact"}[sort]]
            secondary = state.sort_keys["sort_modified"]
            # np.lexsort sorts by the last key first: the sort key, then relevance, then date.
            order = np.lexsort((docs, -secondary[docs], -score[docs], -key[docs]))
            ranked = [(None, int(docs[i])) for i in order[:limit]]
        terms = unit_terms(units) if not parsed.is_empty else set()
        if any(u.kind == "prefix" for u in units):
            terms |= _prefix_terms(reader, units)
        page = ranked[start:limit]
        spans = _snippets.occurrences(reader, "body", terms, [d for _, d in page]) if terms else {}
        hits = []
        for relevance, docnum in page:
            fields = stored.get(docnum) or searcher.stored_fields(docnum)
            text = _snippets.snippet(fields.get("body", ""), spans.get(docnum, []))
            shown = round(relevance, 4) if relevance is not None and not parsed.is_empty else None
            hits.append(_hit(fields, text, shown))
        return hits

    def _facet_values(self, state: _State, counts: dict, request: SearchRequest) -> dict[str, list[FacetValue]]:
        selected = request.selected
        out = {}
        labels = {
            "type": vocab.TYPES,
            "sector": vocab.SECTORS,
            "bewijskracht": {str(k): v for k, v in vocab.BEWIJSKRACHT.items()},
        }
        for name in FACETS:
            per_value = counts.get(name, {})
            chosen = set(selected.get(name, []))
            if name == "thema":
                values = sorted(
                    (v for v in set(per_value) | chosen if per_value.get(v, 0) or v in chosen),
                    key=lambda v: (-per_value.get(v, 0), state.theme_labels.get(v, v)),
                )
                label = lambda v: state.theme_labels.get(v, v)  # noqa: E731
            else:
                order = list(labels[name])
                if name == "bewijskracht":
                    order.reverse()
                values = order
                label = labels[name].get
            out[name] = [FacetValue(v, label(v) or v, per_value.get(v, 0), v in chosen) for v in values]
        return out

    def _spelling(self, state, parsed: ParsedQuery, builder: QueryBuilder, allowed, total: int) -> str | None:
        """Return a corrected query when it finds more than the original, built from the index's words."""
        searcher = state.searcher()
        reader = searcher.reader()
        corrector = searcher.corrector("body")
        changed = False
        parts = []
        for clause in parsed.clauses:
            text = clause.text
            if clause.kind == "word" and not clause.exclude:
                terms = builder.terms(text)
                if terms and len(terms) == 1:
                    lemma = terms[0][0][0]
                    known = reader.doc_frequency("body", lemma) or reader.doc_frequency("title", lemma)
                    if not known and lemma.isalpha() and len(lemma) > 3:
                        found = corrector.suggest(lemma, limit=1, maxdist=2, prefix=1)
                        if found and found[0] != lemma:
                            text, changed = found[0], True
            parts.append(_clause_text(clause, text))
        if not changed:
            return None
        corrected = " ".join(parts)
        again = parse_user_query(corrected)
        match, _ = state.scorer.evaluate(builder.units(again.positive), builder.units(again.negative), "and")
        if int((match & allowed).sum()) > total:
            return corrected
        return None

    # -- pages, suggestions, facets ------------------------------------------------

    def document(self, doc_id: str, related: int = 5) -> dict:
        """Return one page's stored fields and its most similar pages.

        :raises NotFound: when no page has that id.
        """
        state = self.state()
        searcher = state.searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            raise NotFound(f"geen pagina met id '{doc_id}'")
        fields = searcher.stored_fields(docnum)
        doc = asdict(_hit(fields, "", None))
        doc.pop("snippet")
        doc.pop("score")
        doc.update(
            body=fields.get("body", ""),
            headings=[h for h in (fields.get("heading_list") or "").split("\n") if h],
            short_answer=fields.get("short_answer", ""),
            issued=fields.get("issued"),
            related=self._related(searcher, docnum, related),
        )
        return doc

    def _related(self, searcher, docnum: int, top: int) -> list[dict]:
        """Return the pages most like this one: shared themes and the page's key terms."""
        fields = searcher.stored_fields(docnum)
        text = " ".join([fields.get("title", "")] * 3 + [fields.get("summary", ""), fields.get("body", "")])
        try:
            terms = searcher.key_terms_from_text("body", text, numterms=12)
        except Exception:  # similarity is a nicety; never fail the page over it
            terms = []
        # A shared theme says more about relatedness than any single shared word.
        clauses = [wq.Term("thema", t.slug, boost=3.0) for t in stored_themes(fields)]
        clauses += [wq.Term("body", term, boost=min(weight, 3.0)) for term, weight in terms]
        clauses += [wq.Term("title", term, boost=min(weight, 3.0)) for term, weight in terms]
        if not clauses:
            return []
        results = searcher.search(wq.Or(clauses), limit=top + 1)
        related = [hit.fields() for hit in results if hit.docnum != docnum][:top]
        return [{"id": f["id"], "url": f.get("url"), "title": f.get("title"), "type": f.get("type")} for f in related]

    def suggest(self, prefix: str, limit: int = 8) -> list[dict]:
        """Return completions for what a person has typed so far, from titles and themes."""
        return self.state().suggest_index().complete(prefix, limit)

    def facets(self) -> dict[str, list[FacetValue]]:
        """Return every facet value with the number of pages that have it."""
        return self.search(SearchRequest(per_page=1)).facets

    def health(self) -> dict:
        state = self.state()
        return {
            "status": "ok",
            "documents": state.facets.alive.bit_count(),
            "analyzer": state.build.info.analyzer,
            "build": state.build.id,
            "built": state.build.info.built,
        }

    def stats(self) -> dict:
        """Return what the current build holds: counts per facet, when and how it was built."""
        state = self.state()
        info = state.build.info
        facets = self.facets()
        return {
            "build": state.build.id,
            "built": info.built,
            "analyzer": info.analyzer,
            "documents": state.facets.alive.bit_count(),
            "counts": {name: {v.value: v.count for v in values if v.count} for name, values in facets.items()},
            "theme_labels": state.theme_labels,
        }


def _hit(fields: dict, snippet: str, score: float | None) -> Hit:
    level = fields.get("bewijskracht")
    return Hit(
        id=fields["id"],
        url=fields.get("url", ""),
        title=fields.get("title", ""),
        type=fields.get("type", ""),
        summary=fields.get("summary", ""),
        snippet=snippet or html.escape(_shorten(fields.get("summary", "")), quote=False),
        themes=[{"label": t.label, "slug": t.slug} for t in stored_themes(fields)],
        sectors=[s for s in (fields.get("sector") or "").split(",") if s],
        bewijskracht=int(level) if level not in (None, "") else None,
        impact=fields.get("impact"),
        kosten=fields.get("kosten"),
        modified=fields.get("modified"),
        score=score,
    )


def _shorten(text: str, limit: int = 240) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _clause_text(clause, text: str) -> str:
    if clause.kind == "phrase":
        text = f'"{text}"'
    elif clause.kind == "prefix":
        text = f"{text}*"
    return f"-{text}" if clause.exclude else text


def _phrase_pattern(parsed: ParsedQuery) -> re.Pattern | None:
    """Return a pattern for the plain words of a query standing together, or None for one word."""
    words = [c.text for c in parsed.positive if c.kind == "word"]
    if len(words) < 2:
        return None
    return re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


def _phrase_factor(fields: dict, pattern: re.Pattern) -> float:
    if pattern.search(fields.get("title", "")):
        return PHRASE_IN_TITLE
    if pattern.search(fields.get("body", "")):
        return PHRASE_IN_BODY
    return 1.0


def _prefix_terms(reader, units) -> set[str]:
    """Return the body words that the query's prefixes match (the first few), for snippets."""
    out: set[str] = set()
    for u in units:
        if u.kind == "prefix":
            for term, _ in zip(reader.expand_prefix("body", u.terms[0]), range(50)):
                out.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return out


def _column(reader, name: str) -> np.ndarray:
    """Return a sortable numeric column for all documents as an array."""
    values = np.full(reader.doc_count_all(), MISSING_SORT, dtype=np.int64)
    for leaf, offset in reader.leaf_readers():
        column = list(leaf.column_reader(name))
        values[offset : offset + len(column)] = column
    return values


def _request_key(r: SearchRequest) -> tuple:
    return (r.q.strip(), tuple(sorted(r.type)), tuple(sorted(r.thema)), tuple(sorted(r.sector)),
            tuple(sorted(r.bewijskracht)), r.min_bewijskracht, r.date_from, r.date_to, r.sort, r.page, r.per_page)


def _union(masks) -> int:
    out = 0
    for m in masks:
        out |= m
    return out


__all__ = [
    "SearchEngine",
    "SearchRequest",
    "SearchResult",
    "Hit",
    "FacetValue",
    "InvalidParameter",
    "NotFound",
    "SORTS",
    "MISSING_SORT",
]
