"""Query units: the parts of a query the scorer matches, each a small frozen value.

A query becomes one unit per thing the person asked for: a word (with its compound
parts and its derivational relatives), a quoted phrase, a prefix, or a synonym group
whose members are alternatives. Units are values, so they can be cache keys.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One word: its index term, the parts of a compound, and terms sharing its stem.

    ``parts`` match only where they stand together on a page (as the whole word, or as
    neighbouring words); ``related`` are other index terms with the same Dutch stem
    (bewegen / beweging), which count for less than the word itself.
    """

    term: str
    parts: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class Phrase:
    """Words that must stand next to each other, in this order.

    ``bounded``: a phrase the person did not type (a synonym of several words) is checked
    on the best-scoring pages only, so it cannot cost more than the query itself.
    """

    words: tuple[str, ...]
    label: str = ""
    bounded: bool = False


@dataclass(frozen=True)
class Prefix:
    """Every index term that starts with ``stem``."""

    stem: str
    label: str = ""


@dataclass(frozen=True)
class AnyOf:
    """A synonym group: the word as typed first, then the group's other members."""

    alternatives: tuple[Word | Phrase, ...]
    label: str = ""


Unit = Word | Phrase | Prefix | AnyOf


def unit_terms(units) -> set[str]:
    """Return every term the units can match on (prefixes excluded), for snippets."""
    out: set[str] = set()
    for u in units:
        match u:
            case Word(term=term, parts=parts, related=related):
                out.update((term, *parts, *related))
            case Phrase(words=words):
                out.update(words)
            case AnyOf(alternatives=alts):
                out |= unit_terms(alts)
    return out
