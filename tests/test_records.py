"""The records reader: events in JSON and XML of shapes no reader was written for, found by key names
and value shapes. Every payload here is written for the test, after the shapes platforms document."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

from eventscout.scrapers import extract, extract_page, Page
from eventscout.scrapers.dates import parse_when


def read(payload: object, url: str = "https://example.org/api/events", kind: str = "application/json"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return extract(body, url, kind, format="records")


def test_a_graphql_answer_of_edges_and_nodes():
    events = read({"data": {"calendar": {"events": {"edges": [
        {"node": {"id": "1", "name": "Cloud Security Panel", "startsAt": "2026-04-01T18:00:00-04:00",
                  "endsAt": "2026-04-01T20:00:00-04:00", "isOnline": True, "url": "https://example.org/e/1"}},
        {"node": {"id": "2", "name": "SOC Analyst Social", "startsAt": "2026-04-08T18:00:00-04:00",
                  "venue": {"name": "Hall 5", "address": {"city": "Decatur", "state": "GA"}}}},
    ]}}}})
    assert [e.title for e in events] == ["Cloud Security Panel", "SOC Analyst Social"]
    assert events[0].online == "online" and events[0].end.hour == 20 and events[0].url == "https://example.org/e/1"
    assert (events[1].location.name, events[1].location.city, events[1].location.region) == ("Hall 5", "Decatur", "GA")


def test_a_microsoft_graph_calendar_answer_with_windows_zone_names():
    events = read({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('x')/events", "value": [
        {"id": "AAMk1", "subject": "Lunch & Learn: Resume Tips", "isCancelled": False,
         "webLink": "https://outlook.office365.com/owa/?itemid=AAMk1",
         "start": {"dateTime": "2027-02-11T12:00:00.0000000", "timeZone": "Eastern Standard Time"},
         "end": {"dateTime": "2027-02-11T13:00:00.0000000", "timeZone": "Eastern Standard Time"},
         "location": {"displayName": "Atlanta Tech Village", "address": {"city": "Atlanta", "state": "GA"}}},
        {"id": "AAMk2", "subject": "Webinar: Salary Negotiation", "isCancelled": True, "isOnlineMeeting": True,
         "start": {"dateTime": "2027-02-18T19:00:00.0000000", "timeZone": "UTC"},
         "location": {"displayName": "Microsoft Teams Meeting"}}]})
    lunch, webinar = events
    assert lunch.start.isoformat() == "2027-02-11T12:00:00-05:00" and lunch.end.hour == 13
    assert lunch.url == "https://outlook.office365.com/owa/?itemid=AAMk1"
    assert (lunch.location.name, lunch.location.city) == ("Atlanta Tech Village", "Atlanta")
    assert (webinar.status, webinar.online) == ("cancelled", "online")


def test_records_flagged_all_day_are_days_whichever_way_their_end_is_written():
    graph, wild_apricot, timed = read({"value": [
        {"subject": "Spring Conference", "isAllDay": True,  # Graph: the end is the next midnight
         "start": {"dateTime": "2027-03-20T00:00:00.0000000", "timeZone": "UTC"},
         "end": {"dateTime": "2027-03-22T00:00:00.0000000", "timeZone": "UTC"}},
        {"Name": "Leadership Retreat", "StartDate": "2027-04-09T00:00:00-04:00", "EndDate": "2027-04-10T00:00:00-04:00",
         "StartTimeSpecified": False, "EndTimeSpecified": False},  # Wild Apricot: the end is the last day
        {"Name": "Chapter Meeting", "StartDate": "2027-04-14T18:00:00-04:00", "StartTimeSpecified": True}]})
    assert (graph.start, graph.end, graph.all_day) == (date(2027, 3, 20), date(2027, 3, 21), True)
    assert (wild_apricot.start, wild_apricot.end) == (date(2027, 4, 9), date(2027, 4, 10))
    assert timed.start.isoformat() == "2027-04-14T18:00:00-04:00"


def test_epoch_seconds_and_milliseconds_are_read_on_the_zone_the_answer_names():
    events = read({"settings": {"timeZone": "America/Chicago"}, "items": [
        {"title": "Seconds", "start_time": 1775084400},
        {"title": "Milliseconds", "startDate": 1775084400000, "endDate": 1775088000000},
        {"title": "MS JSON date", "StartDate": "/Date(1775084400000)/"},
    ]})
    assert {e.title for e in events} == {"Seconds", "Milliseconds", "MS JSON date"}
    for event in events:
        assert event.start == datetime(2026, 4, 1, 23, 0, tzinfo=UTC)
        assert event.timezone == "America/Chicago" and event.start.isoformat().startswith("2026-04-01T18:00")


def test_separate_date_and_time_fields_and_a_zone_field():
    events = read({"events": [
        {"EventName": "Chamber Breakfast", "EventDate": "2026-05-02", "StartTime": "7:30 AM", "EndTime": "9:00 AM",
         "TimeZone": "America/New_York", "City": "Marietta", "State": "GA"},
        {"EventName": "Golf Classic", "EventDate": "2026-05-18"},
    ]})
    breakfast, golf = events
    assert breakfast.start.isoformat() == "2026-05-02T07:30:00-04:00"
    assert breakfast.end.isoformat() == "2026-05-02T09:00:00-04:00"
    assert breakfast.location.city == "Marietta"
    assert golf.all_day and golf.start == date(2026, 5, 18)


def test_dates_written_out_or_in_numbers_take_their_separate_time_and_stay_days_without_one():
    events = read({"events": [
        {"title": "Legislative Breakfast", "date": "04/22/2027", "time": "7:30 AM"},
        {"title": "Mixer", "date": "May 20, 2027", "startTime": "5:30 PM", "endTime": "7:00 PM"},
        {"title": "Golf Outing", "date": "May 28, 2027"},
        {"title": "Board Retreat", "date": "6/4/27"},
        {"title": "Late Session", "date": "20 May 2027 1830"},
    ]})
    assert [(e.title, e.start, e.end) for e in events] == [
        ("Legislative Breakfast", datetime(2027, 4, 22, 7, 30), None),
        ("Mixer", datetime(2027, 5, 20, 17, 30), datetime(2027, 5, 20, 19)),
        ("Golf Outing", date(2027, 5, 28), None),
        ("Board Retreat", date(2027, 6, 4), None),
        ("Late Session", datetime(2027, 5, 20, 18, 30), None)]  # a time the date parser read stays


def test_ticketing_dates_nested_in_a_holder():
    events = read({"_embedded": {"events": [
        {"name": "Marketing Summit", "url": "https://tickets.example.com/e/9",
         "dates": {"start": {"localDate": "2026-06-10", "localTime": "09:00:00"}, "timezone": "America/New_York",
                   "status": {"code": "cancelled"}}},
    ]}})
    assert events[0].start.isoformat() == "2026-06-10T09:00:00-04:00"


def test_status_from_fields_and_from_titles_alike():
    events = read({"events": [
        {"title": "Annual Gala", "start": "2026-05-01T19:00:00", "status": "CANCELED"},
        {"title": "POSTPONED - Spring Mixer", "start": "2026-05-02T19:00:00"},
        {"title": "Board Meeting", "start": "2026-05-03T19:00:00", "isCancelled": True},
        {"title": "Member Lunch", "start": "2026-05-04T12:00:00", "status": "confirmed"},
    ]})
    assert [e.status for e in events] == ["cancelled", "postponed", "cancelled", "scheduled"]


def test_an_xml_event_feed():
    xml = b"""<?xml version="1.0" encoding="utf-8"?>
