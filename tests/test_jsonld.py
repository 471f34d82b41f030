import json
from datetime import date, datetime, timedelta, timezone

from eventscout.scrapers import CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED, Page, extract
from eventscout.scrapers.jsonld import read
from tests.pages import by_title, page

URL = "https://assoc.example/events/"


def events():
    return by_title(read(page("jsonld_mixed.html", URL)))


def test_graph_event_subtype_with_postal_address_offers_and_organizer():
    e = events()["Leaders & Lenders Breakfast"]
    assert e.start == datetime(2024, 5, 28, 7, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert e.url == "https://assoc.example/events/breakfast/"
    assert e.key == "https://assoc.example/events/#breakfast"
    loc = e.location
    assert (loc.name, loc.street, loc.city, loc.region, loc.postal_code, loc.country) == (
        "Buckhead Club", "3344 Peachtree Rd", "Atlanta", "GA", "30326", "US")
    assert e.links == ["https://tickets.example/breakfast"]
    assert e.organizer == "Atlanta CFO Forum" and e.source_format == "jsonld"


def test_block_with_bad_escapes_and_raw_newlines_is_repaired_and_odd_offsets_read():
    e = events()["Broken \\d escape block"]
    assert e.start == datetime(2024, 5, 28, 16, 30, tzinfo=timezone.utc)
    assert "line two" in e.description


def test_one_broken_block_does_not_spoil_the_others():
    assert "Never closed" not in events()
    assert len(events()) >= 8


def test_status_and_attendance_mode():
    ev = events()
    assert ev["Cancelled Workshop"].status == CANCELLED and ev["Cancelled Workshop"].online == IN_PERSON
    assert ev["Summer Mixer"].status == POSTPONED and ev["Summer Mixer"].online == HYBRID
    assert ev["Summer Mixer"].location.city == "Decatur"
    assert ev["Moved Online Meetup"].status == SCHEDULED and ev["Moved Online Meetup"].online == ONLINE
    assert ev["Webinar"].online == ONLINE and "https://webinar.example/1" in ev["Webinar"].links
    assert ev["Conference Day 1 Keynote"].online == HYBRID


def test_text_location_date_only_and_space_separated_time():
    ev = events()
    assert ev["Cancelled Workshop"].start == date(2024, 6, 3)
    assert ev["Cancelled Workshop"].location.city == "Atlanta"
    assert ev["Summer Mixer"].start == datetime(2024, 6, 10, 18, 0)


def test_series_and_sub_events_are_both_read():
    ev = events()
    assert ev["Annual Conference"].end == date(2024, 9, 12)
    assert ev["Conference Day 1 Keynote"].start.hour == 9


def test_keys_stay_distinct_for_occurrences_and_ignore_the_page_url():
    meetings = [e for e in read(page("jsonld_mixed.html", URL)) if e.title == "Board Meeting"]
    assert len({e.key for e in meetings}) == 2
    assert all(e.key.startswith("https://assoc.example/board/#2024-") for e in meetings)
    self_page = events()["Self Page Event"]
    assert self_page.url == URL and self_page.key is None


def test_events_without_start_are_skipped():
    assert "No start date here" not in events()


def test_pages_without_json_ld_are_a_cheap_empty_result():
    assert extract(b"<html><body><p>Nothing here</p></body></html>", URL, format="jsonld") == []


def test_html_escaped_json_ld_is_read():
    body = (b'<script type="application/ld+json">{&quot;@type&quot;:&quot;Event&quot;,&quot;name&quot;:'
            b'&quot;Escaped&quot;,&quot;startDate&quot;:&quot;2024-01-02&quot;}</script>')
    assert [e.title for e in extract(body, URL, format="jsonld")] == ["Escaped"]


def test_malformed_times_are_read_and_page_controls_are_not_titles():
    page = b"""<html><head><meta property="og:site_name" content="Metro HR"></head><body>
<script type="application/ld+json">[
 {"@type": "Event", "name": "Read more", "url": "https://hr.example.org/events/benefits-forum",
  "startDate": "2026-03-05T18:00:00:00-05:00", "endDate": "2026-03-05T20:00:00:00-05:00"},
 {"@type": "Event", "name": "Payroll Clinic", "startDate": "2026-03-12 6:00 PM - 8:00 PM"},
 {"@type": "Event", "name": "Metro HR", "headline": "Spring Gala", "startDate": "2026-03-19T19:00",
  "endDate": "2026-03-19T24:00"}]</script></body></html>"""
    events = {e.title: e for e in extract(page, "https://hr.example.org/events/", "text/html", format="jsonld")}
    assert set(events) == {"Benefits Forum", "Payroll Clinic", "Spring Gala"}
    assert events["Benefits Forum"].start.isoformat() == "2026-03-05T18:00:00-05:00"
    assert events["Benefits Forum"].end.hour == 20
    assert (events["Payroll Clinic"].start.hour, events["Payroll Clinic"].end.hour) == (18, 20)
    assert events["Spring Gala"].end.isoformat() == "2026-03-20T00:00:00"


def test_events_named_after_the_site_take_the_title_their_page_links_show():
    page = b"""<html><head><meta property="og:site_name" content="Decatur Makers"></head><body>
<article><h1><a href="/events/2026/3/5/laser-cutting-101">Laser Cutting 101</a></h1></article>
<article><h1><a href="/events/2026/3/12/open-shop-night">Open Shop Night</a></h1></article>
<script type="application/ld+json">{"@type": "Event", "name": "Decatur Makers", "startDate": "2026-03-05T18:00",
 "url": "https://makers.example/events/2026/3/5/laser-cutting-101"}</script>
<script type="application/ld+json">{"@type": "Event", "name": "Decatur Makers", "startDate": "2026-03-12T18:00",
 "url": "https://makers.example/events/2026/3/12/open-shop-night"}</script>
<script type="application/ld+json">{"@type": "Event", "name": "CANCELLED: Soldering Social",
 "startDate": "2026-03-19T18:00"}</script></body></html>"""
    events = extract(page, "https://makers.example/events", "text/html", format="jsonld")
    assert [e.title for e in events] == ["Laser Cutting 101", "Open Shop Night", "CANCELLED: Soldering Social"]
    assert [e.status for e in events] == [SCHEDULED, SCHEDULED, CANCELLED]


def test_a_duration_gives_the_end_and_a_door_time_the_time_of_a_bare_day():
    blocks = [{"@context": "https://schema.org", "@type": "Event", "name": "Panel", "startDate": "2027-03-05T18:00:00-05:00",
               "duration": "PT2H30M"},
              {"@context": "https://schema.org", "@type": "Event", "name": "Gala", "startDate": "2027-03-06", "doorTime": "7:00 PM"},
              {"@context": "https://schema.org", "@type": "Event", "name": "Stated end wins", "startDate": "2027-03-07T09:00",
               "endDate": "2027-03-07T10:00", "duration": "PT5H", "doorTime": "08:30"},
              {"@context": "https://schema.org", "@type": "Event", "name": "Nonsense", "startDate": "2027-03-08T09:00",
               "duration": "two hours", "doorTime": "soon"}]
    body = "".join(f'<script type="application/ld+json">{json.dumps(b)}</script>' for b in blocks)
    found = {e.title: (e.start, e.end) for e in read(Page(f"<html><head>{body}</head></html>".encode(), URL))}
    eastern = timezone(timedelta(hours=-5))
    assert found == {"Panel": (datetime(2027, 3, 5, 18, tzinfo=eastern), datetime(2027, 3, 5, 20, 30, tzinfo=eastern)),
                     "Gala": (datetime(2027, 3, 6, 19), None),
                     "Stated end wins": (datetime(2027, 3, 7, 9), datetime(2027, 3, 7, 10)),
                     "Nonsense": (datetime(2027, 3, 8, 9), None)}


def _scheduled_page(schedule: dict) -> bytes:
    node = {"@context": "https://schema.org", "@type": "Event", "name": "Tuesday Networking Breakfast",
            "url": "https://club.example/breakfast", "eventSchedule": schedule,
            "location": {"@type": "Place", "name": "Cafe Uno", "address": {"addressLocality": "Atlanta"}}}
    return f'<html><head><script type="application/ld+json">{json.dumps(node)}</script></head><body></body></html>'.encode()


def test_an_event_dated_by_its_schedule_is_one_event_a_date():
    from zoneinfo import ZoneInfo
    eastern = ZoneInfo("America/New_York")
    weekly = read(Page(_scheduled_page({
        "@type": "Schedule", "startDate": "2027-01-05", "endDate": "2027-01-26", "repeatFrequency": "P1W",
        "byDay": "https://schema.org/Tuesday", "startTime": "07:30:00", "endTime": "09:00:00",
        "scheduleTimezone": "America/New_York"}), URL, fetched=date(2026, 12, 1)))
    assert [(e.start, e.end) for e in weekly] == [
        (datetime(2027, 1, day, 7, 30, tzinfo=eastern), datetime(2027, 1, day, 9, tzinfo=eastern))
        for day in (5, 12, 19, 26)]
    assert len({e.key for e in weekly}) == 4 and {e.location.city for e in weekly} == {"Atlanta"}
    # a monthly schedule with no end is followed for a year from a month before the reading day
    monthly = read(Page(_scheduled_page({"startDate": "2019-03-01", "repeatFrequency": "P1M", "byMonthDay": 15,
                                         "startTime": "18:00", "duration": "PT2H"}), URL, fetched=date(2026, 12, 1)))
    assert monthly[0].start == datetime(2026, 11, 15, 18) and monthly[-1].start == datetime(2027, 11, 15, 18)
    assert monthly[0].end == datetime(2026, 11, 15, 20) and len(monthly) == 13


def test_a_schedule_every_other_week_begun_long_ago_is_read_in_step_and_fast():
    import time as clock
    started = clock.process_time()
    events = read(Page(_scheduled_page({"startDate": "1900-01-02", "repeatFrequency": "P2W", "byDay": "Tuesday",
                                        "startTime": "09:00"}), URL, fetched=date(2026, 12, 1)))
    assert clock.process_time() - started < 1  # not walked from 1900 (a day at a time that took seconds)
    assert events[0].start == datetime(2026, 11, 3, 9) and {e.start.weekday() for e in events} == {1}  # in step with 1900-01-02
    assert {(b.start - a.start).days for a, b in zip(events, events[1:])} == {14}
    assert read(Page(_scheduled_page({"startDate": "0001-01-01", "repeatFrequency": "P1M"}), URL)) == []


def test_hand_written_dates_and_an_online_place_written_as_a_word():
    page = b"""<html><head><script type="application/ld+json">[
 {"@type": "Event", "name": "Chapter Luncheon", "startDate": "January 14, 2027 11:30 am",
  "endDate": "January 14, 2027 1:00 pm", "location": {"@type": "Place", "name": "The Georgian Club",
  "address": "100 Galleria Pkwy, Atlanta, GA 30339"}},
 {"@type": "Event", "name": "HR Tech Roundtable", "startDate": "2027-01-20 12:00:00 EST", "location": "Online"},
 {"@type": "Event", "name": "Board Retreat", "startDate": "02/05/2027 09:00 AM", "eventStatus": "EventCancelled"}
]</script></head><body></body></html>"""
    lunch, roundtable, retreat = extract(page, "https://shrm.example/events", "text/html", format="jsonld")
    assert (lunch.start, lunch.end) == (datetime(2027, 1, 14, 11, 30), datetime(2027, 1, 14, 13))
    assert lunch.location.city == "Atlanta" and lunch.online == "in-person"
    assert roundtable.start.utcoffset().total_seconds() == -5 * 3600
    assert roundtable.online == "online" and roundtable.location is None
    assert retreat.start == datetime(2027, 2, 5, 9) and retreat.status == CANCELLED
