"""What a crawl remembers of each page between runs (SQLite beside the index): validators and misses.

The state only saves requests; the index never depends on it. A page is skipped or asked
for conditionally only when the hash remembered here is the one the current build holds,
so a lost or stale state file costs a full fetch, never a wrong index.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "crawl.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    lastmod TEXT,
    hash TEXT,
    misses INTEGER NOT NULL DEFAULT 0
)
"""


@dataclass
class PageState:
    id: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    #: The page's lastmod in the sitemap when it was last fetched.
    lastmod: str | None = None
    #: The content hash of the body last fetched.
    hash: str | None = None
    #: Crawls in a row that found the page gone (absent from its sitemap, or 404/410).
    misses: int = 0


class CrawlState:
    """The crawl state of one index directory; changes are written by `close`."""

    def __init__(self, index_dir: Path):
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(Path(index_dir) / FILE_NAME, check_same_thread=False)
        self._db.execute(_SCHEMA)

    def get(self, page_id: str) -> PageState | None:
        row = self._db.execute(
            "SELECT id, url, etag, last_modified, lastmod, hash, misses FROM pages WHERE id = ?", (page_id,)
        ).fetchone()
        return PageState(*row) if row else None

    def fetched(self, state: PageState) -> None:
        """Remember a page just fetched whole; it is present, so its misses start again."""
        self._db.execute(
            "INSERT OR REPLACE INTO pages (id, url, etag, last_modified, lastmod, hash, misses) "
            "VALUES (?, ?, ?, ?, ?, ?, 0)",
            (state.id, state.url, state.etag, state.last_modified, state.lastmod, state.hash),
        )

    def present(self, page_id: str, lastmod: str | None) -> None:
        """Note that an unchanged page is still there."""
        self._db.execute("UPDATE pages SET misses = 0, lastmod = coalesce(?, lastmod) WHERE id = ?", (lastmod, page_id))

    def missed(self, page_id: str, url: str) -> int:
        """Count one more crawl that found the page gone and return the crawls in a row that did."""
        self._db.execute(
            "INSERT INTO pages (id, url, misses) VALUES (?, ?, 1) "
            "ON CONFLICT(id) DO UPDATE SET misses = misses + 1", (page_id, url),
        )
        return self._db.execute("SELECT misses FROM pages WHERE id = ?", (page_id,)).fetchone()[0]

    def forget(self, page_id: str) -> None:
        self._db.execute("DELETE FROM pages WHERE id = ?", (page_id,))

    def close(self) -> None:
        """Write the changes and close the file."""
        self._db.commit()
        self._db.close()
