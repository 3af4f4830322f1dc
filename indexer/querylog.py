"""What teachers search for: a log of searches, summed per day, and the report editors read.

Each search is counted with its query, filters and result count, and nothing about
who searched (no address, no session, no user agent). What is kept is bounded: the
query and the filter values are normalized and cut (see ``bounded``), and searches are
summed on write into one row per day, source, query and filters, of which a day keeps
at most ``MAX_ROWS_PER_DAY``. A flood of searches therefore adds counts, not rows, and
the report reads at most that many rows per day of its period, however many searches
there were. The log is a SQLite database in WAL mode, so several server processes can
write to it at once; days older than the retention period are pruned as searches arrive.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from .sqlite import ThreadConnections

#: Days older than this are pruned.
RETENTION_DAYS = 180
#: A query with at most this many results counts as "few results".
FEW = 2
_PRUNE_EVERY = 1000
#: What one logged search keeps at most: characters of the query, values per filter and
#: characters per value. The request allows 500 and 20 values of any length; the report
#: needs neither.
MAX_QUERY_CHARS = 200
MAX_FILTER_VALUES = 5
MAX_VALUE_CHARS = 40
#: Distinct (query, filters) rows per source and day; further new ones that day are
#: counted in the traffic only. It bounds both the log's size and the report's cost.
MAX_ROWS_PER_DAY = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS search_days (
    source TEXT NOT NULL,
    day INTEGER NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,
    searches INTEGER NOT NULL,
    zero INTEGER NOT NULL,
    few INTEGER NOT NULL,
    last_at REAL NOT NULL,
    last_total INTEGER NOT NULL,
    PRIMARY KEY (source, day, query, filters)
);
CREATE TABLE IF NOT EXISTS search_traffic (
    source TEXT NOT NULL,
    day INTEGER NOT NULL,
    searches INTEGER NOT NULL,
    PRIMARY KEY (source, day)
);
"""
#: Where a search came from: the web pages teachers use, or the JSON API other systems call.
SOURCES = ("web", "api")


def normalize(query: str) -> str:
    """Group queries that differ only in case and spacing."""
    return re.sub(r"\s+", " ", query.strip().lower())[:MAX_QUERY_CHARS]


