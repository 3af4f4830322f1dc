"""Read source folders and build an index from them, never leaving a half-built index.

A build is incremental by default: it starts from a copy of the current build, parses
only pages whose content changed, and removes pages whose files are gone. A full build
(``full=True``, or when there is no usable current build) starts from nothing. Either
way the result is a new build that becomes current only when it is complete.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from whoosh import index as whoosh_index

from . import runs, store
from .analysis import analyzer_name
from .lock import Locked, index_lock
from .parse import Page, PageError, content_hash, page_id, parse_page
from .records import BuildInfo, Manifest, PageRecord, facet_counts
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

    mode: str = "full"
    indexed: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[Rejected] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[Rejected] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    analyzer: str = ""
    build: str | None = None
    run_id: str = ""
    started: str = ""
    duration: float = 0.0
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: every page indexed; 1: built, but pages were rejected or kept; 2: no index built."""
        if self.error or (self.build is None and self.indexed == 0):
            return 2
        return 1 if self.rejected or self.kept else 0

    def to_dict(self) -> dict:
        state = "failed" if self.exit_code == 2 else "done"
        return asdict(self) | {"exit_code": self.exit_code, "state": state}


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
                yield SourceFile(path, path.relative_to(source).as_posix(), source)


def _raise(exc: OSError) -> None:
    raise exc


def _read(f: SourceFile) -> bytes:
    """Return a source file's bytes; a link or a read error becomes a PageError with a reason."""
    if f.path.is_symlink():
        raise PageError("symbolische link, niet gevolgd")
    try:
        return f.path.read_bytes()
    except OSError as exc:
        raise PageError(f"niet te lezen: {exc.strerror or exc}") from None


def read_pages(files: list[SourceFile], report: Report, base_url: str, progress: Progress | None = None) -> Iterator[Page]:
    """Parse each file, yielding good pages and noting rejected ones and warnings in the report."""
    seen: dict[str, str] = {}
    for n, f in enumerate(files, 1):
        try:
            page = _parse(f, base_url)
        except PageError as exc:
            report.rejected.append(Rejected(str(f.path), str(exc)))
        else:
            if page.id in seen:
                report.rejected.append(Rejected(str(f.path), f"zelfde pagina-id '{page.id}' als {seen[page.id]}"))
            else:
                seen[page.id] = str(f.path)
                report.warnings += [Rejected(str(f.path), w) for w in page.warnings]
                yield page
        if progress:
            progress(n, len(files), str(f.path))


def _parse(f: SourceFile, base_url: str, data: bytes | None = None) -> Page:
    """Parse one source file; every failure becomes a PageError with a reason."""
    if data is None:
        data = _read(f)
    try:
        page = parse_page(data, f.relpath, base_url)
    except RecursionError:
        raise PageError("HTML te diep genest") from None
    page.source = str(f.path)
    return page


def check_sources(sources: list[Path], base_url: str = DEFAULT_BASE_URL, progress: Progress | None = None) -> Report:
    """Parse and validate every page without writing an index."""
    report = Report(mode="check", started=_now())
    start = time.perf_counter()
    try:
        files = list(scan_sources(sources))
    except SourceError as exc:
        report.error = str(exc)
        return report
    pages = list(read_pages(files, report, base_url, progress))
    report.indexed = len(pages)
    report.counts = facet_counts(pages)
    report.duration = round(time.perf_counter() - start, 3)
    return report


def build_index(
    sources: list[Path],
    index_dir: Path,
    base_url: str = DEFAULT_BASE_URL,
    procs: int = 1,
    full: bool = False,
    progress: Progress | None = None,
    run_id: str | None = None,
) -> Report:
    """Bring the index up to date with the source folders, as a new build made current when complete.

    The previous build stays current until the new one is complete, so searches keep
    working during a build and a failed or killed build changes nothing. Only one build
    runs at a time per index directory; a second one gets a report with an error.

    :param full: rebuild every page instead of only new and changed ones.
    :param procs: worker processes for analysis (Whoosh's multiprocessing writer).
    :param run_id: the id under which the run's report is saved (one is made if not given).
    """
    index_dir = Path(index_dir)
    # Absolute paths, so a page's source folder is recognised whatever the working directory.
    sources = [Path(s).resolve() for s in sources]
    report = Report(started=_now(), analyzer=analyzer_name(), run_id=run_id or runs.new_run_id())
    start = time.perf_counter()
    try:
        with index_lock(index_dir) as stale:
            if stale:
                report.notes.append("verouderd slot van een afgebroken herindexering overgenomen")
            _build_locked(sources, index_dir, base_url, procs, full, progress, report)
    except Locked as exc:
        report.error = str(exc)
    report.duration = round(time.perf_counter() - start, 3)
    runs.save_run(index_dir, report.to_dict())
    return report


