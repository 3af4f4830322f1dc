"""Open data: the export as JSON Lines and CSV, the sitemap, Atom feeds of searches, and the export command."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from click.testing import CliRunner

from indexer import build_index
from indexer.cli import cli

from conftest import SAMPLE_PAGES, TEST_SETTINGS, page_html, write_pages

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEW_PAGE = {"interventies/spelend-leren.html": page_html(
    "Spelend leren", "<p>Kleuters leren woorden al spelend, met een leerkracht die meespeelt.</p>",
    type="interventie", themes="Jonge kinderen", sectors="vve", bewijskracht="3", impact="+5", kosten="2",
    modified="2026-11-30",
)}


def read_csv(data: bytes) -> list[dict]:
    """Read a CSV file as Excel does: UTF-8 with BOM, semicolons."""
    assert data.startswith("\ufeff".encode()), "without a BOM Excel reads the file in the wrong encoding"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_jsonl(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def test_export_streams_every_page_as_json_lines_with_ids_figures_and_text(client):
    r = client.get("/api/export")
    assert r.status_code == 200 and r.mimetype == "application/jsonl"
    records = read_jsonl(r.get_data())
    assert [rec["id"] for rec in records] == sorted(p.removesuffix(".html") for p in SAMPLE_PAGES)
    feedback = next(rec for rec in records if rec["id"] == "interventies/feedback")
    assert feedback["type"] == "interventie" and feedback["sectors"] == ["po"]
    assert (feedback["impact"], feedback["kosten"], feedback["bewijskracht"]) == (6, 1, 4)
    assert feedback["modified"] == "2025-03-14"
    assert {"label": "Formatief handelen", "slug": "formatief-handelen"} in feedback["themes"]
    assert "de volgende stap" in feedback["body"]
    assert feedback["url"].startswith("http")


def test_export_records_match_the_openapi_schema(client):
    import jsonschema

    spec = client.get("/api/openapi.json").get_json()
    schema = {**spec["components"]["schemas"]["Record"], "components": spec["components"]}
    validator = jsonschema.Draft202012Validator(schema)
    for record in read_jsonl(client.get("/api/export").get_data()):
        validator.validate(record)


def test_export_as_csv_has_the_metadata_without_the_text(client):
    r = client.get("/api/export?format=csv")
    assert r.mimetype == "text/csv"
    rows = read_csv(r.get_data())
    assert len(rows) == len(SAMPLE_PAGES) and "body" not in rows[0]
    row = next(row for row in rows if row["id"] == "interventies/zittenblijven")
    assert (row["impact"], row["kosten"], row["bewijskracht"], row["sectors"]) == ("-3", "5", "3", "po|vo")
    # Text with quotes and markup survives the round trip.
    veilig = next(row for row in rows if row["id"] == "leidraden/veilig")
    assert veilig["summary"] == "Samenvatting met <b>opmaak</b> & tekens"


def test_export_refuses_an_unknown_format(client):
    r = client.get("/api/export?format=xml")
    assert r.status_code == 400 and r.get_json()["error"]["allowed"] == ["jsonl", "csv"]


def test_sitemap_lists_every_page_with_its_last_modified_date(client):
    r = client.get("/sitemap.xml")
    root = ET.fromstring(r.get_data())
    entries = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in root.iter(f"{SITEMAP}url")}
    feedback = entries["http://localhost/pagina/interventies/feedback"]
    assert feedback is not None and feedback.text == "2025-03-14"
    pages = [loc for loc in entries if "/pagina/" in loc]
    assert len(pages) == len(SAMPLE_PAGES)


def test_results_page_links_its_feed(client):
    page = client.get("/zoeken?q=leerlingen&sector=po&sort=relevance&page=1").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/atom+xml" title="Volg deze zoekopdracht (Atom)" '
            'href="/zoeken.atom?q=leerlingen&amp;sector=po">') in page
    assert '>Volg deze zoekopdracht</a>' in page


def test_feed_is_valid_atom_of_the_search_newest_first(client):
    r = client.get("/zoeken.atom?q=leerlingen&sector=po")
    assert r.mimetype == "application/atom+xml"
    feed = feedparser.parse(r.get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert "leerlingen" in feed.feed.title
    entries = feed.entries
    assert entries, "the search has results, so the feed has entries"
    dates = [e.updated for e in entries]
    assert dates == sorted(dates, reverse=True)
    search = client.get("/api/search?q=leerlingen&sector=po&per_page=100").get_json()
    assert {e.link.rsplit("/pagina/", 1)[1] for e in entries} == {h["id"] for h in search["results"]}
    assert all(e.id and e.title and e.summary for e in entries)


def test_feed_of_filters_only_follows_new_pages_of_that_type(client):
    feed = feedparser.parse(client.get("/zoeken.atom?type=interventie").get_data())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Feedback", "Zittenblijven", "Kleinere klassen"]


def test_a_new_page_appears_in_feed_export_and_sitemap_after_a_reindex(tmp_path):
    from webapp import create_app

    src = write_pages(tmp_path / "src", SAMPLE_PAGES)
    build_index([src], tmp_path / "ix")
    client = create_app(TEST_SETTINGS, index_dir=tmp_path / "ix", synonyms=None, request_log=False,
                        ratelimit_enabled=False).test_client()
    before = feedparser.parse(client.get("/zoeken.atom?type=interventie").get_data())
    assert "Spelend leren" not in [e.title for e in before.entries]

    write_pages(src, NEW_PAGE)
    assert build_index([src], tmp_path / "ix").exit_code == 0

    after = feedparser.parse(client.get("/zoeken.atom?type=interventie").get_data())
    assert after.entries[0].title == "Spelend leren"
    assert after.feed.updated.startswith("2026-11-30")
    ids = [rec["id"] for rec in read_jsonl(client.get("/api/export").get_data())]
    assert "interventies/spelend-leren" in ids
    assert "interventies/spelend-leren" in [row["id"] for row in read_csv(client.get("/api/export?format=csv").get_data())]
    assert b"/pagina/interventies/spelend-leren" in client.get("/sitemap.xml").get_data()
    assert "Spelend leren" in client.get("/menukaart").get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_command_writes_what_the_api_sends(sample_index, client, fmt, tmp_path):
    out = tmp_path / f"export.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--index", str(sample_index), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == client.get(f"/api/export?format={fmt}").get_data()


def test_export_command_without_an_index_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--index", str(tmp_path / "geen")])
    assert result.exit_code == 1 and "index" in result.output.lower()
