"""The generic listing reader on small pages written for these tests (tests/fixtures/listings)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventscout.scrapers import CANCELLED, ONLINE, POSTPONED, SCHEDULED, Page, extract_page
from eventscout.scrapers.listing import read

FIXTURES = Path(__file__).parent / "fixtures" / "listings"
BASE = "https://chamber.example/events/"


def _read(name: str):
    return read(Page((FIXTURES / name).read_bytes(), BASE))


def test_table_rows_are_events_with_times_links_places_and_status() -> None:
    events = _read("table.html")
    assert [(e.title, e.start) for e in events] == [
        ("Winter Networking Mixer", datetime(2024, 1, 25, 18, 0)),
        ("Legislative Breakfast", datetime(2024, 2, 8, 7, 30)),
        ("Member Luncheon", datetime(2024, 3, 14, 12, 0)),
    ]
    mixer, breakfast, luncheon = events
    assert mixer.end == datetime(2024, 1, 25, 20, 0)
    assert mixer.url == mixer.key == "https://chamber.example/events/winter-mixer"
    assert mixer.location is not None and mixer.location.city == "Riverside"
    assert "Riverside Hotel" in mixer.description  # the block's own text, for filters downstream
    assert breakfast.online == ONLINE
    assert luncheon.status == CANCELLED and mixer.status == SCHEDULED
    assert all(0.5 <= e.confidence <= 1.0 for e in events)
    assert all(e.start.tzinfo is None for e in events)  # floating: the pipeline applies the zone


def test_list_items_take_their_year_from_the_heading_and_keep_spans() -> None:
    seminar, expo, webinar = _read("list.html")
    assert seminar.start == datetime(2024, 1, 25, 18, 0)
    assert seminar.title == "Bridges of the Future: Evening Seminar"
    assert seminar.location is not None and seminar.location.street == "45 Oak Avenue"
    assert (expo.start, expo.end) == (date(2024, 1, 30), date(2024, 2, 2))  # no time: all-day
    assert webinar.start == datetime(2024, 3, 5, 12, 0) and webinar.end == datetime(2024, 3, 5, 13, 30)
    assert webinar.status == POSTPONED and webinar.online == ONLINE


def test_cards_read_numeric_and_iso_dates_and_link_their_detail_page() -> None:
    events = _read("cards.html")
    assert [(e.title, e.start) for e in events] == [
        ("Young Professionals Happy Hour", datetime(2024, 1, 25, 17, 30)),
        ("Annual Awards Gala", datetime(2024, 2, 9, 19, 0)),
        ("Spring Leadership Workshop", datetime(2024, 3, 21, 9, 0)),
    ]
    assert events[0].key == "https://chamber.example/events/yp-happy-hour"


def test_dates_as_headings_give_their_title_to_what_follows_and_roll_into_the_new_year() -> None:
    events = _read("headings.html")
    assert [(e.title, e.start) for e in events] == [
        ("Holiday Luncheon", datetime(2024, 12, 10, 11, 30)),
        ("Board Meeting", datetime(2025, 1, 14, 18, 0)),
        ("Networking Breakfast", date(2025, 2, 20)),  # no time stated: a date, not a guessed time
    ]
    assert events[1].key is None  # no link of its own: no key


def test_a_schedule_of_bare_dates_takes_the_time_its_section_states() -> None:
    events = _read("schedule.html")
    assert [e.start for e in events] == [datetime(2024, m, d, 17, 30) for m, d in ((1, 9), (2, 13), (3, 12), (4, 9))]
    assert {e.title for e in events} == {"Board of Directors"}  # the heading over "2024 Meeting Schedule"
    assert events[2].status == CANCELLED
    assert events[0].links == ["https://chamber.example/docs/minutes-jan-2024.pdf"]
    assert events[0].key is None  # a minutes PDF is not the event's own page


def test_news_footers_and_document_archives_are_not_events() -> None:
    for name in ("news.html", "footer.html", "archive.html"):
        assert _read(name) == [], name


def test_auto_falls_back_to_the_listing_reader_when_nothing_is_structured() -> None:
    extraction = extract_page(Page((FIXTURES / "table.html").read_bytes(), BASE))
    assert "listing" in (extraction.format or "")
    assert len(extraction.events) == 3


def test_pages_without_html_or_dates_yield_nothing() -> None:
    assert read(Page(b"", BASE)) == []
    assert read(Page(b'{"a": 1}', BASE)) == []
    assert read(Page(b"<html><body><p>No dates here.</p></body></html>", BASE)) == []


_TAGS = st.sampled_from(["div", "p", "li", "ul", "table", "tr", "td", "h3", "span", "a", "footer", "time"])
_TEXT = st.sampled_from(["January 25, 2024", "Jan. 25", "1/25/24", "6:00 - 8:00 PM", "Noon", "Board meeting",
                         "Posted on", "Cancelled", "Dec 31 - Jan 2", "<br>", "&amp;", "2024", "99/99/99",
                         "11-1 pm", "30 February", "<a href='x'>More</a>", "\x00", "<!--", "<script>"])


@st.composite
def _html(draw) -> bytes:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            parts.append(f"<{draw(_TAGS)}>")
        elif choice == 1:
            parts.append(f"</{draw(_TAGS)}>")
        elif choice == 2:
            parts.append(draw(_TEXT))
        else:
            parts.append(draw(st.text(max_size=20)))
    return "".join(parts).encode("utf-8", "surrogatepass") if draw(st.booleans()) else draw(st.binary(max_size=200))


@settings(max_examples=200, deadline=None)
@given(_html())
def test_random_markup_never_raises(body: bytes) -> None:
    events = read(Page(b"<html><body>" + body, BASE))
    assert all(e.title and e.start is not None for e in events)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mutated_fixture_pages_never_raise(data) -> None:
    name = data.draw(st.sampled_from(sorted(p.name for p in FIXTURES.glob("*.html"))))
    body = bytearray((FIXTURES / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(body) - 1))
        if data.draw(st.booleans()):
            del body[position:position + data.draw(st.integers(1, 40))]
        else:
            body[position:position] = data.draw(st.sampled_from([b"<", b">", b"</tr>", b"<td>", b"Jan 5",
                                                                  b"\xff", b"<li>", b"12:00"]))
    read(Page(bytes(body), BASE))


def test_a_calendar_leaf_split_over_two_elements_is_one_date() -> None:
    page = (b"<html><body><h2>2024 Events</h2><div class='events'>"
            + b"".join(b"<div class='card'><div class='leaf'><span>%02d</span><span>Mar</span></div>"
                       b"<h3>Chapter Networking Night</h3><p>6:00 pm - 8:00 pm</p></div>" % day
                       for day in (5, 12, 19))
            + b"</div></body></html>")
    events = read(Page(page, BASE))
    assert [e.start for e in events] == [datetime(2024, 3, d, 18, 0) for d in (5, 12, 19)]
    assert {e.title for e in events} == {"Chapter Networking Night"}


def test_many_month_words_under_one_element_stay_linear() -> None:
    started = time.process_time()
    read(Page(b"<html><body><div>" + b"<span>Jan</span> " * 20000 + b"</div>", BASE))
    assert time.process_time() - started < 5


def test_deep_nesting_and_many_dates_stay_bounded() -> None:
    deep = b"<div>" * 5000 + b"January 25, 2024 Board meeting 6 pm" + b"</div>" * 5000
    read(Page(b"<html><body>" + deep, BASE))
    many = b"".join(b"<li>March %d, 2024 Board meeting 6 pm</li>" % (i % 28 + 1) for i in range(20000))
    assert len(read(Page(b"<html><body><ul>" + many + b"</ul>", BASE))) == 20000


def test_a_date_element_the_expressions_cannot_read_goes_to_the_slow_parser() -> None:
    page = (b"<html><body><ul>" + b"".join(
        b"<li><span class='event-date'>%s</span> <a href='/e/%d'>Regional Chapter Meeting</a> 7 pm</li>"
        % (day, i) for i, day in enumerate((b"25.01.2024", b"22.02.2024", b"21.03.2024")))
        + b"</ul></body></html>")
    assert [e.start for e in read(Page(page, BASE))] == [
        datetime(2024, 1, 25, 19), datetime(2024, 2, 22, 19), datetime(2024, 3, 21, 19)]


def test_one_meeting_told_three_times_is_one_event_and_its_new_date_is_scheduled() -> None:
    page = b"""<html><body><div class="meetings">
      <div class="meeting"><h3>Rescheduled Regular Board Meeting - January 12, 2024</h3>
        <p>The regular board meeting has been rescheduled to January 12, 2024 at 10:00 a.m.</p>
        <ul><li><a href="/docs/agenda-january-12-2024.pdf">Board Meeting Agenda - January 12, 2024.pdf</a></li></ul></div>
      <div class="meeting"><h3>Regular Board Meeting - February 9, 2024</h3>
        <p>The regular board meeting will be held on February 9, 2024 at 10:00 a.m.</p></div>
    </div></body></html>"""
    events = read(Page(page, BASE))
    assert [(e.title, e.start, e.status) for e in events] == [
        ("Rescheduled Regular Board Meeting", datetime(2024, 1, 12, 10), SCHEDULED),
        ("Regular Board Meeting", datetime(2024, 2, 9, 10), SCHEDULED),
    ]
    assert events[0].links == ["https://chamber.example/docs/agenda-january-12-2024.pdf"]


def test_a_page_read_from_a_file_keeps_only_its_absolute_web_links() -> None:
    body = b"""<html><body><ul>
      <li>January 25, 2024 6 pm <a href="/events/mixer">Networking Mixer</a></li>
      <li>February 8, 2024 7:30 am <a href="https://chamber.example/breakfast">Legislative Breakfast</a></li>
    </ul></body></html>"""
    from_file = read(Page(body, "file:///tmp/events.html"))
    assert [e.key for e in from_file] == [None, "https://chamber.example/breakfast"]
    from_web = read(Page(body, BASE))
    assert [e.key for e in from_web] == ["https://chamber.example/events/mixer", "https://chamber.example/breakfast"]


def test_weekdays_beside_year_less_dates_tell_their_year() -> None:
    body = b"""<html><body><div class="events">
      <div class="event"><span>Apr</span><span>22</span><span>Mon</span><h3>Board Work Session</h3><p>9:00am</p></div>
      <div class="event"><span>Apr</span><span>23</span><span>Tue</span><h3>Regular Meeting</h3><p>7:00pm</p></div>
      <div class="event"><span>May</span><span>13</span><span>Mon</span><h3>Zoning Appeals</h3><p>1:30pm</p></div>
    </div></body></html>"""
    # read in 2026, the weekdays say 2024 (or 2030, which is further from the day it was read)
    events = read(Page(body, BASE, fetched=date(2026, 12, 1)))
    assert [e.start for e in events] == [datetime(2024, 4, 22, 9), datetime(2024, 4, 23, 19),
                                         datetime(2024, 5, 13, 13, 30)]
    # without weekdays the same page is read near the day it was fetched
    plain = body.replace(b"<span>Mon</span>", b"").replace(b"<span>Tue</span>", b"")
    assert {e.start.year for e in read(Page(plain, BASE, fetched=date(2026, 3, 1)))} == {2026}


def test_a_year_less_schedule_takes_the_year_of_the_address_or_the_copyright_line() -> None:
    body = b"""<html><body><h2>Board meetings</h2><ul>
      <li>March 3 - Regular meeting, 6 pm</li><li>April 7 - Regular meeting, 6 pm</li>
      <li>May 5 - Regular meeting, 6 pm</li></ul><footer>&copy; 2019 Example District</footer></body></html>"""
    assert {e.start.year for e in read(Page(body, BASE))} == {2019}
    from_address = read(Page(body, "https://district.example/meetings?year=2021"))
    assert {e.start.year for e in from_address} == {2021}


def test_time_elements_give_the_date_their_text_leaves_out() -> None:
    body = b"""<html><body><table><tr>
      <td><div class="item"><a href="/e/1">Committee of the Whole</a>
        <time datetime="2022-09-06T13:00:00Z">9:00 AM</time> - <time datetime="2022-09-06T15:30:00Z">11:30 AM</time></div>
        <div class="item"><a href="/e/2">Evening Hearing</a>
        <time datetime="2022-09-07T00:30:00Z">8:30 PM</time></div></td>
      <td><div class="item"><a href="/e/3">Finance Committee</a>
        <time datetime="2022-09-12T18:00:00Z">2:00 PM</time></div></td>
    </tr></table></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start) for e in events] == [
        ("Committee of the Whole", datetime(2022, 9, 6, 9)),
        ("Evening Hearing", datetime(2022, 9, 6, 20, 30)),  # 00:30 UTC is the evening before
        ("Finance Committee", datetime(2022, 9, 12, 14)),
    ]


def test_dates_and_years_split_over_elements_and_lone_numeric_dates_are_read() -> None:
    body = b"""<html><body><h1>Transportation Policy Board</h1><h4>Meets every 2nd Tuesday of the month at 3:00 PM</h4>
      <h2><span>20</span><span>24</span></h2><ul>
      <li><p><span>01/09</span> | <a href="a1.pdf">Agenda Packet</a> | <a href="m1.pdf">Minutes</a></p></li>
      <li><p><span><span>02/</span></span><span>13</span> | <a href="a2.pdf">Agenda Packet</a></p></li>
      <li><p><span>03/12</span> | <a href="a3.pdf">Agenda Packet</a></p></li></ul>
      <h2><span>20</span><span>23</span></h2><ul>
      <li><p><span>12/12</span> | <a href="a4.pdf">Agenda Packet</a></p></li></ul></body></html>"""
    events = read(Page(body, BASE))
    assert {e.title for e in events} == {"Transportation Policy Board"}
    assert [e.start for e in events] == [datetime(2024, 1, 9, 15), datetime(2024, 2, 13, 15), datetime(2024, 3, 12, 15),
                      datetime(2023, 12, 12, 15)]
    # one or two lone "3/4"s are fractions or scores, not a schedule
    assert read(Page(b"<html><body><p>Score</p><p>3/4</p><p>Board meeting notes</p></body></html>", BASE)) == []


def test_a_schedule_kept_only_in_a_menu_is_read_once_when_nothing_else_is_dated() -> None:
    menu = b"""<ul class="menu"><li><span>Board Agenda</span><ul>
      <li><a href="/a1.pdf">April 8, 2019</a> <a href="/m1.pdf">Minutes</a></li>
      <li><a href="/a2.pdf">May 13, 2019</a> <a href="/m2.pdf">Minutes</a></li>
      <li><a href="/a3.pdf">June 10, 2019</a></li></ul></li></ul>"""
    # the same menu twice: once for phones, once for desks
    body = (b"<html><body><div class='mobile_menu'>" + menu + b"</div><nav>" + menu
            + b"</nav><main><p>Welcome to the district.</p></main></body></html>")
    assert [e.start for e in read(Page(body, BASE))] == [date(2019, 4, 8), date(2019, 5, 13), date(2019, 6, 10)]


