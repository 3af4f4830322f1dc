"""Read filters from the words of a query: a type, a sector or stage, a cost, effect or evidence level.

"interventie lezen basisschool" means interventions for primary schools about reading;
pages seldom repeat their own type or sector in their text, so as plain words those
would only match pages that happen to say them. The vocabulary lives in vocab.py.
"""

from __future__ import annotations

from .. import vocab
from ..results import INTERPRETED, Interpretation
from .query import Clause, ParsedQuery

#: The kinds of interpretation a request can switch off (``skip``), one per chip.
KINDS = INTERPRETED
_LONGEST = 4


def interpret(parsed: ParsedQuery, skip: set[str]) -> tuple[ParsedQuery, list[Interpretation]]:
    """Return the query without the words that became filters, and those filters.

    :param skip: kinds the person switched off ("zoek zonder dit filter"), or already
        chose themselves.
    """
    clauses = parsed.clauses
    out: list[Clause] = []
    found: list[Interpretation] = []
    i = 0
    while i < len(clauses):
        hit = _longest_match(clauses, i, skip | {f.filter for f in found})
        if hit is None:
            out.append(clauses[i])
            i += 1
            continue
        length, interpretation = hit
        found.append(interpretation)
        if interpretation.kept_as_text:
            out.extend(clauses[i : i + length])
        i += length
    if not found:
        return parsed, []
    return ParsedQuery(raw=parsed.raw, clauses=out), found


def _longest_match(clauses: list[Clause], i: int, skip: set[str]) -> tuple[int, Interpretation] | None:
    for length in range(min(_LONGEST, len(clauses) - i), 0, -1):
        run = clauses[i : i + length]
        if any(c.kind != "word" or c.exclude for c in run):
            continue
        words = " ".join(c.text for c in run)
        if not vocab.plain_digits(words):
            # Folding would read "groep ５" (full-width) as "groep 5"; a filter wants the number as typed.
            continue
        key = vocab.fold_diacritics(words.lower()).strip("?!.,;:")
        found = _lookup(key, words)
        if found is not None and found.filter not in skip:
            return length, found
    return None


def _lookup(key: str, words: str) -> Interpretation | None:
    if key in vocab.QUERY_TYPES:
        value = vocab.QUERY_TYPES[key]
        return Interpretation(words, "type", (value,), label=vocab.TYPES[value])
    if key in vocab.QUERY_SECTORS:
        values, keep = vocab.QUERY_SECTORS[key]
        label = " of ".join(vocab.SECTORS[v] for v in values)
        return Interpretation(words, "sector", values, label=label, kept_as_text=keep)
    if key in vocab.QUERY_RANGES:
        column, low, high = vocab.QUERY_RANGES[key]
        return Interpretation(words, column, minimum=low, maximum=high, label=vocab.RANGE_LABELS[(column, low, high)])
    return None
