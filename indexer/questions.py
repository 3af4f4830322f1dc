"""Questions to the Kennisrotonde: the store behind the question form and the editors' queue.

A question is kept in a SQLite database of its own (WAL mode, like the search log), apart
from the index, so rebuilding the index or restarting the app never touches it. The
schema carries a version (``PRAGMA user_version``) and is brought up to date, step by
step, when the store is opened. An e-mail address is kept only as long as needed: it is
deleted when the question is closed, or after ``ADDRESS_DAYS``, whichever comes first.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import sqlite3
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import vocab
from .analysis.stopwords import FILLERS, STOP_WORDS
from .contract import meta
from .sqlite import ThreadConnections

MIN_LENGTH = 15
MAX_LENGTH = 2000
MAX_EMAIL = 254
#: An address given for the answer is deleted after this many days at the latest.
ADDRESS_DAYS = 180
#: The searches of the same session kept with a question.
TRAIL_LENGTH = 5

ROLES: dict[str, str] = {
    "leraar": "leraar",
    "schoolleider": "schoolleider",
    "intern-begeleider": "intern begeleider",
    "bestuurder": "bestuurder",
    "lerarenopleider": "lerarenopleider",
    "anders": "anders",
}
STATUSES: dict[str, str] = {
    "nieuw": "nieuw",
    "in-behandeling": "in behandeling",
    "beantwoord": "beantwoord",
    "doorverwezen": "doorverwezen",
    "afgewezen": "afgewezen",
}
#: A closed question is done with: its address is deleted.
CLOSED = ("beantwoord", "doorverwezen", "afgewezen")
#: These statuses name the page that answers the question.
NEEDS_PAGE = ("beantwoord", "doorverwezen")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Each step brings the schema from its index to the next version; never edit a step
# that has shipped, add one.
_MIGRATIONS = [
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ref TEXT UNIQUE,
        received REAL NOT NULL,
        vraag TEXT NOT NULL,
        sector TEXT NOT NULL,
        rol TEXT NOT NULL,
        toelichting TEXT NOT NULL DEFAULT '',
        email TEXT,
        searches TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'nieuw',
        page_id TEXT,
        closed REAL
    );
    CREATE INDEX questions_received ON questions (received);
    CREATE TABLE referrals (at REAL NOT NULL, page_id TEXT NOT NULL);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
]
SCHEMA_VERSION = len(_MIGRATIONS)


class QuestionError(ValueError):
    """A question field holds a value the form and the API refuse; names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class UnknownQuestion(LookupError):
    """No question with that reference."""


@dataclass
class QuestionRequest:
    """A question as a teacher or another system sends it."""

    vraag: str = field(metadata=meta("De vraag.", minLength=MIN_LENGTH, maxLength=MAX_LENGTH))
    sector: str = field(metadata=meta("Sector waar de vraag over gaat.", enum=list(vocab.SECTORS)))
    rol: str = field(metadata=meta("Rol van wie de vraag stelt.", enum=list(ROLES)))
    toelichting: str = field(default="", metadata=meta("Context bij de vraag.", maxLength=MAX_LENGTH))
    email: str | None = field(default=None, metadata=meta(
        f"Adres voor het antwoord; gewist bij afsluiten of na {ADDRESS_DAYS} dagen.", maxLength=MAX_EMAIL))


@dataclass
class Search:
    """A search from the same session that led to the question."""

    q: str
    filters: dict[str, list[str]]


@dataclass
class Question:
    """A question in the editors' queue."""

    ref: str = field(metadata=meta("Referentienummer."))
    received: str = field(metadata=meta("Ontvangen (ISO 8601, UTC)."))
    vraag: str
    sector: str
    rol: str
    toelichting: str
    email: str | None = field(metadata=meta("Alleen zolang de vraag open is."))
    status: str = field(metadata=meta("Status.", enum=list(STATUSES)))
    page_id: str | None = field(metadata=meta("De pagina die antwoordt of waarnaar verwezen is."))
    searches: list[Search]

    @property
    def open(self) -> bool:
        return self.status not in CLOSED


@dataclass
class Month:
    """The numbers of one month: questions received, referrals chosen, answered, words of open questions."""

    month: str
    received: int = 0
    referrals: int = 0
    answered: int = 0
    words: list[tuple[str, int]] = field(default_factory=list)


