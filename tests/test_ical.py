"""The iCalendar reader on small feeds written for these tests (tests/fixtures/feeds)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from eventscout.scrapers import CANCELLED, HYBRID, IN_PERSON, ONLINE, SCHEDULED, Page, extract, ical

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(name: str, since: date = date(2024, 1, 1), until: date = date(2024, 12, 31)):
    page = Page((FEEDS / name).read_bytes(), "https://springfield.example/calendar.ics",
                since=since, until=until)
    return {e.title: e for e in ical.read(page)}


def test_google_feed_keeps_zone_wall_clock_and_fields():
    events = read("google.ics")
    mixer = events["Engineers' Networking Mixer"]
    assert mixer.start == datetime(2024, 6, 12, 18, tzinfo=ZoneInfo("America/New_York"))
    assert mixer.start.tzinfo == ZoneInfo("America/New_York") and mixer.timezone == "America/New_York"
    assert mixer.end == datetime(2024, 6, 12, 20, tzinfo=ZoneInfo("America/New_York"))
    assert mixer.key == "mixer-2024@springfield.example"
    assert mixer.url == "https://springfield.example/events/mixer-2024"
    assert mixer.description == "Meet local engineers.\nDrinks provided."
    assert mixer.location.city == "Springfield" and mixer.location.region == "IL"
    assert (mixer.location.lat, mixer.location.lon) == (39.7817, -89.6501)
    assert mixer.organizer == "Springfield Engineers"
    assert mixer.categories == ["Networking", "Engineering"]
    assert mixer.online == IN_PERSON and mixer.status == SCHEDULED


def test_all_day_multi_day_event_keeps_exclusive_end_date():
    expo = read("google.ics")["Regional Engineering Expo"]
    assert expo.start == date(2024, 7, 15) and expo.end == date(2024, 7, 18)
    assert expo.all_day
    assert expo.url is None and expo.key == "expo-2024@springfield.example"


def test_a_stated_zero_length_end_is_kept_a_missing_one_stays_missing():
    events = read("google.ics")
    deadline = events["Award Nominations Close"]
    assert deadline.end == deadline.start == datetime(2024, 8, 1, 9, tzinfo=ZoneInfo("America/New_York"))
    assert read("floating.ics")["Floating Time Meetup"].end is not None
    assert read("broken_timezones.ics")["Mars Colony Meetup"].end is None


def test_meeting_links_make_events_online_or_hybrid():
    events = read("google.ics")
    webinar = events["Webinar: Bridge Inspection"]
    assert webinar.online == ONLINE and webinar.location is None
    assert webinar.start == datetime(2024, 6, 20, 16, tzinfo=timezone.utc)
    assert webinar.organizer == "webinars@springfield.example"
    lunch = events["Lunch & Learn"]
    assert lunch.online == HYBRID
    assert lunch.end - lunch.start == timedelta(hours=1, minutes=30)  # from DURATION


def test_events_outside_the_window_are_left_out():
    assert "Long Past Meeting" not in read("google.ics")
    assert "Long Past Meeting" in read("google.ics", since=date(2023, 1, 1))


def test_outlook_windows_zone_names_become_iana_zones():
    events = read("outlook.ics")
    lunch = events["Chapter Luncheon"]
    assert lunch.start == datetime(2024, 9, 10, 11, 30, tzinfo=ZoneInfo("America/New_York"))
    assert isinstance(lunch.start.tzinfo, ZoneInfo) and lunch.start.tzinfo.key == "America/New_York"
    assert lunch.online == ONLINE  # "Microsoft Teams Meeting"
    west = events["West Coast Roundtable"]  # TZID with no VTIMEZONE at all
    assert west.start.tzinfo == ZoneInfo("America/Los_Angeles") and west.start.hour == 9


def test_broken_vtimezone_falls_back_block_by_block():
    events = read("broken_timezones.ics")
    housing = events["Housing Committee"]  # VTIMEZONE with two TZIDs: icalendar refuses the feed
    assert housing.start == datetime(2024, 5, 9, 8, 30, tzinfo=ZoneInfo("America/Chicago"))
    assert housing.url == "https://broken.example/event/housing-committee/"
    brasilia = events["Reunião mensal"]  # non-ASCII TZID, no VTIMEZONE: the offset its label states
    assert brasilia.start.replace(tzinfo=None) == datetime(2024, 5, 11, 13, 30)
    assert brasilia.start.utcoffset() == timedelta(hours=-3)
    mars = events["Mars Colony Meetup"]  # absurd offset, and an X-WR-TIMEZONE naming no zone: floating
    assert mars.start == datetime(2024, 5, 12, 10) and mars.start.tzinfo is None
    survivor = events["Garbled Line Survivor"]  # its unreadable DTEND line is dropped, not the event
    assert survivor.start.replace(tzinfo=None) == datetime(2024, 5, 13, 10) and survivor.end is None


def test_latin1_bytes_are_read():
    fest = read("latin1.ics")["Straßenfest Köln"]
    assert fest.start == date(2024, 8, 1)
    assert fest.description == "Grüße aus Köln"
    assert fest.location.city == "Köln" and fest.location.postal_code == "50667"


def test_floating_times_take_x_wr_timezone():
    meetup = read("floating.ics")["Floating Time Meetup"]
    assert meetup.start == datetime(2024, 3, 1, 19, tzinfo=ZoneInfo("America/Denver"))
    assert meetup.online == ONLINE and meetup.location is None


def test_recurring_series_expands_with_exdate_rdate_and_overrides():
    page = Page((FEEDS / "recurring.ics").read_bytes(), "https://r.example/feed.ics",
                since=date(2024, 1, 1), until=date(2024, 3, 1))
    coffee = sorted((e for e in ical.read(page) if e.title.startswith("Weekly Coffee")),
                    key=lambda e: e.start)
    berlin = ZoneInfo("Europe/Berlin")
    assert [(e.start.replace(tzinfo=None), e.status) for e in coffee] == [
        (datetime(2024, 1, 2, 8), SCHEDULED),
        (datetime(2024, 1, 10, 8), SCHEDULED),   # RECURRENCE-ID override moved it a day
        (datetime(2024, 1, 23, 8), CANCELLED),   # override with STATUS:CANCELLED
        (datetime(2024, 1, 30, 8), SCHEDULED),
        (datetime(2024, 2, 1, 17), SCHEDULED),   # RDATE
        (datetime(2024, 2, 6, 8), SCHEDULED),    # sixth of COUNT=6: the EXDATE (16 Jan) still counts
    ]
    assert all(e.start.tzinfo == berlin for e in coffee)
    moved = coffee[1]
    assert moved.title == "Weekly Coffee (moved)"
    # the key names the slot the occurrence was scheduled in (its RECURRENCE-ID)
    assert moved.key == "weekly@recurring.example#2024-01-09T08:00:00+01:00"
    assert coffee[0].key == "weekly@recurring.example#2024-01-02T08:00:00+01:00"
    assert len({e.key for e in coffee}) == len(coffee)


def test_runaway_rule_is_not_expanded_and_reading_stays_fast():
    page = Page((FEEDS / "recurring.ics").read_bytes(), "https://r.example/feed.ics",
                since=date(2024, 1, 1), until=date(2024, 12, 31))
    began = time.perf_counter()
    runaway = [e for e in ical.read(page) if e.title == "Runaway Rule"]
    assert len(runaway) == 1
    assert time.perf_counter() - began < 2


def test_five_hundred_occurrences_read_well_under_a_second():
    body = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
            + "".join(f"BEGIN:VEVENT\r\nUID:s{i}@t\r\nSUMMARY:Series {i}\r\n"
                      f"DTSTART;TZID=America/New_York:20240101T{10 + i % 8:02d}0000\r\n"
                      "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=50\r\nEND:VEVENT\r\n" for i in range(10))
            + "END:VCALENDAR\r\n").encode()
    page = Page(body, "https://t.example/f.ics", since=date(2024, 1, 1), until=date(2024, 12, 31))
    began = time.perf_counter()
    events = ical.read(page)
    elapsed = time.perf_counter() - began
    assert len(events) == 500
    assert elapsed < 0.5, elapsed


def test_not_a_calendar_is_left_alone():
    assert ical.read(Page(b"<html><body>BEGIN:VCALENDAR</body></html>", "https://x.example/")) == []
    assert extract(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "https://x.example/f.ics") == []
