"""The editors' side: token protection, reindexing over HTTP, the status page and the search report."""

import re
import time

import pytest
from click.testing import CliRunner

from indexer import build_index
from indexer import runs as run_reports
from indexer.cli import cli
from indexer.querylog import QueryLog
from webapp import create_app

from conftest import TEST_SETTINGS, page_html, write_pages

TOKEN = "geheim-token-voor-tests"


@pytest.fixture()
def editor(tmp_path):
    src = write_pages(tmp_path / "src", {"themas/a.html": page_html("Eerste pagina", "<p>Leerlingen lezen.</p>")})
    build_index([src], tmp_path / "ix")
    app = create_app(
        TEST_SETTINGS, index_dir=tmp_path / "ix", sources=[src], synonyms=None, admin_token=TOKEN,
        query_log=tmp_path / "log.sqlite3", request_log=False, session_cookie_secure=False,
    )
    return app, src, tmp_path


def bearer(token=TOKEN):
    return {"Authorization": f"Bearer {token}"}


def wait_for(client, url, headers):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        data = client.get(url, headers=headers).get_json()
        if data["state"] != "running":
            return data
        time.sleep(0.1)
    raise AssertionError("reindex did not finish")


def test_reindex_over_http_makes_a_new_page_searchable(editor):
    app, src, _ = editor
    client = app.test_client()
    write_pages(src, {"themas/b.html": page_html("Tweede pagina", "<p>Nieuw gepubliceerd.</p>")})
    r = client.post("/api/reindex", headers=bearer())
    assert r.status_code == 202
    report = wait_for(client, r.get_json()["url"], bearer())
    assert report["state"] == "done" and report["added"] == ["themas/b"]
    titles = [h["title"] for h in client.get("/api/search?q=gepubliceerd").get_json()["results"]]
    assert titles == ["Tweede pagina"]


@pytest.mark.parametrize("headers", [{}, bearer("fout"), {"Authorization": "Basic eDp5"}, {"Authorization": "Bearer "}])
def test_reindex_without_the_right_token_is_refused(editor, headers):
    app, _, _ = editor
    client = app.test_client()
    r = client.post("/api/reindex", headers=headers)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/api/reindex/x", headers=headers).status_code == 401


def test_without_a_configured_token_the_editor_side_does_not_exist(sample_index):
    client = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, request_log=False).test_client()
    assert client.post("/api/reindex", headers=bearer()).status_code == 404
    assert client.get("/beheer").status_code == 404
    assert client.post("/beheer/inloggen", data={"token": TOKEN}).status_code == 404


def test_unknown_run_is_404(editor):
    app, _, _ = editor
    assert app.test_client().get("/api/reindex/20200101T000000000000-abcdef", headers=bearer()).status_code == 404


def test_status_page_asks_for_login_and_shows_status_after_it(editor):
    app, _, _ = editor
    client = app.test_client()
    page = client.get("/beheer").get_data(as_text=True)
    assert "Beheertoken" in page and "Laatste indexeringen" not in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    wrong = client.post("/beheer/inloggen", data={"token": "fout", "csrf": csrf})
    assert wrong.status_code == 401 and "klopt niet" in wrong.get_data(as_text=True)
    right = client.post("/beheer/inloggen", data={"token": TOKEN, "csrf": csrf})
    assert right.status_code == 302
    status = client.get("/beheer").get_data(as_text=True)
    assert "Laatste indexeringen" in status
    assert "1 pagina&#39;s" in status or "1 pagina's" in status


def test_login_without_csrf_token_is_refused(editor):
    app, _, _ = editor
    client = app.test_client()
    client.get("/beheer")
    r = client.post("/beheer/inloggen", data={"token": TOKEN})
    assert r.status_code == 400
    assert "Laatste indexeringen" not in client.get("/beheer").get_data(as_text=True)


def login(client):
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/beheer").get_data(as_text=True)).group(1)
    assert client.post("/beheer/inloggen", data={"token": TOKEN, "csrf": csrf}).status_code == 302
    return csrf


def test_the_reindex_form_without_login_is_refused(editor):
    app, _, _ = editor
    client = app.test_client()
    client.get("/beheer")
    with client.session_transaction() as sess:
        csrf = sess["csrf"]
    runs = run_count(editor)
    assert client.post("/beheer/herindexeren", data={"csrf": csrf}).status_code == 401
    assert run_count(editor) == runs


def test_the_api_takes_the_token_not_the_login_session(editor):
    app, _, _ = editor
    client = app.test_client()
    login(client)
    assert "Laatste indexeringen" in client.get("/beheer").get_data(as_text=True)
    runs = run_count(editor)
    r = client.post("/api/reindex")
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    assert run_count(editor) == runs


def run_count(editor) -> int:
    _, _, tmp_path = editor
    return len(run_reports.recent_runs(tmp_path / "ix", limit=100))


def test_status_page_with_bearer_token(editor):
    app, _, _ = editor
    page = app.test_client().get("/beheer", headers=bearer()).get_data(as_text=True)
    assert "Wat zoeken leraren?" in page
    assert "spacy-blank-nl" in page or "nl_core_news_sm" in page


def test_session_cookie_is_httponly_and_samesite(sample_index):
    app = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, admin_token=TOKEN, request_log=False)
    cookie = app.test_client().get("/beheer").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie


def test_searches_are_logged_without_personal_data_and_reported(editor):
    app, _, tmp_path = editor
    client = app.test_client()
    for q in ["leerlingen", "leerlingen", "rekenangst", "Rekenangst ", "rekenangst", "ai in de klas"]:
        client.get(f"/zoeken?q={q}", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    client.get("/zoeken?q=rekenangst&page=2")  # paging is no new question
    client.get("/api/search")  # browsing is no question at all
    report = QueryLog(tmp_path / "log.sqlite3").report()
    assert [(q.query, q.searches) for q in report["zonder_resultaten"]] == [("rekenangst", 3), ("ai in de klas", 1)]
    assert report["meest_gezocht"][0].query == "rekenangst"
    raw = (tmp_path / "log.sqlite3").read_bytes()
    assert b"203.0.113.7" not in raw
    page = client.get("/beheer", headers=bearer()).get_data(as_text=True)
    assert "rekenangst" in page


def test_report_queries_on_the_command_line(editor):
    app, _, tmp_path = editor
    client = app.test_client()
    for q in ["rekenangst", "rekenangst", "leerlingen"]:
        client.get(f"/zoeken?q={q}")
    result = CliRunner().invoke(cli, ["report", "queries", "--log", str(tmp_path / "log.sqlite3"), "--since", "30d"])
    assert result.exit_code == 0
    zero = result.output.split("Zonder resultaten")[1].split("Met weinig")[0]
    assert "2x  rekenangst" in zero and "leerlingen" not in zero


def test_old_searches_fall_outside_the_report_period(tmp_path):
    log = QueryLog(tmp_path / "log.sqlite3")
    log.record("oud", {}, 0, at=time.time() - 60 * 86400)
    log.record("nieuw", {}, 0)
    assert [q.query for q in log.report(since_days=30)["zonder_resultaten"]] == ["nieuw"]
