"""Pure event extraction: page bytes + URL in, `Event`s out. No network, no disk, no Prefect.

Each format is one module exposing ``read(page: Page) -> list[Event]``; the
``READERS`` table names them. ``format="auto"`` runs every structured reader
the page offers, merges their readings (one event found twice comes out once),
and falls back to the generic listing reader only when nothing structured is
there.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from datetime import date, datetime
from typing import Any

from eventscout.scrapers.event import (CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED,
                                       AttendanceMode, Event, Location, Status)
from eventscout.scrapers.links import follow_links
from eventscout.scrapers.page import Page
from eventscout.scrapers.sniff import no_events_reason, not_an_events_page

__all__ = ["Event", "Location", "AttendanceMode", "Status", "Page", "Extraction", "extract", "extract_page",
           "READERS", "IN_PERSON", "ONLINE", "HYBRID", "SCHEDULED", "CANCELLED", "POSTPONED"]

#: format name -> module in this package; order is the order `auto` tries them.
READERS: dict[str, str] = {
    "ical": "eventscout.scrapers.ical",
    "tribe": "eventscout.scrapers.tribe",
    "squarespace": "eventscout.scrapers.squarespace",
    "eventbrite": "eventscout.scrapers.eventbrite",
    "meetup": "eventscout.scrapers.meetup",
    "localist": "eventscout.scrapers.localist",
    "rss": "eventscout.scrapers.rss",
    "records": "eventscout.scrapers.records",
    "jsonld": "eventscout.scrapers.jsonld",
    "microdata": "eventscout.scrapers.microdata",
    "hcalendar": "eventscout.scrapers.hcalendar",
    "recipe": "eventscout.scrapers.recipe",
    "listing": "eventscout.scrapers.listing",
}
#: readers `auto` never picks on its own: they need a declaration or run as the last resort.
_NOT_AUTO = {"recipe", "listing"}
#: generic readers `auto` runs after the specific ones, keeping only the events those missed
_SUPPLEMENTS = ("records",)
#: what a page must show before `auto` loads a reader at all: its module's imports (icalendar,
#: recurring-ical-events) cost every reading process megabytes that HTML pages never need
_OFFERED: dict[str, Callable[[Page], bool]] = {"ical": lambda page: page.looks_like_ical}


@dataclass
class Extraction:
    """What one page yielded, and what the run summary should say about it."""

    events: list[Event]
    format: str | None = None
    reason: str | None = None
    confidence: float = 1.0
    #: links worth one more request: an iCalendar feed, the next page, event detail pages
    follow: list[str] = field(default_factory=list)


@cache
def _reader(name: str) -> Callable[[Page], list[Event]]:
    """A reader's `read`, imported on first use so `extract` only loads what pages need."""
    return importlib.import_module(READERS[name]).read


_NOT_WORD = re.compile(r"\W+")


def _norm_title(title: str) -> str:
    return _NOT_WORD.sub(" ", title.casefold()).strip()


def _richness(event: Event) -> int:
    loc = event.location
    return (bool(event.end) + bool(event.url) + bool(event.description) + bool(event.organizer)
            + (0 if loc is None else sum(v is not None for v in loc.to_dict().values()))
            + (event.status != SCHEDULED))


def merge_readings(events: list[Event]) -> list[Event]:
    """One event per (title, start): the richest reading wins; order of first sight kept."""
    best: dict[tuple[str, str], Event] = {}
    for event in events:
        k = (_norm_title(event.title), event.start.isoformat()[:16])
        seen = best.get(k)
        if seen is None or _richness(event) > _richness(seen):
            best[k] = event
    return list(best.values())


def _not_read_yet(events: list[Event], found: list[Event]) -> list[Event]:
    """The events of a generic reader that no specific reader read already (same title and day)."""
    if not found:
        return events
    seen = {(_norm_title(e.title), _day(e.start)) for e in found}
    return [e for e in events if (_norm_title(e.title), _day(e.start)) not in seen]


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _safe_read(name: str, page: Page) -> list[Event]:
    try:
        return [e for e in _reader(name)(page) if e.title and e.start is not None]
    except (RecursionError, MemoryError):
        return []
    except Exception:  # noqa: BLE001 - a broken page must never break a run
        return []


def extract_page(page: Page, format: str = "auto", *, follow: bool = True) -> Extraction:
    """Read one page with one reader, or with every reader it offers (`auto`).

    `follow=False` skips looking for links to fetch next, for callers that only want events.
    """
    reason = not_an_events_page(page)
    if reason:
        return Extraction([], None, reason, 0.0)
    if format != "auto":
        if format not in READERS:
            return Extraction([], None, f"unknown format {format!r}; known: {', '.join(READERS)}", 0.0)
        events = _finish(_safe_read(format, page), page)
        reason = ("; ".join(page.notes) or None) if events else \
            no_events_reason(page, format) or f"the {format} reader found no events"
        return Extraction(events, format, reason, _confidence(events), follow_links(page) if follow else [])
    used: list[str] = []
    found: list[Event] = []
    for name in READERS:
        offered = _OFFERED.get(name)
        if name in _NOT_AUTO or name in _SUPPLEMENTS or (offered is not None and not offered(page)):
            continue
        events = _safe_read(name, page)
        if events:
            used.append(name)
            found.extend(events)
    for name in _SUPPLEMENTS:
        events = _not_read_yet(_safe_read(name, page), found)
        if events:
            used.append(name)
            found.extend(events)
    if not found and page.looks_like_html:
        found = _safe_read("listing", page)
        if found:
            used.append("listing")
    events = _finish(merge_readings(found), page)
    reason = ("; ".join(page.notes) or None) if events else \
        (no_events_reason(page) or "no events found: no structured events, feed or recognisable listing")
    return Extraction(events, "+".join(used) or None, reason, _confidence(events),
                      follow_links(page) if follow else [])


def _confidence(events: list[Event]) -> float:
    """The mean of the events' confidences: the share of them expected to be real events."""
    return sum(e.confidence for e in events) / len(events) if events else 0.0


def _finish(events: list[Event], page: Page) -> list[Event]:
    if page.timezone:
        events = [e.with_default_timezone(page.timezone) for e in events]
    return events


def extract(body: bytes, url: str, content_type: str | None = None, *, format: str = "auto",
            since: date | None = None, until: date | None = None, timezone: str | None = None,
            recipe: dict[str, Any] | None = None) -> list[Event]:
    """The events in one page, file or feed. Never raises on bad bytes."""
    page = Page(body, url, content_type, since=since, until=until, timezone=timezone, recipe=recipe)
    return extract_page(page, format, follow=False).events
