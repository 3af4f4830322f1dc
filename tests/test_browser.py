"""The web interface in a real browser: the system's Chromium, driven by Playwright, on a real server.

On a machine without Chromium these tests skip; with KENNISBANK_REQUIRE_BROWSER=1 (as
in CI) a missing browser fails them instead. Screenshots go to test-artifacts/screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
import threading

import pytest

from conftest import ROOT, TEST_SETTINGS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("KENNISBANK_REQUIRE_BROWSER") == "1"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

if not CHROMIUM:
    if REQUIRED:
        pytest.fail("KENNISBANK_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium)", pytrace=False)
    pytest.skip("no chromium on PATH: install it (apt-get install chromium) to run the browser tests", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")

# A browser and a server per module and a second or two per test: about 40 s in all,
# too long for the everyday loop.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(corpus_index, tmp_path_factory):
    """Serve the app on the corpus index from a real HTTP server on a free port."""
    from werkzeug.serving import make_server

    from webapp import create_app

    app = create_app(
        TEST_SETTINGS, index_dir=corpus_index, synonyms=ROOT / "corpus" / "synoniemen.txt",
        # Searches are logged as on a real server, but not into the working copy's data/.
        query_log=tmp_path_factory.mktemp("browser") / "zoeklog.sqlite3",
    )
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def shoot(page, name: str) -> None:
    """Save the page at desktop and phone width for a reviewer to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / f"{name}-telefoon.png"), full_page=True)
    page.set_viewport_size(size)


def result_count(page) -> int:
    return int(re.match(r"\d+", page.locator("#resultaat-kop").inner_text()).group())


def facet_count(page, facet: str, value: str) -> int:
    label = page.locator(f"label[for='f-{facet}-{value}']").inner_text()
    return int(re.search(r"\((\d+)\)", label).group(1))


def test_search_from_the_start_page(server, page):
    page.goto(server)
    shoot(page, "start")
    page.get_by_label("Zoek in de kennisbank").fill("woordenschat")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r"/zoeken\?q=woordenschat"))
    assert page.get_by_label("Zoek in de kennisbank").input_value() == "woordenschat"
    assert re.match(r"\d+ resultaten voor ‘woordenschat’", page.locator("#resultaat-kop").inner_text())
    assert "Woordenschat" in page.locator(".card__title").first.inner_text()


def test_ticking_two_sectors_updates_counts_and_results_without_reload(server, page):
    page.goto(f"{server}/zoeken?q=leerlingen")
    total = result_count(page)
    po_count, vo_count = facet_count(page, "sector", "po"), facet_count(page, "sector", "vo")
    page.evaluate("window.__sameDocument = true")
    page.locator("#f-sector-po").check()
    page.wait_for_url(re.compile(r"sector=po"))
    page.wait_for_function(f"document.querySelector('#resultaat-status').textContent.startsWith('{po_count} ')")
    assert result_count(page) == po_count < total
    # Disjunctive counts: the vo count still says what ticking vo would add.
    assert facet_count(page, "sector", "vo") == vo_count
    page.locator("#f-sector-vo").check()
    page.wait_for_url(re.compile(r"sector=po.*sector=vo|sector=vo.*sector=po"))
    page.wait_for_function(f"!document.querySelector('#resultaat-kop').textContent.startsWith('{po_count} ')")
    both = result_count(page)
    assert max(po_count, vo_count) <= both <= po_count + vo_count
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded instead of updating in place"
    assert page.locator("#resultaat-status").inner_text().startswith(f"{both} ")
    shoot(page, "resultaten-met-filters")


def test_removing_a_filter_chip(server, page):
    page.goto(f"{server}/zoeken?q=leerlingen&sector=po&type=kennisrotonde")
    narrowed = result_count(page)
    page.get_by_role("link", name=re.compile("Verwijder filter Sector")).click()
    page.wait_for_url(lambda url: "sector=po" not in url)
    assert "type=kennisrotonde" in page.url
    assert result_count(page) >= narrowed
    page.get_by_role("link", name="Alle filters wissen").click()
    page.wait_for_url(lambda url: "type=" not in url)
    assert page.get_by_label("Zoek in de kennisbank").input_value() == "leerlingen"


