"""Opening a build for searching: verified first, and a kept build to fall back on when it is damaged."""

from __future__ import annotations

import logging
from pathlib import Path

from .. import store
from ..analysis import analyzer_name
from .snapshot import Snapshot

log = logging.getLogger(__name__)


def open_build(build: store.Build, check_analyzer: bool = True) -> Snapshot:
    """Verify a build and open it as a Snapshot.

    :raises AnalyzerMismatch: when another analyzer made the build.
    :raises DamagedBuild: when its files are damaged or Whoosh fails to read them.
    """
    if check_analyzer:
        ours, theirs = analyzer_name(), build.info.analyzer
        if theirs != ours:
            raise store.AnalyzerMismatch(
                f"de index is gebouwd met analyzer '{theirs}', deze installatie gebruikt "
                f"'{ours}'; bouw de index opnieuw met 'kennisbank index --full'"
            )
    try:
        # Build.open verifies sizes and checksums before Whoosh maps a file.
        return Snapshot(build)
    except store.IndexStoreError:
        raise
    except store.OPEN_ERRORS as exc:
        # A build of an earlier version has no checksums, so Whoosh is the check.
        raise store.DamagedBuild(f"build {build.id} kan niet worden gelezen: {type(exc).__name__}: {exc}") from exc


def open_fallback(index_dir: Path, skip: str | None, check_analyzer: bool = True) -> Snapshot | None:
    """Open the newest intact complete build other than ``skip`` (a CURRENT marker), or return None."""
    for path in store.complete_builds(index_dir):
        if f"builds/{path.name}" == skip:
            continue
        try:
            return open_build(store.read_build(path), check_analyzer)
        except store.IndexStoreError as exc:
            log.warning("kept build %s is not usable either: %s", path.name, exc)
    return None
