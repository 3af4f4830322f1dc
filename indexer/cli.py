"""The library's commands: each opens what it needs, calls one library function, prints.

``kennisbank serve`` is added on top by the ``kennisbank`` package, so this library never
imports the web layer.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import opendata, store
from .build import Report, build_index, check_sources
from .fetch import Politeness
from .search import InvalidParameter, SearchEngine, SearchRequest
from .settings import DEFAULTS, Settings, SettingsError, is_url
from .synonyms import SynonymError, Synonyms


@click.group()
@click.version_option(package_name="kennisbank")
@click.pass_context
def cli(ctx: click.Context):
    """Kennisbank: doorzoek de kennisbank over onderwijsonderzoek."""
    # Options left out take their value from the settings; a caller (a test) may pass its own.
    if ctx.obj is None:
        try:
            ctx.obj = Settings.from_env(os.environ)
        except SettingsError as exc:
            raise click.ClickException(str(exc)) from None


def from_settings(name: str):
    """Return an option callback that fills a value left out with the setting ``name``."""

    def fill(ctx: click.Context, param: click.Parameter, value):
        return getattr(ctx.find_object(Settings), name) if value is None else value

    return fill


# Options shared by several commands.

def index_option(command):
    return click.option(
        "--index", "index_dir", type=click.Path(path_type=Path), callback=from_settings("index_dir"),
        show_default=str(DEFAULTS.index_dir), help="Indexmap (of KENNISBANK_INDEX_DIR).",
    )(command)


def source_paths(values) -> tuple[Path | str, ...]:
    """Return folders as paths and sitemap URLs as they are (a Path would merge the slashes of http://)."""
    return tuple(v if is_url(v) else Path(v) for v in values)


def sources_argument(command):
    # Without arguments the shipped corpus; KENNISBANK_SOURCES is what the web reindex reads.
    return click.argument(
        "sources", nargs=-1,
        callback=lambda ctx, param, value: list(source_paths(value)) or list(DEFAULTS.sources),
    )(command)


def base_url_option(command):
    return click.option(
        "--base-url", callback=from_settings("base_url"), show_default=DEFAULTS.base_url,
        help="Basis-url voor pagina's zonder canonical-link (of KENNISBANK_BASE_URL).",
    )(command)


def synonyms_option(command):
    return click.option(
        "--synonyms", type=click.Path(path_type=Path), callback=from_settings("synonyms"),
        show_default=str(DEFAULTS.synonyms), help="Synoniemenbestand (of KENNISBANK_SYNONYMS).",
    )(command)


def json_option(command):
    return click.option("--json", "as_json", is_flag=True, help="Schrijf het resultaat als JSON.")(command)


def progress_printer(label: str):
    """Return a progress callback: a bar on a terminal, a line per 100 pages otherwise."""
    if sys.stderr.isatty():
        bar = {"bar": None}

        def on_page(done, total, path):
            if bar["bar"] is None:
                bar["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
                bar["bar"].__enter__()
            bar["bar"].update(1)
            if done == total:
                bar["bar"].__exit__(None, None, None)

        return on_page

    def on_line(done, total, path):
        if done % 100 == 0 or done == total:
            click.echo(f"{label}: {done}/{total}", err=True)

    return on_line


def print_report(report: Report, verb: str) -> None:
    """Print a build or check report: each rejected, kept or warned page, then the totals."""
    for r in report.rejected:
        click.echo(f"afgewezen: {r.path}: {r.reason}", err=True)
    for r in report.kept:
        click.echo(f"behouden: {r.path}: {r.reason}", err=True)
    for w in report.warnings:
        click.echo(f"waarschuwing: {w.path}: {w.reason}", err=True)
    for note in report.notes:
        click.echo(f"let op: {note}", err=True)
    if report.error:
        click.echo(f"fout: {report.error}", err=True)
    changes = ""
    if report.mode == "incremental":
        changes = (f" (incrementeel: {len(report.added)} nieuw, {len(report.updated)} gewijzigd, "
                   f"{len(report.removed)} verwijderd, {report.unchanged} ongewijzigd)")
    click.echo(
        f"{verb}: {report.indexed} pagina's{changes}, {len(report.rejected)} afgewezen, "
        f"{len(report.kept)} behouden, {len(report.warnings)} waarschuwingen ({report.duration:.1f} s)"
    )
    if report.http:
        click.echo("HTTP-antwoorden: " + ", ".join(f"{status}: {n}" for status, n in report.http.items()))


@cli.command()
@sources_argument
@index_option
@base_url_option
@click.option("--procs", type=int, default=1, show_default=True, help="Processen voor de analyse.")
@click.option("--full", is_flag=True, help="Alles opnieuw analyseren in plaats van alleen gewijzigde pagina's.")
@json_option
def index(sources, index_dir, base_url, procs, full, as_json):
    """Werk de index bij uit een of meer bronmappen (standaard corpus/)."""
    # Sources may be sitemap URLs too, crawled with the settings' politeness.
    politeness = Politeness.from_settings(click.get_current_context().find_object(Settings))
    report = build_index(sources, index_dir, base_url=base_url, procs=procs, full=full,
                         progress=None if as_json else progress_printer("indexeren"), politeness=politeness)
    _finish(report, as_json, "geïndexeerd")


def _finish(report, as_json: bool, verb: str) -> None:
    """Print a build's report as JSON or as text, and exit with its code."""
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print_report(report, verb if report.build else f"niet {verb}")
    sys.exit(report.exit_code)


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@index_option
@click.option("--full", is_flag=True, help="Alles opnieuw ophalen en analyseren.")
@json_option
@click.pass_context
def crawl(ctx, urls, index_dir, full, as_json):
    """Werk de index bij uit de sitemap van een site (sitemap.xml, een sitemapindex of .xml.gz)."""
    for url in urls:
        if not is_url(url):
            raise click.BadParameter(f"'{url}' is geen http(s)-adres van een sitemap", param_hint="URL")
    settings = ctx.find_object(Settings)
    report = build_index(list(urls), index_dir, base_url=settings.base_url, full=full,
                         politeness=Politeness.from_settings(settings))
    _finish(report, as_json, "gecrawld")


@cli.command()
@sources_argument
@base_url_option
@synonyms_option
@json_option
def check(sources, base_url, synonyms, as_json):
    """Controleer pagina's en het synoniemenbestand zonder de index te wijzigen."""
    report = check_sources(sources, base_url=base_url, progress=None if as_json else progress_printer("controleren"))
    synonym_error = synonym_line = None
    if synonyms and Path(synonyms).exists():
        try:
            synonym_line = f"synoniemen: {len(Synonyms.from_file(synonyms).groups)} groepen in {synonyms}"
        except SynonymError as exc:
            synonym_error = str(exc)
    code = max(report.exit_code, 1) if synonym_error else report.exit_code
    if as_json:
        click.echo(json.dumps(report.to_dict() | {"synonyms_error": synonym_error, "exit_code": code},
                              ensure_ascii=False, indent=2, default=str))
        sys.exit(code)
    print_report(report, "gecontroleerd")
    if synonym_line:
        click.echo(synonym_line)
    if synonym_error:
        click.echo(f"fout in synoniemen:\n{synonym_error}", err=True)
    sys.exit(code)


@cli.command()
@index_option
@json_option
def stats(index_dir, as_json):
    """Toon wat de index bevat: aantallen per type, sector en thema, en hoe hij is gebouwd."""
    data = _engine(index_dir).stats()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"build:     {data['build']}\ngebouwd:   {data['built']}\nanalyzer:  {data['analyzer']}")
    click.echo(f"documenten: {data['documents']}")
    labels = data["theme_labels"]
    for name, counts in data["counts"].items():
        click.echo(f"\n{name} ({len(counts)} waarden)")
        for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {labels.get(value, value) if name == 'thema' else value:40} {count:6}")


@cli.command()
@index_option
@json_option
def verify(index_dir, as_json):
    """Controleer de huidige en de bewaarde builds op ontbrekende, ingekorte of gewijzigde bestanden.

    Eindigt met 0 als alles in orde is, 1 als alleen een bewaarde build beschadigd is en 2
    als de huidige build beschadigd of onbruikbaar is.
    """
    check = store.verify_index(index_dir)
    code = 0 if check.intact else 1 if check.current_intact else 2
    if as_json:
        click.echo(json.dumps(check.to_json() | {"exit_code": code}, ensure_ascii=False, indent=2))
        sys.exit(code)
    if check.pointer_problem:
        click.echo(f"fout: {check.pointer_problem}", err=True)
    for current, v in check.builds:
        role = "huidige build" if current else "bewaarde build"
        if v.intact:
            how = "" if v.recorded else " (zonder controlesommen: alleen de opbouw gecontroleerd)"
            click.echo(f"{role} {v.build}: in orde, {v.files} bestanden gecontroleerd{how}")
        else:
            click.echo(f"{role} {v.build}: BESCHADIGD")
            for problem in v.problems:
                click.echo(f"  {problem}")
    if code == 2:
        click.echo("De huidige build is beschadigd: bouw de index opnieuw met 'kennisbank index' "
                   "(een beschadigde vorige build wordt dan volledig herbouwd).", err=True)
    elif code == 1:
        click.echo("Een bewaarde build is beschadigd; de huidige is in orde. De volgende builds vervangen hem.",
                   err=True)
    sys.exit(code)


@cli.command()
@click.argument("query", nargs=-1)
@index_option
@click.option("--type", "types", multiple=True)
@click.option("--thema", "themes", multiple=True)
@click.option("--sector", "sectors", multiple=True)
@click.option("--bewijskracht", multiple=True, type=int)
@click.option("--min-bewijskracht", type=int)
@click.option("--sort", default="relevance", show_default=True)
@click.option("--page", default=1, show_default=True)
@click.option("--per-page", default=10, show_default=True)
@click.option("--skip", multiple=True, help="Lees dit soort filter niet uit de zoekwoorden (type, sector, kosten, "
              "impact, bewijskracht of all).")
@click.option("--exact", is_flag=True, help="Verbeter de spelling niet, zoek de woorden zoals getypt.")
@synonyms_option
@json_option
def search(query, index_dir, types, themes, sectors, bewijskracht, min_bewijskracht, sort, page, per_page, skip, exact,
           synonyms, as_json):
    """Zoek in de index; met --json het resultaat zoals de JSON-API het geeft."""
    request = SearchRequest(
        q=" ".join(query), type=list(types), thema=list(themes), sector=list(sectors),
        bewijskracht=list(bewijskracht), min_bewijskracht=min_bewijskracht, sort=sort, page=page, per_page=per_page,
        skip=list(skip), correct=not exact,
    )
    try:
        result = _engine(index_dir, synonyms).search(request)
    except InvalidParameter as exc:
        raise click.UsageError(f"{exc.parameter}: {exc.message}") from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if result.corrected:
        click.echo(f"Resultaten voor: {result.query_used} (zoek met --exact naar: {result.query})")
    for i in result.interpreted:
        click.echo(f"Filter uit je zoekvraag: {i.label} ('{i.words}'; zonder: --skip {i.filter})")
    for e in result.expanded:
        click.echo(f"Ook gezocht op: {', '.join(e.added)}")
    if result.no_good_match:
        click.echo("We vonden geen pagina die over je vraag gaat; dit zijn pagina's met een deel van je woorden.")
    elif result.relaxed:
        click.echo("Geen pagina's met alle woorden; dit zijn pagina's met een deel ervan.")
    if result.suggestion:
        click.echo(f"Bedoelde u: {result.suggestion}")
    click.echo(f"{result.total} resultaten")
    for n, hit in enumerate(result.results, (page - 1) * per_page + 1):
        click.echo(f"{n:3}. [{hit.type}] {hit.title}\n     {hit.url}")


@cli.group()
def report():
    """Verslagen voor redacteuren."""


@report.command("queries")
@click.option("--log", "log_path", type=click.Path(path_type=Path), callback=from_settings("query_log"),
              show_default=str(DEFAULTS.query_log), help="Het zoeklogboek van de webapp (of KENNISBANK_QUERY_LOG).")
@click.option("--since", default="30d", show_default=True, help="Periode: 7d, 30d, 12w ...")
@click.option("--limit", default=20, show_default=True)
@json_option
def report_queries(log_path, since, limit, as_json):
    """Toon de vaakst gezochte vragen zonder of met weinig resultaten, en de meest gezochte."""
    from .querylog import QueryLog

    days = _days(since)
    if log_path is None:
        raise click.ClickException("geen zoeklogboek ingesteld (KENNISBANK_QUERY_LOG is leeg)")
    if not Path(log_path).exists():
        raise click.ClickException(f"geen zoeklogboek in {log_path}")
    data = QueryLog(log_path).report(since_days=days, limit=limit)
    if as_json:
        click.echo(json.dumps({k: [q.__dict__ for q in v] for k, v in data.items()}, ensure_ascii=False, indent=2))
        return
    titles = {"zonder_resultaten": "Zonder resultaten", "weinig_resultaten": "Met weinig resultaten",
              "meest_gezocht": "Meest gezocht"}
    for key, rows in data.items():
        click.echo(f"\n{titles[key]} (laatste {since})")
        for q in rows:
            click.echo(f"  {q.searches:5}x  {q.query}  ({q.last_total} resultaten)")
        if not rows:
            click.echo("  geen")


def _days(text: str) -> float:
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    try:
        return float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)
    except (ValueError, IndexError):
        raise click.BadParameter(f"'{text}' is geen periode; gebruik bijvoorbeeld 30d of 12w", param_hint="--since") from None


