"""Structured request logs (one JSON line per request) and the search log for editors."""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, current_app, g, request

from indexer import SearchRequest, SearchResult

from . import deps

log = logging.getLogger("kennisbank.requests")


def register(app: Flask, enabled: bool = True) -> None:
    """Time every request and, when ``enabled``, log it as one JSON line on stderr."""
    if enabled and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response):
        if enabled:
            # Path only: no query string, no address, nothing that could identify a person,
            # and never the Authorization header.
            log.info(json.dumps({
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
                "bytes": response.calculate_content_length(),
            }))
        return response


def log_search(req: SearchRequest, result: SearchResult, source: str = "web") -> None:
    """Record a search for the editors' report (first page only: paging is not a new question).

    :param source: "web" for the results page, "api" for the JSON API; the report counts them apart.
    """
    querylog = deps.query_log()
    if querylog is None or req.page != 1:
        return
    filters = dict(req.selected, min_bewijskracht=req.min_bewijskracht)
    try:
        querylog.record(req.q, filters, result.total, source=source)
    except Exception:  # a full disk must not cost a teacher the answer
        current_app.logger.exception("could not record search")
