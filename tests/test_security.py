"""Limits and protections: rate limits, request size, no secrets in logs."""

import logging

import pytest

from webapp import create_app

from conftest import TEST_SETTINGS

TOKEN = "een-lang-geheim-token"


@pytest.fixture()
def limited(sample_index, tmp_path):
    return create_app(
        TEST_SETTINGS, index_dir=sample_index, synonyms=None, query_log=tmp_path / "log.sqlite3",
        admin_token=TOKEN, rate_limit_api="3 per minute", rate_limit_login="2 per minute",
        rate_limit_pages="4 per minute", session_cookie_secure=False,
    )


def test_api_rate_limit_answers_429_in_json(limited):
    client = limited.test_client()
    assert [client.get("/api/search?q=feedback").status_code for _ in range(3)] == [200, 200, 200]
    r = client.get("/api/search?q=feedback")
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "too_many_requests"
    assert r.headers["Retry-After"]
    # Load balancers' health checks are never limited.
    assert all(client.get("/healthz").status_code == 200 for _ in range(10))


def test_limits_count_per_client_address(limited):
    client = limited.test_client()
    for _ in range(3):
        client.get("/api/facets", environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert client.get("/api/facets", environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 429
    assert client.get("/api/facets", environ_base={"REMOTE_ADDR": "198.51.100.2"}).status_code == 200


def test_login_has_a_stricter_limit(limited):
    client = limited.test_client()
    codes = [client.post("/beheer/inloggen", data={"token": "fout"}).status_code for _ in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429


def test_search_pages_are_limited_with_a_dutch_page(limited):
    client = limited.test_client()
    for _ in range(4):
        client.get("/zoeken?q=x")
    r = client.get("/zoeken?q=x")
    assert r.status_code == 429 and "Te veel verzoeken" in r.get_data(as_text=True)


def test_oversized_requests_are_refused(limited):
    r = limited.test_client().post("/beheer/inloggen", data={"token": "x" * 100_000})
    assert r.status_code == 413


def test_a_very_long_query_is_cut_not_refused(client):
    # 20 characters a word: cut at 500 characters, 25 words remain, within the 32 allowed.
    r = client.get("/api/search?q=" + "leerlingbegeleiding " * 1000)
    assert r.status_code == 200 and len(r.get_json()["query"]) <= 500


def test_a_long_query_of_many_words_is_refused_after_the_cut(client):
    r = client.get("/api/search?q=" + "leerling " * 1000)
    assert r.status_code == 400 and r.get_json()["error"]["parameter"] == "q"


def test_the_token_never_appears_in_the_request_log(sample_index, tmp_path, caplog):
    app = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, admin_token=TOKEN,
                     query_log=tmp_path / "l.sqlite3", ratelimit_enabled=False)
    logger = logging.getLogger("kennisbank.requests")
    logger.propagate = True
    try:
        with caplog.at_level(logging.INFO, logger="kennisbank.requests"):
            client = app.test_client()
            client.get(f"/api/reindex/x?token={TOKEN}", headers={"Authorization": f"Bearer {TOKEN}"})
            client.get("/beheer", headers={"Authorization": f"Bearer {TOKEN}"})
    finally:
        logger.propagate = False
    assert caplog.records, "requests should be logged"
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    assert '"path": "/beheer"' in caplog.records[-1].getMessage()


def test_requests_are_logged_as_json_lines_with_duration(sample_index, tmp_path, caplog):
    import json

    app = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, query_log=tmp_path / "l.sqlite3",
                     ratelimit_enabled=False)
    logger = logging.getLogger("kennisbank.requests")
    logger.propagate = True
    try:
        with caplog.at_level(logging.INFO, logger="kennisbank.requests"):
            app.test_client().get("/api/search?q=feedback")
    finally:
        logger.propagate = False
    line = json.loads(caplog.records[-1].getMessage())
    assert line["path"] == "/api/search" and line["status"] == 200 and line["duration_ms"] >= 0
    assert "q=" not in caplog.records[-1].getMessage()
