"""The search engine: opens and watches builds, caches results, answers searches and pages."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import fields
from pathlib import Path

from cachetools import LRUCache
from whoosh.index import EmptyIndexError

from .. import store
from ..results import (
    MAX_SUGGEST_CHARS,
    Document,
    Health,
    SearchRequest,
    SearchResult,
    Suggestion,
)
from ..synonyms import SynonymFile
from . import documents
from .opening import open_build, open_fallback
from .searching import Search
from .snapshot import Snapshot

log = logging.getLogger(__name__)

OPEN_ATTEMPTS = 3


class SearchEngine:
    """Searches the current build of an index directory, switching when a new build is made."""

    def __init__(self, index_dir: Path, synonyms_path: Path | None = None, check_analyzer: bool = True,
                 cache_size: int = 0):
        """
        :param cache_size: how many search results to keep for repeated requests (0: none).
            Entries are keyed on the build and the synonym list's version, so a reindex
            or a synonym edit never serves a stale result.
        """
        self.index_dir = Path(index_dir)
        self.synonyms = SynonymFile(synonyms_path)
        self.check_analyzer = check_analyzer
        self._snapshot: Snapshot | None = None
        self._open_lock = threading.Lock()
        self._cache = LRUCache(cache_size) if cache_size else None
        self._cache_lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        #: The last failure to open a new build, for /healthz; None once one opens.
        self.watch_error: str | None = None
        #: The CURRENT marker of a build that was refused as damaged, and why (for /healthz).
        #: It is not tried again: a new build (a new marker) or a restart tries again.
        self._refused: str | None = None
        #: A damaged current build with nothing to fall back on, and the error it gave.
        self._dead: tuple[str | None, Exception] | None = None
        self._no_fallback: str | None = None
        self.refusal: str | None = None

    def watch(self, interval: float = 1.0) -> None:
        """Open new builds in a background thread, so no request waits for an index to open.

        Searches go on being answered from the previous build until the new one is
        ready. A build that cannot be opened is logged and reported by ``health``, and
        tried again each interval; a damaged one is refused. The build being served is
        checked each interval too (file sizes only), so a segment truncated under a
        running server is left for a kept build before a request reads past its end.
        """
        if self._watcher is not None:
            return

        def loop():
            while True:
                try:
                    marker = store.current_marker(self.index_dir)
                    if marker is not None and (self._snapshot is None or self._snapshot.marker != marker):
                        self._open(marker)
                    self._check_served()
                    self.watch_error = None
                except Exception as exc:  # noqa: BLE001 - any failure is reported, and retried
                    message = f"{type(exc).__name__}: {exc}"
                    if message != self.watch_error:
                        log.error("could not open the new index build: %s", message)
                    self.watch_error = message
                time.sleep(interval)

        self._watcher = threading.Thread(target=loop, name="kennisbank-index-watcher", daemon=True)
        self._watcher.start()

    # -- opening -----------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Return the opened current build, opening the new one if the index switched."""
        marker = store.current_marker(self.index_dir)
        snap = self._snapshot
        if snap is not None and (snap.marker == marker or self._watcher is not None):
            return snap
        return self._open(marker)

    # The name earlier callers know.
    state = snapshot

    def _open(self, marker: str | None) -> Snapshot:
        with self._open_lock:
            if self._snapshot is not None and marker in (self._snapshot.marker, self._refused):
                return self._snapshot
            if self._dead is not None and self._dead[0] == marker:
                # Damaged, with nothing to fall back on: say so again without reading the
                # whole build once more for every request.
                raise self._dead[1]
            for attempt in range(OPEN_ATTEMPTS):
                try:
                    snap = self._open_current()
                    self._refused = self.refusal = self._dead = None
                    return snap
                except store.DamagedBuild as exc:
                    return self._refuse(marker, exc, final=True)
                except (EmptyIndexError, OSError, store.NoIndex) as exc:
                    # A reader that stalls while several builds complete can find the
                    # build it read from CURRENT already cleaned up: read CURRENT again.
                    # These may pass (a full file table, a network hiccup): tried again
                    # on the watcher's next tick.
                    if attempt == OPEN_ATTEMPTS - 1:
                        return self._refuse(marker, exc, final=False)
            raise AssertionError("unreachable")

    def _open_current(self) -> Snapshot:
        build = store.current_build(self.index_dir)
        # Searchers of the previous build are left to the garbage collector: a request on
        # another thread may still be reading from them.
        self._snapshot = open_build(build, self.check_analyzer)
        return self._snapshot

    def _check_served(self) -> None:
        """Leave the build being served for the newest intact kept one when its files changed size."""
        snap = self._snapshot
        # A damaged build with nothing to fall back on is served on; it is not checked again.
        if snap is None or snap.marker == self._no_fallback:
            return
        check = snap.build.verify(checksums=False)
        if check.intact:
            return
        with self._open_lock:
            fallback = open_fallback(self.index_dir, snap.marker, self.check_analyzer)
            if fallback is None:
                self._no_fallback = snap.marker
                message = f"build {snap.build.id} is beschadigd geraakt ({check.summary()}) en er is geen andere"
            else:
                self._snapshot = fallback
                self._refused = snap.marker
                message = (f"build {snap.build.id} is beschadigd geraakt ({check.summary()}); "
                           f"teruggevallen op de bewaarde build {fallback.build.id}")
            if message != self.refusal:
                log.error("index build damaged while served: %s", message)
            self.refusal = message

    def _refuse(self, marker: str | None, exc: Exception, final: bool) -> Snapshot:
        """Keep the build being served when the current one cannot be opened, or fall back to a kept one.

        :param final: the build is damaged and is not tried again; otherwise the next tick retries it.
        :raises: ``exc`` again when there is nothing to serve instead.
        """
        if self._snapshot is None:
            # A worker that starts on a damaged build would otherwise fail to boot, and
            # gunicorn gives up once every worker has.
            fallback = open_fallback(self.index_dir, marker, self.check_analyzer)
            if fallback is None:
                if final:
                    self._dead = (marker, exc)
                raise exc
            self._snapshot = fallback
            self.refusal = (f"de huidige build kon niet worden geopend: {exc}; "
                            f"teruggevallen op de bewaarde build {fallback.build.id}")
        else:
            self.refusal = (f"nieuwe index kon niet worden geopend: {exc}; "
                            f"build {self._snapshot.build.id} blijft in gebruik")
        if final:
            self._refused = marker
        log.error("index build refused: %s", self.refusal)
        return self._snapshot

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
        snap = self.snapshot()
        synonyms, version = self.synonyms.versioned()
        if self._cache is None:
            return Search(snap, synonyms, request).run()
        key = (snap.marker, version, _request_key(request))
        with self._cache_lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = Search(snap, synonyms, request).run()
        with self._cache_lock:
            self._cache[key] = result
        return result

    # -- pages, suggestions, facets ------------------------------------------------

    def document(self, doc_id: str, related: int = 5) -> Document:
        """Return one page's stored fields and its most similar pages.

        :raises NotFound: when no page has that id.
        """
        # One snapshot for the page and its related pages: the watcher may switch builds
        # in between, and document numbers belong to one build.
        return documents.document(self.snapshot(), doc_id, related)

    def stored_documents(self) -> list[dict]:
        """Return every page's stored fields from the current build, sorted by id."""
        reader = self.snapshot().searcher().reader()
        return sorted(reader.all_stored_fields(), key=lambda fields: fields["id"])

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Return completions for what a person has typed so far, from titles and themes."""
        return self.snapshot().suggest_index().complete(prefix[:MAX_SUGGEST_CHARS], limit)

    def facets(self) -> dict:
        """Return every facet value with the number of pages that have it."""
        return self.search(SearchRequest(per_page=1)).facets

    def health(self) -> Health:
        """Return what a load balancer needs: the open build, and whether a newer one failed to open."""
        snap = self.snapshot()
        error = None
        if self.watch_error is not None:
            error = f"nieuwe index kon niet worden geopend: {self.watch_error}"
        elif self.refusal is not None:
            error = self.refusal
        return Health(status="ok" if error is None else "degraded", documents=snap.facets.count(),
                      analyzer=snap.build.info.analyzer, build=snap.build.id, built=snap.build.info.built,
                      error=error)

    def stats(self) -> dict:
        """Return what the current build holds: counts per facet, when and how it was built."""
        snap = self.snapshot()
        info = snap.build.info
        return {
            "build": snap.build.id,
            "built": info.built,
            "analyzer": info.analyzer,
            "documents": snap.facets.count(),
            "counts": {name: {v.value: v.count for v in values if v.count} for name, values in self.facets().items()},
            "theme_labels": snap.theme_labels,
        }


def _request_key(r: SearchRequest) -> tuple:
    """Return every field of a request as a hashable key; a field added later is part of it by itself."""
    key = []
    for f in fields(r):
        value = getattr(r, f.name)
        key.append(tuple(sorted(value)) if isinstance(value, list) else value.strip() if isinstance(value, str) else value)
    return tuple(key)
