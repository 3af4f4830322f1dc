"""The search log keeps a bounded form of each search, summed per day, and still reports correct counts."""

from __future__ import annotations

import json
import sqlite3
import time

from indexer.querylog import MAX_FILTER_VALUES, MAX_QUERY_CHARS, MAX_ROWS_PER_DAY, MAX_VALUE_CHARS, QueryLog
from webapp import create_app

from conftest import TEST_SETTINGS

LONG_THEMES = [f"thema-{i}-" + "x" * 170 for i in range(20)]


def stored_rows(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT query, filters, searches FROM search_days").fetchall()


def test_a_flooded_search_is_stored_bounded_and_once(tmp_path):
    log = QueryLog(tmp_path / "log.sqlite3")
    for _ in range(300):
        log.record("woorden " * 300, {"thema": LONG_THEMES, "sector": ["po"], "min_bewijskracht": 3}, 0)
    [(query, filters, searches)] = stored_rows(tmp_path / "log.sqlite3")
    assert len(query) <= MAX_QUERY_CHARS and searches == 300
    themes = json.loads(filters)["thema"]
    assert len(themes) == MAX_FILTER_VALUES and all(len(t) <= MAX_VALUE_CHARS for t in themes)
    assert json.loads(filters)["min_bewijskracht"] == 3
    [stat] = log.report()["zonder_resultaten"]
    assert stat.searches == 300 and stat.filters["sector"] == ["po"]


def test_the_report_counts_zero_few_and_all_with_the_last_total(tmp_path):
    log = QueryLog(tmp_path / "log.sqlite3")
    now = time.time()
    for total, ago in [(0, 3), (0, 2), (1, 1), (7, 0.5)]:
        log.record("rekenangst", {}, total, at=now - ago * 86400)
    log.record("pesten", {}, 2, at=now - 40 * 86400)  # outside the 30 days
    report = log.report(since_days=30)
    assert [(q.query, q.searches, q.last_total) for q in report["meest_gezocht"]] == [("rekenangst", 4, 7)]
    assert [(q.query, q.searches) for q in report["zonder_resultaten"]] == [("rekenangst", 2)]
    assert [(q.query, q.searches) for q in report["weinig_resultaten"]] == [("rekenangst", 1)]
    assert log.traffic(since_days=30) == {"web": 4, "api": 0}
    assert [q.query for q in log.report(since_days=60)["weinig_resultaten"]] == ["pesten", "rekenangst"]


def test_a_day_keeps_a_bounded_number_of_distinct_searches_but_counts_them_all(tmp_path):
    log = QueryLog(tmp_path / "log.sqlite3")
    for i in range(MAX_ROWS_PER_DAY + 20):
        log.record(f"vraag {i}", {}, 0)
    log.record("vraag 1", {}, 0)  # a known search is still counted
    assert len(stored_rows(tmp_path / "log.sqlite3")) == MAX_ROWS_PER_DAY
    assert log.traffic()["web"] == MAX_ROWS_PER_DAY + 21
    assert log.report(limit=1)["meest_gezocht"][0].query == "vraag 1"


def test_a_flood_through_the_results_page_stores_one_bounded_row(sample_index, tmp_path):
    app = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, query_log=tmp_path / "log.sqlite3",
                     request_log=False, ratelimit_enabled=False)
    client = app.test_client()
    for _ in range(5):
        assert client.get("/zoeken", query_string=[("q", "leerling"), *[("thema", t) for t in LONG_THEMES]]).status_code == 200
    [(query, filters, searches)] = stored_rows(tmp_path / "log.sqlite3")
    assert query == "leerling" and searches == 5
    assert len(filters) < 400


def test_an_old_log_of_single_searches_is_summed_into_days(tmp_path):

    db = sqlite3.connect(tmp_path / "oud.sqlite3")
    db.execute("CREATE TABLE searches (at REAL, query TEXT, filters TEXT, total INTEGER, source TEXT)")
    now = time.time()
    rows = [(now - 3, "Oude  Vraag", '{"sector": ["po"]}', 0, "web"), (now - 2, "oude vraag", '{"sector": ["po"]}', 0, "web"),
            (now - 1, "oude vraag", '{"sector": ["po"]}', 2, "web"), (now, "andere", "{}", 9, "api"),
            (now, "kapot", "geen json", 0, "web")]
    db.executemany("INSERT INTO searches VALUES (?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    log = QueryLog(tmp_path / "oud.sqlite3")
    [stat] = log.report()["meest_gezocht"][:1]
    assert (stat.query, stat.searches, stat.last_total, stat.filters) == ("oude vraag", 3, 2, {"sector": ["po"]})
    assert [(s.query, s.searches) for s in log.report()["zonder_resultaten"]] == [("oude vraag", 2)]
    assert [(s.query, s.searches) for s in log.report()["weinig_resultaten"]] == [("oude vraag", 1)]
    assert log.traffic() == {"web": 3, "api": 1}  # the search whose filters were not JSON is dropped
