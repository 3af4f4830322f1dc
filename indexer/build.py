"""Read source folders and build an index from them, never leaving a half-built index."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from whoosh import index as whoosh_index

from . import store
from .analysis import analyzer_name
from .parse import Page, PageError, page_id, parse_page
from .schema import PageSchema, page_to_document

DEFAULT_BASE_URL = "https://kennisbank.example.nl/"
HTML_SUFFIXES = (".html", ".htm")

Progress = Callable[[int, int, str], None]


class SourceError(Exception):
    """A source folder that cannot be read at all."""


@dataclass
class Rejected:
    path: str
    reason: str


@dataclass
class Report:
    """What a check or a build did with each page; the CLI prints it, the status page shows it."""

    indexed: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[Rejected] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    analyzer: str = ""
    build: str | None = None
    started: str = ""
    duration: float = 0.0
    error: str | None = None

    @property
    def exit_code(self) -> int:
        """0: every page indexed; 1: built, but pages were rejected; 2: no index built."""
        if self.error or self.build is None and self.indexed == 0:
            return 2
        return 1 if self.rejected else 0

    def to_dict(self) -> dict:
        return asdict(self) | {"exit_code": self.exit_code}


@dataclass
class SourceFile:
    path: Path
    relpath: str
    source: Path


def scan_sources(sources: list[Path]) -> Iterator[SourceFile]:
    """Yield the HTML files below each source folder, in a stable order.

    Links are not followed: a symlink could lead the indexer out of the folder an
    editor meant to publish.

    :raises SourceError: when a source is missing or not a readable folder.
    """
    for source in sources:
        source = Path(source)
        if not source.is_dir():
            raise SourceError(f"bronmap {source} bestaat niet of is geen map")
        try:
            walker = list(os.walk(source, followlinks=False, onerror=_raise))
        except OSError as exc:
            raise SourceError(f"bronmap {source} is niet te lezen: {exc.strerror or exc}") from None
        for dirpath, dirnames, filenames in walker:
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or not name.lower().endswith(HTML_SUFFIXES):
                    continue
                path = Path(dirpath) / name
                relpath = path.relative_to(source).as_posix()
                yield SourceFile(path, relpath, source)


def _raise(exc: OSError) -> None:
    raise exc


def read_pages(files: list[SourceFile], report: Report, base_url: str, progress: Progress | None = None) -> Iterator[Page]:
    """Parse each file, yielding good pages and noting rejected ones and warnings in the report."""
    seen: dict[str, str] = {}
    for n, f in enumerate(files, 1):
        shown = str(f.path)
        try:
            if f.path.is_symlink():
                raise PageError("symbolische link, niet gevolgd")
            data = f.path.read_bytes()
            page = parse_page(data, f.relpath, base_url)
        except PageError as exc:
            report.rejected.append(Rejected(shown, str(exc)))
        except OSError as exc:
            report.rejected.append(Rejected(shown, f"niet te lezen: {exc.strerror or exc}"))
        except RecursionError:
            report.rejected.append(Rejected(shown, "HTML te diep genest"))
        else:
            if page.id in seen:
                report.rejected.append(Rejected(shown, f"zelfde pagina-id '{page.id}' als {seen[page.id]}"))
            else:
                seen[page.id] = shown
                page.source = shown
                report.warnings += [Rejected(shown, w) for w in page.warnings]
                yield page
        if progress:
            progress(n, len(files), shown)


def check_sources(sources: list[Path], base_url: str = DEFAULT_BASE_URL, progress: Progress | None = None) -> Report:
    """Parse and validate every page without writing an index."""
    report = Report(started=_now())
    start = time.perf_counter()
    try:
        files = list(scan_sources(sources))
    except SourceError as exc:
        report.error = str(exc)
        return report
    pages = list(read_pages(files, report, base_url, progress))
    report.indexed = len(pages)
    report.counts = count_pages(pages)
    report.duration = round(time.perf_counter() - start, 3)
    return report


def build_index(
    sources: list[Path],
    index_dir: Path,
    base_url: str = DEFAULT_BASE_URL,
    procs: int = 1,
    progress: Progress | None = None,
) -> Report:
    """Build a new index from the source folders and make it current when complete.

    The previous build stays current until the new one is complete, so searches keep
    working during a build and a failed or killed build changes nothing.

    :param procs: worker processes for analysis (Whoosh's multiprocessing writer).
    """
    index_dir = Path(index_dir)
    report = Report(started=_now(), analyzer=analyzer_name())
    start = time.perf_counter()
    try:
        files = list(scan_sources(sources))
    except SourceError as exc:
        report.error = str(exc)
        return report
    index_dir.mkdir(parents=True, exist_ok=True)
    store.clean_up(index_dir)
    partial = store.new_build_dir(index_dir)
    try:
        ix = whoosh_index.create_in(str(partial), PageSchema())
        writer = ix.writer(procs=procs, limitmb=256, multisegment=procs > 1) if procs > 1 else ix.writer(limitmb=256)
        pages_seen = 0
        counts: dict = {}
        theme_labels: dict[str, str] = {}
        try:
            for page in read_pages(files, report, base_url, progress):
                writer.add_document(**page_to_document(page))
                _count(counts, page)
                for t in page.themes:
                    theme_labels.setdefault(t.slug, t.label)
                pages_seen += 1
        except BaseException:
            writer.cancel()
            raise
        if not pages_seen:
            writer.cancel()
            report.error = "geen enkele bruikbare pagina gevonden; de vorige index blijft in gebruik"
            shutil.rmtree(partial, ignore_errors=True)
            return report
        writer.commit()
        report.indexed = pages_seen
        report.counts = counts
        report.duration = round(time.perf_counter() - start, 3)
        info = {
            "analyzer": report.analyzer,
            "built": report.started,
            "documents": report.indexed,
            "counts": counts,
            "theme_labels": theme_labels,
            "sources": [str(s) for s in sources],
            "base_url": base_url,
            "report": report.to_dict(),
        }
        final = store.complete_build(partial, info)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        report.error = f"index niet geschreven: {exc.strerror or exc}; de vorige index blijft in gebruik"
        return report
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    store.switch_to(index_dir, final)
    report.build = final.name
    store.clean_up(index_dir)
    return report


def count_pages(pages: list[Page]) -> dict:
    counts: dict = {}
    for page in pages:
        _count(counts, page)
    return counts


def _count(counts: dict, page: Page) -> None:
    """Add a page to the per-facet document counts (plain dicts, so they serialize as JSON)."""
    level = "geen" if page.bewijskracht is None else str(page.bewijskracht)
    for facet, values in (
        ("type", [page.type]),
        ("sector", page.sectors),
        ("thema", [t.slug for t in page.themes]),
        ("bewijskracht", [level]),
    ):
        per_value = counts.setdefault(facet, {})
        for v in values:
            per_value[v] = per_value.get(v, 0) + 1


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


__all__ = ["build_index", "check_sources", "scan_sources", "Report", "SourceError", "page_id"]
