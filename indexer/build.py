"""Read source folders and build an index from them, never leaving a half-built index.

A build is incremental by default: it starts from a copy of the current build, parses
only pages whose content changed, and removes pages whose files are gone. A full build
(``full=True``, or when there is no usable current build) starts from nothing. Either
way the result is a new build that becomes current only when it is complete.

A build runs in three steps: `prepare` reads the source folders and the current build
and decides what to start from; `apply` writes the new build's index into a partial
build directory; `publish` completes that build and makes it current.
"""

from __future__ import annotations

import itertools
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index

from . import runs, store
from .analysis import analyzer_name
from .crawl import Crawl
from .fetch import Politeness
from .lock import Locked, index_lock
from .parse import PARSER_VERSION, Page, PageError, content_hash, page_id
from .records import BuildInfo, Manifest, PageRecord, facet_counts
from .schema import PageSchema, page_to_document
from .settings import DEFAULTS, is_url
from .sources import (
    PageGone,
    Progress,
    Rejected,
    SourceError,
    SourceFile,
    Unchanged,
    iter_pages,
    parse_pages,
    scan_sources,
)


class BuildFailed(Exception):
    """No new build was made; the message says why, and the previous build stays current."""


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
    #: True when an incremental run found nothing to change: no new build was made, and
    #: ``build`` names the build that stays in use.
    nothing_changed: bool = False
    #: A crawl's answers by HTTP status ("200", "304", "404", ...) and failures ("timeout", "error").
    http: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0: every page indexed; 1: built, but pages were rejected or kept; 2: no index built."""
        if self.error or (self.build is None and self.indexed == 0):
            return 2
        return 1 if self.rejected or self.kept else 0

    def to_dict(self) -> dict:
        state = "failed" if self.exit_code == 2 else "done"
        data = asdict(self)
        # The crawl report's names for the same lists (refused: rejected, with reasons).
        aliases = {"new": data["added"], "changed": data["updated"], "refused": data["rejected"]}
        return data | aliases | {"exit_code": self.exit_code, "state": state}


def refuse_invalid_figures(page: Page) -> None:
    """Refuse an intervention whose figures are present but invalid, rather than publish it without them.

    :raises PageError: naming the invalid figures; a build then keeps the page's previous version.
    """
    if page.figure_errors:
        raise PageError(_figures_message(page))


def _figures_message(page: Page) -> str:
    # The parser's words say the value was dropped; here the whole page is held back.
    return "ongeldige cijfers: " + "; ".join(e.replace(", genegeerd", "") for e in page.figure_errors)


def check_sources(sources: list[Path], base_url: str = DEFAULTS.base_url, progress: Progress | None = None) -> Report:
    """Parse and validate every page without writing an index."""
    report = Report(mode="check", started=_now())
    start = time.perf_counter()
    try:
        files = scan_sources(sources)
    except SourceError as exc:
        report.error = str(exc)
        return report
    pages = []
    for item in parse_pages(files, base_url, progress):
        if isinstance(item, Rejected):
            report.rejected.append(item)
        elif item.figure_errors:
            report.rejected.append(Rejected(item.source, _figures_message(item)))
        else:
            pages.append(item)
            report.warnings += [Rejected(item.source, w) for w in item.warnings]
    report.indexed = len(pages)
    report.counts = facet_counts(page.facets for page in pages)
    report.duration = round(time.perf_counter() - start, 3)
    return report


def build_index(
    sources: list[Path | str],
    index_dir: Path,
    base_url: str = DEFAULTS.base_url,
    procs: int = 1,
    full: bool = False,
    progress: Progress | None = None,
    run_id: str | None = None,
    politeness: Politeness | None = None,
) -> Report:
    """Bring the index up to date with the source folders and sitemaps, as a new build made current when complete.

    The previous build stays current until the new one is complete, so searches keep
    working during a build and a failed or killed build changes nothing. Only one build
    runs at a time per index directory; a second one gets a report with an error.

    :param full: rebuild every page instead of only new and changed ones.
    :param procs: worker processes for analysis (Whoosh's multiprocessing writer).
    :param run_id: the id under which the run's report is saved (one is made if not given).
    :param politeness: how sources that are URLs (sitemaps) are crawled; default `Politeness()`.
    """
    index_dir = Path(index_dir)
    # Absolute paths, so a page's source folder is recognised whatever the working directory.
    sources = [str(s) if is_url(s) else Path(s).resolve() for s in sources]
    report = Report(started=_now(), analyzer=analyzer_name(), run_id=run_id or runs.new_run_id())
    start = time.perf_counter()
    try:
        with index_lock(index_dir) as stale:
            if stale:
                report.notes.append("verouderd slot van een afgebroken herindexering overgenomen")
            _build_locked(sources, index_dir, base_url, procs, full, progress, report, politeness or Politeness())
    except Locked as exc:
        report.error = str(exc)
    except Exception as exc:
        # A fault nobody foresaw still ends in a report (saved, and printed as JSON by
        # --json) rather than a traceback; the previous build stays current.
        report.error = f"onverwachte fout: {type(exc).__name__}: {exc}; de vorige index blijft in gebruik"
    report.duration = round(time.perf_counter() - start, 3)
    try:
        runs.save_run(index_dir, report.to_dict())
    except OSError as exc:
        report.notes.append(f"verslag niet opgeslagen: {exc.strerror or exc}")
    return report


def _build_locked(sources, index_dir: Path, base_url, procs, full, progress, report: Report, politeness) -> None:
    """Prepare, apply and publish a build; a failure of any step becomes the report's error."""
    plan = None
    try:
        plan = prepare(sources, index_dir, full, report, politeness)
        partial = apply(plan, index_dir, base_url, procs, progress, report)
        report.indexed = len(plan.manifest)
        report.counts = plan.manifest.counts()
        if partial is None:
            # Nothing changed: a new build would only drop every server's caches.
            report.nothing_changed = True
            report.notes.append(f"niets veranderd: build {plan.previous.id} blijft in gebruik")
            final = plan.previous.path
        else:
            final = publish(index_dir, partial, plan.manifest, _build_info(plan, base_url, report))
    except BuildFailed as exc:
        report.error = f"{exc}; de vorige index blijft in gebruik"
        return
    finally:
        if plan is not None and plan.crawl is not None:
            report.http = dict(sorted(plan.crawl.fetcher.statuses.items()))
            plan.crawl.close(report.removed if report.error is None else [])
    report.build = final.name


@dataclass
class Plan:
    """What a build starts from and what it changes; made by `prepare`, carried out by `apply`."""

    sources: list[Path]
    files: list[SourceFile]
    #: The build to start from; None for a full build.
    previous: store.Build | None
    #: The pages of the build being made: the previous build's at first, then brought up to date.
    manifest: Manifest
    #: Ids of pages whose files are gone (not those of a folder that looks unmounted).
    gone: list[str]
    #: The sources that are sites, when there are any.
    crawl: Crawl | None = None

    def changed_pages(self, base_url: str, report: Report, progress: Progress | None = None) -> Iterator[Page]:
        """Yield each new or changed page that parses; note unchanged, kept and rejected files in the report.

        A file is read and hashed only when its turn comes, so a build holds one page in
        memory at a time. A yielded page enters the manifest and the report when the
        next one is asked for, that is once it has been written.
        """
        crawled = self.crawl.pages({page_id(f.relpath) for f in self.files}) if self.crawl else ()
        for item in itertools.chain(iter_pages(self.files, progress), crawled):
            if isinstance(item, Rejected):
                report.rejected.append(item)
                continue
            old = self.manifest.get(item.id)
            try:
                data = item.read()
                if old is not None and old.hash == content_hash(data) and old.source == item.source:
                    report.unchanged += 1
                    # Warnings stay in every report until the page is fixed, not only in the run that parsed it.
                    report.warnings += [Rejected(item.path, w) for w in old.warnings]
                    continue
                page = item.parse(base_url, data)
                refuse_invalid_figures(page)
            except Unchanged:
                report.unchanged += 1
                continue
            except PageGone as exc:
                if old is not None and exc.confirmed:
                    self.gone.append(item.id)
                elif old is not None:
                    report.kept.append(Rejected(item.path, f"vorige versie behouden: {exc}; verwijderd als de volgende crawl dat bevestigt"))
                else:
                    report.rejected.append(Rejected(item.path, str(exc)))
                continue
            except PageError as exc:
                if old is not None:
                    report.kept.append(Rejected(item.path, f"vorige versie behouden: {exc}"))
                else:
                    report.rejected.append(Rejected(item.path, str(exc)))
                continue
            report.warnings += [Rejected(item.path, w) for w in page.warnings]
            yield page
            self.manifest.put(PageRecord.from_page(page, item.source))
            (report.updated if old is not None else report.added).append(item.id)


def prepare(sources: list[Path | str], index_dir: Path, full: bool, report: Report,
            politeness: Politeness | None = None) -> Plan:
    """Read the source folders and sitemaps and the current build; decide what to start from and which pages are gone.

    :raises BuildFailed: when a source folder or the current build's manifest cannot be read.
    """
    sites = [s for s in sources if is_url(s)]
    try:
        files = scan_sources([s for s in sources if not is_url(s)])
    except SourceError as exc:
        raise BuildFailed(str(exc)) from None
    previous = _previous_build(index_dir, full, report)
    report.mode = "full" if previous is None else "incremental"
    manifest = Manifest()
    if previous is not None:
        try:
            manifest = previous.manifest()
        except OSError as exc:
            raise BuildFailed(f"index niet geschreven: {exc.strerror or exc}") from exc
    # A page whose file is gone is removed, but only when its folder could be read and
    # held files at all: an unmounted share looks like an empty folder.
    found = {page_id(f.relpath) for f in files}
    empty = {str(s) for s in sources if not is_url(s)} - {str(f.source) for f in files}
    for source in sorted(empty & {r.source for r in manifest}):
        report.notes.append(f"bronmap {source} is leeg of niet gekoppeld: pagina's daaruit zijn niet verwijderd")
    crawl = None
    if sites:
        # A site's pages leave by the crawl's own rule (confirmed twice), not by the folder rule.
        crawl = Crawl.open(sites, index_dir, politeness or Politeness())
        crawl.indexed = {r.id: r.hash for r in manifest}
        found |= crawl.page_ids()
        empty |= set(sites)
    gone = [r.id for r in manifest if r.id not in found and r.source not in empty]
    if crawl is not None:
        site_gone, kept, notes = crawl.gone(manifest)
        gone += site_gone
        report.kept += kept
        report.notes += notes
    return Plan(sources, files, previous, manifest, gone, crawl)


def _previous_build(index_dir: Path, full: bool, report: Report) -> store.Build | None:
    """Return the build to start from, or None for a full build (and say why in the report)."""
    if full:
        return None
    try:
        build = store.current_build(index_dir)
    except store.NoIndex:
        return None
    except store.DamagedBuild as exc:
        report.notes.append(f"volledige herbouw: {exc}")
        return None
    if build.info.analyzer != report.analyzer:
        report.notes.append(f"volledige herbouw: de index is gemaakt met analyzer '{build.info.analyzer}'")
        return None
    if build.info.parser != PARSER_VERSION:
        report.notes.append(f"volledige herbouw: de index is gemaakt met parserversie {build.info.parser}")
        return None
    if not build.has_manifest():
        report.notes.append("volledige herbouw: de vorige build heeft geen paginalijst")
        return None
    # Its files are copied into the new build and its page list trusted, so damage would
    # be copied too and the run would end as if all was well.
    check = build.verify()
    if not check.intact:
        report.notes.append(f"volledige herbouw: de vorige build {build.id} is beschadigd ({check.summary()})")
        return None
    return build


def apply(plan: Plan, index_dir: Path, base_url: str, procs: int, progress: Progress | None,
          report: Report) -> Path | None:
    """Write the planned index into a new partial build directory and return that directory.

    :returns: None when an incremental build changes nothing; no partial directory is left.
    :raises BuildFailed: when the index cannot be written or no page is usable; the
        partial directory is then removed.
    """
    store.clean_up(index_dir)
    partial = store.new_build_dir(index_dir)
    with _removed_on_failure(partial):
        if plan.previous is None:
            ix = whoosh_index.create_in(str(partial), PageSchema())
        else:
            store.copy_index(plan.previous, partial)
            try:
                ix = whoosh_index.open_dir(str(partial))
            except store.OPEN_ERRORS as exc:
                # Verified in prepare; a build of an earlier version has no checksums.
                raise BuildFailed(f"de vorige build kan niet worden gelezen ({type(exc).__name__}: {exc}); "
                                  "bouw de index opnieuw met 'kennisbank index --full'") from exc
        # Several processes only for a full build: an incremental one writes few pages.
        if procs > 1 and plan.previous is None:
            writer = ix.writer(procs=procs, limitmb=256, multisegment=True)
        else:
            writer = ix.writer(limitmb=256)
        changed = False
        try:
            for page in plan.changed_pages(base_url, report, progress):
                try:
                    writer.update_document(**page_to_document(page))
                except Exception as exc:
                    # The writer may hold half of this page, so the build stops here, naming the file.
                    raise BuildFailed(f"{page.source}: analyse mislukt: {type(exc).__name__}: {exc}") from exc
                changed = True
            for pid in plan.gone:
                writer.delete_by_term("id", pid)
                plan.manifest.remove(pid)
                report.removed.append(pid)
                changed = True
        except BaseException:
            writer.cancel()
            raise
        if not plan.manifest:
            writer.cancel()
            raise BuildFailed("geen enkele bruikbare pagina gevonden")
        if changed or plan.previous is None or _settings_changed(plan, base_url):
            writer.commit()
        else:
            writer.cancel()
            ix.close()
            shutil.rmtree(partial, ignore_errors=True)
            return None
    return partial


def _settings_changed(plan: Plan, base_url: str) -> bool:
    # build.json records the sources and base URL; a change there is worth a new build.
    info = plan.previous.info
    return info.sources != [str(s) for s in plan.sources] or info.base_url != base_url


def publish(index_dir: Path, partial: Path, manifest: Manifest, info: BuildInfo) -> Path:
    """Write the build's records, give it its final name, make it current and remove builds no longer kept.

    Searches use the previous build until CURRENT is replaced, which is atomic.

    :raises BuildFailed: when the build cannot be completed; the partial directory is then removed.
    """
    with _removed_on_failure(partial):
        final = store.complete_build(partial, manifest, info)
    store.switch_to(index_dir, final)
    store.clean_up(index_dir)
    return final


@contextmanager
def _removed_on_failure(partial: Path) -> Iterator[None]:
    """Remove a partial build when the block fails; a write error becomes BuildFailed."""
    try:
        yield
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise BuildFailed(f"index niet geschreven: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _build_info(plan: Plan, base_url: str, report: Report) -> BuildInfo:
    return BuildInfo(
        analyzer=report.analyzer,
        built=report.started,
        mode=report.mode,
        documents=report.indexed,
        counts=report.counts,
        theme_labels=plan.manifest.theme_labels(),
        sources=[str(s) for s in plan.sources],
        base_url=base_url,
        run_id=report.run_id,
        parser=PARSER_VERSION,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


__all__ = ["build_index", "check_sources", "Report", "SourceError", "Locked"]