def validate(data: Mapping) -> QuestionRequest:
    """Return the question in ``data`` cleaned up, or raise QuestionError for the first field that is wrong.

    :param data: the form's or the JSON body's fields (vraag, sector, rol, toelichting, email).
    """

    def text(name: str) -> str:
        value = data.get(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise QuestionError(name, f"{name} moet tekst zijn")
        return value.strip()

    vraag = text("vraag")
    if not vraag:
        raise QuestionError("vraag", "Vul je vraag in.")
    if len(vraag) < MIN_LENGTH:
        raise QuestionError("vraag", f"Je vraag is te kort: schrijf minstens {MIN_LENGTH} tekens.")
    if len(vraag) > MAX_LENGTH:
        raise QuestionError("vraag", f"Je vraag is te lang: schrijf hoogstens {MAX_LENGTH} tekens.")
    sector = text("sector")
    if sector not in vocab.SECTORS:
        raise QuestionError("sector", "Kies de sector waar je vraag over gaat.")
    rol = text("rol")
    if rol not in ROLES:
        raise QuestionError("rol", "Kies je rol.")
    toelichting = text("toelichting")
    if len(toelichting) > MAX_LENGTH:
        raise QuestionError("toelichting", f"De toelichting is te lang: hoogstens {MAX_LENGTH} tekens.")
    email = text("email")
    if email and (len(email) > MAX_EMAIL or not _EMAIL.match(email)):
        raise QuestionError("email", "Dit e-mailadres klopt niet. Laat het veld leeg als je geen antwoord per e-mail wilt.")
    return QuestionRequest(vraag=vraag, sector=sector, rol=rol, toelichting=toelichting, email=email or None)


def _month(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m")


class QuestionStore:
    """The questions, their status and the referrals the form made, in one SQLite file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._db = ThreadConnections(self.path, _migrate, timeout=10)

    def schema_version(self) -> int:
        return self._db().execute("PRAGMA user_version").fetchone()[0]

    def secret(self) -> str:
        """Return a random key made once and kept in the store, shared by every worker."""
        db = self._db()
        db.execute("INSERT OR IGNORE INTO settings VALUES ('secret', ?)", (secrets.token_hex(32),))
        return db.execute("SELECT value FROM settings WHERE key = 'secret'").fetchone()[0]

    def submit(self, question: QuestionRequest, searches: list[dict] | None = None, now: float | None = None) -> str:
        """Store a question and return its reference number.

        :param searches: the searches of the same session that led to it ({"q", "filters"}).
        """
        now = time.time() if now is None else now
        trail = [{"q": str(s.get("q", "")), "filters": dict(s.get("filters") or {})}
                 for s in (searches or [])][-TRAIL_LENGTH:]
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            row_id = db.execute(
                "INSERT INTO questions (received, vraag, sector, rol, toelichting, email, searches) VALUES (?,?,?,?,?,?,?)",
                (now, question.vraag, question.sector, question.rol, question.toelichting, question.email,
                 json.dumps(trail, ensure_ascii=False)),
            ).lastrowid
            ref = f"KR-{datetime.fromtimestamp(now, UTC).year}-{row_id:04d}"
            db.execute("UPDATE questions SET ref = ? WHERE id = ?", (ref, row_id))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.expire_addresses(now)
        return ref

    def refer(self, page_id: str, now: float | None = None) -> None:
        """Count that a teacher chose an existing answer instead of asking."""
        self._db().execute("INSERT INTO referrals VALUES (?, ?)", (time.time() if now is None else now, page_id))

    def get(self, ref: str) -> Question:
        row = self._db().execute(f"SELECT {_COLUMNS} FROM questions WHERE ref = ?", (ref,)).fetchone()
        if row is None:
            raise UnknownQuestion(ref)
        return _question(row)

    def questions(self, now: float | None = None) -> list[Question]:
        """Return every question, newest first; addresses past their time are deleted first."""
        self.expire_addresses(now)
        rows = self._db().execute(f"SELECT {_COLUMNS} FROM questions ORDER BY received DESC, id DESC").fetchall()
        return [_question(row) for row in rows]

    def set_status(self, ref: str, status: str, page_id: str | None = None, now: float | None = None) -> Question:
        """Record a question's new status; closing it deletes its address. Nothing is sent.

        :param page_id: the page that answers it (required for beantwoord and doorverwezen).
        :raises QuestionError: for an unknown status or a missing page.
        :raises UnknownQuestion: for an unknown reference.
        """
        if status not in STATUSES:
            raise QuestionError("status", f"onbekende status '{status}'")
        page_id = (page_id or "").strip() or None
        if status in NEEDS_PAGE and not page_id:
            raise QuestionError("page_id", f"Geef bij ‘{STATUSES[status]}’ de pagina die de vraag beantwoordt.")
        now = time.time() if now is None else now
        closed = now if status in CLOSED else None
        cursor = self._db().execute(
            """UPDATE questions SET status = ?, page_id = COALESCE(?, page_id), closed = ?,
                      email = CASE WHEN ? IS NULL THEN email ELSE NULL END
               WHERE ref = ?""",
            (status, page_id, closed, closed, ref),
        )
        if cursor.rowcount == 0:
            raise UnknownQuestion(ref)
        return self.get(ref)

    def expire_addresses(self, now: float | None = None) -> int:
        """Delete the addresses given longer than ADDRESS_DAYS ago; return how many."""
        now = time.time() if now is None else now
        cursor = self._db().execute(
            "UPDATE questions SET email = NULL WHERE email IS NOT NULL AND received < ?", (now - ADDRESS_DAYS * 86400,))
        return cursor.rowcount

    def months(self, limit: int = 6, words: int = 8) -> list[Month]:
        """Return the numbers per month, newest first: received, referrals, answered, words of open questions."""
        db = self._db()
        out: dict[str, Month] = {}

        def month(at: float) -> Month:
            key = _month(at)
            return out.setdefault(key, Month(key))

        counts: dict[str, Counter] = {}
        for received, status, closed, vraag in db.execute("SELECT received, status, closed, vraag FROM questions"):
            month(received).received += 1
            if status == "beantwoord" and closed:
                month(closed).answered += 1
            if status not in CLOSED:
                counts.setdefault(_month(received), Counter()).update(question_words(vraag))
        for (at,) in db.execute("SELECT at FROM referrals"):
            month(at).referrals += 1
        for key, counter in counts.items():
            out[key].words = counter.most_common(words)
        return [out[key] for key in sorted(out, reverse=True)[:limit]]

    def to_csv(self) -> str:
        """Return the queue as CSV for the answering team (addresses only of open questions)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["referentie", "ontvangen", "status", "sector", "rol", "vraag", "toelichting", "email",
                         "pagina", "zoekopdrachten"])
        for q in self.questions():
            writer.writerow([q.ref, q.received, STATUSES[q.status], q.sector, ROLES.get(q.rol, q.rol), q.vraag,
                             q.toelichting, q.email or "", q.page_id or "", " | ".join(s.q for s in q.searches)])
        return buffer.getvalue()


def question_words(text: str) -> list[str]:
    """Return the words of a question that say what it is about (no stop words or fillers)."""
    words = re.findall(r"[a-zà-ÿ]{3,}", text.lower())
    return [w for w in words if vocab.fold_diacritics(w) not in STOP_WORDS and w not in FILLERS]


_COLUMNS = "ref, received, vraag, sector, rol, toelichting, email, status, page_id, searches"


def _question(row) -> Question:
    ref, received, vraag, sector, rol, toelichting, email, status, page_id, searches = row
    return Question(
        ref=ref, received=datetime.fromtimestamp(received, UTC).isoformat(timespec="seconds"), vraag=vraag,
        sector=sector, rol=rol, toelichting=toelichting, email=email, status=status, page_id=page_id,
        searches=[Search(s["q"], s["filters"]) for s in json.loads(searches)],
    )


def _migrate(db: sqlite3.Connection) -> None:
    """Bring the schema to SCHEMA_VERSION, one step at a time, each step with its version in one transaction."""
    db.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see the new version
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"question store schema {version} is newer than this program's {SCHEMA_VERSION}")
        for step in range(version, SCHEMA_VERSION):
            for statement in _MIGRATIONS[step].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {step + 1}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
