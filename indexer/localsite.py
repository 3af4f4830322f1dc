"""Serve a folder of pages as a website on loopback, with a generated sitemap: for tests, benchmarks and demos.

``corpus/kennisrotonde/x.html`` is served at ``/kennisrotonde/x`` with an ETag and a
Last-Modified, and answers conditional requests with 304, as a careful CMS would. The
sitemap is made from the folder at each request, so a file removed leaves it at once.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: A route of its own: called with the request handler, it writes the whole answer.
Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    #: When it arrived (time.monotonic).
    time: float


@dataclass
class LocalSite:
    """A folder served over HTTP on 127.0.0.1; use as a context manager."""

    folder: Path
    #: Give each page a lastmod in the sitemap.
    lastmod: bool = True
    robots: str | None = "User-agent: *\nAllow: /\n"
    #: Answers that replace the folder's for a path (faults, redirects, other types).
    routes: dict[str, Route] = field(default_factory=dict)
    #: Extra paths listed in the sitemap (usually those of ``routes``).
    listed: list[str] = field(default_factory=list)
    #: Every request, in order.
    requests: list[Request] = field(default_factory=list)

    def __enter__(self) -> LocalSite:
        site = self

        class Handler(_Handler):
            pass

        Handler.site = site
        self._server = _Server(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits for the loop's next poll.
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def page_paths(self) -> dict[str, Path]:
        """Return each page's URL path and its file."""
        return {"/" + p.relative_to(self.folder).with_suffix("").as_posix(): p
                for p in sorted(Path(self.folder).rglob("*.html"))}

    def file_for(self, path: str) -> Path | None:
        """Return the file served at a URL path, or None."""
        if ".." in path.split("/") or "\\" in path:
            return None
        file = Path(self.folder) / (path.lstrip("/") + ".html")
        return file if file.is_file() else None

    def sitemap(self) -> bytes:
        urls = []
        for path, file in self.page_paths().items():
            lastmod = ""
            if self.lastmod:
                stamp = datetime.fromtimestamp(file.stat().st_mtime, UTC).isoformat()
                lastmod = f"<lastmod>{stamp}</lastmod>"
            urls.append(f"<url><loc>{escape(self.url + path)}</loc>{lastmod}</url>")
        urls += [f"<url><loc>{escape(self.url + path)}</loc></url>" for path in self.listed]
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "\n".join(urls) + "</urlset>").encode()

    def page_requests(self) -> list[Request]:
        """Return the requests for pages (not for robots.txt or sitemaps)."""
        return [r for r in self.requests if not r.path.startswith(("/robots.txt", "/sitemap"))]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A crawler that hangs up (a timeout, a page refused as too big) is expected here,
        # and a traceback on stderr would land in whatever a test is capturing then.
        pass


class _Handler(BaseHTTPRequestHandler):
    site: LocalSite

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def do_GET(self):
        site = self.site
        site.requests.append(Request(self.path, dict(self.headers), time.monotonic()))
        if self.path in site.routes:
            site.routes[self.path](self)
        elif self.path == "/robots.txt" and site.robots is not None:
            self.answer(200, site.robots.encode(), "text/plain")
        elif self.path == "/sitemap.xml":
            self.answer(200, site.sitemap(), "application/xml")
        elif self.path == "/sitemap.xml.gz":
            self.answer(200, gzip.compress(site.sitemap()), "application/gzip")
        elif self.path == "/sitemap-index.xml":
            body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<sitemap><loc>{site.url}/sitemap.xml.gz</loc></sitemap></sitemapindex>")
            self.answer(200, body.encode(), "application/xml")
        elif (file := site.file_for(self.path)) is not None:
            self.page(file)
        else:
            self.answer(404, b"niet gevonden", "text/plain")

    def page(self, file: Path) -> None:
        body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        mtime = int(file.stat().st_mtime)
        headers = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
        since = self.headers.get("If-Modified-Since")
        if self.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in self.headers and since and _not_after(mtime, since)
        ):
            self.answer(304, b"", None, headers)
        else:
            self.answer(200, body, "text/html; charset=utf-8", headers)

    def answer(self, status: int, body: bytes, content_type: str | None, headers: dict | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _not_after(mtime: int, since: str) -> bool:
    try:
        return mtime <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False
