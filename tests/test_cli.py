"""The kennisbank command: each command's exit code and what it leaves behind."""

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from indexer import SearchEngine
from indexer.cli import cli

from conftest import ROOT, SAMPLE_PAGES, page_html, write_pages


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
    assert SearchEngine(tmp_path / "ix").health().documents == 1


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


def test_search_says_how_it_understood_the_query(sample_index, tmp_path):
    synonyms = tmp_path / "synoniemen.txt"
    synonyms.write_text("zittenblijven, doubleren, blijven zitten\n", encoding="utf-8")
    corrected = run("search", "feeback", "--index", sample_index, "--synonyms", synonyms)
    assert "Resultaten voor: feedback (zoek met --exact naar: feeback)" in corrected.output
    assert "Feedback" in corrected.output
    exact = run("search", "feeback", "--exact", "--index", sample_index, "--synonyms", synonyms)
    assert "Bedoelde u: feedback" in exact.output and "0 resultaten" in exact.output
    filtered = run("search", "huiswerk", "basisschool", "--index", sample_index, "--synonyms", synonyms)
    assert "Filter uit je zoekvraag: Primair onderwijs ('basisschool'; zonder: --skip sector)" in filtered.output
    unfiltered = run("search", "huiswerk", "basisschool", "--skip", "sector", "--index", sample_index, "--synonyms", synonyms)
    assert "Filter uit je zoekvraag" not in unfiltered.output
    expanded = run("search", "blijven", "zitten", "--index", sample_index, "--synonyms", synonyms)
    assert "Ook gezocht op: zittenblijven, doubleren" in expanded.output
    partial = run("search", "ventilatie", "feedback", "--index", sample_index, "--synonyms", synonyms)
    assert "We vonden geen pagina die over je vraag gaat" in partial.output


def test_search_without_an_index_is_a_clear_error(tmp_path):
    result = run("search", "x", "--index", tmp_path / "leeg")
    assert result.exit_code == 1 and "geen index" in result.output
    assert "Traceback" not in result.output


def test_search_with_an_invalid_filter_names_it(sample_index):
    result = run("search", "x", "--index", sample_index, "--sector", "universiteit")
    assert result.exit_code == 2 and "sector" in result.output


def serve(monkeypatch, *args, env=None):
    """Run `kennisbank serve` with the server replaced by a recorder; return the result and the settings it got."""
    import webapp.server
    from kennisbank.cli import cli as kennisbank

    started = []
    monkeypatch.setattr(webapp.server, "run_production", started.append)
    monkeypatch.setattr(webapp.server, "run_development", started.append)
    return CliRunner().invoke(kennisbank, ["serve", *map(str, args)], env=env), started


def test_serve_gives_the_app_its_options_over_the_environment(sample_index, tmp_path, monkeypatch):
    result, started = serve(
        monkeypatch, "--index", sample_index, "--port", 8123, "--synonyms", tmp_path / "syn.txt",
        env={"KENNISBANK_PORT": "9000", "KENNISBANK_WORKERS": "3", "KENNISBANK_ADMIN_TOKEN": "t",
             "KENNISBANK_SOURCES": str(tmp_path / "bron")},
    )
    assert result.exit_code == 0, result.output
    [settings] = started
    assert settings.index_dir == sample_index.resolve() and settings.synonyms == (tmp_path / "syn.txt").resolve()
    assert (settings.port, settings.workers, settings.admin_token) == (8123, 3, "t")
    assert settings.sources == ((tmp_path / "bron").resolve(),)


def test_serve_builds_an_index_first_when_there_is_none(sample_source, tmp_path, monkeypatch):
    result, started = serve(monkeypatch, "--index", tmp_path / "ix", "--source", sample_source, "--dev", env={"KENNISBANK_SOURCES": None})
    assert result.exit_code == 0, result.output
    assert f"{len(SAMPLE_PAGES)} pagina's" in result.output
    assert SearchEngine(tmp_path / "ix").health().documents == len(SAMPLE_PAGES)
    assert started[0].sources == (sample_source.resolve(),)


def test_a_bad_variable_is_a_clear_error(sample_index):
    result = CliRunner().invoke(cli, ["stats", "--index", str(sample_index)], env={"KENNISBANK_RESULT_CACHE": "veel"})
    assert result.exit_code == 1 and "KENNISBANK_RESULT_CACHE" in result.output and "Traceback" not in result.output


def test_the_library_command_does_not_import_the_web_layer():
    code = "import sys, indexer.cli; assert not {'webapp', 'flask', 'kennisbank'} & set(sys.modules), sys.modules.keys()"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
