"""The menukaart: every intervention with its figures, to sort, filter, compare and export.

A school compares interventions on effect, cost and evidence as in the EEF toolkit.
Interventions with evidence level 0 have no figures ("geen cijfers"); they are listed
but sort after every intervention with figures, whichever way a column is sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import vocab
from .contract import meta
from .opendata import Record, records
from .results import Checked, InvalidParameter

#: Sort columns as the URL names them, with the Dutch column heading.
SORTS: dict[str, str] = {
    "titel": "Interventie",
    "effect": "Effect",
    "kosten": "Kosten",
    "bewijskracht": "Bewijskracht",
    "datum": "Bijgewerkt",
}
DIRECTIONS = ("op", "af")
#: The columns whose values are figures: interventions without figures sort last on them.
FIGURES = ("effect", "kosten", "bewijskracht")
MIN_COMPARE, MAX_COMPARE = 2, 4
#: Section headings that answer "how do you go about it" and "what to watch out for";
#: the first heading of a page that starts with one of these is its section.
APPROACH_HEADINGS = ("hoe pak je het aan", "aanpak", "zo pak je het aan", "in de praktijk", "wat werkt")
CAUTION_HEADINGS = ("waar moet je op letten", "let op", "aandachtspunten", "valkuilen", "wat moet je weten")
#: The menukaart's CSV columns (Dutch headings, for the people who open it in Excel).
CSV_HEADER = ("Interventie", "Adres", "Effect (maanden)", "Kosten (1-5)", "Bewijskracht (0-5)", "Herkomst cijfers",
              "Sectoren", "Thema's", "Bijgewerkt")


@dataclass
class MenukaartRequest(Checked):
    """Sort and filters of the menukaart, as its URL gives them."""

    sort: str = field(default="effect", metadata=meta("Kolom om op te sorteren.", enum=list(SORTS)))
    richting: str = field(default="af", metadata=meta("op: laag naar hoog (A-Z); af: hoog naar laag.",
                                                      enum=list(DIRECTIONS)))
    sector: list[str] = field(default_factory=list, metadata=meta(
        "Sector (herhaalbaar, OF).", maxItems=20, items={"enum": list(vocab.SECTORS)}))
    thema: list[str] = field(default_factory=list, metadata=meta("Thema-slug (herhaalbaar, OF).", maxItems=20))
    min_bewijskracht: int | None = field(default=None, metadata=meta(
        "Minimale bewijskracht.", minimum=min(vocab.BEWIJSKRACHT), maximum=vocab.BEWIJSKRACHT_MAX))
    max_kosten: int | None = field(default=None, metadata=meta(
        "Maximale kosten.", minimum=min(vocab.KOSTEN), maximum=max(vocab.KOSTEN)))
    afgeleid: bool = field(default=False, metadata=meta(
        "true: filters op cijfers laten ook interventies met door de redactie afgeleide cijfers door."))


@dataclass
class Section:
    """A section of a page: its heading as the page words it, and its paragraphs."""

    heading: str
    paragraphs: list[str]


@dataclass
class Comparison:
    """One intervention in a comparison: its figures and the sections a school compares."""

    intervention: Record
    approach: Section | None
    caution: Section | None


def interventions(engine, request: MenukaartRequest) -> list[Record]:
    """Return the interventions that pass the request's filters, in its sort order."""
    request.validate()
    items = [r for r in records(engine, type="interventie") if _passes(r, request)]
    return sort_interventions(items, request.sort, request.richting)


def themes(engine) -> list[tuple[str, str]]:
    """Return (slug, label) of every theme an intervention has, by label."""
    seen = {t.slug: t.label for r in records(engine, type="interventie") for t in r.themes}
    return sorted(seen.items(), key=lambda item: item[1].lower())


def _passes(item: Record, request: MenukaartRequest) -> bool:
    if request.sector and not set(request.sector) & set(item.sectors):
        return False
    if request.thema and not set(request.thema) & {t.slug for t in item.themes}:
        return False
    figures = request.min_bewijskracht is not None or request.max_kosten is not None
    if figures and item.cijfers == vocab.DERIVED and not request.afgeleid:
        return False
    if request.min_bewijskracht is not None and (item.bewijskracht or 0) < request.min_bewijskracht:
        return False
    return request.max_kosten is None or (item.kosten is not None and item.kosten <= request.max_kosten)


def sort_interventions(items: list[Record], sort: str, richting: str) -> list[Record]:
    """Return the interventions sorted on a column; missing values and "geen cijfers" last."""
    def value(item: Record):
        if sort == "titel":
            return item.title.lower()
        if sort == "datum":
            return item.updated
        if not item.has_figures:
            return None
        return {"effect": item.impact, "kosten": item.kosten, "bewijskracht": item.bewijskracht}[sort]

    by_title = sorted(items, key=lambda item: item.title.lower())
    present = [item for item in by_title if value(item) is not None]
    missing = [item for item in by_title if value(item) is None]
    # A stable sort keeps titles in order among equal values, in both directions.
    present.sort(key=value, reverse=richting == "af")
    return present + missing


def compare(engine, ids: list[str]) -> list[Comparison]:
    """Return the interventions with these ids, in the order given, with their sections.

    :raises InvalidParameter: for fewer than two or more than four ids, or a page that
        is not an intervention.
    :raises NotFound: for an id no page has.
    """
    ids = list(dict.fromkeys(i for i in ids if i))
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        raise InvalidParameter("id", f"kies {MIN_COMPARE} tot {MAX_COMPARE} interventies om te vergelijken")
    by_id = {r.id: r for r in records(engine, type="interventie")}
    out = []
    for doc_id in ids:
        doc = engine.document(doc_id, related=0)
        if doc_id not in by_id:
            raise InvalidParameter("id", f"'{doc.title}' is geen interventie")
        out.append(Comparison(by_id[doc_id], section(doc, APPROACH_HEADINGS), section(doc, CAUTION_HEADINGS)))
    return out


def section(doc: dict, starts: tuple[str, ...]) -> Section | None:
    """Return the first section of a page whose heading starts with one of ``starts``."""
    headings = set(doc.headings)
    current: Section | None = None
    for line in doc.body.split("\n"):
        if line in headings:
            if current is not None:
                return current
            if line.strip().lower().startswith(starts):
                current = Section(line.strip(), [])
        elif current is not None and line.strip():
            current.paragraphs.append(line.strip())
    return current


def csv_row(item: Record, page_url: str) -> list:
    """Return an intervention's menukaart row for the CSV, in the order of CSV_HEADER."""
    return [
        item.title,
        page_url,
        item.impact if item.has_figures and item.impact is not None else "geen cijfers",
        item.kosten,
        item.bewijskracht,
        "afgeleid door de redactie" if item.cijfers == vocab.DERIVED else "EEF-toolkit",
        ", ".join(item.sectors),
        ", ".join(t.label for t in item.themes),
        item.updated,
    ]
