"""Indexing benchmark: pages per second and peak memory of full builds, and one incremental update.

Usage: python bench/indexing.py SOURCE [--procs 1 2] [--incremental]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import run_child, table, write_json  # noqa: E402

BUILD = """
import json, resource, sys, time
from pathlib import Path
from indexer import build_index
src, ix, procs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
report = build_index([src], ix, procs=procs, full=True)
seconds = time.perf_counter() - t
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
size = sum(f.stat().st_size for f in (ix / "builds" / report.build).iterdir())
print(json.dumps({"pages": report.indexed, "seconds": round(seconds, 2), "pages_per_s": round(report.indexed / seconds, 1),
                  "peak_rss_mb": round(max(own, children) / 1024), "index_mb": round(size / 2**20, 1),
                  "exit_code": report.exit_code}))
"""

INCREMENTAL = """
import json, sys, time, subprocess
from pathlib import Path
from indexer.sources import scan_sources
src, ix = Path(sys.argv[1]), Path(sys.argv[2])
page = scan_sources([src])[0].path
text = page.read_text(encoding="utf-8")
page.write_text(text.replace("</main>", "<p>Een kleine correctie van de redactie.</p></main>", 1), encoding="utf-8")
t = time.perf_counter()
out = subprocess.run([sys.executable, "-m", "indexer", "index", str(src), "--index", str(ix), "--json"], capture_output=True, text=True)
seconds = time.perf_counter() - t
page.write_text(text, encoding="utf-8")
report = json.loads(out.stdout)
print(json.dumps({"changed_pages": len(report["updated"]), "unchanged": report["unchanged"], "end_to_end_s": round(seconds, 2),
                  "library_s": report["duration"]}))
"""


def run(source: Path, workdir: Path, procs: list[int], incremental: bool = False) -> dict:
    rows = []
    for p in procs:
        ix = workdir / f"ix-{source.name}-p{p}"
        result = run_child(BUILD, str(source), str(ix), str(p))
        rows.append({"source": source.name, "procs": p, **result})
    out = {"builds": rows}
    if incremental:
        ix = workdir / f"ix-{source.name}-p{procs[-1]}"
        out["incremental"] = run_child(INCREMENTAL, str(source), str(ix))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("--procs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--incremental", action="store_true")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kennisbank-bench"))
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    result = run(args.source, args.workdir, args.procs, args.incremental)
    print(table("Indexing", result["builds"], ["source", "procs", "pages", "seconds", "pages_per_s", "peak_rss_mb", "index_mb"]))
    if "incremental" in result:
        print(table("Incremental reindex, one page changed", [result["incremental"]], list(result["incremental"])))
    write_json(f"indexing-{args.source.name}", result)


if __name__ == "__main__":
    main()
