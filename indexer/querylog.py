"""What teachers search for: an append-only log of searches, and the report editors read.

Each search is stored with its query, filters and result count, and nothing about
who searched (no address, no session, no user agent). The log is a SQLite database in
WAL mode, so several server processes can append to it at once; entries older than the
retention period are pruned as new ones arrive.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Entries older than this are pruned (days).
RETENTION_DAYS = 180
#: A query with at most this many results counts as "few results".
FEW = 2
_PRUNE_EVERY = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (
    at REAL NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,
    total INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT 'web'
);
CREATE INDEX IF NOT EXISTS searches_at ON searches (at);
"""
#: Where a search came from: the web pages teachers use, or the JSON API other systems call.
SOURCES = ("web", "api")


def normalize(query: str) -> str:
    """Group queries that differ only in case and spacing."""
    return re.sub(r"\s+", " ", query.strip().lower())[:200]


@dataclass
class QueryStat:
    query: str
    searches: int
    last_total: int
    #: The filters the query was searched with ({} for none); each combination is its own row.
    filters: dict = field(default_factory=dict)


class QueryLog:
    def __init__(self, path: Path, retention_days: int = RETENTION_DAYS):
        self.path = Path(path)
        self.retention = retention_days * 86400
        self._local = threading.local()
        self._count = 0

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            # A lost last second of the log after a power cut is acceptable; an fsync
            # per search is not.
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            # Logs written before searches had a source: their rows count as web searches.
            if "source" not in {row[1] for row in db.execute("PRAGMA table_info(searches)")}:
                # Another process may have added it first.
                with contextlib.suppress(sqlite3.OperationalError):
                    db.execute("ALTER TABLE searches ADD COLUMN source TEXT NOT NULL DEFAULT 'web'")
            self._local.db = db
        return db

    def record(self, query: str, filters: dict, total: int, at: float | None = None, source: str = "web") -> None:
        """Append one search; an empty query (browsing) is not a question and is skipped.

        :param source: "web" for the pages teachers use, "api" for the JSON API.
        """
        q = normalize(query)
        if not q:
            return
        active = {k: v for k, v in filters.items() if v}
        db = self._db()
        db.execute("INSERT INTO searches (at, query, filters, total, source) VALUES (?, ?, ?, ?, ?)",
                   (at if at is not None else time.time(), q, json.dumps(active, sort_keys=True), total, source))
        self._count += 1
        if self._count % _PRUNE_EVERY == 1:
            db.execute("DELETE FROM searches WHERE at < ?", (time.time() - self.retention,))

    def report(self, since_days: float = 30, limit: int = 20, source: str = "web") -> dict[str, list[QueryStat]]:
        """Return the most frequent queries, with their filters, without results, with few results, and overall.

        :param source: whose searches to count; the API's traffic is counted apart (see `traffic`).
        """
        since = time.time() - since_days * 86400
        db = self._db()

        def top(condition: str) -> list[QueryStat]:
            rows = db.execute(
                f"""SELECT query, filters, COUNT(*) AS n,
                           (SELECT total FROM searches s2 WHERE s2.query = s.query AND s2.filters = s.filters
                            AND s2.source = s.source AND s2.at >= ? ORDER BY at DESC LIMIT 1)
                    FROM searches s WHERE at >= ? AND source = ? {condition}
                    GROUP BY query, filters ORDER BY n DESC, query LIMIT ?""",
                (since, since, source, limit),
            ).fetchall()
            return [QueryStat(q, n, last, json.loads(filters)) for q, filters, n, last in rows]

        return {
            "zonder_resultaten": top("AND total = 0"),
            "weinig_resultaten": top(f"AND total BETWEEN 1 AND {FEW}"),
            "meest_gezocht": top(""),
        }

    def traffic(self, since_days: float = 30) -> dict[str, int]:
        """Return the number of searches per source ("web", "api") in the period."""
        since = time.time() - since_days * 86400
        rows = self._db().execute("SELECT source, COUNT(*) FROM searches WHERE at >= ? GROUP BY source", (since,))
        return {src: 0 for src in SOURCES} | dict(rows.fetchall())

    def count(self) -> int:
        return self._db().execute("SELECT COUNT(*) FROM searches").fetchone()[0]
