"""The page contract, field by field, and every kind of page that must be refused."""

import json

import pytest
from bs4.element import Tag

from indexer.parse import PageError, parse_page

from conftest import page_html


def parse(text, relpath="themas/x.html", **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_page(data, relpath, **kw)


def test_title_is_the_h1_of_the_main_content():
    page = parse("<html><head><title>Kop | Site</title></head><body><main><h1>Echte titel</h1><p>Tekst.</p></main></body></html>")
    assert page.title == "Echte titel"


def test_title_falls_back_to_title_without_site_name():
    page = parse("<html><head><title>Woordenschat | Kennisbank Onderwijs</title></head><body><main><p>Tekst.</p></main></body></html>")
    assert page.title == "Woordenschat"


def test_title_keeps_hyphens_inside_the_title():
    page = parse("<html><head><title>Leraar-leerlingrelatie | Kennisbank</title></head><body><p>Tekst.</p></body></html>")
    assert page.title == "Leraar-leerlingrelatie"


def test_summary_is_the_meta_description_else_the_first_paragraph():
    with_meta = parse(page_html("T", "<p>Eerste alinea.</p>", description="Korte samenvatting."))
    without = parse(page_html("T", "<p>Eerste alinea.</p><p>Tweede.</p>"))
    assert with_meta.summary == "Korte samenvatting."
    assert without.summary == "Eerste alinea."


def test_url_from_canonical_then_og_url_then_base_url_and_path():
    canonical = parse(page_html("T", "<p>x</p>", canonical="https://example.org/a"))
    og = parse(page_html("T", "<p>x</p>", extra_head='<meta property="og:url" content="https://example.org/og">'))
    made = parse(page_html("T", "<p>x</p>"), relpath="themas/sub/pagina.html", base_url="https://kb.example/")
    assert canonical.url == "https://example.org/a"
    assert og.url == "https://example.org/og"
    assert made.url == "https://kb.example/themas/sub/pagina"


def test_a_javascript_canonical_is_refused_with_a_warning():
    page = parse(page_html("T", "<p>x</p>", canonical="javascript:alert(1)"), base_url="https://kb.example/")
    assert page.url == "https://kb.example/themas/x"
    assert any("javascript" in w for w in page.warnings)


def test_metadata_from_kb_meta_tags():
    page = parse(page_html(
        "Feedback", "<p>x</p>", type="interventie", themes="Feedback, Formatief handelen",
        sectors="po", bewijskracht="4", impact="+6", kosten="1", modified="2025-03-14",
        extra_head='<meta name="kb:sector" content="vo"><meta name="dcterms.issued" content="2020-01-02">',
    ), relpath="interventies/feedback.html")
    assert page.type == "interventie"
    assert [(t.label, t.slug) for t in page.themes] == [("Feedback", "feedback"), ("Formatief handelen", "formatief-handelen")]
    assert page.sectors == ["po", "vo"]
    assert (page.bewijskracht, page.impact, page.kosten) == (4, 6, 1)
    assert page.modified.isoformat() == "2025-03-14"
    assert page.issued.isoformat() == "2020-01-02"
    assert page.warnings == []


def test_negative_impact_is_kept_with_its_sign():
    page = parse(page_html("Z", "<p>x</p>", type="interventie", impact="-3"), relpath="interventies/z.html")
    assert page.impact == -3


def test_metadata_from_json_ld_when_there_are_no_kb_tags():
    ld = {"kb:type": "kennisrotonde", "kb:thema": ["Huiswerk", "Ouderbetrokkenheid"], "kb:sector": ["po", "vo"],
          "kb:bewijskracht": 2, "dateModified": "2024-02-03"}
    page = parse(page_html("Vraag?", "<p>x</p>", extra_head=f'<script type="application/ld+json">{json.dumps(ld)}</script>'),
                 relpath="elders/vraag.html")
    assert page.type == "kennisrotonde"
    assert [t.slug for t in page.themes] == ["huiswerk", "ouderbetrokkenheid"]
    assert page.sectors == ["po", "vo"] and page.bewijskracht == 2
    assert page.modified.isoformat() == "2024-02-03"


def test_type_is_inferred_from_the_first_folder():
    assert parse(page_html("T", "<p>x</p>"), relpath="leidraden/a.html").type == "leidraad"
    assert parse(page_html("T", "<p>x</p>"), relpath="kennisrotonde/a.html").type == "kennisrotonde"


def test_body_leaves_out_site_chrome():
    page = parse(page_html("Titel", "<p>Inhoud van de pagina.</p><aside>Zie ook dit</aside><form>zoekveld</form>"
                           "<script>var x = 1;</script><style>p{}</style>"))
    assert page.body == "Inhoud van de pagina."
    for chrome in ("navigatiemenu", "cookies", "voettekst", "Zie ook", "zoekveld", "var x", "p{}"):
        assert chrome not in page.body


def test_chrome_inside_a_cookie_banner_goes_with_it():
    page = parse(page_html("T", '<div id="cookie-melding"><div class="knoppen"><p>Akkoord?</p></div>'
                                '<aside>Meer over cookies</aside></div><p>Inhoud.</p>'))
    assert page.body == "Inhoud."


def nodes_visited(depth: int) -> int:
    """Parse a page nested `depth` divs deep; return how many nodes bs4's tree walks visited."""
    visited = 0
    walk = Tag.descendants.fget

    def counted(tag):
        nonlocal visited
        for node in walk(tag):
            visited += 1
            yield node

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Tag, "descendants", property(counted))
        parse("<html><body><main><h1>Diep</h1>" + "<div>" * depth + "<p>Tekst.</p>" + "</div>" * depth
              + "</main></body></html>")
    return visited


