"""Any bytes into the feed and API readers: they must never raise and never hang."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from eventscout.scrapers import Page, eventbrite, extract, ical, localist, meetup, rss
from tests.support import assert_well_formed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SEEDS = [p.read_bytes() for p in sorted(FEEDS.glob("*")) if p.is_file()]
READERS = (ical.read, eventbrite.read, meetup.read, localist.read, rss.read)


def _mutate(seed: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(seed)
    for pos, length, junk in cuts:
        pos %= max(len(data), 1)
        data[pos:pos + length] = junk
    return bytes(data)


_JUNK = st.one_of(st.binary(max_size=20),
                  st.sampled_from([b"\r\n ", b"BEGIN:VEVENT\r\n", b"END:VCALENDAR", b"TZID=", b";TZID=\xff:",
                                   b"RRULE:FREQ=DAILY;COUNT=99999\r\n", b"{", b"]", b'"dateTime":', b"<item>",
                                   b"<!ENTITY", b"\x00", b"\xc3", b"99991231T250000",
                                   b"https://[", b'"url": "http://[::1', b"URL:https://["]))
mutated = st.builds(_mutate, st.sampled_from(SEEDS),
                    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 40), _JUNK), max_size=6))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated, st.binary(max_size=2000)))
def test_mutated_feeds_never_raise(body):
    page = Page(body, "https://assoc.example/feed", since=date(2024, 1, 1), until=date(2024, 12, 31))
    for reader in READERS:
        assert isinstance(reader(page), list)
    assert_well_formed(extract(body, "https://assoc.example/feed"))


def test_huge_and_deep_inputs_stay_bounded():
    deep_json = b'{"data":' * 3000 + b'{"dateTime": "2024-01-01T10:00"}' + b"}" * 3000
    many_events = (b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:s\r\nDTSTART:20240101T100000\r\n"
                   b"RRULE:FREQ=HOURLY\r\nEND:VEVENT\r\n" * 20 + b"END:VCALENDAR\r\n")
    for body in (deep_json, many_events, b"BEGIN:VCALENDAR\r\n" + b" x" * 500_000):
        page = Page(body, "https://assoc.example/feed", since=date(2024, 1, 1), until=date(2024, 12, 31))
        for reader in READERS:
            assert isinstance(reader(page), list)
    hourly = ical.read(Page(many_events, "https://assoc.example/feed", since=date(2024, 1, 1),
                            until=date(2024, 12, 31)))
    assert 0 < len(hourly) < 200_000, "an hourly rule over a year stays bounded"


def test_broken_urls_are_dropped_not_raised():
    body = (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\nSUMMARY:Broken link\r\nDTSTART:20240105T100000\r\n"
            b"URL:https://[oops\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    page = Page(body, "https://assoc.example/feed", since=date(2024, 1, 1), until=date(2024, 12, 31))
    [event] = ical.read(page)
    assert event.url is None