def test_sorting_newest_first(server, page):
    page.goto(f"{server}/zoeken?q=leerlingen")
    page.get_by_label("Sorteren op").select_option("date")
    page.wait_for_url(re.compile(r"sort=date"))
    dates = page.locator(".card time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True)


def test_pagination(server, page):
    page.goto(f"{server}/zoeken?q=leerlingen")
    first = page.locator(".card__title").first.inner_text()
    page.get_by_role("link", name="Volgende pagina").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".pagination [aria-current=page]").inner_text().endswith("2")
    assert page.locator(".card__title").first.inner_text() != first
    assert page.locator("ol.cards").get_attribute("start") == "11"


def test_misspelled_query_is_corrected_and_can_be_searched_as_typed(server, page):
    page.goto(f"{server}/zoeken?q=feeback")
    assert "Resultaten voor feedback" in page.locator(".corrected").inner_text()
    assert result_count(page) > 0
    shoot(page, "spelling-verbeterd")
    page.locator(".corrected a").click()
    page.wait_for_url(re.compile(r"correct=0"))
    assert result_count(page) == 0
    link = page.locator(".did-you-mean a")
    assert link.inner_text() == "feedback"


def test_zero_results_offer_ways_to_broaden(server, page):
    page.goto(f"{server}/zoeken?q=woordenschat&sector=ho&type=interventie")
    assert result_count(page) == 0
    help_box = page.locator(".no-results")
    assert "Niets gevonden" in help_box.inner_text()
    options = help_box.locator("a", has_text=re.compile(r"\d+ resultat"))
    assert options.count() >= 1
    shoot(page, "geen-resultaten")
    options.first.click()
    page.wait_for_load_state()
    assert result_count(page) > 0


def test_page_view(server, page):
    page.goto(f"{server}/zoeken?q=feedback&type=interventie")
    title = page.locator(".card__title a").first.inner_text()
    page.locator(".card__title a").first.click()
    page.wait_for_url(re.compile(r"/pagina/"))
    assert page.locator("h1").inner_text() == title
    assert page.get_by_role("link", name="Bekijk de oorspronkelijke pagina").get_attribute("href").startswith("http")
    assert page.locator(".related li").count() >= 1
    assert "van 5" in page.locator(".document__meta").inner_text()
    shoot(page, "pagina")


def test_page_view_keeps_tables_numbered_lists_and_internal_links(server, page):
    page.goto(f"{server}/pagina/interventies/een-op-een-bijles")
    body = page.locator(".document__body")
    assert body.locator("table th").count() >= 1
    assert body.locator("ol > li").count() >= 2
    assert "Bewijskracht:" not in body.inner_text() and "laatst bijgewerkt" not in body.inner_text()
    # The figures are shown with symbols, explained in a legend that leads to "Over de cijfers".
    assert "maanden extra vooruitgang" in page.locator(".legend").inner_text()
    shoot(page, "pagina-opbouw")
    internal = body.locator("a[href^='/pagina/']").first
    title = internal.inner_text()
    internal.click()
    page.wait_for_url(re.compile(r"/pagina/"))
    assert page.locator("h1").inner_text().lower().startswith(title.lower()[:5])
    page.goto(f"{server}/zoeken?type=interventie")
    page.locator(".legend").get_by_role("link", name="Over de cijfers").click()
    page.wait_for_url(re.compile(r"/over-de-cijfers"))
    shoot(page, "over-de-cijfers")


