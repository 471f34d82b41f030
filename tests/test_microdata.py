from datetime import date, datetime, timedelta, timezone

from eventscout.scrapers import CANCELLED
from eventscout.scrapers.microdata import read
from tests.pages import by_title, page


def test_event_subtype_with_nested_place_and_address():
    e = by_title(read(page("microdata_events.html")))["Networking & Nibbles"]
    assert e.start == datetime(2024, 10, 3, 17, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert e.end.hour == 19
    assert e.url == "https://assoc.example/events/42"
    assert (e.location.name, e.location.street, e.location.city, e.location.region) == (
        "Union League", "65 W Jackson Blvd", "Chicago", "IL")
    assert e.organizer == "Chicago Bar Association"
    assert e.source_format == "microdata"


def test_hidden_markup_content_attribute_and_status():
    e = by_title(read(page("microdata_events.html")))["Hidden Board Meeting"]
    assert e.start == date(2024, 10, 10) and e.status == CANCELLED


def test_non_event_items_are_ignored():
    assert "Not an event" not in by_title(read(page("microdata_events.html")))
