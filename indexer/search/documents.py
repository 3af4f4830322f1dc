"""One page as the page view and the API show it: its stored fields and the pages most like it."""

from __future__ import annotations

from ..results import Document, NotFound, Related
from ..schema import stored_metadata, stored_themes
from ..structure import sanitize
from . import related as _related_pages
from .snapshot import Snapshot

#: Characters of a page's descriptive text analysed for its related pages.
RELATED_TEXT_CHARS = 2000


def document(snap: Snapshot, doc_id: str, related: int = 5) -> Document:
    """Return one page's stored fields and its most similar pages, from one snapshot.

    :raises NotFound: when no page has that id.
    """
    searcher = snap.searcher()
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        raise NotFound(f"geen pagina met id '{doc_id}'")
    fields = searcher.stored_fields(docnum)
    return Document(
        **stored_metadata(fields),
        body=fields.get("body", ""),
        # Sanitized when indexed; cleaned again so an index from elsewhere cannot inject script.
        body_html=sanitize(fields.get("body_html") or ""),
        headings=[h for h in (fields.get("heading_list") or "").split("\n") if h],
        short_answer=fields.get("short_answer", ""),
        issued=fields.get("issued"),
        related=_related(snap, searcher, docnum, fields, related),
    )


def _related(snap: Snapshot, searcher, docnum: int, fields: dict, top: int) -> list[Related]:
    """Return the pages most like this one: shared themes and the page's key terms."""
    if top <= 0:
        return []
    # The key terms come from what the page says it is about (its title, weighed
    # thrice, its summary and its headings), not from its whole text: analysing the
    # body of a long page cost half a second of CPU on every view.
    described = [fields.get("title", "")] * 3 + [fields.get("summary", ""), fields.get("heading_list", "")]
    text = " ".join(described)[:RELATED_TEXT_CHARS]
    try:
        terms = searcher.key_terms_from_text("body", text, numterms=12)
    except Exception:  # noqa: BLE001 - similarity is a nicety; never fail the page over it
        terms = []
    theme_pages = snap.facets.values.get("thema", {})
    themes = {t.slug: theme_pages[t.slug] for t in stored_themes(fields) if t.slug in theme_pages}
    out = []
    for d in _related_pages.related(snap.scorer, themes, terms, docnum, top):
        f = searcher.stored_fields(d)
        out.append(Related(f["id"], f.get("url"), f.get("title", ""), f.get("type", "")))
    return out