def test_a_venue_named_on_a_line_of_its_own_or_after_the_time_is_the_place() -> None:
    cards = [("Business After Hours", "Thursday, Jan 21", "5:30 PM - 7:30 PM", "Acme Brewing, 12 Main St"),
             ("Women in Business Lunch", "Tuesday, Feb 9", "11:30 AM", "Chamber Office"),
             ("Annual Gala", "Saturday, Mar 13", "6:00 PM", "Grand Hotel Ballroom"),
             ("Member Mixer", "Thursday, Apr 8", "5:00 PM", "Bring a colleague.")]
    body = "<html><body><h2>Events 2027</h2><div class='events'>" + "".join(
        f"<div class='ev'><h3>{t}</h3><span>{d}</span><span>{h}</span><span>{p}</span></div>" for t, d, h, p in cards
    ) + "</div></body></html>"
    events = read(Page(body.encode(), BASE))
    assert [(e.title, e.location.name if e.location else None) for e in events] == [
        ("Business After Hours", "Acme Brewing"), ("Women in Business Lunch", "Chamber Office"),
        ("Annual Gala", "Grand Hotel Ballroom"), ("Member Mixer", None)]
    assert events[0].location.street == "12 Main St"
    # or after the time, on the line that names the meeting
    line = b"<p><strong>Board Meeting</strong> - %s, 6:00 p.m., %s</p>"
    body = b"<html><body><div>" + line % (b"January 5, 2027", b"Town Hall") + line % (b"February 2, 2027", b"Room 201") \
        + line % (b"March 2, 2027", b"see the agenda") + b"</div></body></html>"
    assert [(e.title, e.location.name if e.location else None) for e in read(Page(body, BASE))] == [
        ("Board Meeting", "Town Hall"), ("Board Meeting", "Room 201"), ("Board Meeting", None)]


def test_a_line_of_date_name_time_and_room_between_dashes_gives_each_its_field() -> None:
    # "January 14, 2027 – Regular Meeting – 7:00 PM – Council Chambers": the time taken out leaves
    # no "– –" in the title, and a room named after a body ("Council Chambers") or an activity
    # ("Conference Room B") is still the place, while "– Budget Hearing" after a venue is no venue
    rows = [("January 14, 2027", "Regular Meeting", "7:00 PM", "Council Chambers"),
            ("January 28, 2027", "Work Session", "6:00 PM", "Conference Room B"),
            ("February 11, 2027", "Town Hall", "7:00 PM", "Budget Hearing")]
    body = "<html><body><h1>Town Council Meetings</h1><ul>" + "".join(
        f"<li>{d} – {n} – {t} – {p} <a href='/a{i}.pdf'>[Agenda]</a></li>" for i, (d, n, t, p) in enumerate(rows)
    ) + "</ul></body></html>"
    events = read(Page(body.encode(), BASE))
    assert [(e.title, e.location.name if e.location else None) for e in events] == [
        ("Regular Meeting", "Council Chambers"), ("Work Session", "Conference Room B"),
        ("Town Hall – Budget Hearing", None)]
    assert [e.start for e in events] == [datetime(2027, 1, 14, 19), datetime(2027, 1, 28, 18),
                                         datetime(2027, 2, 11, 19)]


def test_an_address_written_one_part_per_line_is_read_whole() -> None:
    # a calendar module's card: the venue, the street and the town each on a line of their own
    card = ("<li><h3><a href='/cal?EID={i}'>{name}</a></h3><div class='date'>{day}, 6:00 PM - 8:00 PM</div>"
            "<div class='location'><span>Example City Hall</span><span>100 Main Street</span>"
            "<span>Example City, MO 64000</span></div></li>")
    body = "<html><body><ol>" + card.format(i=1, name="City Council Regular Session", day="January 9, 2027") \
        + card.format(i=2, name="Board of Trustees", day="January 23, 2027") + "</ol></body></html>"
    events = read(Page(body.encode(), BASE))
    assert [e.title for e in events] == ["City Council Regular Session", "Board of Trustees"]
    for event in events:
        loc = event.location
        assert loc is not None
        assert (loc.name, loc.street, loc.city, loc.region, loc.postal_code) == (
            "Example City Hall", "100 Main Street", "Example City", "MO", "64000")
    # a line above the street that names who meets, not where, is no venue's name
    body = (b"<html><body><div class='ev'><h3>Open House</h3><p>March 3, 2027, 5 PM</p><p>Board of Trustees</p>"
            b"<p>12 Elm Street</p></div><div class='ev'><h3>Open House</h3><p>March 10, 2027, 5 PM</p>"
            b"<p>Board of Trustees</p><p>12 Elm Street</p></div></body></html>")
    assert [(e.location.name, e.location.street) for e in read(Page(body, BASE))] == [(None, "12 Elm Street")] * 2


def test_a_row_noting_its_meetings_new_date_gives_the_old_day_postponed_and_the_new_one() -> None:
    rows = [("January 8", "Regular Meeting", ""), ("February 12", "Regular Meeting", "Rescheduled to February 19"),
            ("March 12", "Regular Meeting", "Cancelled")]
    body = "<html><body><h1>2027 Board of Trustees Meetings</h1><table><tr><th>Date</th><th>Meeting</th>" \
        "<th>Notes</th></tr>" + "".join(f"<tr><td>{d}</td><td>{m}</td><td>{n}</td></tr>" for d, m, n in rows) \
        + "</table></body></html>"
    assert [(e.start, e.title, e.status) for e in read(Page(body.encode(), BASE))] == [
        (date(2027, 1, 8), "Regular Meeting", SCHEDULED), (date(2027, 2, 12), "Regular Meeting", POSTPONED),
        (date(2027, 2, 19), "Regular Meeting", SCHEDULED), (date(2027, 3, 12), "Regular Meeting", CANCELLED)]


def _whats_on(lang: str, first_day: str) -> Page:
    body = f"""<html{lang}><body><main><h1>What's on</h1><ul>
      <li><a href="/e/1">Digital Marketing Masterclass</a> – {first_day}, 18:00–20:00, Manchester</li>
      <li><a href="/e/2">Regional Networking Evening</a> – 04/02/2027, 18:30, Leeds</li>
      <li><a href="/e/3">Brand Strategy Breakfast</a> – 11/03/2027, 08:00, Online</li></ul></main></body></html>"""
    return Page(body.encode(), BASE)


@pytest.mark.parametrize("lang", [' lang="en-GB"', ""])
def test_a_page_that_writes_its_dates_day_first_is_read_so(lang: str) -> None:
    # British English says so; with no language, "15/01/2027" says so (there is no fifteenth month)
    assert [(e.title, e.start, e.end) for e in read(_whats_on(lang, "15/01/2027"))] == [
        ("Digital Marketing Masterclass", datetime(2027, 1, 15, 18), datetime(2027, 1, 15, 20)),
        ("Regional Networking Evening", datetime(2027, 2, 4, 18, 30), None),
        ("Brand Strategy Breakfast", datetime(2027, 3, 11, 8), None)]
    # an American page's "04/02/2027" stays the 2nd of April
    assert [e.start.date() for e in read(_whats_on(' lang="en-US"', "01/15/2027"))] == [
        date(2027, 1, 15), date(2027, 4, 2), date(2027, 11, 3)]


def test_links_to_a_meetings_documents_give_the_meeting_once_named_without_the_document() -> None:
    docs = [("2027-01-14", "January 14, 2027 Regular Meeting Agenda"),
            ("2027-01-28", "January 28, 2027 Work Session - Agenda (PDF)"),
            ("2027-01-14", "January 14, 2027 Regular Meeting Minutes")]
    body = "<html><body><h1>Board of Supervisors</h1><ul>" + "".join(
        f"<li><a href='/files/{day}-{i}.pdf'>{text}</a></li>" for i, (day, text) in enumerate(docs)
    ) + "</ul></body></html>"
    events = extract_page(Page(body.encode(), BASE), follow=False).events
    assert [(e.start, e.title) for e in events] == [(date(2027, 1, 14), "Regular Meeting"),
                                                    (date(2027, 1, 28), "Work Session")]
    assert events[0].url == "https://chamber.example/files/2027-01-14-0.pdf"


def test_a_place_said_in_a_sentence_is_the_place_of_the_meetings_it_speaks_of() -> None:
    # the block's own sentence
    body = b"""<html><body><main><h1>Tree Board</h1><p>The Tree Board advises the City Council.</p>
      <p><strong>Next meeting:</strong> Tuesday, January 12, 2027 at 6:30 PM at City Hall, Conference Room A.</p>
      </main></body></html>"""
    [event] = read(Page(body, BASE))
    assert event.start == datetime(2027, 1, 12, 18, 30) and event.location.name.startswith("City Hall")
    # the sentence that states a schedule's time, its "p.m." no end of it
    body = b"""<html><body><main><h1>Historic Preservation Commission</h1>
      <p>The Commission meets the second Tuesday of the month at 5:30 p.m. in Room 104 of the Municipal Building.</p>
      <p><strong>2027 meeting dates:</strong> January 12, February 9 and March 9.</p></main></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.start, e.location.name if e.location else None) for e in events] == [
        (datetime(2027, m, d, 17, 30), "Room 104 of the Municipal Building") for m, d in ((1, 12), (2, 9), (3, 9))]
    # a sentence that ends on the address: the venue named last before the street, not the sentence
    body = b"""<html><body><main><h1>Board Meetings</h1>
      <p>All meetings begin at 6:30 p.m. in the Board Room at the District Office, 4100 Lake Road, Springfield, IL.</p>
      <p><strong>2027 Regular Meeting Schedule</strong></p><p>January 12<br>February 9</p></main></body></html>"""
    loc = read(Page(body, BASE))[0].location
    assert (loc.name, loc.street, loc.city, loc.region) == ("District Office", "4100 Lake Road", "Springfield", "IL")


def test_a_span_written_over_lines_is_one_event_and_a_weekday_makes_a_short_number_a_date() -> None:
    body = b"""<html><body><h2>Events 2027</h2><table>
      <tr><td>Tuesday<br>January 12, 2027<br>6:00 PM</td><td><strong>Annual Dinner</strong><br>Riverside Hotel</td></tr>
      <tr><td>Thursday<br>January 28, 2027 9:00 AM -<br>Friday<br>January 29, 2027 5:00 PM</td>
          <td><strong>Leadership Retreat</strong></td></tr>
      <tr><td>Tue 2/9</td><td><strong>Board Meeting</strong></td></tr></table></body></html>"""
    assert [(e.title, e.start, e.end) for e in read(Page(body, BASE))] == [
        ("Annual Dinner", datetime(2027, 1, 12, 18), None),
        ("Leadership Retreat", datetime(2027, 1, 28, 9), datetime(2027, 1, 29, 17)),
        ("Board Meeting", date(2027, 2, 9), None)]  # "2/9" alone could be a fraction; "Tue 2/9" is a day


def test_days_under_a_month_and_year_heading_in_lists_and_tables_take_both() -> None:
    body = b"""<html><body><h1>Board</h1><h4>January 2025</h4>
      <ul><li>14 - Regular Meeting</li><li>28 - Work Session</li></ul></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (date(2025, 1, 14), "Regular Meeting"), (date(2025, 1, 28), "Work Session")]
    # a table's rows under the month: "Tue 14 | Board Meeting | 6:00 PM" (its time is no day)
    body = b"""<html><body><h2>January 2025</h2><table>
      <tr><td>Tue 14</td><td>Board Meeting</td><td>6:00 PM</td></tr>
      <tr><td>Thu 23</td><td>Planning Commission</td><td>7:00 PM</td></tr></table>
      <h2>February 2025</h2><table><tr><td>Tue 11</td><td>Board Meeting</td><td>6:00 PM</td></tr></table>
      </body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2025, 1, 14, 18), "Board Meeting"), (datetime(2025, 1, 23, 19), "Planning Commission"),
        (datetime(2025, 2, 11, 18), "Board Meeting")]
    # a column headed "Day" holds days: it names no meeting
    body = b"""<html><body><h1>Zoning Board of Appeals</h1><table><tr><th>Month</th><th>Day</th><th>Time</th></tr>
      <tr><td>January</td><td>14</td><td>6:00 PM</td></tr><tr><td>February</td><td>11</td><td>6:00 PM</td></tr>
      </table></body></html>"""
    assert {e.title for e in read(Page(body, BASE))} == {"Zoning Board of Appeals"}
    # a heading over a body's schedule names the body, not its schedule
    body = body.replace(b"Zoning Board of Appeals", b"Zoning Board 2025 Meeting Schedule")
    assert {e.title for e in read(Page(body, BASE))} == {"Zoning Board"}


def test_a_date_heading_over_several_meetings_at_their_own_times_gives_each_meeting() -> None:
    body = b"""<html><body><main>
      <h3>Tuesday, January 12, 2027</h3>
      <ul><li>8:00 AM - Networking Breakfast</li><li>6:00 PM - Young Professionals Social</li></ul>
      <h3>Thursday, January 14, 2027</h3>
      <ul><li>12:00 PM - Government Affairs Committee</li></ul></main></body></html>"""
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Networking Breakfast", datetime(2027, 1, 12, 8)), ("Young Professionals Social", datetime(2027, 1, 12, 18)),
        ("Government Affairs Committee", datetime(2027, 1, 14, 12))]
    # one date alone heads one event's programme, not three events
    programme = b"""<html><body><h3>Saturday, March 13, 2027</h3>
      <ul><li>8:00 AM Networking Breakfast</li><li>6:00 PM Awards Dinner</li></ul></body></html>"""
    assert len(read(Page(programme, BASE))) <= 1


def test_a_rows_location_cell_is_its_place_and_never_its_title() -> None:
    body = b"""<html><body><h2>Historic Preservation Commission 2027</h2><table>
      <tr><th>Date</th><th>Time</th><th>Location</th></tr>
      <tr><td>Jan. 12</td><td>7 p.m.</td><td>City Hall</td></tr>
      <tr><td>Feb. 9</td><td>7 p.m.</td><td>Annex Room 2</td></tr></table></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.location.name) for e in events] == [
        ("Historic Preservation Commission", datetime(2027, 1, 12, 19), "City Hall"),
        ("Historic Preservation Commission", datetime(2027, 2, 9, 19), "Annex Room 2")]


def test_a_name_above_the_date_and_a_venue_below_it_are_the_title_and_the_place() -> None:
    cards = [("Regular Board Meeting", "Monday, January 11, 2027 at 6:00 PM", "District Office Board Room"),
             ("Work Session", "Monday, January 25, 2027 at 5:30 PM", "District Office Board Room"),
             ("Regular Board Meeting", "Monday, February 8, 2027 at 6:00 PM", "Lakeside High School Library")]
    body = ("<html><body><div class='entry'><h3>Upcoming Meetings</h3>" + "<hr>".join(
        f"<div>{name}</div><div>{when}</div><div>{venue}</div>" for name, when, venue in cards)
        + "</div></body></html>").encode()
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.location.name) for e in events] == [
        ("Regular Board Meeting", datetime(2027, 1, 11, 18), "District Office Board Room"),
        ("Work Session", datetime(2027, 1, 25, 17, 30), "District Office Board Room"),
        ("Regular Board Meeting", datetime(2027, 2, 8, 18), "Lakeside High School Library")]


