"""The kennisbank command: the library's commands, and serve, which runs the web app on the index.

Importing this module adds ``serve`` to the library's command group; the library itself
never imports the web layer.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from indexer import Settings, build_index, store
from indexer.cli import (
    cli,
    from_settings,
    index_option,
    print_report,
    progress_printer,
    source_paths,
    synonyms_option,
)
from indexer.fetch import Politeness
from indexer.settings import DEFAULTS, is_url


@cli.command()
@index_option
@click.option("--host", callback=from_settings("host"), show_default=DEFAULTS.host,
              help="Adres om op te luisteren (of KENNISBANK_HOST).")
@click.option("--port", type=int, callback=from_settings("port"), show_default=str(DEFAULTS.port),
              help="Poort (of KENNISBANK_PORT).")
@click.option("--workers", type=int, callback=from_settings("workers"), show_default=str(DEFAULTS.workers),
              help="Gunicorn-werkprocessen (of KENNISBANK_WORKERS).")
@synonyms_option
@click.option("--source", "sources", multiple=True,
              callback=lambda ctx, param, value: source_paths(value) or ctx.find_object(Settings).sources,
              show_default=", ".join(map(str, DEFAULTS.sources)),
              help="Bronmap voor de eerste index en voor herindexeren vanuit de webapp; "
                   "of sitemap-url; herhaalbaar (of KENNISBANK_SOURCES).")
@click.option("--dev", is_flag=True, help="Flask-ontwikkelserver in plaats van gunicorn.")
@click.pass_obj
def serve(settings: Settings, index_dir, host, port, workers, synonyms, sources, dev):
    """Start de webapp op de index; bouwt eerst een index als er nog geen is."""
    from webapp.server import run_development, run_production

    if store.current_marker(index_dir) is None:
        click.echo(f"Nog geen index in {index_dir}: eerst indexeren van {', '.join(map(str, sources))}.", err=True)
        report = build_index(list(sources), index_dir, base_url=settings.base_url, progress=progress_printer("indexeren"),
                             politeness=Politeness.from_settings(settings))
        print_report(report, "geïndexeerd" if report.build else "niet geïndexeerd")
        if report.exit_code == 2:
            sys.exit(2)
    # The options given here win over the KENNISBANK_* variables.
    settings = replace(
        settings, index_dir=Path(index_dir).resolve(), synonyms=Path(synonyms).resolve() if synonyms else None,
        sources=tuple(s if is_url(s) else Path(s).resolve() for s in sources), host=host, port=port, workers=workers,
    )
    click.echo(f"Kennisbank draait op http://{host}:{port}/", err=True)
    if dev:
        run_development(settings)
    else:
        run_production(settings)


def main():
    cli(prog_name="kennisbank")
