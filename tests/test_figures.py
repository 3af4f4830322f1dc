"""An intervention's figures as a teacher reads them: signs and symbols, words for screen readers, and an explanation."""

import re

import pytest

from conftest import app_on, index_pages, page_html

PAGES = {
    "interventies/feedback.html": page_html("Feedback", "<p>Over de taak.</p>", type="interventie",
                                            impact="+6", kosten="1", bewijskracht="4"),
    "interventies/zittenblijven.html": page_html("Zittenblijven", "<p>Een jaar over.</p>", type="interventie",
                                                 impact="-3", kosten="5", bewijskracht="3"),
    "interventies/ambitie.html": page_html("Ambitie", "<p>Te weinig onderzoek.</p>", type="interventie",
                                           kosten="1", bewijskracht="0"),
    "interventies/kapot.html": page_html("Zonder cijfers", "<p>Cijfers vergeten.</p>", type="interventie",
                                         bewijskracht="3"),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return app_on(index_pages(tmp_path_factory, "cijfers", PAGES)).test_client()


def figure(html: str, name: str) -> str:
    """Return the text of one figure's value in a page, without tags."""
    m = re.search(rf'#{name}">[^<]+</a></dt><dd>(.*?)</dd>', html, re.S)
    assert m, name
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1))).strip()


def test_impact_has_its_sign_and_says_months_of_extra_progress(client):
    assert figure(client.get("/pagina/interventies/feedback").get_data(as_text=True), "effect") == "+6 maanden extra vooruitgang"
    assert figure(client.get("/pagina/interventies/zittenblijven").get_data(as_text=True), "effect") == "-3 maanden extra vooruitgang"


def test_cost_is_euro_signs_and_evidence_padlocks_with_words_for_screen_readers(client):
    html = client.get("/pagina/interventies/zittenblijven").get_data(as_text=True)
    assert figure(html, "kosten") == "€€€€€ zeer hoog (5 van 5)"
    assert '<span class="euros" aria-hidden="true">' in html
    assert html.count('class="padlock padlock--on"') == 3 + 1  # three of five, and one in the legend
    assert "redelijk (3 van 5)" in figure(html, "bewijskracht")


def test_unknown_only_at_evidence_level_zero_and_missing_figures_say_so(client):
    assert figure(client.get("/pagina/interventies/ambitie").get_data(as_text=True), "effect") == "onbekend (te weinig onderzoek)"
    kapot = client.get("/pagina/interventies/kapot").get_data(as_text=True)
    assert figure(kapot, "effect") == "geen cijfers"
    assert figure(kapot, "kosten") == "geen cijfers"
    assert "onbekend" not in kapot


def test_every_figure_links_to_the_explanation_and_lists_have_a_legend(client):
    results = client.get("/zoeken?type=interventie").get_data(as_text=True)
    assert results.count('href="/over-de-cijfers#effect"') == len(PAGES)
    assert 'class="legend"' in results and "maanden extra vooruitgang" in results
    assert 'class="legend"' in client.get("/pagina/interventies/feedback").get_data(as_text=True)


def test_the_explanation_page_names_the_three_measures_and_their_source(client):
    r = client.get("/over-de-cijfers")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for anchor in ('id="effect"', 'id="kosten"', 'id="bewijskracht"'):
        assert anchor in html
    assert "Teaching and Learning Toolkit" in html and "Education Endowment Foundation" in html