<EventList><Event ID="7"><Title>Chamber Breakfast</Title><StartDate>2026-05-02T07:30:00</StartDate>
<EndDate>2026-05-02T09:00:00</EndDate><Location><Name>Country Club</Name><City>Decatur</City><State>GA</State></Location>
<Link>https://chamber.example.org/e/7</Link></Event>
<Event ID="8"><Title>Lunch &amp; Learn</Title><StartDate>2026-05-09T12:00:00</StartDate><TimeZone>America/Chicago</TimeZone>
<Status>Cancelled</Status></Event></EventList>"""
    breakfast, lunch = read(xml, "https://chamber.example.org/events.xml", "application/xml")
    assert (breakfast.title, breakfast.url, breakfast.location.city) == (
        "Chamber Breakfast", "https://chamber.example.org/e/7", "Decatur")
    assert breakfast.end.hour == 9
    assert lunch.title == "Lunch & Learn" and lunch.status == "cancelled"
    assert lunch.start.isoformat() == "2026-05-09T12:00:00-05:00"


def test_embedded_page_data_next_data_and_window_state():
    state = {"calendar": {"upcoming": [{"title": "Agile Coaching Circle", "startDate": "2026-03-05T18:00:00-05:00",
                                        "location": "Ponce City Market, 675 Ponce De Leon Ave NE, Atlanta, GA 30308"}]}}
    nxt = {"props": {"pageProps": {"events": [{"eventTitle": "Scrum Masters Night",
                                                "start_date": "2026-03-12T18:00:00-05:00"}]}}}
    html = (f"<html><head><title>Events</title></head><body><h1>Events</h1>"
            f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>"
            f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(nxt)}</script></body></html>')
    events = extract(html.encode(), "https://pmi.example.org/events", "text/html")
    by_title = {e.title: e for e in events}
    assert set(by_title) == {"Agile Coaching Circle", "Scrum Masters Night"}
    assert by_title["Agile Coaching Circle"].location.city == "Atlanta"
    assert all(e.source_format == "records" for e in events)


def test_posts_with_a_title_and_a_date_are_not_events():
    posts = [{"id": 1, "date": "2026-01-05T10:00:00", "title": {"rendered": "Our new board"}, "slug": "new-board"},
             {"id": 2, "date": "2026-01-12T10:00:00", "title": {"rendered": "Member spotlight"}, "slug": "spotlight"}]
    assert read(posts, "https://example.org/wp-json/wp/v2/posts") == []
    # ...while the same shape under an events path, with a place, is a list of events
    events = [dict(p, venue="Decatur, GA") for p in posts]
    assert len(read(events, "https://example.org/api/events")) == 2


def test_the_sites_name_on_every_record_gives_way_to_a_better_title():
    events = read({"items": [
        {"name": "Atlanta AMA", "eventName": "Content Marketing Lab", "start": "2026-03-05T18:00:00"},
        {"name": "Atlanta AMA", "eventName": "SEO Office Hours", "start": "2026-03-12T18:00:00"},
        {"name": "Atlanta AMA", "eventName": "Holiday Social", "start": "2026-03-19T18:00:00"},
    ]})
    assert [e.title for e in events] == ["Content Marketing Lab", "SEO Office Hours", "Holiday Social"]


def test_prices_and_controls_are_no_titles():
    events = read({"events": [
        {"title": "$25.00", "name": "Networking Night", "start": "2026-03-05T18:00:00"},
        {"title": "Read more", "url": "https://example.org/events/finance-forum", "start": "2026-03-06T18:00:00"},
    ]})
    assert [e.title for e in events] == ["Networking Night", "Finance Forum"]


def test_auto_keeps_one_reading_of_an_event_a_specific_reader_read_too():
    payload = {"events": [{"id": "801", "name": {"text": "Design Systems Night"}, "url": "https://eb.example/e/801",
                           "start": {"local": "2026-04-04T18:30:00", "timezone": "America/New_York"},
                           "end": {"local": "2026-04-04T21:00:00", "timezone": "America/New_York"}}]}
    extraction = extract_page(Page(json.dumps(payload).encode(), "https://eb.example/api", "application/json"))
    assert [e.title for e in extraction.events] == ["Design Systems Night"]
    assert extraction.format == "eventbrite"


def test_one_field_times_read_leniently():
    assert parse_when("2026-03-05T18:00:00:00-05:00")[0] == datetime(2026, 3, 5, 18, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_when("2026-03-05T18:00/2026-03-05T20:00") == (datetime(2026, 3, 5, 18), datetime(2026, 3, 5, 20))
    assert parse_when("2026-03-05 6:00 PM - 8:00 PM") == (datetime(2026, 3, 5, 18), datetime(2026, 3, 5, 20))
    assert parse_when("2026-03-05T18:00-20:00") == (datetime(2026, 3, 5, 18), datetime(2026, 3, 5, 20))
    assert parse_when("2026-03-05T18:00 - 24:00") == (datetime(2026, 3, 5, 18), datetime(2026, 3, 6, 0))
    assert parse_when("2026-03-05T18:00-05:00")[0].utcoffset() == timedelta(hours=-5)
    assert parse_when("next Thursday") == (None, None)
    # a date written out, as hand-made structured data has it; its year must be stated
    assert parse_when("January 14, 2027 6:00 pm") == (datetime(2027, 1, 14, 18), None)
    assert parse_when("01/16/2027 09:00 AM") == (datetime(2027, 1, 16, 9), None)
    assert parse_when("Thursday, January 14th, 2027, 6 - 8 pm") == (datetime(2027, 1, 14, 18), datetime(2027, 1, 14, 20))
    assert parse_when("Jan 14, 2027") == (date(2027, 1, 14), None)
    assert parse_when("January 14 6:00 pm") == (None, None)
    # a US zone's abbreviation after the time is its offset
    assert parse_when("2027-01-15 18:00:00 EST")[0] == datetime(2027, 1, 15, 18, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_when("2027-07-15T18:00 PDT")[0].utcoffset() == timedelta(hours=-7)


def test_performances_under_a_titled_show_take_its_title():
    xml = b"""<?xml version="1.0"?><venues><venue><name>Riverside Theatre</name><shows>
