"""Relevance on judged teacher queries: the engine next to a plain BM25 without Dutch analysis.

The judged set (bench/data/relevance/set_*.jsonl) was written and graded from the corpus
pages alone, before the engine ran on it, by judges who had not seen the engine's code:
2 = the page the teacher wants, 1 = useful, unlisted = 0. Queries come in six kinds
plus queries that no page answers. The tuning half is every odd-numbered query, the
held-out half every even-numbered one; both are reported. The team's older 60-query set
(bench/data/relevance/team60.jsonl, one grade per listed page) is reported as well.

Measures, per kind, at a cut-off of 10 results:
  nDCG@10  graded gain 2^g - 1, ideal from all judged pages
  P@1      the first result is relevant (grade >= 1)
  hit@3    a grade-2 page is among the first three
  MRR@10   1 / rank of the first relevant result
  zero     share of answerable queries that found nothing
and, for the queries without an answer, how many the engine flags with no_good_match.

The baseline is what a search box gets without any Dutch analysis: Whoosh's
StandardAnalyzer, BM25F over title, summary and body, the words ORed.

Usage:
    python bench/relevance.py [--half tune|test|all] [--set NAME] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, write_json  # noqa: E402
from indexer import SearchEngine, SearchRequest, build_index  # noqa: E402
from indexer.sources import Rejected, parse_pages, scan_sources  # noqa: E402

DATA = ROOT / "bench" / "data" / "relevance"
KINDS = ("keyword", "question", "wording", "inflection", "typo", "filter")
CUTOFF = 10


def load(names: list[str]) -> list[dict]:
    queries = []
    for name in names:
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                queries.append(json.loads(line))
    return queries


def half_of(query: dict) -> str:
    """Return 'tune' for odd-numbered queries and 'test' for even-numbered ones."""
    number = int("".join(ch for ch in query["id"] if ch.isdigit()))
    return "tune" if number % 2 else "test"


# -- measures -----------------------------------------------------------------------


def ndcg(ranked: list[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def measures(ranked: list[str], grades: dict[str, int]) -> dict:
    first = next((i for i, d in enumerate(ranked[:CUTOFF]) if grades.get(d, 0) >= 1), None)
    return {
        "ndcg10": ndcg(ranked, grades),
        "p1": float(bool(ranked) and grades.get(ranked[0], 0) >= 1),
        "hit3": float(any(grades.get(d, 0) == 2 for d in ranked[:3])),
        "mrr10": 0.0 if first is None else 1 / (first + 1),
        "zero": float(not ranked),
    }


def summarize(rows: list[dict]) -> dict:
    out = {"n": len(rows)}
    for m in ("ndcg10", "p1", "hit3", "mrr10", "zero"):
        out[m] = round(sum(r[m] for r in rows) / len(rows), 3) if rows else None
    return out


# -- the two systems ------------------------------------------------------------------


class Engine:
    name = "kennisbank"

    def __init__(self, index_dir: Path, synonyms: Path):
        self.engine = SearchEngine(index_dir, synonyms_path=synonyms)

    def run(self, query: str) -> tuple[list[str], dict]:
        result = self.engine.search(SearchRequest(q=query, per_page=CUTOFF))
        return [h.id for h in result.results], {"no_good_match": result.no_good_match,
                                                  "query_used": result.query_used}


class PlainBM25:
    """Whoosh's StandardAnalyzer and BM25F over title, summary and body, words ORed."""

    name = "plain BM25"

    def __init__(self, sources: list[Path]):
        from whoosh import fields, qparser
        from whoosh.analysis import StandardAnalyzer
        from whoosh.filedb.filestore import RamStorage

        schema = fields.Schema(id=fields.ID(stored=True), title=fields.TEXT(analyzer=StandardAnalyzer()),
                               summary=fields.TEXT(analyzer=StandardAnalyzer()),
                               body=fields.TEXT(analyzer=StandardAnalyzer()))
        self.ix = RamStorage().create_index(schema)
        with self.ix.writer() as w:
            for page in parse_pages(scan_sources(sources), "https://kennisbank.example.nl/"):
                if isinstance(page, Rejected):
                    continue
                w.add_document(id=page.id, title=page.title, summary=page.summary, body=page.body)
        self.parser = qparser.MultifieldParser(["title", "summary", "body"], schema, group=qparser.OrGroup)
        self.searcher = self.ix.searcher()

    def run(self, query: str) -> tuple[list[str], dict]:
        words = " ".join(w for w in query.replace('"', " ").split() if w.upper() not in {"AND", "OR", "NOT"})
        q = self.parser.parse(words)
        return [hit["id"] for hit in self.searcher.search(q, limit=CUTOFF)], {}


