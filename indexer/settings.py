"""Kennisbank's settings: every default written once, and the one reader of KENNISBANK_* variables.

Library functions take paths and options as arguments; only the edges (the command line
and the web app's entry point) build a ``Settings``, usually with ``Settings.from_env``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


class SettingsError(ValueError):
    """An environment variable holds a value its setting cannot take."""


@dataclass(frozen=True)
class Settings:
    """Where the index and sources are, and how the web app behaves and listens."""

    #: The index directory (builds side by side and the CURRENT file).
    index_dir: Path = Path("data/index")
    #: Source folders, and sitemap URLs of sites to crawl, that the web reindex reads.
    sources: tuple[Path | str, ...] = (Path("corpus"),)
    #: The editors' synonym list; None: no synonyms.
    synonyms: Path | None = Path("corpus/synoniemen.txt")
    #: Site address for pages without a canonical link.
    base_url: str = "https://kennisbank.example.nl/"
    #: The search log (SQLite); None: no log.
    query_log: Path | None = Path("data/zoeklog.sqlite3")
    #: The questions to the Kennisrotonde (SQLite); None: no question form.
    question_store: Path | None = Path("data/vragen.sqlite3")
    #: Token for /api/reindex and /beheer; None: the editors' side does not exist.
    admin_token: str | None = field(default=None, repr=False)
    #: Session key for the /beheer login; None: derived from the admin token.
    secret_key: str | None = field(default=None, repr=False)
    #: Search results kept per worker for repeated requests; 0: off.
    result_cache: int = 2048
    #: Rate limits per client address and worker (Flask-Limiter syntax).
    ratelimit_enabled: bool = True
    rate_limit_api: str = "120 per minute"
    rate_limit_pages: str = "240 per minute"
    rate_limit_editor: str = "10 per minute"
    rate_limit_login: str = "5 per minute"
    rate_limit_questions: str = "20 per hour"
    #: Proxies in front whose X-Forwarded-For is trusted.
    trusted_proxies: int = 0
    #: One JSON line per request on stderr.
    request_log: bool = True
    #: The Secure flag on the login cookie (keep on behind HTTPS).
    session_cookie_secure: bool = True
    #: Strict-Transport-Security max-age (seconds) on answers over HTTPS; 0: none.
    hsts_max_age: int = 31_536_000
    #: gunicorn's control socket: "auto" gives each instance its own, named after its port; "": none.
    control_socket: str = "auto"
    #: Hours a /beheer login lasts, however active the editor (then log in again).
    session_hours: float = 8.0
    #: Where and how ``kennisbank serve`` listens: gunicorn workers, each with threads.
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 4
    #: Servers open the index at start and new builds in the background; tests do not.
    watch_index: bool = True
    #: Flask's test mode.
    testing: bool = False
    #: A crawl's requests per second per host, at most; seconds to wait for an answer.
    crawl_rate: float = 2.0
    crawl_timeout: float = 10.0
    #: The address in the crawler's User-Agent, where a site's owner can reach us.
    crawl_contact: str = "kennisbank@example.nl"

    def __post_init__(self):
        # Accept strings and lists, as tests and the command line give them; keep Paths and a tuple.
        sources = (self.sources,) if isinstance(self.sources, (str, os.PathLike)) else self.sources
        object.__setattr__(self, "index_dir", Path(self.index_dir))
        object.__setattr__(self, "sources", tuple(str(s) if is_url(s) else Path(s) for s in sources))
        object.__setattr__(self, "synonyms", Path(self.synonyms) if self.synonyms else None)
        object.__setattr__(self, "query_log", Path(self.query_log) if self.query_log else None)
        object.__setattr__(self, "question_store", Path(self.question_store) if self.question_store else None)
        object.__setattr__(self, "admin_token", self.admin_token or None)
        object.__setattr__(self, "secret_key", self.secret_key or None)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Return the settings from KENNISBANK_* variables; a variable not set keeps its default.

        :param environ: the environment to read, usually ``os.environ``.
        :raises SettingsError: naming the variable whose value does not parse.
        """
        values = {}
        for name, (attribute, parse) in VARIABLES.items():
            raw = environ.get(name)
            if raw is None:
                continue
            try:
                values[attribute] = parse(raw)
            except ValueError:
                raise SettingsError(f"{name}: ongeldige waarde '{raw}'") from None
        return cls(**values)


