"""Run every benchmark and print one summary: indexing, search in process, search over HTTP,
the tantivy reference on the same pages and queries, the Dutch analysis, the costliest
requests and the search log under a flood.

Usage:
    python bench/run.py --quick     # about a minute: small corpora, short HTTP runs (CI runs this)
    python bench/run.py             # the full run: 10,000 and 100,000 generated pages (by hand)

Needs: pip install -c constraints.txt -e '.[bench]', and wrk from the system packages. Results are written
as JSON to bench/results/ (summary.json holds everything); none of this is a test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import http_load, indexing, querylog_report, search_latency, tantivy_ref, worst_requests  # noqa: E402
from bench.common import ROOT, machine, table, write_json  # noqa: E402
from bench.queries import query_set  # noqa: E402

TARGETS = {
    "search_p50_ms_10k": 10, "search_p95_ms_10k": 30, "search_p95_ms_100k": 150,
    "http_p95_ms_8": 50, "http_share_of_floor_8": 0.4, "build_pages_per_s": 150, "build_100k_s": 900,
    "incremental_s": 2,
}


def generate(pages: int, out: Path, seed: int = 1) -> Path:
    if not (out.exists() and sum(1 for _ in out.rglob("*.html")) == pages):
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "indexer", "generate-corpus", "--pages", str(pages), "--out", str(out),
                        "--seed", str(seed)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return out


def analyzer_figures() -> dict:
    ud = ROOT.parent / "shared" / "data" / "ud-dutch"
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "lemma_accuracy.py"), "--ud", str(ud),
                          "--json", str(ROOT / "bench" / "results" / "analysis.json")],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        return {"skipped": out.stderr.strip()[-300:] or out.stdout.strip()[-300:]}
    print(out.stdout)
    import json

    return json.loads((ROOT / "bench" / "results" / "analysis.json").read_text())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kennisbank-bench"))
    args = ap.parse_args(argv)
    work = args.workdir / ("quick" if args.quick else "full")
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary: dict = {"machine": machine(), "mode": "quick" if args.quick else "full"}

    sizes = [1000] if args.quick else [10_000, 100_000]
    corpora = {"corpus": ROOT / "corpus"}
    for n in sizes:
        corpora[f"gen{n}"] = generate(n, work / f"gen{n}")

    # 1. Indexing: single process and both cores; one incremental update of the middle size.
    summary["indexing"] = {}
    for name, path in corpora.items():
        procs = [2] if args.quick and name != "corpus" else [1, 2]
        summary["indexing"][name] = indexing.run(path, work, procs, incremental=(name == f"gen{sizes[0]}"))
    print(table("Indexing (full builds)", [r for v in summary["indexing"].values() for r in v["builds"]],
                ["source", "procs", "pages", "seconds", "pages_per_s", "peak_rss_mb", "index_mb"]))
    inc = summary["indexing"][f"gen{sizes[0]}"]["incremental"]
    print(table(f"Incremental reindex of gen{sizes[0]}, one page changed", [inc], list(inc)))

    # 2. Search in process, cold and warm, on each generated index.
    queries = 210
    summary["search"] = {}
    for n in sizes:
        ix = work / f"ix-gen{n}-p2"
        summary["search"][f"gen{n}"] = search_latency.run(ix, queries, repeat=2 if args.quick else 3)
    print(table("Search library (facets, snippets, first page)",
                [{"index": k, "pass": p, **v[p]} for k, v in summary["search"].items() for p in ("cold", "warm")],
                ["index", "pass", "n", "p50_ms", "p95_ms", "p99_ms"]))

    # 3. HTTP, production server, on the first generated index.
    # Twice: with the result cache (the default; the query set repeats, so after the warm-up
    # every search is a cache hit) and without it (every request searched afresh).
    seconds = 2 if args.quick else 20
    for label, cache in (("http", True), ("http_uncached", False)):
        summary[label] = http_load.run(work / f"ix-gen{sizes[0]}-p2", seconds=seconds, result_cache=cache)
        print(table(f"HTTP (gunicorn 2 workers, wrk, {seconds} s per run, result cache {'on' if cache else 'off'})",
                    summary[label]["runs"],
                    ["endpoint", "connections", "requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors", "share_of_floor"]))

    # 4. The reference engine on the same pages and queries.
    summary["tantivy"] = tantivy_ref.run(corpora[f"gen{sizes[0]}"], query_set(queries), work / "tantivy",
                                         repeat=2 if args.quick else 3)
    ours_build = next(r for r in summary["indexing"][f"gen{sizes[0]}"]["builds"] if r["procs"] == 2)
    ours_search = summary["search"][f"gen{sizes[0]}"]["warm"]
    tv = summary["tantivy"]
    tv_pages_per_s = tv["pages"] / max(tv["index_seconds"] + tv["analysis_seconds"], 1e-9)
    ratios = {
        "search_p50": round(ours_search["p50_ms"] / max(tv["warm"]["p50_ms"], 1e-6), 1),
        "search_p95": round(ours_search["p95_ms"] / max(tv["warm"]["p95_ms"], 1e-6), 1),
        "indexing_pages_per_s (same analysis)": round(ours_build["pages_per_s"] / tv_pages_per_s, 2),
    }
    summary["ratios_to_tantivy"] = ratios
    print(table(f"Ratios to tantivy (gen{sizes[0]}; ours / tantivy)", [ratios], list(ratios)))

    # 5. The Dutch analysis.
    summary["analysis"] = analyzer_figures()

    # 6. The costliest requests (CPU per request) and the search log under a flood (issue 17).
    # Quick mode: a long page of 90 KB instead of 900 KB, one timing per request, 2,000 searches.
    summary["worst_requests"] = worst_requests.run(sizes[0], work, repeats=1 if args.quick else 3,
                                                   big_chars=90_000 if args.quick else worst_requests.BIG_CHARS)
    print(table(f"Worst requests, CPU ms (gen{sizes[0]})", summary["worst_requests"]["requests"],
                ["request", "status", "cpu_ms"]))
    summary["querylog"] = querylog_report.run(2_000 if args.quick else 20_000)
    print(table("Search log under a flood", summary["querylog"]["floods"],
                ["flood", "searches", "report_cpu_ms", "record_cpu_ms", "log_mb"]))

    summary["seconds"] = round(time.perf_counter() - started, 1)
    path = write_json("summary" + ("-quick" if args.quick else ""), summary)
    print(f"wrote {path} in {summary['seconds']} s")


if __name__ == "__main__":
    main()