def test_parsing_work_grows_linearly_with_nesting_depth():
    # Counted in nodes visited, not seconds: a page twice as deep takes twice the walking.
    # A check per tag that searched the tag's subtree made it four times.
    assert nodes_visited(400) < 2.5 * nodes_visited(200)


def test_body_falls_back_to_article_then_body():
    article = parse("<html><body><nav>menu</nav><article><h1>A</h1><p>In het artikel.</p></article></body></html>")
    body = parse("<html><body><header>kop</header><h1>B</h1><p>In de body.</p><footer>voet</footer></body></html>")
    assert article.body == "In het artikel."
    assert body.body == "In de body."


def test_headings_are_kept_as_their_own_field():
    page = parse(page_html("T", "<h2>Wat werkt?</h2><p>x</p><h3>In de klas</h3><p>y</p><h4>klein</h4>"))
    assert page.headings == ["Wat werkt?", "In de klas"]


def test_kennisrotonde_question_and_short_answer():
    page = parse(page_html("Helpt huiswerk in groep 8?", "<h2>Kort antwoord</h2><p>Een beetje.</p><p>Vooral in het vo.</p>"
                           "<h2>Toelichting</h2><p>Lang verhaal.</p>"), relpath="kennisrotonde/huiswerk.html")
    assert page.title == "Helpt huiswerk in groep 8?"
    assert page.short_answer == "Een beetje. Vooral in het vo."


def test_short_answer_inside_an_aside_is_content():
    page = parse(page_html("Vraag?", '<aside class="kort-antwoord"><h2>Kort antwoord</h2><p>Ja, meestal.</p></aside>'
                           "<h2>Toelichting</h2><p>Uitleg.</p>"), relpath="kennisrotonde/v.html")
    assert page.short_answer == "Ja, meestal."
    assert "Ja, meestal." in page.body


def test_entities_are_decoded():
    page = parse(page_html("Idee", "<p>co&ouml;rdinatie &amp; &eacute;&eacute;n</p>").replace("<h1>Idee</h1>", "<h1>Idee&euml;n</h1>"))
    assert page.title == "Ideeën"
    assert page.body == "coördinatie & één"


def test_declared_charset_is_honoured():
    text = page_html("Café", "<p>Coördinatie van ideeën</p>").replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    page = parse(text.encode("cp1252"))
    assert page.title == "Café" and "Coördinatie van ideeën" in page.body


def test_http_equiv_charset_and_bom():
    text = page_html("Één", "<p>één</p>").replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    assert parse(text.encode("latin-1")).title == "Één"
    assert parse(b"\xef\xbb\xbf" + page_html("BOM", "<p>één</p>").encode("utf-8")).body == "één"


def test_undeclared_encoding_is_detected():
    text = page_html("Ideeën", "<p>Coördinatie en ideeën voor leerlingen in het onderwijs.</p>").replace('<meta charset="utf-8">', "")
    assert parse(text.encode("cp1252")).title == "Ideeën"


@pytest.mark.parametrize("data, reason", [
    (b"", "leeg"),
    (b"   \n\t ", "leeg"),
    (b"\x00\x01\x02binary\x00" * 50, "binair"),
    (b"Dit is gewone tekst zonder opmaak.", "geen HTML"),
    (b"<html><body><main><p>Tekst zonder titel</p></main></body></html>", "geen titel"),
    (b"<html><head><title>Alleen titel</title></head><body><main></main></body></html>", "geen tekst"),
])
def test_unusable_pages_are_refused_with_a_reason(data, reason):
    with pytest.raises(PageError, match=reason):
        parse(data)


def test_unknown_type_that_the_path_cannot_settle_is_refused():
    with pytest.raises(PageError, match="onbekend type 'nieuws'"):
        parse(page_html("T", "<p>x</p>", type="nieuws"), relpath="elders/x.html")


def test_unknown_type_in_a_typed_folder_is_settled_by_the_folder():
    page = parse(page_html("T", "<p>x</p>", type="nieuws"), relpath="leidraden/x.html")
    assert page.type == "leidraad" and any("nieuws" in w for w in page.warnings)


@pytest.mark.parametrize("field, value, attribute", [
    ("modified", "2024-13-45", "modified"),
    ("sectors", "universiteit", "sectors"),
    ("bewijskracht", "7", "bewijskracht"),
    ("bewijskracht", "hoog", "bewijskracht"),
    ("impact", "veel", "impact"),
    ("kosten", "9", "kosten"),
])
def test_invalid_values_are_dropped_with_a_warning_naming_the_value(field, value, attribute):
    page = parse(page_html("T", "<p>x</p>", type="interventie", **{field: value}), relpath="interventies/x.html")
    assert getattr(page, attribute) in (None, [])
    assert any(value in w for w in page.warnings)


def test_impact_on_a_page_that_is_no_intervention_is_dropped():
    page = parse(page_html("T", "<p>x</p>", impact="+3"), relpath="themas/x.html")
    assert page.impact is None and page.warnings


def test_content_hash_changes_with_the_content():
    a = parse(page_html("T", "<p>x</p>"))
    b = parse(page_html("T", "<p>y</p>"))
    assert a.content_hash != b.content_hash