@cli.command()
@index_option
@click.option("--format", "fmt", type=click.Choice(opendata.FORMATS), default="jsonl", show_default=True,
              help="jsonl: metadata en tekst, één JSON-object per regel; csv: de metadata, voor Excel.")
# Bytes, so the CSV's CRLF line ends are written as they are on every platform.
@click.option("--out", type=click.File("wb", lazy=True), default="-",
              help="Bestand om naar te schrijven (standaard: de uitvoer).")
def export(index_dir, fmt, out):
    """Schrijf elke pagina van de index als open data, zoals GET /api/export."""
    items = opendata.records(_engine(index_dir))
    if fmt == "csv":
        lines = opendata.csv_lines(opendata.CSV_FIELDS, (opendata.csv_row(r) for r in items))
    else:
        lines = opendata.jsonl_lines(items)
    for line in lines:
        out.write(line.encode("utf-8"))


@cli.command("generate-corpus")
@click.option("--pages", type=int, required=True, help="Aantal pagina's.")
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--source", type=click.Path(path_type=Path), default=DEFAULTS.sources[0], show_default=True,
              help="Corpus waarvan alinea's en woorden worden hergebruikt.")
def generate_corpus(pages, out, seed, source):
    """Schrijf synthetische pagina's voor benchmarks."""
    from .generate import generate

    written = generate(source, out, pages, seed=seed)
    click.echo(f"{written} pagina's geschreven in {out}")


def _engine(index_dir: Path, synonyms: Path | None = None) -> SearchEngine:
    try:
        engine = SearchEngine(index_dir, synonyms_path=synonyms)
        engine.state()
    except store.IndexStoreError as exc:
        raise click.ClickException(str(exc)) from None
    return engine


def main():
    """Run the library's commands (``python -m indexer``); ``kennisbank.cli.main`` adds serve."""
    cli(prog_name="kennisbank")


if __name__ == "__main__":
    main()
