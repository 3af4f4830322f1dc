"""Keep a page's structure: drop the chrome inside its content and turn the rest into safe HTML."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import nh3
from bs4 import Tag

from . import vocab

#: What the page view may show of a page's own markup; everything else is unwrapped or dropped.
ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "em", "strong", "i", "b", "a", "blockquote", "code", "pre", "sub", "sup", "abbr", "q",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "rel"},
    "ol": {"start", "reversed"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
}
#: Class given to links that leave the kennisbank, so the page view can mark them.
EXTERNAL = "extern"

_META_LINE = re.compile(r"(^|·)\s*laatst bijgewerkt\b", re.I)
_FIGURE_LINE = re.compile(r"^\s*(bewijskracht|kosten|impact|gemiddeld effect)\s*:", re.I)
_INNER = {"p", "div", "section", "article", "ul", "ol", "dl", "table"}
_FIGURE_TERMS = {"bewijskracht", "kosten", "impact", "effect", "gemiddeld effect"}


def strip_content_chrome(root: Tag) -> None:
    """Remove the site's lines inside the content: dates, figure blocks and the link list at the end.

    The figures and dates are shown from the metadata, and a closing list of links
    ("Lees ook") says nothing about the page; as text they would only end up in snippets.
    """
    for tag in root.find_all(["p", "div"]):
        # Only innermost blocks: reading the text of every enclosing div would walk a
        # deeply nested page once per level.
        if vars(tag).get("_decomposed") or any(isinstance(c, Tag) and c.name in _INNER for c in tag.contents):
            continue
        text = tag.get_text(" ").strip()
        if len(text) < 200 and (_META_LINE.search(text) or _FIGURE_LINE.match(text)):
            tag.decompose()
    for dl in root.find_all("dl"):
        terms = {dt.get_text(" ").strip().lower() for dt in dl.find_all("dt")}
        if terms and terms <= _FIGURE_TERMS:
            dl.decompose()
    lists = root.find_all(["ul", "ol"])
    if lists and _only_links(lists[-1]) and lists[-1].find_next(["h2", "h3", "p", "ul", "ol", "table"]) is None:
        last = lists[-1]
        heading = last.find_previous_sibling(True)
        if heading is not None and heading.name in ("h2", "h3", "h4"):
            heading.decompose()
        last.decompose()


def _only_links(tag: Tag) -> bool:
    items = tag.find_all("li", recursive=False)
    return bool(items) and all(
        (a := li.find("a")) is not None and a.get_text(" ").strip() == li.get_text(" ").strip() for li in items
    )


def body_html(root: Tag, page_url: str, base_url: str, short_answer: bool) -> str:
    """Return the content's structure as sanitized HTML, with links into the corpus pointing at /pagina/<id>.

    :param page_url: the page's own address, against which relative links resolve.
    :param base_url: the site's address; links to its page folders are links into the corpus.
    :param short_answer: leave out the "Kort antwoord" section, which the page view shows apart.
    """
    if short_answer:
        _drop_short_answer(root)
    # The answer's label, number and date: the page view shows them from the metadata.
    for tag in root.select("header .label, .kr-meta"):
        tag.decompose()
    site = urlsplit(base_url).netloc
    for a in root.find_all("a"):
        href = a.get("href")
        a.attrs = {}
        if not isinstance(href, str) or not href.strip():
            continue
        target = urlsplit(urljoin(page_url, href.strip()))
        parts = [p for p in target.path.split("/") if p]
        if target.netloc == site and len(parts) > 1 and parts[0] in vocab.TYPE_FOLDERS:
            pid = "/".join(parts)
            pid = pid[: -len(".html")] if pid.endswith(".html") else pid
            a["href"] = f"/pagina/{pid}"
        elif target.scheme in ("http", "https", "mailto"):
            a["href"] = target.geturl()
            a["rel"] = "noopener"
            a["class"] = EXTERNAL
    return sanitize(root.decode_contents())


def sanitize(html: str) -> str:
    """Return HTML with only the allowed tags, attributes and link schemes; scripts and handlers go."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "template", "textarea", "select", "option"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={"a": {EXTERNAL}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    ).strip()


def _drop_short_answer(root: Tag) -> None:
    heading = next((h for h in root.find_all(["h2", "h3", "h4"]) if h.get_text(" ").strip().lower().startswith("kort antwoord")), None)
    if heading is None:
        return
    holder = heading.parent
    if isinstance(holder, Tag) and holder.name in ("aside", "section", "div") and holder is not root:
        holder.decompose()
        return
    for sibling in list(heading.find_next_siblings()):
        if sibling.name in ("h1", "h2", "h3"):
            break
        sibling.decompose()
    heading.decompose()
