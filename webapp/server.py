"""Run the web app: gunicorn for production, Flask's own server only for development."""

from __future__ import annotations

from flask import Flask


def run_production(app_factory, host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Serve with gunicorn; each worker builds its own app (and opens the index once)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("accesslog", None)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("timeout", 60)

        def load(self) -> Flask:
            return app_factory()

    Server().run()


def run_development(app: Flask, host: str, port: int) -> None:
    app.run(host=host, port=port, debug=False)
