"""The reports of past index runs, kept for the editors' status page."""

from __future__ import annotations

import json
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


def load_run(index_dir: Path, run_id: str) -> dict | None:
    """Return a saved run's report, or None."""
    if not run_id.replace("-", "").replace("T", "").isalnum():
        return None
    try:
        return json.loads((Path(index_dir) / RUNS_DIR / f"{run_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def recent_runs(index_dir: Path, limit: int = 10) -> list[dict]:
    """Return the latest run reports, newest first."""
    folder = Path(index_dir) / RUNS_DIR
    reports = []
    for path in sorted(folder.glob("*.json"), reverse=True)[:limit]:
        try:
            reports.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return reports
