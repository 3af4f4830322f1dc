"""Pool unjudged pages for re-judging after the corpus grew: the top 10 of the engine and of the baseline.

The judged sets grade the pages that existed when they were written (a page they do not
list was judged 0). New pages that
either system puts in its top 10 for a query are pooled (as TREC does) and handed to a
judge who sees the query and the pages, in a shuffled order, never the ranking or the code.

Usage:
    python bench/pool.py OUT.jsonl --since COMMIT [--index DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT  # noqa: E402
from bench.relevance import CUTOFF, DATA, Engine, PlainBM25, load  # noqa: E402
from indexer import build_index  # noqa: E402
from indexer.sources import Rejected, parse_pages, scan_sources  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--index", type=Path)
    ap.add_argument("--since", required=True, help="the commit whose corpus the judges graded; only pages added "
                    "after it are pooled (the judges graded every older page: unlisted means 0)")
    args = ap.parse_args(argv)
    sources = [ROOT / "corpus"]
    pages = {p.id: p for p in parse_pages(scan_sources(sources), "https://kennisbank.example.nl/")
             if not isinstance(p, Rejected)}
    known = set(subprocess.run(["git", "ls-tree", "-r", "--name-only", args.since, "corpus/"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.split())
    old = {p.removeprefix("corpus/").removesuffix(".html") for p in known}
    queries = load(sorted(p.stem for p in DATA.glob("*.jsonl")))
    rng = random.Random(20261202)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index or Path(tmp) / "index"
        if args.index is None:
            build_index(sources, index_dir)
        systems = [Engine(index_dir, ROOT / "corpus" / "synoniemen.txt"), PlainBM25(sources)]
        total = 0
        with args.out.open("w", encoding="utf-8") as out:
            for q in queries:
                pool = []
                for system in systems:
                    ranked, _ = system.run(q["query"])
                    pool += [d for d in ranked[:CUTOFF] if d not in q["judgements"] and d not in old and d not in pool]
                rng.shuffle(pool)
                total += len(pool)
                out.write(json.dumps({"id": q["id"], "query": q["query"], "kind": q["kind"], "candidates": [
                    {"id": d, "title": pages[d].title, "type": pages[d].type, "summary": pages[d].summary,
                     "short_answer": pages[d].short_answer} for d in pool if d in pages]}, ensure_ascii=False) + "\n")
    print(f"{len(queries)} queries, {total} pairs to judge")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
