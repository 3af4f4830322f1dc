"""The web pages rendered on the server: escaping of every field, empty states, facet combinations."""

import itertools
import re

import pytest


def text(resp) -> str:
    return resp.get_data(as_text=True)


def test_start_page_shows_types_and_themes_with_counts(client):
    html = text(client.get("/"))
    assert '<html lang="nl">' in html
    assert "Interventies" in html and "3 pagina's" in html
    assert re.search(r"Formatief handelen <span class=\"count\">\(1\)</span>", html)


def test_results_keep_the_query_and_count(client):
    html = text(client.get("/zoeken?q=feedback"))
    assert 'value="feedback"' in html
    assert "1 resultaat voor ‘feedback’" in html


def test_intervention_card_shows_figures_as_text(client):
    html = text(client.get("/zoeken?q=feedback"))
    assert "+6 maanden" in html
    assert "uitgebreid (4 van 5)" in html
    assert "zeer laag (1 van 5)" in html


def test_negative_impact_is_shown_with_its_sign(client):
    assert "-3 maanden" in text(client.get("/zoeken?q=zittenblijven"))


@pytest.mark.parametrize("url", ["/zoeken?q=veilige", "/zoeken?q=veiligheid", "/pagina/leidraden/veilig", "/zoeken?thema=welbevinden-en-pesten"])
def test_page_content_is_escaped_everywhere(client, url):
    html = text(client.get(url))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html


def test_the_query_is_escaped(client):
    html = text(client.get('/zoeken?q="><script>alert(1)</script>'))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_attribute_breaking_values_are_escaped_in_links(client):
    html = text(client.get('/zoeken?q=a" onmouseover="x&thema=x" onclick="y'))
    assert 'onmouseover="x' not in html and 'onclick="y' not in html


def test_summary_with_markup_is_shown_as_text(client):
    html = text(client.get("/pagina/leidraden/veilig"))
    assert "Samenvatting met &lt;b&gt;opmaak&lt;/b&gt; &amp; tekens" in html


def test_selected_filters_are_checked_and_listed_with_remove_links(client):
    html = text(client.get("/zoeken?q=&sector=po&type=interventie"))
    assert re.search(r'id="f-sector-po" name="sector" value="po" checked', html)
    assert "Verwijder filter </span>Sector: Primair onderwijs" in html
    assert 'href="/zoeken?type=interventie"' in html
    assert "Alle filters wissen" in html


def test_zero_results_explain_and_offer_broader_searches(client):
    html = text(client.get("/zoeken?q=feedback&sector=so"))
    assert "Niets gevonden" in html
    assert re.search(r"Zonder het filter Sector: Speciaal onderwijs vindt u <a href=\"/zoeken\?q=feedback\">1 resultaat</a>", html)


def test_misspelled_query_shows_corrected_results_with_a_way_back(client):
    html = text(client.get("/zoeken?q=feeback"))
    assert "Resultaten voor <strong>feedback</strong>" in html
    assert 'Zoek in plaats daarvan naar <a href="/zoeken?q=feeback&amp;correct=0">feeback</a>' in html
    assert "1 resultaat voor ‘feedback’" in html


def test_spelling_suggestion_link_when_searching_as_typed(client):
    html = text(client.get("/zoeken?q=feeback&correct=0"))
    assert 'class="no-results"' in html and "We vonden geen pagina die over je vraag gaat" in html
    assert re.search(r'Bedoelde u: <a href="/zoeken\?correct=0&amp;q=feedback">feedback</a>\?', html)


def test_partial_matches_are_announced_as_no_good_match(client):
    html = text(client.get("/zoeken?q=feedback+zittenblijven"))
    assert "We vonden geen pagina die over je vraag gaat" in html
    assert "maar een deel van je zoekwoorden" in html
    assert "We vonden geen pagina" not in text(client.get("/zoeken?q=feedback"))


