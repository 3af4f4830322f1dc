"""Building an index: reports, exit codes, and the atomic switch that never leaves half an index."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import AnalyzerMismatch, NoIndex, SearchEngine, SearchRequest, build_index, check_sources, store

from conftest import ROOT, SAMPLE_PAGES, numbered_pages, page_html, write_pages


def titles(index_dir, q="", per_page=100):
    result = SearchEngine(index_dir).search(SearchRequest(q=q, per_page=per_page))
    return {h.title for h in result.results}


def test_build_indexes_every_good_page(sample_source, tmp_path):
    report = build_index([sample_source], tmp_path / "ix")
    assert report.exit_code == 0
    assert report.indexed == len(SAMPLE_PAGES)
    assert report.counts["type"] == {"themapagina": 2, "interventie": 3, "kennisrotonde": 2, "leidraad": 2}
    assert SearchEngine(tmp_path / "ix").health().documents == len(SAMPLE_PAGES)


def test_bad_pages_are_reported_and_skipped_with_exit_code_1(tmp_path):
    src = write_pages(tmp_path / "src", {
        "themas/goed.html": page_html("Goede pagina", "<p>Leerlingen lezen.</p>"),
        "themas/leeg.html": "",
        "themas/binair.html": "\x00\x01\x02" * 100,
        "themas/tekst.html": "gewoon tekst",
        "elders/onbekend.html": page_html("Onbekend", "<p>x</p>", type="nieuws"),
        "themas/fout.html": page_html("Waarschuwing", "<p>Tekst.</p>", sectors="universiteit"),
    })
    report = build_index([src], tmp_path / "ix")
    assert report.exit_code == 1
    assert report.indexed == 2
    reasons = {Path(r.path).name: r.reason for r in report.rejected}
    assert set(reasons) == {"leeg.html", "binair.html", "tekst.html", "onbekend.html"}
    assert "leeg" in reasons["leeg.html"] and "binair" in reasons["binair.html"]
    assert any("universiteit" in w.reason for w in report.warnings)
    assert titles(tmp_path / "ix") == {"Goede pagina", "Waarschuwing"}


def test_no_usable_page_builds_nothing_with_exit_code_2(tmp_path):
    src = write_pages(tmp_path / "src", {"themas/leeg.html": ""})
    report = build_index([src], tmp_path / "ix")
    assert report.exit_code == 2 and report.build is None
    with pytest.raises(NoIndex):
        SearchEngine(tmp_path / "ix").state()


def test_missing_source_folder_leaves_the_previous_index(sample_source, tmp_path):
    build_index([sample_source], tmp_path / "ix")
    report = build_index([tmp_path / "bestaat-niet"], tmp_path / "ix")
    assert report.exit_code == 2 and "bestaat niet" in report.error
    assert len(titles(tmp_path / "ix")) == len(SAMPLE_PAGES)


def test_a_failed_build_leaves_the_previous_index_searchable(sample_source, tmp_path):
    build_index([sample_source], tmp_path / "ix")
    empty = write_pages(tmp_path / "empty", {"themas/leeg.html": ""})
    build_index([empty], tmp_path / "ix")
    assert "Feedback" in titles(tmp_path / "ix", "feedback")


def test_rebuilding_switches_to_the_new_pages(tmp_path):
    src = write_pages(tmp_path / "src", {"themas/a.html": page_html("Oude titel", "<p>Leerlingen.</p>")})
    build_index([src], tmp_path / "ix")
    engine = SearchEngine(tmp_path / "ix")
    assert {h.title for h in engine.search(SearchRequest()).results} == {"Oude titel"}
    write_pages(src, {"themas/a.html": page_html("Nieuwe titel", "<p>Leerlingen.</p>")})
    build_index([src], tmp_path / "ix")
    # The same engine object notices the switch without a restart.
    assert {h.title for h in engine.search(SearchRequest()).results} == {"Nieuwe titel"}


def test_old_builds_are_cleaned_up_but_the_current_one_stays(sample_source, tmp_path):
    # Full builds: an incremental run that changes nothing makes no build at all.
    for _ in range(5):
        build_index([sample_source], tmp_path / "ix", full=True)
    builds = [p for p in (tmp_path / "ix" / "builds").iterdir()]
    assert len(builds) == store.KEEP_BUILDS + 1
    assert store.current_build(tmp_path / "ix").path in builds


def test_check_validates_without_writing_an_index(sample_source, tmp_path):
    report = check_sources([sample_source])
    assert report.exit_code == 0 and report.indexed == len(SAMPLE_PAGES)
    assert not (tmp_path / "ix").exists()


def test_duplicate_page_ids_across_sources_are_reported(tmp_path):
    a = write_pages(tmp_path / "a", {"themas/x.html": page_html("Eerste", "<p>a</p>")})
    b = write_pages(tmp_path / "b", {"themas/x.html": page_html("Tweede", "<p>b</p>")})
    report = build_index([a, b], tmp_path / "ix")
    assert report.exit_code == 1 and "zelfde pagina-id" in report.rejected[0].reason


def test_symlinks_out_of_the_source_are_not_followed(tmp_path):
    # The outside page is valid in itself, so only the rule about links keeps it out.
    outside = write_pages(tmp_path / "buiten", {"geheim.html": page_html("Geheim", "<p>Niet publiceren.</p>", type="themapagina")})
    src = write_pages(tmp_path / "src", {"themas/a.html": page_html("Publiek", "<p>Wel publiceren.</p>")})
    (src / "themas" / "link.html").symlink_to(outside / "geheim.html")
    (src / "map-link").symlink_to(outside, target_is_directory=True)
    build_index([src], tmp_path / "ix")
    assert titles(tmp_path / "ix") == {"Publiek"}


def test_an_index_built_by_another_analyzer_is_refused(sample_source, tmp_path):
    build_index([sample_source], tmp_path / "ix")
    info_path = store.current_build(tmp_path / "ix").path / store.BUILD_INFO
    info = json.loads(info_path.read_text())
    info["analyzer"] = "nl_core_news_sm-3.8.0+kb1"
    info_path.write_text(json.dumps(info))
    with pytest.raises(AnalyzerMismatch, match="nl_core_news_sm"):
        SearchEngine(tmp_path / "ix").search(SearchRequest(q="leerling"))


def writing(builds: Path) -> bool:
    """Tell whether a partial build below builds has files in it yet."""
    try:
        return any(any(p.iterdir()) for p in builds.iterdir() if p.name.endswith(store.PARTIAL))
    except FileNotFoundError:  # the build was renamed complete between the two listings
        return False


@pytest.mark.slow
def test_a_build_killed_half_way_leaves_the_old_index_searchable(tmp_path):
    """SIGKILL a real indexer process mid-build; the index answers with one whole build, the next run cleans up."""
    small = write_pages(tmp_path / "small", {"themas/oud.html": page_html("Oude index", "<p>Leerlingen lezen.</p>")})
    assert build_index([small], tmp_path / "ix").exit_code == 0
    many = numbered_pages("Pagina", 1500, sentences=80)
    big = write_pages(tmp_path / "big", many)
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer", "index", str(big), "--index", str(tmp_path / "ix")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    builds = tmp_path / "ix" / "builds"
    # Aim the kill at a build that has started writing; a fast machine may finish it first.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not writing(builds):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.kill()  # SIGKILL, or nothing if the build has already ended
    proc.wait()

    # Killed half-way or not, searches see one whole build: the old page or all new ones.
    result = SearchEngine(tmp_path / "ix").search(SearchRequest(per_page=100))
    found = {h.title for h in result.results}
    assert (result.total, found) == (1, {"Oude index"}) or (result.total == len(many) and "Oude index" not in found)
    assert build_index([small], tmp_path / "ix").exit_code == 0
    assert not any(p.name.endswith(store.PARTIAL) for p in builds.iterdir())
    assert titles(tmp_path / "ix") == {"Oude index"}


def test_check_rejects_the_duplicate_ids_the_build_rejects(tmp_path):
    """A page id belongs to the first file with it, even when that file is broken."""
    a = write_pages(tmp_path / "a", {"themas/x.html": ""})
    b = write_pages(tmp_path / "b", {"themas/x.html": page_html("Tweede", "<p>b</p>"),
                                     "themas/y.html": page_html("Derde", "<p>c</p>")})
    checked = check_sources([a, b])
    built = build_index([a, b], tmp_path / "ix")
    assert checked.indexed == built.indexed == 1
    assert [(r.path, r.reason) for r in checked.rejected] == [(r.path, r.reason) for r in built.rejected]
    assert "zelfde pagina-id" in built.rejected[1].reason