def test_dates_each_followed_by_their_meeting_take_the_meeting_after_them_and_its_venue() -> None:
    rows = [("Tuesday, 1/12/2027 @ 6pm", "City Council Work Session – City Hall, 2nd Floor"),
            ("Tuesday, 1/26/2027 @ 7pm", "City Council Regular Meeting – Community Center"),
            ("Tuesday, 2/2/2027 @ 5pm", "Joint Meeting with the School Board at Lakeside High School"),
            ("Tuesday, 2/9/2027 @ 7pm", "Public Hearing – Budget Amendments")]
    body = ("<html><body><h2>Meetings</h2><dl>" + "".join(f"<dt>{when}</dt><dd>{what}</dd>" for when, what in rows)
            + "</dl></body></html>").encode()
    events = read(Page(body, BASE))
    assert [(e.title, e.start) for e in events] == [
        ("City Council Work Session", datetime(2027, 1, 12, 18)),
        ("City Council Regular Meeting", datetime(2027, 1, 26, 19)),
        # a name that ends on its venue is still the name after its own date, not the one before it
        ("Joint Meeting with the School Board at Lakeside High School", datetime(2027, 2, 2, 17)),
        # what follows the dash names no venue: it stays in the title
        ("Public Hearing – Budget Amendments", datetime(2027, 2, 9, 19))]
    assert [e.location.name if e.location else None for e in events[:2]] == ["City Hall", "Community Center"]


def test_a_card_that_names_its_place_town_and_state_on_a_line_has_that_place() -> None:
    cards = [("networking-night", "Networking Night", "JAN", "21", "Ponce City Market, Atlanta, GA"),
             ("career-panel", "Career Panel", "FEB", "18", "Join us for food, drinks, and talks, Atlanta, GA"),
             ("mixer", "Spring Mixer", "MAR", "18", "Online")]
    body = ("<html><body><div class='events'>" + "".join(
        f"<div class='event'><div class='date'><span>{mon}</span> <span>{day}</span></div>"
        f"<h4><a href='/events/{slug}'>{name}</a></h4><p>Thursday, 6:00 PM - 8:00 PM</p><p>{where}</p></div>"
        for slug, name, mon, day, where in cards) + "</div><footer>© 2027 AMA Atlanta</footer></body></html>").encode()
    events = read(Page(body, BASE))
    assert [(e.title, e.start.date()) for e in events] == [
        ("Networking Night", date(2027, 1, 21)), ("Career Panel", date(2027, 2, 18)), ("Spring Mixer", date(2027, 3, 18))]
    first = events[0].location
    assert (first.name, first.city, first.region) == ("Ponce City Market", "Atlanta", "GA")
    # a sentence with commas in it is no place, and "Online" is how to attend
    assert events[1].location is None
    assert (events[2].location, events[2].online) == (None, "online")


def test_a_time_cut_from_a_title_takes_no_bracket_with_it() -> None:
    lines = ["January 14, 2027 – Regular Meeting (Budget Hearing at 5:30 PM)",
             "February 11, 2027 – Finance Committee (Room 4) at 5 pm",
             "March 11, 2027 – (Special) Board Meeting",
             "April 8, 2027 – Work Session (6:00 PM - 8:00 PM)"]
    body = ("<html><body><h2>Meetings</h2>" + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>").encode()
    assert [e.title for e in read(Page(body, BASE))] == [
        "Regular Meeting (Budget Hearing)", "Finance Committee (Room 4)", "(Special) Board Meeting", "Work Session"]


def test_dates_under_a_schedule_label_are_named_by_the_heading_they_stand_under() -> None:
    body = b"""<html><head><title>City of Springfield</title></head><body><h1>Springfield</h1>
      <main><h1>Planning Commission</h1><p>The Planning Commission meets at 7:00 p.m. in Council Chambers.</p>
      <p><b>2027 Meeting Dates:</b> Jan. 12, Feb. 9, Mar. 9, Apr. 13</p></main></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start) for e in events] == [
        ("Planning Commission", datetime(2027, m, d, 19)) for m, d in ((1, 12), (2, 9), (3, 9), (4, 13))]


def test_a_schedule_table_of_a_row_per_month_and_a_column_per_body_gives_each_bodys_days() -> None:
    body = b"""<html><body><h2>2027 Meeting Calendar</h2>
      <table><tr><th>Month</th><th>Board of Directors</th><th>Finance Committee</th></tr>
      <tr><td>January</td><td>14</td><td>7</td></tr><tr><td>February</td><td>11</td><td>4 &amp; 18</td></tr>
      <tr><td>March</td><td>11</td><td></td></tr></table>
      <p>Board meetings begin at 6:30 PM.</p>
      <h2>Permits</h2><table><tr><th>Month</th><th>Permits Issued</th><th>Inspections</th></tr>
      <tr><td>January</td><td>14</td><td>7</td></tr><tr><td>February</td><td>11</td><td>4</td></tr></table>
      </body></html>"""
    events = read(Page(body, BASE))
    assert sorted((e.start.date(), e.title) for e in events) == sorted(
        [(date(2027, 1, 14), "Board of Directors"), (date(2027, 2, 11), "Board of Directors"),
         (date(2027, 3, 11), "Board of Directors"), (date(2027, 1, 7), "Finance Committee"),
         (date(2027, 2, 4), "Finance Committee"), (date(2027, 2, 18), "Finance Committee")])


def test_labelled_fields_under_each_heading_give_that_headings_event() -> None:
    def event(name: str, day: str, hours: str, where: str) -> str:
        return (f"<h3>{name}</h3><p><strong>Date:</strong> {day}<br><strong>Time:</strong> {hours}<br>"
                f"<strong>Location:</strong> {where}</p><p><a href='https://tickets.example/e/1'>Register</a></p><hr>")
    body = ("<html><body><div class='entry'>"
            + event("Monthly Chapter Meeting: Agile Requirements", "Wednesday, February 10, 2027",
                    "6:00 PM – 8:00 PM EST", "Microsoft Technology Center, 1125 Sanctuary Pkwy, Alpharetta, GA 30009")
            + event("Virtual Lunch &amp; Learn", "Thursday, February 25, 2027", "12:00 PM – 1:00 PM ET", "Zoom")
            + "</div></body></html>").encode()
    first, second = read(Page(body, BASE))
    # a time's zone and the value of "Location:" are no titles (the zone is the times'); each heading
    # names its own event
    eastern = ZoneInfo("America/New_York")
    assert (first.title, first.start, first.end) == ("Monthly Chapter Meeting: Agile Requirements",
                                                     datetime(2027, 2, 10, 18, tzinfo=eastern),
                                                     datetime(2027, 2, 10, 20, tzinfo=eastern))
    assert (first.location.name, first.location.city) == ("Microsoft Technology Center", "Alpharetta")
    assert (second.title, second.start, second.online) == (
        "Virtual Lunch & Learn", datetime(2027, 2, 25, 12, tzinfo=eastern), "online")


def test_a_row_dated_from_one_day_to_another_is_one_event_over_those_days() -> None:
    body = b"""<html><body><table><tr><th>Event</th><th>Date</th><th>Location</th></tr>
      <tr><td><a href="/e/1">Chapter Meeting: Leading Hybrid Teams</a></td><td>01/20/2027 6:00 PM</td><td>Online</td></tr>
      <tr><td><a href="/e/2">PMP Exam Prep Boot Camp</a></td><td>02/06/2027 - 02/07/2027</td>
      <td>Kennesaw State University, Marietta, GA</td></tr>
      <tr><td><a href="/e/3">Networking Night</a></td><td>02/18/2027 5:30 PM</td><td>Buckhead Club</td></tr>
      </table></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.end) for e in events] == [
        ("Chapter Meeting: Leading Hybrid Teams", datetime(2027, 1, 20, 18), None),
        ("PMP Exam Prep Boot Camp", date(2027, 2, 6), date(2027, 2, 7)),
        ("Networking Night", datetime(2027, 2, 18, 17, 30), None)]


@pytest.mark.parametrize("active", ["", ' class="active"'])
def test_a_year_picker_gives_its_chosen_year_and_not_its_last_choice(active: str) -> None:
    body = f"""<html><head><title>Agendas</title></head><body><ul class="tabs">
      <li{active}><a href="?year=2027">2027</a></li><li><a href="?year=2026">2026</a></li><li><a href="?year=2025">2025</a></li>
      </ul><div class="pane"><div><span>Jan 21</span> <a href="/f/1.pdf">Board of Health Meeting</a></div>
      <div><span>Feb 18</span> <a href="/f/2.pdf">Board of Health Meeting</a></div></div></body></html>""".encode()
    # the active tab says 2027; with no tab marked, the address does
    url = BASE if active else "https://agency.example/agendas?year=2027"
    assert [e.start for e in read(Page(body, url, fetched=date(2026, 12, 1)))] == [date(2027, 1, 21), date(2027, 2, 18)]


def test_a_weekday_goes_with_its_date_and_stays_in_a_name() -> None:
    body = b"""<html><body><div class="list">
      <div class="item"><h3><a href="/e/social">Sunday Brunch Social</a></h3><div>Sunday, February 14, 2027</div>
      <div>11:00 am - 1:00 pm</div><div>Monday Night Brewing</div></div>
      <div class="item"><h3><a href="/e/talks">Tuesday Night Talks</a></h3><div>Tue. 3/2/2027 @ 6 pm</div>
      <div>Central Library</div></div></div></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.location.name) for e in events] == [
        ("Sunday Brunch Social", datetime(2027, 2, 14, 11), "Monday Night Brewing"),
        ("Tuesday Night Talks", datetime(2027, 3, 2, 18), "Central Library")]


def test_two_cards_one_timed_and_one_over_two_days_are_two_events() -> None:
    def card(href: str, name: str, when: str, where: str) -> str:
        return (f"<li><h4><a href='{href}'>{name}</a></h4><div><span>{when}</span></div>"
                f"<div><span>{where}</span></div></li>")
    body = ("<html><body><ul>" + card("/event-1", "Chapter Meeting: Negotiation Skills",
                                      "Thu, March 04, 2027 6:00 PM - 8:00 PM", "Denver Tech Center")
            + card("/event-2", "Spring Conference", "Sat, March 20, 2027 - Sun, March 21, 2027", "Online")
            + "</ul></body></html>").encode()
    meeting, conference = read(Page(body, BASE))
    assert (meeting.title, meeting.start, meeting.end) == (
        "Chapter Meeting: Negotiation Skills", datetime(2027, 3, 4, 18), datetime(2027, 3, 4, 20))
    # the meeting's date is its own, not a reference to another day; the conference takes no one's hours
    assert (conference.title, conference.start, conference.end, conference.online) == (
        "Spring Conference", date(2027, 3, 20), date(2027, 3, 21), ONLINE)


def test_the_last_date_of_a_sentence_takes_no_title_from_the_sentence_after_it() -> None:
    body = b"""<html><body><h2>Board of Trustees</h2><p>Regular meetings: Jan. 19 (7 pm); Feb. 16 (7 pm);
      Apr. 20 (7 pm). All meetings are held in the Community Room.</p></body></html>"""
    assert [(e.title, e.start) for e in read(Page(body, BASE, fetched=date(2026, 12, 1)))] == [
        ("Board of Trustees", datetime(2027, 1, 19, 19)), ("Board of Trustees", datetime(2027, 2, 16, 19)),
        ("Board of Trustees", datetime(2027, 4, 20, 19))]


def test_days_listed_under_a_month_heading_are_dated_in_that_month() -> None:
    body = b"""<html><body><h1>Park Board Meeting Schedule 2027</h1>
      <p>Meetings begin at 6:00 p.m. at the Parks Administration Building.</p>
      <h4>January</h4><ul><li>12 \xe2\x80\x93 Regular Meeting</li><li>26 \xe2\x80\x93 Work Session</li></ul>
      <h4>February</h4><ul><li>9th: Regular Meeting</li><li>23 \xe2\x80\x93 Work Session (cancelled)</li></ul>
      <h4>Notes</h4><ul><li>12 members serve on the board</li></ul></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.status) for e in events] == [
        ("Regular Meeting", datetime(2027, 1, 12, 18), SCHEDULED), ("Work Session", datetime(2027, 1, 26, 18), SCHEDULED),
        ("Regular Meeting", datetime(2027, 2, 9, 18), SCHEDULED),
        ("Work Session (cancelled)", datetime(2027, 2, 23, 18), CANCELLED)]


def test_a_page_that_dates_one_event_under_its_heading_is_named_by_the_heading() -> None:
    body = b"""<html><body><h1>Annual Leadership Summit</h1><h3>Saturday, March 13, 2027</h3>
      <ul><li>8:00 AM Registration</li><li>9:00 AM Keynote: The Future of Work</li></ul>
      <p>Georgia Tech Hotel, 800 Spring St NW, Atlanta</p></body></html>"""
    (event,) = read(Page(body, BASE))
    assert (event.title, event.start, event.location.name) == (
        "Annual Leadership Summit", datetime(2027, 3, 13, 8), "Georgia Tech Hotel")


def test_meetings_kept_in_a_drop_down_list_are_read() -> None:
    options = b"".join(b'<option value="%d">Planning Commission - %s, 2027 7:00 PM</option>' % (n, day)
                       for n, day in enumerate((b"March 3", b"April 7", b"May 5")))
    body = b"<html><body><form><label>Upcoming meetings</label><select name='m'>" + options + \
        b"</select></form></body></html>"
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Planning Commission", datetime(2027, m, d, 19)) for m, d in ((3, 3), (4, 7), (5, 5))]
    # beside dates on the page itself, the drop-down's meetings are still read (a day picker is not:
    # `test_a_drop_down_of_meeting_dates_is_read_beside_other_dates_but_a_day_picker_is_not`)
    dated = body.replace(b"</form>", b"</form><p>Open house on June 9, 2027 at 5:00 PM</p>")
    assert [e.start for e in read(Page(dated, BASE))] == [
        datetime(2027, 3, 3, 19), datetime(2027, 4, 7, 19), datetime(2027, 5, 5, 19), datetime(2027, 6, 9, 17)]


def test_an_agenda_centre_reads_meetings_not_posting_stamps_and_names_them_from_headings() -> None:
    events = read(Page((FIXTURES / "agenda_center.html").read_bytes(), "https://lakeside.example/AgendaCenter"))
    # "Posted <date> <time>" says when the file went up: neither an event, nor the meeting's time,
    # nor a title; document links ("Supplemental Materials", "New Date") give way to the heading
    assert [(e.title, e.start) for e in events] == [
        ("Regular Meeting", date(2024, 1, 9)), ("Work Session", date(2024, 1, 23)),
        ("Planning Commission", date(2024, 2, 6)), ("Planning Commission", date(2024, 2, 20)),
    ]