def is_url(source: Path | str) -> bool:
    """Return whether a source is a site's sitemap (an http(s) URL) rather than a folder."""
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def _sources(value: str) -> tuple[Path | str, ...]:
    """Split folders and URLs at the path separator, keeping the colons inside a URL."""
    parts: list[str] = []
    for part in value.split(os.pathsep):
        if parts and os.pathsep == ":" and (
            (parts[-1] in ("http", "https") and part.startswith("//"))  # the scheme's colon
            or (is_url(parts[-1]) and re.match(r"\d+(/|$)", part))  # a port's colon
        ):
            parts[-1] += ":" + part
        else:
            parts.append(part)
    return tuple(p if is_url(p) else Path(p) for p in parts if p)


def _optional_path(value: str) -> Path | None:
    # An empty value turns the file off (no synonyms, no search log).
    return Path(value) if value else None


def _optional_text(value: str) -> str | None:
    return value or None


def _bool(value: str) -> bool:
    text = value.strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


#: Each variable, the setting it sets and how its text is read.
VARIABLES: dict[str, tuple[str, Callable[[str], object]]] = {
    "KENNISBANK_INDEX_DIR": ("index_dir", Path),
    "KENNISBANK_SOURCES": ("sources", _sources),
    "KENNISBANK_SYNONYMS": ("synonyms", _optional_path),
    "KENNISBANK_BASE_URL": ("base_url", str),
    "KENNISBANK_QUERY_LOG": ("query_log", _optional_path),
    "KENNISBANK_QUESTIONS": ("question_store", _optional_path),
    "KENNISBANK_ADMIN_TOKEN": ("admin_token", _optional_text),
    "KENNISBANK_SECRET_KEY": ("secret_key", _optional_text),
    "KENNISBANK_RESULT_CACHE": ("result_cache", int),
    "KENNISBANK_RATELIMIT_ENABLED": ("ratelimit_enabled", _bool),
    "KENNISBANK_RATE_LIMIT_API": ("rate_limit_api", str),
    "KENNISBANK_RATE_LIMIT_PAGES": ("rate_limit_pages", str),
    "KENNISBANK_RATE_LIMIT_EDITOR": ("rate_limit_editor", str),
    "KENNISBANK_RATE_LIMIT_LOGIN": ("rate_limit_login", str),
    "KENNISBANK_RATE_LIMIT_QUESTIONS": ("rate_limit_questions", str),
    "KENNISBANK_TRUSTED_PROXIES": ("trusted_proxies", int),
    "KENNISBANK_REQUEST_LOG": ("request_log", _bool),
    "KENNISBANK_SESSION_COOKIE_SECURE": ("session_cookie_secure", _bool),
    "KENNISBANK_SESSION_HOURS": ("session_hours", float),
    "KENNISBANK_HSTS_MAX_AGE": ("hsts_max_age", int),
    "KENNISBANK_CONTROL_SOCKET": ("control_socket", str),
    "KENNISBANK_HOST": ("host", str),
    "KENNISBANK_PORT": ("port", int),
    "KENNISBANK_WORKERS": ("workers", int),
    "KENNISBANK_CRAWL_RATE": ("crawl_rate", float),
    "KENNISBANK_CRAWL_TIMEOUT": ("crawl_timeout", float),
    "KENNISBANK_CRAWL_CONTACT": ("crawl_contact", str),
}

#: The built-in defaults, for library functions' default arguments and the command's help.
DEFAULTS = Settings()
