"""The pages in source folders: which files count, their page ids, and the rule for duplicate ids.

Check, build, the corpus generator and the benchmarks all read pages through
`iter_pages`, so they agree on which file a page id belongs to.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .parse import MAX_PAGE_BYTES, Page, PageError, page_id, parse_page

HTML_SUFFIXES = (".html", ".htm")

#: Called after each file with (files done, files in all, the file's path).
Progress = Callable[[int, int, str], None]


class SourceError(Exception):
    """A source folder that cannot be read at all."""


class Unchanged(Exception):
    """The source vouches that a page is the version already indexed, without giving its bytes again."""


class PageGone(PageError):
    """The source says the page no longer exists (a crawled page's 404 or 410)."""

    def __init__(self, reason: str, confirmed: bool):
        super().__init__(reason)
        #: Whether earlier crawls found it gone too, so that it may leave the index.
        self.confirmed = confirmed


@dataclass
class Rejected:
    """A file and the reason it was not indexed (or a warning about it)."""

    path: str
    reason: str


@dataclass
class SourceFile:
    path: Path
    relpath: str
    source: Path


def scan_sources(sources: list[Path]) -> list[SourceFile]:
    """Return the HTML files below each source folder, in a stable order.

    Links are not followed: a symlink could lead the indexer out of the folder an
    editor meant to publish. The whole list is made first, so a folder that cannot be
    read is reported before anything is written.

    :raises SourceError: when a source is missing or not a readable folder.
    """
    files = []
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
                files.append(SourceFile(path, path.relative_to(source).as_posix(), source))
    return files


def read_page_file(path: Path, limit: int = MAX_PAGE_BYTES) -> bytes:
    """Return the bytes of a regular file of at most limit bytes, judged before it is read.

    The size and kind come from stat, so a 1 GB (sparse) file is refused without being
    read, and a FIFO or device named x.html is never opened: opening a FIFO for reading
    waits for a writer, and would hold the reindex lock forever. The file is opened
    without following links and without blocking, and checked again on the open file,
    in case it was replaced between the two looks.

    :raises PageError: naming what is wrong with the file.
    """
    try:
        _check_file(os.lstat(path), limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise PageError(f"niet te lezen: {exc.strerror or exc}") from None
    try:
        _check_file(os.fstat(fd), limit)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise PageError(f"niet te lezen: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew after the stat
        raise PageError(_too_large(len(data), limit))
    return data


def _check_file(st: os.stat_result, limit: int) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise PageError("symbolische link, niet gevolgd")
    if not stat.S_ISREG(st.st_mode):
        kind = "named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "apparaat of socket"
        raise PageError(f"geen gewoon bestand maar een {kind}, niet gelezen")
    if st.st_size > limit:
        raise PageError(_too_large(st.st_size, limit))


def _too_large(size: int, limit: int) -> str:
    return f"bestand te groot ({size // (1024 * 1024)} MB, maximaal {limit // (1024 * 1024)} MB)"


def _raise(exc: OSError) -> None:
    raise exc


@dataclass
class SourcePage:
    """One file under its page id, read and parsed only when asked (an unchanged page never is)."""

    file: SourceFile
    id: str

    @property
    def path(self) -> str:
        return str(self.file.path)

    @property
    def source(self) -> str:
        return str(self.file.source)

    def read(self) -> bytes:
        """Return the file's bytes; a link, a special file, a file too large or a read error becomes a PageError."""
        return read_page_file(self.file.path)

    def parse(self, base_url: str, data: bytes | None = None) -> Page:
        """Parse the page (reading it first unless ``data`` is given).

        :raises PageError: for every reason the page cannot be used.
        """
        if data is None:
            data = self.read()
        try:
            page = parse_page(data, self.file.relpath, base_url)
        except RecursionError:
            raise PageError("HTML te diep genest") from None
        page.source = self.path
        return page


def iter_pages(files: list[SourceFile], progress: Progress | None = None) -> Iterator[SourcePage | Rejected]:
    """Yield each file as a SourcePage, or as Rejected when an earlier file has the same page id.

    A page id belongs to the first file that has it, whether or not that file turns out
    to be readable: an incremental build decides this before it reads anything, and a
    check must reject what the build would.
    """
    owners: dict[str, str] = {}
    for n, f in enumerate(files, 1):
        pid = page_id(f.relpath)
        if pid in owners:
            yield Rejected(str(f.path), f"zelfde pagina-id '{pid}' als {owners[pid]}")
        else:
            owners[pid] = str(f.path)
            yield SourcePage(f, pid)
        # After the consumer is done with the file, so a progress bar counts finished files.
        if progress:
            progress(n, len(files), str(f.path))


def parse_pages(files: list[SourceFile], base_url: str, progress: Progress | None = None) -> Iterator[Page | Rejected]:
    """Yield every page that parses, and a Rejected with the reason for every file that does not."""
    for item in iter_pages(files, progress):
        if isinstance(item, Rejected):
            yield item
            continue
        try:
            page = item.parse(base_url)
        except PageError as exc:
            yield Rejected(item.path, str(exc))
        else:
            yield page
