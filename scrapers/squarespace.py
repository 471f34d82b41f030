"""Squarespace events pages: the event list (``article.eventlist-event``) and event item pages.

Squarespace renders each event of an Events collection from one template:
the title in ``.eventlist-title`` (``.eventitem-title`` on an item page), the
day in ``time.event-date[datetime]`` (a second one ends a multi-day event), the
clock in ``time.event-time-24hr-start`` / ``-end`` (and 12-hour twins), the
place in ``.eventlist-meta-address`` / ``.eventitem-meta-address-line``. The
collection's JSON (``?format=json``, the platforms table) says the same with
epoch times; this reader is for the page itself. Documented by Squarespace's
developer docs for the Events collection template (``eventlist``, ``eventitem``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from selectolax.lexbor import LexborNode

from eventscout.scrapers.address import split_location
from eventscout.scrapers.dates import clock_time, parse_datetime
from eventscout.scrapers.event import Event
from eventscout.scrapers.feed_fields import absolute_url, online_mode, status_from
from eventscout.scrapers.page import Page
from eventscout.scrapers.schemaorg import distinct_keys
from eventscout.scrapers.text import clean, html_to_text
from eventscout.scrapers.titles import best_title

__all__ = ["read"]

_BLOCKS = "article.eventlist-event, article.eventitem, div.eventitem"


def _text(block: LexborNode, selector: str) -> str:
    node = block.css_first(selector)
    return clean(node.text(deep=True, separator=" ")) if node is not None else ""


def _times(block: LexborNode, edge: str) -> list[time]:
    """The clock times of one edge (start or end), 24-hour form first, in page order."""
    for selector in (f"time.event-time-24hr-{edge}", f"time.event-time-12hr-{edge}",
                     f"time.event-time-localized-{edge}"):
        found = [t for t in (clock_time(clean(n.text())) for n in block.css(selector)) if t is not None]
        if found:
            return found
    return []


def _event(block: LexborNode, page: Page) -> Event | None:
    title_node = block.css_first(".eventlist-title a, .eventlist-title, .eventitem-title")
    title = best_title([clean(title_node.text(deep=True, separator=" ")) if title_node is not None else ""],
                       site_name=page.site_name)
    days = [d for d in (parse_datetime(n.attributes.get("datetime") or "") for n in block.css("time.event-date"))
            if isinstance(d, date)]
    if not title or not days:
        return None
    starts, ends = _times(block, "start"), _times(block, "end")
    first_day = days[0] if type(days[0]) is date else days[0].date()
    last_day = days[-1] if type(days[-1]) is date else days[-1].date()
    start: datetime | date = datetime.combine(first_day, starts[0]) if starts else first_day
    end: datetime | date | None = None
    if ends and starts:
        end = datetime.combine(last_day, ends[-1])
        if end <= start:
            end += timedelta(days=1)
    elif last_day != first_day:
        end = last_day + timedelta(days=1) if not starts else None
    link = block.css_first(".eventlist-title a[href], a.eventlist-title-link, a.eventlist-button[href]")
    url = absolute_url(page.url, link.attributes.get("href")) if link is not None else None
    place = _text(block, ".eventlist-meta-address, .eventitem-meta-address").replace("(map)", "").strip()
    excerpt = block.css_first(".eventlist-excerpt, .eventitem-column-content")
    description = html_to_text(excerpt.html) if excerpt is not None else ""
    return Event(
        title=title, start=start, end=end, url=url, description=description,
        location=split_location(place) if place else None,
        online=online_mode(place, description[:2000]),
        status=status_from("", title), source_format="squarespace",
        key=url if url and url != page.url else None,
    )


def read(page: Page) -> list[Event]:
    """The events a Squarespace events page lists (a cheap no-op on other pages)."""
    # one query of the tree: it costs less than the scans of the bytes a page without blocks fails
    if not page.looks_like_html:
        return []
    events = [event for block in page.tree.css(_BLOCKS) if (event := _event(block, page)) is not None]
    return distinct_keys(events)
