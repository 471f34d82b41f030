"""The RSS/Atom reader: the event module, dates in text, news skipped, XML attacks refused."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from eventscout.scrapers import IN_PERSON, Page, extract, rss

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(name: str):
    return {e.title: e for e in rss.read(Page((FEEDS / name).read_bytes(), "https://sse.example/events/rss"))}


def test_event_module_fields_are_read_first():
    dinner = read("ev_module.rss")["Spring Technical Dinner"]
    cdt = timezone(timedelta(hours=-5))
    assert dinner.start == datetime(2024, 5, 14, 18, tzinfo=cdt)
    assert dinner.end == datetime(2024, 5, 14, 21, tzinfo=cdt)
    assert dinner.location.name == "Café Marquette"  # ISO-8859-1 bytes, as the XML declares
    assert dinner.location.city == "Springfield" and dinner.location.region == "IL"
    assert dinner.organizer == "SSE Programs Committee" and dinner.categories == ["Dinner"]
    assert dinner.key == "event-5512" and dinner.url == "https://sse.example/event-5512"
    assert dinner.description == "Dinner and a talk on bridges."
    assert dinner.online == IN_PERSON


def test_date_in_title_and_hours_in_description():
    board = read("ev_module.rss")["Board Meeting - June 4, 2024"]
    assert board.start == datetime(2024, 6, 4, 19) and board.end == datetime(2024, 6, 4, 20, 30)
    assert board.url == "https://sse.example/event-5513"


def test_items_without_an_event_date_are_news_not_events():
    assert "President's Letter: a busy spring" not in read("ev_module.rss")
    assert len(read("ev_module.rss")) == 2


def test_atom_entries_with_a_date_in_the_summary():
    events = read("events.atom")
    assert list(events) == ["Annual Golf Outing"]
    golf = events["Annual Golf Outing"]
    assert golf.start == datetime(2024, 8, 16, 8) and golf.end is None
    assert golf.url == "https://chapter.example/events/golf-2024" and golf.key == "urn:uuid:golf-2024"


def test_billion_laughs_and_external_entities_are_refused_quickly():
    for name in ("billion_laughs.xml", "external_entity.xml"):
        body = (FEEDS / name).read_bytes()
        began = time.perf_counter()
        assert rss.read(Page(body, "https://evil.example/rss")) == []
        assert extract(body, "https://evil.example/rss") == []
        assert time.perf_counter() - began < 1


def test_only_full_dates_count():
    assert rss._date_in_text("Meeting on 3/4") is None
    assert rss._date_in_text("12 March 2025, 9:15 am") == (datetime(2025, 3, 12, 9, 15), None)
    assert rss._date_in_text("2025-02-30") is None
    assert rss._date_in_text("Sept. 9th, 2025 from 5 pm to 7 pm") == (
        datetime(2025, 9, 9, 17), datetime(2025, 9, 9, 19))
    assert rss._date_in_text("On 10/02/2025") == (date(2025, 10, 2), None)


def test_html_is_left_alone():
    assert rss.read(Page(b"<html><body><item>x</item></body></html>", "https://x.example/")) == []


def test_trumbas_xcal_times_and_civicplus_event_dates_and_address_lines():
    # written after the two platforms' RSS: Trumba's xCal elements, CivicPlus's calendarEvent ones
    trumba = b"""<?xml version="1.0" encoding="utf-8"?>
<rss xmlns:x-trumba="http://schemas.trumba.com/rss/x-trumba" xmlns:xCal="urn:ietf:params:xml:ns:xcal" version="2.0">
<channel><title>Events</title><item><title>Career Networking Night</title>
<link>https://www.example.edu/events?eventid=1661</link>
<description>Student Center Ballroom&lt;br/&gt;Thursday, January 14, 2027, 6&amp;nbsp;&amp;ndash;&amp;nbsp;8pm</description>
<guid isPermaLink="false">http://uid.trumba.com/event/1661</guid><xCal:location>Student Center Ballroom</xCal:location>
<xCal:dtstart>2027-01-14T23:00:00Z</xCal:dtstart><xCal:dtend>2027-01-15T01:00:00Z</xCal:dtend></item></channel></rss>"""
    (night,) = rss.read(Page(trumba, "https://www.trumba.com/calendars/example.rss"))
    assert (night.start, night.end) == (datetime(2027, 1, 14, 23, tzinfo=timezone.utc),
                                        datetime(2027, 1, 15, 1, tzinfo=timezone.utc))
    assert night.location.name == "Student Center Ballroom"
    civicplus = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:calendarEvent="https://www.civicplus.com/Calendar"><channel><title>Calendar</title>
<item><title>Parks Board Meeting</title><link>https://www.example.gov/Calendar.aspx?EID=1201</link>
<description>Posted for the public.</description><pubDate>Mon, 30 Nov 2026 14:00:00 GMT</pubDate>
<calendarEvent:EventDates>January 13, 2027</calendarEvent:EventDates>
<calendarEvent:EventTimes>06:00 PM - 07:30 PM</calendarEvent:EventTimes>
<calendarEvent:Location>City Hall&lt;br&gt;100 Main St&lt;br&gt;Springfield, IL 62701</calendarEvent:Location></item>
</channel></rss>"""
    (parks,) = rss.read(Page(civicplus, "https://www.example.gov/RSSFeed.aspx?ModID=58"))
    assert (parks.start, parks.end) == (datetime(2027, 1, 13, 18), datetime(2027, 1, 13, 19, 30))
    loc = parks.location
    assert (loc.name, loc.street, loc.city, loc.region, loc.postal_code) == (
        "City Hall", "100 Main St", "Springfield", "IL", "62701")
