"""The controlled vocabularies: content types, sectors, evidence levels, costs, themes.

Every other module imports its labels and allowed values from here, so the parser,
the index, the search filters, the API and the web pages never disagree.
"""

from __future__ import annotations

import re
import unicodedata

#: Content types, in the order the site presents them: (label, plural label, folder).
#: The folder is the first folder of a page's path, which settles its type when the
#: page does not say.
_TYPES: dict[str, tuple[str, str, str]] = {
    "themapagina": ("Themapagina", "Themapagina's", "themas"),
    "leidraad": ("Leidraad", "Leidraden", "leidraden"),
    "interventie": ("Interventie", "Interventies", "interventies"),
    "kennisrotonde": ("Kennisrotonde-antwoord", "Kennisrotonde-antwoorden", "kennisrotonde"),
}
TYPES: dict[str, str] = {key: label for key, (label, _, _) in _TYPES.items()}
#: Plural labels for headings and entry points on the start page.
TYPE_PLURALS: dict[str, str] = {key: plural for key, (_, plural, _) in _TYPES.items()}
TYPE_FOLDERS: dict[str, str] = {folder: key for key, (_, _, folder) in _TYPES.items()}

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

#: The same scale on pages other than interventions, in words: there it is the editors'
#: judgement of the research behind the page, not a toolkit rating, so no padlocks.
BEWIJSKRACHT_WORDS: dict[int, str] = {
    0: "te weinig onderzoek",
    1: "zeer beperkt onderzoek",
    2: "beperkt onderzoek",
    3: "redelijk sterk onderzoek",
    4: "uitgebreid onderzoek",
    5: "zeer uitgebreid onderzoek",
}

#: Where an intervention's figures come from (``kb:cijfers``). Toolkit figures are the
#: default; derived ones were put together by the editors from related toolkit strands.
#: Filters on figures leave derived ones out unless the request asks for them, because a
#: school filtering on "+4 maanden" expects figures the toolkit published.
CIJFERS: dict[str, str] = {
    "toolkit": "cijfers uit de EEF-toolkit",
    "afgeleid": "afgeleid door de redactie, geen toolkitcijfers",
}
DERIVED = "afgeleid"

#: A Kennisrotonde answer's number as the site shows it ("KR.123"); also what a search
#: for the number looks like, with or without the dot.
#: [0-9], not \d: a number typed in full-width digits ("KR.１２３") is no answer number.
KR_NUMBER = re.compile(r"^\s*KR\.?\s?([0-9]{1,6})\s*$", re.I)


def kr_number(text: str) -> str | None:
    """Return the canonical answer number ("KR.123") for a text that is one, else None."""
    m = KR_NUMBER.match(text or "")
    return f"KR.{int(m.group(1)):03d}" if m else None

#: The facets a search filters and counts by, as the API names them.
FACETS = ("type", "thema", "sector", "bewijskracht")


