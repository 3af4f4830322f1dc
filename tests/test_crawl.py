"""Crawling a live site from its sitemap: politely, incrementally, and with the folder's safety rules.

Every test runs a real HTTP server on 127.0.0.1 (indexer.localsite) that serves a page
folder with a generated sitemap, ETags and Last-Modified, as a careful CMS would.
"""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import Settings, build_index, store
from indexer.cli import cli
from indexer.fetch import Fetcher, Politeness
from indexer.localsite import LocalSite

from conftest import CORPUS, SAMPLE_PAGES, TEST_SETTINGS, page_html, write_pages

#: Fast enough for tests; everything else as in production.
FAST = Politeness(rate=200, timeout=0.5, max_wait=2, max_bytes=64 * 1024, contact="redactie@kennisbank.example.nl")


@pytest.fixture()
def site(tmp_path):
    with LocalSite(write_pages(tmp_path / "site", SAMPLE_PAGES)) as served:
        yield served


def crawl(site, index_dir, politeness=FAST, sitemap="/sitemap.xml"):
    return build_index([site.url + sitemap], index_dir, politeness=politeness)


def route(site, path, handler, listed=True):
    site.routes[path] = handler
    if listed:
        site.listed.append(path)


def html_answer(handler, title="Extra pagina", status=200, headers=None):
    handler.answer(status, page_html(title, "<p>Leerlingen lezen elke dag.</p>").encode(), "text/html", headers)


def test_first_crawl_indexes_every_page_as_the_folder_would(site, tmp_path):
    report = crawl(site, tmp_path / "ix")
    assert report.exit_code == 0 and report.build
    assert sorted(report.added) == sorted(p.removesuffix(".html") for p in SAMPLE_PAGES)
    assert report.http == {"200": len(SAMPLE_PAGES) + 2}  # robots.txt, the sitemap and every page
    # The same pages, types and facets as an index of the folder itself.
    build_index([site.folder], tmp_path / "folder")
    crawled = store.current_build(tmp_path / "ix").manifest()
    folder = store.current_build(tmp_path / "folder").manifest()
    assert {r.id: (r.facets, r.hash) for r in crawled} == {r.id: (r.facets, r.hash) for r in folder}
    assert {r.source for r in crawled} == {site.url + "/sitemap.xml"}


def test_a_page_without_canonical_link_keeps_its_own_url(site, tmp_path):
    from indexer import SearchEngine, SearchRequest

    crawl(site, tmp_path / "ix")
    hits = SearchEngine(tmp_path / "ix", synonyms_path=None).search(SearchRequest(q="feedback")).results
    assert hits[0].url == site.url + "/interventies/feedback"


def test_the_crawler_names_itself_and_a_contact_address(site, tmp_path):
    crawl(site, tmp_path / "ix")
    agents = {r.headers["User-Agent"] for r in site.requests}
    assert agents == {"Kennisbank/1.0 (+mailto:redactie@kennisbank.example.nl)"}


def test_an_unchanged_site_costs_only_conditional_requests(site, tmp_path):
    site.lastmod = False
    crawl(site, tmp_path / "ix")
    before = len(site.requests)
    report = crawl(site, tmp_path / "ix")
    pages = site.requests[before:][2:]
    assert len(pages) == len(SAMPLE_PAGES)
    assert all("If-None-Match" in r.headers and "If-Modified-Since" in r.headers for r in pages)
    assert report.http == {"200": 2, "304": len(SAMPLE_PAGES)}
    assert report.unchanged == len(SAMPLE_PAGES) and not report.added and not report.updated and not report.removed


def test_with_lastmod_an_unchanged_site_costs_no_page_requests(site, tmp_path):
    crawl(site, tmp_path / "ix")
    before = len(site.requests)
    report = crawl(site, tmp_path / "ix")
    assert [r.path for r in site.requests[before:]] == ["/robots.txt", "/sitemap.xml"]
    assert report.unchanged == len(SAMPLE_PAGES)


@pytest.mark.parametrize("lastmod", [True, False])
def test_one_changed_page_is_fetched_and_updated(site, tmp_path, lastmod):
    site.lastmod = lastmod
    crawl(site, tmp_path / "ix")
    page = site.folder / "themas/rekenen.html"
    page.write_text(page_html("Passend rekenonderwijs", "<p>Nu ook over breuken en kommagetallen.</p>"))
    os.utime(page, (time.time() + 5, time.time() + 5))
    report = crawl(site, tmp_path / "ix")
    assert report.updated == ["themas/rekenen"] and report.unchanged == len(SAMPLE_PAGES) - 1
    assert report.http.get("200") == 3
    from indexer import SearchEngine, SearchRequest
    hits = SearchEngine(tmp_path / "ix", synonyms_path=None).search(SearchRequest(q="kommagetallen")).results
    assert [h.title for h in hits] == ["Passend rekenonderwijs"]


