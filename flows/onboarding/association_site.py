"""What an association's page says about its own site: its name, where its events are, and
which blocks repeat on it. Pure (a `Page` in, plain data out); `eventscout.flows.onboarding.probe` does the fetching.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean

#: words in a link's label that say "the events are here", and how strongly
_LABEL_WORDS = (
    (re.compile(r"\b(?:upcoming|chapter|member|all|our)\s+events\b"), 7),
    (re.compile(r"\bevents?\s+calendar\b|\bcalendar\s+of\s+events\b"), 7),
    (re.compile(r"\bevents\b"), 6),
    (re.compile(r"\bcalendar\b"), 5),
    (re.compile(r"\bmeetings\b"), 4),
    (re.compile(r"\bwebinars\b"), 3),
    (re.compile(r"\bprograms\b"), 3),
    (re.compile(r"\bevent\b"), 3),
)
_PATH_WORDS = (
    (re.compile(r"/(?:events?|calendar|event-calendar|events-calendar)(?:/|\.\w+)?$"), 4),
    (re.compile(r"/(?:events?|calendar)/"), 2),
    (re.compile(r"/(?:meetings|programs|webinars)(?:/|$)"), 2),
)
_NOT_LISTING = re.compile(r"\b(?:past|archive[sd]?|previous|submit|sponsor(?:ship)?s?|exhibit|"
                          r"photos?|gallery|recap|log ?in|sign ?in|register|privacy|terms)\b")
_NOT_PAGE = re.compile(r"\.(?:pdf|jpe?g|png|gif|docx?|xlsx?|pptx?|zip|mp4)(?:$|\?)|/wp-json/|/feed/?$", re.I)
_FEED_HREF = re.compile(r"^webcal:|\.ics(?:$|\?)|[?&](?:ical|ics)=1\b|[?&]format=ical\b|/ical/?$", re.I)
_GENERIC_TITLE = re.compile(r"^(?:home(?:\s*page)?|welcome|events?|upcoming events|event calendar|"
                            r"events calendar|calendar|index|official (?:web)?site)$", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]+\s+|\s*[|·•»]\s*")
_DATE_HINT = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b", re.I)
_SKIP_BLOCKS = {"nav", "header", "footer", "head", "script", "style", "noscript", "select", "svg", "form"}
_MAX_NODES = 20_000


@dataclass
class SiteInfo:
    """The site's own words about itself: what it is called and what it is about."""

    title: str = ""
    name: str = ""
    description: str = ""
    headings: list[str] = field(default_factory=list)
    #: the site names itself (og:site_name), rather than its name being read out of a title
    named: bool = False

    def words(self) -> str:
        """Everything the site says about itself, for industry inference."""
        return "\n".join([self.title, self.description, *self.headings])


@dataclass(frozen=True)
class Link:
    """A link worth a request, with why it was chosen."""

    url: str
    why: str
    score: int = 0


@dataclass
class Block:
    """Elements repeated side by side on a page: a candidate for a CSS recipe."""

    selector: str
    count: int
    sample: str
    dated: int
    recipe: dict[str, str]


def site_info(page: Page) -> SiteInfo:
    """Title, site name, meta description and headings of an HTML page (empty for feeds)."""
    if not page.looks_like_html:
        return SiteInfo()
    tree = page.tree
    title_node = tree.css_first("title")
    title = clean(title_node.text()) if title_node else ""
    site_name = _meta(page, 'meta[property="og:site_name"]')
    description = _meta(page, 'meta[name="description"]') or _meta(page, 'meta[property="og:description"]')
    headings = []
    for node in tree.css("h1, h2")[:12]:
        text = clean(node.text(deep=True, separator=" "))
        if text and text not in headings:
            headings.append(text[:200])
    return SiteInfo(title[:300], site_name or name_from_title(title, page.url, headings), description[:1000],
                    headings, bool(site_name))


