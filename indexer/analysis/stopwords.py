"""The one stop-word list, and the fillers of a question that count little in a search.

Stop words are dropped from pages and queries alike. Fillers ("helpen", "zinvol",
"tips") are kept, since "helpen" can be what a page is about, but a search weighs them
lightly: in "helpt feedback geven?" the teacher asks about feedback.
"""

from __future__ import annotations

from spacy.lang.nl.stop_words import STOP_WORDS as SPACY_STOP_WORDS

from ..vocab import fold_diacritics

# spaCy's list holds words that teachers search with ("vroeg" in "vroegtijdig",
# "lang", "beter", "eigen"); a search engine must not drop them.
_KEEP = {
    "beter", "betere", "eerste", "eersten", "eigen", "gegeven", "geven", "gelijk",
    "gewoon", "juist", "klaar", "lang", "later", "min", "minder", "mogelijk", "vrij",
    "vroeg", "weg", "weinig", "weinige", "wezen",
}
STOP_WORDS = frozenset(fold_diacritics(w) for w in SPACY_STOP_WORDS - _KEEP)

#: Words of a question that say how it is asked, not what about (as typed; the search
#: compares their lemmas).
FILLERS = frozenset(
    ["helpen", "helpt", "werken", "werkt", "zinvol", "nuttig", "verstandig", "goed", "goede", "slim", "handig", "manier", "manieren", "tip", "tips", "idee", "ideeen", "zeggen", "zegt", "weten", "gaan", "zorgen", "vinden", "doen", "maken", "krijgen", "geven", "bekend", "advies", "wetenschap", "onderzoek", "vraag", "eigenlijk", "echt", "precies", "beter", "best", "beste", "mogen", "kunnen", "moeten", "willen", "aanpakken", "omgaan", "effectief", "belangrijk", "verstandig", "waarom", "hoe", "wat", "welke", "wanneer", "ervoor", "erover", "daarmee", "ermee", "iets"]
)
