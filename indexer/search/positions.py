"""Where terms stand on a page: positions and character offsets read from the postings.

The body and title are indexed with positions and character offsets, so phrase checks,
compound checks and snippets look them up instead of re-analysing the stored text.
"""

from __future__ import annotations

from whoosh.reading import TermNotFound


def postings_in(reader, field: str, term: str, docnums: list[int]) -> dict[int, list[tuple[int, int, int]]]:
    """Return (position, start char, end char) of a term per document, for ascending docnums.

    One matcher walks forward through the posting list, so each block is decoded once
    for all the documents instead of once per document.
    """
    try:
        m = reader.postings(field, term)
    except (TermNotFound, KeyError):
        return {}
    found = {}
    for d in docnums:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
        if m.is_active() and m.id() == d:
            found[d] = m.value_as("characters")
    return found


def occurrences(reader, field: str, terms, docnums: list[int]) -> dict[int, list[tuple[int, int, int, str]]]:
    """Return, per document, (position, start char, end char, term) of each term in a field."""
    docnums = sorted(docnums)
    out: dict[int, list] = {d: [] for d in docnums}
    for term in terms:
        for d, spans in postings_in(reader, field, term, docnums).items():
            out[d] += [(p, s, e, term) for p, s, e in spans]
    return out


def _positions(reader, field: str, terms: list[str], docnums: list[int]) -> tuple[list[int], list[dict]]:
    """Return the documents that have every term, and each term's positions per document."""
    docnums = sorted(docnums)
    found = []
    for term in terms:
        per_doc = postings_in(reader, field, term, docnums)
        found.append({d: {p for p, _, _ in spans} for d, spans in per_doc.items()})
        docnums = [d for d in docnums if d in per_doc]
    return docnums, found


def with_phrase(reader, field: str, terms: list[str], docnums: list[int]) -> set[int]:
    """Return the documents in which the terms occur one after another in the field."""
    docnums, found = _positions(reader, field, terms, docnums)
    return {
        d for d in docnums
        if any(all(p + i in found[i][d] for i in range(1, len(terms))) for p in found[0][d])
    }


def near(reader, field: str, terms: list[str], docnums: list[int], distance: int) -> set[int]:
    """Return the documents in which each term stands within ``distance`` positions of the first, in any order.

    Distance 0 is the same position: a compound on the page whose parts are indexed
    beside it.
    """
    docnums, found = _positions(reader, field, terms, docnums)
    out = set()
    for d in docnums:
        for p in found[0][d]:
            if all(any(abs(q - p) <= distance for q in found[i][d]) for i in range(1, len(terms))):
                out.add(d)
                break
    return out