def _meta(page: Page, selector: str) -> str:
    node = page.tree.css_first(selector)
    return clean(node.attributes.get("content") or "") if node else ""


def _title_parts(title: str) -> list[str]:
    return [p.strip() for p in _TITLE_SEPARATORS.split(title) if p and p.strip() and not _GENERIC_TITLE.match(p.strip())]


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


_LOWER_WORD = re.compile(r"(?<![\w'])(?!(?:with|from|into|over|your|that|this|their|and|for|the)\b)[a-z]{4,}")


def _name_parts(title: str, headings: list[str]) -> list[str]:
    """The parts of a title that may name the organisation: not a generic word, not a tagline
    ("Where technology meets"), and not the page's own heading ("Atlanta Chapter | Georgia
    Society of CPAs" under <h1>Atlanta Chapter</h1>) while another part is left."""
    parts = _title_parts(title)
    names = [p for p in parts if not _LOWER_WORD.search(p)] or parts
    heads = [_folded(h) for h in headings if h.strip()]
    others = [p for p in names if not any(h in _folded(p) or _folded(p) in h for h in heads)]
    return others or names


def name_from_title(title: str, url: str, headings: list[str] | tuple[str, ...] = ()) -> str:
    """The site's name out of one page title, else its host.

    A home page says "Name – Tagline"; an inner page says "Page | Name"; a part that
    repeats the page's heading names the page, not the organisation.
    """
    named = _name_parts(title, list(headings))
    if not named:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or url
    home = urlsplit(url).path in ("", "/")
    return named[0] if home or len(named) == 1 else named[-1]


def shared_name(titles: list[str], headings: list[str] | tuple[str, ...] = ()) -> str | None:
    """The part of the title most pages of a site repeat: its name ("Events – Name", "Name – Tagline").

    Of parts repeated as often, the one nearer the end wins ("Meetings | Chapter | Society":
    titles end with the organisation), and the pages' own headings name no site.
    """
    counts: Counter[str] = Counter()
    from_end: dict[str, int] = {}
    for title in titles:
        parts = list(dict.fromkeys(_name_parts(title, list(headings))))
        for place, part in enumerate(reversed(parts)):
            counts[part] += 1
            from_end[part] = from_end.get(part, 0) + place
    if not counts:
        return None
    part = min(counts, key=lambda p: (-counts[p], from_end[p] / counts[p]))
    return part if counts[part] >= 2 else None


def feed_links(page: Page) -> list[Link]:
    """iCalendar feeds the page advertises (`<link rel=alternate type=text/calendar>`, webcal, .ics)."""
    if not page.looks_like_html:
        return []
    found: list[Link] = []
    for node in page.tree.css('link[rel~="alternate"][type="text/calendar"]'):
        _add(found, page.url, node.attributes.get("href"), "advertised iCalendar feed (link rel=alternate)")
    for node in page.tree.css("a[href]"):
        href = node.attributes.get("href") or ""
        if _FEED_HREF.search(href.strip()):
            _add(found, page.url, href, "iCalendar link on the page")
    return found


def _add(found: list[Link], base: str, href: str | None, why: str, score: int = 0) -> None:
    if not href:
        return
    href = href.strip()
    if href.lower().startswith("webcal://"):
        href = "https://" + href[9:]
    try:
        url = urljoin(base, href).split("#", 1)[0]
    except ValueError:
        return
    if url.startswith(("http://", "https://")) and url != base and all(link.url != url for link in found):
        found.append(Link(url, why, score))


def is_wordpress(page: Page) -> bool:
    body = page.body
    return any(marker in body for marker in (b"/wp-content/", b"/wp-includes/", b"api.w.org", b"tribe-events"))


