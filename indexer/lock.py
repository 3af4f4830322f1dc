"""One reindex at a time per index directory.

The lock is an advisory ``flock`` on ``INDEX_DIR/.lock``. The kernel releases it when
the holding process ends, however it ends, so a lock left by a killed build is stale by
construction: the next build finds the file unlocked and takes it over. The file's text
(pid, host, start time) only serves the message for a second build.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".lock"


class Locked(Exception):
    """Another reindex holds the lock."""


@contextmanager
def index_lock(index_dir: Path):
    """Hold the index directory's lock for the duration of the block.

    :raises Locked: when another process holds it; the message says which.
    :yields: True when a stale lock of a killed process was taken over.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Locked(_holder_message(path)) from None
        stale = os.fstat(fd).st_size > 0
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }).encode())
        try:
            yield stale
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder_message(path: Path) -> str:
    try:
        holder = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        holder = {}
    who = f"proces {holder.get('pid', '?')} op {holder.get('host', '?')}, gestart {holder.get('started', '?')}"
    return f"er loopt al een herindexering ({who}); probeer het opnieuw als die klaar is"


def running_build(index_dir: Path) -> str | None:
    """Return a message naming the reindex that holds the lock now, or None when none does."""
    path = Path(index_dir) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder_message(path)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
