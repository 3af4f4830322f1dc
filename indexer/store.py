"""The index directory: complete builds side by side, and a pointer to the current one.

Layout::

    INDEX_DIR/
        CURRENT                  name of the build that searches use
        builds/<build-id>/       a complete Whoosh index plus build.json and pages.json
        builds/<build-id>.partial/   a build in progress (or one that was killed)

A build is written into a ``.partial`` directory, renamed when complete, and only then
made current by replacing CURRENT with ``os.replace``, which is atomic: a reader sees
the old build or the new one, never half of either. A killed build leaves only a
``.partial`` directory behind, which the next build removes.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index

from .records import BuildInfo, Manifest

BUILD_INFO = "build.json"
MANIFEST = "pages.json"
CURRENT = "CURRENT"
PARTIAL = ".partial"
#: Complete builds kept besides the current one, so a bad build can be rolled back.
KEEP_BUILDS = 2


class IndexStoreError(Exception):
    """Base of the errors about the index directory."""


class NoIndex(IndexStoreError):
    """There is no complete build in the index directory."""


class AnalyzerMismatch(IndexStoreError):
    """The index was built by another analyzer than the one this process runs."""


@dataclass
class Build:
    """A complete build: its directory and what build.json says of it."""

    path: Path
    info: BuildInfo

    @property
    def id(self) -> str:
        return self.path.name

    def open(self):
        return whoosh_index.open_dir(str(self.path))

    def has_manifest(self) -> bool:
        return (self.path / MANIFEST).exists()

    def manifest(self) -> Manifest:
        """Read the build's page records.

        :raises OSError: when pages.json cannot be read; ValueError or KeyError when it is damaged.
        """
        return Manifest.from_json(json.loads((self.path / MANIFEST).read_text(encoding="utf-8")))


def new_build_dir(index_dir: Path) -> Path:
    """Create and return a fresh ``.partial`` directory for a build."""
    # Microseconds keep the names in build order, which clean_up relies on.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = index_dir / "builds" / f"{stamp}-{uuid.uuid4().hex[:8]}{PARTIAL}"
    path.mkdir(parents=True)
    return path


def copy_index(build: Build, partial: Path) -> None:
    """Copy a build's index files into a partial build, to be updated there.

    Whoosh never rewrites a segment file, so hard links are safe and save the copy.
    """
    for item in build.path.iterdir():
        if item.name in (BUILD_INFO, MANIFEST) or item.name.endswith(".lock"):
            continue
        try:
            os.link(item, partial / item.name)
        except OSError:
            shutil.copy2(item, partial / item.name)


def complete_build(partial: Path, manifest: Manifest, info: BuildInfo) -> Path:
    """Write pages.json and build.json into a finished partial build and give it its final name."""
    write_json(partial / MANIFEST, manifest.to_json())
    _write_atomic(partial / BUILD_INFO, json.dumps(info.to_json(), indent=2, ensure_ascii=False, default=str))
    final = partial.with_name(partial.name.removesuffix(PARTIAL))
    os.replace(partial, final)
    _fsync_dir(final.parent)
    return final


def switch_to(index_dir: Path, build_path: Path) -> None:
    """Make ``build_path`` the current build, atomically."""
    _write_atomic(index_dir / CURRENT, f"builds/{build_path.name}\n")


def current_build(index_dir: Path) -> Build:
    """Return the current build.

    :raises NoIndex: when the directory holds no complete build.
    """
    pointer = Path(index_dir) / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise NoIndex(f"geen index in {index_dir}: bouw er een met 'kennisbank index'") from None
    path = Path(index_dir) / name
    try:
        info = BuildInfo.from_json(json.loads((path / BUILD_INFO).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError):
        raise NoIndex(f"de huidige build {name} in {index_dir} is onvolledig of verdwenen") from None
    return Build(path, info)


def current_marker(index_dir: Path) -> str | None:
    """Return the name of the current build without opening it (cheap, for reload checks)."""
    try:
        return (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def clean_up(index_dir: Path, keep: int = KEEP_BUILDS, skip: Path | None = None) -> list[Path]:
    """Remove partial builds left by killed runs and complete builds beyond ``keep`` old ones.

    :param skip: a partial build that is in progress now and must stay.
    """
    builds = Path(index_dir) / "builds"
    if not builds.is_dir():
        return []
    current = current_marker(index_dir)
    removed = []
    complete = []
    for path in sorted(builds.iterdir()):
        if path == skip:
            continue
        if path.name.endswith(PARTIAL):
            removed.append(path)
        elif f"builds/{path.name}" != current:
            complete.append(path)
    # Builds are named by time, so the oldest come first.
    removed += complete[: max(0, len(complete) - keep)]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def write_json(path: Path, data) -> None:
    """Write JSON to a file atomically (temporary file, fsync, rename)."""
    _write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, default=str))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
