"""The Meetup reader: GraphQL payloads and event pages' Next.js/Apollo data (tests/fixtures/feeds)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from eventscout.scrapers import CANCELLED, HYBRID, IN_PERSON, ONLINE, Page, meetup

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
DENVER_SUMMER = timezone(timedelta(hours=-6))


def read(name: str):
    page = Page((FEEDS / name).read_bytes(), "https://www.meetup.com/gql")
    return {e.title: e for e in meetup.read(page)}


def test_graphql_group_events_keep_their_offset_venue_and_group():
    events = read("meetup_graphql.json")
    night = events["Data Pipelines Night"]
    assert night.start == datetime(2024, 6, 5, 18, tzinfo=DENVER_SUMMER)
    assert night.start.utcoffset() == timedelta(hours=-6)
    assert night.end == datetime(2024, 6, 5, 20, 30, tzinfo=DENVER_SUMMER)
    assert night.url == "https://www.meetup.com/denver-data/events/300001/"
    assert night.key == "meetup:300001"
    assert night.description == "Talks and pizza"
    assert night.organizer == "Denver Data Engineers"
    loc = night.location
    assert (loc.name, loc.street, loc.city, loc.region, loc.lat, loc.lon) == (
        "Galvanize", "1062 Delaware St", "Denver", "CO", 39.733, -104.992)
    assert night.online == IN_PERSON


def test_event_types_and_cancellation():
    events = read("meetup_graphql.json")
    remote = events["Remote Lightning Talks"]
    assert remote.online == ONLINE and remote.location is None  # Meetup's placeholder venue is no place
    social = events["Summer Social"]
    assert social.online == HYBRID and social.status == CANCELLED


def test_event_page_apollo_state_references_are_resolved():
    [clinic] = read("meetup_event_page.html").values()
    assert clinic.title == "Cloud Cost Clinic"
    assert clinic.start == datetime(2024, 8, 21, 18, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert clinic.location.city == "Boston" and clinic.location.street == "50 Milk St"
    assert clinic.organizer == "Boston Cloud Practitioners"
    assert clinic.key == "meetup:400001"


def test_other_json_is_left_alone():
    assert meetup.read(Page(b'{"events": [{"name": "x", "startDate": "2024-01-01"}]}', "https://x.example/")) == []
