"""The Flask web app: search pages for teachers and the JSON API, on the indexer library."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from datetime import timedelta

from flask import Flask

from indexer import IndexStoreError, SearchEngine, Settings
from indexer.querylog import QueryLog
from indexer.questions import QuestionStore
from indexer.sessions import FILE_NAME as SESSIONS_FILE
from indexer.sessions import SessionStore


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    """Create the app from its settings: the composition root, where the engine and search log are built.

    :param settings: without them, the settings come from the KENNISBANK_* environment
        variables (see the README), as for ``gunicorn 'webapp:create_app()'``.
    :param overrides: settings to replace, by name (``index_dir=...``).
    """
    if settings is None:
        settings = Settings.from_env(os.environ)
    settings = dataclasses.replace(settings, **overrides)
    app = Flask(__name__)
    app.config.from_mapping(
        TESTING=settings.testing,
        SECRET_KEY=settings.secret_key or _session_key(settings.admin_token),
        # Static files carry a version in their URL, so they may be cached for long.
        SEND_FILE_MAX_AGE_DEFAULT=7 * 24 * 3600,
        MAX_CONTENT_LENGTH=64 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_NAME="kennisbank_beheer",
        # The cookie expires with the server-side session (webapp/beheer.py), not after Flask's 31 days.
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        # Flask-Limiter reads RATELIMIT_ENABLED; views name their limit with RATE_LIMIT_*.
        RATELIMIT_ENABLED=settings.ratelimit_enabled,
        RATE_LIMIT_API=settings.rate_limit_api,
        RATE_LIMIT_PAGES=settings.rate_limit_pages,
        RATE_LIMIT_EDITOR=settings.rate_limit_editor,
        RATE_LIMIT_LOGIN=settings.rate_limit_login,
        RATE_LIMIT_QUESTIONS=settings.rate_limit_questions,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from . import api, beheer, deps, errors, logging, menukaart, opendata, pages, security, vraag, vraagbeheer

    engine = SearchEngine(settings.index_dir, synonyms_path=settings.synonyms, cache_size=settings.result_cache)
    if settings.watch_index:
        # Open the index before the first request, and new builds in the background.
        # The engine falls back to a kept build when the current one is damaged; when
        # none is usable the worker still starts, and answers 503 and /healthz says why.
        # A worker that fails here instead makes gunicorn stop once all have.
        try:
            engine.state()
        except IndexStoreError as exc:
            app.logger.warning("index not opened at start: %s", exc)
        except Exception:  # noqa: BLE001 - see above; logged with its traceback
            app.logger.exception("index not opened at start")
        engine.watch()
    query_log = QueryLog(settings.query_log) if settings.query_log else None
    questions = QuestionStore(settings.question_store) if settings.question_store else None
    if questions and not app.secret_key:
        # The question form's CSRF token lives in the session; without a configured key,
        # every worker signs with the one kept in the question store.
        app.secret_key = questions.secret()
    # Editors' sessions live beside the index, which every instance serving it shares.
    sessions = (SessionStore(settings.index_dir / SESSIONS_FILE, settings.session_hours * 3600)
                if settings.admin_token else None)
    deps.init_app(app, deps.Deps(settings=settings, engine=engine, query_log=query_log, questions=questions,
                                 sessions=sessions))

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(beheer.bp)
    app.register_blueprint(menukaart.bp)
    app.register_blueprint(opendata.bp)
    app.register_blueprint(vraag.bp)
    app.register_blueprint(vraagbeheer.bp)
    errors.register(app)
    security.register(app, trusted_proxies=settings.trusted_proxies, hsts_max_age=settings.hsts_max_age)
    logging.register(app, enabled=settings.request_log)
    return app


def _session_key(admin_token: str | None) -> str | None:
    # Every instance with the same token signs sessions alike, so a login holds
    # behind a load balancer without another shared secret.
    if not admin_token:
        return None
    return hashlib.sha256(b"kennisbank-session:" + admin_token.encode()).hexdigest()