def test_suggestions_by_keyboard_only(server, page):
    page.goto(server)
    box = page.get_by_role("combobox")
    box.focus()
    page.keyboard.type("woordensch", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    first = page.get_by_role("option").first.evaluate("el => el.firstChild.textContent")
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == page.get_by_role("option").first.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(zoeken\?thema=|pagina/)"))
    if "/pagina/" in page.url:
        assert page.locator("h1").inner_text() == first
    else:
        assert page.locator(".active-filters").inner_text().count(first) == 1


def test_everything_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server)
    page.get_by_label("Zoek in de kennisbank").fill("leerlingen")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r"q=leerlingen"))
    total = result_count(page)
    page.locator("#f-sector-mbo").check()
    page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_url(re.compile(r"sector=mbo"))
    assert result_count(page) < total
    page.get_by_label("Sorteren op").select_option("date")
    page.get_by_role("button", name="Sorteren").click()
    page.wait_for_url(re.compile(r"sort=date"))
    assert "sector=mbo" in page.url
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_phone_shows_results_before_the_filters(server, browser, javascript):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{server}/zoeken?q=leerlingen&sector=po")
    results, filters = page.locator("#resultaten"), page.locator("#filters")
    assert results.is_visible() and not filters.is_visible()
    assert page.locator(".card").first.bounding_box()["y"] < 800
    shoot_name = "telefoon-resultaten" + ("" if javascript else "-zonder-js")
    page.screenshot(path=str(SCREENSHOTS / f"{shoot_name}.png"), full_page=False)
    page.get_by_role("link", name="Filters (1)").click()
    assert filters.is_visible()
    assert filters.bounding_box()["y"] < results.bounding_box()["y"]
    page.get_by_label("Bewijskracht: minstens").select_option("3")
    if not javascript:
        page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_url(re.compile(r"min_bewijskracht=3"))
    page.wait_for_function("document.querySelector('.filters-toggle a').textContent.includes('(2)')")
    page.screenshot(path=str(SCREENSHOTS / f"{shoot_name}-filters.png"), full_page=False)
    context.close()


def test_a_filter_read_from_the_query_can_be_switched_off(server, page):
    page.goto(f"{server}/zoeken?q=interventie+lezen+basisschool")
    chips = page.locator(".interpreted li")
    assert chips.count() == 2 and "uit je zoekvraag" in chips.first.inner_text()
    with_filters = result_count(page)
    shoot(page, "filters-uit-zoekvraag")
    page.locator(".interpreted li", has_text="Primair onderwijs").get_by_role("link").click()
    page.wait_for_url(re.compile(r"skip=sector"))
    assert page.locator(".interpreted li").count() == 1
    assert result_count(page) > with_filters


def test_no_good_match_is_said_above_partial_results(server, page):
    page.goto(f"{server}/zoeken?q=hoofdluis+op+school")
    assert "We vonden geen pagina die over je vraag gaat" in page.locator(".no-good-match").inner_text()
    assert result_count(page) > 0
    shoot(page, "geen-goede-treffer")


