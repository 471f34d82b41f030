"""Microformats events: classic hCalendar (``vevent``) and microformats2 ``h-event``.

Values follow the microformats parsing rules that matter in practice: the
value-class pattern (``<span class="value">`` parts joined), ``abbr[title]``,
``time[datetime]``, ``data[value]``, ``a[href]`` for URLs, and a nested
``adr``/``h-card``/``h-adr`` inside ``location`` for the city.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from eventscout.scrapers.address import split_location
from eventscout.scrapers.dates import clock_time, parse_datetime
from eventscout.scrapers.event import CANCELLED, Event, Location
from eventscout.scrapers.page import Page
from eventscout.scrapers.schemaorg import distinct_keys
from eventscout.scrapers.text import clean, html_to_text
from eventscout.scrapers.titles import best_title

__all__ = ["read"]

#: property -> (classic hCalendar class, microformats2 classes)
_PROPS = {
    "name": ("summary", ("p-name", "p-summary")),
    "start": ("dtstart", ("dt-start",)),
    "end": ("dtend", ("dt-end",)),
    "location": ("location", ("p-location", "h-card", "h-adr")),
    "url": ("url", ("u-url",)),
    "description": ("description", ("p-description", "e-content", "p-summary")),
    "status": ("status", ("p-status",)),
    "uid": ("uid", ("u-uid",)),
}


def _plain(node: LexborNode) -> str:
    attrs = node.attributes
    tag = node.tag
    if tag == "abbr" and attrs.get("title"):
        return attrs["title"] or ""
    if tag == "time" and attrs.get("datetime"):
        return attrs["datetime"] or ""
    if tag in ("data", "input") and attrs.get("value"):
        return attrs["value"] or ""
    return node.text(deep=True, separator=" ")


def _value(node: LexborNode) -> str:
    """A property's text, honouring the value-class pattern."""
    parts = [_plain(v) for v in node.css(".value, .value-title")]
    if parts:
        titles = [v.attributes.get("title") for v in node.css(".value-title")]
        return " ".join(t or "" for t in titles) if any(titles) else " ".join(parts)
    return _plain(node)


def _url(node: LexborNode, base: str) -> str | None:
    href = node.attributes.get("href") or node.attributes.get("src") or _value(node).strip()
    if not href or " " in href.strip() or href.startswith(("javascript:", "#")):
        return None
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None


def _when(text: str, day: date | None = None) -> datetime | date | None:
    """A dt value: ISO (incl. compact), or value-class ``date time`` parts, or a clock on ``day``."""
    text = " ".join(text.split())
    if not text:
        return None
    value = parse_datetime(text)
    if value is not None:
        return value
    head, _, tail = text.partition(" ")
    first = parse_datetime(head)
    if isinstance(first, date) and not isinstance(first, datetime):
        clock = clock_time(tail)
        return datetime.combine(first, clock) if clock else first
    if day is not None and (clock := clock_time(text)):
        return datetime.combine(day, clock)
    return None


def _find(root: LexborNode, classic: bool, prop: str) -> LexborNode | None:
    old, new = _PROPS[prop]
    selectors = (f".{old}",) if classic else tuple(f".{c}" for c in new)
    for selector in selectors:
        node = root.css_first(selector)
        if node is not None:
            return node
    return None


def _location(node: LexborNode) -> Location | None:
    city = node.css_first(".locality, .p-locality")
    if city is None:
        return split_location(clean(_value(node)))
    def part(selector: str) -> str | None:
        found = node.css_first(selector)
        return clean(_value(found)) or None if found is not None else None
    return Location(
        name=part(".fn, .org, .p-name, .p-org"),
        street=part(".street-address, .p-street-address"),
        city=clean(_value(city)) or None,
        region=part(".region, .p-region"),
        postal_code=part(".postal-code, .p-postal-code"),
        country=part(".country-name, .p-country-name"),
    )


def _event(root: LexborNode, classic: bool, page: Page) -> Event | None:
    name_node = _find(root, classic, "name")
    start_node = _find(root, classic, "start")
    if name_node is None or start_node is None:
        return None
    title = best_title([clean(_value(name_node))])
    start = _when(_value(start_node))
    if not title or start is None:
        return None
    end_node = _find(root, classic, "end")
    day = start.date() if isinstance(start, datetime) else start
    end = _when(_value(end_node), day) if end_node is not None else None
    url_node = _find(root, classic, "url")
    url = _url(url_node, page.url) if url_node is not None else None
    loc_node = _find(root, classic, "location")
    desc_node = _find(root, classic, "description")
    status_node = _find(root, classic, "status")
    uid_node = _find(root, classic, "uid")
    status = "scheduled"
    if status_node is not None and "cancel" in _value(status_node).casefold():
        status = CANCELLED
    key = clean(_value(uid_node)) if uid_node is not None else None
    return Event(
        title=title, start=start, end=end, url=url,
        description=html_to_text(desc_node.html) if desc_node is not None else "",
        location=_location(loc_node) if loc_node is not None else None,
        status=status, source_format="hcalendar",
        key=key or (url if url and url != page.url else None),
    )


def read(page: Page) -> list[Event]:
    """The hCalendar / h-event events on a page (a cheap no-op when the page has none)."""
    if not page.looks_like_html:
        return []
    events: list[Event] = []
    for root in page.hcalendar_roots[:2000]:
        is_classic = "vevent" in (root.attributes.get("class") or "").split()
        event = _event(root, is_classic, page)
        if event is not None:
            events.append(event)
    return distinct_keys(events)
