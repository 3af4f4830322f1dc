"""Web reindex runs: a run whose process died says so, and a run that changes nothing makes no build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from indexer import build_index, store
from indexer.lock import running_build
from webapp import create_app

from conftest import ROOT, TEST_SETTINGS, numbered_pages, page_html, write_pages

TOKEN = "geheim-token-voor-tests"
BEARER = {"Authorization": f"Bearer {TOKEN}"}

# A web worker that starts a full reindex, prints its run id and waits to be killed.
WORKER = """
import sys, time
from indexer import Settings
from webapp import create_app
app = create_app(Settings(testing=True, watch_index=False, query_log=None, question_store=None),
                 index_dir=sys.argv[1], sources=[sys.argv[2]], synonyms=None, admin_token=sys.argv[3],
                 request_log=False, ratelimit_enabled=False)
answer = app.test_client().post("/api/reindex?full=1", headers={"Authorization": "Bearer " + sys.argv[3]})
print(answer.get_json()["run_id"], flush=True)
time.sleep(600)
"""


def editor_app(ix, src):
    return create_app(TEST_SETTINGS, index_dir=ix, sources=[src], synonyms=None, admin_token=TOKEN,
                      request_log=False, ratelimit_enabled=False, session_cookie_secure=False)


@pytest.mark.slow
def test_a_reindex_whose_worker_was_killed_is_shown_as_failed(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    write_pages(src, numbered_pages("Lezen", 5))
    assert build_index([src], ix).exit_code == 0
    # Enough pages that the full reindex is still running when its worker is killed.
    write_pages(src, numbered_pages("Rekenen", 400, sentences=30))
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(ix), str(src), TOKEN], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True, env=os.environ | {"PYTHONPATH": str(ROOT)})
    try:
        run_id = worker.stdout.readline().strip()
        assert run_id, "the worker did not start a reindex"
        deadline = time.monotonic() + 60
        while running_build(ix) is None:
            assert time.monotonic() < deadline and worker.poll() is None, "the reindex never took the lock"
            time.sleep(0.05)
        client = editor_app(ix, src).test_client()
        assert client.get(f"/api/reindex/{run_id}", headers=BEARER).get_json()["state"] == "running"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    # Before, the run said "running" forever.
    report = client.get(f"/api/reindex/{run_id}", headers=BEARER).get_json()
    assert report["state"] == "failed" and f"pid {worker.pid}" in report["error"]
    page = client.get("/beheer", headers=BEARER).get_data(as_text=True)
    assert "mislukt: het proces van deze herindexering" in page and "bezig" not in page
    # The next reindex is not blocked, and the old index served meanwhile.
    assert client.post("/api/reindex", headers=BEARER).status_code == 202


def test_a_running_reindex_of_a_live_process_stays_running(tmp_path):
    from indexer import runs

    report = runs.running_report("20261202T000000000000-abcdef", "incremental")
    runs.save_run(tmp_path, report)
    assert runs.load_run(tmp_path, report["run_id"])["state"] == "running"


def test_a_web_reindex_that_changes_nothing_makes_no_build(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    write_pages(src, {"themas/a.html": page_html("Eerste pagina", "<p>Leerlingen lezen.</p>")})
    assert build_index([src], ix).exit_code == 0
    before = sorted(p.name for p in (ix / "builds").iterdir())
    client = editor_app(ix, src).test_client()
    served = client.get("/healthz").get_json()["build"]
    run_id = client.post("/api/reindex", headers=BEARER).get_json()["run_id"]
    deadline = time.monotonic() + 60
    while (report := client.get(f"/api/reindex/{run_id}", headers=BEARER).get_json())["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert report["state"] == "done" and report["nothing_changed"] and report["build"] == served
    assert sorted(p.name for p in (ix / "builds").iterdir()) == before
    assert store.current_build(ix).id == served == client.get("/healthz").get_json()["build"]
    page = client.get(f"/beheer?run={run_id}", headers=BEARER).get_data(as_text=True)
    assert "Herindexering klaar: 0 nieuw, 0 gewijzigd" in page and "Niets veranderd: de index blijft zoals hij was." in page
