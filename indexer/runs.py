"""The reports of past index runs, kept for the editors' status page.

A run started from the web is saved as "running" with the process that runs it (pid,
host and the process's start time). That process saves the final report; when it
dies first (killed, out of memory), the report would say "running" forever, so a
running report whose process is gone on this host is read, and saved, as failed.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from datetime import UTC, datetime
from pathlib import Path

from . import store

RUNS_DIR = "runs"
#: Reports kept; older ones are removed when a new run is saved.
KEEP_RUNS = 20


def new_run_id() -> str:
    # Microseconds in the name keep runs of the same second in order.
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]


def save_run(index_dir: Path, report: dict) -> None:
    """Save a run's report and drop the oldest beyond KEEP_RUNS."""
    folder = Path(index_dir) / RUNS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    store.write_json(folder / f"{report['run_id']}.json", report)
    for old in sorted(folder.glob("*.json"))[:-KEEP_RUNS]:
        old.unlink(missing_ok=True)


def running_report(run_id: str, mode: str) -> dict:
    """Return the report of a run that starts now in this process."""
    return {
        "run_id": run_id, "state": "running", "mode": mode,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "pid": os.getpid(), "host": socket.gethostname(), "process_started": process_start(os.getpid()),
    }


def process_start(pid: int) -> str | None:
    """Return when a process started, in clock ticks since boot (Linux), or None when unknown.

    With the pid it names one process: a pid is reused, a start time with it is not.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses; fields after it are plain.
    return stat.rsplit(")", 1)[1].split()[19]


def _process_gone(report: dict) -> bool:
    pid = report.get("pid")
    if not isinstance(pid, int) or report.get("host") != socket.gethostname():
        # A run of another host cannot be checked from here.
        return False
    if report.get("process_started") is not None and Path("/proc/self/stat").exists():
        return process_start(pid) != report["process_started"]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _settle(index_dir: Path, report: dict) -> dict:
    """Return the report, marked and saved as failed when it says running but its process is gone."""
    if report.get("state") != "running" or not _process_gone(report):
        return report
    failed = report | {
        "state": "failed",
        "error": f"het proces van deze herindexering (pid {report['pid']}) is gestopt voordat ze klaar was; "
                 "de vorige index blijft in gebruik",
    }
    path = Path(index_dir) / RUNS_DIR / f"{report['run_id']}.json"
    # The run may have finished in the meantime after all: its own report wins.
    if _read(path) == report:
        store.write_json(path, failed)
    return _read(path) or failed


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_run(index_dir: Path, run_id: str) -> dict | None:
    """Return a saved run's report, or None."""
    if not run_id.replace("-", "").replace("T", "").isalnum():
        return None
    report = _read(Path(index_dir) / RUNS_DIR / f"{run_id}.json")
    return _settle(index_dir, report) if report is not None else None


def recent_runs(index_dir: Path, limit: int = 10) -> list[dict]:
    """Return the latest run reports, newest first."""
    folder = Path(index_dir) / RUNS_DIR
    reports = []
    for path in sorted(folder.glob("*.json"), reverse=True)[:limit]:
        report = _read(path)
        if report is not None:
            reports.append(_settle(index_dir, report))
    return reports
