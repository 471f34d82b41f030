"""The Eventbrite reader: API v3 payloads and event pages' server data (tests/fixtures/feeds)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from eventscout.scrapers import CANCELLED, IN_PERSON, ONLINE, SCHEDULED, Page, eventbrite, extract

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(name: str):
    page = Page((FEEDS / name).read_bytes(), "https://www.eventbriteapi.com/v3/organizations/1/events/")
    return {e.title: e for e in eventbrite.read(page)}


def test_api_event_keeps_local_wall_clock_in_its_zone_and_venue():
    breakfast = read("eventbrite_api.json")["Women in Engineering Breakfast"]
    chicago = ZoneInfo("America/Chicago")
    assert breakfast.start == datetime(2024, 10, 3, 7, 30, tzinfo=chicago)
    assert breakfast.start.tzinfo == chicago and breakfast.timezone == "America/Chicago"
    assert breakfast.end == datetime(2024, 10, 3, 9, tzinfo=chicago)
    assert breakfast.url == "https://www.eventbrite.com/e/women-in-engineering-breakfast-tickets-1001"
    assert breakfast.key == "eventbrite:1001"
    loc = breakfast.location
    assert (loc.name, loc.street, loc.city, loc.region, loc.postal_code) == (
        "Union League Club", "65 W Jackson Blvd", "Chicago", "IL", "60604")
    assert (loc.lat, loc.lon) == (41.8789, -87.6298)
    assert breakfast.organizer == "Chicago Engineers Club"
    assert breakfast.categories == ["Science & Technology"]
    assert breakfast.description == "Breakfast and a talk."
    assert breakfast.online == IN_PERSON and breakfast.status == SCHEDULED


def test_online_and_cancelled_events():
    webinar = read("eventbrite_api.json")["Webinar: Grid Resilience"]
    assert webinar.online == ONLINE and webinar.status == CANCELLED


def test_unknown_zone_leaves_the_local_time_floating():
    gala = read("eventbrite_api.json")["Annual Gala"]
    assert gala.start == datetime(2024, 11, 15, 19) and gala.start.tzinfo is None
    assert gala.key == "eventbrite:1003" and gala.url is None


def test_event_page_server_data_adds_what_json_ld_misses():
    body = (FEEDS / "eventbrite_page.html").read_bytes()
    url = "https://www.eventbrite.com/e/startup-pitch-night-tickets-2001"
    [from_server] = eventbrite.read(Page(body, url))
    assert from_server.status == CANCELLED and from_server.location.city == "San Francisco"
    # the page as a whole: JSON-LD and server data are one event, the richer reading kept
    [merged] = extract(body, url)
    assert merged.status == CANCELLED and merged.location.city == "San Francisco"
    assert merged.end == datetime(2024, 9, 19, 21, tzinfo=ZoneInfo("America/Los_Angeles"))


def test_other_pages_are_left_alone():
    assert eventbrite.read(Page(b'{"events": [{"title": "x", "start": "2024-01-01"}]}', "https://x.example/")) == []
    assert eventbrite.read(Page(b"<html><body>no data</body></html>", "https://x.example/")) == []
