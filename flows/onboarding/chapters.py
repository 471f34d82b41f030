"""Find a city's chapter on a national association's chapter list. Pure: a `Page` in, a link out.

Chapter lists are links, each with the chapter's place in its own words or in the
list item, table row or card around it: "PMI Atlanta Chapter", "Denver, CO — visit
website", "Greater Boston" under a heading. The link chosen is the one that names
the city (and no other city of that name far away: Portland, OR is not Portland,
ME), or failing that the one whose words name the place nearest the city within
reach. A chapter finder drawn by script (a map, a search box) lists no links and
yields nothing: `init` then says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from eventscout.flows.knowledge.places import Place, distance_km, geocode
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean

#: labels that say nothing about which chapter a link leads to
_GENERIC_LABEL = re.compile(r"^(?:visit(?: (?:the )?(?:web)?site| chapter)?|(?:chapter )?(?:web)?site|"
                            r"learn more|more(?: info)?|details|view|go|link|click here|home(?: ?page)?|join)$",
                            re.I)
_AROUND = ("li", "tr", "article", "dd", "p", "section", "div")
_CONTEXT_CHARS = 300
_SKIPPED_HREF = ("#", "mailto:", "tel:", "javascript:", "data:")


@dataclass(frozen=True)
class ChapterLink:
    """The chapter chosen: its address, its name as the list gives it, and why it was chosen."""

    url: str
    label: str
    why: str


def find_chapter(page: Page, city: Place, radius_km: float) -> ChapterLink | None:
    """The link on a chapter list that leads to the chapter for `city`, or None."""
    if not page.looks_like_html:
        return None
    best: tuple[float, ChapterLink] | None = None
    here = _without_fragment(page.url)
    for node in page.tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIPPED_HREF):
            continue
        url = urljoin(page.url, href)
        if urlsplit(url).scheme not in ("http", "https") or _without_fragment(url) == here:
            continue
        label = clean(node.text(deep=True, separator=" ")) or clean(node.attributes.get("title") or "")
        around = _without(_context(node), label)
        scored = _score(label, around, url, city, radius_km)
        if scored and (best is None or scored[0] > best[0]):
            name = label if label and not _GENERIC_LABEL.match(label) else around[:80]
            best = (scored[0], ChapterLink(url, name or city.city, scored[1]))
    return best[1] if best else None


def _without(text: str, label: str) -> str:
    """A list entry's words without the link's own label ("Denver, CO Visit website" → "Denver, CO")."""
    return (text.replace(label, " ") if label else text).strip(" -–—:|,·")


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/")


def _context(node: LexborNode) -> str:
    """The text of the nearest list item, row or card around a link, if it is short enough to be one chapter's."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.tag in _AROUND:
            text = clean(parent.text(deep=True, separator=" "))
            return text if len(text) <= _CONTEXT_CHARS else ""
        parent = parent.parent
    return ""


def _score(label: str, around: str, url: str, city: Place, radius_km: float) -> tuple[float, str] | None:
    """How surely a link leads to the city's chapter (higher is surer), and why; None when it does not."""
    name = re.compile(rf"\b{re.escape(city.city)}\b", re.I)
    for score, text, where in ((3.0, label, "the link"), (2.0, around, "its list entry")):
        if text and name.search(text) and not _elsewhere(text, city, radius_km):
            return score, f"{where} names {city.city}: {text[:80]!r}"
    parts = urlsplit(url)
    slug = re.sub(r"[^a-z0-9]", "", city.city.lower())
    if len(slug) >= 4 and slug in re.sub(r"[^a-z0-9/.]", "", f"{parts.hostname}{parts.path}".lower()):
        return 1.5, f"its address names {city.city}: {url}"
    for text, where in ((label, "the link"), (around, "its list entry")):
        place = geocode(text) if text else None
        if place is not None:
            distance = distance_km(city.lat, city.lon, place.lat, place.lon)
            if distance <= radius_km:
                return 1.0 - distance / (radius_km * 2), (f"{where} names {place.city}, {place.region or place.country}"
                                                          f", {distance:.0f} km from {city.city}")
    return None


def _elsewhere(text: str, city: Place, radius_km: float) -> bool:
    """The text names a city of the same name out of reach (Portland, ME for Portland, OR)."""
    place = geocode(text)
    return place is not None and distance_km(city.lat, city.lon, place.lat, place.lon) > radius_km
