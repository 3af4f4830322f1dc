"""The controlled vocabularies: content types, sectors, evidence levels, costs, themes.

Every other module imports its labels and allowed values from here, so the parser,
the index, the search filters, the API and the web pages never disagree.
"""

from __future__ import annotations

import re
import unicodedata

#: Content types, in the order the site presents them, with Dutch labels.
TYPES: dict[str, str] = {
    "themapagina": "Themapagina",
    "leidraad": "Leidraad",
    "interventie": "Interventie",
    "kennisrotonde": "Kennisrotonde-antwoord",
}

#: Plural labels for headings and entry points on the start page.
TYPE_PLURALS: dict[str, str] = {
    "themapagina": "Themapagina's",
    "leidraad": "Leidraden",
    "interventie": "Interventies",
    "kennisrotonde": "Kennisrotonde-antwoorden",
}

#: The first folder of a page's path settles its type when the page does not say.
TYPE_FOLDERS: dict[str, str] = {
    "themas": "themapagina",
    "leidraden": "leidraad",
    "interventies": "interventie",
    "kennisrotonde": "kennisrotonde",
}

#: Education sectors, from early childhood to higher education.
SECTORS: dict[str, str] = {
    "vve": "Voor- en vroegschoolse educatie",
    "po": "Primair onderwijs",
    "so": "Speciaal onderwijs",
    "vo": "Voortgezet onderwijs",
    "mbo": "Middelbaar beroepsonderwijs",
    "ho": "Hoger onderwijs",
}

#: Evidence strength on the scale of the EEF toolkit's padlocks (0-5).
BEWIJSKRACHT: dict[int, str] = {
    0: "onvoldoende onderzoek",
    1: "zeer beperkt",
    2: "beperkt",
    3: "redelijk",
    4: "uitgebreid",
    5: "zeer uitgebreid",
}

#: Cost of an intervention on the toolkit's five-point scale.
KOSTEN: dict[int, str] = {
    1: "zeer laag",
    2: "laag",
    3: "gemiddeld",
    4: "hoog",
    5: "zeer hoog",
}

BEWIJSKRACHT_MAX = max(BEWIJSKRACHT)


def fold_diacritics(text: str) -> str:
    """Return text without accents, so 'coördinatie' and 'coordinatie' meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(label: str) -> str:
    """Return the normalized slug of a theme label ('Leraar-leerlingrelatie' -> 'leraar-leerlingrelatie')."""
    text = fold_diacritics(label).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


def bewijskracht_text(level: int) -> str:
    """Return the evidence level as a screen reader reads it: 'redelijk (3 van 5)'."""
    return f"{BEWIJSKRACHT[level]} ({level} van {BEWIJSKRACHT_MAX})"


def impact_text(months: int) -> str:
    """Return impact in months as shown to teachers: '+6 maanden', '-3 maanden'."""
    sign = "+" if months > 0 else ""
    unit = "maand" if abs(months) == 1 else "maanden"
    return f"{sign}{months} {unit}"
