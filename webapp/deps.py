"""The app's dependencies, built once by create_app: views get the engine and the search log here."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from indexer import SearchEngine, Settings
from indexer.querylog import QueryLog
from indexer.questions import QuestionStore
from indexer.sessions import SessionStore


@dataclass(frozen=True)
class Deps:
    settings: Settings
    engine: SearchEngine
    query_log: QueryLog | None
    questions: QuestionStore | None = None
    sessions: SessionStore | None = None


def init_app(app: Flask, deps: Deps) -> None:
    app.extensions["kennisbank"] = deps


def _deps() -> Deps:
    return current_app.extensions["kennisbank"]


def settings() -> Settings:
    """Return the settings the app was created with."""
    return _deps().settings


def engine() -> SearchEngine:
    """Return the app's search engine (one per worker, shared by its threads)."""
    return _deps().engine


def query_log() -> QueryLog | None:
    """Return the search log, or None when it is turned off."""
    return _deps().query_log


def questions() -> QuestionStore | None:
    """Return the question store, or None when the question form is turned off."""
    return _deps().questions


def sessions() -> SessionStore | None:
    """Return the editors' session store, or None when there is no editors' side (no token)."""
    return _deps().sessions
