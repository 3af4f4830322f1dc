"""The knowledge base as open data: the export for other systems, the sitemap, and Atom feeds of searches."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for

from indexer import InvalidParameter
from indexer.opendata import CSV_FIELDS, FORMATS, LICENCE, csv_lines, csv_row, jsonl_lines, records

from .deps import engine
from .params import search_request
from .security import limit

bp = Blueprint("opendata", __name__)

#: How many of a search's newest pages a feed holds.
FEED_ENTRIES = 20
# A feed follows the newest pages, so the order and the page number are its own.
_FEED_IGNORES = ("sort", "page", "per_page")


@bp.app_template_global()
def feed_url(params: list[tuple[str, str]]) -> str:
    """Return the Atom feed of a search: the same query and filters, newest pages first."""
    kept = [(k, v) for k, v in params if k not in _FEED_IGNORES]
    return url_for("opendata.feed") + ("?" + urlencode(kept) if kept else "")


@bp.get("/api/export")
@limit("RATE_LIMIT_API")
def export():
    """Stream every page's metadata and text as JSON Lines, or its metadata as CSV."""
    for name in request.args:
        if name != "format":
            raise InvalidParameter(name, f"onbekende parameter '{name}'", ["format"])
    fmt = request.args.get("format", "jsonl")
    if fmt not in FORMATS:
        raise InvalidParameter("format", f"onbekende waarde '{fmt}' voor format", list(FORMATS))
    items = records(engine())
    if fmt == "csv":
        body, mimetype = csv_lines(CSV_FIELDS, (csv_row(r) for r in items)), "text/csv"
    else:
        body, mimetype = jsonl_lines(items), "application/jsonl"
    return Response(stream_with_context(body), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="kennisbank.{fmt}"'})


@bp.get("/sitemap.xml")
@limit("RATE_LIMIT_PAGES")
def sitemap():
    """List every page with its last-modified date, for search engines."""
    items = records(engine())
    xml = render_template("opendata/sitemap.xml", items=items)
    return Response(xml, mimetype="application/xml")


@bp.get("/zoeken.atom")
@limit("RATE_LIMIT_PAGES")
def feed():
    """Answer an Atom feed of a search's newest pages: the same parameters as /zoeken."""
    req = search_request(request.args, strict=False)
    req.sort, req.page, req.per_page = "date", 1, FEED_ENTRIES
    result = engine().search(req)
    params = [(k, v) for k, v in request.args.items(multi=True) if v != "" and k not in _FEED_IGNORES]
    dates = [hit.modified for hit in result.results if hit.modified]
    updated = f"{max(dates)}T00:00:00Z" if dates else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = render_template("opendata/zoeken.atom.xml", licence=LICENCE, result=result, params=params, updated=updated,
                          self_url=request.url, search_page=url_for("pages.zoeken", _external=True)
                          + ("?" + urlencode(params) if params else ""))
    return Response(xml, mimetype="application/atom+xml")
