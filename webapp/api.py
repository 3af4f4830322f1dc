"""The JSON API: the same search as the web pages, as data for other systems."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from indexer import InvalidParameter
from indexer.contract import to_json
from indexer.results import Suggestions, SuggestRequest

from .deps import engine
from .logging import log_search
from .openapi import openapi_document
from .params import request_from_args, search_request
from .security import limit

bp = Blueprint("api", __name__)



@bp.get("/api/search")
@limit("RATE_LIMIT_API")
def search():
    """Search with query, filters, sort and page; answer the result object."""
    req = search_request(request.args)
    result = engine().search(req)
    log_search(req, result, source="api")
    return jsonify(result.to_dict())


@bp.get("/api/documents/<path:doc_id>")
@limit("RATE_LIMIT_API")
def document(doc_id: str):
    """Return one page's stored fields and its related pages."""
    return jsonify(to_json(engine().document(doc_id)))


@bp.get("/api/suggest")
@limit("RATE_LIMIT_API")
def suggest():
    """Return completions for a prefix, for suggestions as a person types."""
    req = request_from_args(SuggestRequest, request.args)
    return jsonify(to_json(Suggestions(req.q, engine().suggest(req.q, req.limit))))


@bp.get("/api/facets")
@limit("RATE_LIMIT_API")
def facets():
    """Return every facet value with its page count."""
    _only(())
    values = engine().facets()
    return jsonify({name: [v.__dict__ for v in vs] for name, vs in values.items()})


@bp.get("/healthz")
def healthz():
    """Tell a load balancer whether the index is loaded, and what it holds."""
    return jsonify(to_json(engine().health()))


@bp.get("/api/openapi.json")
@limit("RATE_LIMIT_API")
def openapi():
    return jsonify(openapi_document())


def _only(allowed: tuple[str, ...]) -> None:
    for name in request.args:
        if name not in allowed:
            raise InvalidParameter(name, f"onbekende parameter '{name}'", list(allowed))
        if len(request.args.getlist(name)) > 1:
            raise InvalidParameter(name, f"parameter '{name}' mag maar één keer voorkomen")
