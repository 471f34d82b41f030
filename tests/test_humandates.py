"""Dates and times as listing pages write them."""

from __future__ import annotations

from datetime import date, time

import pytest

from eventscout.scrapers.humandates import find_dates, find_times, infer_year, loose_datetime


@pytest.mark.parametrize("text, month, day, year", [
    ("January 25, 2024", 1, 25, 2024),
    ("Jan. 25", 1, 25, None),
    ("Thu 1/25/24", 1, 25, 2024),
    ("Thursday, January 25 at 6 p.m.", 1, 25, None),
    ("25 January 2024", 1, 25, 2024),
    ("the 3rd of March", 3, 3, None),
    ("2024-01-25", 1, 25, 2024),
    ("10-2-2018", 10, 2, 2018),
    ("Sept. 5", 9, 5, None),
    ("Feburary 20", 2, 20, None),
    ("Monday January 11", 1, 11, None),
    ("December 2 , 2025 - 5:00 PM", 12, 2, 2025),  # a space before the comma keeps the year
])
def test_a_date_written_any_common_way_is_read(text: str, month: int, day: int, year: int | None) -> None:
    [found] = find_dates(text)
    assert (found.month, found.day, found.year) == (month, day, year)


@pytest.mark.parametrize("text, month, day, year", [
    ("15/01/2025", 1, 15, 2025),
    ("04/02/2025", 2, 4, 2025),
    ("4.2.25", 2, 4, 2025),
    ("15-01-2025", 1, 15, 2025),
    ("2025-01-15", 1, 15, 2025),  # ISO reads the same either way
    ("15 January 2025", 1, 15, 2025),
])
def test_numeric_dates_read_day_first_where_the_page_writes_them_so(text: str, month: int, day: int,
                                                                    year: int | None) -> None:
    [found] = find_dates(text, day_first=True)
    assert (found.month, found.day, found.year) == (month, day, year)
    assert find_dates("15/01/2025") == []  # month first, there is no fifteenth month


def test_a_span_keeps_its_last_day() -> None:
    [same_month] = find_dates("January 25-27, 2024")
    assert (same_month.day, same_month.last_month, same_month.last_day, same_month.year) == (25, 1, 27, 2024)
    [across] = find_dates("Jan 30 - Feb 2, 2024")
    assert (across.month, across.day, across.last_month, across.last_day) == (1, 30, 2, 2)


@pytest.mark.parametrize("text, spans", [
    ("02/06/2027 - 02/07/2027", [(2, 6, 2, 7)]),
    ("Feb 6, 2027 – Feb 8, 2027", [(2, 6, 2, 8)]),
    ("Dec 30, 2026 to Jan 2, 2027", [(12, 30, 1, 2)]),
    ("Sat, March 20, 2027 - Sun, March 21, 2027", [(3, 20, 3, 21)]),
    # further apart, or one of a run of dates joined by dashes: several meetings, not one span
    ("Jan 12, 2027 - Feb 9, 2027", [(1, 12, None, None), (2, 9, None, None)]),
    ("1/5/2027 - 1/6/2027 - 1/7/2027", [(1, 5, None, None), (1, 6, None, None), (1, 7, None, None)]),
    ("Feb 6, 2027 and Feb 7, 2027", [(2, 6, None, None), (2, 7, None, None)]),
])
def test_two_full_dates_a_few_days_apart_joined_by_a_dash_are_one_span(text: str, spans: list) -> None:
    assert [(d.month, d.day, d.last_month, d.last_day) for d in find_dates(text)] == spans


