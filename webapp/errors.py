"""Errors as the API returns them: HTTP status and a JSON body that names the problem."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer import InvalidParameter, NotFound
from indexer.store import IndexStoreError


def error_body(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **{k: v for k, v in extra.items() if v is not None}}}


#: Pages whose bad parameters come from a search (the query, its filters, its paging).
SEARCH_PAGES = ("/zoeken", "/zoeken.atom", "/menukaart")


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def register(app: Flask) -> None:
    """Turn every error into a JSON body under /api and a Dutch page elsewhere; never a traceback."""

    @app.errorhandler(InvalidParameter)
    def invalid_parameter(exc: InvalidParameter):
        body = error_body("invalid_parameter", exc.message, parameter=exc.parameter, allowed=exc.allowed)
        if wants_json():
            return jsonify(body), 400
        # A search asked for too much or for something unknown; other forms say it their own way.
        heading = "Pas je zoekvraag aan" if request.path in SEARCH_PAGES else None
        return render_template("pages/error.html", status=400, heading=heading, message=exc.message), 400

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        if wants_json():
            return jsonify(error_body("not_found", str(exc))), 404
        return render_template("pages/error.html", status=404, message=str(exc)), 404

    @app.errorhandler(IndexStoreError)
    def no_index(exc: IndexStoreError):
        app.logger.error("index unavailable: %s", exc)
        message = "De zoekindex is niet beschikbaar. Probeer het later opnieuw."
        if wants_json():
            return jsonify(error_body("index_unavailable", message)), 503
        return render_template("pages/error.html", status=503, message=message), 503

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            404: "Deze pagina bestaat niet.",
            405: "Deze methode is hier niet toegestaan.",
            413: "Dit verzoek is te groot.",
            429: "Te veel verzoeken in korte tijd. Probeer het over een minuut opnieuw.",
        }
        message = messages.get(exc.code, exc.description or exc.name)
        headers = {"Retry-After": "60"} if exc.code == 429 else {}
        if wants_json():
            return jsonify(error_body(exc.name.lower().replace(" ", "_"), message)), exc.code, headers
        return render_template("pages/error.html", status=exc.code, message=message), exc.code, headers

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        message = "Er ging iets mis bij het zoeken. Probeer het later opnieuw."
        if wants_json():
            return jsonify(error_body("internal_error", message)), 500
        return render_template("pages/error.html", status=500, message=message), 500
