"""The Flask web app: search pages for teachers and the JSON API, on the indexer library."""

from __future__ import annotations

import os

from flask import Flask

from indexer import SearchEngine


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; every dependency comes in through its config.

    Without a test config, settings come from environment variables with the prefix
    KENNISBANK_ (KENNISBANK_INDEX_DIR, KENNISBANK_SYNONYMS, ...).
    """
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.path.join(os.getcwd(), "data", "index"),
        SYNONYMS=os.path.join(os.getcwd(), "corpus", "synoniemen.txt"),
        # Static files carry a version in their URL, so they may be cached for long.
        SEND_FILE_MAX_AGE_DEFAULT=7 * 24 * 3600,
        MAX_CONTENT_LENGTH=64 * 1024,
        JSON_AS_ASCII=False,
    )
    if test_config is None:
        app.config.from_prefixed_env("KENNISBANK")
    else:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    app.extensions["kennisbank"] = SearchEngine(app.config["INDEX_DIR"], synonyms_path=app.config.get("SYNONYMS"))

    from . import api, errors, pages, security

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    errors.register(app)
    security.register(app)
    return app
