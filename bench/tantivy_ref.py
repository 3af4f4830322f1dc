"""Reference-engine benchmark: the same pages and query set in tantivy, for ratios.

Usage: python bench/tantivy_ref.py PAGES_DIR [--queries N] [--repeat R] [--json OUT]

tantivy gets exactly the terms our DutchAnalyzer produces, joined by spaces, in fields
with its "whitespace" tokenizer: it does no analysis of its own, so the figures compare
index and search machinery, not linguistics. Our synonyms, phrase bonus and spelling
suggestions have no counterpart here; the query shape (AND over words, each word an OR
over the four boosted fields, filters as required clauses) mirrors ours.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import tantivy

from indexer.analysis import DutchAnalyzer
from indexer.parse import Page
from indexer.sources import parse_pages, scan_sources

try:
    from bench.queries import query_set
except ImportError:  # bench/ is a namespace package; fall back to loading the file itself
    import importlib.util
    _spec = importlib.util.spec_from_file_location("bench_queries", Path(__file__).with_name("queries.py"))
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    query_set = _mod.query_set

BASE_URL = "https://kennisbank.example.nl/"
# Same fields and boosts as indexer.schema.FIELD_BOOSTS.
BOOSTS = {"title": 4.0, "lead": 2.0, "headings": 1.5, "body": 1.0}
Q, Occur = tantivy.Query, tantivy.Occur


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in BOOSTS:
        # Positions kept, as our Whoosh fields keep them; "whitespace" only splits.
        sb.add_text_field(name, tokenizer_name="whitespace")
    for name in ("type", "sector", "thema"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    # A fast field: the default (fast-field) range query needs it.
    sb.add_integer_field("bewijskracht", indexed=True, fast=True)
    return sb.build()


def page_texts(page) -> dict[str, str]:
    """Return the raw text of each searchable field, composed as indexer.schema does."""
    return {
        "title": page.title,
        "lead": f"{page.summary}\n{page.short_answer}",
        "headings": "\n".join([*page.headings, *(t.label for t in page.themes)]),
        "body": page.body,
    }


def query_words(analyzer, text: str) -> list[str]:
    """Return one term per query word: the whole word, not its compound parts."""
    positions: dict[int, str] = {}
    for t in analyzer(text, positions=True, mode="query"):
        positions.setdefault(t.pos, t.text)  # the first token at a position is the whole word
    return [positions[p] for p in sorted(positions)]


def build_query(schema, words: list[str], spec: dict) -> tantivy.Query:
    clauses = []
    for w in words:
        fields = [(Occur.Should, Q.boost_query(Q.term_query(schema, f, w, index_option="freq"), b))
                  for f, b in BOOSTS.items()]
        clauses.append((Occur.Must, Q.boolean_query(fields)))
    # Filters: term_set_query / range_query score a constant, so they restrict without
    # changing the ranking, like our filter masks.
    for name in ("type", "sector", "thema"):
        if spec.get(name):
            clauses.append((Occur.Must, Q.term_set_query(schema, name, list(spec[name]))))
    if spec.get("min_bewijskracht") is not None:
        clauses.append((Occur.Must, Q.range_query(
            schema, "bewijskracht", tantivy.FieldType.Integer, int(spec["min_bewijskracht"]), None)))
    return Q.boolean_query(clauses) if clauses else Q.all_query()


def percentiles(ms: list[float]) -> dict:
    p50, p95, p99 = np.percentile(np.array(ms), [50, 95, 99])
    return {"p50_ms": round(float(p50), 3), "p95_ms": round(float(p95), 3), "p99_ms": round(float(p99), 3)}


def run(pages_dir: Path, queries: list[dict], workdir: Path, repeat: int = 2) -> dict:
    # Parsing HTML is neither analysis nor indexing: read every page before any clock runs.
    pages = [p for p in parse_pages(scan_sources([Path(pages_dir)]), BASE_URL) if isinstance(p, Page)]
    analyzer = DutchAnalyzer()

    t0 = time.perf_counter()
    analyzed = []
    for p in pages:
        fields = {k: " ".join(t.text for t in analyzer(v)) for k, v in page_texts(p).items()}
        analyzed.append((p, fields))
    analysis_seconds = time.perf_counter() - t0

    schema = build_schema()
    path = Path(workdir) / "tantivy-index"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    # Documents are built before the clock too: index_seconds is tantivy add + commit only.
    docs = []
    for p, fields in analyzed:
        doc = tantivy.Document(id=p.id, type=p.type, **fields)
        for s in p.sectors:
            doc.add_text("sector", s)
        for th in p.themes:
            doc.add_text("thema", th.slug)
        if p.bewijskracht is not None:
            doc.add_integer("bewijskracht", int(p.bewijskracht))
        docs.append(doc)
    index = tantivy.Index(schema, path=str(path), reuse=False)
    t0 = time.perf_counter()
    writer = index.writer()
    for doc in docs:
        writer.add_document(doc)
    writer.commit()
    index_seconds = time.perf_counter() - t0
    # Merges triggered by the commit run in the background; wait for them so every search
    # sees the final segments, and report that time apart.
    writer.wait_merging_threads()
    merge_seconds = time.perf_counter() - t0 - index_seconds

    # Reopen from disk, so the "cold" pass starts with a fresh reader (the OS page cache is
    # still warm from the write, as it is for our engine after a build).
    searcher = tantivy.Index.open(str(path)).searcher()
    # Query analysis happens here, outside the timed section: we time tantivy's own search
    # cost (query construction from terms + search + fetching the ids), not our analyzer.
    prepared = [(query_words(analyzer, spec["q"]), spec) for spec in queries]

    passes, zero = [], 0
    for n in range(repeat):
        times = []
        for words, spec in prepared:
            t0 = time.perf_counter()
            result = searcher.search(build_query(schema, words, spec), limit=10, count=True)
            ids = [searcher.doc(addr).get_first("id") for _, addr in result.hits]
            times.append((time.perf_counter() - t0) * 1000)
            if n == 0 and not ids:
                zero += 1
        passes.append(times)
    return {
        "engine": f"tantivy {importlib.metadata.version('tantivy')}",
        "pages": len(pages),
        "analysis_seconds": round(analysis_seconds, 3),
        "index_seconds": round(index_seconds, 3),
        "merge_seconds": round(merge_seconds, 3),
        "queries": len(queries),
        "zero_hit_queries": zero,
        "cold": percentiles(passes[0]),
        "warm": percentiles([t for p in passes[1:] for t in p]) if repeat > 1 else None,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("--queries", type=int, default=210, help="size of the query set")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the queries (first is cold)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="tantivy-ref-") as tmp:
        r = run(args.pages_dir, query_set(args.queries), Path(tmp), repeat=args.repeat)
    print(f"{r['engine']}: {r['pages']} pages, {r['queries']} queries, {r['zero_hit_queries']} with 0 hits")
    print(f"  analysis (DutchAnalyzer) {r['analysis_seconds']:8.2f} s")
    print(f"  index (add + commit)     {r['index_seconds']:8.2f} s")
    print(f"  {'pass':6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name in ("cold", "warm"):
        if r[name]:
            print(f"  {name:6} " + " ".join(f"{r[name][k]:8.3f}" for k in ("p50_ms", "p95_ms", "p99_ms")))
    if args.json:
        args.json.write_text(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
