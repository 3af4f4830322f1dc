"""From a search that finds nothing to a question, in a real browser, with and without JavaScript."""

from __future__ import annotations

import re
import threading

import pytest
from test_browser import WCAG, browser, shoot  # noqa: F401 (browser is a fixture)

from conftest import ROOT, TEST_SETTINGS

pytestmark = pytest.mark.slow

TOKEN = "geheim-token-voor-de-browser"
ANSWER = "kennisrotonde/helpt-huiswerk-in-groep-8"


def answer_title() -> str:
    """The answer's question as the corpus words it now."""
    from indexer.parse import parse_page

    return parse_page((ROOT / "corpus" / f"{ANSWER}.html").read_bytes(), f"{ANSWER}.html").title


@pytest.fixture(scope="module")
def app(corpus_index, tmp_path_factory):
    from webapp import create_app

    return create_app(
        TEST_SETTINGS, index_dir=corpus_index, synonyms=ROOT / "corpus" / "synoniemen.txt", admin_token=TOKEN,
        question_store=tmp_path_factory.mktemp("vragen") / "vragen.sqlite3", session_cookie_secure=False,
        request_log=False, ratelimit_enabled=False,
    )


@pytest.fixture(scope="module")
def server(app):
    from werkzeug.serving import make_server

    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


@pytest.fixture(params=[True, False], ids=["met-javascript", "zonder-javascript"])
def page(browser, request):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL",
                                  java_script_enabled=request.param)
    pg = context.new_page()
    pg.javascript = request.param
    pg.set_default_timeout(10_000)
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def axe_clean(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    # axe runs as a script in the page: it checks the pages where JavaScript runs, and
    # test_the_step_without_javascript_passes_axe the one page only seen without.
    if page.javascript:
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.violations_count == 0, results.generate_report()


def from_search_to_form(server, page) -> None:
    """Search with no good match, follow the offer to ask, and write the question out."""
    page.goto(f"{server}/zoeken?q=hoofdluis+op+school")
    axe_clean(page)
    box = page.locator(".no-good-match")
    assert "We vonden geen pagina die over je vraag gaat" in box.inner_text()
    box.get_by_role("link", name="Stel je vraag aan de Kennisrotonde").click()
    page.wait_for_url(re.compile(r"/vraag\?q=hoofdluis"))
    question = page.get_by_label("Je vraag", exact=True)
    assert question.input_value() == "hoofdluis op school"
    question.press("End")
    question.press_sequentially(": helpt huiswerk in groep 8?")
    page.get_by_label("Sector", exact=True).select_option("po")
    page.get_by_label("Je rol", exact=True).select_option("leraar")


def suggested_answer(page):
    """Return the link to the existing answer, once the form shows it (as you type, or after Versturen)."""
    if page.javascript:
        region = page.locator("#vraag-suggesties")
        region.get_by_text("Lijkt een van deze antwoorden op je vraag?").wait_for()
    else:
        page.get_by_role("button", name="Versturen").click()
        page.get_by_role("heading", name="Lijkt een van deze antwoorden op je vraag?").wait_for()
        region = page.locator("main")
    link = region.locator(f"a[href$='/vraag/gekozen/{ANSWER}']")
    assert link.inner_text().startswith(answer_title())
    return link


def test_declining_the_suggested_answer_sends_the_question(server, page, app):
    from_search_to_form(server, page)
    axe_clean(page)
    suffix = "met-js" if page.javascript else "zonder-js"
    link = suggested_answer(page)
    shoot(page, f"vraag-suggesties-{suffix}")
    axe_clean(page)
    if page.javascript:
        page.get_by_role("button", name="Versturen").click()
    else:
        page.get_by_role("button", name="Nee, stel mijn vraag").click()
    assert link  # shown, and declined
    page.wait_for_url(re.compile(r"/vraag/ontvangen"))
    ref = page.locator(".reference").inner_text()
    assert re.fullmatch(r"KR-\d{4}-\d{4}", ref)
    shoot(page, f"vraag-ontvangen-{suffix}")
    axe_clean(page)
    question = app.extensions["kennisbank"].questions.get(ref)
    assert question.vraag == "hoofdluis op school: helpt huiswerk in groep 8?"
    assert [s.q for s in question.searches] == ["hoofdluis op school"]


def test_accepting_the_suggested_answer_lands_on_it(server, page, app):
    before = sum(m.referrals for m in app.extensions["kennisbank"].questions.months())
    from_search_to_form(server, page)
    suggested_answer(page).click()
    page.wait_for_url(re.compile(f"/pagina/{ANSWER}$"))
    assert page.locator("h1").inner_text() == answer_title()
    assert sum(m.referrals for m in app.extensions["kennisbank"].questions.months()) == before + 1


def test_an_error_is_tied_to_its_field_and_focused(server, page):
    page.goto(f"{server}/vraag")
    page.get_by_label("Je vraag", exact=True).fill("Te kort?")
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("alert").wait_for()
    field = page.get_by_label("Je vraag", exact=True)
    assert page.evaluate("document.activeElement.id") == "vraag"
    assert "te kort" in page.locator(f"#{field.get_attribute('aria-describedby').split()[-1]}").inner_text()
    shoot(page, f"vraag-fout-{'met-js' if page.javascript else 'zonder-js'}")
    axe_clean(page)


def test_the_step_without_javascript_passes_axe(server, page):
    if not page.javascript:
        pytest.skip("axe needs JavaScript; the step is reached here by sending the form as a script-less browser does")
    page.goto(f"{server}/vraag")
    page.get_by_label("Je vraag", exact=True).fill("Helpt huiswerk in groep 8 voor de leerlingen?")
    page.get_by_label("Sector", exact=True).select_option("po")
    page.get_by_label("Je rol", exact=True).select_option("leraar")
    page.locator("#vraag-suggesties a").first.wait_for()
    page.evaluate("document.getElementById('bevestigd').value = ''; document.querySelector('.question-form').submit()")
    page.get_by_role("button", name="Nee, stel mijn vraag").wait_for()
    axe_clean(page)


def test_the_editors_queue_in_the_browser(server, page, app):
    if not page.javascript:
        pytest.skip("the queue is the same page with or without JavaScript; checked once")
    page.goto(f"{server}/beheer")
    page.get_by_label("Beheertoken").fill(TOKEN)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Vragen aan de Kennisrotonde").wait_for()
    axe_clean(page)
    page.get_by_role("link", name="Naar de vragenlijst").click()
    page.get_by_role("heading", name=re.compile(r"Alle vragen")).wait_for()
    shoot(page, "beheer-vragen")
    axe_clean(page)
    for path in ("/vraag", "/beheer/vragen"):
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
