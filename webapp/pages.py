"""The pages teachers see: start page, results page and page view, all on the one search."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from indexer import NotFound, vocab
from indexer.search import SORTS, SearchRequest

from .deps import engine
from .logging import log_search
from .params import search_request
from .security import limit
from .vraag import remember_search

bp = Blueprint("pages", __name__)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

FACET_LABELS = {"type": "Soort", "thema": "Thema", "sector": "Sector", "bewijskracht": "Bewijskracht"}
# Thema lists can be long; the rest show after a "meer" control (a <details> element).
THEMES_SHOWN = 8


@bp.app_template_global()
def static_url(filename: str) -> str:
    """Return a static file's URL with a content hash, so it can be cached for a week."""
    return url_for("static", filename=filename, v=_static_version(filename))


@cache
def _static_version(filename: str) -> str:
    path = Path(current_app.static_folder) / filename
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


@bp.app_template_global()
def search_url(params: list[tuple[str, str]], **changes) -> str:
    """Return /zoeken with the given parameters; ``changes`` replace a parameter's values."""
    out = [(k, v) for k, v in params if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        for v in value if isinstance(value, list) else [value]:
            out.append((key, str(v)))
    return url_for("pages.zoeken") + ("?" + urlencode(out) if out else "")


@bp.app_template_filter()
def datum(iso: str | None) -> str:
    """Format an ISO date the Dutch way: 14 maart 2025."""
    if not iso:
        return ""
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]
    year, month, day = (int(x) for x in iso[:10].split("-"))
    return f"{day} {months[month - 1]} {year}"


@bp.app_template_filter()
def tijd(iso: str | None) -> str:
    """Format an ISO timestamp in Dutch, in Amsterdam time: 1 december 2026, 23:52."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(AMSTERDAM)
    return f"{datum(local.date().isoformat())}, {local:%H:%M}"


@bp.app_context_processor
def vocabularies():
    return {
        "TYPES": vocab.TYPES,
        "TYPE_PLURALS": vocab.TYPE_PLURALS,
        "SECTORS": vocab.SECTORS,
        "BEWIJSKRACHT": vocab.BEWIJSKRACHT,
        "BEWIJSKRACHT_WORDS": vocab.BEWIJSKRACHT_WORDS,
        "KOSTEN": vocab.KOSTEN,
        "SORTS": SORTS,
        "FACET_LABELS": FACET_LABELS,
        "bewijskracht_text": vocab.bewijskracht_text,
        "impact_text": vocab.impact_text,
    }


@bp.get("/")
@limit("RATE_LIMIT_PAGES")
def start():
    """Show the search box, the four content types and the themes with their page counts."""
    facets = engine().facets()
    return render_template("pages/start.html", facets=facets)


@bp.get("/zoeken")
@limit("RATE_LIMIT_PAGES")
def zoeken():
    """Show results with facets, active filters, sorting and pagination; every state in the URL."""
    req = search_request(request.args, strict=False)
    result = engine().search(req)
    log_search(req, result)
    remember_search(req)
    params = [(k, v) for k, v in request.args.items(multi=True) if v != "" and k != "page"]
    if req.page > result.pages and result.total:
        return redirect(search_url(params, page=result.pages))
    active = _active_filters(req, result, params)
    return render_template(
        "pages/results.html",
        result=result,
        req=req,
        params=params,
        active=active,
        broaden=_broaden(active, result) if result.total == 0 else [],
        theme_limit=THEMES_SHOWN,
    )


@bp.get("/pagina/<path:doc_id>")
@limit("RATE_LIMIT_PAGES")
def pagina(doc_id: str):
    """Show one page as indexed, with its metadata, a link to the original and related pages."""
    try:
        doc = engine().document(doc_id)
    except NotFound:
        abort(404)
    return render_template("pages/page.html", doc=doc, blocks=_blocks(doc))


def _blocks(doc: dict) -> list[tuple[str, str]]:
    """Return the body as (tag, text) blocks; the short answer, shown apart, is left out."""
    headings = set(doc.headings)
    blocks, skipping = [], False
    for line in doc.body.split("\n"):
        if not line:
            continue
        if line in headings:
            skipping = bool(doc.short_answer) and line.strip().lower().startswith("kort antwoord")
            if skipping:
                continue
        elif skipping:
            continue
        blocks.append(("h2" if line in headings else "p", line))
    return blocks


@bp.get("/favicon.ico")
def favicon():
    """Send browsers that ask for /favicon.ico to the site's icon."""
    return redirect(static_url("favicon.svg"), code=301)


@bp.get("/over-de-cijfers")
@limit("RATE_LIMIT_PAGES")
def over_de_cijfers():
    """Explain the three figures of an intervention and where they come from."""
    return render_template("pages/cijfers.html")


@bp.get("/<any(themas, leidraden, interventies, kennisrotonde):folder>")
def type_listing(folder: str):
    """Send the site's section addresses to the search, filtered on that type."""
    return redirect(search_url([], type=vocab.TYPE_FOLDERS[folder]))


def _active_filters(req: SearchRequest, result, params: list[tuple[str, str]]) -> list[dict]:
    """Return the chosen filters, each with a label and the URL without it."""
    labels = {name: {fv.value: fv.label for fv in values} for name, values in result.facets.items()}
    out = []
    for name, values in req.selected.items():
        for value in values:
            label = labels.get(name, {}).get(value, value)
            if name == "bewijskracht":
                label = f"bewijskracht {vocab.bewijskracht_text(int(value))}"
            remaining = [(k, v) for k, v in params if not (k == name and v == value)]
            out.append({"facet": FACET_LABELS[name], "label": label, "url": search_url(remaining),
                        "key": (name, value)})
    if req.min_bewijskracht is not None:
        remaining = [(k, v) for k, v in params if k != "min_bewijskracht"]
        out.append({"facet": "Bewijskracht", "label": f"minstens {req.min_bewijskracht} van 5",
                    "url": search_url(remaining), "key": ("min_bewijskracht", str(req.min_bewijskracht))})
    return out


def _broaden(active: list[dict], result) -> list[dict]:
    """On zero results: the active filters whose removal would give results, with how many.

    The counts come with the search (``without_filter``), so this costs no further search.
    """
    counts = {(w.filter, w.value): w.total for w in result.without_filter}
    return [{**item, "count": counts[item["key"]]} for item in active if counts.get(item["key"])][:10]


@bp.app_template_filter()
def marked(hit) -> Markup:
    """Return a hit's snippet as HTML: the text escaped, the matched words in <mark>."""
    out, cursor = [], 0
    for start, end in hit.highlights:
        out += [escape(hit.snippet[cursor:start]), Markup("<mark>"), escape(hit.snippet[start:end]), Markup("</mark>")]
        cursor = end
    out.append(escape(hit.snippet[cursor:]))
    return Markup("").join(out)