def test_a_page_gone_from_the_sitemap_leaves_only_when_the_next_crawl_confirms_it(site, tmp_path):
    crawl(site, tmp_path / "ix")
    (site.folder / "themas/rekenen.html").unlink()
    first = crawl(site, tmp_path / "ix")
    assert first.removed == [] and first.indexed == len(SAMPLE_PAGES)
    assert "niet meer in de sitemap" in {r.path: r.reason for r in first.kept}["themas/rekenen"]
    second = crawl(site, tmp_path / "ix")
    assert second.removed == ["themas/rekenen"] and second.indexed == len(SAMPLE_PAGES) - 1


def test_a_page_that_returns_once_is_not_removed(site, tmp_path):
    crawl(site, tmp_path / "ix")
    saved = (site.folder / "themas/rekenen.html").read_bytes()
    (site.folder / "themas/rekenen.html").unlink()
    crawl(site, tmp_path / "ix")
    (site.folder / "themas/rekenen.html").write_bytes(saved)
    crawl(site, tmp_path / "ix")
    (site.folder / "themas/rekenen.html").unlink()
    report = crawl(site, tmp_path / "ix")
    assert report.removed == []  # one miss again, not two in a row


def test_a_404_leaves_only_when_the_next_crawl_confirms_it(site, tmp_path):
    route(site, "/themas/extra", html_answer)
    crawl(site, tmp_path / "ix")
    site.routes["/themas/extra"] = lambda h: h.answer(404, b"weg", "text/plain")
    first = crawl(site, tmp_path / "ix")
    assert first.removed == [] and "HTTP-status 404" in first.kept[0].reason
    second = crawl(site, tmp_path / "ix")
    assert second.removed == ["themas/extra"] and second.http["404"] == 1


@pytest.mark.parametrize("sitemap", ["failing", "empty", "not xml"])
def test_a_sitemap_that_fails_or_is_empty_removes_nothing(site, tmp_path, sitemap):
    crawl(site, tmp_path / "ix")
    answers = {
        "failing": lambda h: h.answer(503, b"onderhoud", "text/plain"),
        "empty": lambda h: h.answer(200, b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>',
                                    "application/xml"),
        "not xml": lambda h: h.answer(200, b"<html>oeps", "text/html"),
    }
    site.routes["/sitemap.xml"] = answers[sitemap]
    for _ in range(2):
        report = crawl(site, tmp_path / "ix")
        assert report.removed == [] and report.indexed == len(SAMPLE_PAGES) and report.build
        assert any("niet verwijderd" in note for note in report.notes)


def test_sitemap_index_and_gzip(site, tmp_path):
    report = crawl(site, tmp_path / "ix", sitemap="/sitemap-index.xml")
    assert len(report.added) == len(SAMPLE_PAGES)


def test_robots_txt_disallow_skips_and_reports(site, tmp_path):
    site.robots = "User-agent: *\nDisallow: /leidraden/\n"
    report = crawl(site, tmp_path / "ix")
    assert not any(r.path.startswith("/leidraden") for r in site.requests)
    refused = {r.path.removeprefix(site.url): r.reason for r in report.rejected}
    assert refused == {"/leidraden/coordinatie": "robots.txt staat deze pagina niet toe",
                       "/leidraden/veilig": "robots.txt staat deze pagina niet toe"}
    assert report.to_dict()["refused"] == report.to_dict()["rejected"]


def test_requests_keep_to_the_rate_and_to_crawl_delay(site, tmp_path):
    # Timed at the crawler (the server's clock would add its own scheduling delays), from
    # the end of the first request, so the bounds leave a little for its answer.
    fetcher = Fetcher(Politeness(rate=10))
    fetcher.get(site.url + "/themas/rekenen")  # robots.txt, then the page
    started = time.monotonic()
    for _ in range(3):
        fetcher.get(site.url + "/themas/rekenen")
    assert time.monotonic() - started >= 0.25
    # Python's robots.txt reader takes whole seconds only.
    site.robots = "User-agent: *\nCrawl-delay: 1\n"
    slow = Fetcher(Politeness(rate=10))
    slow.get(site.url + "/themas/rekenen")
    started = time.monotonic()
    slow.get(site.url + "/themas/rekenen")
    assert time.monotonic() - started >= 0.95


def test_a_500_that_recovers_on_retry(site, tmp_path):
    calls = []

    def flaky(handler):
        calls.append(1)
        if len(calls) < 3:
            handler.answer(500, b"fout", "text/plain")
        else:
            html_answer(handler, "Herstelde pagina")

    route(site, "/themas/herstel", flaky)
    report = crawl(site, tmp_path / "ix")
    assert "themas/herstel" in report.added and report.http["500"] == 2 and not report.rejected


