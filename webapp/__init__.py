"""The Flask web app: search pages for teachers and the JSON API, on the indexer library."""

from __future__ import annotations

import hashlib
import os

from flask import Flask

from indexer import IndexStoreError, SearchEngine
from indexer.settings import DEFAULTS
from indexer.querylog import QueryLog


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; every dependency comes in through its config.

    Without a test config, settings come from environment variables with the prefix
    KENNISBANK_ (KENNISBANK_INDEX_DIR, KENNISBANK_ADMIN_TOKEN, ...; see the README).
    """
    app = Flask(__name__)
    cwd = os.getcwd()
    app.config.from_mapping(
        INDEX_DIR=os.path.join(cwd, "data", "index"),
        SYNONYMS=os.path.join(cwd, "corpus", "synoniemen.txt"),
        SOURCES=[os.path.join(cwd, "corpus")],
        BASE_URL=DEFAULTS.base_url,
        QUERY_LOG=os.path.join(cwd, "data", "zoeklog.sqlite3"),
        ADMIN_TOKEN=None,
        SECRET_KEY=None,
        # Static files carry a version in their URL, so they may be cached for long.
        SEND_FILE_MAX_AGE_DEFAULT=7 * 24 * 3600,
        MAX_CONTENT_LENGTH=64 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_NAME="kennisbank_beheer",
        REQUEST_LOG=True,
        # Results kept per worker for repeated searches; 0 turns the cache off.
        RESULT_CACHE=2048,
        # Rate limits per client address and worker (Flask-Limiter syntax).
        RATELIMIT_ENABLED=True,
        RATE_LIMIT_API="120 per minute",
        RATE_LIMIT_PAGES="240 per minute",
        RATE_LIMIT_EDITOR="10 per minute",
        RATE_LIMIT_LOGIN="5 per minute",
        TRUSTED_PROXIES=0,
        # Servers (not tests) open the index at start and new builds in the background.
        WATCH_INDEX=test_config is None,
    )
    if test_config is None:
        app.config.from_prefixed_env("KENNISBANK")
    else:
        app.config.from_mapping(test_config)
    if isinstance(app.config["SOURCES"], str):
        app.config["SOURCES"] = [s for s in app.config["SOURCES"].split(os.pathsep) if s]
    if not app.config["SECRET_KEY"] and app.config["ADMIN_TOKEN"]:
        # Every instance with the same token signs sessions alike, so a login holds
        # behind a load balancer without another shared secret.
        app.config["SECRET_KEY"] = hashlib.sha256(b"kennisbank-session:" + app.config["ADMIN_TOKEN"].encode()).hexdigest()
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    app.extensions["kennisbank"] = SearchEngine(
        app.config["INDEX_DIR"], synonyms_path=app.config.get("SYNONYMS"), cache_size=int(app.config["RESULT_CACHE"]),
    )
    if app.config.get("WATCH_INDEX"):
        engine = app.extensions["kennisbank"]
        # Open the index before the first request, and new builds in the background.
        try:
            engine.state()
        except IndexStoreError as exc:
            app.logger.warning("index not opened at start: %s", exc)
        engine.watch()
    app.extensions["kennisbank.querylog"] = QueryLog(app.config["QUERY_LOG"]) if app.config.get("QUERY_LOG") else None

    from . import api, beheer, errors, logging, pages, security

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(beheer.bp)
    errors.register(app)
    security.register(app)
    logging.register(app)
    return app
