"""The query language for people: words, "exacte zin", -uitsluiten, voorvoegsel*.

Whoosh's own query parser knows fields, boolean operators and ranges, and raises on
input a teacher might well type (an unbalanced quote, a lone colon). This parser knows
only the four constructs above and turns any string into a query, or into nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from .analysis import DutchAnalyzer, STOP_WORDS
from .schema import TEXT_FIELDS
from .synonyms import SynonymAlternatives, Synonyms
from .vocab import fold_diacritics

#: Longer input is cut: no teacher types a query of this length, and each word costs.
MAX_QUERY_CHARS = 500
MAX_CLAUSES = 32

# Whole-word matches count for more than matches on a compound's parts.
PART_BOOST = 0.5

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
    """Turn parsed queries into Whoosh queries over the weighted text fields."""

    def __init__(self, synonyms: Synonyms | None = None, fields: dict[str, float] = TEXT_FIELDS):
        self.analyzer = DutchAnalyzer()
        self.synonyms = synonyms or Synonyms()
        self.fields = fields

    def terms(self, text: str) -> list[list[tuple[str, float]]]:
        """Analyze text into positions, each a list of (term, boost): the word and its parts."""
        positions: dict[int, list[tuple[str, float]]] = {}
        for t in self.analyzer(text, positions=True, mode="query"):
            positions.setdefault(t.pos, []).append((t.text, t.boost))
        return [positions[p] for p in sorted(positions)]

    def build(self, parsed: ParsedQuery, mode: str = "and") -> wq.Query | None:
        """Return the Whoosh query for the clauses, or None when nothing is searchable.

        :param mode: "and" requires every clause; "or" requires any (the relaxed search).
        """
        positives = self._units(parsed.positive)
        negatives = self._units(parsed.negative)
        if not positives and not negatives:
            return None
        if positives:
            combined = wq.And(positives) if mode == "and" else wq.Or(positives)
        else:
            combined = wq.Every()
        if negatives:
            combined = wq.AndNot(combined, wq.Or(negatives))
        return combined

    def positive_word_count(self, parsed: ParsedQuery) -> int:
        """Return how many required units a query has (the AND -> OR fallback needs two)."""
        return len(self._units(parsed.positive))

    def _units(self, clauses: list[Clause]) -> list[wq.Query]:
        """Return one query per required unit: a word, a synonym group, a phrase, a prefix.

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
                units += [self._position_query(p) for p in self.synonyms.expand(positions, self.terms)]
                run = []
            if clause is not None:
                units.extend(self._clause_queries(clause))
        return units

    def _clause_queries(self, clause: Clause) -> list[wq.Query]:
        if clause.kind == "prefix":
            stem = fold_diacritics(clause.text.lower())
            return [self._over_fields(lambda f: wq.Prefix(f, stem))]
        positions = self.terms(clause.text)
        if clause.kind == "phrase" and len(positions) > 1:
            words = [pos[0][0] for pos in positions]
            return [self._over_fields(lambda f: wq.Phrase(f, words), phrase_only=True)]
        return [self._position_query(pos) for pos in self.synonyms.expand(positions, self.terms)]

    def _position_query(self, alternatives) -> wq.Query:
        """Return the query for one word position, or for a synonym group's alternatives."""
        if isinstance(alternatives, SynonymAlternatives):
            options = [self._sequence_query(seq) for seq in alternatives.sequences]
            return wq.Or(options)
        return self._word_query(alternatives)

    def _sequence_query(self, sequence: list[list[tuple[str, float]]]) -> wq.Query:
        if len(sequence) == 1:
            return self._word_query(sequence[0])
        words = [pos[0][0] for pos in sequence]
        return self._over_fields(lambda f: wq.Phrase(f, words), phrase_only=True)

    def _word_query(self, position: list[tuple[str, float]]) -> wq.Query:
        """A word matches as a whole, or (for a compound) by all its parts together."""
        whole, parts = position[0][0], [t for t, _ in position[1:]]

        def per_field(f):
            q = wq.Term(f, whole)
            if parts:
                q = wq.Or([q, wq.And([wq.Term(f, p) for p in parts], boost=PART_BOOST)])
            return q

        return self._over_fields(per_field)

    def _over_fields(self, make, phrase_only: bool = False) -> wq.Query:
        subqueries = []
        for name, boost in self.fields.items():
            if phrase_only and name == "headings":
                continue
            q = make(name)
            q.boost = boost * (q.boost if hasattr(q, "boost") else 1.0)
            subqueries.append(q)
        return wq.Or(subqueries)

    def phrase_terms(self, parsed: ParsedQuery) -> list[str]:
        """Return the terms of the plain words in order, for ranking pages that have them together."""
        words = [c.text for c in parsed.positive if c.kind == "word"]
        if len(words) < 2:
            return []
        terms = [pos[0][0] for pos in self.terms(" ".join(words))]
        return terms if len(terms) > 1 else []


def is_stop_word(word: str) -> bool:
    return fold_diacritics(word.lower()) in STOP_WORDS
