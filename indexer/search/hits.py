"""Turn ranked documents into the hits a person sees: fields, snippet, matched words."""

from __future__ import annotations

import re

from ..results import Hit
from ..schema import stored_metadata
from . import positions
from .snippets import snippet

SUMMARY_SNIPPET = 240
# Score factors for the query's words standing together, as typed, in the title or the body.
PHRASE_IN_TITLE = 2.0
PHRASE_IN_BODY = 1.5


def phrase_pattern(words: list[str]) -> re.Pattern | None:
    """Return a pattern for the query's plain words standing together, or None for one word."""
    if len(words) < 2:
        return None
    return re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


def phrase_factor(fields: dict, pattern: re.Pattern) -> float:
    if pattern.search(fields.get("title", "")):
        return PHRASE_IN_TITLE
    if pattern.search(fields.get("body", "")):
        return PHRASE_IN_BODY
    return 1.0


def hits(searcher, page: list[tuple[float | None, int]], terms: set[str], matched: dict[int, list[str]],
         stored: dict[int, dict]) -> list[Hit]:
    """Return the hits of one result page, with snippets around the query's terms."""
    reader = searcher.reader()
    spans = positions.occurrences(reader, "body", terms, [d for _, d in page]) if terms else {}
    out = []
    for relevance, docnum in page:
        fields = stored.get(docnum) or searcher.stored_fields(docnum)
        out.append(hit(fields, spans.get(docnum, []), relevance, matched.get(docnum, [])))
    return out


def hit(fields: dict, spans: list, score: float | None, matched: list[str]) -> Hit:
    """Return one page as a hit; without matches in the body the snippet is the summary."""
    shown = snippet(fields.get("body", ""), spans)
    text, highlights = shown.text, shown.highlights
    if not text:
        text, highlights = _shorten(fields.get("summary", "")), ()
    return Hit(
        **stored_metadata(fields),
        snippet=text,
        highlights=[list(h) for h in highlights],
        score=None if score is None else round(score, 4),
        matched=matched,
    )


def _shorten(text: str, limit: int = SUMMARY_SNIPPET) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
