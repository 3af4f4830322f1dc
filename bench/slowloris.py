"""Slow clients against a running server: how long does /healthz wait while they hold connections?

    python bench/slowloris.py 127.0.0.1:8000 --connections 8 --seconds 40

Each attacking connection sends a request line and then one header line every
--interval seconds, never finishing its headers. Meanwhile /healthz is asked once a
second; the script prints each answer's status and wait, and a summary. Run it against
gunicorn alone and against nginx in front (deploy/nginx-kennisbank.conf) to compare.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
import urllib.error
import urllib.request


def drip(host: str, port: int, interval: float, stop: threading.Event, opened: list[int]) -> None:
    """Hold one connection open, sending a header line every interval seconds until stop is set."""
    try:
        sock = socket.create_connection((host, port), timeout=10)
    except OSError:
        return
    opened.append(1)
    with sock:
        try:
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n".encode())
            n = 0
            while not stop.wait(interval):
                n += 1
                sock.sendall(f"X-Langzaam-{n}: {n}\r\n".encode())
        except OSError:
            pass  # the server gave up on us: that is what it should do


def attack(host: str, port: int, connections: int, interval: float) -> tuple[threading.Event, list[int]]:
    """Start the slow connections in the background; set the returned event to end them."""
    stop, opened = threading.Event(), []
    for _ in range(connections):
        threading.Thread(target=drip, args=(host, port, interval, stop, opened), daemon=True).start()
    return stop, opened


def probe(url: str, timeout: float) -> tuple[int | str, float]:
    """Return (status or error, seconds waited) for one GET."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            status: int | str = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        status = type(e).__name__
    return status, time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", help="host:port of the server (gunicorn or nginx)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--host-header", default=None, help="Host for /healthz (nginx answers only its server_name)")
    args = parser.parse_args()
    host, port = args.target.rsplit(":", 1)
    stop, opened = attack(host, int(port), args.connections, args.interval)
    time.sleep(1.0)
    waits = []
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        status, waited = probe(f"http://{args.target}/healthz", timeout=60)
        waits.append(waited)
        print(f"/healthz: {status} after {waited:.2f} s ({len(opened)} slow connections open)", flush=True)
        time.sleep(max(0.0, 1.0 - waited))
    stop.set()
    waits.sort()
    print(f"{len(waits)} probes; wait median {waits[len(waits) // 2]:.2f} s, longest {waits[-1]:.2f} s")


if __name__ == "__main__":
    main()
