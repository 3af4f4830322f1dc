"""The search library: matching, filters, facet counts, sorting, pages, snippets, help."""

import pytest

from indexer import InvalidParameter, NotFound, SearchRequest


def search(engine, q="", **kw):
    return engine.search(SearchRequest(q=q, per_page=kw.pop("per_page", 50), **kw))


def titles(result):
    return [h.title for h in result.results]


def counts(result, facet):
    return {fv.value: fv.count for fv in result.facets[facet]}


# -- matching ------------------------------------------------------------------

def test_query_plural_finds_page_singular(engine):
    assert "Wat doet een leerling die niet graag leest?" in titles(search(engine, "leerlingen"))


def test_query_singular_finds_page_plural(engine):
    assert "Kleinere klassen" in titles(search(engine, "klas"))


def test_verb_forms_meet(engine):
    # The page says "leest"; the teacher types "lezen".
    assert "Wat doet een leerling die niet graag leest?" in titles(search(engine, "lezen"))


def test_diacritics_do_not_matter(engine):
    assert titles(search(engine, "coordinatie"))[0] == "Coördinatie van zorg"
    assert titles(search(engine, "coördinatie"))[0] == "Coördinatie van zorg"


def test_compound_found_by_its_parts(engine):
    assert "Passend rekenonderwijs" in titles(search(engine, "onderwijs in rekenen"))


def test_title_match_ranks_above_body_match(engine):
    # "feedback" is the title of one page and a body word of none other; "leerling" is in
    # one title and several bodies.
    assert titles(search(engine, "leerling"))[0] == "Wat doet een leerling die niet graag leest?"


def test_the_page_with_all_words_comes_first(engine):
    result = search(engine, "huiswerk leerkracht")
    assert titles(result)[0] == "Helpt huiswerk in groep 8?" and not result.relaxed


def test_pages_with_some_of_the_words_when_none_has_all(engine):
    result = search(engine, "feedback zittenblijven")
    assert result.relaxed
    assert {"Feedback", "Zittenblijven"} <= set(titles(result))


def test_exact_phrase(engine):
    assert titles(search(engine, '"volgende stap"')) == ["Feedback"]
    assert search(engine, '"stap volgende"').total == 0


def test_exclude_a_word(engine):
    assert "Feedback" in titles(search(engine, "leerling"))
    assert "Feedback" not in titles(search(engine, "leerling -feedback"))


def test_prefix(engine):
    assert "Zittenblijven" in titles(search(engine, "zittenbl*"))


@pytest.mark.parametrize("q", ['"onafgesloten', "AND", "OR OR", ":", "title:x", "-", "*", '""', "-\"", "a" * 5000,
                               "\x00\x07 leerling \x1b", "((", "feedback)", "\\", "' OR 1=1 --", "<script>"])
def test_odd_input_never_fails(engine, q):
    result = search(engine, q)
    assert result.total >= 0


def test_stop_words_only_find_nothing_rather_than_everything(engine):
    assert search(engine, "de het een").total == 0


def test_empty_query_browses_everything_newest_first(engine):
    result = search(engine, "")
    assert result.total == 9
    dates = [h.modified for h in result.results]
    assert dates == sorted(dates, reverse=True)


# -- filters and facet counts ----------------------------------------------------

def test_filter_by_type(engine):
    result = search(engine, type=["interventie"])
    assert set(titles(result)) == {"Feedback", "Zittenblijven", "Kleinere klassen"}


def test_values_within_a_facet_combine_with_or(engine):
    assert search(engine, sector=["so"]).total == 2
    assert search(engine, sector=["ho"]).total == 1
    assert search(engine, sector=["so", "ho"]).total == 3


def test_facets_combine_with_and(engine):
    result = search(engine, type=["interventie"], sector=["vo"])
    assert set(titles(result)) == {"Zittenblijven", "Kleinere klassen"}


def test_filter_by_theme_and_evidence(engine):
    assert titles(search(engine, thema=["feedback"])) == ["Feedback"]
    assert set(titles(search(engine, bewijskracht=[4]))) == {"Feedback", "Woordenschat"}
    assert set(titles(search(engine, min_bewijskracht=4))) == {"Feedback", "Woordenschat", "Veilige <script>alert('x')</script> school"}


