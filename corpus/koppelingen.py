"""Write the "Gerelateerd" block of every corpus page from the pages' themes, as a site's CMS would.

A theme page lists every leidraad, intervention and Kennisrotonde answer of its theme; an
answer links to its theme pages and to the answers closest to it; leidraden and
interventions link to their theme pages and their nearest neighbours. Links a writer put
in the block by hand are kept. The block is an ``<aside>`` after ``<main>``: the indexer
leaves it out of the searchable text, so links never change what a page is found for.

    python corpus/koppelingen.py corpus/          # rewrite the blocks
    python corpus/koppelingen.py corpus/ --check  # exit 1 if any block is out of date
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.parse import PageError, parse_page  # noqa: E402

FOLDERS = {"themapagina": "themas", "leidraad": "leidraden", "interventie": "interventies",
           "kennisrotonde": "kennisrotonde"}
GROUPS = (("leidraad", "Leidraden"), ("interventie", "Interventies"),
          ("kennisrotonde", "Vragen aan de Kennisrotonde"))
#: How many neighbours a page that is not a theme page links to, per kind.
NEIGHBOURS = {"kennisrotonde": 4, "leidraad": 2, "interventie": 2}
_ASIDE = re.compile(r'[ \t]*<aside class="gerelateerd"[^>]*>.*?</aside>\n?', re.S)
_LINK = re.compile(r'<a href="/(themas|leidraden|interventies|kennisrotonde)/([a-z0-9-]+)"')


@dataclass
class Entry:
    path: Path
    id: str
    type: str
    title: str
    themes: list[str]
    sectors: set[str]

    @property
    def href(self) -> str:
        return f"/{self.id}"


def read(corpus: Path) -> dict[str, Entry]:
    entries = {}
    for path in sorted(corpus.rglob("*.html")):
        rel = path.relative_to(corpus).as_posix()
        try:
            page = parse_page(path.read_bytes(), rel)
        except PageError:
            continue
        entries[page.id] = Entry(path, page.id, page.type, page.title, [t.slug for t in page.themes],
                                 set(page.sectors))
    return entries


def closeness(a: Entry, b: Entry) -> tuple:
    """Shared themes first, then shared sectors; the title breaks ties so runs repeat exactly."""
    return (-len(set(a.themes) & set(b.themes)), -len(a.sectors & b.sectors), b.title.lower())


def block(entry: Entry, entries: dict[str, Entry], theme_pages: dict[str, Entry], kept: list[str]) -> str:
    items: list[tuple[str, list[Entry]]] = []
    if entry.type == "themapagina":
        members = [e for e in entries.values() if e.type != "themapagina" and set(e.themes) & set(entry.themes)]
        for kind, label in GROUPS:
            group = sorted((e for e in members if e.type == kind), key=lambda e: e.title.lower())
            if group:
                items.append((label, group))
        others = [entries[i] for i in kept if i in entries and entries[i].type == "themapagina" and i != entry.id]
        if others:
            items.append(("Verwante thema's", others))
        heading = f"Meer over {html.escape(entry.title)} op deze site"
    else:
        themes = [theme_pages[t] for t in entry.themes if t in theme_pages]
        near = sorted((e for e in entries.values() if e.type == entry.type and e.id != entry.id
                       and set(e.themes) & set(entry.themes)), key=lambda e: closeness(entry, e))
        near = near[:NEIGHBOURS[entry.type]]
        hand = [entries[i] for i in kept if i in entries and i != entry.id]
        listed = list({e.id: e for e in [*themes, *near, *hand]}.values())
        items.append(("", listed))
        heading = "Gerelateerd"
    out = ['<aside class="gerelateerd" aria-labelledby="gerelateerd-kop">', f'  <h2 id="gerelateerd-kop">{heading}</h2>']
    for label, group in items:
        if label:
            out.append(f"  <h3>{label}</h3>")
        out.append("  <ul>")
        for e in group:
            prefix = "Thema " if e.type == "themapagina" and entry.type != "themapagina" else ""
            out.append(f'    <li><a href="{e.href}">{prefix}{html.escape(e.title, quote=False)}</a></li>')
        out.append("  </ul>")
    out.append("</aside>\n")
    return "\n".join(out)


def rewrite(text: str, new_block: str) -> str:
    if _ASIDE.search(text):
        return _ASIDE.sub(lambda _: new_block, text, count=1)
    return text.replace("</main>\n", "</main>\n" + new_block, 1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--check", action="store_true", help="only report pages whose block is out of date")
    args = parser.parse_args(argv)
    entries = read(args.corpus)
    theme_pages = {t: e for e in entries.values() if e.type == "themapagina" for t in e.themes[:1]}
    stale = []
    for entry in entries.values():
        raw = entry.path.read_bytes()
        # A few pages are kept in windows-1252 on purpose (the parser must read them); write
        # each page back in the encoding it came in.
        try:
            encoding, text = "utf-8", raw.decode("utf-8")
        except UnicodeDecodeError:
            encoding, text = "cp1252", raw.decode("cp1252")
        old = _ASIDE.search(text)
        kept = [f"{folder}/{slug}" for folder, slug in _LINK.findall(old.group(0))] if old else []
        new = rewrite(text, block(entry, entries, theme_pages, kept))
        if new != text:
            stale.append(entry.id)
            if not args.check:
                entry.path.write_bytes(new.encode(encoding, errors="xmlcharrefreplace"))
    verb = "verouderd" if args.check else "bijgewerkt"
    print(f"{len(stale)} van {len(entries)} pagina's {verb}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
