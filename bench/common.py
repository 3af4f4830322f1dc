"""Small helpers shared by the benchmark scripts: percentiles, tables, JSON, child processes."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def percentiles(ms: list[float]) -> dict:
    a = np.asarray(ms, dtype=float)
    return {"n": int(a.size), "p50_ms": round(float(np.percentile(a, 50)), 2),
            "p95_ms": round(float(np.percentile(a, 95)), 2), "p99_ms": round(float(np.percentile(a, 99)), 2)}


def machine() -> dict:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cores": os.cpu_count(), "memory_gib": round(mem, 1), "python": platform.python_version(),
            "platform": platform.platform(), "date": datetime.now(UTC).isoformat(timespec="seconds")}


def table(title: str, rows: list[dict], columns: list[str]) -> str:
    """Return rows as a plain-text table (what each script prints)."""
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns} if rows else {c: len(c) for c in columns}
    lines = [title, "  ".join(c.ljust(widths[c]) for c in columns), "  ".join("-" * widths[c] for c in columns)]
    lines += ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join(lines)


def write_json(name: str, data) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return path


def run_child(code: str, *args: str, root: Path = ROOT) -> dict:
    """Run Python code in a fresh process (cold caches, own memory peak); it prints one JSON line.

    :param root: the checkout whose code the child imports (another one gives "before" figures).
    """
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=root, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(root)))
    if out.returncode != 0:
        raise RuntimeError(f"child failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
