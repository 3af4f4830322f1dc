"""Checksums of a build's files: recorded when a build is completed, verified before it is opened.

Whoosh trusts its files. A truncated or deleted segment makes it raise one of a dozen
exception types (EOFError, struct.error, zlib.error, ...), and a memory-mapped segment
that is shorter than its directory says can kill the process with SIGBUS. So a build is
checked before Whoosh sees it: every file's size and SHA-256, as recorded in
``checksums.json`` when the build was completed. This module knows files only, not Whoosh.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

CHECKSUMS = "checksums.json"
ALGORITHM = "sha256"
#: Files a build may change after it is complete, or that say nothing about its content:
#: build.json is validated when it is read, and Whoosh touches its write lock file.
NOT_COVERED = {CHECKSUMS, "build.json"}


def covered(name: str) -> bool:
    """Tell whether a file of a build is recorded in its checksums."""
    return not (name in NOT_COVERED or name.endswith(("WRITELOCK", ".lock", ".tmp")) or name.startswith("."))


def file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, ALGORITHM).hexdigest()


def record(build_dir: Path) -> dict:
    """Write ``checksums.json`` for the files of a build directory and return what it records."""
    files = {}
    for path in sorted(Path(build_dir).iterdir()):
        if path.is_file() and covered(path.name):
            files[path.name] = {"size": path.stat().st_size, ALGORITHM: file_digest(path)}
    data = {"algorithm": ALGORITHM, "files": files}
    tmp = Path(build_dir) / f".{CHECKSUMS}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, Path(build_dir) / CHECKSUMS)
    return data


@dataclass
class Verification:
    """What verifying a build found: the problems (in Dutch; none when intact) and how much was checked."""

    build: str
    problems: list[str] = field(default_factory=list)
    files: int = 0
    #: False for a build made before checksums were recorded: only its structure was checked.
    recorded: bool = True

    @property
    def intact(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return "; ".join(self.problems)

    def to_json(self) -> dict:
        return {"build": self.build, "intact": self.intact, "checksums": self.recorded, "files": self.files,
                "problems": self.problems}


def verify(build_dir: Path, checksums: bool = True) -> Verification:
    """Check a build's files against ``checksums.json``: present, of the recorded size and content.

    Sizes are compared first, so a truncated file is found without reading it.

    :param checksums: also compare the content (reads every file); False compares sizes only.
    """
    build_dir = Path(build_dir)
    result = Verification(build_dir.name)
    try:
        recorded = json.loads((build_dir / CHECKSUMS).read_text(encoding="utf-8"))["files"]
        if not isinstance(recorded, dict):
            raise ValueError("files is geen object")
    except FileNotFoundError:
        result.recorded = False
        return _verify_structure(build_dir, result)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        result.problems.append(f"{CHECKSUMS} is onleesbaar ({type(exc).__name__})")
        return result
    for name, expected in sorted(recorded.items()):
        path = build_dir / name
        result.files += 1
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            result.problems.append(f"{name} ontbreekt")
            continue
        except OSError as exc:
            result.problems.append(f"{name} is onleesbaar: {exc.strerror or exc}")
            continue
        if size != expected.get("size"):
            result.problems.append(f"{name} is {size} bytes, verwacht {expected.get('size')}")
            continue
        if checksums:
            try:
                digest = file_digest(path)
            except OSError as exc:
                result.problems.append(f"{name} is onleesbaar: {exc.strerror or exc}")
                continue
            if digest != expected.get(ALGORITHM):
                result.problems.append(f"{name} heeft een andere inhoud dan bij het bouwen (controlesom wijkt af)")
    return result


def _verify_structure(build_dir: Path, result: Verification) -> Verification:
    # A build of an earlier version has no checksums: check what Whoosh needs at least
    # (a table of contents and a segment); opening it is then the rest of the check.
    try:
        names = [p.name for p in build_dir.iterdir()]
    except OSError as exc:
        result.problems.append(f"de map is onleesbaar: {exc.strerror or exc}")
        return result
    result.files = len(names)
    if not any(n.endswith(".toc") for n in names):
        result.problems.append("de inhoudsopgave (.toc) ontbreekt")
    if not any(n.endswith(".seg") for n in names):
        result.problems.append("er is geen segmentbestand (.seg)")
    return result
