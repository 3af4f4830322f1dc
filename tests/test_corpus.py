"""The shipped corpus: every page indexes cleanly and the knowledge base covers what schools ask about."""

import re
from collections import Counter

import pytest

from indexer import build_index, check_sources
from indexer.generate import generate

from conftest import CORPUS

SAMPLE_NOTE = "Voorbeeldpagina, geschreven voor het project Kennisbank."
PAGES = sorted(CORPUS.rglob("*.html"))


@pytest.fixture(scope="module")
def report():
    return check_sources([CORPUS])


def test_every_page_is_indexed_without_rejection_or_warning(report):
    assert report.rejected == []
    assert report.warnings == []
    assert report.exit_code == 0


def test_corpus_counts(report):
    types = report.counts["type"]
    assert types["themapagina"] >= 20
    assert types["leidraad"] >= 12
    assert types["interventie"] >= 35
    assert types["kennisrotonde"] >= 90
    assert sum(types.values()) >= 160


def test_every_sector_every_evidence_level_and_25_themes(report):
    assert set(report.counts["sector"]) == {"vve", "po", "so", "vo", "mbo", "ho"}
    assert {"0", "1", "2", "3", "4", "5"} <= set(report.counts["bewijskracht"])
    assert len(report.counts["thema"]) >= 25


@pytest.mark.slow
def test_every_intervention_has_impact_cost_and_evidence(corpus_engine):
    from indexer import SearchRequest

    result = corpus_engine.search(SearchRequest(type=["interventie"], per_page=100))
    assert result.total >= 35
    for hit in result.results:
        assert hit.kosten is not None and hit.bewijskracht is not None, hit.id
        # The toolkit gives no months figure where research is insufficient; the page
        # then says so instead of showing a number.
        assert hit.impact is not None or hit.bewijskracht == 0, hit.id


@pytest.mark.slow
def test_the_index_holds_the_same_counts(corpus_engine, report):
    assert corpus_engine.health()["documents"] == report.indexed


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_page_says_it_is_a_sample_written_for_this_project(path):
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace") if b"windows-1252" not in raw[:2000] else raw.decode("cp1252")
    assert SAMPLE_NOTE in re.sub(r"\s+", " ", text)


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


@pytest.mark.slow
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


@pytest.mark.slow
def test_generated_pages_recombine_rather_than_repeat(tmp_path):
    generate(CORPUS, tmp_path / "g", 200, seed=1)
    bodies = [p.read_text(encoding="utf-8") for p in (tmp_path / "g").rglob("*.html")]
    words = Counter(w for b in bodies for w in re.findall(r"[a-zë]{4,}", re.sub(r"<[^>]+>", " ", b).lower()))
    total = sum(words.values())
    # The most frequent content word stays a small share of the text, as in real Dutch.
    top_word, top_count = words.most_common(1)[0]
    assert top_count / total < 0.03, (top_word, top_count / total)
    assert len(set(bodies)) == len(bodies)
