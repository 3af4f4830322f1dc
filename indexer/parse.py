"""Turn one exported HTML page into a `Page`, following the page contract in corpus/README.md."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.dammit import UnicodeDammit

from . import structure, vocab
from .settings import DEFAULTS

#: Raise when parsing gives different pages for the same bytes: a build made by another
#: parser version is then rebuilt in full, as unchanged files would keep their old fields.
PARSER_VERSION = "3"

#: Pages larger than this are refused rather than parsed: an export gone wrong, not a page.
MAX_PAGE_BYTES = 20 * 1024 * 1024

# Site chrome that never belongs to a page's text.
_CHROME = ["nav", "form", "script", "style", "noscript", "template", "iframe", "svg", "button", "dialog"]
_COOKIE = re.compile(r"cookie|consent|gdpr", re.I)
_BLOCKS = {
    "p", "div", "section", "article", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "tr", "td", "th", "caption", "blockquote", "pre", "figure",
    "figcaption", "br", "hr", "aside", "header", "footer", "main", "details", "summary",
}
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_IMPACT = re.compile(r"^([+\-\u2212]?)\s*(\d{1,2})(?:\s*maand(?:en)?)?$")
#: Parts of a page shown to readers but left out of its searchable text (see _set_aside).
_APPARATUS = {"literatuur", "totstandkoming", "kr-meta", "bron"}
_APPARATUS_HEADING = re.compile(r"^\s*(literatuur|bronnen|geraadpleegde literatuur|meer lezen)\s*$", re.I)
_SHORT_ANSWER = re.compile(r"^\s*kort\s+antwoord\s*:?\s*$", re.I)


class PageError(Exception):
    """A page that cannot be indexed; the message is the reason shown to editors."""


@dataclass(frozen=True)
class Theme:
    label: str
    slug: str


@dataclass(frozen=True)
class Facets:
    """What a page is filed under: the values the search filters and counts by."""

    type: str
    sectors: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    bewijskracht: int | None = None


@dataclass
class Page:
    """What the index holds of one page."""

    id: str
    url: str
    title: str
    summary: str
    body: str
    type: str
    headings: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    bewijskracht: int | None = None
    impact: int | None = None
    kosten: int | None = None
    #: "afgeleid" when an intervention's figures are the editors' summary, not the toolkit's.
    cijfers: str | None = None
    #: A Kennisrotonde answer's number ("KR.123").
    nummer: str | None = None
    #: The entries of the page's literature list, as written (shown, not searched).
    references: list[str] = field(default_factory=list)
    modified: date | None = None
    issued: date | None = None
    short_answer: str = ""
    #: The content's structure as sanitized HTML (see structure.body_html); the body is its text.
    body_html: str = ""
    source: str = ""
    content_hash: str = ""
    warnings: list[str] = field(default_factory=list)
    #: An intervention's figures that were present but invalid (also among the warnings):
    #: a build keeps the page's last good version rather than publish it without them.
    figure_errors: list[str] = field(default_factory=list)

    @property
    def facets(self) -> Facets:
        return Facets(self.type, tuple(self.sectors), tuple(self.themes), self.bewijskracht)


def content_hash(data: bytes) -> str:
    """Return the hash by which an incremental build tells a changed file from an unchanged one."""
    return hashlib.sha256(data).hexdigest()


def page_id(relpath: str) -> str:
    """Return a page's id: its path inside the source folder, without the .html suffix."""
    path = PurePosixPath(relpath.replace("\\", "/"))
    return str(path.with_suffix("")) if path.suffix.lower() in (".html", ".htm") else str(path)


