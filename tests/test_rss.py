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
