"""Shared fixtures: small page folders written on the fly, and indexes built from them once."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from indexer import SearchEngine, Settings, build_index, vocab

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

#: Settings for an app in a test: Flask's test mode, no background index watcher, and no
#: search log or question store unless the test gives one (so no test writes to data/ in
#: the working tree).
TEST_SETTINGS = Settings(testing=True, watch_index=False, query_log=None, question_store=None)


def page_html(
    title: str,
    body: str,
    *,
    type: str | None = None,
    themes: str | None = None,
    sectors: str | None = None,
    bewijskracht: str | None = None,
    impact: str | None = None,
    kosten: str | None = None,
    modified: str | None = None,
    description: str | None = None,
    canonical: str | None = None,
    extra_head: str = "",
) -> str:
    """Return a page in the contract's shape, with site chrome around the content."""
    meta = []
    for name, value in (
        ("kb:type", type), ("kb:thema", themes), ("kb:sector", sectors), ("kb:bewijskracht", bewijskracht),
        ("kb:impact", impact), ("kb:kosten", kosten), ("dcterms.modified", modified), ("description", description),
    ):
        if value is not None:
            meta.append(f'<meta name="{name}" content="{html.escape(value)}">')
    if canonical is not None:
        meta.append(f'<link rel="canonical" href="{html.escape(canonical)}">')
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)} | Kennisbank Onderwijs</title>
{''.join(meta)}{extra_head}</head>
<body><header><nav><a href="/">Home</a> <a href="/themas">Thema's</a> navigatiemenu</nav></header>
<div class="cookie-banner">Deze site gebruikt cookies <button>Akkoord</button></div>
<main><h1>{html.escape(title)}</h1>{body}</main>
<footer>Voorbeeldpagina, geschreven voor het project Kennisbank. voettekst</footer></body></html>"""


def write_pages(folder: Path, pages: dict[str, str]) -> Path:
    """Write {relative path: html} below folder and return the folder."""
    for rel, text in pages.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def index_pages(tmp_path_factory, name: str, pages: dict[str, str]) -> Path:
    """Write pages to a new folder, index them all (none rejected), and return the index."""
    index_dir = tmp_path_factory.mktemp(f"{name}-index")
    assert build_index([write_pages(tmp_path_factory.mktemp(name), pages)], index_dir).exit_code == 0
    return index_dir


def app_on(index_dir: Path):
    """Return an app on an index, without logs or rate limits."""
    from webapp import create_app

    return create_app(TEST_SETTINGS, index_dir=index_dir, request_log=False, query_log=None, ratelimit_enabled=False)


def replace_pages(folder: Path, pages: dict[str, str]) -> Path:
    """Delete every page below folder and write pages instead, as a new export of the site would."""
    for path in list(folder.rglob("*.html")):
        path.unlink()
    return write_pages(folder, pages)


def numbered_pages(title: str, n: int, sentences: int = 1) -> dict[str, str]:
    """Return n pages about pupils who read, titled "<title> 0" to "<title> <n-1>".

    Each title gives its own file names, so one set of pages can replace another.

    :param sentences: the length of each page's text; long pages make slow builds.
    """
    stem = vocab.slugify(title)
    return {
        f"themas/{stem}{i}.html": page_html(
            f"{title} {i}", "<p>" + " ".join([f"Leerlingen lezen begrijpend over onderwerp {i}."] * sentences) + "</p>")
        for i in range(n)
    }


#: A small corpus whose every page tests something the search must do.
SAMPLE_PAGES = {
    "themas/woordenschat.html": page_html(
        "Woordenschat", "<p>Een rijke woordenschat helpt leerlingen bij begrijpend lezen. Kleuters leren woorden door voorlezen.</p>"
        "<h2>Wat werkt in de klas?</h2><p>Leerkrachten bieden nieuwe woorden aan in samenhang en herhalen ze vaak.</p>",
        themes="Woordenschat", sectors="vve,po", bewijskracht="4", modified="2024-05-01",
    ),
    "themas/rekenen.html": page_html(
        "Passend rekenonderwijs", "<p>Rekenonderwijs voor sterke en zwakke rekenaars vraagt om goede instructie.</p>"
        "<p>Rekenangst komt voor bij leerlingen die vaak fouten maken.</p>",
        themes="Rekenonderwijs", sectors="po,so", bewijskracht="3", modified="2023-02-01",
    ),
    "interventies/feedback.html": page_html(
        "Feedback", "<p>Feedback gaat over de taak en de volgende stap. Een leerling die feedback krijgt, leert meer.</p>",
        type="interventie", themes="Feedback, Formatief handelen", sectors="po", bewijskracht="4", impact="+6", kosten="1",
        modified="2025-03-14",
    ),
    "interventies/zittenblijven.html": page_html(
        "Zittenblijven", "<p>Een jaar overdoen levert gemiddeld achterstand op. Doubleren is duur.</p>",
        type="interventie", themes="Zittenblijven", sectors="po,vo", bewijskracht="3", impact="-3", kosten="5",
        modified="2022-09-09",
    ),
    "interventies/kleinere-klassen.html": page_html(
        "Kleinere klassen", "<p>Kleinere klassen helpen vooral als de leraar anders gaat lesgeven.</p>",
        type="interventie", themes="Klassenmanagement", sectors="po,vo", bewijskracht="2", impact="+2", kosten="5",
        modified="2021-01-01",
    ),
    "kennisrotonde/huiswerk-groep-8.html": page_html(
        "Helpt huiswerk in groep 8?", "<h2>Kort antwoord</h2><p>In het basisonderwijs is het effect van huiswerk klein.</p>"
        "<h2>Toelichting</h2><p>In het voortgezet onderwijs helpt huiswerk meer, vooral als de leerkracht het nabespreekt.</p>",
        themes="Huiswerk", sectors="po", bewijskracht="2", modified="2026-01-10",
    ),
    "kennisrotonde/leerling-leest.html": page_html(
        "Wat doet een leerling die niet graag leest?", "<p>Een leerling die niet graag leest, kiest zelf boeken.</p>",
        themes="Leesmotivatie", sectors="vo,mbo", bewijskracht="1", modified="2020-06-30",
    ),
    "leidraden/coordinatie.html": page_html(
        "Coördinatie van zorg", "<p>Goede coördinatie tussen school en zorg helpt leerlingen in het speciaal onderwijs.</p>",
        type="leidraad", themes="Passend onderwijs", sectors="so", bewijskracht="0", modified="2019-11-11",
    ),
    "leidraden/veilig.html": page_html(
        "Veilige <script>alert('x')</script> school",
        "<p>Tekst met &lt;script&gt;alert('body')&lt;/script&gt; en een \"aanhalingsteken\" over veiligheid in de klas.</p>",
        type="leidraad", themes="Welbevinden en pesten", sectors="ho", bewijskracht="5", modified="2024-12-24",
        description="Samenvatting met <b>opmaak</b> & tekens",
    ),
}


@pytest.fixture(scope="session")
def sample_source(tmp_path_factory) -> Path:
    return write_pages(tmp_path_factory.mktemp("sample") / "bron", SAMPLE_PAGES)


@pytest.fixture(scope="session")
def sample_index(sample_source, tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("sample-index")
    report = build_index([sample_source], index_dir)
    assert report.exit_code == 0, report.rejected
    return index_dir


@pytest.fixture(scope="session")
def synonyms_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("syn") / "synoniemen.txt"
    path.write_text("zittenblijven, doubleren, blijven zitten\npo, primair onderwijs, basisschool\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def engine(sample_index, synonyms_file) -> SearchEngine:
    return SearchEngine(sample_index, synonyms_path=synonyms_file)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """The shipped corpus, indexed once per test run."""
    index_dir = tmp_path_factory.mktemp("corpus-index")
    report = build_index([CORPUS], index_dir)
    assert report.build, report.error
    return index_dir


@pytest.fixture(scope="session")
def corpus_engine(corpus_index) -> SearchEngine:
    return SearchEngine(corpus_index, synonyms_path=CORPUS / "synoniemen.txt")


@pytest.fixture(scope="session")
def app(sample_index, synonyms_file):
    """One app for the tests that only read; a test that changes an app's state creates its own."""
    from webapp import create_app

    return create_app(
        TEST_SETTINGS, index_dir=sample_index, synonyms=synonyms_file, request_log=False,
        # Nothing one test could leave behind for the next: no search log to fill, no rate
        # limit to use up. Both have tests of their own, on apps of their own.
        query_log=None, ratelimit_enabled=False,
    )


@pytest.fixture()
def client(app):
    return app.test_client()


def pytest_terminal_summary(terminalreporter):
    """Report how many cases the property-based tests tried."""
    import sys

    counts = dict(getattr(sys.modules.get("test_fuzz"), "CASES", {}))
    conformance = getattr(sys.modules.get("test_openapi_conformance"), "CASES", {}).get("n")
    if conformance:
        counts["schemathesis: API requests checked against the OpenAPI document"] = conformance
    if counts:
        terminalreporter.write_sep("-", "fuzz cases tried")
        for name, n in sorted(counts.items()):
            terminalreporter.write_line(f"{name}: {n}")
