"""Snippets: the part of a page around the matched words, with where each match stands.

Whoosh's highlighter re-analyses each result's stored text, which costs milliseconds per
result with a spaCy analyzer. The index already knows where each term occurs (the body
is indexed with character offsets), so a snippet only has to look them up. The library
returns plain text and the offsets of the matches; the web layer marks them up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WIDTH = 220
BEFORE = 60
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    """Plain text and the (start, end) character ranges in it that matched the query."""

    text: str = ""
    highlights: tuple[tuple[int, int], ...] = field(default=())


def snippet(text: str, spans: list[tuple[int, int, int, str]], width: int = WIDTH) -> Snippet:
    """Return the text around the densest run of matches, with the matches' ranges in it."""
    if not spans:
        return Snippet()
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
    out = "… " if start > 0 else ""
    marks = []
    cursor = start
    for _, s, e, _ in spans:
        if s < cursor or e > end:
            continue
        out = _append(out, text[cursor:s])
        begin = len(out)
        out = _append(out, text[s:e])
        marks.append((begin, len(out)))
        cursor = e
    out = _append(out, text[cursor:end]).rstrip()
    if end < len(text):
        out += " …"
    return Snippet(out, tuple(marks))


def _append(out: str, piece: str) -> str:
    """Append text with runs of white space folded to one space, as a browser shows it."""
    piece = _SPACE.sub(" ", piece)
    if out.endswith(" ") and piece.startswith(" "):
        piece = piece[1:]
    if not out and piece.startswith(" "):
        piece = piece[1:]
    return out + piece