<show id="1"><name>Leadership Summit</name><url>https://tickets.example.org/shows/1</url><events>
<event id="11"><date_time_iso>2026-04-02T19:30:00-04:00</date_time_iso><event_status>cancelled</event_status></event>
<event id="12"><date_time_iso>2026-04-03T19:30:00-04:00</date_time_iso></event></events></show></shows></venue></venues>"""
    events = read(xml, "https://tickets.example.org/feed.xml", "text/xml")
    assert [(e.title, e.start.isoformat(), e.status) for e in events] == [
        ("Leadership Summit", "2026-04-02T19:30:00-04:00", "cancelled"),
        ("Leadership Summit", "2026-04-03T19:30:00-04:00", "scheduled")]
    # a titled page's search parameters are no event: only items of a list inherit a title
    assert read({"title": "Buckhead Guild", "query": {"startDate": "2026-03-01", "endDate": "2026-04-01"}}) == []


def test_a_shows_one_performance_under_its_opening_time_is_still_a_performance():
    # a container's single child is an item of a list ("<events><event>"), and "opening_time_iso"
    # (doors, as ticketing feeds name the start) is a start
    xml = b"""<?xml version="1.0"?><venues><venue><shows>
<show id="1"><name>Leadership Summit</name><events><event id="11"><opening_time_iso>2027-04-02T19:30:00-04:00</opening_time_iso>
<status>available</status></event><event id="12"><opening_time_iso>2027-04-03T19:30:00-04:00</opening_time_iso>
<status>cancelled</status></event></events></show>
<show id="2"><name>Mentoring Breakfast</name><events><event id="21"><opening_time_iso>2027-05-07T08:00:00-04:00</opening_time_iso>
</event></events></show></shows></venue></venues>"""
    events = read(xml, "https://tickets.example.org/feed.xml", "text/xml")
    assert [(e.title, e.start.isoformat(), e.status) for e in events] == [
        ("Leadership Summit", "2027-04-02T19:30:00-04:00", "scheduled"),
        ("Leadership Summit", "2027-04-03T19:30:00-04:00", "cancelled"),
        ("Mentoring Breakfast", "2027-05-07T08:00:00-04:00", "scheduled")]


def test_an_epoch_time_with_its_utc_offset_and_duration_in_milliseconds():
    # the shape of Meetup's v2 API: "time" and "utc_offset" in ms, "duration" in ms
    answer = [{"id": "1", "name": "Python Pairing Night", "time": 1809626400000, "utc_offset": 3600000,
               "duration": 7200000, "link": "https://www.meetup.example/coders/events/1/"},
              {"id": "2", "name": "Resume Review", "time": 1810836000, "utc_offset": -18000, "duration": 5400}]
    pairing, review = read(answer)
    assert pairing.start.isoformat() == "2027-05-06T19:00:00+01:00" and pairing.end.isoformat() == "2027-05-06T21:00:00+01:00"
    assert pairing.url == "https://www.meetup.example/coders/events/1/"
    assert review.start.utcoffset() == timedelta(hours=-5) and review.end - review.start == timedelta(minutes=90)


def test_drafts_hidden_records_and_dates_to_be_announced_are_not_listed():
    answer = {"data": [
        {"id": "a", "name": "Networking Night", "status": "published", "start": "2027-04-03T18:00:00-04:00"},
        {"id": "b", "name": "Withdrawn Panel", "status": "draft", "start": "2027-04-09T18:00:00-04:00"},
        {"id": "c", "name": "Old Social", "archived": True, "start": "2027-04-10T18:00:00-04:00"},
        {"id": "d", "name": "Members Only Dinner", "public": False, "start": "2027-04-11T18:00:00-04:00"},
        {"id": "e", "title": "Harvest Gala (date TBC)",
         "scheduling": {"config": {"scheduleTbd": True, "startDate": "2027-09-01T00:00:00.000Z"}}}]}
    assert [e.title for e in read(answer)] == ["Networking Night"]


def test_a_graphql_answer_whose_event_pages_are_content_urls():
    answer = {"data": {"promoter": {"id": "9", "name": "Invented Sounds", "events": [
        {"id": "21", "title": "Basement Session", "startTime": "2027-03-05T22:00:00.000",
         "endTime": "2027-03-06T04:00:00.000", "contentUrl": "/events/21",
         "venue": {"name": "The Boiler Vault", "address": "12 Mill Lane, Manchester M1 1AA"}}]}}}
    [event] = read(answer, "https://ra.example/graphql")
    assert (event.url, event.location.city, event.end.hour) == ("https://ra.example/events/21", "Manchester", 4)
    # saved to a file, the answer names no site: its platform's row (Resident Advisor) says ra.co
    [saved] = read(answer, "file:///home/me/ra-answer.json")
    assert saved.url == "https://ra.co/events/21"
    # a saved answer that shows no platform keeps no made-up address
    answer["data"]["promoter"]["events"][0]["contentUrl"] = "/gigs/21"
    assert read(answer, "file:///home/me/other.json")[0].url is None


def test_a_start_and_end_each_written_as_date_time_and_zone():
    # Ticket Tailor's API: "start": {"date", "time", "tz"}; a start with no time is a day
    answer = {"data": [
        {"id": "ev_1", "status": "published", "name": "Career Fair", "url": "https://tickets.example/e/1",
         "start": {"date": "2027-04-03", "time": "09:30", "tz": "America/Chicago"},
         "end": {"date": "2027-04-03", "time": "11:00", "tz": "America/Chicago"},
         "venue": {"name": "Union Hall", "postal_code": "60601"}},
        {"id": "ev_2", "status": "published", "name": "Summer Picnic", "url": "https://tickets.example/e/2",
         "start": {"date": "2027-06-21", "time": None, "tz": "America/Chicago"}, "end": None}]}
    fair, picnic = read(answer)
    assert fair.start.isoformat() == "2027-04-03T09:30:00-05:00" and fair.end.isoformat() == "2027-04-03T11:00:00-05:00"
    assert fair.location.name == "Union Hall" and fair.url == "https://tickets.example/e/1"
    assert picnic.start == date(2027, 6, 21)


def test_a_time_given_in_utc_and_in_local_time_is_one_occurrence_at_the_local_time():
    # a university events feed writes each event's times twice, <times type="utc"> and type="local"
    xml = b"""<?xml version="1.0" encoding="utf-8"?><events xmlns="http://events.example.ac.uk/ns">
      <event><id>4187</id><title>Public lecture: Graphene at twenty</title><description>For everyone.</description>
        <times type="utc"><start><date>2027-06-20</date><time>17:00</time></start>
          <end><date>2027-06-20</date><time>18:30</time></end></times>
        <times type="local"><start><date>2027-06-20</date><time>18:00</time></start>
          <end><date>2027-06-20</date><time>19:30</time></end></times>
        <location><name>Schuster Building</name></location></event>
      <event><id>4201</id><title>Careers fair</title>
        <times type="local"><start><date>2027-07-03</date><time>10:00</time></start></times></event>
    </events>"""
    lecture, fair = read(xml, "https://events.example.ac.uk/calendar/feed.xml", "application/xml")
    assert (lecture.title, lecture.start, lecture.end) == (
        "Public lecture: Graphene at twenty", datetime(2027, 6, 20, 18), datetime(2027, 6, 20, 19, 30))
    assert lecture.description == "For everyone." and lecture.location.name == "Schuster Building"
    assert (fair.title, fair.start) == ("Careers fair", datetime(2027, 7, 3, 10))


def test_a_saved_answer_links_its_events_on_the_site_it_names():
    # Squarespace's ?format=json, saved to a file: its fullUrls are relative to website.baseUrl
    answer = {"website": {"baseUrl": "https://atlanta-marketers.squarespace.com", "timeZone": "America/New_York"},
              "upcoming": [{"id": "a1", "title": "Brand Night", "startDate": 1799017200000,
                            "fullUrl": "/events/brand-night"}]}
    (saved,) = read(answer, "file:///home/me/events.json")
    assert saved.url == "https://atlanta-marketers.squarespace.com/events/brand-night"
    # fetched, the answer's own address resolves them
    (fetched,) = read(answer, "https://www.atlantamarketers.example/events?format=json")
    assert fetched.url == "https://www.atlantamarketers.example/events/brand-night"


def test_performances_take_their_shows_page_description_and_place_but_keep_their_own_identity():
    xml = b"""<?xml version="1.0"?><venues><venue><name>Riverside Arts Centre</name><shows>