def test_a_row_that_dates_its_meeting_and_its_documents_alike_is_one_meeting() -> None:
    body = b"""<html><body><h2>Board of Appeals</h2><table>
      <tr><th>Meeting Date</th><th>Agenda</th><th>Minutes</th></tr>
      <tr><td>January 24, 2022</td><td><a href="a1.pdf">January 24, 2022</a></td><td><a href="m1.pdf">January 24, 2022</a></td></tr>
      <tr><td>February 28, 2022</td><td><a href="a2.pdf">February 28, 2022</a></td><td></td></tr>
      <tr><td>March 28, 2022</td><td></td><td></td></tr></table></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start) for e in events] == [("Board of Appeals", date(2022, 1, 24)),
                                                     ("Board of Appeals", date(2022, 2, 28)),
                                                     ("Board of Appeals", date(2022, 3, 28))]


def _reading(events):
    return [(e.title, e.start, e.status, e.online, e.location.name if e.location else None, e.confidence)
            for e in events]


def test_a_simple_meetings_table_reads_every_row_and_its_venue_whatever_the_base_url() -> None:
    body = (FIXTURES / "chapter_meetings.html").read_bytes()
    from_file = read(Page(body, (FIXTURES / "chapter_meetings.html").resolve().as_uri()))
    from_web = read(Page(body, "https://www.gscpa.org/atlanta/meetings"))
    assert _reading(from_file) == _reading(from_web) == [
        ("Annual Tax Update", date(2025, 1, 16), SCHEDULED, "in-person", "Georgia Tech Hotel", from_web[0].confidence),
        ("Ethics CPE – CANCELLED / Online", date(2025, 2, 20), CANCELLED, ONLINE, None, from_web[1].confidence),
        ("Spring Mixer", date(2025, 3, 20), SCHEDULED, "in-person", "Ponce City Market", from_web[2].confidence),
    ]
    assert from_web[2].location.city == "Atlanta"
    # the base address only resolves links
    assert [e.url for e in from_file] == [None, None, None]
    assert [e.url for e in from_web] == ["https://www.gscpa.org/events/tax-update",
                                         "https://www.gscpa.org/events/ethics-cpe",
                                         "https://www.gscpa.org/events/spring-mixer"]


def test_a_link_no_url_parser_accepts_costs_only_that_link():
    """Found by benchmarks/fuzz_extract.py: a malformed IPv6 host in a row's link once raised out of the reader."""
    from eventscout.scrapers.listing import read
    from eventscout.scrapers.page import Page

    body = (b'<table><tr><td>January 5, 2027 6:00 PM</td><td><a href="https://[x/a">Board Meeting</a></td></tr>'
            b'<tr><td>February 5, 2027 6:00 PM</td><td><a href="http://[::1">Planning Commission</a></td></tr>'
            b'</table>')
    events = read(Page(body, "https://example.org/meetings"))
    assert [(e.title, e.url) for e in events] == [("Board Meeting", None), ("Planning Commission", None)]


def test_what_a_date_leaves_beside_a_name_is_cut_and_a_notice_of_no_meeting_cancels_it() -> None:
    # "at" and a footnote's "*" left where the date and time were; "no board meeting" and a
    # cancellation notice are the status of that day's meeting, not its name
    body = b"""<html><body><h1>Board of Directors</h1><table>
      <tr><td>January 15, 2027, at 5:00 PM - Board of Commissioners</td></tr>
      <tr><td>February 19, 2027 at Noon &mdash; Finance Committee</td></tr></table>
      <p><strong>2027 Board Meeting Dates<br>March 25*<br>May 27* no board meeting<br>July 22</strong></p>
      <p>Meetings are held at 11:30 a.m.</p>
      <ul><li><a href="/ac/_09142027-1">September 14, 2027 City Council Cancellation Notice</a></li>
          <li><a href="/ac/_09282027-2">September 28, 2027 City Council Regular Meeting Agenda</a></li></ul>
      </body></html>"""
    events = read(Page(body, BASE))
    assert [(e.start, e.title, e.status) for e in events] == [
        (datetime(2027, 1, 15, 17), "Board of Commissioners", SCHEDULED),
        (datetime(2027, 2, 19, 12), "Finance Committee", SCHEDULED),
        (datetime(2027, 3, 25, 11, 30), "Board of Directors", SCHEDULED),
        (datetime(2027, 5, 27, 11, 30), "Board of Directors", CANCELLED),
        (datetime(2027, 7, 22, 11, 30), "Board of Directors", SCHEDULED),
        (datetime(2027, 9, 14, 11, 30), "City Council", CANCELLED),  # the page's one stated time
        (datetime(2027, 9, 28, 11, 30), "City Council Regular Meeting", SCHEDULED),
    ]


def test_a_name_wrapped_over_two_lines_is_read_whole_and_prose_is_no_name() -> None:
    body = b"""<html><body><h1>Library Board</h1>
      <div class="m"><p>February 1, 2027 12:00 PM</p><p>Closed Session - Board of<br>Trustees Meeting</p></div>
      <div class="m"><p>March 1, 2027 12:00 PM</p><p>Closed Session - Board of<br>Trustees Meeting</p></div>
      <h2>Safety Committee</h2><p>Next date: Monday, May 3, 2027 | 01:00 PM to 02:30 PM</p>
      <p>The committee reviews and recommends policies for<br>residents and visitors of the county and its parks.
      Contact clerk@county.example.gov</p></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.start, e.title) for e in events][:2] == [
        (datetime(2027, 2, 1, 12), "Closed Session - Board of Trustees Meeting"),
        (datetime(2027, 3, 1, 12), "Closed Session - Board of Trustees Meeting")]
    safety = events[2]
    assert safety.start == datetime(2027, 5, 3, 13) and safety.title not in (
        "Next date", "The committee reviews and recommends policies for", "clerk@county.example.gov",
        "residents and visitors of the county and its parks.")


def test_each_run_of_dates_takes_the_heading_it_stands_under_not_a_sentence_or_a_row_of_tabs() -> None:
    # lines of one element under two headings: the second heading's later dates are its own
    body = b"""<html><body><h1>Board Meetings</h1><div class="list">
      <h2>2027 Finance Committee Meetings</h2>Administration Building<br>January 14 / 2:00 PM<br>
      March 11 / 2:00 PM<br><hr><h2>2027 Policy Committee Meetings</h2>Administration Building<br>
      February 4 / 3:30 PM<br>April 1 / 3:30 PM<br></div></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2027, 1, 14, 14), "Finance Committee Meetings"), (datetime(2027, 3, 11, 14), "Finance Committee Meetings"),
        (datetime(2027, 2, 4, 15, 30), "Policy Committee Meetings"), (datetime(2027, 4, 1, 15, 30), "Policy Committee Meetings")]
    # the sentence that states the time is no heading, nor are the tabs over a list of agendas
    body = b"""<html><body><h1>Landmarks Commission</h1><div><h4>2027 AGENDAS</h4></div>
      <p><em>Meetings begin at 9:00 am in Room 514, City Hall.</em></p>
      <table><tr><td><strong>January</strong></td><td>14</td><td>28</td></tr></table></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2027, 1, 14, 9), "Landmarks Commission"), (datetime(2027, 1, 28, 9), "Landmarks Commission")]
    body = b"""<html><body><h1>Mesa Heights Planning Group</h1>
      <ul class="tabs"><li><a href="#a">Agendas</a></li><li><a href="#m">Minutes</a></li></ul>
      <div id="a"><ul><li><a href="/a/1.pdf">January 13, 2027 - Agenda</a></li>
      <li><a href="/a/2.pdf">February 10, 2027 - Agenda</a></li></ul></div></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (date(2027, 1, 13), "Mesa Heights Planning Group"), (date(2027, 2, 10), "Mesa Heights Planning Group")]


def test_a_days_date_box_beside_its_meeting_is_one_event_and_a_time_sentence_gives_no_title_but_a_place() -> None:
    # a Finalsite-style month list: the day's box names nothing; its meeting's entry says what
    body = b"""<html><head><title>Board Calendar | Public Schools</title></head><body><h1>Board Calendar</h1>
      <div class="day"><div class="date"><span>Wednesday,</span><span>April</span> 9, 2027</div>
       <div class="info"><a href="#">Regular Board Meeting</a> <time datetime="2027-04-09T18:30:00">6:30 PM</time></div></div>
      <div class="day"><div class="date"><span>Wednesday,</span><span>April</span> 23, 2027</div>
       <div class="info"><a href="#">Regular Board Meeting (Cancelled)</a> <time datetime="2027-04-23T18:30:00">6:30 PM</time></div></div>
      </body></html>"""
    assert [(e.start, e.title, e.status) for e in read(Page(body, BASE))] == [
        (datetime(2027, 4, 9, 18, 30), "Regular Board Meeting", SCHEDULED),
        (datetime(2027, 4, 23, 18, 30), "Regular Board Meeting (Cancelled)", CANCELLED)]
    body = b"""<html><head><title>Agendas and Minutes - Harbor Port Authority</title></head><body>
      <div><div>All meetings begin at 8:30 a.m. at 1100 W 9th St., Cleveland, OH.</div>
      <div>January 14, 2027</div><div>March 11, 2027</div></div></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.start, e.title) for e in events] == [(datetime(2027, 1, 14, 8, 30), "Harbor Port Authority"),
                                                    (datetime(2027, 3, 11, 8, 30), "Harbor Port Authority")]
    assert events[0].location.street == "1100 W 9th St." and events[0].location.city == "Cleveland"


def test_days_the_offices_close_are_no_events_but_a_holiday_mixer_is() -> None:
    body = b"""<html><body><h1>Board of Elections Events</h1><ul>
      <li>May 18, 2027 7:00 PM Board of Elections Meeting</li>
      <li>May 31, 2027 8:00 AM Memorial Day Holiday</li>
      <li>July 5, 2027 City Offices Closed</li>
      <li>December 9, 2027 5:30 PM Holiday Mixer</li></ul></body></html>"""
    assert [e.title for e in read(Page(body, BASE))] == ["Board of Elections Meeting", "Holiday Mixer"]


def test_a_cancellation_written_into_the_location_cell_cancels_and_leaves_the_place_clean() -> None:
    body = b"""<html><body><table><thead><tr><th>Name</th><th>Meeting Date</th><th>Meeting Time</th>
      <th>Meeting Location</th></tr></thead>
      <tr><td>City Council</td><td>2/24/2027</td><td>7:00 PM</td><td>Council Chambers<br>NOTICE OF CANCELLATION</td></tr>
      <tr><td>Parks Board</td><td>3/3/2027</td><td>5:30 PM</td><td>Parks Annex</td></tr></table></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.status, e.location.name) for e in events] == [
        ("City Council", CANCELLED, "Council Chambers"), ("Parks Board", SCHEDULED, "Parks Annex")]


def test_a_note_in_brackets_beside_the_date_gives_way_to_the_meetings_name_on_the_next_line() -> None:
    body = b"""<html><body><h1>Meeting Schedule</h1><div class="c">
      <p>Thursday, January 14, 2027 (Lansing)<br>9:00 a.m. - 12:00 p.m. - Full Commission Meeting</p>
      <p>Wednesday, February 3, 2027 (Detroit)<br>6:00 p.m. - Public Hearing</p>
      <p>Tuesday, March 9, 2027 (Special)</p></div></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2027, 1, 14, 9), "Full Commission Meeting"), (datetime(2027, 2, 3, 18), "Public Hearing"),
        (date(2027, 3, 9), "Special Meeting")]


def test_sections_parted_by_a_rule_keep_their_own_name_and_time_and_an_agenda_heading_names_no_one() -> None:
    body = b"""<html><body><div class="content">
      <p><strong>DOWNTOWN DESIGN REVIEW COMMITTEE</strong></p><p>Meetings are held at 8:00 am in Room 514.</p>
      <p><strong>2027 Agenda</strong></p>
      <table><tr><td>Jan.</td><td>7</td><td>21</td></tr></table><hr>
      <p><strong>NORTHEAST DESIGN REVIEW COMMITTEE</strong></p><p>Meetings are held at 3:00 pm in Room 514.</p>
      <p><strong>2027 Agenda</strong></p>
      <table><tr><td>Jan.</td><td>14</td></tr></table></div></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2027, 1, 7, 8), "DOWNTOWN DESIGN REVIEW COMMITTEE"),
        (datetime(2027, 1, 21, 8), "DOWNTOWN DESIGN REVIEW COMMITTEE"),
        (datetime(2027, 1, 14, 15), "NORTHEAST DESIGN REVIEW COMMITTEE")]


def test_a_date_labelled_end_is_where_the_event_ends_not_an_event() -> None:
    body = b"""<html><body><h1>Board of Revision Hearing</h1><dl><dt>Start</dt><dd>01/15/2027-10:00 AM</dd>
      <dt>End</dt><dd>01/15/2027-12:00 PM</dd><dt>Location</dt><dd>2079 East 9th Street, Cleveland, OH</dd></dl>
      </body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2027, 1, 15, 10), "Board of Revision Hearing")]


def test_a_line_naming_only_the_venue_gives_the_place_and_the_section_names_who_meets() -> None:
    body = b"""<html><body><h1>Board of Directors</h1>
      <p><strong>2027 Board Meeting Dates<br>January 28<br>May 27 &ndash; Hyatt Regency Ballroom<br>July 22</strong></p>
      <p>Meetings are held at 11:30 a.m.</p></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.start.day, e.title, e.location.name if e.location else None) for e in events] == [
        (28, "Board of Directors", None), (27, "Board of Directors", "Hyatt Regency Ballroom"),
        (22, "Board of Directors", None)]
    # where no body names the section, a school's name is the event's own ("Community Meetings" at each school)
    body = b"""<html><body><h2>Community Meetings</h2><ul><li>January 9, 2027 6:00 PM - Lincoln Elementary School</li>
      <li>January 16, 2027 6:00 PM - Hirsch Metropolitan High School</li></ul></body></html>"""
    assert [e.title for e in read(Page(body, BASE))] == ["Lincoln Elementary School", "Hirsch Metropolitan High School"]


def test_an_entry_its_markup_marks_cancelled_is_cancelled() -> None:
    body = b"""<html><body><h1>City Calendar</h1>
      <div class="eventon_list_event" data-event_id="1"><span class="evcal_event_title">Planning Commission</span>
        <span class="time">March 10, 2027 6:00 PM</span></div>
      <div class="eventon_list_event cancel_event" data-event_id="2"><span class="evcal_event_title">City Council</span>
        <span class="time">March 17, 2027 6:00 PM</span></div></body></html>"""
    assert [(e.title, e.status) for e in read(Page(body, BASE))] == [
        ("Planning Commission", SCHEDULED), ("City Council", CANCELLED)]