def fold_diacritics(text: str) -> str:
    """Return text without accents, so 'coördinatie' and 'coordinatie' meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain_digits(text: str) -> bool:
    """Return whether every digit in text is an ASCII digit (not "１２３" or "٣")."""
    return all(c.isascii() for c in text if c.isdigit())


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


# -- words in a query that name a filter --------------------------------------------
# Folded, lower-case words or word sequences a teacher types for a type, a sector or
# school stage, or a cost, effect or evidence level. The search turns them into filters
# (shown as "uit je zoekvraag" chips). Sector names are dropped from the text query
# (pages rarely repeat their own sector); stage words (kleuters, brugklas, groep 3)
# stay in it too, since pages about that stage say so.

QUERY_TYPES: dict[str, str] = {
    **dict.fromkeys(["interventie", "interventies", "aanpak uit de toolkit"], "interventie"),
    **dict.fromkeys(["leidraad", "leidraden", "richtlijn", "richtlijnen"], "leidraad"),
    **dict.fromkeys(["kennisrotonde", "kennisrotonde-antwoord", "kennisrotonde-antwoorden", "kennisrotondevraag",
                     "kennisrotonde vraag", "kennisrotonde antwoord"], "kennisrotonde"),
    **dict.fromkeys(["themapagina", "themapaginas", "themapagina's"], "themapagina"),
}

#: words -> (sectors, stays in the text query)
QUERY_SECTORS: dict[str, tuple[tuple[str, ...], bool]] = {
    **dict.fromkeys(["po", "primair onderwijs", "basisschool", "basisscholen", "basisonderwijs", "bao"], (("po",), False)),
    **dict.fromkeys(["vo", "voortgezet onderwijs", "middelbare school", "middelbare scholen", "havo", "vwo", "vmbo",
                     "havo/vwo", "middelbaar onderwijs"], (("vo",), False)),
    **dict.fromkeys(["brugklas", "brugklassen", "brugklasser", "brugklassers", "eindexamen", "eindexamenklas",
                     "onderbouw vo", "bovenbouw vo"], (("vo",), True)),
    **dict.fromkeys(["mbo", "middelbaar beroepsonderwijs", "roc", "mbo-studenten", "mbo-student"], (("mbo",), False)),
    **dict.fromkeys(["ho", "hoger onderwijs", "hbo", "wo", "universiteit", "universiteiten", "hogeschool",
                     "hogescholen"], (("ho",), False)),
    **dict.fromkeys(["pabo", "lerarenopleiding", "eerstejaars", "studenten hbo"], (("ho",), True)),
    **dict.fromkeys(["so", "speciaal onderwijs", "sbo", "speciaal basisonderwijs", "vso", "cluster 4",
                     "speciaal voortgezet onderwijs"], (("so",), False)),
    **dict.fromkeys(["vve", "voorschool", "peuterspeelzaal", "peuteropvang", "kinderopvang",
                     "voor- en vroegschoolse educatie", "vroegschoolse educatie"], (("vve",), False)),
    **dict.fromkeys(["peuter", "peuters"], (("vve",), True)),
    **dict.fromkeys(["kleuter", "kleuters", "kleuterklas", "kleuterbouw", "groep 1", "groep 2", "groep 1-2",
                     "groep 1/2", "groep 1 en 2"], (("vve", "po"), True)),
    **dict.fromkeys([f"groep {n}" for n in range(3, 9)] + ["groep 3-4", "groep 5-6", "groep 7-8", "groep 7/8",
                     "groep 3/4", "groep 5/6", "middenbouw"], (("po",), True)),
    **dict.fromkeys(["bovenbouw", "onderbouw"], (("po", "vo"), True)),
}

#: words -> (column, lowest, highest); None is open. Columns: kosten (1-5), impact (months),
#: bewijskracht (0-5).
QUERY_RANGES: dict[str, tuple[str, int | None, int | None]] = {
    **dict.fromkeys(["goedkoop", "goedkope", "goedkoopste", "lage kosten", "weinig kosten", "weinig geld",
                     "niet duur", "niet te duur", "kosteloos", "gratis", "budgetvriendelijk"], ("kosten", None, 2)),
    **dict.fromkeys(["dure", "duurste", "hoge kosten", "kostbaar", "kostbare", "veel geld"], ("kosten", 4, None)),
    **dict.fromkeys(["groot effect", "grote effecten", "groot effect op", "veel effect", "meeste effect",
                     "grootste effect", "hoog effect", "sterk effect", "veel leerwinst", "meeste leerwinst",
                     "grote leerwinst", "effectiefste", "effectiefst", "meest effectief", "meest effectieve"],
                    ("impact", 4, None)),
    **dict.fromkeys(["bewezen", "bewezen effectief", "wetenschappelijk bewezen", "evidence based", "evidence-based",
                     "evidencebased", "sterk bewijs", "veel bewijs", "goed onderzocht", "goed bewijs",
                     "stevig bewijs"], ("bewijskracht", 3, None)),
    **dict.fromkeys(["zonder bewijs", "geen bewijs", "onbewezen", "niet bewezen", "geen onderzoek",
                     "te weinig onderzoek", "onvoldoende onderzoek"], ("bewijskracht", None, 0)),
    **dict.fromkeys(["weinig bewijs", "weinig onderzoek", "zwak bewijs", "beperkt bewijs"], ("bewijskracht", None, 1)),
}

#: How a range from the query is shown on a chip.
RANGE_LABELS: dict[tuple[str, int | None, int | None], str] = {
    ("kosten", None, 2): "lage kosten",
    ("kosten", 4, None): "hoge kosten",
    ("impact", 4, None): "effect van +4 maanden of meer",
    ("bewijskracht", 3, None): "bewijskracht 3 of meer",
    ("bewijskracht", None, 1): "bewijskracht 1 of minder",
    ("bewijskracht", None, 0): "onvoldoende onderzoek (bewijskracht 0)",
}
