"""iCalendar expansion with a budget: hostile zones and series cost little, and a capped feed keeps its
soonest events from every series (feeds in tests/fixtures/feeds/hostile, written for these tests)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from eventscout.flows.reading.page_readers import PageReaders
from eventscout.scrapers import Page, ical

HOSTILE = Path(__file__).parent / "fixtures" / "feeds" / "hostile"
SINCE, UNTIL = date(2024, 1, 1), date(2024, 12, 31)


def read_bytes(body: bytes, since: date = SINCE, until: date = UNTIL) -> list:
    return ical.read(Page(body, "https://springfield.example/calendar.ics", since=since, until=until))


def read_in_worker(name: str) -> list:
    """Read a hostile feed in a worker that is killed after 60 s: a hang fails the test instead of hanging it."""
    async def scenario():
        async with PageReaders(processes=1, timeout=60) as readers:
            return await readers.run(read_bytes, (HOSTILE / name).read_bytes())

    return asyncio.run(scenario())


def feed(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//eventscout tests//EN\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


def series(uid: str, start: str, rule: str, summary: str = "Series", extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART{start}\r\n"
            f"RRULE:{rule}\r\nSUMMARY:{summary}\r\n{extra}END:VEVENT\r\n")


def test_a_zone_that_changes_every_second_since_1601_is_screened_and_its_event_kept():
    events = read_in_worker("zone_every_second.ics")
    assert [e.title for e in events] == ["Clockmakers Evening"]
    # the zone's rules are gone; its single stated offset is what is left
    assert events[0].start.replace(tzinfo=None) == datetime(2024, 6, 10, 18)


def test_a_zone_keeps_its_yearly_rules():
    zone = ("BEGIN:VTIMEZONE\r\nTZID:Springfield Local\r\nBEGIN:STANDARD\r\nDTSTART:16011104T020000\r\n"
            "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\n"
            "BEGIN:DAYLIGHT\r\nDTSTART:16010311T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n"
            "TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
    screened = ical._screened_zone(zone)
    assert screened == zone
    for hostile in ("FREQ=SECONDLY", "FREQ=DAILY", "FREQ=YEARLY;BYHOUR=0,1,2,3,4,5"):
        screened = ical._screened_zone(zone.replace("FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", hostile))
        assert hostile not in screened and screened.count("RRULE:") == 1, hostile


def test_an_event_repeating_hourly_since_year_one_is_read_from_the_window_on():
    events = read_in_worker("hourly_since_year_one.ics")
    hourly = sorted(e.start for e in events if e.title.startswith("Hourly"))
    dinners = [e for e in events if e.title == "Monthly Engineers Dinner"]
    assert len(dinners) == 12
    assert hourly[0] == datetime(2024, 1, 1, 0, tzinfo=timezone.utc)
    assert hourly[-1] == datetime(2024, 12, 31, 23, tzinfo=timezone.utc)
    assert len(hourly) == 366 * 24
    assert all(e.end - e.start == (datetime(1, 1, 1, 9, 30) - datetime(1, 1, 1, 9)) for e in events
               if e.title.startswith("Hourly"))
    assert len({e.key for e in events}) == len(events)


RULES = [
    (":19900101T090000Z", "FREQ=HOURLY;INTERVAL=7;BYHOUR=9,16"),
    (";TZID=America/New_York:19900102T180000", "FREQ=DAILY;INTERVAL=3"),
    (";TZID=America/New_York:19900102T180000", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"),
    (";VALUE=DATE:19900131", "FREQ=MONTHLY"),
    (";TZID=America/New_York:19900131T120000", "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=31"),
    (";TZID=America/New_York:19920229T120000", "FREQ=YEARLY"),
    (";TZID=America/New_York:19900110T120000", "FREQ=MONTHLY;BYDAY=2WE"),
    (":19900101T090000Z", "FREQ=DAILY;COUNT=15000"),
    (":19900101T090000Z", "FREQ=WEEKLY;COUNT=1800;BYDAY=MO,FR"),
]


@pytest.mark.parametrize(("start", "rule"), RULES)
def test_skipping_ahead_leaves_every_occurrence_in_the_window_as_it_was(start, rule, monkeypatch):
    body = feed(series("s@t", start, rule, extra="DURATION:PT1H\r\n"))
    skipped = [(e.start, e.end, e.key) for e in read_bytes(body, date(2023, 3, 1), date(2026, 3, 1))]
    monkeypatch.setattr(ical, "_skip_ahead", lambda calendar, start: None)
    walked = [(e.start, e.end, e.key) for e in read_bytes(body, date(2023, 3, 1), date(2026, 3, 1))]
    assert skipped == walked
    assert skipped or "COUNT" in rule


def test_a_series_moved_ahead_moves_by_whole_periods():
    rule = ical.icalendar.vRecur.from_ical("FREQ=HOURLY")
    moved, periods = ical._moved_start(datetime(1, 1, 1, 9, tzinfo=timezone.utc), rule, datetime(2024, 1, 1))
    assert moved.minute == 0 and datetime(2023, 12, 31, 21, tzinfo=timezone.utc) <= moved < datetime(2024, 1, 1,
                                                                                                      tzinfo=timezone.utc)
    assert periods == (moved - datetime(1, 1, 1, 9, tzinfo=timezone.utc)) // ical.timedelta(hours=1)


def test_when_the_budget_is_spent_the_soonest_events_of_every_series_are_kept(monkeypatch):
    monkeypatch.setattr(ical, "MAX_OCCURRENCES", 200)
    body = feed(series("hourly@t", ":20240101T000000Z", "FREQ=HOURLY", "Hourly"),
                series("monthly@t", ":20240105T180000Z", "FREQ=MONTHLY", "Monthly"),
                series("weekly@t", ":20240102T120000Z", "FREQ=WEEKLY", "Weekly"))
    events = read_bytes(body)
    assert len(events) == 200
    starts = sorted(e.start for e in events)
    latest = starts[-1]
    assert {e.title for e in events} == {"Hourly", "Monthly", "Weekly"}
    assert [e.start for e in events if e.title == "Monthly"] == [datetime(2024, 1, 5, 18, tzinfo=timezone.utc)]
    # the 200 soonest: 198 hours from Jan 1 00:00 (to Jan 9 05:00), the Jan 2 weekly and the Jan 5 monthly
    assert latest == datetime(2024, 1, 9, 5, tzinfo=timezone.utc)
    assert len([e for e in events if e.title == "Hourly"]) == 198


def test_series_that_cannot_move_share_a_budget_for_their_walk_to_the_window(monkeypatch):
    """A COUNT with BY parts must be walked from its start; past the budget such a series is not expanded."""
    monkeypatch.setattr(ical, "MAX_OCCURRENCES", 5_000)
    walked = [series(f"walk{i}@t", ":19000101T090000Z", "FREQ=DAILY;BYHOUR=9;COUNT=100000000", f"Walk {i}")
              for i in range(3)]
    body = feed(*walked, series("soon@t", ":20240102T120000Z", "FREQ=WEEKLY", "Weekly"))
    events = read_bytes(body)
    assert {e.title for e in events} == {"Weekly"}
    # a series whose walk fits the budget is expanded as stated
    near = feed(series("near@t", ":20230101T090000Z", "FREQ=DAILY;BYHOUR=9;COUNT=500", "Near"))
    assert len(read_bytes(near)) == 500 - 365


def test_what_the_reader_left_out_is_said_in_the_extraction_reason():
    from eventscout.scrapers import extract_page

    def reason(body: bytes) -> str | None:
        page = Page(body, "https://springfield.example/calendar.ics", since=SINCE, until=UNTIL)
        return extract_page(page, "ical").reason

    assert "refused in part: time zone rules repeating more often than yearly" in reason(
        (HOSTILE / "zone_every_second.ics").read_bytes())
    walked = feed(*(series(f"walk{i}@t", ":19000101T090000Z", "FREQ=DAILY;BYHOUR=9;COUNT=100000000", f"Walk {i}")
                    for i in range(2)), series("soon@t", ":20240102T120000Z", "FREQ=WEEKLY", "Weekly"))
    assert "series starting long before the window were not expanded" in reason(walked)
    assert "every second or minute" in reason(feed(series("tick@t", ":20240102T120000Z", "FREQ=SECONDLY", "Tick")))
    assert reason(feed(series("soon@t", ":20240102T120000Z", "FREQ=WEEKLY", "Weekly"))) is None


@pytest.mark.parametrize("broken", [
    series("b1@t", ":19920229\\", "FREQ=YEARLY"),  # a DTSTART icalendar cannot decode
    series("b2@t", ":19900101T090000", "FREQ=DAILY", extra="DTEND:19900101T100000Z\r\n"),  # naive start, UTC end
])
def test_a_broken_series_does_not_break_the_feed(broken):
    events = read_bytes(feed(broken, series("ok@t", ":20240102T120000Z", "FREQ=WEEKLY;COUNT=3", "Weekly")))
    assert [e.title for e in events if e.title == "Weekly"] == ["Weekly"] * 3
