"""What a source's settings add to its events: zone, default place, industries, types, coordinates."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from eventscout.flows.knowledge.event_types import infer_event_types
from eventscout.flows.knowledge.industries import infer_industries
from eventscout.flows.knowledge.places import geocode, looks_online, resolve_location
from eventscout.scrapers.event import IN_PERSON, ONLINE, Event, Location

if TYPE_CHECKING:
    from eventscout.flows.config import Source
    from eventscout.flows.reading.page_jobs import SourceSettings


def default_location(source: Source | SourceSettings) -> Location | None:
    """The source's `location:` as a resolved Location, for in-person events that give none."""
    if not source.location:
        return None
    place = geocode(source.location)
    if place is None:
        return None
    return Location(city=place.city, region=place.region, country=place.country,
                    lat=place.lat, lon=place.lon)


def enrich(source: Source | SourceSettings, events: list[Event]) -> list[Event]:
    """Give each event its source id, the source's zone, place and industries (plus inferred ones).

    Every industry and event type records why it was given, for `eventscout explain`.
    """
    fallback = default_location(source)
    out: list[Event] = []
    for event in events:
        event = event.with_default_timezone(source.timezone)
        if event.url is None:
            # link to the source page, but keep the identity the event had without a URL
            event = replace(event, key=event.identity, url=source.url)
        location = event.location
        if (event.online == IN_PERSON and location is not None and not location.street
                and looks_online(location.one_line())):
            event = replace(event, online=ONLINE)
            location = None
        if event.online == IN_PERSON and (location is None or location.is_empty()):
            location = fallback
        else:
            location = resolve_location(location)
            if (event.online == IN_PERSON and fallback is not None and location is not None
                    and location.lat is None and not location.city):
                location = replace(location, city=fallback.city, region=fallback.region,
                                   country=fallback.country, lat=fallback.lat, lon=fallback.lon)
        reasons = {industry: f"source {source.id} lists it" for industry in source.industries}
        for industry, why in infer_industries(event.title, event.description, event.categories):
            reasons.setdefault(industry, why)
        types = dict(infer_event_types(event.title, event.description, event.categories))
        out.append(replace(event, source_id=source.id, location=location, industries=list(reasons),
                           industry_reasons=reasons, event_types=list(types), event_type_reasons=types))
    return out