def test_a_500_that_does_not_recover_is_refused_and_the_last_version_kept(site, tmp_path):
    route(site, "/themas/herstel", html_answer)
    crawl(site, tmp_path / "ix")
    site.lastmod = False
    site.routes["/themas/herstel"] = lambda h: h.answer(500, b"fout", "text/plain")
    report = crawl(site, tmp_path / "ix")
    assert report.http["500"] == FAST.retries + 1
    assert [r.reason for r in report.kept] == ["vorige versie behouden: HTTP-status 500"]
    assert report.indexed == len(SAMPLE_PAGES) + 1


def test_a_429_waits_for_retry_after(site, tmp_path):
    calls = []

    def busy(handler):
        calls.append(time.monotonic())
        if len(calls) == 1:
            handler.answer(429, b"rustig aan", "text/plain", {"Retry-After": "1"})
        else:
            html_answer(handler, "Drukke pagina")

    route(site, "/themas/druk", busy)
    report = crawl(site, tmp_path / "ix")
    assert "themas/druk" in report.added and report.http["429"] == 1
    assert calls[1] - calls[0] >= 0.95


def test_redirects_within_the_site_are_followed_and_to_another_host_refused(site, tmp_path):
    route(site, "/themas/verhuisd", lambda h: h.answer(301, b"", None, {"Location": "/themas/nieuw"}))
    route(site, "/themas/nieuw", lambda h: html_answer(h, "Verhuisde pagina"), listed=False)
    # localhost is another host name than 127.0.0.1: refused before any request is made to it.
    route(site, "/themas/weg", lambda h: h.answer(302, b"", None, {"Location": "http://localhost:9/elders"}))
    route(site, "/themas/kring", lambda h: h.answer(302, b"", None, {"Location": "/themas/kring2"}))
    route(site, "/themas/kring2", lambda h: h.answer(302, b"", None, {"Location": "/themas/kring"}), listed=False)
    report = crawl(site, tmp_path / "ix")
    refused = {r.path.removeprefix(site.url): r.reason for r in report.rejected}
    assert "themas/verhuisd" in report.added
    assert refused["/themas/weg"].startswith("doorverwezen naar een andere site")
    assert refused["/themas/kring"] == "doorverwijzingen in een kring"


def test_other_content_types_and_huge_pages_are_refused_unread(site, tmp_path):
    def huge_declared(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(100 * 1024 * 1024))
        handler.end_headers()

    def huge_streamed(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b"<p>" + b"x" * 1021 + b"</p>")
        except OSError:
            pass  # the crawler hung up, as it should

    route(site, "/themas/pdf", lambda h: h.answer(200, b"%PDF-1.4", "application/pdf"))
    route(site, "/themas/groot", huge_declared)
    route(site, "/themas/stroom", huge_streamed)
    report = crawl(site, tmp_path / "ix")
    refused = {r.path.removeprefix(site.url): r.reason for r in report.rejected}
    assert refused == {"/themas/pdf": "geen HTML maar application/pdf", "/themas/groot": "pagina te groot (meer dan 64 kB)",
                       "/themas/stroom": "pagina te groot (meer dan 64 kB)"}
    assert len(report.added) == len(SAMPLE_PAGES)


def test_a_slow_server_times_out(site, tmp_path):
    def slow(handler):
        time.sleep(1.5)
        html_answer(handler)

    route(site, "/themas/traag", slow)
    started = time.monotonic()
    report = crawl(site, tmp_path / "ix")
    assert {r.path.removeprefix(site.url): r.reason for r in report.rejected} == {
        "/themas/traag": "geen antwoord binnen de tijd"}
    assert report.http["timeout"] == 1 and time.monotonic() - started < 5


def test_a_server_that_drips_a_page_is_given_up_on(site, tmp_path):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            for _ in range(100):
                handler.wfile.write(b"<p>")
                handler.wfile.flush()
                time.sleep(0.1)  # each byte well within the timeout, the whole page not
        except OSError:
            pass

    route(site, "/themas/druppel", drip)
    started = time.monotonic()
    report = crawl(site, tmp_path / "ix", Politeness(rate=200, timeout=0.4))
    assert {r.path.removeprefix(site.url): r.reason for r in report.rejected} == {
        "/themas/druppel": "geen antwoord binnen de tijd"}
    assert time.monotonic() - started < 6


