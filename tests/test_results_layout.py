"""The results page on a phone: results before the filters, one control for minimum evidence, honest sorting."""

import re


def text(response) -> str:
    return response.get_data(as_text=True)


def test_results_come_before_the_filters_and_a_link_opens_them_with_the_number_chosen(client):
    html = text(client.get("/zoeken?q=leerlingen&sector=po&min_bewijskracht=3"))
    assert html.index('id="resultaten"') < html.index('id="filters"')
    assert re.search(r'<a href="#filters"[^>]*>Filters \(2\)</a>', html)
    assert html.index('href="#filters"') < html.index('id="resultaten"')


def test_minimum_evidence_is_one_select_instead_of_boxes(client):
    html = text(client.get("/zoeken?q=leerlingen&min_bewijskracht=3"))
    assert '<select id="min-bewijskracht" name="min_bewijskracht">' in html
    assert '<option value="3" selected>3 van 5 (redelijk)</option>' in html
    assert 'name="bewijskracht"' not in html
    assert "Bewijskracht: minstens 3 van 5" in html
    r = client.get("/api/search?min_bewijskracht=3")
    assert all(h["bewijskracht"] >= 3 for h in r.get_json()["results"])


def test_browsing_without_words_says_it_sorts_newest_first(client):
    html = text(client.get("/zoeken"))
    assert '<option value="date" selected>nieuwste</option>' in html
    assert '<option value="relevance" selected>' not in html
    assert '<option value="relevance" selected>' in text(client.get("/zoeken?q=lezen"))
