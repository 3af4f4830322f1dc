"""The most expensive requests we could construct, and the CPU time each costs the server.

Usage:
    python bench/worst_requests.py [--pages 10000] [--code DIR] [--label NAME]

The requests are those of issue 17 (many phrases, deep paging, a zero-result query with
20 theme values, a long suggest prefix, a page of 900 KB) plus the costliest requests
the limits still allow. Each is sent through the Flask test client in a fresh process
(no result cache, no rate limit) and timed with ``time.process_time`` around the
request: CPU seconds, what an attacker takes from the other teachers, not wall time.

``--code DIR`` runs the requests against another checkout (a checkout of the older code
gives the "before" figures); its index is built by that checkout's code, so the index
and the code that reads it always agree.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, run_child, table, write_json  # noqa: E402
from indexer.vocab import slugify  # noqa: E402

BIG_PAGE = "kennisrotonde/een-heel-lange-pagina"
BIG_CHARS = 900_000
#: Each request is repeated; the figure is the median of the repeats.
REPEATS = 3

CHILD = """
import json, statistics, sys, tempfile, time
from pathlib import Path
from webapp import create_app
from indexer import Settings
ix, repeats, requests = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
log = Path(tempfile.mkdtemp()) / "zoeklog.sqlite3"
app = create_app(Settings(index_dir=Path(ix), testing=True, watch_index=False, result_cache=0,
                          ratelimit_enabled=False, request_log=False, query_log=log, question_store=None))
client = app.test_client()
client.get("/api/search?q=lezen")  # open the index and warm the analysis outside the figures
out = []
for name, url in requests:
    cpu, status = [], None
    for _ in range(repeats):
        t = time.process_time()
        response = client.get(url)
        cpu.append((time.process_time() - t) * 1000)
        status = response.status_code
    out.append({"request": name, "status": status, "cpu_ms": round(statistics.median(cpu), 1)})
