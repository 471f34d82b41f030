"""What a page-reading worker runs (eventscout.flows.reading.page_readers): one page read into events,
and a source's events prepared for the store.

Apart from the fetching in `eventscout.flows.reading.read`, so a worker
process imports the readers and none of the HTTP client.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, NamedTuple

from eventscout.flows.reading.enrich import enrich
from eventscout.flows.reading.hygiene import publishable
from eventscout.flows.reading.identity import distinct_identities
from eventscout.flows.store import EventRow, stored_row
from eventscout.scrapers import Extraction, Page, extract_page, merge_readings
from eventscout.scrapers.event import Event, as_utc

if TYPE_CHECKING:  # dedup (rapidfuzz, the gazetteer) loads when events are first prepared
    from eventscout.flows.config import Source
    from eventscout.flows.reading.dedup import ComparisonKeys

#: at most this many extra requests per source for links a page points to (feeds, next pages)
MAX_FOLLOW = 5


class SourceSettings(NamedTuple):
    """What reading a source's pages needs of its settings, sent to the workers in place of the
    `Source` model: unpickling that would load pydantic and the config's validators (10 MB a worker)."""

    id: str
    url: str
    format: str
    timezone: str
    recipe: dict[str, str] | None
    location: str | None
    industries: list[str]

    @classmethod
    def of(cls, source: Source) -> SourceSettings:
        return cls(source.id, source.url, source.format, source.timezone, source.recipe, source.location,
                   source.industries)


class Prepared(NamedTuple):
    """A source's events as the store will give them back, each with its row and what dedup compares."""

    events: list[Event]
    rows: list[EventRow]
    comparisons: list[ComparisonKeys]


def read_page(source: SourceSettings, body: bytes, url: str, content_type: str | None, max_events: int | None = None,
              fetched: date | None = None) -> tuple[Extraction, Prepared | None, int]:
    """A source's page read; when it links to nothing worth following, its events prepared too
    (at most `max_events`, the soonest), with how many it listed (readers that expand stop one past).
    `fetched` (the page's Last-Modified day) dates what the page writes without a year.

    One call does the whole reading in the common case, so a worker process
    hands back prepared events and not the raw readings as well.
    """
    extraction = extract_for(source, body, url, content_type, max_events and max_events + 1, fetched)
    if extraction.follow and MAX_FOLLOW:
        return extraction, None, len(extraction.events)
    return (replace(extraction, events=[]), prepare(source, extraction.events, max_events),
            len(extraction.events))


def soonest(events: list[Event], limit: int | None, now: datetime | None = None) -> list[Event]:
    """At most `limit` events: those still to come first, soonest first; past ones only after them."""
    if limit is None or len(events) <= limit:
        return events
    now = now or datetime.now(timezone.utc)
    return sorted(events, key=lambda e: (as_utc(e.end or e.start) < now, as_utc(e.start)))[:limit]


def prepare(source: Source | SourceSettings, events: list[Event], max_events: int | None = None
            ) -> Prepared:
    """A source's readings (at most `max_events`, the soonest) made one per event, safe to publish,
    enriched with its settings, each with the row the store will write for it and what dedup compares.

    The events handed back are read back from those rows, exactly as the store
    will give them to the feeds, so the flow can use them (and their
    comparison keys) without decoding the rows it just wrote
    (`write_feeds(..., fresh=...)`).
    """
    from eventscout.flows.reading.dedup import comparison_keys

    finished = distinct_identities(
        enrich(source, [e for e in map(publishable, merge_readings(soonest(events, max_events))) if e.title]))
    pairs = [stored_row(event) for event in finished]
    stored = [event for _, event in pairs]
    return Prepared(stored, [row for row, _ in pairs], [comparison_keys(event) for event in stored])


def extract_for(source: SourceSettings, body: bytes, url: str, content_type: str | None,
                max_events: int | None = None, fetched: date | None = None) -> Extraction:
    """One page read as `source` says: its format, time zone and recipe."""
    page = Page(body, url, content_type, timezone=source.timezone, recipe=source.recipe, max_events=max_events,
                fetched=fetched)
    return extract_page(page, source.format)
