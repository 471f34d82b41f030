"""Month-view calendars drawn as tables, read by the listing reader (small pages written here)."""

from __future__ import annotations

from datetime import date, datetime

from eventscout.scrapers import Page, extract_page

BASE = "https://chamber.example/calendar/"
WEEK = "<tr>" + "".join(f"<th>{d}</th>" for d in ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")) + "</tr>"


def grid(weeks: list[list[str]], above: str = "<h2>January 2027</h2>", caption: str = "") -> bytes:
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in week) + "</tr>" for week in weeks)
    return f"<html><body>{above}<table class='cal'>{caption}{WEEK}{rows}</table></body></html>".encode()


def read(body: bytes):
    return [(e.title, e.start, e.url) for e in extract_page(Page(body, BASE), follow=False).events]


def test_each_numbered_cell_dates_its_events_in_the_month_the_heading_names() -> None:
    body = grid([
        ["<span>27</span>", "28", "29", "30", "31", "<span>1</span>", "2"],
        ["3", "4", "<span class='day'>5</span><a href='/e/ribbon'>Ribbon Cutting: Acme Co</a>", "6", "7",
         "8<br><a href='/e/coffee'>Coffee Connections 8:00 AM</a>", "9"],
        ["24", "25", "26", "27", "28", "29", "30"],
        ["31", "<span>1</span><a href='/e/forum'>February Forum 6:00 PM - 8:00 PM</a>", "2", "3", "4", "5", "6"],
    ], above="<div class='nav'><h2>January 2027</h2></div>")
    assert read(body) == [
        ("Ribbon Cutting: Acme Co", date(2027, 1, 5), "https://chamber.example/e/ribbon"),
        ("Coffee Connections", datetime(2027, 1, 8, 8), "https://chamber.example/e/coffee"),
        ("February Forum", datetime(2027, 2, 1, 18), "https://chamber.example/e/forum"),
    ]
    # the days before the 1st are December's
    before = grid([["27<br>Holiday Social", "28", "29", "30", "31", "1", "2"]])
    assert read(before) == [("Holiday Social", date(2026, 12, 27), None)]


def test_a_caption_names_the_month_and_a_grid_of_bare_numbers_is_no_events() -> None:
    captioned = grid([["", "", "", "", "", "1", "2<br>Board Retreat"]], above="<h2>Calendar</h2>",
                     caption="<caption>May 2027</caption>")
    assert read(captioned) == [("Board Retreat", date(2027, 5, 2), None)]
    assert read(grid([[str(n) for n in range(1, 8)], [str(n) for n in range(8, 15)]])) == []
    # without a month and year to date them, numbers are not guessed at
    assert read(grid([["", "", "", "", "", "1", "2<br>Board Retreat"]], above="<h2>Calendar</h2>")) == []


def test_a_line_that_starts_with_a_time_is_no_day_number_and_entities_do_not_shift_the_time_out() -> None:
    body = grid([["", "", "", "", "", "1", "2"],
                 ["3", "4<br>Lunch &amp; Learn 12:00 PM", "5", "6", "7", "8", "9"],
                 ["8:00 AM Coffee", "11", "12", "13", "14", "15", "16"]])
    assert read(body) == [("Lunch & Learn", datetime(2027, 1, 4, 12), None)]


def test_a_grid_inside_a_layout_table_is_read_as_the_grid() -> None:
    inner = grid([["", "", "", "", "", "1", "2<br>Board Retreat"]]).decode()
    inner = inner[inner.index("<table"):inner.index("</table>") + len("</table>")]
    body = f"<html><body><h2>January 2027</h2><table><tr><td>{inner}</td></tr></table></body></html>".encode()
    assert read(body) == [("Board Retreat", date(2027, 1, 2), None)]


def test_cells_that_state_their_day_are_dated_so_and_a_time_in_its_own_span_goes_with_its_name() -> None:
    # a Drupal or Finalsite month view: each cell's <time datetime> says its day, so neither a week
    # shown alone nor a grid with no "Month YYYY" above it is misdated, and an empty day is no event
    def day(n: int, items: str = "") -> str:
        return f"<time class='day' datetime='2027-03-{n:02d}T00:00:00Z'>{n}</time>{items}"

    week = [day(7), day(8, "<ul><li><a href='/m/council'>City Council</a> <span class='t'>10:00 AM</span></li>"
                        "<li><a href='/m/rules'>Rules Committee</a> <span class='t'>2:00 PM</span></li></ul>"),
            day(9), day(10, "<div><span class='t'>9:30 AM</span><a href='/m/budget'>Budget Review</a></div>"),
            day(11), day(12), day(13)]
    for above in ("<h1>March 2027</h1>", "<h1>Council Calendar</h1>"):
        assert read(grid([week], above=above)) == [
            ("City Council", datetime(2027, 3, 8, 10), "https://chamber.example/m/council"),
            ("Rules Committee", datetime(2027, 3, 8, 14), "https://chamber.example/m/rules"),
            ("Budget Review", datetime(2027, 3, 10, 9, 30), "https://chamber.example/m/budget"),
        ]
