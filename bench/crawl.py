"""Crawl benchmark: a generated site served on loopback, crawled once, then re-crawled unchanged.

The re-crawl is timed twice: with lastmod in the sitemap (no page is requested) and
without (every page is asked for conditionally and answers 304). The goal is a re-crawl
in under a tenth of the first crawl's time. The rate limit is lifted (--rate), since the
polite default of 2 requests per second would measure the limit, not the crawler.

Usage: python bench/crawl.py [--pages 2000] [--rate 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, machine, table, write_json  # noqa: E402
from indexer import build_index  # noqa: E402
from indexer.fetch import Politeness  # noqa: E402
from indexer.localsite import LocalSite  # noqa: E402


def timed_crawl(site: LocalSite, index_dir: Path, politeness: Politeness) -> dict:
    before = len(site.requests)
    start = time.perf_counter()
    report = build_index([site.url + "/sitemap.xml"], index_dir, politeness=politeness)
    seconds = time.perf_counter() - start
    return {"pages": report.indexed, "seconds": round(seconds, 2), "pages_per_s": round(report.indexed / seconds, 1),
            "requests": len(site.requests) - before, "http": report.http, "exit_code": report.exit_code}


def run(pages: int, rate: float, workdir: Path) -> dict:
    folder = workdir / "site"
    subprocess.run([sys.executable, "-m", "indexer", "generate-corpus", "--pages", str(pages), "--out", str(folder)],
                   cwd=ROOT, check=True, capture_output=True)
    politeness = Politeness(rate=rate, timeout=10)
    rows = {}
    with LocalSite(folder, lastmod=False) as site:
        rows["first crawl"] = timed_crawl(site, workdir / "ix", politeness)
        rows["re-crawl, 304s"] = timed_crawl(site, workdir / "ix", politeness)
        site.lastmod = True
        # The first crawl with lastmod records it; the one after is the unchanged re-crawl with lastmod.
        timed_crawl(site, workdir / "ix", politeness)
        rows["re-crawl, lastmod"] = timed_crawl(site, workdir / "ix", politeness)
    first = rows["first crawl"]["seconds"]
    for row in rows.values():
        row["share_of_first"] = round(row["seconds"] / first, 3)
    return {"machine": machine(), "pages": pages, "rate": rate, "crawls": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=1000.0, help="requests per second per host")
    parser.add_argument("--keep", type=Path, help="work in this folder instead of a temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        result = run(args.pages, args.rate, workdir)
    rows = [{"crawl": name, **{k: v for k, v in row.items() if k != "http"}} for name, row in result["crawls"].items()]
    print(table(f"Crawl of {args.pages} generated pages from a loopback server", rows,
                ["crawl", "pages", "seconds", "pages_per_s", "requests", "share_of_first", "exit_code"]))
    print(f"written to {write_json('crawl', result)}")


if __name__ == "__main__":
    main()
