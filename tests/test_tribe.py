from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from eventscout.scrapers import extract_page
from eventscout.scrapers.links import follow_links
from eventscout.scrapers.tribe import read
from tests.pages import by_title, page

REST = "https://assoc.example/wp-json/tribe/events/v1/events/"


def test_rest_payload_keeps_wall_clock_in_the_stated_zone():
    e = by_title(read(page("tribe_rest.json", REST)))["HR Leaders – Breakfast"]
    assert e.start == datetime(2024, 5, 14, 8, 0, tzinfo=ZoneInfo("America/New_York"))
    assert e.timezone == "America/New_York" and e.end.hour == 10
    loc = e.location
    assert (loc.name, loc.street, loc.city, loc.region, loc.postal_code) == (
        "Buckhead Club", "3344 Peachtree Rd", "Atlanta", "GA", "30326")
    assert (loc.lat, loc.lon) == (33.84, -84.37)
    assert e.organizer == "SHRM Atlanta" and e.categories == ["Human Resources"]
    assert e.links == ["https://register.example/hr"] and "Cost: $20" in e.description
    assert e.key == "assoc.example?id=101"


def test_rest_all_day_utc_fallback_and_offset_zone():
    ev = by_title(read(page("tribe_rest.json", REST)))
    assert ev["Annual Picnic"].start == date(2024, 6, 1) and ev["Annual Picnic"].location is None
    assert ev["UTC only"].start == datetime(2024, 6, 2, 15, 0, tzinfo=timezone.utc)
    assert ev["Offset zone"].start.utcoffset() == timedelta(hours=2)


def test_rest_next_page_is_a_follow_link():
    assert follow_links(page("tribe_rest.json", REST)) == [REST + "?page=2"]


def test_views_read_month_and_list_events_and_leave_json_ld_ones_to_json_ld():
    ev = by_title(read(page("tribe_views.html")))
    assert "Board Meeting" not in ev
    assert (ev["Summer Mixer"].start, ev["Summer Mixer"].end) == (
        datetime(2024, 6, 28, 17, 0), datetime(2024, 6, 28, 19, 0))
    panel = ev["Women in Finance Panel"]
    assert (panel.start, panel.end) == (datetime(2024, 7, 9, 18, 0), datetime(2024, 7, 9, 20, 0))
    assert panel.location.city == "Atlanta" and panel.url == "https://assoc.example/event/panel/"


def test_auto_keeps_one_event_each_when_views_and_json_ld_agree():
    x = extract_page(page("tribe_views.html"))
    assert sorted(e.title for e in x.events) == ["Board Meeting", "Summer Mixer", "Women in Finance Panel"]
    board = by_title(x.events)["Board Meeting"]
    assert board.start.utcoffset() == timedelta(hours=-4)
