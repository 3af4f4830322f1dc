"""Two app instances behind nginx (from the system packages) switch to a new build without a failed request."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from indexer import build_index

from conftest import ROOT, numbered_pages, page_html, write_pages

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
if not NGINX:
    if os.environ.get("KENNISBANK_REQUIRE_NGINX") == "1":
        pytest.fail("KENNISBANK_REQUIRE_NGINX=1 but nginx is missing (apt-get install nginx-light)", pytrace=False)
    pytest.skip("no nginx on this machine: apt-get install nginx-light to run this check", allow_module_level=True)

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_until(predicate, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture()
def cluster(tmp_path):
    src = write_pages(tmp_path / "src", numbered_pages("Pagina", 30))
    index_dir = tmp_path / "ix"
    assert build_index([src], index_dir).exit_code == 0
    app_ports = [free_port(), free_port()]
    # gunicorn's control sockets go here, as into $XDG_RUNTIME_DIR on a server.
    (tmp_path / "run").mkdir()
    procs = []
    for port in app_ports:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "kennisbank", "serve", "--index", str(index_dir), "--port", str(port),
             "--workers", "2", "--synonyms", str(tmp_path / "geen.txt")],
            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONPATH=str(ROOT), KENNISBANK_RATELIMIT_ENABLED="false",
                     XDG_RUNTIME_DIR=str(tmp_path / "run")),
        ))
    lb_port = free_port()
    snippet = (ROOT / "deploy" / "nginx-kennisbank.conf").read_text()
    snippet = snippet.replace("127.0.0.1:8001", f"127.0.0.1:{app_ports[0]}")
    snippet = snippet.replace("127.0.0.1:8002", f"127.0.0.1:{app_ports[1]}")
    snippet = snippet.replace("listen 8080 default_server;", f"listen 127.0.0.1:{lb_port} default_server;")
    snippet = snippet.replace("listen 8080;", f"listen 127.0.0.1:{lb_port};")
    # The test's requests name the proxy by its address; the app still sees the site's own name.
    snippet = snippet.replace("server_name kennisbank.example.nl;", "server_name kennisbank.example.nl 127.0.0.1;")
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
{snippet}
}}
""")
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)], stderr=subprocess.PIPE)
    try:
        for port in app_ports:
            wait_until(lambda port=port: get(f"http://127.0.0.1:{port}/healthz")[0] == 200, what=f"instance on {port}")
        wait_until(lambda: get(f"http://127.0.0.1:{lb_port}/healthz")[0] == 200, what="nginx")
        yield src, index_dir, app_ports, lb_port, procs
    finally:
        nginx.terminate()
        for p in procs:
            p.terminate()
        for p in [nginx, *procs]:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def test_both_instances_switch_to_a_new_build_without_a_failed_request(cluster):
    src, index_dir, app_ports, lb_port, _ = cluster
    base = f"http://127.0.0.1:{lb_port}"
    results: list[int] = []
    stop = threading.Event()

    def load():
        while not stop.is_set():
            status, body = get(f"{base}/api/search?q=leerlingen&per_page=5")
            ok = status == 200 and json.loads(body)["total"] in (30, 31)
            results.append(200 if ok else status)

    # Each worker's first search loads the Dutch analysis (seconds on a busy machine):
    # warm them first, so the requests below measure the switch, not the start-up.
    for port in app_ports:
        for _ in range(4):
            get(f"http://127.0.0.1:{port}/api/search?q=leerlingen&per_page=5", timeout=60)
    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    write_pages(src, {"themas/nieuw.html": page_html("Nieuw gepubliceerd", "<p>Leerlingen en een nieuwe aanpak.</p>")})
    report = build_index([src], index_dir)
    assert report.exit_code == 0 and report.added == ["themas/nieuw"]
    for port in app_ports:
        wait_until(lambda port=port: json.loads(get(f"http://127.0.0.1:{port}/healthz")[1])["build"] == report.build,
                   timeout=20, what=f"instance {port} on the new build")
    # Go on after the switch until enough requests were answered to say something.
    deadline = time.monotonic() + 30
    switched = len(results)
    while len(results) < switched + 30 and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    failed = [s for s in results if s != 200]
    assert len(results) > 50, "too few requests to say anything"
    assert failed == [], f"{len(failed)} of {len(results)} requests failed"
    status, body = get(f"{base}/api/search?q=gepubliceerd")
    assert [h["title"] for h in json.loads(body)["results"]] == ["Nieuw gepubliceerd"]


def raw_request(port: int, host: str, path: str = "/healthz") -> bytes:
    """Send one GET with the given Host header and return the raw answer (b"" when the connection is closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_nginx_answers_only_for_its_own_host_name_and_the_app_sees_that_name(cluster):
    _, _, _, lb_port, _ = cluster
    assert raw_request(lb_port, "evil.example") == b""
    assert raw_request(lb_port, "127.0.0.1").startswith(b"HTTP/1.1 200")
    # A link the app builds from the Host it is given names the site, not what the client typed.
    sitemap = raw_request(lb_port, "127.0.0.1", "/sitemap.xml")
    assert b"<loc>http://kennisbank.example.nl/</loc>" in sitemap


def test_each_instance_has_its_own_control_socket_and_one_stopping_leaves_the_other(cluster, tmp_path):
    from gunicorn.ctl.client import ControlClient

    _, _, app_ports, _, procs = cluster
    sockets = [tmp_path / "run" / f"kennisbank-{port}.ctl" for port in app_ports]
    wait_until(lambda: all(p.exists() for p in sockets), what="control sockets")
    for port, path in zip(app_ports, sockets, strict=True):
        with ControlClient(str(path), timeout=10) as client:
            assert str(port) in json.dumps(client.send_command("show listeners"))
    procs[0].terminate()
    procs[0].wait(timeout=15)
    with ControlClient(str(sockets[1]), timeout=10) as client:
        assert str(app_ports[1]) in json.dumps(client.send_command("show listeners"))


def test_slow_clients_at_nginx_do_not_hold_up_healthz(cluster):
    """8 connections that send one header line every 2 s (slowloris) tie up nginx, not gunicorn's threads.

    Against gunicorn alone the same attack held /healthz for tens of seconds (README, Reliability).
    """
    sys.path.insert(0, str(ROOT / "bench"))
    from slowloris import attack

    _, _, _, lb_port, _ = cluster
    stop, opened = attack("127.0.0.1", lb_port, connections=8, interval=2.0)
    try:
        wait_until(lambda: len(opened) == 8, what="the slow connections")
        answers = []
        # Long enough for every slow connection to have dripped several header lines.
        for _ in range(10):
            time.sleep(1.0)
            answers.append(get(f"http://127.0.0.1:{lb_port}/healthz", timeout=5)[0])
    finally:
        stop.set()
    assert answers == [200] * 10
