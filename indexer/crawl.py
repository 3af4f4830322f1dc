"""Sources that are sites: the pages listed in a sitemap, fetched politely and only when changed.

A crawled page is read by the build like a file of a folder: it has an id (its URL path,
without ``.html``), a ``read`` that gives its bytes and a ``parse`` that follows the page
contract. What is new is that ``read`` may answer `Unchanged` (the sitemap's lastmod or a
304 vouches for the version indexed) or `PageGone` (a 404 or 410).
"""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .crawlstate import CrawlState, PageState
from .fetch import Fetcher, FetchError, Politeness
from .parse import Page, PageError, content_hash, page_id, parse_page
from .records import Manifest
from .sources import PageGone, Rejected, Unchanged

#: Sitemaps read from one sitemap index, at most.
MAX_SITEMAPS = 1000
#: What the protocol allows a sitemap to hold, also after gunzipping.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Crawls in a row that must find a page gone before it leaves the index.
CONFIRMATIONS = 2


class SitemapError(Exception):
    """A sitemap that could not be loaded or read."""


@dataclass(frozen=True)
class Entry:
    url: str
    lastmod: str | None = None


def read_sitemap(fetcher: Fetcher, url: str) -> list[Entry]:
    """Return the pages of a sitemap or a sitemap index (either may be gzipped), in their order.

    :raises SitemapError: when any sitemap cannot be fetched or is not a sitemap.
    """
    entries: list[Entry] = []
    queue, seen = [url], set()
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if len(seen) > MAX_SITEMAPS:
            raise SitemapError(f"meer dan {MAX_SITEMAPS} sitemaps")
        try:
            body = fetcher.get(current).body
        except FetchError as exc:
            raise SitemapError(f"sitemap {current} niet te laden: {exc}") from None
        if body[:2] == b"\x1f\x8b":
            try:
                body = gzip.GzipFile(fileobj=io.BytesIO(body)).read(MAX_SITEMAP_BYTES + 1)
            except (OSError, EOFError) as exc:
                raise SitemapError(f"sitemap {current} is geen geldig gzip-bestand: {exc}") from None
            if len(body) > MAX_SITEMAP_BYTES:
                raise SitemapError(f"sitemap {current} is uitgepakt groter dan 50 MB")
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:
            raise SitemapError(f"sitemap {current} is geen geldige XML: {exc}") from None
        kind = _local(root.tag)
        if kind not in ("urlset", "sitemapindex"):
            raise SitemapError(f"{current} is geen sitemap (<{kind}>)")
        for item in root:
            values = {_local(child.tag): (child.text or "").strip() for child in item}
            if not values.get("loc"):
                continue
            loc = urljoin(current, values["loc"])
            if kind == "sitemapindex":
                queue.append(loc)
            else:
                entries.append(Entry(loc, values.get("lastmod") or None))
    return entries


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def url_relpath(url: str) -> str:
    """Return the path that stands for a URL where a file's path would: its URL path without the leading slash."""
    return unquote(urlsplit(url).path).strip("/") or "index"


@dataclass
class CrawledPage:
    """One page of a sitemap, fetched only when its turn comes and only if it may have changed."""

    crawl: Crawl
    sitemap: str
    entry: Entry
    id: str

    @property
    def path(self) -> str:
        return self.entry.url

    @property
    def source(self) -> str:
        return self.sitemap

    def read(self) -> bytes:
        """Return the page's bytes.

        :raises Unchanged: when the sitemap's lastmod or a 304 says the indexed version is current.
        :raises PageGone: for a 404 or 410.
        :raises PageError: for every other reason the page cannot be fetched.
        """
        state = self.crawl.state.get(self.id)
        # Validators count only for the version the current build holds.
        current = state is not None and state.hash is not None and self.crawl.indexed.get(self.id) == state.hash
        headers = {}
        if current:
            if self.entry.lastmod and state.lastmod == self.entry.lastmod:
                self.crawl.state.present(self.id, None)
                raise Unchanged
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        try:
            response = self.crawl.fetcher.get(self.entry.url, headers, accept=HTML_TYPES)
        except FetchError as exc:
            if exc.status in (404, 410):
                misses = self.crawl.state.missed(self.id, self.entry.url)
                raise PageGone(f"HTTP-status {exc.status}", confirmed=misses >= CONFIRMATIONS) from None
            raise PageError(str(exc)) from None
        if response.status == 304:
            if not current:
                raise PageError("304 zonder voorwaardelijk verzoek")
            self.crawl.state.present(self.id, self.entry.lastmod)
            raise Unchanged
        self.crawl.state.fetched(PageState(
            self.id, self.entry.url, response.headers.get("ETag"), response.headers.get("Last-Modified"),
            self.entry.lastmod, content_hash(response.body),
        ))
        return response.body

    def parse(self, base_url: str, data: bytes | None = None) -> Page:
        """Parse the page as a file at its URL path would be; its own URL is the fallback for a canonical link."""
        if data is None:
            data = self.read()
        try:
            page = parse_page(data, url_relpath(self.entry.url), self.entry.url, url=self.entry.url)
        except RecursionError:
            raise PageError("HTML te diep genest") from None
        page.source = self.entry.url
        return page


