"""The fixed query set of the benchmarks: realistic teacher queries, with and without filters.

Each entry is a dict of API parameters, so the same set drives the library, the HTTP
API and the reference engine.
"""

from __future__ import annotations

from itertools import cycle

# One to five words, as teachers type them: topics, questions, plurals, compounds.
BASE = [
    "woordenschat", "woordenschat kleuters", "huiswerk groep 8", "probleemgedrag in de klas",
    "feedback", "feedback geven", "formatief handelen", "begrijpend lezen", "begrijpend lezen strategieën",
    "technisch lezen", "leesmotivatie", "leesmotivatie vo", "voorlezen", "rekenen", "rekenonderwijs",
    "sterke rekenaars", "zwakke rekenaars", "rekenangst", "tafels oefenen", "meertaligheid",
    "meertalige leerlingen", "thuistaal", "nieuwkomers", "nt2", "hoogbegaafdheid", "hoogbegaafde leerlingen",
    "plusklas", "zittenblijven", "doubleren", "klassenmanagement", "regels en routines",
    "leraar leerling relatie", "traumasensitief onderwijs", "pesten", "welbevinden", "ouderbetrokkenheid",
    "ouders betrekken bij leren", "lerarentekort", "onderwijsassistenten", "kleinere klassen",
    "metacognitie", "zelfregulatie", "samenwerkend leren", "tutoring", "bijles", "mentoring",
    "sociaal emotioneel leren", "burgerschap", "digitale geletterdheid", "mobiele telefoon in de klas",
    "ict", "schrijfonderwijs", "schrijven groep 7", "taal in andere vakken", "vaktaal mbo",
    "passend onderwijs", "speciaal onderwijs", "jonge kinderen", "vve", "spelend leren",
    "kansengelijkheid", "professionalisering", "onderwijsverbetering", "leerstijlen",
    "dyslexie", "toetsen", "cijfers", "effect van huiswerk op prestaties", "wat werkt bij gedragsproblemen",
    "hoe motiveer ik leerlingen om te lezen",
]

FILTERS = [
    {},
    {"sector": ["po"]},
    {"type": ["kennisrotonde"]},
    {"sector": ["vo", "mbo"], "type": ["interventie", "leidraad"]},
    {"min_bewijskracht": 3},
    {"thema": ["woordenschat", "begrijpend-lezen"]},
]


def query_set(n: int = 210) -> list[dict]:
    """Return n queries: each base query, each with one filter combination in turn."""
    out = []
    filters = cycle(FILTERS)
    while len(out) < n:
        for q in BASE:
            out.append({"q": q, **next(filters)})
            if len(out) == n:
                break
    return out
