"""The Dutch analysis: what a teacher types and what a page says must meet on one term."""

from pathlib import Path

import pytest

from indexer.analysis import analyze, analyzer_name, compound_splitter
from indexer.analysis.lemmas import trained_model_installed


def meets(query: str, page: str) -> bool:
    return bool(set(analyze(query)) & set(analyze(page)))


@pytest.mark.parametrize("plural, singular", [
    ("leerlingen", "leerling"), ("leraren", "leraar"), ("kinderen", "kind"), ("scholen", "school"),
    ("leerkrachten", "leerkracht"), ("klassen", "klas"), ("thema's", "thema"), ("lessen", "les"),
    ("interventies", "interventie"), ("vaardigheden", "vaardigheid"), ("scholieren", "scholier"),
])
def test_plural_nouns_meet_their_singular(plural, singular):
    assert analyze(plural) == analyze(singular)


@pytest.mark.parametrize("form, infinitive", [
    ("gelezen", "lezen"), ("leest", "lezen"), ("las", "lezen"), ("lazen", "lezen"),
    ("geleerd", "leren"), ("leert", "leren"), ("gaf", "geven"), ("gewerkt", "werken"),
])
def test_verb_forms_meet_the_infinitive(form, infinitive):
    assert analyze(form) == analyze(infinitive)


@pytest.mark.parametrize("inflected, base", [
    ("effectieve", "effectief"), ("sterke", "sterk"), ("zwakke", "zwak"), ("meertalige", "meertalig"),
    ("hoogbegaafde", "hoogbegaafd"),
])
def test_inflected_adjectives_meet_the_base_form(inflected, base):
    assert analyze(inflected) == analyze(base)


def test_diacritics_are_folded():
    assert analyze("coördinatie") == analyze("coordinatie") == ["coordinatie"]
    assert analyze("ideeën") == analyze("ideeen")


def test_een_with_accents_is_a_stop_word_like_een():
    assert analyze("één leerling") == analyze("een leerling") == ["leerling"]


def test_case_and_stop_words():
    assert analyze("De Leerling en het Boek") == ["leerling", "boek"]


def test_content_words_that_spacy_lists_as_stop_words_are_kept():
    assert "vroeg" in analyze("vroeg beginnen")
    assert "lang" in analyze("lang lezen")


def test_compound_parts_are_indexed_beside_the_whole_word():
    terms = analyze("rekenonderwijs")
    assert terms[0] == "rekenonderwijs"
    assert {"rekenen", "onderwijs"} <= set(terms)


def test_onderwijs_in_rekenen_meets_rekenonderwijs():
    assert set(analyze("onderwijs in rekenen")) <= set(analyze("rekenonderwijs"))


def test_rekenangst_meets_angst_voor_rekenen():
    assert set(analyze("angst voor rekenen")) <= set(analyze("rekenangst"))


def test_inflected_compounds_are_lemmatized_on_their_last_part():
    assert analyze("woordenschatlessen")[0] == "woordenschatles"


@pytest.mark.parametrize("word", ["leerling", "leerlingen", "aanbeveling", "ondersteuning", "betrokkenheid", "management"])
def test_words_that_are_not_compounds_stay_whole(word):
    assert compound_splitter().split(analyze(word)[0]) == ()


def test_hyphenated_words_are_split_into_words():
    assert analyze("leraar-leerlingrelatie")[:2] == ["leraar", "leerlingrelatie"]
    assert "leerling" in analyze("NT2-leerlingen")


def test_positions_put_compound_parts_at_the_position_of_the_whole():
    from indexer.analysis import DutchAnalyzer

    tokens = [(t.text, t.pos) for t in DutchAnalyzer()("goed rekenonderwijs", positions=True)]
    assert tokens == [("goed", 0), ("rekenonderwijs", 1), ("rekenen", 1), ("onderwijs", 1)]


def test_character_offsets_point_at_the_surface_word():
    from indexer.analysis import DutchAnalyzer

    text = "Leerlingen lezen thema's."
    spans = [(t.text, text[t.startchar:t.endchar]) for t in DutchAnalyzer()(text, chars=True)]
    assert spans == [("leerling", "Leerlingen"), ("lezen", "lezen"), ("thema", "thema's")]


def test_analyzer_name_says_which_lemmatizer_runs():
    name = analyzer_name()
    if trained_model_installed():
        assert name.startswith("nl_core_news_sm")
    else:
        assert name.startswith("spacy-blank-nl+simplemma")


# -- indexes written by the previous release ------------------------------------------

PREVIOUS_RELEASE = Path(__file__).parent / "data" / "index-previous-release"


def test_an_index_of_the_previous_release_still_opens_and_asks_for_a_rebuild(tmp_path):
    # Built from the sample pages by release 6897df2, whose schema pickled its analysis
    # classes by name: they must still load, so the analyzer check can explain.
    import shutil

    from indexer import AnalyzerMismatch, SearchEngine, SearchRequest

    shutil.copytree(PREVIOUS_RELEASE, tmp_path / "ix")
    with pytest.raises(AnalyzerMismatch, match="kennisbank index --full"):
        SearchEngine(tmp_path / "ix").search(SearchRequest(q="feedback"))
    readable = SearchEngine(tmp_path / "ix", check_analyzer=False).search(SearchRequest(q="feedback"))
    assert [h.title for h in readable.results] == ["Feedback"]


def test_the_analysis_chain_is_stored_under_stable_names():
    import pickle

    from indexer.analysis import DutchAnalyzer

    stored = pickle.dumps(DutchAnalyzer())
    for name in (b"DutchTokenizer", b"LemmaFilter", b"FoldFilter", b"DutchStopFilter", b"CompoundFilter"):
        assert name in stored
    assert b"indexer.analysis.filters" not in stored
    assert pickle.loads(stored) == DutchAnalyzer()
