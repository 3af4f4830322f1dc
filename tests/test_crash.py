"""Crash safety: killed builds, a full disk, hostile source folders, concurrent readers in other processes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import SearchEngine, SearchRequest, build_index, store

from conftest import ROOT, numbered_pages, page_html, replace_pages, write_pages

KILLS = 20


def page_set(letter: str, n: int, sentences: int = 35) -> dict[str, str]:
    """Return the page set these tests switch between: n pages titled "Set <letter> <i>"."""
    return numbered_pages(f"Set {letter}", n, sentences)


def sets_seen(index_dir: Path) -> tuple[set[str], int]:
    result = SearchEngine(index_dir).search(SearchRequest(q="leerling", per_page=100))
    return {h.title.split()[1] for h in result.results}, result.total


@pytest.mark.slow
def test_twenty_kills_at_random_moments_never_break_the_index(tmp_path):
    """SIGKILL full and incremental builds at random moments; after each kill the index answers
    with the old or the new page set, and the next run completes and removes partial builds."""
    rng = random.Random(20261123)
    src, ix = tmp_path / "src", tmp_path / "ix"
    write_pages(src, page_set("A", 120))
    assert build_index([src], ix).exit_code == 0
    current = "A"
    kills = 0
    while kills < KILLS:
        target = "B" if current == "A" else "A"
        replace_pages(src, page_set(target, 120))
        args = [sys.executable, "-m", "indexer", "index", str(src), "--index", str(ix)]
        if kills % 2:
            args.append("--full")
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 3.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        seen, total = sets_seen(ix)
        assert seen in ({"A"}, {"B"}) and total == 120, (seen, total)
        current = seen.pop()
        if current != target:
            # The killed run left the old set current; the next run must complete it.
            report = build_index([src], ix)
            assert report.exit_code == 0
            assert not [p for p in (ix / "builds").iterdir() if p.name.endswith(store.PARTIAL)]
            assert sets_seen(ix)[0] == {target}
            current = target
    assert kills == KILLS


FSIZE_CHILD = """
import resource, signal, sys, json
from indexer import build_index
# Writes beyond this size fail with EFBIG, as they would with ENOSPC on a full disk.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]), int(sys.argv[3])))
report = build_index([sys.argv[1]], sys.argv[2], full=True)
print(json.dumps({"exit": report.exit_code, "error": report.error}))
"""


@pytest.mark.slow
def test_a_full_disk_during_a_build_leaves_the_old_index_and_reports_the_error(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    write_pages(src, page_set("A", 20))
    assert build_index([src], ix).exit_code == 0
    replace_pages(src, page_set("B", 300, sentences=170))
    out = subprocess.run([sys.executable, "-c", FSIZE_CHILD, str(src), str(ix), str(256 * 1024)],
                         cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["exit"] == 2 and "vorige index blijft in gebruik" in report["error"]
    assert sets_seen(ix) == ({"A"}, 20)
    assert not [p for p in (ix / "builds").iterdir() if p.name.endswith(store.PARTIAL)]


def test_odd_file_names_are_indexed(tmp_path):
    names = ["spatie in naam.html", "ëén-accent.html", "quote'n\"dubbel.html", "regel\nbreuk.html", "#hekje%.html",
             "héél-lang-" + "x" * 200 + ".html"]
    src = write_pages(tmp_path / "src", {f"themas/{n}": page_html(f"Pagina {i}", "<p>Leerlingen lezen.</p>")
                                          for i, n in enumerate(names)})
    report = build_index([src], tmp_path / "ix")
    assert report.exit_code == 0 and report.indexed == len(names)
    engine = SearchEngine(tmp_path / "ix")
    for hit in engine.search(SearchRequest(per_page=20)).results:
        assert engine.document(hit.id).title == hit.title


def test_a_source_folder_that_disappears_mid_run_loses_nothing(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    write_pages(src, page_set("A", 60))
    assert build_index([src], ix).exit_code == 0
    # Change every page, then make the folder vanish while the reindex reads it.
    write_pages(src, {k: v.replace("Set A", "Nieuw A") for k, v in page_set("A", 60).items()})

    def vanish(done, total, path):
        if done == 10:
            src.rename(tmp_path / "weg")

    report = build_index([src], ix, progress=vanish)
    titles = {h.title for h in SearchEngine(ix).search(SearchRequest(per_page=100)).results}
    assert len(titles) == 60
    assert report.kept and all("vorige versie behouden" in k.reason for k in report.kept)
    assert report.removed == []


READER = """
import json, sys, time
from indexer import SearchEngine, SearchRequest
engine = SearchEngine(sys.argv[1])
deadline = time.monotonic() + float(sys.argv[2])
n = failures = mixed = 0
errors = []
while time.monotonic() < deadline:
    try:
        r = engine.search(SearchRequest(q="leerling", per_page=100))
        sets = {h.title.split()[1] for h in r.results}
        if len(sets) != 1 or r.total != 40:
            mixed += 1
    except Exception as exc:
        failures += 1
        errors.append(repr(exc)[:300])
    n += 1
print(json.dumps({"searches": n, "failures": failures, "mixed": mixed, "errors": errors[:3]}))
"""


@pytest.mark.slow
def test_readers_in_other_processes_never_fail_or_mix_builds(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    write_pages(src, page_set("A", 40))
    build_index([src], ix)
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(ix), "12"], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                                env=dict(os.environ, PYTHONPATH=str(ROOT))) for _ in range(3)]
    switches = 0
    deadline = time.monotonic() + 9
    while time.monotonic() < deadline:
        letter = "B" if switches % 2 == 0 else "A"
        replace_pages(src, page_set(letter, 40))
        assert build_index([src], ix).exit_code == 0
        switches += 1
    results = [json.loads(p.communicate(timeout=60)[0].strip().splitlines()[-1]) for p in readers]
    assert switches >= 3
    assert all(r["failures"] == 0 and r["mixed"] == 0 and r["searches"] > 20 for r in results), results