print(json.dumps(out))
"""

BUILD = """
import json, sys
from pathlib import Path
from indexer import build_index
report = build_index([Path(sys.argv[1]), Path(sys.argv[2])], Path(sys.argv[3]), procs=2, full=True)
print(json.dumps({"pages": report.indexed}))
"""


def big_page(corpus: Path, folder: Path, chars: int = BIG_CHARS) -> Path:
    """Write one page of about ``chars`` characters of text in its own source folder, from the corpus's paragraphs."""
    path = folder / f"{BIG_PAGE}.html"
    if path.exists():
        return folder
    path.parent.mkdir(parents=True, exist_ok=True)
    paragraphs, size = [], 0
    for page in sorted(corpus.rglob("*.html")):
        for p in re.findall(r"<p>(.*?)</p>", page.read_text(encoding="utf-8"), re.S):
            paragraphs.append(f"<p>{p}</p>")
            size += len(html.unescape(p))
        if size >= chars:
            break
    body = "\n".join(paragraphs)
    path.write_text(f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Een heel lange pagina | Kennisbank Onderwijs</title>
<meta name="description" content="Een pagina met heel veel tekst.">
<meta name="kb:type" content="kennisrotonde"><meta name="kb:thema" content="Lezen">
<meta name="kb:sector" content="po"><meta name="dcterms.modified" content="2024-01-01">
</head><body><main><h1>Een heel lange pagina</h1>{body}</main></body></html>""", encoding="utf-8")
    return folder


def phrases(corpus: Path, n: int) -> list[str]:
    """Return the n most common two-word phrases of the corpus, so each one matches many pages."""
    counts: Counter = Counter()
    for page in sorted(corpus.rglob("*.html"))[:300]:
        words = re.findall(r"[a-z]{5,}|\S+", html.unescape(page.read_text(encoding="utf-8")).lower())
        counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
                      if a.isalpha() and b.isalpha() and len(a) >= 5 and len(b) >= 5)
    return [pair for pair, _ in counts.most_common(n)]


def requests(corpus: Path) -> list[tuple[str, str]]:
    """Return (name, URL) of each request to time."""
    labels = set()
    for page in sorted((corpus / "themas").glob("*.html"))[:200]:
        found = re.search(r'name="kb:thema" content="([^"]*)"', page.read_text(encoding="utf-8"))
        labels.update(t.strip() for t in html.unescape(found.group(1)).split(",") if found)
    slugs = [slugify(t) for t in sorted(labels)][:20]
    thirty = " ".join(f'"{p}"' for p in phrases(corpus, 30))[:500]
    many = " ".join(f'"{p}"' for p in phrases(corpus, 32))
    words = " ".join(p.split()[0] for p in phrases(corpus, 60))[:500]
    allowed_words = " ".join(" ".join(p.split()) for p in phrases(corpus, 16))
    # Long words with two letters swapped: none is in the index, each asks for a spelling lookup.
    typos = " ".join(w[:3] + w[4] + w[3] + w[5:] for w in dict.fromkeys(
        w for p in phrases(corpus, 60) for w in p.split() if len(w) >= 7))
    eight = " ".join(f'"{p}"' for p in phrases(corpus, 8))
    deep = {"page": 1000, "per_page": 100}
    return [
        ("normal query (API)", "/api/search?" + urlencode({"q": "feedback geven"})),
        ("30 phrases, 500 chars, page 1000 x 100 (API)", "/api/search?" + urlencode({"q": thirty, **deep})),
        ("30 phrases, 500 chars, page 1000 x 100 (/zoeken)", "/zoeken?" + urlencode({"q": thirty, **deep})),
        ("32 phrases (API)", "/api/search?" + urlencode({"q": many})),
        ("two words, page 1000 x 100 (API)", "/api/search?" + urlencode({"q": "leerlingen feedback", **deep})),
        ("zero results, 20 theme values (/zoeken)",
         "/zoeken?" + urlencode([("q", "xqzwvk pestenn")] + [("thema", s) for s in slugs])),
        ("suggest, 200-char prefix (API)", "/api/suggest?" + urlencode({"q": ("a " * 100)[:200]})),
        ("page view, long page (/pagina)", f"/pagina/{BIG_PAGE}"),
        ("page view, long page (API)", f"/api/documents/{BIG_PAGE}"),
        # The costliest requests that the limits allow.
        ("8 phrases, page 10 x 100 (API)", "/api/search?" + urlencode({"q": eight, "page": 10, "per_page": 100})),
        ("8 phrases, page 10 x 100 (/zoeken)", "/zoeken?" + urlencode({"q": eight, "page": 10, "per_page": 100})),
        ("500 chars of words, page 10 x 100 (API)",
         "/api/search?" + urlencode({"q": words, "page": 10, "per_page": 100})),
        ("32 words, page 10 x 100 (API)",
         "/api/search?" + urlencode({"q": allowed_words, "page": 10, "per_page": 100})),
        ("32 words, page 10 x 100 (/zoeken)",
         "/zoeken?" + urlencode({"q": allowed_words, "page": 10, "per_page": 100})),
        ("32 misspelled words (API)", "/api/search?" + urlencode({"q": " ".join(typos.split()[:32])})),
        ("suggest, 100-char prefix (API)", "/api/suggest?" + urlencode({"q": ("a " * 50)[:100]})),
    ]


def run(pages: int, workdir: Path, code: Path = ROOT, label: str = "current", repeats: int = REPEATS,
        big_chars: int = BIG_CHARS) -> dict:
    """Build (once) an index of ``pages`` generated pages plus one long page, and time every request on it."""
    from bench.run import generate

    corpus = generate(pages, workdir / f"gen{pages}")
    big = big_page(corpus, workdir / "big", big_chars)
    ix = workdir / f"ix-worst-{pages}-{label}"
    if not (ix / "CURRENT").exists():
        run_child(BUILD, str(corpus), str(big), str(ix), root=code)
    import json

    rows = run_child(CHILD, str(ix), str(repeats), json.dumps(requests(corpus)), root=code)
    return {"pages": pages, "code": str(code), "label": label, "requests": rows}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kennisbank-bench/worst"))
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout whose code serves the requests")
    ap.add_argument("--label", default="current", help="names the index and the results file")
    args = ap.parse_args(argv)
    out = run(args.pages, args.workdir, args.code.resolve(), args.label)
    print(table(f"Worst requests, CPU ms per request ({args.pages} pages, {args.label})", out["requests"],
                ["request", "status", "cpu_ms"]))
    write_json(f"worst_requests-{args.label}", out)


if __name__ == "__main__":
    main()
