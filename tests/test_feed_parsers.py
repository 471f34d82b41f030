"""Every calendar client reads our feeds the same way: icalendar, vobject and ical.js agree.

One feed holds the awkward cases: zones on both sides of the world (and a
half-hour DST shift), times next to DST changes, fixed offsets, UTC, all-day
and multi-day events, missing ends, cancelled and postponed events, and text
full of characters that need escaping and folding.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar

from eventscout.flows.publishing.feeds import render_calendar
from eventscout.flows.store import StoredEvent
from eventscout.scrapers.event import CANCELLED, HYBRID, ONLINE, POSTPONED, Event, Location
from tests.ical_readers import read_agreed

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)


def awkward_events() -> list[Event]:
    def at(*args: int, tz=NY) -> datetime:
        return datetime(*args, tzinfo=tz)

    return [
        Event("Evening mixer", at(2026, 12, 3, 18, 30), at(2026, 12, 3, 20, 30), key="ny"),
        Event("Day after spring forward", at(2027, 3, 15, 9), key="dst-spring"),
        Event("Week after fall back", at(2026, 11, 8, 9), key="dst-fall"),
        Event("Chicago forum", at(2026, 12, 4, 9, tz=ZoneInfo("America/Chicago")), key="chi"),
        Event("Berlin summer meetup", at(2027, 7, 1, 19, tz=ZoneInfo("Europe/Berlin")), key="ber"),
        Event("Lord Howe sunrise talk", at(2027, 1, 10, 7, tz=ZoneInfo("Australia/Lord_Howe")), key="lhi"),
        Event("Kolkata breakfast", at(2026, 12, 5, 8, tz=ZoneInfo("Asia/Kolkata")), key="ind"),
        Event("Fixed offset talk", at(2026, 12, 6, 12, tz=timezone(timedelta(hours=-7))), key="fixed"),
        Event("UTC webinar", at(2026, 12, 7, 15, tz=timezone.utc), key="utc", online=ONLINE),
        Event("One-day expo", date(2026, 12, 10), key="day", source_format="jsonld"),
        Event("Three-day conference", date(2026, 12, 11), date(2026, 12, 13), key="days", source_format="jsonld"),
        Event("iCal bootcamp", date(2026, 12, 20), date(2026, 12, 22), key="ical-days", source_format="ical"),
        Event("Winter gala", at(2026, 12, 12, 19), key="gone", status=CANCELLED),
        Event("Spring summit", at(2026, 12, 14, 9), key="later", status=POSTPONED),
        Event("Hybrid panel; Q&A, drinks \\ more\nsecond line", at(2026, 12, 15, 17), key="esc",
              online=HYBRID, description="Ünïcödé — 😀 " * 12 + "\x00\x07bell\r\nCRLF",
              location=Location(name="Hall 1, East Wing", street="1 Main St", city="Atlanta", region="GA",
                                lat=33.749, lon=-84.388),
              url="https://example.org/events/a b?x=1", links=["https://example.org/register?e=1"],
              industries=["technology", "human-resources"], organizer="Atlanta Tech; Council"),
    ]


def test_three_parsers_read_the_same_events_starts_and_statuses(tmp_path):
    events = awkward_events()
    path = tmp_path / "awkward.ics"
    path.write_bytes(render_calendar("Awkward, on purpose", "Cases clients trip over",
                                     [StoredEvent(e, 2, NOW, NOW) for e in events], {"": "Source; name"}))
    agreed = read_agreed(path)  # the calendar's name and description too
    assert len(agreed) == len(events)
    assert str(icalendar.Calendar.from_ical(path.read_bytes())["X-WR-CALNAME"]) == "Awkward, on purpose"
    by_summary = {e["summary"]: e for e in agreed}
    assert by_summary["Evening mixer"]["start"] == "2026-12-03T23:30:00Z"
    assert by_summary["Evening mixer"]["tzid"] == "America/New_York"
    assert by_summary["Day after spring forward"]["start"] == "2027-03-15T13:00:00Z", "EDT, UTC-4"
    assert by_summary["Week after fall back"]["start"] == "2026-11-08T14:00:00Z", "EST, UTC-5"
    assert by_summary["Lord Howe sunrise talk"]["start"] == "2027-01-09T20:00:00Z", "UTC+11 in summer"
    assert by_summary["Kolkata breakfast"]["start"] == "2026-12-05T02:30:00Z"
    assert by_summary["Fixed offset talk"]["start"] == "2026-12-06T19:00:00Z"
    assert by_summary["Fixed offset talk"]["tzid"] is None
    assert by_summary["One-day expo"]["start"] == "2026-12-10" and by_summary["One-day expo"]["end"] == "2026-12-11"
    assert by_summary["Three-day conference"]["end"] == "2026-12-14", "exclusive end after the last day"
    assert by_summary["iCal bootcamp"]["end"] == "2026-12-22"
    assert by_summary["CANCELLED: Winter gala"]["status"] == "CANCELLED"
    assert by_summary["POSTPONED: Spring summit"]["status"] == "TENTATIVE"
    assert by_summary["Evening mixer"]["status"] == "CONFIRMED"
    assert by_summary["UTC webinar"]["end"] == "2026-12-07T17:00:00Z", "two hours when no end is given"
    assert all(e["sequence"] == 2 for e in agreed)
    assert "Hybrid panel; Q&A, drinks \\ more\nsecond line" in by_summary


def test_every_line_is_crlf_terminated_and_at_most_75_octets(tmp_path):
    data = render_calendar("x", None, [StoredEvent(e, 0, NOW, NOW) for e in awkward_events()])
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert not any(b"\n" in line or b"\r" in line for line in lines)
    assert b"\x00" not in data and b"\x07" not in data, "control characters are not allowed in values"
    text = data.decode("utf-8")  # folding never splits a UTF-8 character
    for zone in ("America/New_York", "America/Chicago", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"):
        assert text.count(f"BEGIN:VTIMEZONE\r\nTZID:{zone}\r\n") == 1, zone


def test_description_location_url_categories_and_geo_say_what_subscribers_need(tmp_path):
    event = awkward_events()[-1]
    data = render_calendar("x", None, [StoredEvent(event, 0, NOW, NOW)], {"": "Atlanta Tech Council"})
    (vevent,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    description = str(vevent["DESCRIPTION"])
    assert description.startswith("Ünïcödé — 😀")
    assert "Organised by: Atlanta Tech; Council" in description
    assert "Register: https://example.org/register?e=1" in description
    assert "Source: Atlanta Tech Council" in description
    assert "\x00" not in description
    assert str(vevent["URL"]) == "https://example.org/events/a%20b?x=1"
    assert str(vevent["LOCATION"]) == "Hall 1, East Wing, 1 Main St, Atlanta, GA (and online)"
    assert [str(c) for c in vevent["CATEGORIES"].cats] == ["technology", "human-resources"]
    assert "GEO" not in vevent, "33.749;-84.388 is Atlanta's centre, not the hall's own point"


def test_vtimezone_blocks_give_every_parser_the_iana_offsets_through_the_years(tmp_path):
    """Noon on the 1st and 15th of each month, and an hour after every change, 2026-2031."""
    from eventscout.flows.publishing.vtimezone import transitions

    zones = ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo",
             "Africa/Casablanca", "America/Santiago", "Asia/Kolkata", "Pacific/Auckland"]
    events = []
    for name in zones:
        zone = ZoneInfo(name)
        starts = [datetime(year, month, day, 12, tzinfo=zone)
                  for year in range(2026, 2032) for month in range(1, 13) for day in (1, 15)]
        starts += [(t.onset + timedelta(hours=1)).replace(tzinfo=zone) for t in transitions(zone)
                   if 2026 <= t.onset.year < 2032]
        events += [Event(f"{name} {start:%Y-%m-%d %H:%M}", start, key=f"{name}/{start.isoformat()}")
                   for start in starts]
    path = tmp_path / "zones.ics"
    path.write_bytes(render_calendar("zones", None, [StoredEvent(e, 0, NOW, NOW) for e in events]))
    agreed = {e["summary"]: e["start"] for e in read_agreed(path)}
    for event in events:
        expected = event.start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert agreed[event.title] == expected, event.title


def test_an_event_without_a_page_links_to_the_page_it_was_read_from():
    event = Event("Bootcamp", date(2026, 12, 20), key="b", source_id="pmi")
    data = render_calendar("x", None, [StoredEvent(event, 0, NOW, NOW)], {"pmi": "PMI Atlanta"},
                           {"pmi": "https://pmi.example/calendar.ics"})
    (vevent,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(vevent["URL"]) == "https://pmi.example/calendar.ics"
    assert "Source: PMI Atlanta https://pmi.example/calendar.ics (via eventscout)" in str(vevent["DESCRIPTION"])
