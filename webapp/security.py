"""Headers on every response, rate limits, and trust in a proxy's forwarded address."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)

# One limiter per process, in memory: each worker counts its own requests, so the
# effective limit behind N workers is at most N times the configured one.
limiter = Limiter(get_remote_address, storage_uri="memory://", headers_enabled=True)


def register(app: Flask, trusted_proxies: int = 0, hsts_max_age: int = 0) -> None:
    """Add the headers and rate limits; behind ``trusted_proxies`` proxies, trust their forwarded address.

    :param hsts_max_age: seconds of Strict-Transport-Security sent on answers over HTTPS; 0: none.
    """
    if trusted_proxies:
        # Behind nginx the client's address is in X-Forwarded-For; trust only as many
        # hops as there are proxies, or a client could pick its own rate-limit key.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies)

    # Registered before the limiter, so it runs after the limiter has added its headers
    # (Flask runs after_request functions in reverse order).
    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Browsers heed HSTS only over HTTPS; over plain HTTP (a test, a proxy that does not
        # say X-Forwarded-Proto) it would only promise what this hop cannot know.
        if hsts_max_age and request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts_max_age}")
        relative_location(response)
        # The limiter sends Retry-After on every response; it only means something on a refusal.
        if response.status_code not in (429, 503):
            response.headers.pop("Retry-After", None)
        return response

    limiter.init_app(app)


def relative_location(response) -> None:
    """Make a redirect to this same site relative, so the client's Host header cannot choose where it leads.

    Werkzeug builds the redirect that merges double slashes (``/pagina//x``) from the
    request's Host header: ``Host: evil.example`` gave ``Location: http://evil.example/...``.
    """
    location = response.headers.get("Location")
    if not location:
        return
    parts = urlsplit(location)
    if parts.netloc and parts.netloc.lower() == request.host.lower():
        path = parts.path or "/"
        # A path starting with // would itself be read as another host.
        path = "/" + path.lstrip("/")
        response.headers["Location"] = path + (f"?{parts.query}" if parts.query else "")


def limit(setting: str):
    """Decorate a view with the rate limit named by a config key (read per request)."""
    return limiter.limit(lambda: current_app.config[setting])
