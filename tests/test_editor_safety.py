"""What keeps editors from publishing wrong figures, and what /beheer tells them afterwards."""

import re
import time

import pytest

from indexer import SearchEngine, build_index
from indexer.querylog import QueryLog
from webapp import create_app

from conftest import TEST_SETTINGS, page_html, write_pages

TOKEN = "token-voor-redacteuren"


def feedback(impact: str, text: str = "Feedback gaat over de taak.") -> str:
    return page_html("Feedback", f"<p>{text}</p>", type="interventie", impact=impact, kosten="1", bewijskracht="4")


def test_an_intervention_with_invalid_figures_keeps_its_last_good_version(tmp_path):
    src = write_pages(tmp_path / "src", {"interventies/feedback.html": feedback("+6")})
    build_index([src], tmp_path / "ix")
    write_pages(src, {"interventies/feedback.html": feedback("zes", "Nieuwe tekst die nog niet mag verschijnen.")})
    report = build_index([src], tmp_path / "ix")
    assert report.exit_code == 1
    [kept] = report.kept
    assert kept.path.endswith("feedback.html") and "ongeldige cijfers" in kept.reason and "'zes'" in kept.reason
    doc = SearchEngine(tmp_path / "ix").document("interventies/feedback")
    assert doc.impact == 6 and "Nieuwe tekst" not in doc.body


def test_a_new_intervention_with_invalid_figures_is_rejected(tmp_path):
    src = write_pages(tmp_path / "src", {
        "interventies/feedback.html": feedback("+6"),
        "interventies/duur.html": page_html("Duur", "<p>Tekst.</p>", type="interventie", impact="+2", kosten="9"),
    })
    report = build_index([src], tmp_path / "ix")
    assert [(r.path.rsplit("/", 1)[-1], "kb:kosten '9'" in r.reason) for r in report.rejected] == [("duur.html", True)]
    assert SearchEngine(tmp_path / "ix").health().documents == 1


def test_warnings_stay_in_each_run_report_until_the_page_is_fixed(tmp_path):
    src = write_pages(tmp_path / "src", {"themas/a.html": page_html("A", "<p>Tekst.</p>", sectors="universiteit")})
    build_index([src], tmp_path / "ix")
    again = build_index([src], tmp_path / "ix")
    assert again.unchanged == 1 and any("universiteit" in w.reason for w in again.warnings)
    write_pages(src, {"themas/a.html": page_html("A", "<p>Tekst.</p>", sectors="po")})
    assert build_index([src], tmp_path / "ix").warnings == []


@pytest.fixture()
def editor(tmp_path):
    src = write_pages(tmp_path / "src", {
        "interventies/feedback.html": feedback("+6"),
        "themas/a.html": page_html("Sectorloos", "<p>Leerlingen lezen.</p>", sectors="universiteit"),
    })
    build_index([src], tmp_path / "ix")
    write_pages(src, {"interventies/feedback.html": feedback("veel")})
    build_index([src], tmp_path / "ix")
    app = create_app(TEST_SETTINGS, index_dir=tmp_path / "ix", sources=[src], synonyms=None, admin_token=TOKEN,
                     query_log=tmp_path / "log.sqlite3", request_log=False, session_cookie_secure=False)
    return app, src, tmp_path


BEARER = {"Authorization": f"Bearer {TOKEN}"}


def test_beheer_lists_kept_pages_and_warnings_of_the_last_run(editor):
    app, _, _ = editor
    html = app.test_client().get("/beheer", headers=BEARER).get_data(as_text=True)
    section = html.split('id="herstellen-kop"')[1].split("</section>")[0]
    assert "Vorige versie behouden (1)" in section and "feedback.html" in section and "impact &#39;veel&#39;" in section
    assert "Waarschuwingen (1)" in section and "universiteit" in section


def test_a_second_reindex_while_one_runs_is_refused_with_409(editor, monkeypatch):
    app, _, _ = editor
    import webapp.beheer as beheer

    started = []

    def slow_build(*args, **kwargs):
        started.append(1)
        time.sleep(1.0)

    monkeypatch.setattr(beheer, "build_index", slow_build)
    client = app.test_client()
    first = client.post("/api/reindex", headers=BEARER)
    assert first.status_code == 202
    second = client.post("/api/reindex", headers=BEARER)
    assert second.status_code == 409
    assert "er loopt al een herindexering" in second.get_json()["error"]["message"]
    time.sleep(1.2)
    assert started == [1]


def test_the_reindex_button_says_started_and_then_the_outcome(editor):
    app, _, _ = editor
    client = app.test_client()
    login = client.get("/beheer").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
    client.post("/beheer/inloggen", data={"token": TOKEN, "csrf": csrf})
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/beheer").get_data(as_text=True)).group(1)
    r = client.post("/beheer/herindexeren", data={"csrf": csrf})
    assert r.status_code == 302 and "run=" in r.headers["Location"]
    status = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Herindexering gestart" in status or "Herindexering klaar" in status
    deadline = time.monotonic() + 60
    while "Herindexering klaar" not in status and time.monotonic() < deadline:
        time.sleep(0.2)
        status = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Herindexering klaar: 0 nieuw, 0 gewijzigd, 0 verwijderd, 1 behouden" in status


def test_the_search_report_counts_web_searches_with_their_filters_and_api_traffic_apart(editor):
    app, _, tmp_path = editor
    client = app.test_client()
    client.get("/zoeken?q=rekenangst&sector=po")
    client.get("/zoeken?q=rekenangst&sector=po")
    client.get("/zoeken?q=rekenangst")
    for _ in range(5):
        client.get("/api/search?q=robotverkeer")
    log = QueryLog(tmp_path / "log.sqlite3")
    rows = [(q.query, q.filters, q.searches) for q in log.report()["meest_gezocht"]]
    assert rows == [("rekenangst", {"sector": ["po"]}, 2), ("rekenangst", {}, 1)]
    assert log.traffic() == {"web": 3, "api": 5}
    html = client.get("/beheer", headers=BEARER).get_data(as_text=True)
    assert "robotverkeer" not in html
    assert "Via de API (andere systemen, niet in de tabellen hieronder): 5" in html
    assert "<td>Sector: po</td>" in html


def test_a_search_log_from_before_sources_still_opens_and_counts_as_web(tmp_path):
    import sqlite3

    db = sqlite3.connect(tmp_path / "oud.sqlite3")
    db.execute("CREATE TABLE searches (at REAL NOT NULL, query TEXT NOT NULL, filters TEXT NOT NULL, total INTEGER NOT NULL)")
    db.execute("INSERT INTO searches VALUES (?, 'oude vraag', '{}', 0)", (time.time(),))
    db.commit()
    db.close()
    log = QueryLog(tmp_path / "oud.sqlite3")
    log.record("nieuwe vraag", {}, 0, source="api")
    assert [q.query for q in log.report()["zonder_resultaten"]] == ["oude vraag"]
    assert log.traffic() == {"web": 1, "api": 1}


def test_checking_the_sources_reports_invalid_figures_as_a_refusal(tmp_path):
    from indexer import check_sources

    src = write_pages(tmp_path / "src", {"interventies/feedback.html": feedback("zes"),
                                         "interventies/goed.html": feedback("+6")})
    report = check_sources([src])
    assert report.exit_code == 1 and report.indexed == 1
    assert "ongeldige cijfers: impact 'zes' is geen aantal maanden" in report.rejected[0].reason
