"""Property-based tests: no input, however odd, makes the parser or the search raise.

Each property counts the cases it tried; the totals are printed at the end of the run
(see conftest.pytest_terminal_summary). A longer run with atheris is described in the README.
"""

from __future__ import annotations

import codecs
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import InvalidParameter, SearchRequest, vocab
from indexer.parse import PageError, parse_page
from indexer.search.query import parse_user_query

# Generated input by the thousand: CI runs it, the inner loop skips it.
pytestmark = pytest.mark.slow

CASES: Counter = Counter()
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_page(data: bytes, relpath: str = "themas/x.html"):
    """Parse; a page must be well-formed or refused with a PageError, nothing else."""
    try:
        page = parse_page(data, relpath)
    except PageError as exc:
        assert str(exc)
        return None
    assert page.title and page.body
    assert set(page.sectors) <= set(vocab.SECTORS)
    assert page.bewijskracht is None or page.bewijskracht in vocab.BEWIJSKRACHT
    assert page.kosten is None or page.kosten in vocab.KOSTEN
    assert page.type in vocab.TYPES
    assert page.url.startswith(("http://", "https://"))
    return page


@FAST
@given(st.binary(max_size=4000))
def test_parser_on_arbitrary_bytes(data):
    CASES["parser: arbitrary bytes"] += 1
    check_page(data)


TAGS = ["html", "head", "body", "main", "article", "section", "div", "p", "h1", "h2", "h3", "nav", "aside",
        "header", "footer", "script", "style", "form", "table", "tr", "td", "ul", "li", "span", "a", "b", "template",
        "svg", "iframe", "noscript", "title"]
ATTRS = st.dictionaries(st.sampled_from(["class", "id", "href", "name", "content", "charset", "rel", "type"]),
                        st.text(max_size=20), max_size=3)
META = st.tuples(
    st.sampled_from(["kb:type", "kb:thema", "kb:sector", "kb:bewijskracht", "kb:impact", "kb:kosten",
                     "dcterms.modified", "dcterms.issued", "description", "og:url"]),
    st.one_of(st.text(max_size=30), st.sampled_from(["po", "vo,mbo", "+6", "-3", "9", "2025-02-30", "interventie",
                                                     "javascript:alert(1)", "<script>", "nieuws"])),
)


def html_tree(depth=0):
    text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
    if depth > 4:
        return text
    child = st.deferred(lambda: html_tree(depth + 1))
    return st.one_of(
        text,
        st.builds(lambda tag, attrs, kids: f"<{tag}{''.join(f' {k}={v!r}' for k, v in attrs.items())}>{''.join(kids)}</{tag}>",
                  st.sampled_from(TAGS), ATTRS, st.lists(child, max_size=4)),
    )


@FAST
@given(st.lists(META, max_size=6), html_tree(), st.sampled_from(["themas/a.html", "elders/b.html", "kennisrotonde/c.htm"]))
def test_parser_on_arbitrary_html_trees(metas, tree, relpath):
    CASES["parser: arbitrary HTML trees"] += 1
    head = "".join(f'<meta name="{n}" content="{v}">' for n, v in metas)
    check_page(f"<html><head>{head}</head><body>{tree}</body></html>".encode("utf-8", "surrogatepass"), relpath)


def test_parser_on_10000_levels_of_nesting():
    CASES["parser: deep nesting"] += 1
    data = ("<html><body><main><h1>Diep</h1>" + "<div>" * 10_000 + "<p>Tekst onderin.</p>" + "</div>" * 10_000
            + "</main></body></html>").encode()
    page = check_page(data)
    assert page is None or "Tekst onderin." in page.body


def test_parser_refuses_a_50_mb_page_quickly():
    CASES["parser: 50 MB page"] += 1
    data = b"<html><body><main><h1>Groot</h1>" + b"<p>leerlingen lezen veel</p>" * (50 * 1024 * 1024 // 27) + b"</main></body></html>"
    with pytest.raises(PageError, match="te groot"):
        parse_page(data, "themas/groot.html")


ENCODINGS = sorted({codecs.lookup(e).name for e in [
    "utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "iso-8859-15", "cp1252", "cp1250", "koi8-r",
    "shift_jis", "euc-jp", "gb2312", "gbk", "big5", "euc-kr", "iso-8859-2", "mac-roman", "cp437", "ascii",
]})


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_declaration(encoding):
    CASES["parser: encoding declarations"] += 1
    title = "Coördinatie van ideeën"
    try:
        title.encode(encoding)
    except UnicodeEncodeError:
        title = "Coordinatie van ideeen"
    text = f'<html><head><meta charset="{encoding}"><title>{title} | Site</title></head><body><main><p>{title} in de klas.</p></main></body></html>'
    page = check_page(text.encode(encoding))
    assert page is not None and page.title == title


@FAST
@given(st.text(max_size=600))
def test_query_parser_on_arbitrary_strings(text):
    CASES["query parser: arbitrary strings"] += 1
    parsed = parse_user_query(text)
    assert len(parsed.raw) <= 500
    assert all(c.text for c in parsed.clauses)


QUERY_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(["leerling", "lezen", '"', "-", "*", "feed*", "-feedback", '"volgende stap"', "OR", ":",
                              "rekenangst", "po", "primair onderwijs", "\x00", "één", "<script>"]), max_size=6).map(" ".join),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    q=QUERY_TEXT,
    type_=st.lists(st.sampled_from([*vocab.TYPES, "blog"]), max_size=3),
    sector=st.lists(st.sampled_from([*vocab.SECTORS, "universiteit"]), max_size=3),
    thema=st.lists(st.sampled_from(["feedback", "huiswerk", "onbekend-thema"]), max_size=2),
    levels=st.lists(st.integers(-2, 7), max_size=3),
    min_level=st.one_of(st.none(), st.integers(-1, 7)),
    sort=st.sampled_from(["relevance", "date", "bewijskracht", "impact", "xyz"]),
    page=st.integers(-1, 1200),
    per_page=st.integers(-1, 120),
)
def test_search_on_arbitrary_queries_and_parameters(engine, q, type_, sector, thema, levels, min_level, sort, page, per_page):
    CASES["search: queries with parameter combinations"] += 1
    request = SearchRequest(q=q, type=type_, sector=sector, thema=thema, bewijskracht=levels,
                            min_bewijskracht=min_level, sort=sort, page=page, per_page=per_page)
    try:
        result = engine.search(request)
    except InvalidParameter as exc:
        assert exc.parameter in {"type", "sector", "bewijskracht", "min_bewijskracht", "sort", "page", "per_page"}
        return
    assert 0 <= result.total <= 9
    assert len(result.results) <= per_page
    for hit in result.results:
        assert "<script>" not in hit.snippet


@FAST
@given(st.text(max_size=60))
def test_suggest_on_arbitrary_prefixes(engine, text):
    CASES["suggest: arbitrary prefixes"] += 1
    assert isinstance(engine.suggest(text), list)