@dataclass
class Crawl:
    """The URL sources of one build: their sitemaps, one polite fetcher and the crawl state."""

    sitemaps: list[str]
    fetcher: Fetcher
    state: CrawlState
    #: Sitemap URL -> its entries; a sitemap that failed or was empty is not here.
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    #: Sitemap URL -> why its pages are neither fetched nor removed.
    failed: dict[str, str] = field(default_factory=dict)
    #: Page id -> content hash in the build being updated (set by the build).
    indexed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, sitemaps: list[str], index_dir: Path, politeness: Politeness) -> Crawl:
        """Load every sitemap; one that fails or is empty is noted in ``failed``, not raised."""
        crawl = cls(list(sitemaps), Fetcher(politeness), CrawlState(index_dir))
        for sitemap in crawl.sitemaps:
            try:
                entries = read_sitemap(crawl.fetcher, sitemap)
            except SitemapError as exc:
                crawl.failed[sitemap] = str(exc)
                continue
            if not entries:
                crawl.failed[sitemap] = f"sitemap {sitemap} is leeg"
            else:
                crawl.entries[sitemap] = entries
        return crawl

    def page_ids(self) -> set[str]:
        return {page_id(url_relpath(e.url)) for entries in self.entries.values() for e in entries}

    def pages(self, taken: set[str]) -> Iterator[CrawledPage | Rejected]:
        """Yield each listed page, or a Rejected for one on another host or with an id already taken."""
        owners = dict.fromkeys(taken, "een bronmap")
        for sitemap, entries in self.entries.items():
            host = urlsplit(sitemap).hostname
            for entry in entries:
                if urlsplit(entry.url).hostname != host or urlsplit(entry.url).scheme not in ("http", "https"):
                    yield Rejected(entry.url, f"niet op de site van sitemap {sitemap}")
                    continue
                pid = page_id(url_relpath(entry.url))
                if pid in owners:
                    yield Rejected(entry.url, f"zelfde pagina-id '{pid}' als {owners[pid]}")
                    continue
                owners[pid] = entry.url
                yield CrawledPage(self, sitemap, entry, pid)

    def gone(self, manifest: Manifest) -> tuple[list[str], list[Rejected], list[str]]:
        """Return the ids of crawled pages confirmed gone from their sitemaps, the pages kept for now, and notes.

        A page leaves only when `CONFIRMATIONS` crawls in a row miss it, and never
        because of a sitemap that failed or came back empty.
        """
        listed = self.page_ids()
        gone, kept, notes = [], [], []
        for reason in self.failed.values():
            notes.append(f"{reason}: pagina's van deze sitemap zijn niet opgehaald en niet verwijderd")
        for record in manifest:
            if record.source not in self.entries or record.id in listed:
                continue
            if self.state.missed(record.id, record.source) >= CONFIRMATIONS:
                gone.append(record.id)
            else:
                kept.append(Rejected(record.id, "niet meer in de sitemap; verwijderd als de volgende crawl dat bevestigt"))
        return gone, kept, notes

    def close(self, removed: list[str]) -> None:
        """Forget the pages removed from the index and write the state."""
        for pid in removed:
            self.state.forget(pid)
        self.state.close()
