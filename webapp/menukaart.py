"""The menukaart: all interventions in one table to sort and filter, a comparison, and the table as CSV."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for

from indexer import menukaart, vocab
from indexer.opendata import csv_lines

from .deps import engine
from .params import request_from_args
from .security import limit

bp = Blueprint("menukaart", __name__)


@bp.app_template_global()
def menukaart_url(params: list[tuple[str, str]], endpoint: str = "menukaart.tabel", **changes) -> str:
    """Return a menukaart URL with the given parameters; ``changes`` replace a parameter's values."""
    out = [(k, v) for k, v in params if k not in changes]
    for key, value in changes.items():
        for v in value if isinstance(value, list) else [value]:
            if v is not None:
                out.append((key, str(v)))
    return url_for(endpoint) + ("?" + urlencode(out) if out else "")


def _request() -> tuple[menukaart.MenukaartRequest, list[tuple[str, str]]]:
    req = request_from_args(menukaart.MenukaartRequest, request.args, strict=False)
    params = [(k, v) for k, v in request.args.items(multi=True) if v != "" and k in menukaart.MenukaartRequest.__dataclass_fields__]
    return req, params


@bp.get("/menukaart")
@limit("RATE_LIMIT_PAGES")
def tabel():
    """Show every intervention in one table, sorted and filtered as the URL says."""
    req, params = _request()
    items = menukaart.interventions(engine(), req)
    return render_template("menukaart/tabel.html", items=items, req=req, params=params,
                           themes=menukaart.themes(engine()), columns=menukaart.SORTS,
                           bewijs_levels=[(level, vocab.bewijskracht_text(level)) for level in range(1, 6)],
                           kosten_levels=[(level, f"{label} ({level} van 5)") for level, label in vocab.KOSTEN.items()])


@bp.get("/menukaart.csv")
@limit("RATE_LIMIT_PAGES")
def csv():
    """Send the menukaart, filtered and sorted as on the page, as a CSV file for Excel."""
    req, _ = _request()
    items = menukaart.interventions(engine(), req)
    rows = (menukaart.csv_row(item, url_for("pages.pagina", doc_id=item.id, _external=True)) for item in items)
    return Response(
        stream_with_context(csv_lines(menukaart.CSV_HEADER, rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="menukaart.csv"'},
    )


@bp.get("/menukaart/vergelijk")
@limit("RATE_LIMIT_PAGES")
def vergelijk():
    """Show two to four interventions side by side: figures, summary, approach and cautions."""
    ids = request.args.getlist("id")
    columns = menukaart.compare(engine(), ids)
    return render_template("menukaart/vergelijk.html", columns=columns)
