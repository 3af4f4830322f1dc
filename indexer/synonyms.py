"""The editors' synonym list: groups of words and phrases that mean the same to a searcher.

The file is plain text, one group a line, members separated by commas::

    # sector names as teachers write them
    po, primair onderwijs, basisschool
    zittenblijven, doubleren

Synonyms apply at query time only, so editing the file changes search at once,
without reindexing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Analyze = Callable[[str], list]


class SynonymError(ValueError):
    """The synonym file has lines that cannot be used; the message lists them."""


@dataclass
class SynonymAlternatives:
    """The analyzed forms of every member of a synonym group that a query contains."""

    sequences: list
    typed: list = field(default_factory=list)  # the member as it stands in the query


@dataclass
class Synonyms:
    groups: list[list[str]] = field(default_factory=list)
    _analyzed: list | None = None

    @classmethod
    def parse(cls, text: str, source: str = "synoniemen") -> Synonyms:
        """Read the file format; raise SynonymError naming every bad line."""
        groups, errors, seen = [], [], {}
        for n, line in enumerate(text.splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            members = [m.strip() for m in line.split(",")]
            if any(not m for m in members):
                errors.append(f"{source}:{n}: lege term (twee komma's achter elkaar of een komma aan het eind)")
                continue
            if len(members) < 2:
                errors.append(f"{source}:{n}: een groep heeft minstens twee termen nodig")
                continue
            for m in members:
                key = m.lower()
                if key in seen and seen[key] != n:
                    errors.append(f"{source}:{n}: '{m}' staat ook in regel {seen[key]}")
                seen[key] = n
            groups.append(members)
        if errors:
            raise SynonymError("\n".join(errors))
        return cls(groups)

    @classmethod
    def from_file(cls, path: Path) -> Synonyms:
        return cls.parse(Path(path).read_text(encoding="utf-8"), source=str(path))

    def _groups_analyzed(self, analyze: Analyze) -> dict:
        """Return {first term of a member: [(member's terms, the member's group), ...]}.

        Keyed by the first term, a query word is compared with the few members that can
        start with it, not with every member of every group.
        """
        if self._analyzed is None:
            by_first: dict = {}
            for group in self.groups:
                sequences = [seq for m in group if (seq := analyze(m))]
                if len(sequences) > 1:
                    for seq in sequences:
                        terms = [p[0][0] for p in seq]
                        by_first.setdefault(terms[0], []).append((terms, sequences))
            self._analyzed = by_first
        return self._analyzed

    def expand(self, positions: list, analyze: Analyze) -> list:
        """Replace runs of query positions that spell a group member by the whole group.

        :param positions: the analyzed query, one list of (term, boost) per word.
        :param analyze: the function that analyzed it, applied to the members too.
        """
        by_first = self._groups_analyzed(analyze)
        if not by_first:
            return positions
        words = [pos[0][0] for pos in positions]
        out, i = [], 0
        while i < len(positions):
            best = None
            for terms, sequences in by_first.get(words[i], ()):
                k = len(terms)
                if k > (best[0] if best else 0) and words[i : i + k] == terms:
                    best = (k, sequences, positions[i : i + k])
            if best:
                out.append(SynonymAlternatives(best[1], best[2]))
                i += best[0]
            else:
                out.append(positions[i])
                i += 1
        return out


class SynonymFile:
    """A synonym file that is read again when it changes, so edits apply without a restart."""

    def __init__(self, path: Path | None):
        self.path = Path(path) if path else None
        self._stamp: tuple | None = None
        self._synonyms = Synonyms()
        self.error: str | None = None
        # Bumped on every reload: result caches key on it. (An id() of the list would
        # not do: CPython reuses the ids of freed objects.)
        self.version = 0
        self._lock = threading.Lock()

    def current(self) -> Synonyms:
        """Return the synonyms; a file that became invalid keeps the last good list."""
        return self.versioned()[0]

    def versioned(self) -> tuple[Synonyms, int]:
        """Return the synonyms and their version, read together."""
        with self._lock:
            return self._reload(), self.version

    def _reload(self) -> Synonyms:
        if self.path is None:
            return self._synonyms
        try:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            self._stamp = stamp
            self.version += 1
            if stamp is None:
                self._synonyms, self.error = Synonyms(), None
            else:
                try:
                    self._synonyms, self.error = Synonyms.from_file(self.path), None
                except (SynonymError, OSError, UnicodeDecodeError) as exc:
                    self.error = str(exc)
        return self._synonyms