@pytest.mark.parametrize("path, name", [
    ("/", "start"),
    ("/zoeken?q=interventie+lezen+basisschool", "filters-uit-zoekvraag"),
    ("/zoeken?q=feeback", "spelling-verbeterd"),
    ("/zoeken?q=blijven+zitten+hoofdluis", "geen-goede-treffer"),
    ("/zoeken?q=leerlingen&sector=po&sector=vo&type=kennisrotonde", "resultaten"),
    ("/zoeken?q=xyzzyqq&sector=ho", "geen-resultaten"),
    ("/pagina/interventies/feedback", "pagina"),
    ("/pagina/interventies/een-op-een-bijles", "pagina-opbouw"),
    ("/over-de-cijfers", "over-de-cijfers"),
    ("/menukaart", "menukaart"),
    ("/menukaart?sector=po&max_kosten=2&sort=kosten&richting=op", "menukaart-gefilterd"),
    ("/menukaart?sector=ho&min_bewijskracht=5", "menukaart-leeg"),
    ("/menukaart/vergelijk?id=interventies/feedback&id=interventies/leerstijlen&id=interventies/huiswerk", "vergelijk"),
])
def test_no_wcag_violations(server, page, path, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, results.generate_report()


def test_phone_width_has_no_horizontal_scroll(server, page):
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/", "/zoeken?q=leerlingen&sector=po", "/zoeken?q=interventie+lezen+basisschool",
                 "/zoeken?q=blijven+zitten+hoofdluis", "/pagina/interventies/feedback", "/menukaart",
                 "/pagina/interventies/een-op-een-bijles", "/over-de-cijfers",
                 "/menukaart/vergelijk?id=interventies/feedback&id=interventies/leerstijlen&id=interventies/huiswerk"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


# -- the editors' page ---------------------------------------------------------------

EDITOR_TOKEN = "token-voor-de-browsertest"


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    """Serve /beheer on an index whose last run kept a page with invalid figures and warned about another."""
    from werkzeug.serving import make_server

    from indexer import build_index
    from webapp import create_app

    from conftest import page_html, write_pages

    base = tmp_path_factory.mktemp("beheer")
    page = lambda impact: page_html("Feedback", "<p>Over de taak.</p>", type="interventie", impact=impact, kosten="1",  # noqa: E731
                                    bewijskracht="4")
    src = write_pages(base / "src", {"interventies/feedback.html": page("+6"),
                                     "themas/een-heel-lang-bestandsnaam-voor-een-smal-scherm.html":
                                         page_html("Lang", "<p>Tekst.</p>", sectors="universiteit")})
    build_index([src], base / "ix")
    write_pages(src, {"interventies/feedback.html": page("veel")})
    build_index([src], base / "ix")
    log = base / "zoeklog.sqlite3"
    app = create_app(TEST_SETTINGS, index_dir=base / "ix", sources=[src], synonyms=None, admin_token=EDITOR_TOKEN,
                     query_log=log, session_cookie_secure=False)
    client = app.test_client()
    client.get("/zoeken?q=rekenangst&sector=po&min_bewijskracht=3")
    client.get("/api/search?q=robot")
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


def test_beheer_at_phone_width(editor_server, browser):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 320, "height": 800},
                                  extra_http_headers={"Authorization": f"Bearer {EDITOR_TOKEN}"})
    page = context.new_page()
    page.goto(f"{editor_server}/beheer")
    assert "Vorige versie behouden (1)" in page.locator(".to-fix").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=str(SCREENSHOTS / "beheer-telefoon.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "beheer-desktop.png"), full_page=True)
    context.close()


# -- the menukaart ------------------------------------------------------------------

def menukaart_rows(page) -> list[dict]:
    """Return the menukaart's rows as a person reads them: title, effect, cost and sectors."""
    return page.locator(".menukaart__table tbody tr").evaluate_all("""rows => rows.map(r => ({
        title: r.querySelector('th').innerText.trim(),
        effect: r.querySelector('[data-label=Effect]').innerText.trim(),
        kosten: r.querySelector('[data-label=Kosten]').innerText.trim(),
        sectors: r.querySelector('[data-label=Sectoren]').innerText.trim(),
    }))""")


def months(effect: str) -> int | None:
    return None if effect == "geen cijfers" else int(re.match(r"[+-]?\d+", effect).group())


def cost(text: str) -> int:
    return int(re.search(r"\((\d) van 5\)", text).group(1))


def sort_menukaart(page, column: str, label: str, direction: str, phone: bool) -> None:
    """Sort as a person would: the column heading on a wide screen, the sort fields on a phone."""
    if phone:
        page.get_by_label("Sorteren op").select_option(label=label)
        page.get_by_label("Volgorde").select_option(direction)
        page.get_by_role("button", name="Toepassen").click()
    else:
        link = page.locator(".menukaart__table thead th a", has_text=label)
        # A new column sorts downward first; its heading then offers the other way.
        link.click()
        page.wait_for_url(re.compile(f"sort={column}"))
        if f"richting={direction}" not in page.url:
            page.locator(".menukaart__table thead th a", has_text=label).click()
    page.wait_for_url(re.compile(f"sort={column}.*richting={direction}|richting={direction}.*sort={column}"))


@pytest.mark.parametrize("javascript", [True, False], ids=["met-js", "zonder-js"])
@pytest.mark.parametrize("width", [1280, 360], ids=["desktop", "telefoon"])
def test_menukaart_sort_filter_and_compare(server, browser, javascript, width):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900},
                                  locale="nl-NL")
    page = context.new_page()
    phone = width < 500
    page.goto(f"{server}/menukaart")
    rows = menukaart_rows(page)
    assert len(rows) == len(list((ROOT / "corpus" / "interventies").glob("*.html")))

    sort_menukaart(page, "effect", "Effect", "op", phone)
    effects = [months(r["effect"]) for r in menukaart_rows(page)]
    figures = [e for e in effects if e is not None]
    assert figures == sorted(figures) and figures[0] < 0
    assert effects[-4:] == [None] * 4, "interventions without figures sort last"

    sort_menukaart(page, "kosten", "Kosten", "af", phone)
    costs = [cost(r["kosten"]) for r in menukaart_rows(page)[:-4]]
    assert costs == sorted(costs, reverse=True) and costs[0] == 5

    page.get_by_label("Primair onderwijs").check()
    page.get_by_label("Kosten hoogstens").select_option("2")
    page.get_by_label("Bewijskracht minstens").select_option("2")
    page.get_by_role("button", name="Toepassen").click()
    page.wait_for_url(re.compile(r"sector=po"))
    assert "max_kosten=2" in page.url and "min_bewijskracht=2" in page.url and "sort=kosten" in page.url
    filtered = menukaart_rows(page)
    assert 3 <= len(filtered) < len(rows)
    assert all(cost(r["kosten"]) <= 2 and "po" in r["sectors"] for r in filtered)
    if not phone:
        shoot(page, f"menukaart-{'js' if javascript else 'zonder-js'}")

    chosen = [r["title"] for r in filtered[:3]]
    for title in chosen:
        page.get_by_label(f"Vergelijk {title}", exact=True).check()
    page.get_by_role("button", name="Vergelijk gekozen interventies").click()
    page.wait_for_url(re.compile(r"/menukaart/vergelijk\?id="))
    assert page.locator(".compare__table thead th").all_inner_texts() == chosen
    assert page.locator(".compare__table tbody th").all_inner_texts()[:3] == ["Effect", "Kosten", "Bewijskracht"]
    assert "Hoe pak je het aan?" in page.locator(".compare__table").inner_text()
    if width == 1280:
        # The comparison is linkable: its address alone shows the same three.
        again = context.new_page()
        again.goto(page.url)
        assert again.locator(".compare__table thead th").all_inner_texts() == chosen
    if not phone:
        shoot(page, f"vergelijk-{'js' if javascript else 'zonder-js'}")
    context.close()


