"""Generate large synthetic corpora for benchmarks, in the same page contract as corpus/.

Pages are recombined from the sentences of the real corpus: each generated paragraph
takes sentences from several real pages of the same type, so the vocabulary and its
frequencies stay those of real Dutch education texts, while no two pages are alike and
no word is repeated unnaturally often.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import vocab
from .parse import Page
from .settings import DEFAULTS
from .sources import parse_pages, scan_sources

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00c0-\u00dd])")
FOLDERS = {t: f for f, t in vocab.TYPE_FOLDERS.items()}
# The share of each type in a generated corpus, roughly as the programme plans its site.
TYPE_WEIGHTS = {"themapagina": 10, "leidraad": 5, "interventie": 10, "kennisrotonde": 75}


@dataclass
class Pool:
    """What the generator recombines: sentences, headings and titles per type, and themes."""

    sentences: dict[str, list[str]] = field(default_factory=dict)
    headings: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)
    themes: list[str] = field(default_factory=list)
    #: Whole entries of real literature lists: a generated answer cites real work, never a
    #: recombined (and so invented) reference.
    references: list[str] = field(default_factory=list)


def load_pool(source: Path) -> Pool:
    """Collect the sentences, headings, titles and themes of a real corpus."""
    pool = Pool()
    themes = set()
    for page in parse_pages(scan_sources([Path(source)]), DEFAULTS.base_url):
        if not isinstance(page, Page):
            continue  # a page that does not parse has nothing to give
        t = page.type
        for line in page.body.split("\n"):
            if line in page.headings:
                pool.headings.setdefault(t, []).append(line)
            elif len(line) > 40:
                pool.sentences.setdefault(t, []).extend(s for s in _SENTENCE.split(line) if len(s) > 20)
        pool.titles.setdefault(t, []).append(page.title)
        pool.references.extend(page.references)
        themes.update(th.label for th in page.themes)
    pool.themes = sorted(themes)
    if not pool.sentences:
        raise ValueError(f"geen bruikbare pagina's in {source} om van te genereren")
    # Types without pages of their own borrow from all others.
    everything = [s for ss in pool.sentences.values() for s in ss]
    for t in vocab.TYPES:
        pool.sentences.setdefault(t, everything)
        pool.headings.setdefault(t, ["Toelichting", "Wat zegt het onderzoek?", "In de praktijk"])
        pool.titles.setdefault(t, [s[:60] for s in everything[:50]])
    return pool


def generate(source: Path, out: Path, pages: int, seed: int = 1) -> int:
    """Write ``pages`` synthetic pages below ``out``; the same seed gives the same pages.

    :returns: the number of pages written.
    """
    pool = load_pool(source)
    rng = random.Random(seed)
    out = Path(out)
    types = list(TYPE_WEIGHTS)
    weights = [TYPE_WEIGHTS[t] for t in types]
    made_dirs = set()
    for n in range(pages):
        page_type = rng.choices(types, weights)[0]
        folder = out / FOLDERS[page_type]
        if folder not in made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            made_dirs.add(folder)
        (folder / f"gen-{n:06d}.html").write_text(render_page(pool, rng, page_type, n), encoding="utf-8")
    return pages


def render_page(pool: Pool, rng: random.Random, page_type: str, n: int) -> str:
    """Return one synthetic page in the page contract."""
    sentences = pool.sentences[page_type]
    title = rng.choice(pool.titles[page_type])
    themes = rng.sample(pool.themes, k=min(len(pool.themes), rng.choice((1, 1, 2, 3)))) if pool.themes else []
    if themes and rng.random() < 0.5:
        title = f"{title} ({themes[0].lower()})"
    sectors = rng.sample(list(vocab.SECTORS), k=rng.choice((1, 1, 2, 2, 3)))
    year, month, day = rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)
    meta = [
        ("kb:type", page_type),
        ("kb:thema", ", ".join(themes)),
        ("kb:sector", ",".join(sectors)),
        ("dcterms.modified", f"{year}-{month:02d}-{day:02d}"),
    ]
    if page_type != "themapagina" or rng.random() < 0.7:
        meta.append(("kb:bewijskracht", str(rng.choice((0, 1, 2, 2, 3, 3, 3, 4, 4, 5)))))
    if page_type == "interventie":
        meta += [("kb:impact", f"{rng.choice((-3, -1, 0, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6, 7)):+d}"),
                 ("kb:kosten", str(rng.randint(1, 5)))]
    sections = []
    if page_type == "kennisrotonde":
        sections.append(("Kort antwoord", rng.sample(sentences, k=min(3, len(sentences)))))
    for _ in range(rng.randint(3, 6)):
        heading = rng.choice(pool.headings[page_type])
        paragraph = [rng.choice(sentences) for _ in range(rng.randint(3, 7))]
        sections.append((heading, paragraph))
    summary = " ".join(sections[0][1][:2])
    body = "".join(
        f"<section><h2>{html.escape(h)}</h2><p>{html.escape(' '.join(p))}</p></section>\n" for h, p in sections
    )
    if page_type == "kennisrotonde":
        meta.append(("kb:nummer", f"KR.{n + 1:03d}"))
        cited = rng.sample(pool.references, k=min(len(pool.references), rng.randint(1, 4)))
        if cited:
            items = "".join(f"<li>{html.escape(r)}</li>" for r in cited)
            body += f'<section class="literatuur"><h2>Literatuur</h2><ul>{items}</ul></section>\n'
    head = "".join(f'<meta name="{k}" content="{html.escape(v)}">\n' for k, v in meta if v)
    folder = FOLDERS[page_type]
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | Kennisbank Onderwijs</title>
<meta name="description" content="{html.escape(summary[:300])}">
<link rel="canonical" href="{DEFAULTS.base_url}{folder}/gen-{n:06d}">
{head}</head>
<body>
<header><a href="/">Kennisbank Onderwijs</a><nav><a href="/themas">Thema's</a> <a href="/interventies">Interventies</a></nav></header>
<main>
<h1>{html.escape(title)}</h1>
{body}</main>
<footer>Synthetische pagina, gegenereerd voor benchmarks van het project Kennisbank.</footer>
</body>
</html>
"""