def test_a_drop_down_of_meeting_dates_is_read_beside_other_dates_but_a_day_picker_is_not() -> None:
    options = "".join(f"<option value='a/{d}.pdf'>January {d}, 2027</option>" for d in (12, 26))
    body = f"""<html><body><h1>Board of Zoning Appeals</h1><p>Hearings are held Mondays at 9:30 a.m.</p>
      <p>Posted January 2, 2027: new hearing procedures.</p><p>January 4, 2027 - City Offices Closed</p>
      <form><select><option value="">Select a hearing</option>{options}</select></form></body></html>""".encode()
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2027, 1, 12, 9, 30), "Board of Zoning Appeals"), (datetime(2027, 1, 26, 9, 30), "Board of Zoning Appeals")]
    days = "".join(f"<option>{(date(2027, 1, 1) + timedelta(days=i)).strftime('%B %d, %Y')}</option>" for i in range(365))
    body = f"<html><body><h1>Book a room</h1><form><select>{days}</select></form></body></html>".encode()
    assert read(Page(body, BASE)) == []


def test_a_heading_that_states_the_time_times_the_dated_lines_below_it_each_a_meeting() -> None:
    body = b"""<html><body><h1>Board Meetings</h1><div>
      <p><strong>Main Street Board, 8:30 a.m.</strong><br>January 13, 2027 &ndash; Civic Theatre<br>March 10, 2027</p>
      <p><strong>Improvement District Board, 4:00 p.m.</strong><br>February 10, 2027<br>April 14, 2027 &ndash; Library Auditorium</p>
      </div></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2027, 1, 13, 8, 30), "Main Street Board"), (datetime(2027, 3, 10, 8, 30), "Main Street Board"),
        (datetime(2027, 2, 10, 16), "Improvement District Board"),
        (datetime(2027, 4, 14, 16), "Improvement District Board")]


def test_names_standing_before_their_dates_title_those_dates_not_the_next() -> None:
    body = b"""<html><body><h1>Upcoming Events</h1><div class="entry">
      <p><strong>Chapter Luncheon: Hiring Trends</strong></p><p>January 22, 2027, 11:30 am</p>
      <p><strong>Resume Workshop</strong></p><p>February 4, 2027, 6:00 pm</p>
      <p><strong>Networking Mixer</strong></p><p>February 18, 2027, 5:30 pm</p></div></body></html>"""
    assert [e.title for e in read(Page(body, BASE))] == [
        "Chapter Luncheon: Hiring Trends", "Resume Workshop", "Networking Mixer"]
    # dates first, each name after its date, stays so; and a picker's first line is no name
    body = b"""<html><body><h1>Upcoming Events</h1><div class="entry">
      <p><strong>January 22, 2027, 11:30 am</strong></p><p>Chapter Luncheon</p>
      <p><strong>February 4, 2027, 6:00 pm</strong></p><p>Resume Workshop</p></div>
      <form><select><option>Select a date</option><option>March 1, 2027</option><option>March 8, 2027</option>
      </select></form></body></html>"""
    assert [e.title for e in read(Page(body, BASE))][:2] == ["Chapter Luncheon", "Resume Workshop"]
    assert "Select a date" not in [e.title for e in read(Page(body, BASE))]
    # "what – where" is a name, not a venue
    body = b"""<html><body><h1>Parks and Recreation Board</h1><div>Mon, Feb 8, 2027 | 6 pm | Regular Meeting<br>
      Sat, Mar 6, 2027 | 9 am | Park Cleanup Day &ndash; Riverside Park</div></body></html>"""
    assert read(Page(body, BASE))[1].title.startswith("Park Cleanup Day")


def test_a_policy_body_names_who_meets_and_a_sentence_into_the_list_names_no_one() -> None:
    # "Policy" in a body's name is no policy document: its meetings keep their confidence
    body = b"""<html><body><h1>Planning Organization</h1><h2>Transportation Policy Body</h2><ul>
      <li>January 12, 2027 3:00 PM</li><li>February 9, 2027 3:00 PM</li><li>March 9, 2027 3:00 PM</li></ul></body></html>"""
    assert [e.title for e in read(Page(body, BASE))] == ["Transportation Policy Body"] * 3
    body = b"""<html><body><h1>Development Authority</h1><div><h4>Meetings will be held on the following dates:</h4>
      <p>January 14, 2027 10:00 AM</p><p>February 11, 2027 10:00 AM</p></div></body></html>"""
    assert [e.title for e in read(Page(body, BASE))] == ["Development Authority"] * 2


def test_a_section_named_with_its_acronym_keeps_it_and_the_page_sentence_gives_time_and_place() -> None:
    body = b"""<html><body><div class="content"><h2>Citizens Advisory Committee (CAC)</h2>
      <ul><li>January 14, 2027</li><li>March 11, 2027</li></ul>
      <h2>Board of Directors (BOD)</h2><ul><li>January 21, 2027</li></ul>
      <p>All meetings begin at 6:00 p.m. at City Hall, 200 Main St.</p></div></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start) for e in events] == [
        ("Citizens Advisory Committee (CAC)", datetime(2027, 1, 14, 18)),
        ("Citizens Advisory Committee (CAC)", datetime(2027, 3, 11, 18)),
        ("Board of Directors (BOD)", datetime(2027, 1, 21, 18))]
    assert all(e.location is not None and e.location.street == "200 Main St" for e in events)
    # a sentence that goes on to a date of its own lends its time, not what follows the time
    body = b"""<html><body><h1>Airport Authority</h1><ul><li>January 20, 2027</li><li>February 17, 2027</li></ul>
      <p>The board will meet at 8:00 a.m. on Friday, January 20, 2027 in the board room.</p></body></html>"""
    events = read(Page(body, BASE))
    assert [e.start for e in events][:2] == [datetime(2027, 1, 20, 8), datetime(2027, 2, 17, 8)]


def test_a_date_line_over_its_days_meetings_gives_each_its_own_event() -> None:
    body = b"""<html><body><div id="content"><h1>Upcoming Public Meetings</h1>
      <p><strong>Tuesday, January 12, 2027</strong><br>Board of Trustees &ndash; 6:00 PM<br>Finance Committee &ndash; 7:30 PM</p>
      <p><strong>Wednesday, January 20, 2027</strong><br>Planning Commission &ndash; 7:00 PM</p>
      <p><strong>Monday, February 1, 2027</strong><br>Zoning Board of Appeals &ndash; 6:30 PM<br>
      Parks Advisory Board &ndash; 5:00 PM</p></div></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (datetime(2027, 1, 12, 18), "Board of Trustees"), (datetime(2027, 1, 12, 19, 30), "Finance Committee"),
        (datetime(2027, 1, 20, 19), "Planning Commission"),
        (datetime(2027, 2, 1, 18, 30), "Zoning Board of Appeals"), (datetime(2027, 2, 1, 17), "Parks Advisory Board")]


def test_a_details_table_under_each_events_heading_is_titled_by_that_heading_not_its_location() -> None:
    body = b"""<html><body><div class="events">
      <h3>Networking Breakfast</h3><table><tr><th>Date</th><td>March 3, 2027</td></tr>
      <tr><th>Time</th><td>7:30 AM - 9:00 AM</td></tr><tr><th>Location</th><td>Hilton Garden Inn, 100 Main St</td></tr></table>
      <h3>Annual Awards Dinner</h3><table><tr><th>Date</th><td>April 14, 2027</td></tr>
      <tr><th>Time</th><td>6:00 PM</td></tr><tr><th>Location</th><td>Grand Ballroom, 5 Elm Ave</td></tr></table>
      </div></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.start, e.end, e.title) for e in events] == [
        (datetime(2027, 3, 3, 7, 30), datetime(2027, 3, 3, 9), "Networking Breakfast"),
        (datetime(2027, 4, 14, 18), None, "Annual Awards Dinner")]
    assert [e.location.street if e.location else None for e in events] == ["100 Main St", "5 Elm Ave"]


def test_a_word_a_site_builder_styled_in_pieces_is_read_whole() -> None:
    # Wix and other builders split a word over inline elements ("<span>Pack</span><span>et</span>");
    # a document link stays a document link, and the section heading names the meetings
    body = b"""<html><body><main><h2><span>Transportation Policy Body</span></h2>
      <p><span>January 12, 2027 </span><span>&ndash; </span><a href="/jan.pdf"><span>A</span><span>genda Pack</span><span>et</span></a></p>
      <p><span>February 9, 2027 </span><span>&ndash; </span><a href="/feb.pdf"><span>Agen</span><span>da</span></a></p>
      <h2><span>Technical Advisory </span><span>Com</span><span>mittee</span></h2>
      <p><span>January 5, 2027 &ndash; </span><span>Regu</span><span>lar Meeting</span></p>
      <p><span>February 2, 2027 &ndash; </span><span>Special Meeting</span></p></main></body></html>"""
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (date(2027, 1, 12), "Transportation Policy Body"), (date(2027, 2, 9), "Transportation Policy Body"),
        (date(2027, 1, 5), "Regular Meeting"), (date(2027, 2, 2), "Special Meeting")]
    # the parts of two blocks, or a word and the line after a break, stay apart
    body = b"""<html><body><h1>Board Meetings</h1><ul><li><span>March 3, 2027 Regular Meeting</span><div>virtual</div></li>
      <li><span>April 7, 2027 Work Session</span><br><span>cancelled</span></li></ul></body></html>"""
    events = read(Page(body, BASE))
    assert [e.title for e in events] == ["Regular Meeting", "Work Session"]
    assert events[1].status == CANCELLED


def test_a_time_field_each_event_writes_is_not_the_pages_schedule_for_an_event_without_one() -> None:
    body = b"""<html><body><div class="entry-content">
      <p><strong>Board Meeting</strong></p><p>Date: Jan 12, 2027</p><p>Time: 6 PM</p><p>Location: Chamber Office, 10 Oak St</p><hr>
      <p><strong>Lunch &amp; Learn</strong></p><p>Date: Feb 3, 2027</p><p>Time: 12:00 PM</p><hr>
      <p><strong>Spring Awards</strong></p><p>Date: Mar 16, 2027</p><p>Location: Convention Center</p></div></body></html>"""
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Board Meeting", datetime(2027, 1, 12, 18)), ("Lunch & Learn", datetime(2027, 2, 3, 12)),
        ("Spring Awards", date(2027, 3, 16))]
    # written once, the field is the page's schedule
    body = b"""<html><body><h1>Finance Committee</h1><p>Meeting time: 4:00 PM</p>
      <ul><li>January 5, 2027</li><li>February 2, 2027</li></ul></body></html>"""
    assert [e.start for e in read(Page(body, BASE))] == [datetime(2027, 1, 5, 16), datetime(2027, 2, 2, 16)]


