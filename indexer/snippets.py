"""Snippets and phrase checks from the positions and character offsets in the postings.

Whoosh's highlighter re-analyses each result's stored text, which costs milliseconds per
result with a spaCy analyzer. The index already knows where each term occurs (the body
and title are indexed with character offsets), so a snippet only has to look them up.
"""

from __future__ import annotations

import html
import re

from whoosh.reading import TermNotFound

WIDTH = 220
BEFORE = 60
_SPACE = re.compile(r"\s+")


def _postings_in(reader, field: str, term: str, docnums: list[int]) -> dict[int, list[tuple[int, int, int]]]:
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
        for d, spans in _postings_in(reader, field, term, docnums).items():
            out[d] += [(p, s, e, term) for p, s, e in spans]
    return out


def with_phrase(reader, field: str, terms: list[str], docnums: list[int]) -> set[int]:
    """Return the documents in which the terms occur one after another in the field."""
    docnums = sorted(docnums)
    positions = []
    for term in terms:
        per_doc = _postings_in(reader, field, term, docnums)
        positions.append({d: {p for p, _, _ in spans} for d, spans in per_doc.items()})
        docnums = [d for d in docnums if d in per_doc]
    return {
        d for d in docnums
        if any(all(p + i in positions[i][d] for i in range(1, len(terms))) for p in positions[0][d])
    }


def snippet(text: str, spans: list[tuple[int, int, int, str]], width: int = WIDTH) -> str:
    """Return an HTML fragment of text around the densest run of matches, matches in <mark>.

    Every character of the page text is escaped; only the <mark> tags are markup.
    """
    if not spans:
        return ""
    spans = sorted(spans, key=lambda s: (s[1], -s[2]))
    best_i, best_key, j = 0, (-1, -1), 0
    for i, (_, start, _, _) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][2] - start <= width - BEFORE:
            j += 1
        window = spans[i : j + 1]
        key = (len({s[3] for s in window}), len(window))
        if key > best_key:
            best_i, best_key = i, key
    first = spans[best_i][1]
    start = max(0, first - BEFORE)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    out, cursor = [], start
    for _, s, e, _ in spans:
        if s < cursor or e > end:
            continue
        out.append(html.escape(text[cursor:s], quote=False))
        out.append(f"<mark>{html.escape(text[s:e], quote=False)}</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end], quote=False))
    fragment = _SPACE.sub(" ", "".join(out)).strip()
    return ("… " if start > 0 else "") + fragment + (" …" if end < len(text) else "")