def test_compare_from_the_search_results(server, page):
    page.goto(f"{server}/zoeken?q=lezen&type=interventie")
    boxes = page.locator(".card__compare input")
    assert boxes.count() >= 3
    titles = page.locator(".card--interventie .card__title").all_inner_texts()[:3]
    page.evaluate("window.__sameDocument = true")
    for i in range(3):
        boxes.nth(i).check()
    # Ticking a compare box is not a search filter: the page neither reloads nor changes.
    assert page.evaluate("window.__sameDocument === true") and "id=" not in page.url
    assert all(boxes.nth(i).is_checked() for i in range(3))
    page.get_by_role("button", name="Vergelijk gekozen interventies").click()
    page.wait_for_url(re.compile(r"/menukaart/vergelijk"))
    assert page.locator(".compare__table thead th").all_inner_texts() == titles


def test_results_page_offers_its_feed(server, page):
    page.goto(f"{server}/zoeken?q=lezen&sector=po")
    alternate = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    link = page.get_by_role("link", name="Volg deze zoekopdracht")
    assert link.get_attribute("href") == alternate == "/zoeken.atom?q=lezen&sector=po"


def test_comparison_prints_on_a4_without_navigation(server, page):
    ids = "id=interventies/feedback&id=interventies/leerstijlen&id=interventies/huiswerk&id=interventies/mentoring"
    page.goto(f"{server}/menukaart/vergelijk?{ids}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "vergelijk-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # A4 is 595 x 842 points.
    assert re.search(rb"/MediaBox \[0 0 595(\.\d+)? 841(\.\d+)?\]|/MediaBox \[0 0 595(\.\d+)? 842", data)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".site-footer").is_visible()
    assert not page.get_by_role("link", name="Terug naar de menukaart").is_visible()
    assert page.locator(".compare__table").is_visible()
    # Every column fits on the page's width: nothing is cut off to the right.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(SCREENSHOTS / "vergelijk-print.png"), full_page=True)
