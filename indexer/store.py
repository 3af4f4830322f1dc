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

A complete build records its files' sizes and checksums (``integrity``), and is
verified before it is opened; builds share no files, so damage to one leaves the kept
builds intact to fall back on.
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

from . import integrity
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


class DamagedBuild(IndexStoreError):
    """A build's files are missing, truncated or changed, or Whoosh could not open them."""


#: What opening (and first reading) a damaged Whoosh index raises. Whoosh unpickles its
#: table of contents and unpacks its segments without checking them, so the list is long;
#: UnicodeDecodeError and the zlib and struct errors come from damaged bytes, OSError and
#: EmptyIndexError (a whoosh.index.IndexError) from missing files.
#: What opening a damaged build may raise. Whoosh unpickles its table of contents, and
#: unpickling damaged bytes can raise nearly any exception type: EOFError, struct.error,
#: UnpicklingError, an ImportError for a module name with a flipped byte, Whoosh's own
#: FieldConfigurationError... (400 random damages of a .toc, tests/test_integrity.py).
#: Opening is a boundary: whatever it raises means "this build cannot be used", and the
#: message keeps the exception's type for the log.
OPEN_ERRORS = (Exception,)


@dataclass
class Build:
    """A complete build: its directory and what build.json says of it."""

    path: Path
    info: BuildInfo

    @property
    def id(self) -> str:
        return self.path.name

    def verify(self, checksums: bool = True) -> integrity.Verification:
        """Check the build's files against the sizes and checksums recorded when it was completed."""
        return integrity.verify(self.path, checksums)

    def open(self):
        """Verify the build, then open its Whoosh index.

        Verifying first matters: Whoosh memory-maps segments, and reading past the end of
        a truncated one kills the process (SIGBUS) instead of raising.

        :raises DamagedBuild: when a file is missing, truncated or changed, or Whoosh fails.
        """
        check = self.verify()
        if not check.intact:
            raise DamagedBuild(f"build {self.id} is beschadigd: {check.summary()}")
        try:
            return whoosh_index.open_dir(str(self.path))
        except OPEN_ERRORS as exc:
            raise DamagedBuild(f"build {self.id} kan niet worden geopend: {type(exc).__name__}: {exc}") from exc

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

    A copy, not a hard link: linked builds share one file, so damage to the current
    build's segment would damage every kept build with it, and leave nothing to fall
    back on. The new build records its own checksums when it is completed.
    """
    for item in build.path.iterdir():
        if item.name in (BUILD_INFO, MANIFEST, integrity.CHECKSUMS) or item.name.endswith(".lock"):
            continue
        shutil.copy2(item, partial / item.name)


def complete_build(partial: Path, manifest: Manifest, info: BuildInfo) -> Path:
    """Write pages.json and build.json into a finished partial build and give it its final name."""
    write_json(partial / MANIFEST, manifest.to_json())
    # Recorded before build.json, the last file written: a build that has one is complete.
    integrity.record(partial)
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
    name = current_marker(index_dir)
    if name is None:
        raise NoIndex(f"geen index in {index_dir}: bouw er een met 'kennisbank index'")
    path = Path(index_dir) / name
    if not _names_a_build(name):
        raise DamagedBuild(f"CURRENT in {index_dir} is beschadigd: {name!r} is geen buildnaam")
    try:
        info = BuildInfo.from_json(json.loads((path / BUILD_INFO).read_text(encoding="utf-8")))
    except (FileNotFoundError, NotADirectoryError, ValueError):
        raise NoIndex(f"de huidige build {name} in {index_dir} is onvolledig of verdwenen") from None
    return Build(path, info)


def current_marker(index_dir: Path) -> str | None:
    """Return the name of the current build without opening it (cheap, for reload checks).

    Damaged bytes in CURRENT are replaced rather than raised, so a reader sees a name
    that names no build (and falls back) instead of an exception on every request.
    """
    try:
        return (Path(index_dir) / CURRENT).read_bytes().decode("utf-8", errors="replace").strip()
    except OSError:
        return None


def _names_a_build(name: str) -> bool:
    parts = name.split("/")
    # U+FFFD stands for bytes that were no UTF-8 (see current_marker).
    return (len(parts) == 2 and parts[0] == "builds" and parts[1] not in ("", ".", "..")
            and name.isprintable() and "\ufffd" not in name)


def complete_builds(index_dir: Path) -> list[Path]:
    """Return the complete build directories, newest first."""
    builds = Path(index_dir) / "builds"
    if not builds.is_dir():
        return []
    return sorted((p for p in builds.iterdir() if not p.name.endswith(PARTIAL) and (p / BUILD_INFO).exists()),
                  key=lambda p: p.name, reverse=True)


def read_build(path: Path) -> Build:
    """Return the complete build in ``path``.

    :raises NoIndex: when its build.json is missing or damaged.
    """
    try:
        return Build(path, BuildInfo.from_json(json.loads((path / BUILD_INFO).read_text(encoding="utf-8"))))
    except (OSError, ValueError):
        raise NoIndex(f"build {path.name} is onvolledig of verdwenen") from None


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


@dataclass
class IndexCheck:
    """What ``verify_index`` found: the current build's name (None when CURRENT is unusable) and each build's check."""

    current: str | None
    builds: list[tuple[bool, integrity.Verification]]
    #: Why CURRENT names no usable build, when it does not.
    pointer_problem: str | None = None

    @property
    def current_intact(self) -> bool:
        return self.pointer_problem is None and any(cur and v.intact for cur, v in self.builds)

    @property
    def intact(self) -> bool:
        return self.current_intact and all(v.intact for _, v in self.builds)

    def to_json(self) -> dict:
        return {"current": self.current, "current_intact": self.current_intact, "intact": self.intact,
                "pointer_problem": self.pointer_problem,
                "builds": [v.to_json() | {"current": cur} for cur, v in self.builds]}


def verify_index(index_dir: Path) -> IndexCheck:
    """Verify the current build and the kept ones against their recorded sizes and checksums."""
    current = None
    problem = None
    try:
        current = current_build(index_dir).id
    except IndexStoreError as exc:
        problem = str(exc)
    builds = [(path.name == current, integrity.verify(path)) for path in complete_builds(index_dir)]
    if current is not None and not any(cur for cur, _ in builds):
        problem = f"de huidige build {current} is onvolledig"
    return IndexCheck(current, builds, problem)
