"""Polite HTTP for the crawler: robots.txt, a request rate per host, retries with backoff, limits.

Every request of a crawl goes through one `Fetcher`, so the rate per host holds across
sitemaps, robots.txt and pages alike. Only the standard library is used (urllib).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections import Counter
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from .parse import MAX_PAGE_BYTES
from .settings import Settings

#: Redirects followed for one request before giving up.
MAX_REDIRECTS = 5
#: A body must arrive within this many timeouts, so a server that drips bytes cannot hold a crawl.
BODY_TIMEOUTS = 6


class FetchError(Exception):
    """A request that gave no usable answer; the message is the reason shown to editors."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Politeness:
    """How a crawl treats a site: its rate, patience and limits, and how it introduces itself."""

    #: Requests per second per host, at most (robots.txt's Crawl-delay may ask for fewer).
    rate: float = 2.0
    #: Seconds to wait for a connection or for the next bytes of an answer.
    timeout: float = 10.0
    #: Extra attempts after a 5xx or 429 answer, each after a longer wait.
    retries: int = 3
    #: The longest Retry-After honoured, in seconds; a longer one is cut to this.
    max_wait: float = 60.0
    #: Pages larger than this are refused before they are read whole.
    max_bytes: int = MAX_PAGE_BYTES
    #: An address where a site's owner can reach whoever runs the crawl.
    contact: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> Politeness:
        return cls(rate=settings.crawl_rate, timeout=settings.crawl_timeout, contact=settings.crawl_contact)

    @property
    def user_agent(self) -> str:
        return f"Kennisbank/1.0 (+mailto:{self.contact})" if self.contact else "Kennisbank/1.0"


@dataclass
class Response:
    url: str
    status: int
    headers: Message
    body: bytes = b""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Redirects are followed by Fetcher.get itself, which checks each hop's host.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Fetcher:
    """Make a crawl's requests, at most ``politeness.rate`` per second per host; count every status."""

    politeness: Politeness = field(default_factory=Politeness)
    #: Answers by HTTP status ("200", "304", ...) and failures without one ("timeout", "error").
    statuses: Counter = field(default_factory=Counter)

    def __post_init__(self):
        # No proxy: a crawl talks to the site itself, and a loopback test server must not be proxied.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def get(self, url: str, headers: dict[str, str] | None = None, accept: tuple[str, ...] = ()) -> Response:
        """Return the answer to a GET (200 or 304), following redirects within the same host.

        :param accept: content types taken (prefixes, such as ``text/html``); empty: any.
        :raises FetchError: when robots.txt forbids the URL, or for any other answer or failure.
        """
        if not self.allowed(url):
            raise FetchError("robots.txt staat deze pagina niet toe")
        seen = {url}
        for _ in range(MAX_REDIRECTS + 1):
            response = self._request(url, headers or {}, accept)
            if response.status not in (301, 302, 303, 307, 308):
                return response
            target = urljoin(url, response.headers.get("Location", ""))
            if urlsplit(target).hostname != urlsplit(url).hostname or urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(f"doorverwezen naar een andere site ({target[:100]}), niet gevolgd", response.status)
            if target in seen:
                raise FetchError("doorverwijzingen in een kring", response.status)
            if not self.allowed(target):
                raise FetchError("doorverwezen naar een pagina die robots.txt niet toestaat", response.status)
            seen.add(target)
            url = target
        raise FetchError(f"meer dan {MAX_REDIRECTS} doorverwijzingen")

    def allowed(self, url: str) -> bool:
        """Return whether the site's robots.txt lets Kennisbank fetch ``url`` (read once per host)."""
        parts = urlsplit(url)
        host = parts.netloc
        if host not in self._robots:
            self._robots[host] = self._read_robots(f"{parts.scheme}://{host}/robots.txt")
        robots = self._robots[host]
        return robots is not None and robots.can_fetch(self.politeness.user_agent, url)

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """Return the parsed robots.txt; a missing one allows everything, an unreachable one nothing."""
        robots = urllib.robotparser.RobotFileParser(url)
        try:
            response = self._request(url, {}, ())
        except FetchError as exc:
            # As RFC 9309 asks: a 4xx means no rules, a server error or no answer means stay out.
            if exc.status is not None and 400 <= exc.status < 500:
                robots.parse([])
                return robots
            return None
        robots.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return robots

    def _interval(self, host: str) -> float:
        interval = 1 / self.politeness.rate
        robots = self._robots.get(host)
        delay = robots.crawl_delay(self.politeness.user_agent) if robots else None
        return max(interval, float(delay or 0))

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = last + self._interval(host) - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _request(self, url: str, headers: dict[str, str], accept: tuple[str, ...]) -> Response:
        """Make one request, retrying after a 5xx or 429; return a 200, 304 or 3xx, raise for the rest."""
        host = urlsplit(url).netloc
        request_headers = {"User-Agent": self.politeness.user_agent, "Accept-Encoding": "identity"} | headers
        for attempt in range(self.politeness.retries + 1):
            self._wait_turn(host)
            try:
                answer = self._opener.open(urllib.request.Request(url, headers=request_headers),
                                           timeout=self.politeness.timeout)
            except urllib.error.HTTPError as exc:
                answer = exc
            except (TimeoutError, urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                timed_out = isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError)
                self.statuses["timeout" if timed_out else "error"] += 1
                raise FetchError("geen antwoord binnen de tijd" if timed_out else f"niet bereikbaar: {reason}") from None
            with answer:
                status = answer.status
                self.statuses[str(status)] += 1
                if (status == 429 or status >= 500) and attempt < self.politeness.retries:
                    time.sleep(self._backoff(answer.headers, attempt))
                    continue
                if status == 200:
                    return Response(url, status, answer.headers, self._read(answer, accept))
                if status == 304 or 300 <= status < 400:
                    return Response(url, status, answer.headers)
                raise FetchError(f"HTTP-status {status}", status)
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _backoff(self, headers: Message, attempt: int) -> float:
        """Return how long to wait before the next attempt: the server's Retry-After, else a doubling pause."""
        value = (headers.get("Retry-After") or "").strip()
        wait = None
        if value.isdigit():
            wait = float(value)
        elif value:
            try:
                wait = parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError):
                wait = None
        if wait is None:
            wait = 2**attempt / self.politeness.rate
        return min(max(wait, 0.0), self.politeness.max_wait)

    def _read(self, answer, accept: tuple[str, ...]) -> bytes:
        """Read the body, refusing another content type or a body over the size limit before reading it whole."""
        content_type = (answer.headers.get_content_type() or "").lower()
        if accept and not content_type.startswith(accept):
            raise FetchError(f"geen HTML maar {content_type}", answer.status)
        limit = self.politeness.max_bytes
        too_big = FetchError(f"pagina te groot (meer dan {limit // 1024} kB)", answer.status)
        length = answer.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise too_big
        deadline = time.monotonic() + BODY_TIMEOUTS * self.politeness.timeout
        chunks, size = [], 0
        try:
            # read1 returns what one receive brings, so the limit and the deadline are checked as bytes arrive.
            while chunk := answer.read1(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise too_big
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunks.append(chunk)
        except TimeoutError:
            self.statuses["timeout"] += 1
            raise FetchError("geen antwoord binnen de tijd", answer.status) from None
        except OSError as exc:
            raise FetchError(f"verbinding verbroken: {exc}", answer.status) from None
        return b"".join(chunks)
