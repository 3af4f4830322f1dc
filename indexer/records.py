"""What a build records about itself: the manifest of its pages and its info (build.json).

Both are stored as JSON inside the build directory (`store` reads and writes the files).
The JSON shapes are those of earlier versions, so an index they made still opens and
still reindexes incrementally.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from .parse import Facets, Page, Theme


@dataclass
class PageRecord:
    """What an incremental build keeps of one indexed page: where it came from, its hash, its facets."""

    id: str
    hash: str
    source: str
    facets: Facets
    #: The parser's warnings, repeated in every run's report until the page is fixed.
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_page(cls, page: Page, source: Path | str) -> PageRecord:
        """Record a parsed page that was read from the source folder ``source``."""
        return cls(page.id, page.content_hash, str(source), page.facets, list(page.warnings))

    @classmethod
    def from_json(cls, page_id: str, data: dict) -> PageRecord:
        facets = Facets(data["type"], tuple(data["sectors"]), tuple(Theme(label, slug) for label, slug in data["themes"]),
                        data["bewijskracht"])
        return cls(page_id, data["hash"], data["source"], facets, list(data.get("warnings") or []))

    def to_json(self) -> dict:
        # The id is the key in the manifest's JSON object, not a field of the entry; the
        # facets are flat, as earlier versions wrote them.
        return {
            "hash": self.hash,
            "source": self.source,
            "type": self.facets.type,
            "sectors": list(self.facets.sectors),
            "themes": [[t.label, t.slug] for t in self.facets.themes],
            "bewijskracht": self.facets.bewijskracht,
            "warnings": self.warnings,
        }


@dataclass
class Manifest:
    """The pages of a build by id, in the order they were first indexed (``pages.json``)."""

    pages: dict[str, PageRecord] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        return cls({pid: PageRecord.from_json(pid, entry) for pid, entry in data.items()})

    def to_json(self) -> dict:
        return {pid: record.to_json() for pid, record in self.pages.items()}

    def __len__(self) -> int:
        return len(self.pages)

    def __iter__(self) -> Iterator[PageRecord]:
        return iter(self.pages.values())

    def get(self, page_id: str) -> PageRecord | None:
        return self.pages.get(page_id)

    def put(self, record: PageRecord) -> None:
        """Add a page or replace its record (a replaced page keeps its place)."""
        self.pages[record.id] = record

    def remove(self, page_id: str) -> None:
        del self.pages[page_id]

    def counts(self) -> dict[str, dict[str, int]]:
        return facet_counts(record.facets for record in self)

    def theme_labels(self) -> dict[str, str]:
        """Return each theme slug's label, as the first page with that theme spells it."""
        labels: dict[str, str] = {}
        for record in self:
            for theme in record.facets.themes:
                labels.setdefault(theme.slug, theme.label)
        return labels


def facet_counts(facets: Iterable[Facets]) -> dict[str, dict[str, int]]:
    """Return documents per facet value (plain dicts, so they serialize as JSON)."""
    counts: dict[str, dict[str, int]] = {"type": {}, "sector": {}, "thema": {}, "bewijskracht": {}}
    for p in facets:
        level = "geen" if p.bewijskracht is None else str(p.bewijskracht)
        for facet, values in (("type", [p.type]), ("sector", p.sectors),
                              ("thema", [t.slug for t in p.themes]), ("bewijskracht", [level])):
            for v in values:
                counts[facet][v] = counts[facet].get(v, 0) + 1
    return counts


@dataclass
class BuildInfo:
    """What ``build.json`` says of a build: the analyzer that made it, when, from what, and its counts.

    Defaults stand in for keys that builds of earlier versions did not write yet.
    """

    analyzer: str | None = None
    built: str | None = None
    #: Builds written before incremental reindexing existed were all full builds.
    mode: str = "full"
    documents: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    theme_labels: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    base_url: str = ""
    run_id: str = ""
    #: Builds written before the parser had a version kept no page structure.
    parser: str = "1"
    #: Keys this version does not know (an older or newer build's), kept so they survive a rewrite.
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> BuildInfo:
        """:raises ValueError: when the JSON is not an object."""
        if not isinstance(data, dict):
            raise ValueError("build.json is geen JSON-object")
        known = {f.name for f in fields(cls)} - {"extra"}
        return cls(**{k: v for k, v in data.items() if k in known},
                   extra={k: v for k, v in data.items() if k not in known})

    def to_json(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        return data | self.extra
