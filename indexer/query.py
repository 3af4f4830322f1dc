"""The query language for people: words, "exacte zin", -uitsluiten, voorvoegsel*.

Whoosh's own query parser knows fields, boolean operators and ranges, and raises on
input a teacher might well type (an unbalanced quote, a lone colon). This parser knows
only the four constructs above and turns any string into a query, or into nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import DutchAnalyzer, STOP_WORDS
from .scoring import Unit
from .synonyms import SynonymAlternatives, Synonyms
from .vocab import fold_diacritics

#: Longer input is cut: no teacher types a query of this length, and each word costs.
MAX_QUERY_CHARS = 500
MAX_CLAUSES = 32


_CLAUSE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_OPERATORS = {"AND", "OR", "NOT", "&&", "||", "EN", "OF"}
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


def parse_user_query(raw: str) -> ParsedQuery:
    """Split what a person typed into clauses; never raises."""
    text = _CONTROL.sub(" ", raw or "")[:MAX_QUERY_CHARS]
    parsed = ParsedQuery(raw=text.strip())
    for m in _CLAUSE.finditer(text):
        if len(parsed.clauses) >= MAX_CLAUSES:
            break
        if m.group(2) is not None:  # a quoted phrase, possibly unclosed
            words = m.group(2).strip()
            if words:
                kind = "phrase" if len(words.split()) > 1 else "word"
                parsed.clauses.append(Clause(words, kind, exclude=m.group(1) == "-"))
            continue
        token = m.group(3)
        if token in _OPERATORS:
            continue
        exclude = token.startswith("-") and len(token) > 1
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


class QueryBuilder:
    """Turn parsed queries into units that the scorer matches and ranks."""

    def __init__(self, synonyms: Synonyms | None = None):
        self.analyzer = DutchAnalyzer()
        self.synonyms = synonyms or Synonyms()

    def terms(self, text: str) -> list[list[tuple[str, float]]]:
        """Analyze text into positions, each a list of (term, boost): the word and its parts."""
        positions: dict[int, list[tuple[str, float]]] = {}
        for t in self.analyzer(text, positions=True, mode="query"):
            positions.setdefault(t.pos, []).append((t.text, t.boost))
        return [positions[p] for p in sorted(positions)]

    def units(self, clauses: list[Clause]) -> list[Unit]:
        """Return one unit per required part: a word, a synonym group, a phrase, a prefix.

        Runs of plain words are analyzed together, so a synonym of several words
        ("blijven zitten") is recognised across them.
        """
        units, run = [], []
        for clause in clauses + [None]:
            if clause is not None and clause.kind == "word":
                run.append(clause.text)
                continue
            if run:
                positions = self.terms(" ".join(run))
                units += [self._position_unit(p) for p in self.synonyms.expand(positions, self.terms)]
                run = []
            if clause is not None:
                units.extend(self._clause_units(clause))
        return units

    def _clause_units(self, clause: Clause) -> list[Unit]:
        if clause.kind == "prefix":
            return [Unit("prefix", (fold_diacritics(clause.text.lower()),))]
        positions = self.terms(clause.text)
        if clause.kind == "phrase" and len(positions) > 1:
            return [Unit("phrase", tuple(pos[0][0] for pos in positions))]
        return [self._position_unit(pos) for pos in self.synonyms.expand(positions, self.terms)]

    def _position_unit(self, item) -> Unit:
        """Return the unit for one word position, or for a synonym group's alternatives."""
        if isinstance(item, SynonymAlternatives):
            return Unit("any", alternatives=tuple(self._sequence_unit(seq) for seq in item.sequences))
        return Unit("word", tuple(t for t, _ in item))

    def _sequence_unit(self, sequence) -> Unit:
        if len(sequence) == 1:
            return self._position_unit(sequence[0])
        # A synonym of several words ("primair onderwijs") needs all its words, not
        # their exact order: checking order for every page that has them costs too much
        # for a unit that is added to queries the person did not quote.
        return Unit("allwords", tuple(pos[0][0] for pos in sequence))


def unit_terms(units: list[Unit]) -> set[str]:
    """Return every term a list of units can match on (prefixes excluded), for snippets."""
    out: set[str] = set()
    for u in units:
        if u.kind == "any":
            out |= unit_terms(list(u.alternatives))
        elif u.kind != "prefix":
            out.update(u.terms)
    return out


def is_stop_word(word: str) -> bool:
    return fold_diacritics(word.lower()) in STOP_WORDS
