"""In-process search benchmark: latency of the search library over the fixed query set, cold and warm.

Usage: python bench/search_latency.py INDEX_DIR [--queries 210] [--repeat 3]

Every request asks for what the web page shows: all four facets with counts, snippets,
the first page of 10. "Cold" is the first pass in a fresh process (the index just
opened, no posting list cached); "warm" the passes after it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import run_child, table, write_json  # noqa: E402

CHILD = """
import json, sys, time
from indexer import SearchEngine, SearchRequest
from bench.queries import query_set
ix, n, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter(); engine = SearchEngine(ix); engine.state(); open_s = time.perf_counter() - t
passes = []
totals = 0
for _ in range(repeat):
    ms = []
    for params in query_set(n):
        t = time.perf_counter()
        r = engine.search(SearchRequest(**params))
        ms.append((time.perf_counter() - t) * 1000)
        totals += r.total > 0
    passes.append(ms)
print(json.dumps({"open_s": round(open_s, 2), "passes": passes, "with_results": totals // repeat,
                  "documents": engine.health().documents}))
"""


def run(index_dir: Path, n: int = 210, repeat: int = 3) -> dict:
    from bench.common import percentiles

    data = run_child(CHILD, str(index_dir), str(n), str(repeat))
    warm = [x for p in data["passes"][1:] for x in p]
    return {"documents": data["documents"], "queries": n, "open_s": data["open_s"],
            "queries_with_results": data["with_results"],
            "cold": percentiles(data["passes"][0]), "warm": percentiles(warm)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index", type=Path)
    ap.add_argument("--queries", type=int, default=210)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    r = run(args.index, args.queries, args.repeat)
    rows = [{"pass": k, "documents": r["documents"], **r[k]} for k in ("cold", "warm")]
    print(table(f"Search library ({r['queries']} queries, facets and snippets; index opened in {r['open_s']} s)",
                rows, ["pass", "documents", "n", "p50_ms", "p95_ms", "p99_ms"]))
    write_json(f"search-{args.index.name}", r)


if __name__ == "__main__":
    main()