@pytest.mark.parametrize("text", ["3.5 lbs", "February 30", "13/45/2020", "Room 1205", "6.30", "1952"])
def test_numbers_that_are_not_dates_are_not_read_as_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize("text, start, end", [
    ("6 p.m.", time(18), None),
    ("6:00 - 8:00 PM", time(18), time(20)),
    ("Tuesday, January 12 - 7:00 p.m.", time(19), None),  # the 12 is the day, not the hour a range starts
    ("Feb. 9 – 6:30 PM", time(18, 30), None),
    ("12 - 1:30 pm", time(12), time(13, 30)),  # a range from twelve before a p.m. end starts at noon
    ("6-8 p.m.", time(18), time(20)),
    ("11-1 pm", time(11), time(13)),
    ("10:00 am to noon", time(10), time(12)),
    ("Noon", time(12), None),
    ("7:30 a.m.", time(7, 30), None),
    ("14:00", time(14), None),
    ("5:30 PM - 7:30 PM", time(17, 30), time(19, 30)),
    ("18:00-20:00", time(18), time(20)),  # the 24-hour clock's ranges, whatever dash joins them
    ("18:30 – 20:00", time(18, 30), time(20)),
    ("9:00 to 24:00", time(9), time(0)),
    ("noon to 1:30", time(12), time(13, 30)),  # after noon, an end with no meridiem is in the afternoon
    ("1/13/2025 7:00:00 PM", time(19), None), ("19:00:00", time(19), None),  # with seconds
    ("12:00:00 - 13:30:00", time(12), time(13, 30)),
])
def test_times_and_time_ranges(text: str, start: time, end: time | None) -> None:
    [found] = find_times(text)
    assert (found.at, found.until) == (start, end)


def test_a_bare_number_is_not_a_time() -> None:
    assert find_times("Suite 500, 3 rooms") == []


def test_year_inference_rolls_past_december_and_follows_headings() -> None:
    today = date(2024, 6, 1)
    assert infer_year(1, 14, 2024, date(2024, 12, 10), today) == 2025
    assert infer_year(2, 20, 2024, date(2024, 10, 16), today) == 2024  # a table read row by row
    assert infer_year(3, 5, 2019, None, today) == 2019
    assert infer_year(5, 1, None, None, today) == 2024
    assert infer_year(1, 10, None, None, date(2024, 11, 20)) == 2025  # soon after New Year, not last January


def test_loose_datetime_reads_a_short_string_the_expressions_missed() -> None:
    assert loose_datetime("2024.01.25") is not None
    assert loose_datetime("no digits here") is None
    assert loose_datetime("x" * 100 + "1") is None


def test_noon_can_open_a_range() -> None:
    [found] = find_times("Noon – 1:30 PM")
    assert (found.at, found.until) == (time(12), time(13, 30))


@pytest.mark.parametrize("text, start", [("3:pm", time(15)), ("3:oo pm", time(15)), ("9:00am", time(9))])
def test_common_typing_slips_in_times_are_forgiven(text: str, start: time) -> None:
    [found] = find_times(text)
    assert found.at == start


@pytest.mark.parametrize("text", [
    "THURSDAY, JANUARY 25, 2024 6:00 PM – 8:00 PM",  # an en dash: not ASCII, read case-insensitively
    "THURSDAY, JANUARY 25, 2024 6:00 PM - 8:00 PM",  # ASCII: read lower-cased, case-sensitively
    "Board\u00a0meeting 1/25/2024 at NOON",
    "Board meeting 1/25/2024 at NOON",
])
def test_a_text_reads_the_same_whatever_path_its_characters_take(text: str) -> None:
    """ASCII text is matched lower-cased and other text case-insensitively: both give the same
    places, days and times, and upper-case words (NOON, JANUARY, PM) still count."""
    dates, times = find_dates(text), find_times(text)
    assert [(d.month, d.day, d.year) for d in dates] == [(1, 25, 2024)]
    assert text[dates[0].start:dates[0].end].lower() in ("january 25, 2024", "1/25/2024")
    assert times and times[0].at in (time(18), time(12))
    assert all(text[t.start:t.end].strip() for t in times)


def test_a_number_with_no_separator_is_no_date_and_a_month_name_still_is() -> None:
    assert find_dates("8:30 AM, room 12") == []
    assert [(d.month, d.day) for d in find_dates("Meets Dec 4 in room 12")] == [(12, 4)]


