"""The search log under a flood: CPU time of the /beheer report and the log's size after 20,000 searches.

Usage:
    python bench/querylog_report.py [--rows 20000] [--code DIR] [--label NAME]

Two floods, as issue 17 describes them: the same search 20,000 times, and 20,000
different searches; every search carries 20 theme values of 180 characters. The report
(``QueryLog.report`` and ``traffic``, what /beheer shows) is timed with
``time.process_time`` in a fresh process. ``--code ../main`` measures another checkout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, run_child, table, write_json  # noqa: E402

CHILD = """
import json, statistics, sys, tempfile, time
from pathlib import Path
from indexer.querylog import QueryLog
rows, floods = int(sys.argv[1]), sys.argv[2].split(",")
themes = [f"thema-{i}-" + "x" * 170 for i in range(20)]
out = []
for flood in floods:
    path = Path(tempfile.mkdtemp()) / "zoeklog.sqlite3"
    log = QueryLog(path)
    t = time.process_time()
    for i in range(rows):
        q = "hoe help ik leerlingen met rekenangst" if flood == "same search" else f"vraag nummer {i} over lezen"
        log.record(q, {"thema": themes, "sector": ["po"]}, i % 3)
    write_ms = (time.process_time() - t) * 1000 / rows
    cpu = []
    for _ in range(3):
        t = time.process_time()
        log.report(since_days=30)
        log.traffic(since_days=30)
        cpu.append((time.process_time() - t) * 1000)
    size = sum(p.stat().st_size for p in path.parent.iterdir())
    out.append({"flood": flood, "searches": rows, "report_cpu_ms": round(statistics.median(cpu), 1),
                "record_cpu_ms": round(write_ms, 3), "log_mb": round(size / 2**20, 1)})
print(json.dumps(out))
"""


FLOODS = ("same search", "different searches")


def run(rows: int, code: Path = ROOT, label: str = "current", floods: tuple[str, ...] = FLOODS) -> dict:
    return {"rows": rows, "code": str(code), "label": label,
            "floods": run_child(CHILD, str(rows), ",".join(floods), root=code)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout whose search log is measured")
    ap.add_argument("--label", default="current", help="names the results file")
    ap.add_argument("--flood", choices=FLOODS, action="append", help="one flood only (repeatable; default both)")
    args = ap.parse_args(argv)
    out = run(args.rows, args.code.resolve(), args.label, tuple(args.flood or FLOODS))
    print(table(f"Search log under a flood of {args.rows} searches ({args.label})", out["floods"],
                ["flood", "searches", "report_cpu_ms", "record_cpu_ms", "log_mb"]))
    write_json(f"querylog_report-{args.label}", out)
    print(json.dumps(out["floods"]))


if __name__ == "__main__":
    main()
