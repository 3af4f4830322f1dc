"""Ranking on judged teacher queries, so that a change that makes search worse fails here.

The judged sets live in bench/data/relevance/ (see bench/relevance.py, which reports
every measure per kind of query next to a plain-BM25 baseline). Here only floors are
checked, set below what the engine measured when they were written, so that they hold
on any machine but catch a real regression.
"""

import pytest

from bench.relevance import load, measures
from indexer import NotFound, SearchRequest

# Runs every judged query against an index of the whole corpus: CI runs it, the inner loop skips it.
pytestmark = pytest.mark.slow

TEAM = load(["team60"])
JUDGED = load(["set_a", "set_b"])


def ranking(engine, query: str) -> list[str]:
    return [h.id for h in engine.search(SearchRequest(q=query, per_page=10)).results]


def test_team_set_top3_hit_rate(corpus_engine):
    misses = {q["query"]: ranking(corpus_engine, q["query"])[:3] for q in TEAM
              if not set(ranking(corpus_engine, q["query"])[:3]) & set(q["judgements"])}
    rate = 1 - len(misses) / len(TEAM)
    print(f"\nteam set top-3 hit rate: {rate:.1%} over {len(TEAM)} queries; misses: {misses}")
    assert len(TEAM) >= 30
    assert rate >= 0.9, misses


def test_judged_set_ranking_floor(corpus_engine):
    rows = [measures(ranking(corpus_engine, q["query"]), q["judgements"]) for q in JUDGED if q["kind"] != "noanswer"]
    ndcg = sum(r["ndcg10"] for r in rows) / len(rows)
    p1 = sum(r["p1"] for r in rows) / len(rows)
    zero = sum(r["zero"] for r in rows) / len(rows)
    print(f"\njudged set: nDCG@10 {ndcg:.3f}, P@1 {p1:.3f}, zero results {zero:.1%} over {len(rows)} queries")
    assert len(rows) >= 150
    assert ndcg >= 0.72 and p1 >= 0.82 and zero <= 0.03


def test_queries_without_an_answer_are_flagged(corpus_engine):
    unanswered = [q for q in JUDGED if q["kind"] == "noanswer"]
    flagged = [q["query"] for q in unanswered
               if corpus_engine.search(SearchRequest(q=q["query"])).no_good_match]
    assert len(unanswered) >= 10
    assert len(flagged) >= 0.8 * len(unanswered), set(q["query"] for q in unanswered) - set(flagged)


@pytest.mark.parametrize("queries", [TEAM, JUDGED], ids=["team", "judged"])
def test_every_judged_page_exists(corpus_engine, queries):
    for q in queries:
        for doc_id in q["judgements"]:
            try:
                corpus_engine.document(doc_id, related=0)
            except NotFound:
                pytest.fail(f"judged page {doc_id} is not in the corpus")