def test_a_schedule_table_under_a_board_and_year_meetings_heading_is_titled_by_the_board() -> None:
    body = b"""<html><body><h1>Library Board of Trustees - 2027 Meetings</h1>
      <table><tr><th>Month</th><th>Day</th><th>Time</th><th>Location</th></tr>
      <tr><td>January</td><td>14</td><td>5:30 PM</td><td>Main Library</td></tr>
      <tr><td>February</td><td>11</td><td>5:30 PM</td><td>East Branch</td></tr></table></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start) for e in events] == [
        ("Library Board of Trustees", datetime(2027, 1, 14, 17, 30)),
        ("Library Board of Trustees", datetime(2027, 2, 11, 17, 30))]
    assert [e.location.name if e.location else None for e in events] == ["Main Library", "East Branch"]


def test_a_line_naming_the_event_then_its_venue_and_street_is_titled_by_the_name_alone() -> None:
    body = b"""<html><body><h2>Upcoming Programs</h2>
      <p><b>Thursday, March 4, 2027, noon&ndash;1 p.m.</b> Lunch &amp; Learn: Negotiating Your Offer (virtual)</p>
      <p><b>Tuesday, March 16, 2027, 7:30&ndash;9 a.m.</b> Networking Breakfast, Hyatt Place, 200 Peachtree St</p>
      <p><b>Friday, April 2, 2027, 8 a.m.</b> The board will meet in the annual session at the hotel, 5 Elm Ave</p>
      </body></html>"""
    lunch, breakfast, session = read(Page(body, BASE))
    assert (lunch.start, lunch.online) == (datetime(2027, 3, 4, 12), ONLINE)
    assert (breakfast.title, breakfast.start, breakfast.end) == (
        "Networking Breakfast", datetime(2027, 3, 16, 7, 30), datetime(2027, 3, 16, 9))
    assert (breakfast.location.name, breakfast.location.street) == ("Hyatt Place", "200 Peachtree St")
    # a sentence that goes on to where is no name and its venue: it is not cut at its comma
    assert session.title == "The board will meet in the annual session at the hotel, 5 Elm Ave"


def test_a_hostile_run_of_letters_each_in_its_own_span_is_read_in_linear_time() -> None:
    # 120,000 one-letter spans 400 blocks deep: one word. Checking each join against every ancestor
    # took 11 s of CPU here; the walk up to the nearest block takes about 1 s for the whole page
    body = ("<html><body><h1>Board</h1>" + "<div>" * 400 + "<p>January 12, 2027 meeting</p><p>"
            + "<span>a</span><span>b</span>" * 60_000 + "</p>" + "</div>" * 400 + "</body></html>").encode()
    started = time.process_time()
    (event,) = read(Page(body, BASE))
    assert event.start == date(2027, 1, 12)
    assert time.process_time() - started < 5


def test_postponed_in_the_heading_over_its_date_line_is_the_events_status() -> None:
    body = b"""<html><head><title>Events | Georgia Society of CPAs</title></head><body><ul>
      <li><h3>Ethics CPE &ndash; POSTPONED</h3><p>2/18/2027 8:00 AM</p></li>
      <li><h3>Tax Update</h3><p>2/25/2027 8:00 AM</p></li>
      <li><h3>Audit Forum</h3><p>3/4/2027 8:00 AM</p></li></ul></body></html>"""
    assert [(e.title, e.status) for e in read(Page(body, BASE))] == [
        ("Ethics CPE \u2013 POSTPONED", POSTPONED), ("Tax Update", SCHEDULED), ("Audit Forum", SCHEDULED)]


def test_a_schedules_year_in_its_heading_outweighs_a_year_in_the_address() -> None:
    body = b"""<html><body><h2>Historic Preservation Commission \xe2\x80\x94 2027 Schedule</h2>
      <p>All meetings at 4 PM unless noted.</p>
      <ul><li>Jan. 5</li><li>Feb. 2</li><li>Mar. 2 (moved to Mar. 9)</li><li>Apr. 6</li></ul></body></html>"""
    events = read(Page(body, "https://town.example/meetings?year=2024", fetched=date(2026, 12, 1)))
    assert [(e.start, e.status) for e in events] == [
        (datetime(2027, 1, 5, 16), SCHEDULED), (datetime(2027, 2, 2, 16), SCHEDULED),
        (datetime(2027, 3, 2, 16), POSTPONED), (datetime(2027, 3, 9, 16), SCHEDULED),
        (datetime(2027, 4, 6, 16), SCHEDULED)]
    # the notice "moved to" is no title: the meeting keeps its body's name
    assert {e.title for e in events} == {"Historic Preservation Commission"}


def test_a_venue_named_before_its_street_and_after_a_separator_is_the_place() -> None:
    body = b"""<html><body><h2>Upcoming Events</h2><ul>
      <li><h3>Annual Conference</h3><p>January 12&ndash;14, 2027 &middot; Savannah Convention Center</p></li>
      <li><h3>Spring Mixer</h3><p>Thursday, Feb. 4th, 2027 from 6 to 8 pm at The Roof, 99 Ponce Ave, Atlanta</p></li>
      </ul></body></html>"""
    conference, mixer = read(Page(body, BASE))
    assert conference.location.name == "Savannah Convention Center"
    assert (mixer.location.name, mixer.start, mixer.end) == (
        "The Roof", datetime(2027, 2, 4, 18), datetime(2027, 2, 4, 20))


def test_a_stated_zone_an_end_after_midnight_and_a_zone_that_reads_like_a_street_word() -> None:
    body = b"""<html><head><title>Events | National Society of Widget Engineers</title></head><body>
      <h2>Upcoming Events</h2>
      <div class="ev"><h3>Lunch Panel</h3><p>When: Jan 21, 2027 | 11:30 - 1:00 PM ET</p><p>Where: Zoom</p></div>
      <div class="ev"><h3>Member Webinar</h3><p>When: February 4, 2027 at 12 noon CT</p></div>
      <div class="ev"><h3>Late Gala</h3><p>When: Feb 6, 2027 from 7 pm to 12:30 am</p><p>Where: The Foundry</p></div>
      </body></html>"""
    panel, webinar, gala = read(Page(body, BASE))
    assert (panel.start, panel.end, panel.timezone) == (
        datetime(2027, 1, 21, 11, 30, tzinfo=ZoneInfo("America/New_York")),
        datetime(2027, 1, 21, 13, tzinfo=ZoneInfo("America/New_York")), "America/New_York")
    assert (webinar.start, webinar.timezone, webinar.location) == (
        datetime(2027, 2, 4, 12, tzinfo=ZoneInfo("America/Chicago")), "America/Chicago", None)  # "12 noon CT" is no street
    assert (gala.start, gala.end, gala.timezone) == (datetime(2027, 2, 6, 19), datetime(2027, 2, 7, 0, 30), None)


def test_days_listed_after_their_month_are_each_a_meeting_at_the_boards_stated_time() -> None:
    body = b"""<html><head><title>Zoning Board of Appeals | Town of Milbrook</title></head><body>
      <h1>Zoning Board of Appeals</h1><p>The Board meets at 7:00 PM in the Town Hall Annex, 12 Oak Street.</p>
      <h3>2027 Meeting Dates</h3><p>January 12, 19 and 26<br>February 9 &amp; 23<br>March 9, 16, 23</p></body></html>"""
    events = read(Page(body, BASE, fetched=date(2026, 12, 1)))
    assert [e.start for e in events] == [datetime(2027, month, day, 19) for month, day in (
        (1, 12), (1, 19), (1, 26), (2, 9), (2, 23), (3, 9), (3, 16), (3, 23))]
    assert {e.title for e in events} == {"Zoning Board of Appeals"}


def test_a_year_on_an_accordions_toggle_dates_the_panel_it_opens() -> None:
    def panel(*days: str) -> str:
        return "<div class='panel'><table><tr><th>Date</th><th>Agenda</th></tr>" + "".join(
            f"<tr><td>{day}</td><td><a href='{day[:3]}.pdf'>Agenda</a></td></tr>" for day in days) + "</table></div>"
    body = ("<html><body><h1>Planning Board</h1><div class='accordion'>"
            "<button class='accordion-toggle'>2027 Meetings</button>" + panel("January 6", "February 3", "March 3")
            + "<button class='accordion-toggle'>2026 Meetings</button>" + panel("November 4", "December 2")
            + "</div><p>All meetings begin at 7:00 PM at City Hall, 1 Civic Plaza.</p></body></html>").encode()
    events = read(Page(body, BASE, fetched=date(2026, 12, 1)))
    assert [e.start for e in events] == [datetime(2027, 1, 6, 19), datetime(2027, 2, 3, 19), datetime(2027, 3, 3, 19),
                                         datetime(2026, 11, 4, 19), datetime(2026, 12, 2, 19)]


def test_an_element_whose_class_marks_the_place_gives_a_venue_with_no_venue_word() -> None:
    def card(month: str, day: str, name: str, hours: str, where: str) -> str:
        return (f"<div class='item'><div class='left'><span class='m'>{month}</span><span class='d'>{day}</span></div>"
                f"<div class='right'><a href='/e/{day}'>{name}</a><span class='t'>{hours}</span>{where}</div></div>")
    body = ("<html><head><title>Events - Greater Oakdale Chamber</title></head><body><div class='list'>"
            + card("Jan", "14", "Business Before Hours", "7:30 AM - 9:00 AM", "<span class='loc'>Oakdale Bank</span>")
            + card("Jan", "21", "Ribbon Cutting", "11:00 AM", "<div class='event-location'>Location(s): </div>")
            + card("Feb", "04", "Awards Dinner", "6:00 PM", "<div class='event-location'><b>Where:</b> Pine Room</div>")
            + "</div></body></html>").encode()
    events = read(Page(body, BASE, fetched=date(2026, 12, 1)))
    assert [(e.title, e.location.name if e.location else None) for e in events] == [
        ("Business Before Hours", "Oakdale Bank"), ("Ribbon Cutting", None), ("Awards Dinner", "Pine Room")]


@pytest.mark.parametrize("where", ["Electronic Meeting", "Teleconference", "Microsoft Teams", "Google Meet"])
def test_a_meeting_held_electronically_is_online(where: str) -> None:
    rows = "".join(f"<div class='meeting'><div class='meeting-title'>{name}</div><div class='meeting-date'>"
                   f"Tuesday, January {day}, 2027 @ 9:30 AM</div><div class='meeting-location'>{place}</div></div>"
                   for name, day, place in (("City Council", 12, "Council Chamber"),
                                            ("Heritage Advisory Committee", 20, where),
                                            ("Committee of the Whole", 26, "Committee Room 2")))
    body = f"<html><body><h1>Upcoming Meetings</h1><div class='meeting-list'>{rows}</div></body></html>".encode()
    council, heritage, whole = read(Page(body, BASE))
    assert (heritage.online, heritage.location) == (ONLINE, None)
    assert council.online == whole.online == "in-person"


def test_meetings_under_a_date_heading_each_with_its_time_in_an_element_of_its_own() -> None:
    body = b"""<html><head><title>Calendar | Lakeside County</title></head><body><div class="agenda-view">
      <h3>Tuesday, January 12, 2027</h3>
      <ul><li><span class="time">9:00 AM</span> <a href="/e/1">Board of Supervisors</a></li>
      <li><span class="time">2:00 PM</span> <a href="/e/2">Finance Committee</a></li></ul>
      <h3>Thursday, January 14, 2027</h3>
      <ul><li><span class="time">All Day</span> <a href="/e/4">Offices Closed - MLK Observance</a></li>
      <li><span class="time">10:00 AM - 11:30 AM</span> <a href="/e/5">Parks Advisory Committee</a></li></ul>
      <h3>Friday, January 15, 2027</h3>
      <ul><li><a href="/e/6">Zoning Board</a> <span class="time">9:00 AM</span></li>
      <li><a href="/e/7">Ethics Board</a> <span class="time">1:00 PM</span></li></ul>
      </div></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.end) for e in events] == [
        ("Board of Supervisors", datetime(2027, 1, 12, 9), None),
        ("Finance Committee", datetime(2027, 1, 12, 14), None),
        # the closing of offices is no event; the committee meeting on that day is
        ("Parks Advisory Committee", datetime(2027, 1, 14, 10), datetime(2027, 1, 14, 11, 30)),
        ("Zoning Board", datetime(2027, 1, 15, 9), None), ("Ethics Board", datetime(2027, 1, 15, 13), None)]


def test_a_calendars_list_view_gives_each_meeting_of_a_day_its_own_link() -> None:
    def item(hours: str, href: str, name: str) -> str:
        return (f"<tr class='fc-list-item'><td class='fc-list-item-time'>{hours}</td><td class='fc-list-item-marker'>"
                f"<span class='fc-event-dot'></span></td><td class='fc-list-item-title'><a href='{href}'>{name}</a></td></tr>")

    def day(weekday: str, when: str) -> str:
        return (f"<tr class='fc-list-heading'><td colspan='3'><span class='fc-list-heading-main'>{weekday}</span> "
                f"<span class='fc-list-heading-alt'>{when}</span></td></tr>")
    body = ("<html><head><title>Events Calendar | Metro Widget Association</title></head><body>"
            "<table class='fc-list-table'><tbody>" + day("Tuesday", "January 12, 2027")
            + item("7:30am - 9:00am", "/e/1", "Breakfast Briefing") + item("6:00pm - 8:00pm", "/e/2", "Mixer")
            + day("Friday", "January 22, 2027") + item("all-day", "/e/4", "Annual Summit")
            + "</tbody></table></body></html>").encode()
    assert [(e.title, e.start, e.url) for e in read(Page(body, BASE))] == [
        ("Breakfast Briefing", datetime(2027, 1, 12, 7, 30), "https://chamber.example/e/1"),
        ("Mixer", datetime(2027, 1, 12, 18), "https://chamber.example/e/2"),
        ("Annual Summit", date(2027, 1, 22), "https://chamber.example/e/4")]


def test_a_venue_in_brackets_before_its_street_is_the_place_and_no_part_of_the_title() -> None:
    body = b"""<html><body><h2>Library Board Meetings</h2>
      <p>Regular Meeting &mdash; 6:00 PM, Tuesday, January 12, 2027</p>
      <p>Budget Work Session &mdash; 5:00 PM, Tuesday, February 9, 2027 (Branch Library, 40 Elm Rd)</p>
      <p>Regular Meeting &mdash; 6:00 PM, Tuesday, March 9, 2027 &mdash; <strong>CANCELED</strong></p></body></html>"""
    regular, session, cancelled = read(Page(body, BASE))
    assert (session.title, session.location.name, session.location.street) == (
        "Budget Work Session", "Branch Library", "40 Elm Rd")
    assert (regular.status, cancelled.status, cancelled.title) == (SCHEDULED, CANCELLED, "Regular Meeting")


def test_a_span_whose_first_end_states_its_time_is_one_event_until_the_second() -> None:
    def item(n: int, name: str, when: str) -> str:
        return (f"<li class='boxesListItem'><h4 class='boxHeaderTitle'><a href='/event-{n}'>{name}</a></h4>"
                f"<ul class='boxInfo'><li class='eventInfoStartDate'><label>When</label><span>{when}</span></li></ul></li>")
    body = ("<html><head><title>Upcoming events - Widget Engineers</title></head><body><ul class='boxesList'>"
            + item(1, "January Chapter Meeting", "12 Jan 2027 6:00 PM")
            + item(2, "Annual Awards Gala", "19 Feb 2027 6:30 PM - 20 Feb 2027 12:00 AM")
            + item(3, "Spring Retreat", "March 5, 2027 at 9 a.m. to March 7, 2027 3 p.m.") + "</ul></body></html>").encode()
    assert [(e.title, e.start, e.end) for e in read(Page(body, BASE))] == [
        ("January Chapter Meeting", datetime(2027, 1, 12, 18), None),
        ("Annual Awards Gala", datetime(2027, 2, 19, 18, 30), datetime(2027, 2, 20)),
        ("Spring Retreat", datetime(2027, 3, 5, 9), datetime(2027, 3, 7, 15))]


@pytest.mark.parametrize("heading", ["Webinars", "Chapter Workshops", "Classes"])
def test_a_heading_naming_events_in_the_plural_says_the_page_lists_them(heading: str) -> None:
    body = (f"<html><body><h2>{heading}</h2><ul><li><h3>Ethics CPE</h3><p>2/18/2027 8:00 AM</p></li>"
            "<li><h3>Tax Update</h3><p>2/25/2027 8:00 AM</p></li><li><h3>Excel Tips</h3><p>3/4/2027 8:00 AM</p></li>"
            "</ul></body></html>").encode()
    assert [e.title for e in read(Page(body, BASE))] == ["Ethics CPE", "Tax Update", "Excel Tips"]


def test_a_name_on_the_line_before_a_date_in_a_run_of_lines_names_that_meeting_not_its_venue() -> None:
    entry = "<strong>{}</strong><br>Tuesday, {}, 2027<br>{}<br>Village Hall, 10 Center St<br><br>"
    body = ("<html><body><h1>Board of Adjustment</h1><div class='text'>"
            + entry.format("Regular Meeting", "January 12", "6:00 PM")
            + entry.format("Special Meeting - Variance Hearing", "January 26", "5:30 PM")
            + entry.format("Regular Meeting", "February 9", "6:00 PM") + "</div></body></html>").encode()
    events = read(Page(body, BASE))
    assert [(e.title, e.start) for e in events] == [
        ("Regular Meeting", datetime(2027, 1, 12, 18)), ("Special Meeting - Variance Hearing", datetime(2027, 1, 26, 17, 30)),
        ("Regular Meeting", datetime(2027, 2, 9, 18))]
    assert {(e.location.name, e.location.street) for e in events} == {("Village Hall", "10 Center St")}
    # the last link of the line before ("... / Board Report") is the earlier meeting's, no name of this one
    line = "<a href='/a{0}.pdf'>{1}, 2027</a>{2} / <a href='/m{0}.pdf'>Minutes</a> / <a href='/r{0}'>Board Report</a><br>"
    body = ("<html><body><h2>Board Meetings</h2><p>" + line.format(1, "January 16", "") + line.format(2, "March 4", " (Special)")
            + line.format(3, "April 8", "") + "</p></body></html>").encode()
    assert [e.title for e in read(Page(body, BASE)) if e.start == date(2027, 3, 4)] == ["Special Meeting"]


