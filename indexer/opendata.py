"""The knowledge base as open data: every page's metadata and text, as JSON Lines or CSV.

The records come from one snapshot of the index, sorted by id, so an export is a
consistent picture of one build and two exports of the same build are identical.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from . import vocab
from .contract import meta, to_json
from .parse import Theme
from .schema import stored_metadata

#: Licence of the exported data, named in the README and the OpenAPI document.
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.nl"
#: Export formats, as ``?format=`` and ``--format`` name them.
FORMATS = ("jsonl", "csv")


@dataclass
class Record:
    """One page of the knowledge base: its metadata, figures and text."""

    id: str = field(metadata=meta("Stabiel id: het pad van de pagina zonder .html."))
    url: str = field(metadata=meta("Het adres van de oorspronkelijke pagina."))
    title: str
    type: str = field(metadata=meta(enum=list(vocab.TYPES)))
    summary: str
    themes: list[Theme]
    sectors: list[str] = field(metadata=meta(items={"enum": list(vocab.SECTORS)}))
    bewijskracht: int | None = field(metadata=meta("Bewijskracht 0-5 (0: onvoldoende onderzoek).",
                                                   minimum=0, maximum=vocab.BEWIJSKRACHT_MAX))
    impact: int | None = field(metadata=meta("Maanden extra vooruitgang (EEF-toolkit)."))
    kosten: int | None = field(metadata=meta("Kosten 1-5.", minimum=min(vocab.KOSTEN), maximum=max(vocab.KOSTEN)))
    cijfers: str | None = field(metadata=meta(
        "Bij interventies: afgeleid als de cijfers niet uit de EEF-toolkit komen maar door de redactie zijn "
        "samengesteld; leeg bij toolkitcijfers.", enum=[vocab.DERIVED, None]))
    nummer: str | None = field(metadata=meta("Bij Kennisrotonde-antwoorden: het antwoordnummer (KR.123)."))
    modified: str | None = field(metadata=meta("Laatst bijgewerkt.", format="date"))
    issued: str | None = field(metadata=meta("Eerst gepubliceerd.", format="date"))
    body: str = field(default="", metadata=meta("De tekst van de pagina, zonder menu's en voetteksten."))

    @property
    def has_figures(self) -> bool:
        """Whether the page has figures: evidence level 0 means too little research for any."""
        return self.bewijskracht is not None and self.bewijskracht > 0

    @property
    def updated(self) -> str | None:
        return self.modified or self.issued


#: The CSV columns: every field but the text, lists joined with "|".
CSV_FIELDS = ("id", "url", "title", "type", "summary", "themes", "theme_labels", "sectors", "bewijskracht",
              "impact", "kosten", "cijfers", "nummer", "modified", "issued")


def record(fields: dict) -> Record:
    """Return the record of one page's stored fields."""
    return Record(
        **stored_metadata(fields),
        issued=fields.get("issued"),
        body=fields.get("body", ""),
    )


def records(engine, type: str | None = None) -> list[Record]:
    """Return every page of the engine's current build as a record, sorted by id.

    :param type: only pages of this content type.
    """
    return [record(f) for f in engine.stored_documents() if type is None or f.get("type") == type]


def jsonl_lines(items: Iterable[Record]) -> Iterator[str]:
    """Yield one JSON object per record, each line ending in a newline."""
    for item in items:
        yield json.dumps(to_json(item), ensure_ascii=False) + "\n"


def csv_row(item: Record) -> list:
    """Return a record's CSV values, in the order of CSV_FIELDS."""
    values = {**to_json(item), "themes": "|".join(t.slug for t in item.themes),
              "theme_labels": "|".join(t.label for t in item.themes), "sectors": "|".join(item.sectors)}
    return [values[name] for name in CSV_FIELDS]


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """Yield a CSV file as Excel opens it: a UTF-8 byte order mark, ';' between values, CRLF.

    Dutch Excel separates values with a semicolon (the comma is its decimal sign) and
    reads the file as UTF-8 only when it starts with the byte order mark.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    yield "\ufeff"
    for row in itertools.chain([header], rows):
        writer.writerow(["" if v is None else v for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


