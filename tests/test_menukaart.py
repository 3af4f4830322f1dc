"""The menukaart: every intervention in a table to sort and filter, the comparison, and the CSV for Excel."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest

from indexer import build_index

from conftest import SAMPLE_PAGES, TEST_SETTINGS, page_html, write_pages

APPROACH = "<h2>Hoe pak je het aan?</h2><p>Begin met één klas.</p><p>Bespreek het in het team.</p>"
CAUTION = "<h2>Waar moet je op letten?</h2><p>Meet wat het oplevert.</p>"
PAGES = {
    **SAMPLE_PAGES,
    "interventies/feedback.html": page_html(
        "Feedback", "<p>Feedback gaat over de taak en de volgende stap.</p>" + APPROACH + CAUTION
        + "<h2>Lees ook</h2><p>Formatief handelen.</p>",
        type="interventie", themes="Feedback, Formatief handelen", sectors="po", bewijskracht="4", impact="+6",
        kosten="1", modified="2025-03-14", description="Feedback helpt leerlingen de volgende stap te zetten.",
    ),
    "interventies/leerstijlen.html": page_html(
        "Lesgeven volgens leerstijlen", "<p>Er is geen bewijs dat dit werkt.</p>"
        "<h2>In de praktijk</h2><p>Wissel werkvormen af om de stof, niet om de leerling.</p>",
        type="interventie", themes="Didactiek", sectors="po,vo", bewijskracht="0", kosten="1", modified="2026-02-02",
    ),
    "interventies/bijles.html": page_html(
        "Bijles in kleine groepen", "<p>Een leraar werkt met drie tot vijf leerlingen.</p>",
        type="interventie", themes="Didactiek", sectors="vo", bewijskracht="3", impact="+4", kosten="3",
        modified="2024-04-04",
    ),
}
# Sample interventions: Feedback +6/1/4 po, Zittenblijven -3/5/3 po+vo, Kleinere klassen +2/5/2 po+vo,
# Bijles +4/3/3 vo, and Lesgeven volgens leerstijlen without figures (level 0), cost 1, po+vo.


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from webapp import create_app

    base = tmp_path_factory.mktemp("menukaart")
    build_index([write_pages(base / "src", PAGES)], base / "ix")
    app = create_app(TEST_SETTINGS, index_dir=base / "ix", synonyms=None, request_log=False, ratelimit_enabled=False)
    return app.test_client()


def titles(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return re.findall(r'<th scope="row" data-label="Interventie"><a href="[^"]+">([^<]+)</a>', page)


def read_csv(resp) -> list[dict]:
    """Read a CSV response as Excel does: UTF-8 with BOM, semicolons."""
    text = resp.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_menukaart_lists_every_intervention_by_effect_with_those_without_figures_last(client):
    assert titles(client, "/menukaart") == [
        "Feedback", "Bijles in kleine groepen", "Kleinere klassen", "Zittenblijven", "Lesgeven volgens leerstijlen"]


def test_sorting_by_effect_upward_still_puts_geen_cijfers_last(client):
    order = titles(client, "/menukaart?sort=effect&richting=op")
    assert order == ["Zittenblijven", "Kleinere klassen", "Bijles in kleine groepen", "Feedback",
                     "Lesgeven volgens leerstijlen"]
    page = client.get("/menukaart?sort=effect&richting=op").get_data(as_text=True)
    assert "geen cijfers" in page


@pytest.mark.parametrize("query, expected", [
    ("sort=kosten&richting=op", ["Feedback", "Bijles in kleine groepen", "Kleinere klassen", "Zittenblijven"]),
    ("sort=kosten&richting=af", ["Kleinere klassen", "Zittenblijven", "Bijles in kleine groepen", "Feedback"]),
    ("sort=bewijskracht&richting=af", ["Feedback", "Bijles in kleine groepen", "Zittenblijven", "Kleinere klassen"]),
    ("sort=titel&richting=op", ["Bijles in kleine groepen", "Feedback", "Kleinere klassen",
                                "Lesgeven volgens leerstijlen", "Zittenblijven"]),
    ("sort=datum&richting=af", ["Lesgeven volgens leerstijlen", "Feedback", "Bijles in kleine groepen",
                                "Zittenblijven", "Kleinere klassen"]),
])
def test_each_column_sorts_both_ways(client, query, expected):
    order = titles(client, "/menukaart?" + query)
    assert order[: len(expected)] == expected
    if "titel" not in query and "datum" not in query:
        assert order[-1] == "Lesgeven volgens leerstijlen"


def test_column_header_says_its_order_and_links_to_the_other_direction(client):
    page = client.get("/menukaart?sort=kosten&richting=op").get_data(as_text=True)
    header = re.search(r'<th scope="col" aria-sort="ascending">\s*<a href="([^"]+)">Kosten', page)
    assert header and "richting=af" in header.group(1).replace("&amp;", "&")
    assert 'aria-sort="descending"' not in page


@pytest.mark.parametrize("query, expected", [
    ("sector=vo", {"Zittenblijven", "Kleinere klassen", "Bijles in kleine groepen", "Lesgeven volgens leerstijlen"}),
    ("thema=didactiek", {"Bijles in kleine groepen", "Lesgeven volgens leerstijlen"}),
    ("min_bewijskracht=3", {"Feedback", "Zittenblijven", "Bijles in kleine groepen"}),
    ("max_kosten=3", {"Feedback", "Bijles in kleine groepen", "Lesgeven volgens leerstijlen"}),
    ("sector=vo&max_kosten=3&min_bewijskracht=1", {"Bijles in kleine groepen"}),
])
def test_filters_narrow_the_table(client, query, expected):
    assert set(titles(client, "/menukaart?" + query)) == expected


def test_filters_are_kept_when_sorting(client):
    page = client.get("/menukaart?sector=vo&max_kosten=3").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Effect', page).group(1).replace("&amp;", "&")
    assert "sector=vo" in link and "max_kosten=3" in link


def test_no_match_says_so_with_a_way_back(client):
    page = client.get("/menukaart?sector=ho").get_data(as_text=True)
    assert "Geen interventie past bij deze filters" in page and "Alle filters wissen" in page


def test_a_wrong_sort_is_a_dutch_400(client):
    r = client.get("/menukaart?sort=prijs")
    assert r.status_code == 400 and "onbekende waarde 'prijs' voor sort" in html.unescape(r.get_data(as_text=True))


def test_csv_opens_as_excel_reads_it_with_the_same_filters_and_order(client):
    r = client.get("/menukaart.csv?sector=vo&sort=kosten&richting=op")
    assert r.mimetype == "text/csv" and r.get_data().startswith("\ufeff".encode())
    assert b"\r\n" in r.get_data()
    rows = read_csv(r)
    assert list(rows[0]) == ["Interventie", "Adres", "Effect (maanden)", "Kosten (1-5)", "Bewijskracht (0-5)",
                             "Herkomst cijfers", "Sectoren", "Thema's", "Bijgewerkt"]
    assert [row["Interventie"] for row in rows] == ["Bijles in kleine groepen", "Kleinere klassen", "Zittenblijven",
                                                    "Lesgeven volgens leerstijlen"]
    bijles = rows[0]
    assert bijles["Effect (maanden)"] == "4" and bijles["Kosten (1-5)"] == "3" and bijles["Sectoren"] == "vo"
    assert bijles["Adres"].endswith("/pagina/interventies/bijles")
    assert rows[-1]["Effect (maanden)"] == "geen cijfers"


def test_comparison_shows_figures_and_sections_side_by_side(client):
    r = client.get("/menukaart/vergelijk?id=interventies/feedback&id=interventies/leerstijlen&id=interventies/bijles")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    heads = re.findall(r'<th scope="col"><a href="[^"]+">([^<]+)</a></th>', page)
    assert heads == ["Feedback", "Lesgeven volgens leerstijlen", "Bijles in kleine groepen"]
    assert "+6 maanden" in page and "geen cijfers" in page and "+4 maanden" in page
    assert "Feedback helpt leerlingen de volgende stap te zetten." in page
    assert "Begin met één klas." in page and "Meet wat het oplevert." in page
    # The page's own equivalent of "Hoe pak je het aan?" is shown under its own heading.
    assert "In de praktijk" in page and "Wissel werkvormen af" in page
    assert "Deze pagina heeft hier geen apart stuk over." in page
    # The section that follows ("Lees ook") is not part of the cautions.
    assert "Formatief handelen.</" not in page


@pytest.mark.parametrize("query, message", [
    ("id=interventies/feedback", "kies 2 tot 4 interventies"),
    ("id=interventies/feedback&id=themas/woordenschat", "is geen interventie"),
])
def test_comparison_needs_two_to_four_interventions(client, query, message):
    r = client.get("/menukaart/vergelijk?" + query)
    assert r.status_code == 400 and message in r.get_data(as_text=True)


def test_comparison_of_an_unknown_id_is_a_404(client):
    assert client.get("/menukaart/vergelijk?id=interventies/feedback&id=interventies/bestaat-niet").status_code == 404


def test_search_results_offer_compare_boxes_for_interventions(client):
    page = client.get("/zoeken?type=interventie").get_data(as_text=True)
    boxes = re.findall(r'<input type="checkbox" id="vergelijk-[^"]+" name="id" value="([^"]+)" form="vergelijkformulier">', page)
    assert "interventies/feedback" in boxes and len(boxes) == 5
    assert '<form id="vergelijkformulier" action="/menukaart/vergelijk" method="get">' in page