def test_a_cards_heading_is_its_title_over_the_category_above_it_and_its_bulleted_venue_its_place() -> None:
    def card(kind: str, slug: str, name: str, when: str, price: str) -> str:
        return (f"<article class='card'><div class='card-body'><p class='eyebrow'>{kind}</p>"
                f"<h3 class='card-title'><a href='/events/{slug}'>{name}</a></h3><p class='card-meta'>{when}</p>"
                f"<p class='price'>{price}</p><a class='btn' href='/events/{slug}#register'>Register</a></div></article>")
    body = ("<html><head><title>Events | PMI Southeast Chapter</title></head><body><section class='events-grid'>"
            + card("Chapter Meeting", "agile", "Agile at Scale", "Jan 14, 2027 &bull; 6:00 PM ET &bull; Virtual",
                   "$15 members / $25 guests")
            + card("PDU Workshop", "risk", "Risk Management 101",
                   "Feb 2, 2027 &bull; 8:30 AM &ndash; 4:30 PM ET &bull; Atlanta Tech Village", "$199")
            + card("Networking", "social", "Winter Social", "Feb 18, 2027 &bull; 5:30 PM ET &bull; Monday Night Garage",
                   "Free") + "</section></body></html>").encode()
    events = read(Page(body, BASE))
    assert [(e.title, e.online, e.location.name if e.location else None) for e in events] == [
        ("Agile at Scale", ONLINE, None), ("Risk Management 101", "in-person", "Atlanta Tech Village"),
        ("Winter Social", "in-person", "Monday Night Garage")]


def test_dates_under_a_minutes_heading_are_the_boards_meetings_titled_without_the_documents_word() -> None:
    body = b"""<html><body><h1>Board of Trustees Agendas and Minutes</h1><p>The Board meets at 7 p.m.</p>
      <h3>2024</h3><p><a href="/m/1.pdf">January 8</a> | <a href="/m/2.pdf">February 12</a> | <a href="/m/3.pdf">March 11</a></p>
      </body></html>"""
    events = read(Page(body, BASE, fetched=date(2024, 5, 1)))
    assert [(e.title, e.start) for e in events] == [("Board of Trustees", datetime(2024, month, day, 19))
                                                    for month, day in ((1, 8), (2, 12), (3, 11))]


def test_an_archive_written_newest_first_goes_back_a_year_after_january() -> None:
    rows = "".join(f"<tr><td>Tuesday, {day}</td><td><a href='a{i}.pdf'>Agenda</a></td></tr>" for i, day in enumerate(
        ("June 11", "May 14", "April 9", "February 13", "January 9", "December 12", "November 14")))
    body = (f"<html><body><h1>Harbor Commission Agendas</h1><table><tr><th>Meeting Date</th><th>Agenda</th></tr>"
            f"{rows}</table></body></html>").encode()
    events = read(Page(body, BASE, fetched=date(2024, 5, 20)))
    assert [e.start for e in events] == [date(2024, 6, 11), date(2024, 5, 14), date(2024, 4, 9), date(2024, 2, 13),
                                         date(2024, 1, 9), date(2023, 12, 12), date(2023, 11, 14)]
    assert {e.start.weekday() for e in events} == {1}  # each a Tuesday, as the page says


def test_rows_under_a_date_cell_that_spans_them_are_meetings_on_that_date() -> None:
    def row(name: str, hours: str, where: str, day: str = "", span: int = 1) -> str:
        cell = f"<td rowspan='{span}'>{day}</td>" if day else ""
        return f"<tr>{cell}<td>{name}</td><td>{hours}</td><td>{where}</td></tr>"
    body = ("<html><body><table><thead><tr><th>Date</th><th>Meeting</th><th>Time</th><th>Location</th></tr></thead>"
            "<tbody>" + row("City Council Work Session", "5:00 PM", "Conference Room A", "Tuesday, January 12, 2027", 2)
            + row("City Council Regular Meeting", "7:00 PM", "Council Chambers")
            + row("Planning Commission", "6:30 PM", "Council Chambers", "Wednesday, January 13, 2027")
            + row("Parks Board", "4:00 PM", "Rec Center", "Tuesday, January 26, 2027", 3)
            + row("Work Session", "5:00 PM", "Conference Room A") + row("Regular Meeting", "7:00 PM", "Council Chambers")
            + "</tbody></table></body></html>").encode()
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.location.name) for e in events] == [
        ("City Council Work Session", datetime(2027, 1, 12, 17), "Conference Room A"),
        ("City Council Regular Meeting", datetime(2027, 1, 12, 19), "Council Chambers"),
        ("Planning Commission", datetime(2027, 1, 13, 18, 30), "Council Chambers"),
        ("Parks Board", datetime(2027, 1, 26, 16), "Rec Center"),
        ("Work Session", datetime(2027, 1, 26, 17), "Conference Room A"),
        ("Regular Meeting", datetime(2027, 1, 26, 19), "Council Chambers")]


def test_a_date_under_an_end_date_column_ends_its_rows_event_and_is_no_event_of_its_own() -> None:
    rows = "".join(f"<tr><td><a href='/e/{i}'>{name}</a></td><td>{first}</td><td>{last}</td><td>{where}</td></tr>"
                   for i, (name, first, last, where) in enumerate((
                       ("Annual Conference", "03/04/2027", "03/06/2027", "Savannah, GA"),
                       ("Leadership Retreat", "04/15/2027", "04/16/2027", "Callaway Gardens"),
                       ("Member Mixer", "05/06/2027", "05/06/2027", "Atlanta, GA"))))
    body = ("<html><body><table><tr><th>Event</th><th>Start Date</th><th>End Date</th><th>Location</th></tr>"
            f"{rows}</table></body></html>").encode()
    assert [(e.title, e.start, e.end) for e in read(Page(body, BASE))] == [
        ("Annual Conference", date(2027, 3, 4), date(2027, 3, 6)),
        ("Leadership Retreat", date(2027, 4, 15), date(2027, 4, 16)), ("Member Mixer", date(2027, 5, 6), None)]


def test_a_span_with_its_year_at_the_end_is_one_event_and_the_venue_after_it_its_place() -> None:
    body = b"""<html><body><h3>Multi-day</h3><ul>
      <li>Spring Summit: Mon, April 12 &ndash; Wed, April 14, 2027, Jekyll Island Convention Center</li>
      <li>Fall Forum: Thu, October 7 &ndash; Fri, October 8, 2027, Callaway Gardens Conference Center</li></ul></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.end, e.location.name) for e in events] == [
        ("Spring Summit", date(2027, 4, 12), date(2027, 4, 14), "Jekyll Island Convention Center"),
        ("Fall Forum", date(2027, 10, 7), date(2027, 10, 8), "Callaway Gardens Conference Center")]


def test_a_rows_end_time_cell_is_where_its_event_ends() -> None:
    rows = "".join(f"<tr><td>{day}</td><td>{first}</td><td>{last}</td><td>{name}</td></tr>" for day, first, last, name in (
        ("Jan 14, 2027", "6:00 PM", "8:00 PM", "Winter Mixer"), ("Feb 11, 2027", "11:30 AM", "1:00 PM", "Lunch & Learn"),
        ("Mar 11, 2027", "7:30 AM", "9:00 AM", "Breakfast Briefing")))
    body = ("<html><body><table><tr><th>Date</th><th>Start Time</th><th>End Time</th><th>Event</th></tr>"
            f"{rows}</table></body></html>").encode()
    assert [(e.title, e.start, e.end) for e in read(Page(body, BASE))] == [
        ("Winter Mixer", datetime(2027, 1, 14, 18), datetime(2027, 1, 14, 20)),
        ("Lunch & Learn", datetime(2027, 2, 11, 11, 30), datetime(2027, 2, 11, 13)),
        ("Breakfast Briefing", datetime(2027, 3, 11, 7, 30), datetime(2027, 3, 11, 9))]


def test_an_empty_styled_element_inside_a_date_and_a_notice_of_no_meeting_name_nothing() -> None:
    body = b"""<html><body><h2>2027 Committee Meetings</h2><h3>Finance Committee</h3><ul>
      <li>October 28, 2027, at 9:30 a.m.</li><li>November 18<b style="text-decoration: line-through"></b>,
      2027, at 9:30 a.m.</li><li>December - No Meeting</li></ul>
      <h3>Audit Committee</h3><ul><li>November 18, 2027, at 9:30 a.m.</li><li>December - No Meeting</li></ul>
      <h3>Board</h3><ul><li>April 14<b></b>, 2027, at Noon &mdash; Board Working Session</li></ul></body></html>"""
    assert [(e.title, e.start, e.status) for e in read(Page(body, BASE))] == [
        ("Finance Committee", datetime(2027, 10, 28, 9, 30), SCHEDULED),
        ("Finance Committee", datetime(2027, 11, 18, 9, 30), SCHEDULED),
        ("Audit Committee", datetime(2027, 11, 18, 9, 30), SCHEDULED),
        ("Board Working Session", datetime(2027, 4, 14, 12), SCHEDULED)]


def test_days_listed_after_a_date_take_no_title_from_its_numbers_and_a_label_before_them_names_each() -> None:
    body = b"""<html><body><h2>Planning Group Agendas</h2><ul>
      <li><a href="/a.pdf">March 4th, 2027 Agenda</a></li><li><a href="/b.pdf">May 6 &amp; 7, 2027 Agenda</a></li>
      <li>Budget Hearings: Jan. 12, 19 and 26, 2027</li></ul></body></html>"""
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Planning Group", date(2027, 3, 4)), ("Planning Group", date(2027, 5, 6)), ("Planning Group", date(2027, 5, 7)),
        ("Budget Hearings", date(2027, 1, 12)), ("Budget Hearings", date(2027, 1, 19)),
        ("Budget Hearings", date(2027, 1, 26))]
    # written without the comma, only the first day is read, and the listed day is still no title
    uncommaed = body.replace(b"May 6 &amp; 7, 2027 Agenda", b"May 6 &amp; 7 2027 Agenda")
    assert ("Planning Group", date(2027, 5, 6)) in [(e.title, e.start) for e in read(Page(uncommaed, BASE))]
    body = b"""<html><body><h1>Board of Directors</h1>
      <p>2027 meetings at the Convention Center, 8:00 am: January 14th, March 11th and May 13th</p></body></html>"""
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Board of Directors", datetime(2027, 1, 14, 8)), ("Board of Directors", datetime(2027, 3, 11, 8)),
        ("Board of Directors", datetime(2027, 5, 13, 8))]


def test_dates_listed_with_only_commas_or_ands_between_share_the_words_after_the_last() -> None:
    body = b"""<html><body><main><h1>Parks Board</h1>
      <p>Work sessions January 12, 19 and 26, 2027 at 6:00 p.m., City Hall Room 201</p>
      <p>Public hearings: March 2 &amp; 9, 2027 - 7 p.m. at the Library</p>
      <p>April 6, May 4, June 1, 2027 Regular Meeting</p>
      <p>July 13 and 14, 2027 Budget Retreat - CANCELLED</p></main></body></html>"""
    got = [(e.title, e.start, e.place_line(), e.status) for e in read(Page(body, BASE))]
    assert got[:8] == [
        ("Parks Board", datetime(2027, 1, 12, 18), "City Hall Room 201", SCHEDULED),
        ("Parks Board", datetime(2027, 1, 19, 18), "City Hall Room 201", SCHEDULED),
        ("Parks Board", datetime(2027, 1, 26, 18), "City Hall Room 201", SCHEDULED),
        ("Public hearings", datetime(2027, 3, 2, 19), "the Library", SCHEDULED),  # the label names both
        ("Public hearings", datetime(2027, 3, 9, 19), "the Library", SCHEDULED),
        ("Regular Meeting", date(2027, 4, 6), "", SCHEDULED),
        ("Regular Meeting", date(2027, 5, 4), "", SCHEDULED),
        ("Regular Meeting", date(2027, 6, 1), "", SCHEDULED)]
    # a change of plan after the list is the last date's alone
    assert [(e.start, e.status) for e in read(Page(body, BASE))][8:] == [
        (date(2027, 7, 13), SCHEDULED), (date(2027, 7, 14), CANCELLED)]
    # a sentence's time before the dates is each date's; a file's "updated" time, or another sentence's, is not
    body = b"""<html><body><main><h1>Library Board</h1>
      <p>The board meets at 5:30 pm on September 8, October 13 and November 10, 2027 in the Auditorium.</p>
      </main></body></html>"""
    assert [(e.start, e.place_line()) for e in read(Page(body, BASE))] == [
        (datetime(2027, m, d, 17, 30), "Auditorium.") for m, d in ((9, 8), (10, 13), (11, 10))]
    body = b"""<html><body><main><h1>Library Board</h1>
      <p>Page updated 3/1/2027 10:15 AM. Meetings: May 5, June 2, July 7, 2027</p>
      <p>Doors open at 9 am. The board meets on September 8, October 13 and November 10, 2027.</p>
      <p>Schedule posted 10:15 AM for meetings on December 1 and December 8, 2027</p>
      </main></body></html>"""
    assert [e.start for e in read(Page(body, BASE))] == [
        date(2027, 5, 5), date(2027, 6, 2), date(2027, 7, 7), date(2027, 9, 8), date(2027, 10, 13), date(2027, 11, 10),
        date(2027, 12, 1), date(2027, 12, 8)]


def test_a_grid_of_months_and_days_under_a_bold_body_name_gives_that_bodys_meetings() -> None:
    def section(name: str, sentence: str, rows: str) -> str:
        return f"<p><strong>{name}</strong> {sentence}</p><table class='report'>{rows}</table><hr>"
    body = ("<html><body><h4>2027 AGENDAS</h4>"
            + section("NORTH DESIGN REVIEW COMMITTEE", "meets 1st and 3rd Thursdays at 8:30 am in Room 12, City Hall",
                      "<tr><td><strong>Jan.</strong></td><td>7</td><td><a href='j21.pdf'>21</a></td></tr>"
                      "<tr><td><strong>Feb.</strong></td><td>4</td><td>**</td></tr>")
            + section("South Design Review Committee", "meets 2nd Thursdays at 9:00 am",
                      "<tr><td><strong>Jan.</strong></td><td>14</td></tr><tr><td><strong>Feb.</strong></td><td>11</td></tr>")
            + "</body></html>").encode()
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("NORTH DESIGN REVIEW COMMITTEE", datetime(2027, 1, 7, 8, 30)),
        ("NORTH DESIGN REVIEW COMMITTEE", datetime(2027, 1, 21, 8, 30)),
        ("NORTH DESIGN REVIEW COMMITTEE", datetime(2027, 2, 4, 8, 30)),
        ("South Design Review Committee", datetime(2027, 1, 14, 9)),
        ("South Design Review Committee", datetime(2027, 2, 11, 9))]


def test_agendas_and_minutes_dated_only_in_their_file_names_give_one_meeting_a_day() -> None:
    body = b"""<html><body><h1>Board Meeting Minutes and Agendas</h1><h2>Agendas</h2><ul>
      <li><a href="/files/Board-Agenda-1-14-27.pdf">Agenda</a></li><li><a href="/files/Board_Agenda_02_11_2027.pdf">Agenda</a></li>
      <li><a href="/files/agenda03112027.pdf">View agenda</a></li><li><a href="/files/Budget-2027-01-05.pdf">Budget</a></li>
      <li><a href="/files/Agenda-13-45-27.pdf">Agenda</a></li></ul>
      <h2>Minutes</h2><ul><li><a href="/files/Board-Minutes-1-14-27.pdf"><span>Minutes</span></a></li></ul></body></html>"""
    assert [(e.title, e.start, e.url) for e in read(Page(body, BASE))] == [
        ("Board Meeting", date(2027, 1, 14), "https://chamber.example/files/Board-Agenda-1-14-27.pdf"),
        ("Board Meeting", date(2027, 2, 11), "https://chamber.example/files/Board_Agenda_02_11_2027.pdf"),
        ("Board Meeting", date(2027, 3, 11), "https://chamber.example/files/agenda03112027.pdf")]
    dated = b"""<html><body><h1>Board Meeting Agendas</h1><ul>
      <li><a href="/files/Board-Agenda-1-14-27.pdf">Agenda</a></li>
      <li>March 11, 2027 <a href="/files/agenda03112027.pdf">Agenda</a></li>
      <li>April 8, 2027 <a href="/files/agenda04082027.pdf">Agenda</a></li></ul></body></html>"""
    # a page that dates its documents in their text is read by that text alone
    assert [e.start for e in read(Page(dated, BASE))] == [date(2027, 3, 11), date(2027, 4, 8)]


def test_a_label_value_tables_time_and_location_rows_time_and_place_the_dates_of_its_schedule_row() -> None:
    body = b"""<html><body><h1>Board of Managers</h1><table>
      <tr><td>Schedule</td><td><p>March 4, 2027</p><p>June 3, 2027</p><p>September 2, 2027</p></td></tr>
      <tr><td>Time</td><td>10:00 AM</td></tr><tr><td>Location</td><td>Hall A<br>1 Main St</td></tr></table></body></html>"""
    assert [(e.title, e.start, e.location.name, e.location.street) for e in read(Page(body, BASE))] == [
        ("Board of Managers", datetime(2027, m, d, 10), "Hall A", "1 Main St") for m, d in ((3, 4), (6, 3), (9, 2))]


def test_a_table_of_year_month_and_days_cells_gives_each_day_and_a_kind_alone_is_that_kinds_meeting() -> None:
    rows = "".join(f"<tr><td>2027</td><td>{month}</td><td>{days}</td><td><a href='{n}.pdf'>{kind}</a></td></tr>"
                   for n, (month, days, kind) in enumerate((("March", "4, 18 (rescheduled)", "Regular"),
                                                            ("April", "8", "Special"), ("May", "13", "Regular"))))
    body = (f"<html><body><h1>Board of Education Meetings</h1><table><tr><th>Year</th><th>Month</th><th>Day</th>"
            f"<th>Meeting</th></tr>{rows}</table></body></html>").encode()
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Regular Meeting", date(2027, 3, 4)), ("Regular Meeting", date(2027, 3, 18)),
        ("Special Meeting", date(2027, 4, 8)), ("Regular Meeting", date(2027, 5, 13))]


def test_a_years_meetings_subheading_is_named_by_the_board_heading_above_it_and_a_founding_date_is_no_meeting() -> None:
    def board(name: str, times: str, days: str) -> str:
        return (f"<h3>{name}</h3><p>The board was established on May 21, 1980, by resolution #119-1980.</p>"
                f"<aside>The board meets {times} on the second Thursday of each month.</aside>"
                f"<h4>2027 Meetings</h4><ul>{''.join(f'<li>{d}, 2027 - Agenda | Minutes</li>' for d in days.split(';'))}</ul>")
    body = ("<html><body><h2>Corrections Advisory Boards</h2>"
            + board("Community Corrections Advisory Board", "from 8 to 9 a.m.", "January 14;February 11;March 11")
            + board("Juvenile Corrections Advisory Board", "at 11:30 a.m.", "January 8;February 5;March 5")
            + "</body></html>").encode()
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        *(("Community Corrections Advisory Board", datetime(2027, m, d, 8)) for m, d in ((1, 14), (2, 11), (3, 11))),
        *(("Juvenile Corrections Advisory Board", datetime(2027, m, d, 11, 30)) for m, d in ((1, 8), (2, 5), (3, 5)))]


def test_a_tables_caption_row_names_its_schedule_over_a_column_labelled_meeting_dates_with_a_note() -> None:
    rows = "".join(f"<tr><td>{deadline}</td><td><a href='/a/{n}.pdf'>{day}</a></td><td></td></tr>"
                   for n, (deadline, day) in enumerate((("December 27, 2026", "January 25, 2027"),
                                                        ("January 29, 2027", "February 22, 2027"))))
    body = ("<html><body><table><tr><td colspan='3'><strong>2027 Administrative Board of Appeals</strong><br>"
            "1:00 P.M. - Jesse Lowe Conference Room<br>Civic Center - 1819 Farnam Street</td></tr>"
            "<tr><td><strong>Filing Deadline</strong></td><td><strong>Meeting Date<br>(4th Monday of the month)</strong></td>"
            f"<td><strong>Minutes</strong></td></tr>{rows}</table></body></html>").encode()
    events = read(Page(body, BASE))
    assert [(e.title, e.start) for e in events] == [
        ("Administrative Board of Appeals", datetime(2027, 1, 25, 13)),
        ("Administrative Board of Appeals", datetime(2027, 2, 22, 13))]
    assert {e.location.street for e in events} == {"Civic Center - 1819 Farnam Street"}  # the caption's address line


def test_a_sidebars_events_beside_the_main_contents_meetings_are_left_out_but_not_beside_news() -> None:
    sidebar = ("<div class='sidebar'><div class='widget'><h3>Upcoming Events</h3><ul>"
               "<li><a href='/calendar/e/91'>Farmers Market Opening Day</a><br>April 3, 2027 8:00 AM</li>"
               "<li><a href='/calendar/e/92'>Fireworks at Lake Park</a><br>July 4, 2027 9:00 PM</li></ul></div></div>")
    body = ("<html><body><main><h1>Planning Commission</h1><p>The Planning Commission meets at 6:00 p.m.</p>"
            "<table><tr><th>Meeting Date</th><th>Agenda</th></tr><tr><td>January 12, 2027</td><td>Agenda</td></tr>"
            "<tr><td>February 9, 2027</td><td>Agenda</td></tr></table></main>" + sidebar + "</body></html>").encode()
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Planning Commission", datetime(2027, 1, 12, 18)), ("Planning Commission", datetime(2027, 2, 9, 18))]
    without_main = body.replace(b"<main>", b"<div id='main-content'>").replace(b"</main>", b"</div>")
    assert [e.title for e in read(Page(without_main, BASE))] == ["Planning Commission"] * 2
    news = ("<html><body><main><h1>Latest News</h1><article class='post'><h2><a href='/news/1'>Member Spotlight</a></h2>"
            "<span class='date'>November 20, 2026</span><p>Jane has been a member since 2010.</p>"
            "<a href='/news/1'>Read more</a></article></main>" + sidebar + "</body></html>").encode()
    assert [e.title for e in read(Page(news, BASE))] == ["Farmers Market Opening Day", "Fireworks at Lake Park"]


def test_a_notices_dates_and_time_in_prose_are_no_meetings_and_time_none_of_the_schedule() -> None:
    notice = ("<h2>Special Notice</h2><div>Pursuant to the Emergency Plan announced by the Governor on November 17, "
              "2026, all licensed operations of all kinds are suspended until further notice effective at the "
              "conclusion of the business day at 11:01pm on Thursday, November 19, 2026.</div>")
    body = (f"<html><body>{notice}<h2>Board Meetings and Documents</h2><div>January 14, 2027</div>"
            "<div>February 11, 2027</div></body></html>").encode()
    assert [(e.start, e.title) for e in read(Page(body, BASE))] == [
        (date(2027, 1, 14), "Board Meetings and Documents"), (date(2027, 2, 11), "Board Meetings and Documents")]
    # the notice under the meetings' own heading: its two dates would otherwise be two of the board's meetings
    under = (f"<html><body><h2>Board Meetings and Documents</h2>{notice.split('</h2>', 1)[1]}"
             "<div>January 14, 2027</div><div>February 11, 2027</div></body></html>").encode()
    assert [e.start for e in read(Page(under, BASE))] == [date(2027, 1, 14), date(2027, 2, 11)]
    # one date's own long note of its time ("will begin at 11:30 a.m. because ...") times that date alone
    body = b"""<html><body><h2>2027 Board Meetings</h2><ul><li>January 14, 2027</li><li>February 11, 2027</li>
      <li>March 11, 2027 - the special meeting will begin at 11:30 a.m. because of the spring recess set in the rules</li>
      </ul></body></html>"""
    assert [e.start for e in read(Page(body, BASE))] == [
        date(2027, 1, 14), date(2027, 2, 11), datetime(2027, 3, 11, 11, 30)]


def test_a_room_after_a_comma_is_the_place_not_part_of_the_title() -> None:
    body = b"""<html><body><h1>Planning Commission Meeting Schedule</h1><dl>
