"""The Event record checks its closed fields when it is built, and stores them as plain words."""

from __future__ import annotations

import json
from datetime import date

import pytest

from eventscout.scrapers import AttendanceMode, Event, Location, Status


def test_a_word_outside_the_vocabulary_fails_when_the_event_is_built():
    with pytest.raises(ValueError, match=r"Event.status is 'canceled'; use one of scheduled, cancelled, postponed"):
        Event("Board meeting", date(2027, 3, 1), status="canceled")
    with pytest.raises(ValueError, match=r"Event.online is 'virtual'; use one of in-person, online, hybrid"):
        Event("Board meeting", date(2027, 3, 1), online="virtual")


def test_stored_words_read_back_as_members_and_are_written_as_the_same_words():
    event = Event("Webinar", date(2027, 3, 1), online="online", status="postponed")
    assert event.online is AttendanceMode.ONLINE and event.status is Status.POSTPONED
    record = json.loads(json.dumps(event.to_record()))
    assert (record["online"], record["status"]) == ("online", "postponed")
    again = Event.from_record(record)
    assert again.online is AttendanceMode.ONLINE and again.status is Status.POSTPONED


@pytest.mark.parametrize("online, location, line", [
    ("in-person", Location(name="Ponce City Market", city="Atlanta", region="GA"), "Ponce City Market, Atlanta, GA"),
    ("in-person", None, ""),
    ("online", None, "Online"),
    ("online", Location(name="Zoom"), "Online (Zoom)"),
    ("hybrid", Location(name="Hall 1", city="Atlanta"), "Hall 1, Atlanta (and online)"),
    ("hybrid", None, "In person and online"),
    ("online", Location(name="Online via Zoom"), "Online via Zoom"),
    ("hybrid", Location(name="Hall 1 and online", city="Atlanta"), "Hall 1 and online, Atlanta"),
])
def test_the_place_line_says_where_and_whether_online(online, location, line):
    """The one line the feeds' LOCATION, the web page, the CLI and explain all print."""
    assert Event("Mixer", date(2027, 3, 1), location=location, online=online).place_line() == line
