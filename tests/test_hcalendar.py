from datetime import datetime, timedelta, timezone

from eventscout.scrapers.hcalendar import read
from tests.pages import by_title, page


def events():
    return by_title(read(page("hcalendar_events.html")))


def test_classic_vevent_with_abbr_titles_and_nested_adr():
    e = events()["Portland Tech Meetup"]
    assert (e.start, e.end) == (datetime(2008, 2, 28, 17, 30), datetime(2008, 2, 28, 19, 30))
    assert e.url == "https://assoc.example/events/99"
    assert (e.location.name, e.location.city, e.location.region) == ("Jive Software", "Portland", "OR")


def test_value_class_pattern_and_text_location():
    e = events()["Value Class Social"]
    assert (e.start, e.end) == (datetime(2024, 3, 5, 18, 0), datetime(2024, 3, 5, 20, 30))
    assert e.location.city == "Portland" and e.location.postal_code == "97205"


def test_microformats2_h_event():
    e = events()["IndieWeb Camp"]
    assert e.start == datetime(2024, 4, 20, 10, 0, tzinfo=timezone(timedelta(hours=-7)))
    assert e.url == "https://indieweb.example/camp" and e.location.city == "San Francisco"


def test_vevent_without_start_is_skipped():
    assert "No date, skipped" not in events()
