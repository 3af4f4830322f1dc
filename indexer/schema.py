"""The Whoosh schema: one declaration of what the index holds for every page."""

from __future__ import annotations

import json
from datetime import date

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, SchemaClass

from . import vocab
from .analysis import DutchAnalyzer
from .parse import Page, Theme

# Sort values for pages that lack the field: they go last when sorting descending.
MISSING_SORT = -99

#: Text fields and the weight of a match in each, used by the search. A teacher's words
#: in the title (for an answer: the question) say far more about a page than the same
#: words somewhere in its body; headings, the summary and the short answer sit between.
TEXT_FIELDS: dict[str, float] = {
    "title": 4.0,
    "lead": 2.0,
    "headings": 1.5,
    "body": 1.0,
}

#: Facet fields as the search and the API name them.
FACETS = vocab.FACETS


class PageSchema(SchemaClass):
    """What the index holds of a page; stored fields are what a result shows."""

    id = ID(stored=True, unique=True)
    url = STORED()
    # Character offsets in the postings let the snippets mark matches without
    # re-analysing the stored text. Few searched fields keep queries cheap: the summary
    # and a Kennisrotonde answer's short answer share one field ("lead"), the headings
    # and theme labels another.
    title = TEXT(analyzer=DutchAnalyzer(), stored=True, chars=True, spelling=True)
    lead = TEXT(analyzer=DutchAnalyzer())
    headings = TEXT(analyzer=DutchAnalyzer())
    body = TEXT(analyzer=DutchAnalyzer(), stored=True, chars=True, spelling=True)
    summary = STORED()
    short_answer = STORED()
    # Indexes built before this field existed lack it; readers use fields.get("body_html").
    body_html = STORED()
    heading_list = STORED()

    # Facets: exact values, no positions (never part of a phrase query).
    type = ID(stored=True)
    thema = KEYWORD(stored=True, commas=True)
    sector = KEYWORD(stored=True, commas=True)
    bewijskracht = ID(stored=True)
    themes_json = STORED()

    impact = STORED()
    kosten = STORED()
    # "afgeleid" on interventions whose figures are not the toolkit's; searchable so that
    # filters on figures can leave those pages out.
    cijfers = ID(stored=True)
    # A Kennisrotonde answer's number, so that a search for "KR.123" finds the answer.
    nummer = ID(stored=True)
    modified = STORED()
    issued = STORED()
    # Sort keys and ranges: plain numbers, with MISSING_SORT where a page has no value.
    sort_bewijskracht = NUMERIC(int, sortable=True, signed=True)
    sort_impact = NUMERIC(int, sortable=True, signed=True)
    sort_modified = NUMERIC(int, sortable=True, signed=True)
    sort_kosten = NUMERIC(int, sortable=True, signed=True)

    source = STORED()
    content_hash = STORED()


def sort_day(d: date | None) -> int:
    """Return a date as a sortable number (20250314), or MISSING_SORT."""
    return d.year * 10000 + d.month * 100 + d.day if d else MISSING_SORT


def page_to_document(page: Page) -> dict:
    """Return the fields Whoosh stores and indexes for a page."""
    doc = {
        "id": page.id,
        "url": page.url,
        "title": page.title,
        "lead": f"{page.summary}\n{page.short_answer}",
        # Theme, type and sector labels are searchable words too: "interventie" or
        # "primair onderwijs" in a query then also meets pages that never say it.
        "headings": "\n".join([*page.headings, *(t.label for t in page.themes), vocab.TYPES.get(page.type, ""),
                               *(vocab.SECTORS[s] for s in page.sectors if s in vocab.SECTORS)]),
        "body": page.body,
        "summary": page.summary,
        "short_answer": page.short_answer,
        "body_html": page.body_html,
        "heading_list": "\n".join(page.headings),
        "type": page.type,
        "thema": ",".join(t.slug for t in page.themes),
        "sector": ",".join(page.sectors),
        "bewijskracht": "" if page.bewijskracht is None else str(page.bewijskracht),
        "themes_json": json.dumps([[t.label, t.slug] for t in page.themes], ensure_ascii=False),
        "impact": page.impact,
        "kosten": page.kosten,
        "cijfers": page.cijfers,
        "nummer": page.nummer,
        "modified": page.modified.isoformat() if page.modified else None,
        "issued": page.issued.isoformat() if page.issued else None,
        "sort_bewijskracht": MISSING_SORT if page.bewijskracht is None else page.bewijskracht,
        "sort_impact": MISSING_SORT if page.impact is None else page.impact,
        "sort_modified": sort_day(page.modified or page.issued),
        "sort_kosten": MISSING_SORT if page.kosten is None else page.kosten,
        "source": page.source,
        "content_hash": page.content_hash,
    }
    # Whoosh would index an empty string as a term of its own; leave empty fields out.
    return {k: v for k, v in doc.items() if v not in (None, "")}


def stored_metadata(fields: dict) -> dict:
    """Return what a result and an export show of a stored page: ids, titles, facets, figures, date."""
    level = fields.get("bewijskracht")
    return {
        "id": fields["id"],
        "url": fields.get("url", ""),
        "title": fields.get("title", ""),
        "type": fields.get("type", ""),
        "summary": fields.get("summary", ""),
        "themes": stored_themes(fields),
        "sectors": [s for s in (fields.get("sector") or "").split(",") if s],
        "bewijskracht": int(level) if level not in (None, "") else None,
        "impact": fields.get("impact"),
        "kosten": fields.get("kosten"),
        "cijfers": fields.get("cijfers"),
        "nummer": fields.get("nummer"),
        "modified": fields.get("modified"),
    }


def stored_themes(fields: dict) -> list[Theme]:
    """Return the themes of a stored document, with their labels."""
    return [Theme(label, slug) for label, slug in json.loads(fields.get("themes_json") or "[]")]