def test_two_days_of_a_month_joined_by_and_are_two_dates_sharing_the_year_written_after_them() -> None:
    assert [(d.month, d.day, d.year) for d in find_dates("March 5 & 19, 2025 - Special Meeting")] == [
        (3, 5, 2025), (3, 19, 2025)]
    assert [(d.month, d.day, d.year) for d in find_dates("May 27 and 28 Budget Workshop")] == [(5, 27, None), (5, 28, None)]
    assert [(d.month, d.day) for d in find_dates("June 9 & 3 items")] == [(6, 9)]  # no later day: no second date


@pytest.mark.parametrize("text", ["The Loft, 12 Market St", "3 Decatur St", "1 Junction Rd", "4 Augusta Ave",
                                  "2 Marchant Way", "12 Maybe"])
def test_a_number_before_a_word_that_starts_like_a_month_is_no_date(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize("text", ["12 Mar", "12 March 2027", "5 Jan. 2027", "5 JAN 2027", "the 3rd of December"])
def test_a_day_before_its_month_is_still_a_date(text: str) -> None:
    assert len(find_dates(text)) == 1


@pytest.mark.parametrize("text", ["2027/01/12", "Jan-12-2027", "12-Jan-2027", "12-JAN-2027 10:00 AM", "12-January-2027"])
def test_dates_written_with_slashes_or_dashes_around_a_month_name_are_read(text: str) -> None:
    assert [(d.year, d.month, d.day) for d in find_dates(text)] == [(2027, 1, 12)]


@pytest.mark.parametrize("text", ["Room 12-Jan", "Jan-12", "Suite 2027/13/40"])
def test_a_dashed_month_and_number_without_a_year_is_no_date(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize("text, days, year", [
    ("Jan. 12, 19 and 26", [12, 19, 26], None),
    ("January 12, 19, 26, 2027", [12, 19, 26], 2027),
    ("January 8 & 22 2027", [8, 22], 2027),
    ("March 3 and 17; April 7", [3, 17], None),
    ("August 3, 10, 2027", [3, 10], 2027),  # one more day, the year after it
    # an hour, a floor or a lone second number after a comma is no day of the list
    ("January 5, 7 pm", [5], None), ("January 5, 7", [5], None), ("Jan 12, 3rd floor", [12], None),
])
def test_days_of_one_month_listed_after_it_are_each_a_date(text: str, days: list[int], year: int | None) -> None:
    found = [d for d in find_dates(text) if d.month == find_dates(text)[0].month]
    assert [(d.day, d.year) for d in found] == [(day, year) for day in days]


@pytest.mark.parametrize("text, at, until", [
    ("Doors 6:30", time(18, 30), None), ("at 1:15", time(13, 15), None),  # no one meets before dawn
    ("06:30", time(6, 30), None), ("7:30", time(7, 30), None), ("18:00", time(18), None),
    ("8:30 AM - 12:00 noon", time(8, 30), time(12)), ("12:00 noon - 1:30 pm", time(12), time(13, 30)),
    ("9 - 12 noon", time(9), time(12)),
    # a range on the 12-hour clock with no meridiem: past noon when it says so, an evening's when early
    ("11:30 - 1:00", time(11, 30), time(13)), ("6:00 - 8:00", time(18), time(20)), ("7:30 - 9:00", time(7, 30), time(9)),
    ("6:00 - 12:00", time(6), time(12)), ("09:00 - 17:00", time(9), time(17)), ("18:00 - 20:00", time(18), time(20)),
])
def test_clock_times_without_a_meridiem_and_noon_written_after_twelve(text: str, at: time, until: time | None) -> None:
    (found,) = find_times(text)
    assert (found.at, found.until) == (at, until)


@pytest.mark.parametrize("text, first, last", [
    ("Mon, April 12 – Wed, April 14, 2027", (2027, 4, 12), (4, 14)),  # the year written once, after the span
    ("April 12 - April 14", (None, 4, 12), (4, 14)),
])
def test_a_span_whose_year_is_written_once_after_it(text: str, first: tuple, last: tuple) -> None:
    (found,) = find_dates(text)
    assert ((found.year, found.month, found.day), (found.last_month, found.last_day)) == (first, last)
