"""Links on a page worth one more request: its iCalendar feed, its next page."""

from __future__ import annotations

from urllib.parse import urljoin

from scrapers.page import Page


def _absolute(base: str, href: str) -> str:
    href = href.strip()
    if href.lower().startswith("webcal://"):
        href = "https://" + href[9:]
    return urljoin(base, href)


def follow_links(page: Page) -> list[str]:
    """Feeds the page advertises and its `rel=next` page, absolute, in page order."""
    if not page.looks_like_html:
        return []
    found: list[str] = []
    tree = page.tree
    for node in tree.css('link[rel~="alternate"][type="text/calendar"], link[rel~="next"], a[rel~="next"]'):
        href = node.attributes.get("href")
        if href:
            found.append(_absolute(page.url, href))
    for node in tree.css('a[href^="webcal:"], a[href$=".ics"], a[href*="ical=1"]'):
        href = node.attributes.get("href")
        if href:
            found.append(_absolute(page.url, href))
    out: list[str] = []
    for link in found:
        if link.startswith(("http://", "https://")) and link not in out and link != page.url:
            out.append(link)
    return out[:5]