def tribe_endpoint(page: Page) -> Link | None:
    """The Events Calendar's REST listing of a WordPress site, when the page is WordPress."""
    if not page.looks_like_html or not is_wordpress(page):
        return None
    node = page.tree.css_first('link[rel="https://api.w.org/"]')
    api = (node.attributes.get("href") or "").strip() if node else ""
    if api.startswith(("http://", "https://")) and "/wp-json" in api:
        base = api[: api.index("/wp-json")] + "/wp-json/"
    else:
        parts = urlsplit(page.url)
        base = f"{parts.scheme}://{parts.netloc}/wp-json/"
    return Link(base + "tribe/events/v1/events", "WordPress site: The Events Calendar REST endpoint")


def _same_site(a: str, b: str) -> bool:
    ha, hb = (urlsplit(a).hostname or ""), (urlsplit(b).hostname or "")
    return ha == hb or ".".join(ha.split(".")[-2:]) == ".".join(hb.split(".")[-2:]) and "." in ha


def events_links(page: Page, limit: int = 5) -> list[Link]:
    """Links and navigation labelled events, calendar, meetings, programs..., best first."""
    if not page.looks_like_html:
        return []
    scored: dict[str, Link] = {}
    for node in page.tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")) or _FEED_HREF.search(href):
            continue
        try:
            url = urljoin(page.url, href).split("#", 1)[0]
            path = urlsplit(url).path.lower()
        except ValueError:
            continue
        if url == page.url or not url.startswith(("http://", "https://")) or _NOT_PAGE.search(url):
            continue
        if not _same_site(url, page.url):
            continue
        label = " ".join(filter(None, (clean(node.text(deep=True, separator=" ")),
                                       node.attributes.get("title"), node.attributes.get("aria-label")))).lower()
        score = max((points for pattern, points in _LABEL_WORDS if pattern.search(label)), default=0)
        score += max((points for pattern, points in _PATH_WORDS if pattern.search(path)), default=0)
        if score == 0:
            continue
        if _NOT_LISTING.search(label) or _NOT_LISTING.search(path.replace("-", " ").replace("/", " ")):
            score -= 6
        if _in_navigation(node):
            score += 1
        score -= max(0, len([s for s in path.split("/") if s]) - 2)
        if urlsplit(url).hostname != urlsplit(page.url).hostname:
            score -= 1
        if score >= 5 and (url not in scored or scored[url].score < score):
            scored[url] = Link(url, f"link labelled {clean(label)[:40]!r}", score)
    return sorted(scored.values(), key=lambda link: -link.score)[:limit]


def _in_navigation(node: LexborNode) -> bool:
    parent = node.parent
    for _ in range(8):
        if parent is None:
            return False
        if parent.tag in ("nav", "header") or "menu" in (parent.attributes.get("class") or "").lower():
            return True
        parent = parent.parent
    return False


_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>", re.I)


def sitemap_links(body: bytes, site_url: str, limit: int = 3) -> tuple[list[Link], list[str]]:
    """From a sitemap: the events listing pages it names, and the sub-sitemaps worth opening."""
    pages: dict[str, int] = {}
    subs: list[str] = []
    for match in _LOC.finditer(body[:5_000_000]):
        url = match.group(1).decode("utf-8", "replace").replace("&amp;", "&")
        if not _same_site(url, site_url):
            continue
        path = urlsplit(url).path.lower()
        if path.endswith(".xml") or path.endswith(".xml.gz"):
            if re.search(r"event|calendar|tribe", path):
                subs.insert(0, url)
            else:
                subs.append(url)
            continue
        score = max((points for pattern, points in _PATH_WORDS if pattern.search(path)), default=0)
        if score and not _NOT_LISTING.search(path.replace("-", " ").replace("/", " ")):
            pages[url] = score * 10 - len(path)
    best = sorted(pages, key=lambda u: -pages[u])[:limit]
    return [Link(url, "listed in the sitemap") for url in best], subs


