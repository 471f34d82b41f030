"""Which stored events belong in which feed, and why.

Every check returns a verdict with its reason, so `eventscout explain` can
show people exactly which filter admitted or rejected an event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from flows.config import Feed
from flows.places import distance_km, geocode
from flows.store import StoredEvent
from scrapers.event import HYBRID, IN_PERSON, ONLINE, Event, as_utc


@dataclass(frozen=True)
class Verdict:
    admitted: bool
    check: str
    reason: str


Check = Callable[[Event], Verdict]


def _industry_check(feed: Feed) -> Check | None:
    if not feed.industries:
        return None
    wanted = set(feed.industries)

    def check(event: Event) -> Verdict:
        hit = sorted(wanted.intersection(event.industries))
        if hit:
            return Verdict(True, "industry", f"industry {', '.join(hit)}")
        have = ", ".join(event.industries) or "none"
        return Verdict(False, "industry", f"industries ({have}) are not any of {', '.join(sorted(wanted))}")

    return check


def _place_check(feed: Feed) -> Check | None:
    if not feed.city:
        if feed.include_online:
            return None

        def in_person_only(event: Event) -> Verdict:
            if event.online == ONLINE:
                return Verdict(False, "online", "online event, and the feed excludes online events")
            return Verdict(True, "online", "not online-only")

        return in_person_only
    centre = geocode(feed.city)
    assert centre is not None, "config validation places every feed city"
    radius = feed.radius_km

    def check(event: Event) -> Verdict:
        if event.online in (ONLINE, HYBRID) and feed.include_online:
            return Verdict(True, "place", f"{event.online} event, and the feed includes online events")
        if event.online == ONLINE:
            return Verdict(False, "place", "online event, and the feed excludes online events")
        loc = event.location
        if loc is None or loc.lat is None or loc.lon is None:
            return Verdict(False, "place", "no place that could be resolved to coordinates")
        km = distance_km(centre.lat, centre.lon, loc.lat, loc.lon)
        where = loc.city or loc.one_line() or "its place"
        if km <= radius:
            return Verdict(True, "place", f"{where} is {km:.0f} km from {feed.city} (within {radius:g} km)")
        return Verdict(False, "place", f"{where} is {km:.0f} km from {feed.city} (beyond {radius:g} km)")

    return check


def feed_checks(feed: Feed) -> list[Check]:
    return [c for c in (_industry_check(feed), _place_check(feed)) if c is not None]


def upcoming_check(now: datetime) -> Check:
    def check(event: Event) -> Verdict:
        end = event.end if event.end is not None else event.start
        if as_utc(end) < now:
            return Verdict(False, "upcoming", "already over")
        return Verdict(True, "upcoming", "upcoming")

    return check


def explain(feed: Feed, event: Event, now: datetime | None = None) -> list[Verdict]:
    """Every check's verdict on one event, in order."""
    now = now or datetime.now(timezone.utc)
    return [check(event) for check in [upcoming_check(now), *feed_checks(feed)]]


def select(feed: Feed, events: Iterable[StoredEvent], now: datetime | None = None) -> list[StoredEvent]:
    """The events a feed publishes."""
    now = now or datetime.now(timezone.utc)
    checks = [upcoming_check(now), *feed_checks(feed)]
    return [s for s in events if all(check(s.event).admitted for check in checks)]


def has_place(event: Event) -> bool:
    """Whether a place filter can judge this event at all."""
    if event.online != IN_PERSON:
        return True
    loc = event.location
    return loc is not None and loc.lat is not None and loc.lon is not None