<dt>Tuesday, January 5, 2027</dt><dd>Regular Meeting, 7:00 p.m., Council Chambers</dd>
<dt>Tuesday, January 19, 2027</dt><dd>Regular Meeting, 7:00 p.m., Council Chambers</dd>
<dt>Tuesday, February 2, 2027</dt><dd>Joint Work Session with City Council, 6:00 p.m.</dd></dl>
<h2>Library Board</h2><ul>
<li>March 15, 2027 12:00 PM<br>Board of<br>Trustees Meeting, Main Library, Francis Auditorium</li>
<li>April 19, 2027 12:00 PM<br>Board of Trustees Meeting, Main Library, Francis Auditorium</li></ul></body></html>"""
    events = read(Page(body, BASE))
    assert [(e.title, e.start, e.location and e.location.name) for e in events] == [
        ("Regular Meeting", datetime(2027, 1, 5, 19), "Council Chambers"),
        ("Regular Meeting", datetime(2027, 1, 19, 19), "Council Chambers"),
        ("Joint Work Session with City Council", datetime(2027, 2, 2, 18), None),
        ("Board of Trustees Meeting", datetime(2027, 3, 15, 12), "Main Library, Francis Auditorium"),
        ("Board of Trustees Meeting", datetime(2027, 4, 19, 12), "Main Library, Francis Auditorium")]


def test_a_town_and_its_state_alone_on_a_cards_line_is_its_place() -> None:
    body = b"""<html><body><h2>Upcoming Events</h2>
<div class="event"><p class="date">March 5-7, 2027</p><h3>Annual Conference</h3><p>Savannah, GA</p></div>
<div class="event"><p class="date">April 14, 2027</p><h3>Legislative Day</h3><p>Georgia State Capitol, Atlanta, GA</p></div>
<div class="event"><p class="date">May 20, 2027</p><h3>Leadership Summit</h3><p>Online</p></div></body></html>"""
    conference, day, summit = read(Page(body, BASE))
    assert (conference.title, conference.location.city, conference.location.region) == ("Annual Conference", "Savannah", "GA")
    assert (day.location.name, day.location.city) == ("Georgia State Capitol", "Atlanta")
    assert summit.location is None and summit.online == ONLINE


@pytest.mark.parametrize("head, panel", [
    ('<button class="acc-head">{}</button>', '<div class="acc-panel"><ul>{}</ul></div>'),  # an accordion
    ("<h3>{}</h3>", '<div class="tab-pane"><div class="inner"><ul>{}</ul></div></div>'),  # a heading, then panels
    ("<summary>{}</summary>", "<ul>{}</ul>"),  # <details>, each month's own
])
def test_days_listed_in_the_panel_under_a_months_toggle_are_that_months(head, panel) -> None:
    def month(name: str, items: str) -> str:
        section = head.format(name) + panel.format(items)
        return f"<details>{section}</details>" if head.startswith("<summary") else section
    body = ("<html><body><h1>Arts Council Meetings</h1><div class='accordion'>"
            + month("January 2027", "<li>12 &ndash; Regular Meeting, 5:30 PM</li><li>26 - Grants Committee, 4:00 PM</li>")
            + month("February 2027", "<li>9 - Regular Meeting, 5:30 PM</li>") + "</div></body></html>").encode()
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Regular Meeting", datetime(2027, 1, 12, 17, 30)), ("Grants Committee", datetime(2027, 1, 26, 16)),
        ("Regular Meeting", datetime(2027, 2, 9, 17, 30))]


def test_cards_linking_their_own_event_pages_are_events_whatever_their_names() -> None:
    # a site builder's summary of upcoming events (Squarespace's summary block): the titles name no
    # meeting or event, but each card links its own page under /events/
    def card(path: str, title: str, day: str, hours: str) -> str:
        return (f'<div class="summary-item"><div class="summary-title"><a href="/events/{path}">{title}</a></div>'
                f'<time class="summary-metadata-item--date">{day}</time><span class="event-time-12hr">{hours}</span></div>')
    body = ("<html><body><div class='summary-item-list'>"
            + card("2027/1/14/laser-cutting-101", "Laser Cutting 101", "Jan 14, 2027", "6:00 PM – 8:00 PM")
            + card("2027/1/21/open-shop-night", "Open Shop Night", "Jan 21, 2027", "7:00 PM – 9:00 PM")
            + card("2027/1/28/kids-robotics", "Kids Robotics", "Jan 28, 2027", "10:00 AM – 12:00 PM")
            + "</div></body></html>").encode()
    events = read(Page(body, "https://makers.example/"))
    assert [(e.title, e.start, e.url) for e in events] == [
        ("Laser Cutting 101", datetime(2027, 1, 14, 18), "https://makers.example/events/2027/1/14/laser-cutting-101"),
        ("Open Shop Night", datetime(2027, 1, 21, 19), "https://makers.example/events/2027/1/21/open-shop-night"),
        ("Kids Robotics", datetime(2027, 1, 28, 10), "https://makers.example/events/2027/1/28/kids-robotics")]


def test_an_amended_agendas_stamp_gives_no_time_and_no_title() -> None:
    # an agenda centre's rows: the meeting's day, its agenda link, and when the file was posted or amended
    def row(day: str, name: str, stamp: str) -> str:
        return (f"<tr><td><h3><strong>{day}</strong>{stamp}</h3><p><a href='/AgendaCenter/ViewFile/Agenda/{day[:3]}'>"
                f"{name}</a></p><p class='small'>Posted {day} 9:15 AM</p></td><td></td></tr>")
    body = ("<html><body><h2>Planning Commission</h2><table><tr><th>Agenda</th><th>Minutes</th></tr>"
            + row("Jan 12, 2027", "Planning Commission Regular Meeting", "")
            + row("Feb 9, 2027", "Planning Commission Regular Meeting", "")
            + row("Mar 9, 2027", "Planning Commission Special Meeting", " &mdash; Amended Mar 8, 2027 10:00 AM")
            + "</table></body></html>").encode()
    assert [(e.title, e.start) for e in read(Page(body, BASE))] == [
        ("Planning Commission Regular Meeting", date(2027, 1, 12)), ("Planning Commission Regular Meeting", date(2027, 2, 9)),
        ("Planning Commission Special Meeting", date(2027, 3, 9))]