def parse_page(data: bytes, relpath: str, base_url: str = DEFAULTS.base_url, url: str | None = None) -> Page:
    """Parse the bytes of one HTML file into a Page.

    :param data: the file's bytes, in whatever encoding it declares.
    :param relpath: the file's path relative to its source folder, with ``/`` separators;
        it gives the page id, the fallback URL and the fallback type.
    :param base_url: the site address that fallback URLs are made from.
    :param url: the page's own address (a crawled page's), the fallback instead of one made from base_url.
    :raises PageError: when the page cannot be used; the message says why.
    """
    if not data.strip():
        raise PageError("leeg bestand")
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(f"bestand te groot ({len(data) // (1024 * 1024)} MB, maximaal {MAX_PAGE_BYTES // (1024 * 1024)} MB)")
    text = _decode(data)
    if not re.search(r"<\s*(html|head|body|main|article|h1|p|title)\b", text[:200_000], re.I):
        raise PageError("geen HTML")
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml gives up on some pathological input; report, don't crash
        raise PageError(f"HTML niet te lezen: {exc}") from None

    warnings: list[str] = []
    meta = _metadata(soup, warnings)
    pid = page_id(relpath)
    page_type = _page_type(meta.get("kb:type", []), pid, warnings)

    root = _content_root(soup)
    h1 = root.find("h1") or soup.find("h1")
    title = _clean(h1.get_text(" ")) if h1 else _title_from_head(soup)
    if not title:
        raise PageError("geen titel (geen <h1> en geen <title>)")
    short_answer = _short_answer(root)
    _strip_chrome(root)
    structure.strip_content_chrome(root)
    if h1 is not None and root in h1.parents:
        h1.decompose()
    # The literature list and the lines about how an answer was made are shown on the
    # page but not searched: author names and English titles would match queries about
    # anything those studies touch.
    aside = _set_aside(root)
    references = [t for _, tag in aside if _is_literature(tag) for li in tag.find_all("li") if (t := _clean(li.get_text(" ")))]
    headings = [t for h in root.find_all(["h2", "h3"]) if (t := _clean(h.get_text(" ")))]
    body = _block_text(root)
    summary = _first(meta.get("description", []))
    if not summary:
        first_p = next((t for p in root.find_all("p") if (t := _clean(p.get_text(" ")))), "")
        summary = first_p or body.split("\n", 1)[0]
    for placeholder, tag in aside:
        placeholder.replace_with(tag)
    if not body:
        raise PageError("geen tekst in de hoofdinhoud")

    url = _url(soup, meta, pid, base_url, warnings, url)
    page = Page(
        id=pid,
        url=url,
        title=title,
        summary=_clean(summary),
        body=body,
        type=page_type,
        headings=headings,
        short_answer=short_answer,
        body_html=structure.body_html(root, url, base_url, bool(short_answer)),
        content_hash=content_hash(data),
        references=references,
        warnings=warnings,
    )
    _apply_values(page, meta, warnings)
    return page


def _decode(data: bytes) -> str:
    """Decode by BOM, then the declared charset, then detection; never fail."""
    head = data[:4096]
    if b"\x00" in head and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 without a byte order mark has a zero in every other byte of ASCII
        # markup; anything else with zero bytes is not text.
        sample = head[:400] if len(head) % 2 == 0 else head[:399]
        if sample[1::2].count(0) > 0.9 * len(sample[1::2]):
            return _CONTROL.sub(" ", data.decode("utf-16-le", errors="replace"))
        if sample[0::2].count(0) > 0.9 * len(sample[0::2]):
            return _CONTROL.sub(" ", data.decode("utf-16-be", errors="replace"))
        raise PageError("binair bestand, geen HTML")
    dammit = UnicodeDammit(data, is_html=True)
    if dammit.unicode_markup is None:
        raise PageError("tekenset niet te herkennen")
    return _CONTROL.sub(" ", dammit.unicode_markup)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _metadata(soup: BeautifulSoup, warnings: list[str]) -> dict[str, list[str]]:
    """Collect kb:, dcterms. and description values; JSON-LD stands in where meta tags lack."""
    meta: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        name = tag.get("name") or tag.get("property")
        content = tag.get("content")
        if isinstance(name, str) and isinstance(content, str):
            meta.setdefault(name.strip().lower(), []).append(content.strip())
    ld = _json_ld(soup, warnings)
    if not any(k.startswith("kb:") for k in meta):
        for key, value in ld.items():
            if key.lower().startswith("kb:"):
                meta.setdefault(key.lower(), []).extend(_as_list(value))
    for ld_key, key in (("dateModified", "dcterms.modified"), ("datePublished", "dcterms.issued")):
        if key not in meta and ld_key in ld:
            meta[key] = _as_list(ld[ld_key])[:1]
    if "description" not in meta and "description" in ld:
        meta["description"] = _as_list(ld["description"])[:1]
    return meta


