"""Small things a visitor notices: an icon in the tab, filters in any case, no stray Retry-After."""

import pytest

from webapp import create_app

from conftest import TEST_SETTINGS


def test_every_page_has_an_icon_and_the_old_address_finds_it(client):
    html = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in html and "favicon.svg" in html
    r = client.get("/favicon.ico")
    assert r.status_code == 301
    icon = client.get(r.headers["Location"])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


@pytest.mark.parametrize("url", ["/api/search?sector=PO", "/api/search?sector=Po&type=Interventie", "/api/search?sort=DATE"])
def test_filter_values_are_accepted_in_any_case(client, url):
    lower = client.get(url.lower()).get_json()
    r = client.get(url)
    assert r.status_code == 200
    assert r.get_json()["total"] == lower["total"] > 0


def test_the_results_page_reads_upper_case_filters_too(client):
    html = client.get("/zoeken?sector=PO").get_data(as_text=True)
    assert 'id="f-sector-po" name="sector" value="po" checked' in html


def test_retry_after_only_on_a_refusal(sample_index, tmp_path):
    app = create_app(TEST_SETTINGS, index_dir=sample_index, synonyms=None, query_log=None,
                     rate_limit_api="2 per minute")
    client = app.test_client()
    ok = client.get("/api/search?q=feedback")
    assert ok.status_code == 200 and "Retry-After" not in ok.headers
    client.get("/api/search?q=feedback")
    refused = client.get("/api/search?q=feedback")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
