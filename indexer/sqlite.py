"""A SQLite file shared by a process's threads: one connection per thread, WAL, autocommit.

The search log, the question store and the editors' sessions each keep one small SQLite
file that gunicorn's threads (and its other workers) use at once. A connection may not
cross threads, so each thread opens its own, on first use, and the store's own setup
(schema, migrations, pragmas) runs then.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path


class ThreadConnections:
    """Call it to get this thread's connection to ``path``, opened and set up on first use."""

    def __init__(self, path: Path, setup: Callable[[sqlite3.Connection], None], timeout: float = 5.0):
        self.path = Path(path)
        self._setup = setup
        self._timeout = timeout
        self._local = threading.local()

    def __call__(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                self._setup(db)
            except BaseException:
                db.close()  # not kept: the next call opens and sets up afresh
                raise
            self._local.db = db
        return db
