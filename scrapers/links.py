"""Links on a page worth one more request: its iCalendar feed, its next page, and,
for listings without structured events, the event detail pages they link to."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from eventscout.scrapers.page import NO_PAGE_LINKS, Page
from eventscout.scrapers.platforms import recognise

__all__ = ["follow_links", "detail_links"]

MAX_FEED_LINKS = 5
MAX_DETAIL_LINKS = 20
_DETAIL_PATH = re.compile(
    r"/(?:event|events|veranstaltung(?:en)?|calendar|meetings?)/(?:details?/)?"
    r"(?!(?:list|month|week|day|today|page|category|tag|feed|photo|map|upcoming|past)(?:/|$))"
    r"[^/?#]*[a-z0-9][^/?#]*", re.I)
_DETAIL_HINT = re.compile(r"/(?:event|calendar|meeting|veranstaltung)", re.I)
_NOT_DETAIL = re.compile(r"ical=|\.ics\b|/feed/?$|/page/\d+|tribe-bar-date|eventDisplay=|/wp-json/|"
                         r"\.(?:pdf|jpe?g|png|gif|docx?|xlsx?)(?:$|\?)", re.I)
#: byte markers of structured events a reader would already have read from the page
_STRUCTURED = (b'Event"', b"Event'", b"schema.org/Event", b"vevent", b"h-event",
               b"tribe-events-calendar-list__event", b"tribe-events-calendar-month__calendar-event")


def absolute_url(base: str, href: str) -> str:
    """The absolute form of a link, or "" for one no URL parser accepts (it is then skipped)."""
    href = href.strip()
    if href.lower().startswith("webcal://"):
        href = "https://" + href[9:]
    try:
        return urljoin(base, href)
    except ValueError:  # e.g. "https://[" is an invalid IPv6 host
        return ""


def _unique_http(links: list[str], page_url: str, limit: int) -> list[str]:
    out: list[str] = []
    for link in links:
        if link.startswith(("http://", "https://")) and link not in out and link != page_url:
            out.append(link)
            if len(out) >= limit:
                break
    return out


def _feed_links(page: Page) -> list[str]:
    found: list[str] = []
    tree = page.tree
    for node in tree.css('link[rel~="alternate"][type="text/calendar"], link[rel~="next"], a[rel~="next"]'):
        href = node.attributes.get("href")
        if href:
            found.append(absolute_url(page.url, href))
    for node in tree.css('a[href^="webcal:"], a[href$=".ics"], a[href*="ical=1"]'):
        href = node.attributes.get("href")
        if href:
            found.append(absolute_url(page.url, href))
    return _unique_http(found, page.url, MAX_FEED_LINKS)


def detail_links(page: Page) -> list[str]:
    """Same-site links that look like one event's page (``/event/<slug>``), at most 20.

    Only for listings with no structured events of their own: their detail
    pages usually carry JSON-LD or microdata the listing lacks.
    """
    body = page.body
    if any(marker in body for marker in _STRUCTURED):
        return []
    host = urlsplit(page.url).netloc.lower()
    page_path = urlsplit(page.url).path.rstrip("/")
    found: list[str] = []
    for node in page.tree.css("a[href]"):
        href = node.attributes.get("href") or ""
        if not _DETAIL_HINT.search(href) or href.startswith(NO_PAGE_LINKS):
            continue
        try:
            link = urljoin(page.url, href.strip()).split("#", 1)[0]
            parts = urlsplit(link)
        except ValueError:
            continue
        if parts.netloc.lower() != host or parts.path.rstrip("/") == page_path:
            continue
        if _NOT_DETAIL.search(link) or not _DETAIL_PATH.search(parts.path):
            continue
        found.append(link)
    return _unique_http(found, page.url, MAX_DETAIL_LINKS)


def follow_links(page: Page) -> list[str]:
    """The feeds the page's platform offers; feeds and the next page, in page order; then event
    detail pages; or a REST next page."""
    if not page.looks_like_html:
        from eventscout.scrapers.tribe import next_rest_url

        link = next_rest_url(page)
        return [link] if link and link != page.url else []
    platform_feeds = [url for found in recognise(page) for url in found.feeds][:MAX_FEED_LINKS]
    feeds = list(dict.fromkeys(platform_feeds + _feed_links(page)))
    return feeds + [link for link in detail_links(page) if link not in feeds]
