from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from eventscout.scrapers.dates import clock_time, iso_duration, parse_datetime


@pytest.mark.parametrize("text, expected", [
    ("2024-05-28T16:30:00-04:00", datetime(2024, 5, 28, 16, 30, tzinfo=timezone(timedelta(hours=-4)))),
    ("2024-5-28T16:30+0:00", datetime(2024, 5, 28, 16, 30, tzinfo=timezone.utc)),
    ("2015-10-26T19:00:00+0000", datetime(2015, 10, 26, 19, 0, tzinfo=timezone.utc)),
    ("2024-05-28T16:30:00.000Z", datetime(2024, 5, 28, 16, 30, tzinfo=timezone.utc)),
    ("2024-05-28 16:30", datetime(2024, 5, 28, 16, 30)),
    ("20081113T190000", datetime(2008, 11, 13, 19, 0)),
    ("2024-02-01", date(2024, 2, 1)),
    ("2024-06-03T05:30+05:30", datetime(2024, 6, 3, 5, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))),
])
def test_iso_variants_keep_wall_clock_and_offset(text, expected):
    value = parse_datetime(text)
    assert value == expected and type(value) is type(expected)
    if isinstance(expected, datetime):
        assert value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", ["", "soon", "2024-13-01", "2024-02-30T10:00", "2024-01-01T10:00+99:00", None, 5])
def test_nonsense_is_none(text):
    assert parse_datetime(text) is None


def test_default_zone_only_for_times_without_offset():
    ny = ZoneInfo("America/New_York")
    assert parse_datetime("2024-05-28 16:30:00", "America/New_York").tzinfo == ny
    assert parse_datetime("2024-05-28T16:30Z", "America/New_York").tzinfo == timezone.utc
    assert parse_datetime("2024-05-28", "America/New_York") == date(2024, 5, 28)


@pytest.mark.parametrize("text, expected", [
    ("18:30", time(18, 30)), ("18:30:15", time(18, 30, 15)), ("6:30 PM", time(18, 30)), ("6:30 p. m.", time(18, 30)),
    ("7pm", time(19)), ("12:00 am", time(0)), (" 9:05 ", time(9, 5)),
    ("7", None), ("13:00 pm", None), ("24:00", None), ("7:60", None), ("9.05", None), ("soon", None),
])
def test_a_time_of_day_written_alone(text, expected):
    """The one clock parser the readers share (records, hCalendar, Squarespace, schema.org doorTime)."""
    assert clock_time(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("PT2H30M", timedelta(hours=2, minutes=30)), ("P1DT2H", timedelta(days=1, hours=2)), ("pt45m", timedelta(minutes=45)),
    ("PT0M", None), ("P", None), ("P400D", None), ("2 hours", None), (90, None),
])
def test_an_iso_duration(text, expected):
    assert iso_duration(text) == expected
