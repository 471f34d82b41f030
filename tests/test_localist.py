"""The Localist reader: one event per instance of each API event (tests/fixtures/feeds)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from eventscout.scrapers import CANCELLED, IN_PERSON, ONLINE, SCHEDULED, Page, localist

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
EDT = timezone(timedelta(hours=-4))


def read():
    page = Page((FEEDS / "localist.json").read_bytes(), "https://calendar.univ.example/api/2/events")
    return localist.read(page)


def test_every_instance_is_an_event_with_the_event_fields():
    nights = [e for e in read() if e.title == "Alumni Engineering Networking Night"]
    assert [(e.start, e.end) for e in nights] == [
        (datetime(2024, 9, 12, 17, 30, tzinfo=EDT), datetime(2024, 9, 12, 19, 30, tzinfo=EDT)),
        (datetime(2024, 10, 10, 17, 30, tzinfo=EDT), datetime(2024, 10, 10, 19, 30, tzinfo=EDT)),
    ]
    assert [e.key for e in nights] == ["localist:9001", "localist:9002"]
    night = nights[0]
    assert night.url == "https://calendar.univ.example/event/alumni_night"  # the event page, not the outside link
    loc = night.location
    assert (loc.name, loc.street, loc.city, loc.region, loc.postal_code) == (
        "Engineering Hall", "200 College Ave", "Ithaca", "NY", "14850")
    assert (loc.lat, loc.lon) == (42.444, -76.5019)
    assert night.categories == ["Networking"] and night.description == "Meet fellow alumni."
    assert night.online == IN_PERSON and night.status == SCHEDULED


def test_virtual_all_day_cancelled_event():
    [fair] = [e for e in read() if e.title == "Career Fair (Virtual)"]
    assert fair.start == date(2024, 9, 20) and fair.all_day and fair.end is None
    assert fair.online == ONLINE and fair.location is None and fair.status == CANCELLED


def test_other_json_is_left_alone():
    assert localist.read(Page(b'{"events": [{"event": {"title": "x"}}]}', "https://x.example/")) == []
