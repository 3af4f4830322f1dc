"""The query language for people: words, "exacte zin", -uitsluiten (or NOT uitsluiten), voorvoegsel*.

Whoosh's own query parser knows fields, boolean operators and ranges, and raises on
input a teacher might well type (an unbalanced quote, a lone colon). This parser knows
only the constructs above and turns any string into a query, or into nothing. Of the
boolean operators only an upper-case NOT means something (exclude what follows, as
people expect from other search engines); AND, OR and the like are dropped, since every
word already counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..analysis import STOP_WORDS, DutchAnalyzer
from ..results import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from ..synonyms import SynonymAlternatives, Synonyms
from ..vocab import fold_diacritics
from .units import AnyOf, Phrase, Prefix, Word

#: A validated request never has more; this only guards callers that skip validation.
MAX_CLAUSES = MAX_QUERY_WORDS

_CLAUSE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_OPERATORS = {"AND", "OR", "&&", "||", "EN", "OF"}
_NOT = "NOT"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Clause:
    """One part of a query as the person typed it."""

    text: str
    kind: str  # "word", "phrase" or "prefix"
    exclude: bool = False


@dataclass
class ParsedQuery:
    """A user's query split into clauses, before it becomes a Whoosh query."""

    raw: str
    clauses: list[Clause] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.exclude]

    @property
    def negative(self) -> list[Clause]:
        return [c for c in self.clauses if c.exclude]

    @property
    def is_empty(self) -> bool:
        return not self.clauses


def parse_user_query(raw: str, limit: int | None = MAX_CLAUSES) -> ParsedQuery:
    """Split what a person typed into clauses; never raises.

    :param limit: clauses kept at most (None: all, to count them for validation).
    """
    text = _CONTROL.sub(" ", raw or "")[:MAX_QUERY_CHARS]
    parsed = ParsedQuery(raw=text.strip())
    negate = False  # the previous token was NOT
    for m in _CLAUSE.finditer(text):
        if limit is not None and len(parsed.clauses) >= limit:
            break
        if m.group(2) is not None:  # a quoted phrase, possibly unclosed
            words = m.group(2).strip()
            if words:
                kind = "phrase" if len(words.split()) > 1 else "word"
                parsed.clauses.append(Clause(words, kind, exclude=m.group(1) == "-" or negate))
            negate = False
            continue
        token = m.group(3)
        if token == _NOT:
            negate = True
            continue
        if token in _OPERATORS:
            continue
        exclude = (token.startswith("-") and len(token) > 1) or negate
        negate = False
        token = token.lstrip("-+")
        if token.endswith("*") and len(token.rstrip("*")) >= 2:
            stem = re.sub(r"\W+", "", token.rstrip("*"))
            if len(stem) >= 2:
                parsed.clauses.append(Clause(stem, "prefix", exclude))
            continue
        token = token.strip("*")
        if any(ch.isalnum() for ch in token):
            parsed.clauses.append(Clause(token, "word", exclude))
    return parsed


def query_from_text(text: str) -> str:
    """Return free text (a question as typed in a form) as a query within the budget.

    Its quotes are dropped (a question holds no exact phrases) and it is cut to its first
    MAX_QUERY_WORDS words, so searching with it is never refused.
    """
    # Counted as parse_user_query counts: control characters separate words there too.
    return " ".join(_CONTROL.sub(" ", text).replace('"', " ").split()[:MAX_QUERY_WORDS])


class QueryBuilder:
    """Turn parsed queries into the units that the scorer matches and ranks."""

    def __init__(self, synonyms: Synonyms | None = None, related: Callable[[str], tuple[str, ...]] | None = None):
        """
        :param related: returns the index terms that share a word's derivational stem.
        """
        self.analyzer = DutchAnalyzer()
        self.synonyms = synonyms or Synonyms()
        self.related = related or (lambda term: ())

    def terms(self, text: str) -> list[list[tuple[str, float]]]:
        """Analyze text into positions, each a list of (term, boost): the word and its parts."""
        return self._labelled_terms(text)[0]

    def _labelled_terms(self, text: str) -> tuple[list, list[str]]:
        """Return the analyzed positions and, for each, the word as typed."""
        positions: dict[int, list[tuple[str, float]]] = {}
        labels: dict[int, str] = {}
        for t in self.analyzer(text, positions=True, keeporiginal=True, mode="query"):
            positions.setdefault(t.pos, []).append((t.text, t.boost))
            labels.setdefault(t.pos, t.original)
        order = sorted(positions)
        return [positions[p] for p in order], [labels[p] for p in order]

    def units(self, clauses: list[Clause]) -> list:
        """Return one unit per thing asked for: a word, a synonym group, a phrase, a prefix.

        Runs of plain words are analyzed together, so a synonym of several words
        ("blijven zitten") is recognised across them.
        """
        units, run = [], []
        for clause in clauses + [None]:
            if clause is not None and clause.kind == "word":
                run.append(clause.text)
                continue
            if run:
                units += self._word_units(" ".join(run))
                run = []
            if clause is not None:
                units.extend(self._clause_units(clause))
        return units

    def _clause_units(self, clause: Clause) -> list:
        if clause.kind == "prefix":
            return [Prefix(fold_diacritics(clause.text.lower()), label=clause.text)]
        positions = self.terms(clause.text)
        if clause.kind == "phrase" and len(positions) > 1:
            return [Phrase(tuple(pos[0][0] for pos in positions), label=clause.text)]
        return self._word_units(clause.text)

    def _word_units(self, text: str) -> list:
        positions, labels = self._labelled_terms(text)
        units, i = [], 0
        for item in self.synonyms.expand(positions, self.terms):
            if isinstance(item, SynonymAlternatives):
                k = len(item.typed)
                label = " ".join(labels[i : i + k])
                typed = self._sequence_unit(item.typed, label, own=True)
                others = tuple(self._sequence_unit(seq, " ".join(p[0][0] for p in seq), own=False)
                               for seq in item.sequences if seq != item.typed)
                units.append(AnyOf((typed, *others), label=label))
                i += k
            else:
                units.append(self._word(item, labels[i], own=True))
                i += 1
        return units

    def _word(self, position, label: str, own: bool) -> Word:
        term, *parts = (t for t, _ in position)
        if not own:
            # A synonym the person did not type matches as a whole word, never by its
            # parts: "concentratieproblemen" must not find every page with "problemen".
            return Word(term, label=label)
        related = tuple(r for r in self.related(term) if r != term and r not in parts)
        return Word(term, tuple(parts), related, label=label)

    def _sequence_unit(self, sequence, label: str, own: bool):
        if len(sequence) == 1:
            return self._word(sequence[0], label, own)
        # A member of several words ("blijven zitten") matches as a phrase, not as loose words.
        return Phrase(tuple(pos[0][0] for pos in sequence), label=label, bounded=not own)


def is_stop_word(word: str) -> bool:
    return fold_diacritics(word.lower()) in STOP_WORDS
