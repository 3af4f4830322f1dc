"""Editors' login sessions kept on the server, so that logging out really ends one.

A signed cookie alone stays valid until it expires, whatever the server thinks: after
logout, a copy of the old cookie would still open /beheer. Each login therefore gets a
random id that the cookie carries and this store knows; logout deletes it, and every
editor request asks the store. The store is a SQLite file in the index directory, which
every instance serving that index shares, so a logout on one instance holds on all.
Only a digest of each id is stored: the file does not hand out sessions.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from .sqlite import ThreadConnections

#: The file's name inside the index directory.
FILE_NAME = "beheer-sessies.sqlite3"

_SCHEMA = "CREATE TABLE IF NOT EXISTS sessions (digest TEXT PRIMARY KEY, expires REAL NOT NULL)"


class SessionStore:
    """Start, check and end editors' sessions of a fixed lifetime."""

    def __init__(self, path: Path, lifetime_seconds: float):
        """:param lifetime_seconds: how long a session lasts after login, however active; then log in again."""
        self.path = Path(path)
        self.lifetime = lifetime_seconds
        # One connection per thread: gunicorn's threads share this object.
        self._db = ThreadConnections(self.path, lambda db: db.execute(_SCHEMA))

    def start(self, now: float | None = None) -> str:
        """Start a session and return its id, for the cookie; expired sessions are removed."""
        now = time.time() if now is None else now
        session_id = secrets.token_urlsafe(32)
        db = self._db()
        db.execute("DELETE FROM sessions WHERE expires <= ?", (now,))
        db.execute("INSERT INTO sessions VALUES (?, ?)", (_digest(session_id), now + self.lifetime))
        return session_id

    def valid(self, session_id: object, now: float | None = None) -> bool:
        """Tell whether a session id is one that was started, not ended and not expired."""
        if not isinstance(session_id, str) or not session_id:
            return False
        now = time.time() if now is None else now
        row = self._db().execute("SELECT expires FROM sessions WHERE digest = ?", (_digest(session_id),)).fetchone()
        return row is not None and row[0] > now

    def end(self, session_id: object) -> None:
        """End a session (logout); its cookie opens nothing any more."""
        if isinstance(session_id, str):
            self._db().execute("DELETE FROM sessions WHERE digest = ?", (_digest(session_id),))

    def end_all(self) -> None:
        """End every session, for an operator who suspects a stolen cookie."""
        self._db().execute("DELETE FROM sessions")


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()