def test_filters_read_from_the_query_show_as_chips_that_can_be_switched_off(client):
    html = text(client.get("/zoeken?q=huiswerk+basisschool"))
    assert re.search(r"Primair onderwijs <span class=\"chip__source\">uit je zoekvraag: ‘basisschool’</span>", html)
    assert 'href="/zoeken?q=huiswerk+basisschool&amp;skip=sector">zoek zonder dit filter' in html
    assert "uit je zoekvraag" not in text(client.get("/zoeken?q=huiswerk+basisschool&skip=sector"))


def test_synonyms_searched_as_well_are_shown(client):
    assert "Ook gezocht op: zittenblijven, doubleren" in text(client.get("/zoeken?q=blijven+zitten"))


def test_empty_query_lists_all_pages(client):
    assert re.search(r"9 pagina(&#39;|')s</h1>", text(client.get("/zoeken")))


def test_pagination_links(client):
    html = text(client.get("/zoeken?per_page=4&page=2"))
    assert 'aria-current="page"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_a_page_number_beyond_the_last_redirects_to_the_last(client):
    r = client.get("/zoeken?per_page=4&page=9")
    assert r.status_code == 302 and "page=3" in r.headers["Location"]


def test_invalid_filter_on_the_web_page_is_a_dutch_400_page(client):
    r = client.get("/zoeken?sector=universiteit")
    assert r.status_code == 400 and "onbekende waarde" in text(r) and "Traceback" not in text(r)


def test_unknown_page_is_a_dutch_404(client):
    r = client.get("/pagina/bestaat/niet")
    assert r.status_code == 404 and "Niet gevonden" in text(r)


def test_page_view_shows_metadata_short_answer_and_original_link(client):
    html = text(client.get("/pagina/kennisrotonde/huiswerk-groep-8"))
    assert "<h1>Helpt huiswerk in groep 8?</h1>" in html
    assert 'class="short-answer"' in html and "effect van huiswerk klein" in html
    # The short answer is shown once, not again in the body.
    assert html.count("effect van huiswerk klein") == 1
    assert "Bekijk de oorspronkelijke pagina" in html


def test_section_addresses_redirect_to_a_filtered_search(client):
    r = client.get("/interventies")
    assert r.status_code == 302 and r.headers["Location"].endswith("/zoeken?type=interventie")


FACET_VALUES = {"type": ["interventie", "leidraad"], "sector": ["po", "so"], "bewijskracht": ["3", "4"], "thema": ["feedback", "huiswerk"]}


@pytest.mark.parametrize("combo", [
    c for n in range(1, 5) for c in itertools.combinations(sorted(FACET_VALUES), n)
])
def test_every_facet_combination_renders_consistent_counts(client, combo):
    query = "&".join(f"{name}={v}" for name in combo for v in FACET_VALUES[name])
    r = client.get(f"/zoeken?{query}")
    assert r.status_code == 200
    api = client.get(f"/api/search?{query}").get_json()
    html = text(r)
    assert f"{api['total']} pagina" in html
    for name in combo:
        for v in FACET_VALUES[name]:
            assert re.search(rf'id="f-{name}-{v}" name="{name}" value="{v}" checked', html)


def test_security_headers_on_every_response(client):
    for url in ("/", "/zoeken?q=x", "/api/search", "/static/kennisbank.css", "/bestaat-niet"):
        r = client.get(url)
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"]


def test_static_assets_are_versioned_and_cached(client):
    html = text(client.get("/"))
    css = re.search(r'href="(/static/kennisbank.css\?v=[0-9a-f]+)"', html).group(1)
    r = client.get(css)
    assert r.status_code == 200 and "max-age=604800" in r.headers["Cache-Control"]


def test_no_external_resources(client):
    for url in ("/", "/zoeken?q=feedback", "/pagina/interventies/feedback"):
        html = text(client.get(url))
        assert not re.search(r'(src|href)="(https?:)?//(?!kennisbank\.example\.nl)', html), url
