"""Headers on every response, rate limits, and trust in a proxy's forwarded address."""

from __future__ import annotations

from flask import Flask, current_app
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


def register(app: Flask, trusted_proxies: int = 0) -> None:
    """Add the headers and rate limits; behind ``trusted_proxies`` proxies, trust their forwarded address."""
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
        # The limiter sends Retry-After on every response; it only means something on a refusal.
        if response.status_code not in (429, 503):
            response.headers.pop("Retry-After", None)
        return response

    limiter.init_app(app)


def limit(setting: str):
    """Decorate a view with the rate limit named by a config key (read per request)."""
    return limiter.limit(lambda: current_app.config[setting])