<show id="101"><name>Jazz Evening</name><description>Live jazz</description><url>https://tickets.example.org/shows/101</url>
<location><name>Studio 2</name><city>Salford</city></location><events>
<event id="9001"><opening_time_iso>2027-05-06T19:30:00+01:00</opening_time_iso></event>
<event id="9002"><opening_time_iso>2027-05-07T19:30:00+01:00</opening_time_iso><url>https://tickets.example.org/e/9002</url>
</event></events></show></shows></venue></venues>"""
    first, second = read(xml, "https://tickets.example.org/feed.xml", "text/xml")
    assert (first.url, first.description, first.location.city) == ("https://tickets.example.org/shows/101",
                                                                    "Live jazz", "Salford")
    assert second.url == "https://tickets.example.org/e/9002"  # its own page wins
    # the show's page is shared: each performance is known by its own id, which a new time keeps
    assert (first.key, second.key) == ("id:9001", "https://tickets.example.org/e/9002")


def test_a_titled_events_list_of_its_own_dates_is_one_event_a_date():
    # Facebook's Graph API writes a recurring event's dates as "event_times" under the event, which
    # states the first of them as its own start
    events = read({"data": [
        {"id": "1002", "name": "Weekly Coding Club", "start_time": "2027-01-05T19:00:00-0500",
         "end_time": "2027-01-05T21:00:00-0500", "place": {"name": "Library Room 2", "location": {"city": "Atlanta"}},
         "event_times": [{"id": "2001", "start_time": "2027-01-05T19:00:00-0500", "end_time": "2027-01-05T21:00:00-0500"},
                         {"id": "2002", "start_time": "2027-01-12T19:00:00-0500", "end_time": "2027-01-12T21:00:00-0500"}]},
        {"id": "1003", "name": "Annual Summit", "start_time": "2027-02-01T09:00:00-0500", "sessions": [
            {"name": "Keynote", "start_time": "2027-02-01T09:00:00-0500"},
            {"name": "Panel", "start_time": "2027-02-01T11:00:00-0500"}]},
    ], "paging": {"cursors": {"after": "QVFIUm"}}}, "https://graph.facebook.com/v19.0/123/events")
    eastern = timezone(timedelta(hours=-5))
    assert [(e.title, e.start, e.end, e.location.city if e.location else None, e.key) for e in events] == [
        ("Weekly Coding Club", datetime(2027, 1, 5, 19, tzinfo=eastern), datetime(2027, 1, 5, 21, tzinfo=eastern),
         "Atlanta", "id:2001"),
        ("Weekly Coding Club", datetime(2027, 1, 12, 19, tzinfo=eastern), datetime(2027, 1, 12, 21, tzinfo=eastern),
         "Atlanta", "id:2002"),
        # titled sessions are the summit's programme, not its dates
        ("Annual Summit", datetime(2027, 2, 1, 9, tzinfo=eastern), None, None, "id:1003")]


def test_a_google_calendar_answers_all_day_end_is_the_day_after_its_last():
    events = read({"kind": "calendar#events", "timeZone": "America/New_York", "items": [
        {"kind": "calendar#event", "id": "def456", "status": "cancelled", "summary": "Board Retreat",
         "start": {"date": "2027-01-23"}, "end": {"date": "2027-01-24"}},
        {"kind": "calendar#event", "id": "ghi789", "status": "confirmed", "summary": "Annual Conference",
         "start": {"date": "2027-03-04"}, "end": {"date": "2027-03-07"}, "location": "Savannah, GA"}]},
        "https://www.googleapis.com/calendar/v3/calendars/x/events")
    assert [(e.title, e.start, e.end, e.status) for e in events] == [
        ("Board Retreat", date(2027, 1, 23), None, "cancelled"),
        ("Annual Conference", date(2027, 3, 4), date(2027, 3, 6), "scheduled")]
    assert (events[1].location.city, events[1].location.region) == ("Savannah", "GA")


def test_a_webinar_platforms_topic_and_duration_in_minutes():
    events = read({"page_size": 30, "webinars": [
        {"uuid": "z1==", "id": 81234567890, "topic": "Negotiating Your Offer", "start_time": "2027-01-14T17:00:00Z",
         "duration": 60, "timezone": "America/New_York", "join_url": "https://us02web.zoom.us/j/81234567890"}]},
        "https://api.zoom.us/v2/users/me/webinars")
    (webinar,) = events
    assert (webinar.title, webinar.end - webinar.start, webinar.online) == (
        "Negotiating Your Offer", timedelta(minutes=60), "online")


def test_flags_written_as_text_and_a_geo_address_object_are_read():
    xml = b"""<?xml version="1.0"?><events><event><title>Webinar: Pay Transparency</title>
