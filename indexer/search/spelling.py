"""Spelling: correct the query words that the index does not know.

Every word is checked, not only when results are few: a misspelled word among good
ones otherwise finds pages through the others and never gets corrected. A word that
the index does not know but that is a common Dutch word is no typo (the corpus simply
lacks it), and a word is corrected before it is split as a compound, so "feeback"
is not taken for a compound of two real words.
"""

from __future__ import annotations

from collections.abc import Callable

from ..analysis import default_lemmatizer
from ..vocab import fold_diacritics
from .query import Clause, ParsedQuery

# A word more common than this in Dutch (Zipf scale, 3 = once per million words) is taken
# as meant, even when no page has it.
REAL_WORD_ZIPF = 3.0
MIN_LENGTH = 4
#: Unknown words looked up per query, at most: each lookup walks the index's word list
#: (tens of ms on 10,000 pages), and a teacher's query has a typo or two, not thirty.
MAX_LOOKUPS = 4


def corrections(parsed: ParsedQuery, known: Callable[[str], bool], analyze: Callable[[str], list[str]],
                suggest: Callable[[str, int], list[str]]) -> dict[str, str]:
    """Return {word as typed: correction} for the words of the query that look misspelled.

    :param known: whether the index has a term.
    :param analyze: a word's index terms (the whole word first).
    :param suggest: index terms within an edit distance of a word, best first.
    """
    zipf = default_lemmatizer().zipf
    out = {}
    lookups = 0
    for clause in parsed.clauses:
        if clause.kind != "word" or clause.exclude:
            continue
        word = fold_diacritics(clause.text.lower()).strip("?!.,;:'\"()")
        if len(word) < MIN_LENGTH or not word.isalpha():
            continue
        terms = analyze(word)
        if not terms or known(terms[0]) or zipf(word) >= REAL_WORD_ZIPF:
            continue
        if lookups == MAX_LOOKUPS:
            break
        lookups += 1
        distance = 1 if len(word) < 7 else 2
        for candidate in suggest(word, distance):
            if candidate != word and known(candidate):
                out[clause.text] = candidate
                break
    return out


def corrected_query(parsed: ParsedQuery, fixes: dict[str, str]) -> ParsedQuery:
    """Return the query with the corrections in place of the words as typed."""
    clauses = [Clause(fixes.get(c.text, c.text), c.kind, c.exclude) if c.kind == "word" else c for c in parsed.clauses]
    text = " ".join(_clause_text(c) for c in clauses)
    return ParsedQuery(raw=text, clauses=clauses)


def _clause_text(clause: Clause) -> str:
    text = clause.text
    if clause.kind == "phrase":
        text = f'"{text}"'
    elif clause.kind == "prefix":
        text = f"{text}*"
    return f"-{text}" if clause.exclude else text
