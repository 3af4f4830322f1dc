"""Run the web app: gunicorn for production, Flask's own server only for development."""

from __future__ import annotations

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

        def load(self):
            # Called in each worker after the fork, so each opens the index (and its watcher) once.
            return create_app(settings)

    Server().run()


def run_development(settings: Settings) -> None:
    """Serve with Flask's development server, one process."""
    create_app(settings).run(host=settings.host, port=settings.port, debug=False)
