"""Pages that are too long, too large or not files at all: refused or indexed, never a hung or crashed reindex."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from indexer import SearchEngine, SearchRequest, build_index, runs
from indexer.cli import cli
from indexer.parse import MAX_PAGE_BYTES

from conftest import page_html, write_pages


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def long_page(last_words: str) -> str:
    """Return a page whose text is over spaCy's limit of 1,000,000 characters, ending with last_words."""
    filler = "<p>De leerlingen lezen elke dag een boek in de klas en bespreken het samen.</p>\n" * 14_000
    return page_html("Een heel lang verslag", filler + f"<p>{last_words}</p>", type="themapagina")


@pytest.mark.slow
def test_a_page_over_a_million_characters_is_indexed_and_found_by_a_word_at_its_end(tmp_path):
    src = write_pages(tmp_path / "src", {"themas/lang.html": long_page("Tot slot de sprookjesboom op het schoolplein.")})
    assert (src / "themas" / "lang.html").stat().st_size > 1_000_000
    report = build_index([src], tmp_path / "ix")
    assert report.exit_code == 0, report.to_dict()
    result = SearchEngine(tmp_path / "ix").search(SearchRequest(q="sprookjesboom"))
    assert [h.id for h in result.results] == ["themas/lang"]


@pytest.fixture
def hostile_source(tmp_path):
    """A folder with a good page, a FIFO, a 1 GB sparse file and a page just over the size limit."""
    src = write_pages(tmp_path / "src", {"themas/goed.html": page_html("Goed", "<p>Lezen in de klas.</p>")})
    os.mkfifo(src / "themas" / "x.html")
    with open(src / "themas" / "sparse.html", "wb") as f:
        f.truncate(1024 ** 3)  # 1 GB of holes: reading it would take a gigabyte of memory
    with open(src / "themas" / "groot.html", "wb") as f:
        f.write(page_html("Groot", "<p>lezen</p>").encode() + b" " * MAX_PAGE_BYTES)
    return src


def test_a_fifo_and_a_sparse_gigabyte_are_refused_by_name_without_being_read(hostile_source, tmp_path):
    # Opening the FIFO would block the build forever (and hold the reindex lock); it must be judged by stat.
    report = build_index([hostile_source], tmp_path / "ix")
    refused = {os.path.basename(r.path): r.reason for r in report.rejected}
    assert "FIFO" in refused["x.html"]
    assert "te groot" in refused["sparse.html"] and "1024 MB" in refused["sparse.html"]
    assert "te groot" in refused["groot.html"]
    assert report.indexed == 1 and report.exit_code == 1
    assert runs.load_run(tmp_path / "ix", report.run_id)["rejected"]


@pytest.mark.slow
def test_check_and_index_accept_and_refuse_the_same_pages(hostile_source, tmp_path):
    write_pages(hostile_source, {"themas/lang.html": long_page("Het laatste woord.")})
    checked = run("check", hostile_source, "--json")
    indexed = run("index", hostile_source, "--index", tmp_path / "ix", "--json")
    check_report, index_report = json.loads(checked.stdout), json.loads(indexed.stdout)
    assert check_report["indexed"] == index_report["indexed"] == 2
    assert {r["path"] for r in check_report["rejected"]} == {r["path"] for r in index_report["rejected"]}
    assert checked.exit_code == indexed.exit_code == 1


def test_index_json_is_json_when_the_build_fails_and_the_run_is_saved(tmp_path, monkeypatch):
    src = write_pages(tmp_path / "src", {"themas/a.html": page_html("A", "<p>lezen</p>")})

    def broken(page):
        raise ValueError("kapot")

    # Any fault while a page is written must name that page, not end in a traceback.
    monkeypatch.setattr("indexer.build.page_to_document", broken)
    result = run("index", src, "--index", tmp_path / "ix", "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "a.html" in report["error"] and "kapot" in report["error"]
    assert runs.load_run(tmp_path / "ix", report["run_id"])["error"] == report["error"]


def test_index_json_is_json_when_the_index_folder_is_a_file(tmp_path):
    src = write_pages(tmp_path / "src", {"themas/a.html": page_html("A", "<p>lezen</p>")})
    (tmp_path / "ix").write_text("geen map")
    result = run("index", src, "--index", tmp_path / "ix", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]
