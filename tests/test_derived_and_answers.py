"""Derived figures stay out of figure filters unless asked for; answers have numbers and a literature list."""

import csv
import io

import pytest

from indexer import SearchRequest, check_sources
from indexer.parse import parse_page
from indexer.search import SearchEngine

from conftest import app_on, index_pages, page_html, write_pages

DERIVED = '<meta name="kb:cijfers" content="afgeleid">'
ANSWER = """
<header class="vraag"><p class="kr-meta">Antwoordnummer <span class="kr-nummer">KR.123</span> ·
  <time datetime="2022-03-14">14 maart 2022</time></p></header>
<section class="kort-antwoord"><h2>Kort antwoord</h2><p>Herhaald oefenen met tussenpozen helpt leerlingen onthouden.</p></section>
<section class="toelichting"><h2>Toelichting</h2><p>Spreid het oefenen over weken in plaats van alles in een keer.</p></section>
<section class="literatuur" id="literatuur"><h2>Literatuur</h2>
  <ul><li>Cepeda, N. J. e.a. (2006). Distributed practice in verbal recall tasks. Psychological Bulletin.</li></ul></section>
<p class="totstandkoming">Dit antwoord is opgesteld door de redactie van de Kennisbank.</p>
"""

PAGES = {
    "interventies/toolkit.html": page_html("Tutoring in kleine groepen", "<p>Bijles aan een klein groepje.</p>",
                                           type="interventie", impact="+4", kosten="3", bewijskracht="3"),
    "interventies/afgeleid.html": page_html("Leesinterventies voor zwakke lezers", "<p>Bijles in lezen.</p>",
                                            type="interventie", impact="+5", kosten="3", bewijskracht="3",
                                            extra_head=DERIVED),
    "kennisrotonde/gespreid-oefenen.html": page_html(
        "Wat is bekend over gespreid oefenen?", ANSWER, type="kennisrotonde", bewijskracht="4",
        extra_head='<meta name="kb:nummer" content="KR.123"><meta name="dcterms.issued" content="2022-03-14">'),
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return index_pages(tmp_path_factory, "afgeleid", PAGES)


@pytest.fixture(scope="module")
def engine(index_dir):
    return SearchEngine(index_dir)


@pytest.fixture(scope="module")
def client(index_dir):
    return app_on(index_dir).test_client()


def ids(result):
    return {h.id for h in result.results}


def test_derived_figures_are_marked_on_the_hit(engine):
    result = engine.search(SearchRequest(type=["interventie"]))
    marks = {h.id: h.cijfers for h in result.results}
    assert marks == {"interventies/toolkit": None, "interventies/afgeleid": "afgeleid"}


@pytest.mark.parametrize("request_", [
    SearchRequest(type=["interventie"], min_bewijskracht=3),
    SearchRequest(type=["interventie"], bewijskracht=[3]),
    SearchRequest(q="bijles met groot effect"),
])
def test_a_filter_on_figures_leaves_derived_figures_out(engine, request_):
    assert ids(engine.search(request_)) == {"interventies/toolkit"}


def test_asking_for_derived_figures_lets_them_through(engine):
    result = engine.search(SearchRequest(type=["interventie"], min_bewijskracht=3, afgeleid=True))
    assert ids(result) == {"interventies/toolkit", "interventies/afgeleid"}


def test_the_result_cache_tells_a_request_for_derived_figures_apart(index_dir):
    cached = SearchEngine(index_dir, cache_size=16)
    assert cached.search(SearchRequest(type=["interventie"], min_bewijskracht=3)).total == 1
    assert cached.search(SearchRequest(type=["interventie"], min_bewijskracht=3, afgeleid=True)).total == 2


def test_without_a_filter_on_figures_derived_pages_are_found(engine):
    assert "interventies/afgeleid" in ids(engine.search(SearchRequest(q="zwakke lezers")))


def test_the_api_takes_afgeleid_and_rejects_a_bad_value(client):
    on = client.get("/api/search?type=interventie&min_bewijskracht=3&afgeleid=true").get_json()
    assert {h["id"] for h in on["results"]} == {"interventies/toolkit", "interventies/afgeleid"}
    bad = client.get("/api/search?afgeleid=misschien")
    assert bad.status_code == 400 and bad.get_json()["error"]["parameter"] == "afgeleid"


def test_the_page_and_the_menukaart_say_the_figures_are_derived(client):
    page = client.get("/pagina/interventies/afgeleid").get_data(as_text=True)
    assert "afgeleid door de redactie, geen toolkitcijfers" in page
    filtered = client.get("/menukaart?min_bewijskracht=3").get_data(as_text=True)
    assert "Tutoring in kleine groepen" in filtered and "Leesinterventies voor zwakke lezers" not in filtered
    asked = client.get("/menukaart?min_bewijskracht=3&afgeleid=true").get_data(as_text=True)
    assert "Leesinterventies voor zwakke lezers" in asked and "afgeleide cijfers" in asked


def test_kb_cijfers_belongs_to_interventions_and_has_known_values(tmp_path):
    pages = {
        "themas/x.html": page_html("Thema", "<p>Tekst over lezen.</p>", type="themapagina", extra_head=DERIVED),
        "interventies/y.html": page_html("Aanpak", "<p>Tekst.</p>", type="interventie", impact="+1", kosten="1",
                                         bewijskracht="1", extra_head='<meta name="kb:cijfers" content="geschat">'),
    }
    report = check_sources([write_pages(tmp_path, pages)])
    warnings = " ".join(w.reason for w in report.warnings)
    assert "kb:cijfers hoort alleen bij interventies" in warnings
    assert "kb:cijfers 'geschat' onbekend" in warnings


@pytest.mark.parametrize("typed", ["KR.123", "kr 123", "KR123"])
def test_a_search_for_an_answer_number_finds_that_answer(engine, typed):
    result = engine.search(SearchRequest(q=typed))
    assert [h.id for h in result.results] == ["kennisrotonde/gespreid-oefenen"]
    assert result.results[0].nummer == "KR.123"


def test_the_literature_list_is_shown_but_not_searched(engine, client):
    # "Psychological Bulletin" appears only in the literature list.
    assert engine.search(SearchRequest(q="psychological bulletin", correct=False)).total == 0
    assert engine.search(SearchRequest(q="gespreid oefenen")).results[0].id == "kennisrotonde/gespreid-oefenen"
    page = client.get("/pagina/kennisrotonde/gespreid-oefenen").get_data(as_text=True)
    assert "Distributed practice in verbal recall tasks" in page
    # The number and the answer date are in the page's facts, once, not repeated in its text.
    assert "<dt>Antwoordnummer</dt><dd>KR.123</dd>" in page and page.count("KR.123") == 1
    assert "14 maart 2022" in page
    # An answer's evidence is the research behind it in words, not a toolkit's padlocks.
    assert "uitgebreid onderzoek" in page and 'class="padlocks"' not in page
    assert "opgesteld door de redactie" in page


def test_an_invalid_answer_number_is_a_warning():
    page = parse_page(page_html("Vraag?", "<p>Antwoord.</p>", type="kennisrotonde",
                                extra_head='<meta name="kb:nummer" content="nummer 7">').encode(), "kennisrotonde/v.html")
    assert page.nummer is None
    assert any("kb:nummer" in w for w in page.warnings)


def test_the_menukaart_csv_says_where_the_figures_come_from(client):
    text = client.get("/menukaart.csv?afgeleid=true").get_data(as_text=True).lstrip("\ufeff")
    rows = {r["Interventie"]: r for r in csv.DictReader(io.StringIO(text, newline=""), delimiter=";")}
    assert rows["Leesinterventies voor zwakke lezers"]["Herkomst cijfers"] == "afgeleid door de redactie"
    assert rows["Tutoring in kleine groepen"]["Herkomst cijfers"] == "EEF-toolkit"


def test_the_evidence_facet_counts_what_choosing_it_gives(engine):
    counts = {v.value: v.count for v in engine.search(SearchRequest(type=["interventie"])).facets["bewijskracht"]}
    chosen = engine.search(SearchRequest(type=["interventie"], bewijskracht=[3])).total
    assert counts["3"] == chosen == 1
