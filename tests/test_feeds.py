"""Feeds are RFC 5545: every client reads the same events, times and statuses."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar

from eventscout.flows.publishing.feeds import escape_text, feed_end, fold, render_calendar, write_atomically
from eventscout.flows.store import StoredEvent
from eventscout.scrapers.event import CANCELLED, ONLINE, POSTPONED, Event, Location

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)


def stored(event: Event, sequence: int = 0) -> StoredEvent:
    return StoredEvent(event, sequence, NOW, NOW)


def parse(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_zoned_times_keep_their_tzid_and_a_vtimezone_is_included():
    start = datetime(2026, 12, 3, 18, 30, tzinfo=NY)
    data = render_calendar("Atlanta", None, [stored(Event("Mixer", start, start + timedelta(hours=2), key="a"))])
    assert b"DTSTART;TZID=America/New_York:20261203T183000" in data
    assert b"BEGIN:VTIMEZONE\r\nTZID:America/New_York" in data
    (vevent,) = parse(data)
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTSTART").utcoffset() == timedelta(hours=-5)


def test_fixed_offsets_are_written_in_utc_never_floating():
    start = datetime(2026, 12, 3, 18, 30, tzinfo=timezone(timedelta(hours=-5)))
    data = render_calendar("Atlanta", None, [stored(Event("Mixer", start, key="a"))])
    assert b"DTSTART:20261203T233000Z" in data
    (vevent,) = parse(data)
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTEND") == start + timedelta(hours=2), "a default end of two hours"


def test_all_day_events_get_date_values_and_an_exclusive_end():
    event = Event("Bootcamp", date(2026, 12, 20), date(2026, 12, 21), key="b", source_format="jsonld")
    (vevent,) = parse(render_calendar("x", None, [stored(event)]))
    assert vevent.decoded("DTSTART") == date(2026, 12, 20)
    assert vevent.decoded("DTEND") == date(2026, 12, 22), "JSON-LD states the last day; DTEND is the day after"
    ical_event = Event("Bootcamp", date(2026, 12, 20), date(2026, 12, 22), key="b", source_format="ical")
    assert feed_end(ical_event) == date(2026, 12, 22), "iCalendar's DTEND is already exclusive"


def test_cancelled_events_are_marked_and_online_events_say_so():
    start = datetime(2026, 12, 3, 18, tzinfo=NY)
    cancelled = Event("Mixer", start, key="c", status=CANCELLED,
                      location=Location(name="Ponce City Market", city="Atlanta", region="GA"))
    webinar = Event("Webinar", start, key="w", online=ONLINE)
    a, b = parse(render_calendar("x", None, [stored(cancelled), stored(webinar)]))
    assert str(a["STATUS"]) == "CANCELLED" and str(a["SUMMARY"]).startswith("CANCELLED: ")
    assert str(a["LOCATION"]) == "Ponce City Market, Atlanta, GA"
    assert str(b["STATUS"]) == "CONFIRMED" and str(b["LOCATION"]) == "Online"
    # a title that says it already is not marked twice, wherever it says it
    said = [Event(t, start, key=t, status=s) for t, s in (("Board Meeting – CANCELLED", CANCELLED),
                                                         ("Canceled: Gala", CANCELLED),
                                                         ("Retreat (Rescheduled)", POSTPONED))]
    assert [str(e["SUMMARY"]) for e in parse(render_calendar("x", None, [stored(e) for e in said]))] == [
        "Board Meeting – CANCELLED", "Canceled: Gala", "Retreat (Rescheduled)"]


def test_text_is_escaped_and_long_lines_are_folded_at_75_octets():
    start = datetime(2026, 12, 3, 18, tzinfo=NY)
    title = "Networking; drinks, and <b>talks</b> — ünïcödé " * 4
    event = Event(title, start, key="t", description="line one\nline two, with; punctuation\\")
    data = render_calendar("x", None, [stored(event)])
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "RFC 5545 3.1"
    (vevent,) = parse(data)
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["DESCRIPTION"]).startswith("line one\nline two, with; punctuation\\")
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert fold("x" * 80) == "x" * 75 + "\r\n " + "x" * 5 + "\r\n"


def test_uid_and_bytes_are_the_same_on_every_render():
    start = datetime(2026, 12, 3, 18, tzinfo=NY)
    event = Event("Mixer", start, key="https://example.org/e/1", source_id="tag")
    first = render_calendar("x", None, [stored(event)])
    again = render_calendar("x", None, [stored(Event("Mixer renamed", start + timedelta(days=1),
                                                     key="https://example.org/e/1", source_id="tag"), 1)])
    assert parse(first)[0]["UID"] == parse(again)[0]["UID"] == f"{event.id}@eventscout"
    assert render_calendar("x", None, [stored(event)]) == first


def test_feeds_are_replaced_atomically_and_not_rewritten_when_unchanged(tmp_path):
    path = tmp_path / "feed.ics"
    assert write_atomically(path, b"one") is True
    assert write_atomically(path, b"one") is False
    assert write_atomically(path, b"two") is True
    assert path.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.ics"], "no temp file left behind"


def test_unicode_line_separators_become_line_breaks_before_escaping():
    assert escape_text("one\x85two\u2028three\u2029four") == "one\\ntwo\\nthree\\nfour"
    start = datetime(2026, 12, 3, 18, tzinfo=NY)
    event = Event("Mixer", start, key="sep", description="Doors open\u2028Talks at 7\u2029Drinks\x85after",
                  location=Location(name="Hall\u2028B"))
    data = render_calendar("x", None, [stored(event)])
    assert not any(ch in data.decode("utf-8") for ch in "\x85\u2028\u2029")
    (vevent,) = parse(data)
    assert str(vevent["DESCRIPTION"]).startswith("Doors open\nTalks at 7\nDrinks\nafter")


def test_geo_is_written_only_for_a_venue_placed_itself_never_for_its_city_centre():
    from eventscout.flows.knowledge.places import resolve_location

    start = datetime(2026, 12, 3, 18, tzinfo=NY)
    # the gazetteer fills these two with Atlanta's centre: no GEO, LOCATION keeps the address
    market = resolve_location(Location(name="Ponce City Market", street="675 Ponce De Leon Ave NE", city="Atlanta",
                                       region="GA"))
    hotel = resolve_location(Location(name="Georgia Tech Hotel", street="800 Spring St NW", city="Atlanta",
                                      region="GA"))
    assert market.lat is not None and (market.lat, market.lon) == (hotel.lat, hotel.lon), "both at the centre"
    placed = Location(name="Buckhead Club", street="3344 Peachtree Rd NE", city="Atlanta", region="GA",
                      lat=33.8461, lon=-84.3625)
    events = [Event("Mixer", start, key="a", location=market), Event("Summit", start, key="b", location=hotel),
              Event("Meeting", start, key="c", location=placed)]
    by_title = {str(v["SUMMARY"]): v for v in parse(render_calendar("x", None, [stored(e) for e in events]))}
    assert "GEO" not in by_title["Mixer"] and "GEO" not in by_title["Summit"]
    assert "675 Ponce De Leon Ave NE" in str(by_title["Mixer"]["LOCATION"])
    assert by_title["Meeting"].decoded("GEO") == (33.8461, -84.3625)


def test_one_point_given_to_venues_at_different_street_addresses_is_left_out_of_both():
    start = datetime(2026, 12, 3, 18, tzinfo=NY)
    pin = {"city": "Atlanta", "region": "GA", "lat": 33.79, "lon": -84.39}
    first = Location(name="Hall A", street="100 Main St", **pin)
    second = Location(name="Hall B", street="250 Oak Ave", **pin)
    same_street = Location(name="Hall A, room 2", street="100 Main Street", **pin)
    events = [Event("One", start, key="a", location=first), Event("Two", start, key="b", location=second),
              Event("Three", start, key="c", location=same_street)]
    assert all("GEO" not in v for v in parse(render_calendar("x", None, [stored(e) for e in events])))
    only_one_street = render_calendar("x", None, [stored(events[0]), stored(events[2])])
    assert [v.decoded("GEO") for v in parse(only_one_street)] == [(33.79, -84.39)] * 2