# -- the run --------------------------------------------------------------------------


def evaluate(system, queries: list[dict]) -> tuple[list[dict], list[dict]]:
    rows, misses = [], []
    for q in queries:
        ranked, extra = system.run(q["query"])
        if q["kind"] == "noanswer":
            rows.append({"id": q["id"], "kind": "noanswer", "half": half_of(q), "flagged": bool(extra.get("no_good_match")),
                         "found": len(ranked)})
            continue
        grades = q["judgements"]
        row = {"id": q["id"], "kind": q["kind"], "half": half_of(q), **measures(ranked, grades)}
        rows.append(row)
        if row["p1"] < 1:
            misses.append({"id": q["id"], "query": q["query"], "top3": ranked[:3], "wanted": grades, **extra})
    return rows, misses


def report(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["kind"] != "noanswer"]
    out = {"all": summarize(answerable)}
    for kind in KINDS:
        out[kind] = summarize([r for r in answerable if r["kind"] == kind])
    none = [r for r in rows if r["kind"] == "noanswer"]
    out["noanswer"] = {"n": len(none), "flagged": sum(r["flagged"] for r in none)}
    return out


def print_table(title: str, ours: dict, base: dict) -> None:
    print(f"\n{title}")
    print("| kind | n | nDCG@10 | P@1 | hit@3 | MRR@10 | zero | baseline nDCG@10 | baseline P@1 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind in ("all", *KINDS):
        o, b = ours.get(kind), base.get(kind)
        if not o or not o["n"]:
            continue
        print(f"| {kind} | {o['n']} | {o['ndcg10']:.2f} | {o['p1']:.2f} | {o['hit3']:.2f} | {o['mrr10']:.2f} | "
              f"{o['zero']:.1%} | {b['ndcg10']:.2f} | {b['p1']:.2f} |")
    na = ours.get("noanswer")
    if na and na["n"]:
        print(f"| no answer | {na['n']} | flagged no_good_match: {na['flagged']} of {na['n']} | | | | | | |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--half", choices=["tune", "test", "all"], default="all")
    ap.add_argument("--set", action="append", help="judged set names (default: set_a, set_b)")
    ap.add_argument("--index", type=Path, help="use this index instead of building the corpus into a temp dir")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)

    sources = [ROOT / "corpus"]
    synonyms = ROOT / "corpus" / "synoniemen.txt"
    names = args.set or sorted(p.stem for p in DATA.glob("set_*.jsonl"))
    queries = load(names)
    team = load(["team60"]) if (DATA / "team60.jsonl").exists() else []
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index or Path(tmp) / "index"
        if args.index is None:
            build_index(sources, index_dir)
        systems = [Engine(index_dir, synonyms), PlainBM25(sources)]
        results = {}
        for system in systems:
            rows, misses = evaluate(system, queries)
            team_rows, _ = evaluate(system, team)
            results[system.name] = {"rows": rows, "misses": misses, "team60": report(team_rows)}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    ours, base = results["kennisbank"], results["plain BM25"]
    halves = ("tune", "test") if args.half == "all" else (args.half,)
    summary = {"commit": commit, "sets": names}
    for half in (*halves, "all") if args.half == "all" else halves:
        pick = (lambda r: True) if half == "all" else (lambda r, h=half: r["half"] == h)
        o = report([r for r in ours["rows"] if pick(r)])
        b = report([r for r in base["rows"] if pick(r)])
        summary[half] = {"kennisbank": o, "baseline": b}
        print_table(f"{half} half ({', '.join(names)}; commit {commit})" if half != "all" else
                    f"both halves ({', '.join(names)}; commit {commit})", o, b)
    if team:
        summary["team60"] = {"kennisbank": ours["team60"], "baseline": base["team60"]}
        print_table("team's older 60-query set (tuned on by the first version)", ours["team60"], base["team60"])
    if args.show_misses:
        print("\nqueries whose first result is not relevant:")
        for m in ours["misses"]:
            if args.half == "all" or half_of(m) == args.half:
                print(json.dumps(m, ensure_ascii=False))
    write_json("relevance", {**summary, "rows": ours["rows"], "baseline_rows": base["rows"]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