def bounded(filters: dict) -> dict:
    """Return the filters as logged: the active ones, values sorted, cut to the first few and shortened."""
    out = {}
    for name, value in sorted(filters.items()):
        if not value and value != 0:
            continue
        if isinstance(value, list | tuple):
            values = sorted({str(v)[:MAX_VALUE_CHARS] for v in value})[:MAX_FILTER_VALUES]
            out[str(name)[:MAX_VALUE_CHARS]] = values
        else:
            out[str(name)[:MAX_VALUE_CHARS]] = value if isinstance(value, int) else str(value)[:MAX_VALUE_CHARS]
    return out


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
        self.retention_days = retention_days
        self._db = ThreadConnections(self.path, self._setup)
        self._count = 0

    def _setup(self, db: sqlite3.Connection) -> None:
        # A lost last second of the log after a power cut is acceptable; an fsync
        # per search is not.
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        self._migrate(db)

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Sum a log of single searches (before the daily rows) into days, once, and drop it.

        One INSERT ... SELECT per table rather than a statement per search: an old log may
        hold millions of searches, and this runs on the first search after an upgrade,
        with the write lock held.
        """
        if not _has_table(db, "searches"):
            return
        db.create_function("kb_query", 1, normalize, deterministic=True)
        db.create_function("kb_filters", 1, _bounded_json, deterministic=True)
        db.execute("BEGIN IMMEDIATE")
        try:
            if _has_table(db, "searches"):  # another process may have migrated it meanwhile
                columns = {row[1] for row in db.execute("PRAGMA table_info(searches)")}
                # Logs written before searches had a source: their rows count as web searches.
                source = "source" if "source" in columns else "'web'"
                # Each search normalized once, as record() would have stored it.
                db.execute(f"""
                    CREATE TEMP TABLE old_searches AS
                    SELECT {source} AS src, CAST(at / 86400 AS INTEGER) AS d, kb_query(query) AS q,
                           kb_filters(filters) AS f, at, total FROM searches""")
                db.execute("DELETE FROM old_searches WHERE q = '' OR f IS NULL")
                db.execute("""
                    INSERT INTO search_traffic (source, day, searches)
                    SELECT src, d, COUNT(*) FROM old_searches WHERE 1 GROUP BY src, d
                    ON CONFLICT (source, day) DO UPDATE SET searches = searches + excluded.searches""")
                # last_total: the total of each group's latest search (FIRST_VALUE over the
                # searches, newest first); nth: the day's rows in the order they first came.
                db.execute(f"""
                    INSERT INTO search_days
                    SELECT src, d, q, f, n, zero, few, last_at, last_total FROM (
                        SELECT src, d, q, f, COUNT(*) AS n, SUM(total = 0) AS zero,
                               SUM(total BETWEEN 1 AND {FEW}) AS few, MAX(at) AS last_at, MAX(lt) AS last_total,
                               ROW_NUMBER() OVER (PARTITION BY src, d ORDER BY MIN(at)) AS nth
                        FROM (SELECT src, d, q, f, at, total,
                                     FIRST_VALUE(total) OVER (PARTITION BY src, d, q, f ORDER BY at DESC) AS lt
                              FROM old_searches)
                        GROUP BY src, d, q, f)
                    WHERE nth <= {MAX_ROWS_PER_DAY}
                    ON CONFLICT (source, day, query, filters) DO UPDATE SET
                        searches = searches + excluded.searches, zero = zero + excluded.zero,
                        few = few + excluded.few, last_total = CASE WHEN excluded.last_at >= last_at
                        THEN excluded.last_total ELSE last_total END, last_at = MAX(last_at, excluded.last_at)""")
                db.execute("DROP TABLE old_searches")
                db.execute("DROP TABLE searches")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def record(self, query: str, filters: dict, total: int, at: float | None = None, source: str = "web") -> None:
        """Count one search; an empty query (browsing) is not a question and is skipped.

        :param source: "web" for the pages teachers use, "api" for the JSON API.
        """
        if not normalize(query):
            return
        at = time.time() if at is None else at
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            self._add(db, query, filters, total, at, source)
            self._count += 1
            if self._count % _PRUNE_EVERY == 1:
                oldest = _day(time.time()) - self.retention_days
                db.execute("DELETE FROM search_days WHERE day < ?", (oldest,))
                db.execute("DELETE FROM search_traffic WHERE day < ?", (oldest,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _add(self, db: sqlite3.Connection, query: str, filters: dict, total: int, at: float, source: str) -> None:
        q, key, day = normalize(query), json.dumps(bounded(filters), sort_keys=True, ensure_ascii=False), _day(at)
        zero, few = int(total == 0), int(1 <= total <= FEW)
        db.execute("""INSERT INTO search_traffic (source, day, searches) VALUES (?, ?, 1)
                      ON CONFLICT (source, day) DO UPDATE SET searches = searches + 1""", (source, day))
        # The right-hand sides read the row as it was, so last_total compares with the old last_at.
        updated = db.execute(
            """UPDATE search_days SET searches = searches + 1, zero = zero + ?, few = few + ?,
                      last_total = CASE WHEN ? >= last_at THEN ? ELSE last_total END, last_at = MAX(last_at, ?)
               WHERE source = ? AND day = ? AND query = ? AND filters = ?""",
            (zero, few, at, total, at, source, day, q, key)).rowcount
        if updated:
            return
        rows = db.execute("SELECT COUNT(*) FROM search_days WHERE source = ? AND day = ?", (source, day)).fetchone()[0]
        if rows < MAX_ROWS_PER_DAY:
            db.execute("INSERT INTO search_days VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)", (source, day, q, key, zero, few, at, total))

    def report(self, since_days: float = 30, limit: int = 20, source: str = "web") -> dict[str, list[QueryStat]]:
        """Return the most frequent queries, with their filters, without results, with few results, and overall.

        The period is counted in whole days (UTC), today included.

        :param source: whose searches to count; the API's traffic is counted apart (see `traffic`).
        """
        first = _day(time.time() - since_days * 86400)
        db = self._db()

        def top(column: str) -> list[QueryStat]:
            # last_total is a bare column: SQLite takes it from the row with the latest search.
            rows = db.execute(
                f"""SELECT query, filters, SUM({column}) AS n, last_total, MAX(last_at)
                    FROM search_days WHERE source = ? AND day >= ?
                    GROUP BY query, filters HAVING n > 0 ORDER BY n DESC, query LIMIT ?""",
                (source, first, limit),
            ).fetchall()
            return [QueryStat(q, n, last, json.loads(filters)) for q, filters, n, last, _ in rows]

        return {
            "zonder_resultaten": top("zero"),
            "weinig_resultaten": top("few"),
            "meest_gezocht": top("searches"),
        }

    def traffic(self, since_days: float = 30) -> dict[str, int]:
        """Return the number of searches per source ("web", "api") in the period."""
        first = _day(time.time() - since_days * 86400)
        rows = self._db().execute("SELECT source, SUM(searches) FROM search_traffic WHERE day >= ? GROUP BY source",
                                  (first,))
        return {src: 0 for src in SOURCES} | dict(rows.fetchall())

    def count(self) -> int:
        """Return the number of searches counted (all days kept)."""
        return self._db().execute("SELECT COALESCE(SUM(searches), 0) FROM search_traffic").fetchone()[0]


def _bounded_json(filters: str) -> str | None:
    """Return a logged filter object in its bounded form (None for one that is not JSON)."""
    try:
        value = json.loads(filters)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return json.dumps(bounded(value), sort_keys=True, ensure_ascii=False)


def _day(at: float) -> int:
    return int(at // 86400)


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None
