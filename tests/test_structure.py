"""A page's structure kept as safe HTML: lists, tables and links survive, chrome and script do not."""

import pytest

from indexer.parse import parse_page

from conftest import app_on, index_pages, page_html

STRUCTURED = page_html(
    "Zittenblijven",
    '<p class="meta">Interventie · laatst bijgewerkt <time>2024-01-01</time></p>'
    '<dl class="samenvatting"><dt>Gemiddeld effect</dt><dd>-3 maanden</dd><dt>Kosten</dt><dd>hoog</dd></dl>'
    "<h2>Aanbevelingen</h2><ol><li>Kijk eerst naar <em>extra</em> hulp.</li><li>Bespreek het met ouders.</li></ol>"
    "<table><caption>Kerncijfers</caption><tr><th scope='row'>Effect</th><td>-3 maanden</td></tr></table>"
    "<dl><dt>Doubleren</dt><dd>Een jaar overdoen.</dd></dl>"
    '<p>Zie <a href="/interventies/feedback">feedback</a> en <a href="https://eef.example.org/toolkit">de toolkit</a>.</p>'
    '<p class="bewijskracht"><strong>Bewijskracht:</strong> 3 van 5 (redelijk)</p>'
    '<h2>Lees ook</h2><ul><li><a href="/themas/huiswerk">Huiswerk</a></li><li><a href="/themas/lezen">Lezen</a></li></ul>',
    type="interventie", impact="-3", kosten="5", bewijskracht="3",
)

HOSTILE = page_html(
    "Vijandige pagina",
    '<p onclick="alert(1)">Tekst <script>alert(2)</script><img src=x onerror="alert(3)">'
    '<a href="javascript:alert(4)">klik</a> <a href="/interventies/x" onmouseover="alert(5)">intern</a></p>'
    '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>'
    '<table><tr><td style="background:url(javascript:alert(6))">cel</td></tr></table>',
)


def test_lists_tables_definitions_and_emphasis_are_kept():
    html = parse_page(STRUCTURED.encode(), "interventies/zittenblijven.html").body_html
    assert "<h2>Aanbevelingen</h2>" in html
    assert "<ol>\n<li>" in html or "<ol><li>" in html
    assert "<em>extra</em>" in html
    assert "<caption>Kerncijfers</caption>" in html and '<th scope="row">Effect</th>' in html
    assert "<dt>Doubleren</dt>" in html


def test_links_into_the_corpus_point_at_the_page_view_and_others_are_marked_external():
    html = parse_page(STRUCTURED.encode(), "interventies/zittenblijven.html").body_html
    assert '<a href="/pagina/interventies/feedback">feedback</a>' in html
    assert '<a class="extern" href="https://eef.example.org/toolkit" rel="noopener">de toolkit</a>' in html


def test_meta_lines_figure_blocks_and_the_closing_link_list_stay_out_of_text_and_html():
    page = parse_page(STRUCTURED.encode(), "interventies/zittenblijven.html")
    for chrome in ("laatst bijgewerkt", "Bewijskracht:", "Gemiddeld effect", "Lees ook", "Huiswerk"):
        assert chrome not in page.body, chrome
        assert chrome not in page.body_html, chrome
    assert "Bespreek het met ouders." in page.body


def test_script_handlers_and_dangerous_links_are_removed():
    html = parse_page(HOSTILE.encode(), "themas/vijandig.html").body_html
    for bad in ("<script", "alert(2)", "onclick", "onerror", "onmouseover", "javascript:", "<iframe", "<img",
                "style", "display:none"):
        assert bad not in html, bad
    assert '<a href="/pagina/interventies/x">intern</a>' in html
    assert "<td>cel</td>" in html


@pytest.fixture(scope="module")
def structured_app(tmp_path_factory):
    return app_on(index_pages(tmp_path_factory, "structuur", {
        "interventies/zittenblijven.html": STRUCTURED, "themas/vijandig.html": HOSTILE,
        "interventies/feedback.html": page_html("Feedback", "<p>Over de taak.</p>", type="interventie"),
    }))


def test_the_page_view_shows_the_structure_with_working_internal_links(structured_app):
    client = structured_app.test_client()
    html = client.get("/pagina/interventies/zittenblijven").get_data(as_text=True)
    assert "<caption>Kerncijfers</caption>" in html and "<li>Bespreek het met ouders.</li>" in html
    assert "laatst bijgewerkt" not in html
    link = '<a href="/pagina/interventies/feedback">feedback</a>'
    assert link in html
    assert client.get("/pagina/interventies/feedback").status_code == 200


def test_a_hostile_page_stays_inert_in_the_page_view(structured_app):
    html = structured_app.test_client().get("/pagina/themas/vijandig").get_data(as_text=True)
    assert "alert(" not in html and "onerror" not in html and "javascript:" not in html
    assert "<td>cel</td>" in html


def test_the_api_returns_the_html_beside_the_text(structured_app):
    doc = structured_app.test_client().get("/api/documents/interventies/zittenblijven").get_json()
    assert "<ol>" in doc["body_html"] and "<" not in doc["body"]
    assert "Bespreek het met ouders." in doc["body"]
