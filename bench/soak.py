"""Soak run: minutes of the HTTP benchmark's query mix against the production server, with the
server's memory and open file handles sampled, to show they do not grow and nothing fails.

Usage: python bench/soak.py INDEX_DIR [--minutes 5] [--connections 8] [--reindex SOURCE]

With --reindex, the index is rebuilt from SOURCE (incrementally, after touching one page)
once per sample period, so the soak also covers build switches under load. Bounded: it
stops after --minutes. Needs wrk and psutil.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, table, write_json  # noqa: E402
from bench.http_load import _wrk, start_server  # noqa: E402
from bench.queries import query_set  # noqa: E402
from indexer.sources import scan_sources  # noqa: E402


def tree_usage(pid: int) -> tuple[float, int]:
    """Return (resident memory in MB, open file handles) of a process and its children."""
    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    rss = fds = 0
    for p in procs:
        try:
            rss += p.memory_info().rss
            fds += p.num_fds()
        except psutil.NoSuchProcess:
            pass
    return round(rss / 2**20, 1), fds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index", type=Path)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--period", type=int, default=30, help="seconds per sample")
    ap.add_argument("--reindex", type=Path, help="source folder to reindex from once per period")
    args = ap.parse_args(argv)

    server, base, workdir = start_server(args.index)
    rows = []
    try:
        paths = workdir / "paths.txt"
        paths.write_text("\n".join("/api/search?" + urlencode(q, doseq=True) for q in query_set(210)) + "\n")
        end = time.monotonic() + args.minutes * 60
        n = 0
        while time.monotonic() < end:
            reindexed = ""
            if args.reindex:
                page = scan_sources([args.reindex])[n % 50].path
                page.touch()
                text = page.read_text(encoding="utf-8")
                page.write_text(text.replace("</main>", f"<p>soak {n}</p></main>", 1) if "soak" not in text
                                else text, encoding="utf-8")
                out = subprocess.run([sys.executable, "-m", "indexer", "index", str(args.reindex), "--index", str(args.index)],
                                     cwd=ROOT, capture_output=True, text=True)
                reindexed = f"exit {out.returncode}"
            period = int(min(args.period, max(1, end - time.monotonic())))
            result = _wrk(base, paths, args.connections, period)
            rss, fds = tree_usage(server.pid)
            n += 1
            rows.append({"sample": n, "minute": round((args.minutes * 60 - (end - time.monotonic())) / 60, 1),
                         "requests": result["requests"], "rps": result["rps"], "p95_ms": result["p95_ms"],
                         "errors": result["errors"], "non_2xx": result["non_2xx"], "server_rss_mb": rss,
                         "open_fds": fds, "reindex": reindexed})
            print(table("", [rows[-1]], list(rows[-1])).splitlines()[-1], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    summary = {
        "minutes": args.minutes, "connections": args.connections, "samples": rows,
        "requests": sum(r["requests"] for r in rows), "errors": sum(r["errors"] + r["non_2xx"] for r in rows),
        "rss_first_last_mb": [rows[0]["server_rss_mb"], rows[-1]["server_rss_mb"]] if rows else None,
        "fds_first_last": [rows[0]["open_fds"], rows[-1]["open_fds"]] if rows else None,
    }
    print(table(f"Soak: {args.minutes} min at {args.connections} connections", rows, list(rows[0]) if rows else []))
    print(f"requests {summary['requests']}, errors {summary['errors']}, server memory {summary['rss_first_last_mb']} MB, "
          f"open files {summary['fds_first_last']}")
    write_json("soak", summary)


if __name__ == "__main__":
    main()
