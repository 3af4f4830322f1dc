"""Incremental reindexing: only changes are analysed, nothing is lost, one run at a time."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from indexer import SearchEngine, SearchRequest, build_index
from indexer.lock import Locked, index_lock
from indexer.runs import load_run, recent_runs

from conftest import ROOT, numbered_pages, page_html, replace_pages, write_pages


def titles(index_dir):
    return {h.title for h in SearchEngine(index_dir).search(SearchRequest(per_page=100)).results}


@pytest.fixture()
def setup(tmp_path):
    src = write_pages(tmp_path / "src", numbered_pages("Pagina", 5))
    first = build_index([src], tmp_path / "ix")
    assert first.mode == "full" and first.exit_code == 0
    return src, tmp_path / "ix"


def test_unchanged_pages_are_not_analysed_again(setup):
    src, ix = setup
    report = build_index([src], ix)
    assert report.mode == "incremental"
    assert (report.added, report.updated, report.removed, report.unchanged) == ([], [], [], 5)
    assert len(titles(ix)) == 5


def test_added_changed_and_deleted_pages(setup):
    src, ix = setup
    write_pages(src, {"themas/nieuw.html": page_html("Nieuwe pagina", "<p>Nieuw.</p>"),
                      "themas/pagina1.html": page_html("Gewijzigde pagina", "<p>Anders.</p>")})
    (src / "themas" / "pagina2.html").unlink()
    report = build_index([src], ix)
    assert report.added == ["themas/nieuw"] and report.updated == ["themas/pagina1"]
    assert report.removed == ["themas/pagina2"]
    assert report.unchanged == 3
    assert titles(ix) == {"Pagina 0", "Gewijzigde pagina", "Pagina 3", "Pagina 4", "Nieuwe pagina"}
    # Facet counts and stats follow the changes.
    assert SearchEngine(ix).stats()["documents"] == 5


def test_a_broken_edit_keeps_the_last_good_version(setup):
    src, ix = setup
    (src / "themas" / "pagina3.html").write_bytes(b"")
    report = build_index([src], ix)
    assert report.exit_code == 1
    assert report.kept[0].reason.startswith("vorige versie behouden: leeg bestand")
    assert "Pagina 3" in titles(ix)


def test_full_rebuild_on_request(setup):
    src, ix = setup
    report = build_index([src], ix, full=True)
    assert report.mode == "full" and report.indexed == 5


def test_a_missing_source_folder_does_not_wipe_the_index(setup, tmp_path):
    src, ix = setup
    src.rename(tmp_path / "weg")
    report = build_index([src], ix)
    assert report.exit_code == 2
    assert len(titles(ix)) == 5


def test_an_empty_source_folder_does_not_wipe_the_index(setup, tmp_path):
    """An unmounted share looks like an empty folder: its pages are kept, and the report says why."""
    src, ix = setup
    (tmp_path / "weg").mkdir()
    src.rename(tmp_path / "weg" / "src")
    src.mkdir()
    report = build_index([src], ix)
    assert any("leeg of niet gekoppeld" in n for n in report.notes)
    assert report.removed == []
    assert len(titles(ix)) == 5


def test_a_source_that_is_no_folder_does_not_wipe_the_index(setup, tmp_path):
    src, ix = setup
    not_a_folder = tmp_path / "bestand.html"
    not_a_folder.write_text("x")
    report = build_index([not_a_folder], ix)
    assert report.exit_code == 2 and "geen map" in report.error
    assert len(titles(ix)) == 5


def test_a_second_reindex_is_refused_while_one_runs(setup):
    src, ix = setup
    with index_lock(ix):
        report = build_index([src], ix)
    assert report.exit_code == 2 and "er loopt al een herindexering" in report.error
    assert build_index([src], ix).exit_code == 0


@pytest.mark.slow
def test_a_stale_lock_of_a_killed_process_is_recovered(setup):
    src, ix = setup
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from indexer.lock import index_lock\n"
         "with index_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)", str(ix)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(Locked), index_lock(ix):
        pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    report = build_index([src], ix)
    assert report.exit_code == 0
    assert any("verouderd slot" in n for n in report.notes)


@pytest.mark.slow
def test_searches_keep_working_during_reindexing_and_see_whole_builds(tmp_path):
    """Search from several threads while builds switch between two page sets: every search
    must succeed and see one set or the other, never a mix."""
    src = write_pages(tmp_path / "src", numbered_pages("Set A", 20))
    ix = tmp_path / "ix"
    build_index([src], ix)
    engine = SearchEngine(ix)
    failures, seen, stop = [], set(), threading.Event()

    def searcher():
        while not stop.is_set():
            try:
                result = engine.search(SearchRequest(q="leerling", per_page=100))
                sets = {h.title.split()[1] for h in result.results}
                seen.add(frozenset(sets))
                if len(sets) != 1 or result.total != 20:
                    failures.append((sets, result.total))
            except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
                failures.append(repr(exc))

    threads = [threading.Thread(target=searcher) for _ in range(4)]
    for t in threads:
        t.start()
    for round_ in range(6):
        letter = "B" if round_ % 2 == 0 else "A"
        replace_pages(src, numbered_pages(f"Set {letter}", 20))
        assert build_index([src], ix).exit_code == 0
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join()
    assert failures == []
    assert {frozenset({"A"}), frozenset({"B"})} <= seen


def test_every_run_leaves_a_json_report(setup):
    src, ix = setup
    write_pages(src, {"themas/nieuw.html": page_html("Nieuw", "<p>x</p>")})
    report = build_index([src], ix)
    saved = load_run(ix, report.run_id)
    assert saved["added"] == ["themas/nieuw"] and saved["mode"] == "incremental"
    assert {"added", "updated", "removed", "kept", "rejected", "duration", "analyzer"} <= set(saved)
    runs = recent_runs(ix)
    assert [r["run_id"] for r in runs][0] == report.run_id
    assert len(runs) == 2 and runs[1]["mode"] == "full"
