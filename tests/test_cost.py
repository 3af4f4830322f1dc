"""The cost budget of a request: each limit answers a clear 400, and the costly help runs once.

Timings are not tested here; bench/worst_requests.py measures what each request costs.
"""

from __future__ import annotations

import pytest

from indexer.results import MAX_PHRASES, MAX_QUERY_WORDS, MAX_RESULTS, MAX_SUGGEST_CHARS, SearchResult
from indexer.search import searching


def phrases(n: int) -> str:
    return " ".join(f'"woorden leren {i}"' for i in range(n))


def error(response) -> dict:
    assert response.status_code == 400 and response.is_json
    return response.get_json()["error"]


# -- the limits, on the API -------------------------------------------------------------

def test_too_many_phrases_is_refused_naming_q(client):
    assert client.get("/api/search", query_string={"q": phrases(MAX_PHRASES)}).status_code == 200
    body = error(client.get("/api/search", query_string={"q": phrases(MAX_PHRASES + 1)}))
    assert body["parameter"] == "q"
    assert "aanhalingstekens" in body["message"] and str(MAX_PHRASES) in body["message"]


def test_too_many_words_is_refused_naming_q(client):
    words = " ".join(f"woord{i}" for i in range(MAX_QUERY_WORDS + 1))
    body = error(client.get("/api/search", query_string={"q": words}))
    assert body["parameter"] == "q" and str(MAX_QUERY_WORDS) in body["message"]
    assert client.get("/api/search", query_string={"q": " ".join(words.split()[:MAX_QUERY_WORDS])}).status_code == 200


def test_words_of_phrases_and_exclusions_count(client):
    half = MAX_QUERY_WORDS // 2
    query = " ".join(f'"lezen{i} schrijven{i}"' for i in range(2)) + " " + " ".join(f"-w{i}" for i in range(half * 2))
    assert error(client.get("/api/search", query_string={"q": query}))["parameter"] == "q"


@pytest.mark.parametrize("page,per_page", [(1000, 100), (11, 100), (101, 10), (1001, 1)])
def test_paging_beyond_the_result_limit_is_refused_naming_page(client, page, per_page):
    body = error(client.get("/api/search", query_string={"q": "leerling", "page": page, "per_page": per_page}))
    assert body["parameter"] == "page" and str(MAX_RESULTS) in body["message"]


def test_paging_up_to_the_result_limit_is_allowed(client):
    assert client.get("/api/search?q=leerling&page=10&per_page=100").status_code == 200
    assert client.get("/api/search?q=leerling&page=1000&per_page=1").status_code == 200


def test_result_pages_stop_at_the_limit():
    result = SearchResult(query="", total=50_000, page=1, per_page=10, results=[], facets={})
    assert result.pages == MAX_RESULTS // 10


def test_long_suggest_prefix_is_refused_naming_q(client):
    assert client.get("/api/suggest", query_string={"q": "a" * MAX_SUGGEST_CHARS}).status_code == 200
    body = error(client.get("/api/suggest", query_string={"q": "a " * MAX_SUGGEST_CHARS}))
    assert body["parameter"] == "q" and str(MAX_SUGGEST_CHARS) in body["message"]


def test_limits_are_in_the_openapi_document(client):
    spec = client.get("/api/openapi.json").get_json()
    search = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert search["q"]["schema"]["x-maxPhrases"] == MAX_PHRASES
    assert search["q"]["schema"]["x-maxWords"] == MAX_QUERY_WORDS
    assert search["page"]["schema"]["x-maxResults"] == MAX_RESULTS
    suggest = {p["name"]: p for p in spec["paths"]["/api/suggest"]["get"]["parameters"]}
    assert suggest["q"]["schema"]["maxLength"] == MAX_SUGGEST_CHARS


# -- the limits, on the results page -------------------------------------------------------

@pytest.mark.parametrize("query,words", [
    ({"q": phrases(MAX_PHRASES + 1)}, "aanhalingstekens"),
    ({"q": "leerling", "page": 1000, "per_page": 100}, "eerste 1000 resultaten"),
])
def test_results_page_says_in_dutch_what_is_too_much(client, query, words):
    r = client.get("/zoeken", query_string=query)
    assert r.status_code == 400 and r.mimetype == "text/html"
    text = r.get_data(as_text=True)
    assert "Pas je zoekvraag aan" in text and words in text and "Traceback" not in text


# -- the zero-result help runs once ------------------------------------------------------

THEMES = ["woordenschat", "rekenonderwijs", "feedback", "zittenblijven", "huiswerk", "leesmotivatie",
          *(f"thema-{i}" for i in range(14))]


def test_zero_results_with_many_filters_search_once(client, monkeypatch):
    calls = []
    real = searching.spelling.corrections
    monkeypatch.setattr(searching.spelling, "corrections", lambda *a: calls.append(1) or real(*a))
    r = client.get("/zoeken", query_string=[("q", "huiswerk"), ("sector", "ho"), *[("thema", t) for t in THEMES]])
    assert r.status_code == 200
    assert len(calls) == 1
    text = r.get_data(as_text=True)
    # Without the sector filter, the page on homework is found again.
    assert "Zonder het filter Sector: " in text and "1 resultaat" in text


def test_api_says_what_each_filter_costs_on_zero_results(client):
    data = client.get("/api/search?q=huiswerk&sector=ho&thema=huiswerk&thema=feedback").get_json()
    assert data["total"] == 0
    widening = {(w["filter"], w["value"]): w["total"] for w in data["without_filter"]}
    assert widening[("sector", "ho")] == 1
    assert widening[("thema", "huiswerk")] == 0
    assert client.get("/api/search?q=huiswerk").get_json()["without_filter"] == []


def test_related_pages_read_the_page_description_not_its_whole_text(engine, monkeypatch):
    seen = []
    searcher = engine.snapshot().searcher()
    real = type(searcher).key_terms_from_text
    monkeypatch.setattr(type(searcher), "key_terms_from_text",
                        lambda self, field, text, **kw: seen.append(text) or real(self, field, text, **kw))
    related = engine.document("themas/woordenschat").related
    # The body below the summary is not analysed on a view; the page still has related pages.
    assert seen and all("Leerkrachten bieden" not in text for text in seen)
    assert related


def test_spelling_looks_up_a_few_unknown_words_per_query(engine, monkeypatch):
    from indexer import SearchRequest
    from indexer.search.spelling import MAX_LOOKUPS

    snap = engine.snapshot()
    looked_up = []
    real = snap.spelling_candidates
    monkeypatch.setattr(snap, "spelling_candidates", lambda word, distance: looked_up.append(word) or real(word, distance))
    engine.search(SearchRequest(q="feeback " + " ".join(f"kwizvo{c}" for c in "abcdefghij")))
    assert looked_up[0] == "feeback" and len(looked_up) == MAX_LOOKUPS


def test_deep_pages_follow_the_first_without_gaps_or_repeats(client):
    ids = []
    for page in range(1, 4):
        data = client.get(f"/api/search?q=leerlingen lezen&per_page=3&page={page}").get_json()
        ids += [r["id"] for r in data["results"]]
    whole = [r["id"] for r in client.get("/api/search?q=leerlingen lezen&per_page=9").get_json()["results"]]
    assert ids == whole


def test_a_long_question_still_gets_its_closest_answers(app):
    from webapp.vraag import closest_answers

    question = 'Hoe helpt "huiswerk" in groep 8 ' + " ".join(["de leerlingen die graag lezen"] * 20) + "?"
    with app.test_request_context("/vraag"):
        assert closest_answers(question)