<start_date>2027-05-06</start_date><start_time>12:00</start_time><online>true</online><cancelled>yes</cancelled></event>
<event><title>Annual Meeting</title><start_date>2027-04-22</start_date><start_time>17:30</start_time><online>false</online>
<location><name>Georgian Terrace</name><city>Atlanta</city></location></event></events>"""
    webinar, meeting = read(xml, "https://assoc.example/events.xml", "application/xml")
    assert (webinar.online, webinar.status) == ("online", "cancelled")
    assert (meeting.online, meeting.status) == ("in-person", "scheduled")
    (event,) = read({"featured_items": [{"event": {
        "name": "PM Breakfast", "start_at": "2027-02-10T13:30:00.000Z", "timezone": "America/New_York",
        "geo_address_info": {"city": "Atlanta", "region": "Georgia", "address": "675 Ponce De Leon Ave NE"}}}]})
    assert (event.location.street, event.location.city) == ("675 Ponce De Leon Ave NE", "Atlanta")


def test_an_events_list_of_another_api_is_not_taken_for_the_events_calendars_and_keeps_its_places():
    # Tito's and Humanitix's answers list "events" with a "start_date" too, as The Events Calendar's REST
    # does; only the records reader knows a place written as one string
    body = json.dumps({"events": [
        {"slug": "summit-2027", "title": "PMI Chapter Summit 2027", "start_date": "2027-03-05T09:00:00-05:00",
         "location": "Georgia Tech Hotel, 800 Spring St NW, Atlanta, GA", "url": "https://ti.to/pmi/summit-2027"},
        {"slug": "mixer", "title": "Spring Mixer", "start_date": "2027-04-02T18:00:00-04:00",
         "location": "Ponce City Market, Atlanta, GA", "url": "https://ti.to/pmi/mixer"}]}).encode()
    extraction = extract_page(Page(body, "https://ti.to/pmi/events.json", "application/json"), follow=False)
    assert extraction.format == "records"
    summit, mixer = extraction.events
    assert (summit.location.name, summit.location.street, summit.location.city) == (
        "Georgia Tech Hotel", "800 Spring St NW", "Atlanta")
    assert mixer.location is not None and "Ponce City Market" in mixer.location.one_line()


def test_flags_written_as_numbers_and_a_venues_place_name():
    # Timely's answer: "allday": 1, the venue's name under "place"
    chamber, ribbon = read({"data": {"total": 2, "items": [
        {"id": 9, "title": "Chamber Luncheon", "start_datetime": "2027-01-20 12:00:00",
         "end_datetime": "2027-01-20 13:30:00", "timezone": "America/Chicago", "allday": 0,
         "url": "https://events.time.ly/abc/9",
         "venue": {"place": "Hilton Tulsa", "address": "7902 S Lewis Ave", "city": "Tulsa", "state": "OK"}},
        {"id": 10, "title": "Ribbon Cutting", "start_datetime": "2027-01-22 00:00:00",
         "end_datetime": "2027-01-22 23:59:59", "timezone": "America/Chicago", "allday": 1,
         "url": "https://events.time.ly/abc/10"}]}})
    assert (chamber.location.name, chamber.location.city) == ("Hilton Tulsa", "Tulsa")
    assert chamber.start.hour == 12 and chamber.end.hour == 13
    assert ribbon.start == date(2027, 1, 22) and ribbon.end is None


def test_a_meetings_api_names_its_body_and_gives_its_time_apart_from_a_midnight_date():
    # Legistar's web API: EventBodyName, "EventDate" at midnight beside "EventTime", EventInSiteURL
    council, planning = read([
        {"EventId": 5001, "EventBodyName": "City Council", "EventDate": "2027-01-12T00:00:00", "EventTime": "6:00 PM",
         "EventAgendaStatusName": "Final", "EventLocation": "Council Chambers, City Hall, 55 Trinity Ave SW",
         "EventInSiteURL": "https://x.legistar.com/MeetingDetail.aspx?LEGID=5001"},
        {"EventId": 5002, "EventBodyName": "Planning Commission", "EventDate": "2027-01-19T00:00:00",
         "EventTime": "9:30 AM", "EventAgendaStatusName": "Cancelled", "EventLocation": "Committee Room 1",
         "EventInSiteURL": "https://x.legistar.com/MeetingDetail.aspx?LEGID=5002"}],
        "https://webapi.legistar.com/v1/example/events")
    assert (council.title, council.start) == ("City Council", datetime(2027, 1, 12, 18))
    assert council.url == "https://x.legistar.com/MeetingDetail.aspx?LEGID=5001"
    assert council.location.street == "55 Trinity Ave SW" and council.status == "scheduled"
    assert (planning.title, planning.start, planning.status) == (
        "Planning Commission", datetime(2027, 1, 19, 9, 30), "cancelled")


def test_a_primary_venue_is_the_place_and_flags_say_online_and_cancelled():
    # the shape of Eventbrite's destination answers, which its organiser pages embed
    mixer, webinar = read({"events": [
        {"id": "8001", "name": "Marketing Mixer", "start_date": "2027-01-14", "start_time": "18:00",
         "end_date": "2027-01-14", "end_time": "20:00", "timezone": "America/New_York",
         "url": "https://www.eventbrite.com/e/marketing-mixer-tickets-8001", "is_online_event": False,
         "primary_venue": {"name": "Ponce City Market", "address": {
             "address_1": "675 Ponce De Leon Ave NE", "city": "Atlanta", "region": "GA"}}},
        {"id": "8002", "name": "AI for Marketers", "start_date": "2027-01-21", "start_time": "12:00",
         "timezone": "America/New_York", "url": "https://www.eventbrite.com/e/ai-8002", "is_online_event": True,
         "is_cancelled": True}]})
    assert (mixer.location.name, mixer.location.street, mixer.location.city) == (
        "Ponce City Market", "675 Ponce De Leon Ave NE", "Atlanta")
    assert mixer.start.hour == 18 and mixer.end.hour == 20 and str(mixer.start.tzinfo) == "America/New_York"
    assert (webinar.online, webinar.status, webinar.location) == ("online", "cancelled", None)
