"""HTTP benchmark: the JSON API served the production way (gunicorn, 2 workers), loaded by wrk.

Usage: python bench/http_load.py INDEX_DIR [--seconds 20] [--connections 1 8 32]

The same load on /healthz gives the floor that the web stack itself costs. wrk comes from
the system packages (apt-get install wrk); each run is bounded by --seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, table, write_json  # noqa: E402
from bench.queries import query_set  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(url: str, paths_file: Path, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(ROOT / "bench" / "wrk_queries.lua"), url, "--", str(paths_file)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_server(index_dir: Path, workers: int = 2, **env: str) -> tuple[subprocess.Popen, str, Path]:
    """Start `kennisbank serve` (gunicorn) on a free port; return it once /healthz answers."""
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="kb-http-"))
    server = subprocess.Popen(
        [sys.executable, "-m", "kennisbank", "serve", "--index", str(index_dir), "--port", str(port),
         "--workers", str(workers), "--synonyms", str(ROOT / "corpus" / "synoniemen.txt")],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONPATH=str(ROOT), KENNISBANK_REQUEST_LOG="false", KENNISBANK_RATELIMIT_ENABLED="false",
                 **{f"KENNISBANK_{k}": v for k, v in env.items()}),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return server, base, workdir
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.2)


def run(index_dir: Path, seconds: int = 20, connections=(1, 8, 32), workers: int = 2, result_cache: bool = True) -> dict:
    """Load the API; with result_cache=False every request is searched afresh (RESULT_CACHE=0)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    server, base, workdir = start_server(index_dir, workers, RESULT_CACHE="2048" if result_cache else "0")
    try:
        search_paths = workdir / "search.txt"
        search_paths.write_text("\n".join("/api/search?" + urlencode(q, doseq=True) for q in query_set(210)) + "\n")
        health_paths = workdir / "health.txt"
        health_paths.write_text("/healthz\n")
        # Warm every worker's caches (posting lists, results), as on a site that has been
        # running for a while: enough connections that both workers serve the whole set.
        _wrk(base, search_paths, 8, max(5, seconds // 2))
        rows = []
        for c in connections:
            for name, paths in (("search", search_paths), ("healthz", health_paths)):
                rows.append({"endpoint": name, "connections": c, **_wrk(base, paths, c, seconds)})
    finally:
        server.terminate()
        server.wait(timeout=20)
    for row in rows:
        if row["endpoint"] == "search":
            floor = next(r for r in rows if r["endpoint"] == "healthz" and r["connections"] == row["connections"])
            row["share_of_floor"] = round(row["rps"] / floor["rps"], 3)
    return {"workers": workers, "seconds": seconds, "result_cache": result_cache, "runs": rows}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index", type=Path)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--no-cache", action="store_true", help="turn the result cache off")
    args = ap.parse_args(argv)
    r = run(args.index, args.seconds, args.connections, result_cache=not args.no_cache)
    print(table(f"HTTP, gunicorn {r['workers']} workers, {r['seconds']} s per run", r["runs"],
                ["endpoint", "connections", "requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors", "non_2xx", "share_of_floor"]))
    write_json(f"http-{args.index.name}", r)


if __name__ == "__main__":
    main()
