"""What a client's Host header and scheme may and may not steer: redirects, HSTS, the control socket."""

import pytest

from indexer import Settings
from webapp import create_app
from webapp.server import control_socket_path

from conftest import TEST_SETTINGS


@pytest.fixture()
def app(sample_index):
    return create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, request_log=False, ratelimit_enabled=False)


@pytest.mark.parametrize("path, target", [("/pagina//interventies/feedback", "/pagina/interventies/feedback"),
                                          ("/api//search?q=lezen", "/api/search?q=lezen"), ("/favicon.ico", "/static/")])
def test_a_forged_host_does_not_steer_a_redirect(app, path, target):
    r = app.test_client().get(path, headers={"Host": "evil.example"})
    assert r.status_code in (301, 302, 308)
    location = r.headers["Location"]
    assert "evil.example" not in location and location.startswith(target)
    assert not location.startswith("//")


def test_a_redirect_with_a_query_keeps_it_and_stays_on_the_site(app):
    r = app.test_client().get("/pagina//interventies/feedback?x=1", headers={"Host": "evil.example"})
    assert r.headers["Location"] == "/pagina/interventies/feedback?x=1"


def test_hsts_is_sent_over_https_only(app):
    client = app.test_client()
    assert client.get("/healthz", base_url="https://kennisbank.example.nl").headers[
        "Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_hsts_follows_the_proxy_that_says_https_and_can_be_turned_off(sample_index):
    proxied = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, request_log=False, trusted_proxies=1,
                         ratelimit_enabled=False)
    r = proxied.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "max-age=" in r.headers["Strict-Transport-Security"]
    off = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, request_log=False, hsts_max_age=0)
    assert "Strict-Transport-Security" not in off.test_client().get("/healthz", base_url="https://x.nl").headers


def test_each_instance_has_its_own_control_socket(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    first = control_socket_path(Settings(port=8001))
    second = control_socket_path(Settings(port=8002))
    assert first != second and first.parent == second.parent == tmp_path
    assert control_socket_path(Settings(control_socket="")) is None