def _json_ld(soup: BeautifulSoup, warnings: list[str]) -> dict:
    """Merge the JSON-LD objects of a page (a breadcrumb list sits beside the page's own)."""
    merged: dict = {}
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            warnings.append("JSON-LD niet te lezen, genegeerd")
            continue
        objects = data if isinstance(data, list) else [data]
        for obj in objects:
            if isinstance(obj, dict):
                for item in [obj, *(obj.get("@graph") or [])]:
                    if isinstance(item, dict):
                        for key, value in item.items():
                            merged.setdefault(key, value)
    return merged


def _as_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    if isinstance(value, (str, int, float)):
        return [str(value)]
    return []


def _split_values(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _page_type(values: list[str], pid: str, warnings: list[str]) -> str:
    folder = pid.split("/", 1)[0] if "/" in pid else ""
    from_path = vocab.TYPE_FOLDERS.get(folder)
    given = _first(values).strip().lower()
    if given in vocab.TYPES:
        return given
    if given and from_path:
        warnings.append(f"onbekend type '{given}', type '{from_path}' afgeleid uit de map")
    if from_path:
        return from_path
    if given:
        raise PageError(f"onbekend type '{given}' en de map '{folder or '(geen)'}' bepaalt het type niet")
    raise PageError(f"geen type (kb:type) en de map '{folder or '(geen)'}' bepaalt het type niet")


def _content_root(soup: BeautifulSoup) -> Tag:
    return soup.find("main") or soup.find("article") or soup.body or soup


def _title_from_head(soup: BeautifulSoup) -> str:
    title = soup.title.get_text(" ") if soup.title else ""
    # "Feedback | Kennisbank Onderwijs" -> "Feedback"
    return _clean(re.split(r"\s+[|\u2013\u2014-]\s+(?=[^|\u2013\u2014-]*$)", title)[0]) if title else ""


def _short_answer(root: Tag) -> str:
    """Return the text under the heading "Kort antwoord" of a Kennisrotonde answer."""
    heading = root.find(["h2", "h3", "h4"], string=_SHORT_ANSWER)
    if heading is None:
        heading = next(
            (h for h in root.find_all(["h2", "h3", "h4"]) if _SHORT_ANSWER.match(h.get_text(" "))), None
        )
    if heading is None:
        return ""
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h1", "h2", "h3"):
            break
        parts.append(sibling.get_text(" "))
    return _clean(" ".join(parts))


def _strip_chrome(root: Tag) -> None:
    for tag in root.find_all(_CHROME):
        tag.decompose()
    for tag in root.find_all(True):
        if _is_decomposed(tag):
            continue
        marker = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if marker.strip() and _COOKIE.search(marker):
            tag.decompose()
    for tag in root.find_all(["aside", "header", "footer"]):
        if _is_decomposed(tag):
            continue
        # An aside that holds the short answer is content; other asides are related links.
        if tag.name == "aside" and tag.find(["h2", "h3", "h4"], string=_SHORT_ANSWER):
            continue
        # A header or footer inside an article belongs to it; one outside is the site's.
        if tag.name != "aside" and tag.find_parent(["article", "main", "section"]) is not None:
            continue
        tag.decompose()


def _is_decomposed(tag: Tag) -> bool:
    """Tell in constant time whether a tag inside an already removed one was removed with it."""
    # Not bs4's `tag.decomposed`: on a live tag its lookup of `_decomposed` falls through to
    # Tag.__getattr__, which searches the whole subtree for a <_decomposed> tag, so checking
    # every tag of a deeply nested page took quadratic time. decompose() sets the flag on
    # the instance itself.
    return vars(tag).get("_decomposed", False)


def _set_aside(root: Tag) -> list[tuple[NavigableString, Tag]]:
    """Take the page's apparatus out of the tree, leaving placeholders to put it back."""
    found: list[Tag] = []
    for tag in root.find_all(["section", "div", "p", "ul", "ol"], class_=list(_APPARATUS)):
        found.append(tag)
    for heading in root.find_all(["h2", "h3"], string=_APPARATUS_HEADING):
        holder = heading.parent
        if isinstance(holder, Tag) and holder is not root and holder.name in ("section", "div"):
            found.append(holder)
    # By identity: a Tag's == compares whole subtrees.
    ids = {id(t) for t in found}
    outer = list({id(t): t for t in found if not any(id(p) in ids for p in t.parents)}.values())
    aside = []
    for tag in outer:
        placeholder = NavigableString("")
        tag.replace_with(placeholder)
        aside.append((placeholder, tag))
    return aside


def _is_literature(tag: Tag) -> bool:
    heading = tag.find(["h2", "h3"])
    return "literatuur" in (tag.get("class") or []) or (heading is not None and bool(
        _APPARATUS_HEADING.match(heading.get_text(" "))))


def _block_text(root: Tag) -> str:
    """Return the visible text with one line per block element."""
    lines: list[str] = []
    current: list[str] = []
    for node in root.descendants:
        if isinstance(node, Tag):
            if node.name in _BLOCKS and current:
                lines.append("".join(current))
                current = []
        elif type(node).__name__ == "NavigableString":
            current.append(str(node))
    if current:
        lines.append("".join(current))
    return "\n".join(t for line in lines if (t := _clean(line)))


def _url(soup: BeautifulSoup, meta: dict, pid: str, base_url: str, warnings: list[str], own: str | None) -> str:
    candidates = []
    link = soup.find("link", rel="canonical")
    if link and isinstance(link.get("href"), str):
        candidates.append(("canonical", link["href"].strip()))
    if meta.get("og:url"):
        candidates.append(("og:url", meta["og:url"][0]))
    for source, href in candidates:
        url = urljoin(base_url, href)
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc:
            return url
        warnings.append(f"{source} '{href[:80]}' geweigerd: alleen http(s)-adressen")
    return own or urljoin(base_url.rstrip("/") + "/", pid)


def _apply_values(page: Page, meta: dict[str, list[str]], warnings: list[str]) -> None:
    """Fill the metadata fields, dropping each invalid value with a warning."""
    seen = set()
    for label in _split_values(meta.get("kb:thema", [])):
        slug = vocab.slugify(label)
        if slug and slug not in seen:
            seen.add(slug)
            page.themes.append(Theme(label=label, slug=slug))
    for value in _split_values(meta.get("kb:sector", [])):
        sector = value.lower()
        if sector not in vocab.SECTORS:
            warnings.append(f"onbekende sector '{value}' genegeerd (toegestaan: {', '.join(vocab.SECTORS)})")
        elif sector not in page.sectors:
            page.sectors.append(sector)
    before = len(warnings)
    page.bewijskracht = _int_in(meta, "kb:bewijskracht", vocab.BEWIJSKRACHT, warnings)
    if page.type == "interventie":
        page.kosten = _int_in(meta, "kb:kosten", vocab.KOSTEN, warnings)
        raw = _first(meta.get("kb:impact", []))
        if raw:
            m = _IMPACT.match(raw.strip())
            if m:
                page.impact = -int(m.group(2)) if m.group(1) in ("-", "\u2212") else int(m.group(2))
            else:
                warnings.append(f"impact '{raw}' is geen aantal maanden, genegeerd")
        page.figure_errors = warnings[before:]
        raw = _first(meta.get("kb:cijfers", [])).strip().lower()
        if raw and raw not in vocab.CIJFERS:
            warnings.append(f"kb:cijfers '{raw}' onbekend, genegeerd (toegestaan: {', '.join(vocab.CIJFERS)})")
        elif raw == vocab.DERIVED:
            page.cijfers = raw
    else:
        for key in ("kb:impact", "kb:kosten", "kb:cijfers"):
            if meta.get(key):
                warnings.append(f"{key} hoort alleen bij interventies, genegeerd")
    raw = _first(meta.get("kb:nummer", []))
    if raw:
        page.nummer = vocab.kr_number(raw)
        if page.nummer is None:
            warnings.append(f"kb:nummer '{raw[:40]}' is geen antwoordnummer (KR.123), genegeerd")
    page.modified = _date(meta, "dcterms.modified", warnings)
    page.issued = _date(meta, "dcterms.issued", warnings)


def _int_in(meta: dict, key: str, allowed: dict, warnings: list[str]) -> int | None:
    raw = _first(meta.get(key, []))
    if not raw:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value not in allowed:
        warnings.append(f"{key} '{raw}' ongeldig, genegeerd (toegestaan: {min(allowed)}-{max(allowed)})")
        return None
    return value


def _date(meta: dict, key: str, warnings: list[str]) -> date | None:
    raw = _first(meta.get(key, []))
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(raw.strip()[:10])
        except ValueError:
            warnings.append(f"{key} '{raw}' is geen datum (JJJJ-MM-DD), genegeerd")
            return None
