"""Editors' sessions: logout ends them on the server, they expire, and editors' pages are never cached."""

import re
from datetime import UTC, datetime

import pytest

from indexer import build_index
from indexer.sessions import SessionStore
from webapp import create_app

from conftest import TEST_SETTINGS, page_html, write_pages

TOKEN = "geheim-token-voor-sessies"
COOKIE = "kennisbank_beheer"


@pytest.fixture()
def make_app(tmp_path):
    src = write_pages(tmp_path / "src", {"themas/a.html": page_html("Eerste pagina", "<p>Leerlingen lezen.</p>")})
    build_index([src], tmp_path / "ix")

    def make(**overrides):
        return create_app(TEST_SETTINGS, index_dir=tmp_path / "ix", sources=[src], synonyms=None, admin_token=TOKEN,
                          request_log=False, session_cookie_secure=False, ratelimit_enabled=False,
                          question_store=tmp_path / "vragen.sqlite3", **overrides)

    return make


def csrf_of(client, url="/beheer") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def login(client) -> str:
    """Log in through the form; return the CSRF token of the logged-in session's forms."""
    assert client.post("/beheer/inloggen", data={"token": TOKEN, "csrf": csrf_of(client)}).status_code == 302
    return csrf_of(client)


def logged_in(client) -> bool:
    return "Laatste indexeringen" in client.get("/beheer").get_data(as_text=True)


def test_the_old_cookie_opens_nothing_after_logout(make_app):
    app = make_app()
    editor = app.test_client()
    csrf = login(editor)
    stolen = editor.get_cookie(COOKIE).value
    assert logged_in(editor)
    assert editor.post("/beheer/uitloggen", data={"csrf": csrf}).status_code == 302

    replay = app.test_client()
    replay.set_cookie(COOKIE, stolen)
    assert not logged_in(replay)
    assert replay.get("/beheer/vragen").status_code == 200 and "Beheertoken" in replay.get("/beheer/vragen").get_data(as_text=True)


def test_a_logout_on_one_instance_holds_on_the_others(make_app):
    # Two instances serving one index, as behind the nginx example: the session is theirs together.
    first, second = make_app(), make_app()
    editor = first.test_client()
    csrf = login(editor)
    other = second.test_client()
    other.set_cookie(COOKIE, editor.get_cookie(COOKIE).value)
    assert logged_in(other)
    editor.post("/beheer/uitloggen", data={"csrf": csrf})
    assert not logged_in(other)


def test_a_login_lasts_eight_hours_by_default(make_app):
    editor = make_app().test_client()
    login(editor)
    expires = editor.get_cookie(COOKIE).expires
    hours = (expires - datetime.now(UTC)).total_seconds() / 3600
    assert 7.9 < hours <= 8.0


def test_the_server_forgets_a_session_after_its_lifetime(tmp_path):
    store = SessionStore(tmp_path / "s.sqlite3", lifetime_seconds=8 * 3600)
    sid = store.start(now=1000.0)
    assert store.valid(sid, now=1000.0 + 8 * 3600 - 1)
    assert not store.valid(sid, now=1000.0 + 8 * 3600 + 1)
    assert not store.valid("verzonnen", now=1000.0) and not store.valid(None)


def test_a_session_from_a_restarted_cookie_key_is_not_enough(make_app):
    # A cookie signed with the right key but never started on the server (forged with a leaked key) is refused.
    app = make_app()
    with app.test_request_context():
        from flask import session

        from webapp.beheer import _session_marker

        session["beheer"] = _session_marker(TOKEN)
        session["sid"] = "verzonnen"
        forged = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    client = app.test_client()
    client.set_cookie(COOKIE, forged)
    assert not logged_in(client)


def test_editor_pages_and_answers_are_never_cached(make_app):
    app = make_app()
    anonymous = app.test_client()
    assert anonymous.get("/beheer").headers["Cache-Control"] == "no-store"  # the login form
    editor = app.test_client()
    login(editor)
    for url in ("/beheer", "/beheer/vragen", "/beheer/vragen.csv"):
        assert editor.get(url).headers["Cache-Control"] == "no-store", url
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert api.get("/api/reindex/20200101T000000000000-abcdef", headers=bearer).headers["Cache-Control"] == "no-store"
    assert api.get("/api/reindex/x").headers["Cache-Control"] == "no-store"  # the refusal too
