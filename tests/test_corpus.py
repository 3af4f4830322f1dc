"""The shipped corpus: every page indexes cleanly and the knowledge base covers what schools ask about."""

import functools
import importlib.util
import re
import sys
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer import build_index, check_sources
from indexer.generate import generate
from indexer.parse import parse_page

from conftest import CORPUS

# Reads, checks and links the whole corpus: CI runs it, the inner loop skips it.
pytestmark = pytest.mark.slow

SAMPLE_NOTE = "Voorbeeldpagina, geschreven voor het project Kennisbank."
PAGES = sorted(CORPUS.rglob("*.html"))


def source_text(path: Path) -> str:
    """Return a page's source; a few pages are windows-1252 on purpose."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def visible_text(html: str) -> str:
    """Return the text a reader sees in the page's content, without the link blocks and the chrome."""
    html = re.sub(r"<(script|style|aside class=\"gerelateerd\")[^>]*>.*?</(script|style|aside)>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@functools.cache
def parsed() -> dict:
    """Page id -> parsed page, read on first use rather than while tests are collected."""
    return {p.id: p for p in (parse_page(path.read_bytes(), path.relative_to(CORPUS).as_posix()) for path in PAGES)}


@functools.cache
def sources() -> dict:
    """Page id -> the page's HTML source."""
    return {path.relative_to(CORPUS).with_suffix("").as_posix(): source_text(path) for path in PAGES}


ANSWERS = sorted(f"kennisrotonde/{p.stem}" for p in (CORPUS / "kennisrotonde").glob("*.html"))


@pytest.fixture(scope="module")
def report():
    return check_sources([CORPUS])


def test_every_page_is_indexed_without_rejection_or_warning(report):
    assert report.rejected == []
    assert report.warnings == []
    assert report.exit_code == 0


def test_corpus_reaches_the_programmes_own_targets(report):
    types = report.counts["type"]
    assert types["themapagina"] >= 60
    assert types["leidraad"] >= 60
    assert types["interventie"] >= 40
    assert types["kennisrotonde"] >= 140


def test_every_sector_every_evidence_level_and_60_themes(report):
    assert set(report.counts["sector"]) == {"vve", "po", "so", "vo", "mbo", "ho"}
    assert {"0", "1", "2", "3", "4", "5"} <= set(report.counts["bewijskracht"])
    assert len(report.counts["thema"]) >= 60
    assert report.counts["sector"]["ho"] >= 10 and report.counts["sector"]["vve"] >= 10
    ho_guidance = [p for p in parsed().values() if "ho" in p.sectors and p.type in ("leidraad", "interventie")]
    assert len(ho_guidance) >= 5


def test_every_theme_has_its_theme_page():
    themes = {t.slug for p in parsed().values() for t in p.themes}
    theme_pages = {t.slug for p in parsed().values() if p.type == "themapagina" for t in p.themes[:1]}
    assert themes <= theme_pages, themes - theme_pages


def test_every_intervention_has_impact_cost_and_evidence(corpus_engine):
    from indexer import SearchRequest

    result = corpus_engine.search(SearchRequest(type=["interventie"], per_page=100))
    assert result.total >= 35
    for hit in result.results:
        assert hit.kosten is not None and hit.bewijskracht is not None, hit.id
        # The toolkit gives no months figure where research is insufficient; the page
        # then says so instead of showing a number.
        assert hit.impact is not None or hit.bewijskracht == 0, hit.id


def test_the_index_holds_the_same_counts(corpus_engine, report):
    assert corpus_engine.health().documents == report.indexed


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_page_says_it_is_a_sample_written_for_this_project(path):
    assert SAMPLE_NOTE in re.sub(r"\s+", " ", source_text(path))


# Service pages of the site (forms, not knowledge) that the site chrome links to.
SERVICE_PAGES = {"kennisrotonde/stel-een-vraag"}


def test_links_between_pages_point_to_pages_that_exist():
    missing = Counter()
    for path in PAGES:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for folder, slug in re.findall(r'href="/(themas|leidraden|interventies|kennisrotonde)/([a-z0-9-]+)"', text):
            if not (CORPUS / folder / f"{slug}.html").exists() and f"{folder}/{slug}" not in SERVICE_PAGES:
                missing[f"{folder}/{slug}"] += 1
    assert not missing, f"links to pages that do not exist: {dict(missing)}"


def test_generator_is_deterministic_and_its_pages_index(tmp_path):
    assert generate(CORPUS, tmp_path / "a", 40, seed=7) == 40
    generate(CORPUS, tmp_path / "b", 40, seed=7)
    generate(CORPUS, tmp_path / "c", 40, seed=8)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.html"))
    assert len(files_a) == 40
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    assert any(
        not (tmp_path / "c" / f).exists() or (tmp_path / "a" / f).read_bytes() != (tmp_path / "c" / f).read_bytes()
        for f in files_a
    )
    report = build_index([tmp_path / "a"], tmp_path / "ix")
    assert report.exit_code == 0 and report.indexed == 40


def test_generated_pages_recombine_rather_than_repeat(tmp_path):
    generate(CORPUS, tmp_path / "g", 200, seed=1)
    bodies = [p.read_text(encoding="utf-8") for p in (tmp_path / "g").rglob("*.html")]
    words = Counter(w for b in bodies for w in re.findall(r"[a-zë]{4,}", re.sub(r"<[^>]+>", " ", b).lower()))
    total = sum(words.values())
    # The most frequent content word stays a small share of the text, as in real Dutch.
    top_word, top_count = words.most_common(1)[0]
    assert top_count / total < 0.03, (top_word, top_count / total)
    assert len(set(bodies)) == len(bodies)


# -- the real formats -------------------------------------------------------------------

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"


@pytest.mark.parametrize("answer", ANSWERS)
def test_an_answer_has_the_kennisrotonde_format(answer):
    page, html = parsed()[answer], sources()[answer]
    assert page.nummer and re.fullmatch(r"KR\.\d{3}", page.nummer)
    assert page.issued is not None
    # The number and the answer date are on the page, the date in Dutch.
    header = re.search(r'class="kr-meta">(.*?)</p>', html, re.S)
    assert header and page.nummer in header.group(1)
    assert re.search(rf"\d{{1,2}} ({MONTHS}) 20\d\d", visible_text(header.group(1)))
    assert page.short_answer
    assert page.references, "no literature list"
    assert "opgesteld door de redactie" in visible_text(html)
    assert re.search(r"<h2[^>]*>\s*Hoe sterk is het onderzoek\?", html)


def test_answer_numbers_are_unique_and_follow_the_answer_dates():
    numbered = sorted((parsed()[a].nummer, parsed()[a].issued, a) for a in ANSWERS)
    assert len({n for n, _, _ in numbered}) == len(numbered)
    dates = [d for _, d, _ in numbered]
    assert dates == sorted(dates), "a later number has an earlier date"


def test_questions_are_asked_in_many_ways_not_mostly_yes_or_no():
    yes_no = [a for a in ANSWERS if re.match(r"(Helpt|Helpen|Werkt|Werken|Is|Zijn|Heeft|Hebben|Kan|Kunnen|Moet|Moeten|"
                                              r"Levert|Leveren|Presteren|Worden|Wordt|Maakt|Maken)\b", parsed()[a].title)]
    assert len(yes_no) <= len(ANSWERS) / 3, yes_no
    openings = Counter(parsed()[a].title.split()[0] for a in ANSWERS)
    assert len(openings) >= 8


def test_answers_explain_their_evidence_in_words_not_as_a_toolkit_rating():
    rated = [a for a in ANSWERS if re.search(r"Bewijskracht:?\s*\d\s*van\s*5", visible_text(sources()[a]))]
    assert not rated


def test_leidraden_give_numbered_recommendations_with_a_justification():
    for page_id, page in parsed().items():
        if page.type != "leidraad":
            continue
        soup = BeautifulSoup(sources()[page_id], "lxml")
        # A recommendation is an item of a numbered list with a few sentences of reasons.
        lists = [[li.get_text(" ", strip=True) for li in ol.find_all("li", recursive=False)] for ol in soup.find_all("ol")]
        numbered = [h for h in soup.find_all("h3") if re.match(r"Aanbeveling \d+", h.get_text(strip=True))]
        assert any(len(items) >= 4 and all(len(i) >= 120 for i in items) for items in lists) or len(numbered) >= 4, \
            page_id


def test_theme_pages_vary_in_structure_and_length():
    themes = [p for p in parsed().values() if p.type == "themapagina"]
    shapes = Counter(tuple(re.findall(r"<h2[^>]*>(.*?)</h2>", sources()[p.id])) for p in themes)
    assert shapes.most_common(1)[0][1] <= len(themes) / 3
    words = sorted(len(p.body.split()) for p in themes)
    assert words[-1] >= 2 * words[0]


def test_no_writers_notes_disclaimers_or_second_form_of_address():
    notes = re.compile(r"verzonnen|gefingeerd|fictie[fv]|denkbeeldig|partnerversie|niet kunnen inzien|"
                       r"Toolkit Leren en Lesgeven", re.I)
    polite = re.compile(r"\b(u|uw)\b")
    problems = {}
    for page_id, html in sources().items():
        text = visible_text(re.sub(r"<footer.*?</footer>", " ", html, flags=re.S))
        found = notes.findall(text) + polite.findall(text)
        if found:
            problems[page_id] = found
    assert not problems


def test_dates_shown_to_readers_are_in_dutch():
    iso = {i for i, html in sources().items() if re.search(r"<time[^>]*>\s*\d{4}-\d\d-\d\d\s*</time>", html)}
    assert not iso


def test_derived_figures_are_marked_and_said_in_words():
    derived = [p for p in parsed().values() if p.cijfers == "afgeleid"]
    assert derived, "the editors' derived figures must be marked with kb:cijfers"
    for page in derived:
        assert "afgeleid" in page.body, page.id


def test_each_intervention_names_its_toolkit_once_in_a_dated_source_line():
    for page_id, page in parsed().items():
        if page.type != "interventie":
            continue
        lines = re.findall(r'<p class="bron">(.*?)</p>', sources()[page_id], re.S)
        assert len(lines) == 1, page_id
        assert "Toolkit" in lines[0] and re.search(r'<time datetime="\d{4}-\d\d-\d\d">', lines[0]), page_id


# -- links as on a real site --------------------------------------------------------------

LINK = re.compile(r'href="/(themas|leidraden|interventies|kennisrotonde)/([a-z0-9-]+)"')


def links_of(page_id: str) -> set[str]:
    return {f"{folder}/{slug}" for folder, slug in LINK.findall(sources()[page_id])} - {page_id}


def test_every_theme_page_links_to_the_pages_of_its_theme():
    for page_id, page in parsed().items():
        if page.type != "themapagina":
            continue
        theme = page.themes[0].slug
        members = {i for i, p in parsed().items() if p.type != "themapagina" and theme in {t.slug for t in p.themes}}
        assert members <= links_of(page_id), (page_id, members - links_of(page_id))


def test_no_answer_is_an_orphan_and_answers_link_onwards():
    linked = {target for page_id in parsed() for target in links_of(page_id)}
    assert not [a for a in ANSWERS if a not in linked]
    for answer in ANSWERS:
        out = links_of(answer)
        assert any(t.startswith("themas/") for t in out), answer
        assert any(t.startswith("kennisrotonde/") for t in out), answer


def test_the_link_blocks_are_up_to_date():
    spec = importlib.util.spec_from_file_location("koppelingen", CORPUS / "koppelingen.py")
    koppelingen = importlib.util.module_from_spec(spec)
    sys.modules["koppelingen"] = koppelingen  # dataclasses look their module up while the class is made
    spec.loader.exec_module(koppelingen)
    assert koppelingen.main([str(CORPUS), "--check"]) == 0


def test_every_cited_title_was_checked_and_logged():
    checked = (CORPUS / "literatuur-controle.md").read_text(encoding="utf-8").lower()
    unchecked = []
    for page in parsed().values():
        for ref in page.references:
            author = re.match(r"\s*([^,(]+)", ref).group(1).split()[0].lower()
            year = re.search(r"\((\d{4}[a-z]?|z\.j\.)", ref)
            if author not in checked or (year and year.group(1) not in checked):
                unchecked.append((page.id, ref))
    assert not unchecked
    assert sum(len(p.references) for p in parsed().values()) >= 140
