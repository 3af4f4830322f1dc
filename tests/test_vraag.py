"""The question form, the questions API and the editors' queue, through the app."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest

from indexer import build_index
from indexer.questions import QuestionStore
from webapp import create_app

from conftest import TEST_SETTINGS, page_html, write_pages

TOKEN = "geheim-token-voor-vragen"
QUESTION = {"vraag": "Helpt huiswerk in groep 8 echt voor rekenen?", "sector": "po", "rol": "leraar",
            "toelichting": "Mijn groep heeft 28 leerlingen.", "email": "juf@school.example"}


def make_app(index_dir, store_path, **overrides):
    settings = dict(index_dir=index_dir, synonyms=None, question_store=store_path, admin_token=TOKEN,
                    request_log=False, session_cookie_secure=False, ratelimit_enabled=False)
    return create_app(TEST_SETTINGS, **{**settings, **overrides})


@pytest.fixture()
def app(sample_index, tmp_path):
    return make_app(sample_index, tmp_path / "vragen.sqlite3")


@pytest.fixture()
def client(app):
    return app.test_client()


def csrf(client, url="/vraag") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def ask(client, **fields):
    data = {**QUESTION, "csrf": csrf(client), "bevestigd": "1", **fields}
    return client.post("/vraag", data={k: v for k, v in data.items() if v is not None})


def stored(app) -> list:
    return app.extensions["kennisbank"].questions.questions()


def bearer():
    return {"Authorization": f"Bearer {TOKEN}"}


# -- Reaching the form -----------------------------------------------------------------


def test_the_search_words_are_carried_into_the_question(client):
    html = client.get("/vraag?q=huiswerk+apps").get_data(as_text=True)
    assert re.search(r'<textarea id="vraag"[^>]*>huiswerk apps</textarea>', html)


@pytest.mark.parametrize("url", ["/zoeken?q=xyzzyqq", "/zoeken?q=huiswerk+telefoonbeleid+ouders+avond"])
def test_a_search_without_a_good_match_offers_the_question_form(client, url):
    html = client.get(url).get_data(as_text=True)
    assert "Stel je vraag aan de Kennisrotonde" in html
    query = url.split("q=")[1]
    assert f'href="/vraag?q={query}"' in html


def test_the_start_page_and_every_kennisrotonde_answer_link_to_the_form(client):
    assert 'href="/vraag"' in client.get("/").get_data(as_text=True)
    assert 'href="/vraag"' in client.get("/pagina/kennisrotonde/huiswerk-groep-8").get_data(as_text=True)
    assert 'href="/vraag"' not in client.get("/pagina/interventies/feedback").get_data(as_text=True)


def test_without_a_question_store_there_is_no_form(sample_index):
    client = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, request_log=False).test_client()
    assert client.get("/vraag").status_code == 404
    assert "Stel je vraag" not in client.get("/").get_data(as_text=True)


# -- Existing answers first --------------------------------------------------------------


def test_without_javascript_existing_answers_come_between_sending_and_confirmation(app, client):
    r = ask(client, bevestigd=None)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Lijkt een van deze antwoorden op je vraag?" in html
    assert 'href="/vraag/gekozen/kennisrotonde/huiswerk-groep-8"' in html
    assert stored(app) == []
    # "Nee, stel mijn vraag" sends the fields back with the confirmation.
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    assert fields["bevestigd"] == "1" and fields["vraag"] == QUESTION["vraag"]
    r = client.post("/vraag", data=fields)
    assert r.status_code == 303 and r.headers["Location"].endswith("/vraag/ontvangen")
    ref = stored(app)[0].ref
    assert ref in client.get("/vraag/ontvangen").get_data(as_text=True)


def test_the_suggestions_while_typing_show_the_closest_answer_first(client):
    html = client.get("/vraag/suggesties?q=huiswerk in groep 8").get_data(as_text=True)
    links = re.findall(r'href="/vraag/gekozen/([^"]+)"', html)
    assert links[0] == "kennisrotonde/huiswerk-groep-8"
    assert client.get("/vraag/suggesties?q=").get_data(as_text=True).strip() == ""


def test_choosing_an_answer_counts_a_referral_and_shows_it(app, client):
    r = client.get("/vraag/gekozen/kennisrotonde/huiswerk-groep-8")
    assert r.status_code == 303 and r.headers["Location"].endswith("/pagina/kennisrotonde/huiswerk-groep-8")
    month = app.extensions["kennisbank"].questions.months()[0]
    assert (month.referrals, month.received) == (1, 0)
    assert client.get("/vraag/gekozen/bestaat/niet").status_code == 404


def test_a_question_keeps_the_searches_of_the_session_that_led_to_it(app, client):
    client.get("/zoeken?q=huiswerk+apps&sector=po")
    client.get("/zoeken?q=huiswerk+telefoon")
    assert ask(client).status_code == 303
    searches = stored(app)[0].searches
    assert [(s.q, s.filters) for s in searches] == [("huiswerk apps", {"sector": ["po"]}), ("huiswerk telefoon", {})]


# -- Validation and spam -----------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "message"), [
    ("vraag", "", "Vul je vraag in."),
    ("vraag", "Te kort?", "te kort"),
    ("vraag", "x" * 2001, "te lang"),
    ("sector", "", "Kies de sector"),
    ("sector", "basisschool", "Kies de sector"),
    ("rol", "", "Kies je rol"),
    ("rol", "directeur", "Kies je rol"),
    ("toelichting", "x" * 2001, "toelichting is te lang"),
    ("email", "geen-adres", "e-mailadres klopt niet"),
])
def test_each_field_is_checked_and_the_error_is_tied_to_it(app, client, field, value, message):
    r = ask(client, **{field: value})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and message in html
    assert f'href="#{field}"' in html  # the error summary leads to the field
    tag = re.search(rf'<(?:textarea|select|input) id="{field}"[^>]*>', html).group()
    assert 'aria-describedby="' in tag and f"{field}-fout" in tag and 'aria-invalid="true"' in tag and "autofocus" in tag
    assert stored(app) == []


def test_the_form_keeps_what_was_typed_after_an_error(client):
    html = ask(client, email="fout").get_data(as_text=True)
    assert QUESTION["vraag"] in html and QUESTION["toelichting"] in html
    assert '<option value="po" selected>' in html


def test_a_form_without_its_csrf_token_is_refused(app, client):
    client.get("/vraag")
    r = client.post("/vraag", data={**QUESTION, "bevestigd": "1"})
    assert r.status_code == 400 and "verlopen" in r.get_data(as_text=True)
    r = client.post("/vraag", data={**QUESTION, "bevestigd": "1", "csrf": "geraden"})
    assert r.status_code == 400
    assert stored(app) == []


def test_a_filled_honeypot_stores_nothing(app, client):
    r = ask(client, website="https://spam.example")
    assert r.status_code == 400
    assert stored(app) == []


def test_questions_per_client_are_limited(sample_index, tmp_path):
    app = make_app(sample_index, tmp_path / "v.sqlite3", ratelimit_enabled=True, rate_limit_questions="2 per hour")
    client = app.test_client()
    # Showing existing answers and sending back errors do not use up the limit.
    assert ask(client, bevestigd=None).status_code == 200
    assert ask(client, sector="").status_code == 400
    assert [ask(client).status_code for _ in range(3)] == [303, 303, 429]
    assert len(stored(app)) == 2
    api = client.post("/api/vragen", json={k: QUESTION[k] for k in ("vraag", "sector", "rol")})
    assert api.status_code == 201  # the API counts on its own
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert ask(other).status_code == 303


# -- The API -----------------------------------------------------------------------------


def test_the_api_takes_a_question_and_answers_its_reference(app, client):
    r = client.post("/api/vragen", json={"vraag": QUESTION["vraag"], "sector": "vo", "rol": "intern-begeleider"})
    assert r.status_code == 201
    ref = r.get_json()["referentie"]
    assert re.fullmatch(r"KR-\d{4}-\d{4}", ref)
    (q,) = stored(app)
    assert (q.ref, q.sector, q.rol, q.email) == (ref, "vo", "intern-begeleider", None)


@pytest.mark.parametrize(("body", "field"), [
    ({"sector": "po", "rol": "leraar"}, "vraag"),
    ({"vraag": "kort", "sector": "po", "rol": "leraar"}, "vraag"),
    ({"vraag": QUESTION["vraag"], "sector": "xx", "rol": "leraar"}, "sector"),
    ({"vraag": QUESTION["vraag"], "sector": "po"}, "rol"),
    ({"vraag": QUESTION["vraag"], "sector": "po", "rol": "leraar", "toelichting": "x" * 2001}, "toelichting"),
    ({"vraag": QUESTION["vraag"], "sector": "po", "rol": "leraar", "email": "nee"}, "email"),
    ({"vraag": 42, "sector": "po", "rol": "leraar"}, "vraag"),
])
def test_the_api_names_the_field_that_is_wrong(app, client, body, field):
    r = client.post("/api/vragen", json=body)
    assert r.status_code == 400
    assert r.get_json()["error"]["parameter"] == field
    assert stored(app) == []


def test_the_api_refuses_a_body_that_is_not_a_json_object(client):
    assert client.post("/api/vragen", data="vraag=x").status_code == 400
    assert client.post("/api/vragen", json=["vraag"]).status_code == 400


def test_the_queue_api_needs_the_editor_token(client):
    client.post("/api/vragen", json={k: QUESTION[k] for k in ("vraag", "sector", "rol")})
    assert client.get("/api/vragen").status_code == 401
    assert client.get("/api/vragen", headers={"Authorization": "Bearer fout"}).status_code == 401
    (q,) = client.get("/api/vragen", headers=bearer()).get_json()["vragen"]
    assert q["vraag"] == QUESTION["vraag"] and q["status"] == "nieuw"


def test_the_openapi_document_describes_the_questions_api(client):
    doc = client.get("/api/openapi.json").get_json()
    assert set(doc["paths"]["/api/vragen"]) == {"get", "post"}
    request = doc["components"]["schemas"]["QuestionRequest"]
    assert request["required"] == ["vraag", "sector", "rol"]
    assert request["properties"]["rol"]["enum"][:2] == ["leraar", "schoolleider"]


# -- The editors' queue --------------------------------------------------------------------


def editor_client(app):
    client = app.test_client()
    client.post("/beheer/inloggen", data={"token": TOKEN, "csrf": csrf(client, "/beheer")})
    return client


def test_the_queue_shows_each_question_with_what_led_to_it(app):
    teacher = app.test_client()
    teacher.get("/zoeken?q=huiswerk+apps&sector=po")
    ask(teacher)
    html = editor_client(app).get("/beheer/vragen").get_data(as_text=True)
    assert QUESTION["vraag"] in html and QUESTION["email"] in html
    assert "Primair onderwijs" in html or "po" in html
    assert "huiswerk apps" in html and "[sector: po]" in html
    assert "nieuw" in html


def test_answering_records_the_page_and_deletes_the_address(app):
    ask(app.test_client())
    ref = stored(app)[0].ref
    editor = editor_client(app)
    token = csrf(editor, "/beheer/vragen")
    # "beantwoord" needs a page, and the page must exist.
    r = editor.post(f"/beheer/vragen/{ref}", data={"csrf": token, "status": "beantwoord"})
    assert r.status_code == 400 and "Geef bij ‘beantwoord’ de pagina" in r.get_data(as_text=True)
    r = editor.post(f"/beheer/vragen/{ref}", data={"csrf": token, "status": "beantwoord", "page_id": "bestaat/niet"})
    assert r.status_code == 400 and "Er is geen pagina" in r.get_data(as_text=True)
    assert stored(app)[0].email == QUESTION["email"]
    # In behandeling keeps the address; closing deletes it.
    editor.post(f"/beheer/vragen/{ref}", data={"csrf": token, "status": "in-behandeling"})
    assert stored(app)[0].email == QUESTION["email"]
    r = editor.post(f"/beheer/vragen/{ref}", data={"csrf": token, "status": "beantwoord",
                                                   "page_id": "kennisrotonde/huiswerk-groep-8"})
    assert r.status_code == 303
    (q,) = stored(app)
    assert (q.status, q.page_id, q.email) == ("beantwoord", "kennisrotonde/huiswerk-groep-8", None)
    html = editor.get("/beheer/vragen").get_data(as_text=True)
    assert QUESTION["email"] not in html and 'href="/pagina/kennisrotonde/huiswerk-groep-8"' in html


@pytest.mark.parametrize("status", ["doorverwezen", "afgewezen"])
def test_every_way_of_closing_deletes_the_address(app, status):
    ask(app.test_client())
    store = app.extensions["kennisbank"].questions
    store.set_status(stored(app)[0].ref, status, "kennisrotonde/leerling-leest" if status == "doorverwezen" else None)
    assert stored(app)[0].email is None


def test_an_address_is_deleted_after_180_days(tmp_path):
    from indexer.questions import validate

    store = QuestionStore(tmp_path / "v.sqlite3")
    start = time.time() - 200 * 86400
    old = store.submit(validate(QUESTION), now=start)
    recent = store.submit(validate(QUESTION), now=start + 100 * 86400)
    assert store.get(old).email == QUESTION["email"]
    emails = {q.ref: q.email for q in store.questions(now=start + 181 * 86400)}
    assert emails == {old: None, recent: QUESTION["email"]}
    assert store.get(old).vraag == QUESTION["vraag"]  # only the address goes


def test_a_status_change_needs_the_editor_and_the_csrf_token(app):
    ask(app.test_client())
    ref = stored(app)[0].ref
    assert app.test_client().post(f"/beheer/vragen/{ref}", data={"status": "afgewezen"}).status_code == 401
    assert editor_client(app).post(f"/beheer/vragen/{ref}", data={"status": "afgewezen"}).status_code == 400
    assert stored(app)[0].status == "nieuw"


def test_the_queue_exports_as_csv(app):
    ask(app.test_client())
    r = editor_client(app).get("/beheer/vragen.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0]["vraag"] == QUESTION["vraag"] and rows[0]["status"] == "nieuw" and rows[0]["email"] == QUESTION["email"]


def test_beheer_shows_the_monthly_numbers(app):
    teacher = app.test_client()
    ask(teacher)
    ask(teacher, vraag="Hoe krijg ik ouders betrokken bij huiswerk?")
    teacher.get("/vraag/gekozen/kennisrotonde/huiswerk-groep-8")
    store = app.extensions["kennisbank"].questions
    store.set_status(stored(app)[-1].ref, "beantwoord", "kennisrotonde/huiswerk-groep-8")  # the first one
    html = editor_client(app).get("/beheer").get_data(as_text=True)
    month = time.strftime("%Y-%m", time.gmtime())
    row = re.search(rf"<tr><td>{month}</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "1", "1"]
    # Words of the question still open, not of the answered one.
    assert "ouders (1)" in row and "rekenen" not in row


# -- Storage -------------------------------------------------------------------------------


def test_questions_survive_a_reindex_and_a_restart(tmp_path):
    src = write_pages(tmp_path / "src", {"kennisrotonde/a.html": page_html("Helpt huiswerk?", "<p>Huiswerk helpt.</p>")})
    build_index([src], tmp_path / "ix")
    store_path = tmp_path / "vragen.sqlite3"
    app = make_app(tmp_path / "ix", store_path, sources=[src])
    client = app.test_client()
    ask(client)
    write_pages(src, {"kennisrotonde/b.html": page_html("Helpt bijles?", "<p>Bijles helpt.</p>")})
    run = client.post("/api/reindex?full=1", headers=bearer()).get_json()
    # A question sent while the reindex runs is stored too.
    during = client.post("/api/vragen", json={"vraag": "Werkt bijles in kleine groepjes?", "sector": "vo", "rol": "leraar"})
    assert during.status_code == 201
    deadline = time.monotonic() + 60
    while client.get(run["url"], headers=bearer()).get_json()["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    restarted = make_app(tmp_path / "ix", store_path).test_client()
    vragen = restarted.get("/api/vragen", headers=bearer()).get_json()["vragen"]
    assert [q["vraag"] for q in vragen] == ["Werkt bijles in kleine groepjes?", QUESTION["vraag"]]


def test_the_store_has_a_schema_version_and_refuses_a_newer_one(tmp_path):
    import sqlite3

    from indexer.questions import SCHEMA_VERSION

    store = QuestionStore(tmp_path / "v.sqlite3")
    assert store.schema_version() == SCHEMA_VERSION
    assert QuestionStore(tmp_path / "v.sqlite3").schema_version() == SCHEMA_VERSION  # reopening migrates nothing
    db = sqlite3.connect(tmp_path / "v.sqlite3")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    with pytest.raises(RuntimeError, match="newer"):
        QuestionStore(tmp_path / "v.sqlite3").questions()