def _build_locked(sources, index_dir: Path, base_url, procs, full, progress, report: Report) -> None:
    try:
        files = list(scan_sources(sources))
    except SourceError as exc:
        report.error = f"{exc}; de vorige index blijft in gebruik"
        return
    store.clean_up(index_dir)
    previous = _previous_build(index_dir, full, report)
    partial = store.new_build_dir(index_dir)
    try:
        if previous is None:
            report.mode = "full"
            ix = whoosh_index.create_in(str(partial), PageSchema())
            manifest = Manifest()
        else:
            report.mode = "incremental"
            store.copy_index(previous, partial)
            ix = whoosh_index.open_dir(str(partial))
            manifest = previous.manifest()
        if procs > 1 and previous is None:
            writer = ix.writer(procs=procs, limitmb=256, multisegment=True)
        else:
            writer = ix.writer(limitmb=256)
        try:
            changed = _apply(files, sources, manifest, writer, base_url, progress, report)
        except BaseException:
            writer.cancel()
            raise
        if not manifest:
            writer.cancel()
            report.error = "geen enkele bruikbare pagina gevonden; de vorige index blijft in gebruik"
            shutil.rmtree(partial, ignore_errors=True)
            return
        if changed or previous is None:
            writer.commit()
        else:
            writer.cancel()
        report.indexed = len(manifest)
        report.counts = manifest.counts()
        info = BuildInfo(
            analyzer=report.analyzer,
            built=report.started,
            mode=report.mode,
            documents=report.indexed,
            counts=report.counts,
            theme_labels=manifest.theme_labels(),
            sources=[str(s) for s in sources],
            base_url=base_url,
            run_id=report.run_id,
        )
        final = store.complete_build(partial, manifest, info)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        report.error = f"index niet geschreven: {exc.strerror or exc}; de vorige index blijft in gebruik"
        return
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    store.switch_to(index_dir, final)
    report.build = final.name
    store.clean_up(index_dir)


def _previous_build(index_dir: Path, full: bool, report: Report) -> store.Build | None:
    """Return the build to start from, or None for a full build (and say why in the report)."""
    if full:
        return None
    try:
        build = store.current_build(index_dir)
    except store.NoIndex:
        return None
    if build.info.analyzer != report.analyzer:
        report.notes.append(f"volledige herbouw: de index is gemaakt met analyzer '{build.info.analyzer}'")
        return None
    if not build.has_manifest():
        report.notes.append("volledige herbouw: de vorige build heeft geen paginalijst")
        return None
    return build


def _apply(files, sources, manifest: Manifest, writer, base_url, progress, report: Report) -> bool:
    """Add, update and remove pages so the index matches the files; return whether anything changed."""
    changed = False
    seen: dict[str, str] = {}
    found_per_source = {str(Path(s)): 0 for s in sources}
    for n, f in enumerate(files, 1):
        found_per_source[str(f.source)] += 1
        pid = page_id(f.relpath)
        if pid in seen:
            report.rejected.append(Rejected(str(f.path), f"zelfde pagina-id '{pid}' als {seen[pid]}"))
            continue
        seen[pid] = str(f.path)
        old = manifest.get(pid)
        try:
            data = _read(f)
        except PageError as exc:
            _reject_or_keep(report, f, pid, old, str(exc))
            continue
        if old is not None and old.hash == content_hash(data) and old.source == str(f.source):
            report.unchanged += 1
        else:
            try:
                page = _parse(f, base_url, data)
            except PageError as exc:
                _reject_or_keep(report, f, pid, old, str(exc))
            else:
                report.warnings += [Rejected(str(f.path), w) for w in page.warnings]
                writer.update_document(**page_to_document(page))
                manifest.put(PageRecord.from_page(page, f.source))
                (report.updated if old is not None else report.added).append(pid)
                changed = True
        if progress:
            progress(n, len(files), str(f.path))
    # A page whose file is gone is removed, but only when its folder could be read and
    # held files at all: an unmounted share looks like an empty folder.
    empty = {s for s, n in found_per_source.items() if n == 0}
    for source in sorted(empty & {r.source for r in manifest}):
        report.notes.append(f"bronmap {source} is leeg of niet gekoppeld: pagina's daaruit zijn niet verwijderd")
    for pid in [r.id for r in manifest if r.id not in seen]:
        if manifest.get(pid).source in empty:
            continue
        writer.delete_by_term("id", pid)
        manifest.remove(pid)
        report.removed.append(pid)
        changed = True
    return changed


def _reject_or_keep(report: Report, f: SourceFile, pid: str, old: PageRecord | None, reason: str) -> None:
    if old is not None:
        report.kept.append(Rejected(str(f.path), f"vorige versie behouden: {reason}"))
    else:
        report.rejected.append(Rejected(str(f.path), reason))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


__all__ = ["build_index", "check_sources", "scan_sources", "Report", "SourceError", "Locked", "page_id"]