def repeated_blocks(page: Page, limit: int = 5) -> list[Block]:
    """Sibling elements of one kind repeated three or more times, dated ones first."""
    if not page.looks_like_html or page.tree.body is None:
        return []
    groups: dict[tuple[int, str], list[LexborNode]] = {}
    parents: dict[int, LexborNode] = {}
    for seen, node in enumerate(page.tree.body.traverse()):
        if seen > _MAX_NODES:
            break
        if node.tag in _SKIP_BLOCKS or _inside_chrome(node):
            continue
        parent = node.parent
        if parent is None or node.tag.startswith("-"):
            continue
        key = (parent.mem_id, _signature(node))
        parents[parent.mem_id] = parent
        groups.setdefault(key, []).append(node)
    blocks: list[Block] = []
    for (parent_id, signature), nodes in groups.items():
        if len(nodes) < 3 or nodes[0].tag in ("br", "hr", "img", "span", "a", "b", "i", "strong", "em",
                                                "option", "td", "th", "p"):
            continue
        texts = [clean(n.text(deep=True, separator=" ")) for n in nodes]
        if sorted(len(t) for t in texts)[len(texts) // 2] < 15:
            continue
        dated = sum(bool(_DATE_HINT.search(t)) for t in texts)
        selector = _selector(nodes[0], parents[parent_id])
        blocks.append(Block(selector, len(nodes), texts[0][:100], dated, suggest_recipe(nodes[0], selector)))
    blocks.sort(key=lambda b: (-(b.dated * 2 >= b.count), -b.dated, -b.count))
    return blocks[:limit]


def _inside_chrome(node: LexborNode) -> bool:
    parent = node.parent
    for _ in range(30):
        if parent is None:
            return False
        if parent.tag in _SKIP_BLOCKS:
            return True
        parent = parent.parent
    return False


def _signature(node: LexborNode) -> str:
    classes = (node.attributes.get("class") or "").split()
    return node.tag + "".join(f".{c}" for c in sorted(classes) if _plain_class(c))


def _plain_class(name: str) -> bool:
    return bool(re.fullmatch(r"-?[A-Za-z_][\w-]*", name)) and not re.search(r"\d{2,}", name)


def _selector(node: LexborNode, parent: LexborNode) -> str:
    own = _signature(node)
    if own != node.tag:
        return own
    parent_id = parent.attributes.get("id") or ""
    if re.fullmatch(r"[A-Za-z][\w-]*", parent_id):
        return f"#{parent_id} > {own}"
    parent_sig = _signature(parent)
    return f"{parent_sig} > {own}" if parent_sig != parent.tag else f"{parent.tag} > {own}"


def suggest_recipe(block: LexborNode, selector: str) -> dict[str, str]:
    """A first CSS recipe for one repeated block: the event, its title, start, link and place."""
    recipe = {"event": selector}
    heading = block.css_first("h1, h2, h3, h4, h5, h6") or next(
        (n for n in block.css("[class]") if re.search(r"title|name|heading", n.attributes.get("class") or "")),
        None) or block.css_first("strong, a")
    if heading is not None:
        recipe["title"] = _child_selector(heading)
    clock = block.css_first("time[datetime]")
    if clock is not None:
        recipe["start"] = "time@datetime"
    else:
        dated = next((n for n in block.css("[class]") if "date" in (n.attributes.get("class") or "").lower()
                      or "time" in (n.attributes.get("class") or "").lower()), None)
        if dated is not None:
            recipe["start"] = _child_selector(dated)
    if block.css_first("a[href]") is not None:
        recipe["link"] = "a@href"
    place = next((n for n in block.css("[class]") if re.search(
        r"location|venue|place|address", n.attributes.get("class") or "", re.I)), None)
    if place is not None:
        recipe["location"] = _child_selector(place)
    return recipe


def _child_selector(node: LexborNode) -> str:
    classes = [c for c in (node.attributes.get("class") or "").split() if _plain_class(c)]
    return f"{node.tag}.{classes[0]}" if classes else node.tag


def most_common(values: list[str]) -> str | None:
    """The value more than half of `values` share, or None."""
    if not values:
        return None
    value, count = Counter(values).most_common(1)[0]
    return value if count * 2 > len(values) else None