def test_crawl_command_json_report(site, tmp_path):
    settings = Settings(crawl_rate=200, crawl_timeout=2, crawl_contact="x@example.nl")
    args = ["crawl", site.url + "/sitemap.xml", "--index", str(tmp_path / "ix"), "--json"]
    result = CliRunner().invoke(cli, args, obj=settings)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["new"]) == len(SAMPLE_PAGES) and data["changed"] == [] and data["removed"] == []
    assert data["refused"] == [] and data["unchanged"] == 0 and data["http"]["200"] == len(SAMPLE_PAGES) + 2
    text = CliRunner().invoke(cli, args[:-1], obj=settings)
    assert text.exit_code == 0 and "ongewijzigd" in text.output and "HTTP-antwoorden: 200: 2" in text.output
    both = CliRunner().invoke(cli, ["index", str(CORPUS / "themas"), site.url + "/sitemap.xml", "--index",
                                    str(tmp_path / "ix"), "--json"], obj=settings)
    assert json.loads(both.stdout)["indexed"] == len(SAMPLE_PAGES) + len(list((CORPUS / "themas").glob("*.html")))
    bad = CliRunner().invoke(cli, ["crawl", "corpus", "--index", str(tmp_path / "ix")], obj=settings)
    assert bad.exit_code == 2 and "geen http(s)-adres" in bad.output


def test_sources_setting_takes_urls_beside_folders():
    settings = Settings.from_env({"KENNISBANK_SOURCES": "corpus:http://127.0.0.1:8080/sitemap.xml:https://a.nl/s.xml",
                                  "KENNISBANK_CRAWL_RATE": "0.5"})
    assert settings.sources == (Path("corpus"), "http://127.0.0.1:8080/sitemap.xml", "https://a.nl/s.xml")
    assert settings.crawl_rate == 0.5


def test_web_reindex_crawls_a_site_and_beheer_shows_the_http_counts(site, tmp_path):
    from webapp import create_app

    crawl(site, tmp_path / "ix")
    (site.folder / "themas/nieuw.html").write_text(page_html("Nieuwe pagina", "<p>Vers gepubliceerd op de site.</p>"))
    app = create_app(TEST_SETTINGS, index_dir=tmp_path / "ix", sources=[site.url + "/sitemap.xml"], synonyms=None,
                     admin_token="t", request_log=False, crawl_rate=200.0)
    client = app.test_client()
    headers = {"Authorization": "Bearer t"}
    url = client.post("/api/reindex", headers=headers).get_json()["url"]
    deadline = time.monotonic() + 30
    while (report := client.get(url, headers=headers).get_json())["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert report["new"] == ["themas/nieuw"] and report["http"] == {"200": 3}
    assert "HTTP-antwoorden bij de laatste crawl: 200: 3" in client.get("/beheer", headers=headers).get_data(as_text=True)


@pytest.mark.slow
def test_the_whole_corpus_crawled_and_recrawled(tmp_path):
    folder = shutil.copytree(CORPUS, tmp_path / "site")
    with LocalSite(folder, lastmod=False) as served:
        first = crawl(served, tmp_path / "ix")
        files = len(list(folder.rglob("*.html")))
        assert first.indexed == files - len(first.rejected) and first.indexed > 150
        before = len(served.requests)
        second = crawl(served, tmp_path / "ix")
        assert second.http["304"] == first.indexed
        assert second.unchanged == first.indexed and len(served.requests) - before == files + 2


def test_serve_builds_its_first_index_from_a_sitemap_and_keeps_the_url(site, tmp_path, monkeypatch):
    import webapp.server
    from indexer import SearchEngine
    from kennisbank.cli import cli as kennisbank

    started = []
    monkeypatch.setattr(webapp.server, "run_production", started.append)
    url = site.url + "/sitemap.xml"
    result = CliRunner().invoke(kennisbank, ["serve", "--index", str(tmp_path / "ix"), "--source", url],
                                env={"KENNISBANK_CRAWL_RATE": "200", "KENNISBANK_SOURCES": None})
    assert result.exit_code == 0, result.output
    assert started[0].sources == (url,)
    assert SearchEngine(tmp_path / "ix").health().documents == len(SAMPLE_PAGES)
    assert {r.headers["User-Agent"] for r in site.requests} == {"Kennisbank/1.0 (+mailto:kennisbank@example.nl)"}


def test_a_sitemap_entry_on_another_host_is_refused_unfetched(site, tmp_path):
    own = site.sitemap().replace(b"</urlset>", b"<url><loc>http://localhost:9/elders</loc></url></urlset>")
    site.routes["/sitemap.xml"] = lambda h: h.answer(200, own, "application/xml")
    report = crawl(site, tmp_path / "ix")
    assert [(r.path, r.reason) for r in report.rejected] == [
        ("http://localhost:9/elders", f"niet op de site van sitemap {site.url}/sitemap.xml")]
    assert len(report.added) == len(SAMPLE_PAGES)
