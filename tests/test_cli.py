"""The kennisbank command: each command's exit code and what it leaves behind."""

import json

from click.testing import CliRunner

from indexer import SearchEngine
from indexer.cli import cli

from conftest import SAMPLE_PAGES, page_html, write_pages


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_index_builds_and_search_finds_a_singular_from_a_plural(sample_source, tmp_path):
    result = run("index", sample_source, "--index", tmp_path / "ix")
    assert result.exit_code == 0, result.output
    assert f"{len(SAMPLE_PAGES)} pagina's" in result.output
    found = run("search", "leerlingen", "--index", tmp_path / "ix")
    # "Wat doet een leerling die niet graag leest?" only says "leerling".
    assert "Wat doet een leerling die niet graag leest?" in found.output


def test_index_exit_code_1_names_the_rejected_page(tmp_path):
    src = write_pages(tmp_path / "src", {"themas/a.html": page_html("A", "<p>x</p>"), "themas/leeg.html": ""})
    result = run("index", src, "--index", tmp_path / "ix")
    assert result.exit_code == 1
    assert "leeg.html" in result.output and "leeg bestand" in result.output
    assert SearchEngine(tmp_path / "ix").health()["documents"] == 1


def test_index_exit_code_2_when_nothing_was_built(tmp_path):
    result = run("index", tmp_path / "nergens", "--index", tmp_path / "ix")
    assert result.exit_code == 2
    assert "bestaat niet" in result.output
    assert not (tmp_path / "ix" / "CURRENT").exists()


def test_index_json_report(sample_source, tmp_path):
    result = run("index", sample_source, "--index", tmp_path / "ix", "--json")
    report = json.loads(result.output)
    assert report["exit_code"] == 0 and report["indexed"] == len(SAMPLE_PAGES)
    assert report["analyzer"].startswith(("spacy-blank-nl", "nl_core_news_sm"))


def test_check_reports_without_writing(sample_source, tmp_path):
    result = run("check", sample_source, "--synonyms", tmp_path / "none.txt")
    assert result.exit_code == 0 and "gecontroleerd" in result.output
    assert not (tmp_path / "ix").exists()


def test_check_validates_the_synonym_file(sample_source, tmp_path):
    bad = tmp_path / "syn.txt"
    bad.write_text("po, primair onderwijs\nalleen\nvo,,middelbare school\n", encoding="utf-8")
    result = run("check", sample_source, "--synonyms", bad)
    assert result.exit_code == 1
    assert "syn.txt:2" in result.output and "syn.txt:3" in result.output


def test_stats_shows_counts_per_facet_and_the_analyzer(sample_index):
    result = run("stats", "--index", sample_index)
    assert result.exit_code == 0
    assert "documenten: 9" in result.output
    assert "interventie" in result.output and "Welbevinden en pesten" in result.output
    assert "analyzer:  spacy-blank-nl" in result.output or "analyzer:  nl_core_news_sm" in result.output


def test_search_json_is_the_api_result_object(sample_index):
    result = run("search", "feedback", "--index", sample_index, "--json")
    data = json.loads(result.output)
    assert {"query", "total", "page", "per_page", "results", "facets", "suggestion", "relaxed"} <= set(data)
    assert data["results"][0]["title"] == "Feedback"
    assert {"id", "url", "title", "type", "snippet", "bewijskracht", "impact", "kosten"} <= set(data["results"][0])


def test_search_without_an_index_is_a_clear_error(tmp_path):
    result = run("search", "x", "--index", tmp_path / "leeg")
    assert result.exit_code == 1 and "geen index" in result.output
    assert "Traceback" not in result.output


def test_search_with_an_invalid_filter_names_it(sample_index):
    result = run("search", "x", "--index", sample_index, "--sector", "universiteit")
    assert result.exit_code == 2 and "sector" in result.output
