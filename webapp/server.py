"""Run the web app: gunicorn for production, Flask's own server only for development."""

from __future__ import annotations

import os
from pathlib import Path

from indexer import Settings

from . import create_app


def run_production(settings: Settings) -> None:
    """Serve with gunicorn on ``settings.host`` and ``settings.port``; each worker builds its own app."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{settings.host}:{settings.port}")
            self.cfg.set("workers", settings.workers)
            self.cfg.set("threads", settings.threads)
            self.cfg.set("worker_class", "gthread" if settings.threads > 1 else "sync")
            self.cfg.set("accesslog", None)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("timeout", 60)
            # gunicorn's default control socket is one path per user: a second instance on
            # the same host took it over, and the first to stop removed it for both.
            socket_path = control_socket_path(settings)
            if socket_path is None:
                self.cfg.set("control_socket_disable", True)
            else:
                self.cfg.set("control_socket", str(socket_path))

        def load(self):
            # Called in each worker after the fork, so each opens the index (and its watcher) once.
            return create_app(settings)

    Server().run()


def control_socket_path(settings: Settings) -> Path | None:
    """Return this instance's gunicorn control socket (for ``gunicornc -s``), or None when it is off."""
    if not settings.control_socket:
        return None
    if settings.control_socket != "auto":
        return Path(settings.control_socket)
    # gunicorn's own choice of directory, with a name per port: one host, one instance per port.
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) if runtime and os.path.isdir(runtime) else Path.home() / ".gunicorn"
    return folder / f"kennisbank-{settings.port}.ctl"


def run_development(settings: Settings) -> None:
    """Serve with Flask's development server, one process."""
    create_app(settings).run(host=settings.host, port=settings.port, debug=False)