def test_filter_by_date_range(engine):
    from datetime import date

    result = search(engine, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert set(titles(result)) == {"Woordenschat", "Veilige <script>alert('x')</script> school"}


def test_facet_counts_are_disjunctive(engine):
    one = search(engine, sector=["po"])
    # The sector counts ignore the sector filter itself, so ticking "vo" as well shows
    # what it would add instead of collapsing to pages that are in both.
    assert counts(one, "sector")["vo"] == search(engine, sector=["vo"]).total
    assert counts(one, "sector")["po"] == one.total
    # Other facets' counts do apply the sector filter.
    assert sum(counts(one, "type").values()) == one.total
    two = search(engine, sector=["po", "vo"])
    either = {h.id for h in one.results} | {h.id for h in search(engine, sector=["vo"]).results}
    assert two.total == len(either)
    assert counts(two, "type")["interventie"] == 3


def test_facet_counts_follow_the_query(engine):
    result = search(engine, "huiswerk")
    assert counts(result, "type") == {"themapagina": 0, "leidraad": 0, "interventie": 0, "kennisrotonde": 1}


def test_selected_values_are_marked(engine):
    result = search(engine, sector=["po"], type=["interventie"])
    assert [fv.value for fv in result.facets["sector"] if fv.selected] == ["po"]
    assert [fv.value for fv in result.facets["type"] if fv.selected] == ["interventie"]


def test_theme_facet_has_labels(engine):
    labels = {fv.value: fv.label for fv in search(engine).facets["thema"]}
    assert labels["formatief-handelen"] == "Formatief handelen"


# -- sorting and pages ----------------------------------------------------------

def test_sort_by_date(engine):
    dates = [h.modified for h in search(engine, "leerling", sort="date").results]
    assert dates == sorted(dates, reverse=True) and len(dates) > 2


def test_sort_by_evidence(engine):
    levels = [h.bewijskracht for h in search(engine, sort="bewijskracht").results]
    assert levels[0] == 5 and levels == sorted(levels, reverse=True)


def test_sort_by_impact(engine):
    impacts = [h.impact for h in search(engine, type=["interventie"], sort="impact").results]
    assert impacts == [6, 2, -3]


def test_pagination(engine):
    first = search(engine, per_page=4, page=1)
    second = search(engine, per_page=4, page=2)
    third = search(engine, per_page=4, page=3)
    assert (first.total, first.pages) == (9, 3)
    assert len(first.results) == 4 and len(second.results) == 4 and len(third.results) == 1
    ids = [h.id for r in (first, second, third) for h in r.results]
    assert len(set(ids)) == 9


def test_a_page_beyond_the_last_is_empty_not_an_error(engine):
    result = search(engine, per_page=4, page=4)
    assert result.total == 9 and result.results == []


@pytest.mark.parametrize("kw, parameter", [
    ({"page": 0}, "page"), ({"per_page": 0}, "per_page"), ({"per_page": 101}, "per_page"),
    ({"sort": "xyz"}, "sort"), ({"sector": ["universiteit"]}, "sector"), ({"type": ["blog"]}, "type"),
    ({"bewijskracht": [6]}, "bewijskracht"), ({"min_bewijskracht": 9}, "min_bewijskracht"),
    ({"thema": ["x"] * 21}, "thema"),
])
def test_invalid_parameters_name_themselves(engine, kw, parameter):
    with pytest.raises(InvalidParameter) as err:
        engine.search(SearchRequest(**kw))
    assert err.value.parameter == parameter


# -- snippets, spelling, suggestions, related pages, synonyms ---------------------

def marked(hit):
    """Return the snippet's highlighted words."""
    return [hit.snippet[a:b] for a, b in hit.highlights]


def test_snippet_marks_the_matched_words(engine):
    hit = search(engine, "volgende stap").results[0]
    assert {"volgende", "stap"} <= set(marked(hit))


def test_snippet_is_plain_text_with_the_page_content_as_written(engine):
    # The library returns text, not HTML: the web layer escapes it and adds <mark>.
    hit = search(engine, "tekst veiligheid").results[0]
    assert "<script>alert(" in hit.snippet and "&lt;" not in hit.snippet
    assert {"Tekst", "veiligheid"} <= set(marked(hit))


def test_snippet_is_the_part_of_a_long_page_around_the_matches():
    from indexer.search.snippets import snippet

    text = "Begin van de tekst. " * 30 + "Hier staat het woord\n  rekenangst midden in. " + "Verder gaat het. " * 30
    start = text.index("rekenangst")
    shown = snippet(text, [(0, start, start + 10, "rekenangst")])
    assert shown.text.startswith("… ") and shown.text.endswith(" …")
    assert [shown.text[a:b] for a, b in shown.highlights] == ["rekenangst"]
    assert "woord rekenangst" in shown.text and len(shown.text) < 300


def test_phrase_match_ranks_above_scattered_words(tmp_path):
    from indexer import SearchEngine, build_index

    from conftest import page_html, write_pages

    src = write_pages(tmp_path / "src", {
        "themas/verspreid.html": page_html("Pagina een", "<p>Lezen doen we elke dag, en soms wordt iets begrijpend uitgelegd.</p>"),
        "themas/zin.html": page_html("Pagina twee", "<p>In groep 6 oefenen we elke dag begrijpend lezen met korte teksten.</p>"),
    })
    build_index([src], tmp_path / "ix")
    result = SearchEngine(tmp_path / "ix").search(SearchRequest(q="begrijpend lezen"))
    assert [h.id for h in result.results] == ["themas/zin", "themas/verspreid"]


def test_no_suggestion_when_the_query_finds_enough(engine):
    assert search(engine, "leerling").suggestion is None


def test_suggest_completes_titles_and_themes(engine):
    labels = [s.label for s in engine.suggest("zitten")]
    assert labels[0] == "Zittenblijven"
    assert any(s.kind == "thema" for s in engine.suggest("woorden"))
    assert engine.suggest("") == []


def test_suggest_matches_every_word_typed(engine):
    labels = [s.label for s in engine.suggest("huiswerk gr")]
    assert labels == ["Helpt huiswerk in groep 8?"]


def test_document_with_its_fields(engine):
    doc = engine.document("interventies/zittenblijven")
    assert doc.title == "Zittenblijven" and doc.impact == -3 and doc.kosten == 5
    assert "Doubleren is duur." in doc.body


def test_related_pages_share_words_or_themes_and_exclude_the_page_itself(engine):
    related = [r.id for r in engine.document("kennisrotonde/leerling-leest").related]
    # Both are about pupils and reading; zittenblijven shares nothing.
    assert "themas/woordenschat" in related
    assert "kennisrotonde/leerling-leest" not in related
    assert "interventies/zittenblijven" not in related


def test_unknown_document(engine):
    with pytest.raises(NotFound):
        engine.document("bestaat/niet")


def test_synonyms_apply_at_query_time(engine):
    # The page says "zittenblijven" and "doubleren"... only the synonym file links
    # "blijven zitten" to them.
    assert "Zittenblijven" in titles(search(engine, "blijven zitten"))
    assert "Helpt huiswerk in groep 8?" in titles(search(engine, "basisschool huiswerk"))


def test_synonym_file_edits_apply_without_restart(sample_index, tmp_path):
    from indexer import SearchEngine

    synonyms = tmp_path / "synoniemen.txt"
    synonyms.write_text("zittenblijven, doubleren\n", encoding="utf-8")
    engine = SearchEngine(sample_index, synonyms_path=synonyms)
    assert "Kleinere klassen" not in titles(search(engine, "groepsgrootte"))
    synonyms.write_text("zittenblijven, doubleren\ngroepsgrootte, kleinere klassen\n", encoding="utf-8")
    assert "Kleinere klassen" in titles(search(engine, "groepsgrootte"))


def test_cached_results_follow_every_synonym_edit(sample_index, tmp_path):
    # The cache used to key on id() of the synonym list, and CPython reuses the ids of
    # freed objects: an edit could then be answered from the cache of an older list.
    import os

    from indexer import SearchEngine

    synonyms = tmp_path / "synoniemen.txt"
    engine = SearchEngine(sample_index, synonyms_path=synonyms, cache_size=100)
    for i in range(20):
        synonyms.write_text(f"zoekwoord{i:02d}, feedback\n", encoding="utf-8")
        os.utime(synonyms, ns=(10**18 + i * 10**9, 10**18 + i * 10**9))
        # Ask for every word so far: only the one in the file now may find the page.
        for j in range(i + 1):
            assert titles(search(engine, f"zoekwoord{j:02d}")) == (["Feedback"] if j == i else []), (i, j)


def test_every_synonym_edit_gets_a_cache_key_of_its_own(tmp_path):
    # What the result cache keys on: an id() of the parsed list was reused by CPython
    # (20 edits gave 5 distinct ids), so results of an older list could be served.
    import os

    from indexer.synonyms import SynonymFile

    path = tmp_path / "synoniemen.txt"
    file = SynonymFile(path)
    keys = []
    for i in range(20):
        path.write_text(f"zoekwoord{i:02d}, feedback\n", encoding="utf-8")
        os.utime(path, ns=(10**18 + i * 10**9, 10**18 + i * 10**9))
        synonyms, version = file.versioned()
        assert synonyms.groups == [[f"zoekwoord{i:02d}", "feedback"]]
        keys.append(version)
    assert len(set(keys)) == 20


def test_a_new_build_that_cannot_be_opened_is_reported_and_the_old_one_serves(sample_index, tmp_path):
    # The watcher used to swallow every failure: /healthz stayed green while the
    # server kept serving an old build forever.
    import shutil
    import time

    from indexer import SearchEngine

    index = tmp_path / "ix"
    shutil.copytree(sample_index, index)
    engine = SearchEngine(index)
    assert engine.health().status == "ok"
    engine.watch(interval=0.05)
    good = engine.health().build
    broken = index / "builds" / "20990101T000000000000-broken"
    broken.mkdir()
    (broken / "build.json").write_text("{niet json", encoding="utf-8")
    (index / "CURRENT").write_text("builds/20990101T000000000000-broken", encoding="utf-8")
    deadline = time.monotonic() + 10
    while engine.health().status == "ok" and time.monotonic() < deadline:
        time.sleep(0.05)
    health = engine.health()
    assert health.status == "degraded" and "nieuwe index kon niet worden geopend" in health.error
    assert health.build == good
    assert search(engine, "feedback").total == 1
