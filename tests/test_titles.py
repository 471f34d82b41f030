"""The shared title check: what pages put where a title belongs, and what is a real title."""

import pytest

from eventscout.scrapers.titles import best_title, repeated_name, title_problem


@pytest.mark.parametrize("text, problem", [
    ("$25.00", "a price"), ("Free", "a price"), ("USD 10 - USD 40", "a price"), ("From $15 + fees", "a price"),
    ("€5 – €15", "a price"),
    ("Thursday, March 5, 2026 6:00 PM - 8:00 PM", "a date or time"), ("Mar 5", "a date or time"),
    ("6:30 pm", "a date or time"), ("12/03/2026", "a date or time"),
    ("Read more", "a page control or document link"), ("Show more »", "a page control or document link"),
    ("Register now", "a page control or document link"), ("Agenda", "a page control or document link"),
    ("Minutes", "a page control or document link"), ("Agenda Packet", "a page control or document link"),
    ("Supplemental materials", "a page control or document link"), ("New date", "a page control or document link"),
    ("Meeting", "a column label"), ("Meeting type:", "a column label"),
    ("Posted", "a page control or document link"), ("Last updated:", "a page control or document link"),
    ("2027 Meeting Dates:", "the label of a schedule"), ("Meeting Schedule", "the label of a schedule"),
    ("Meeting Times", "the label of a schedule"), ("Schedule (2027)", "the label of a schedule"),
    ("Meeting Date & Time", "the label of a schedule"), ("Upcoming Meetings", "the label of a schedule"),
    ("2027 Meetings", "the label of a schedule"),
    ("", "empty"), ("---", "no words"),
    # a row of tabs or controls read as one text, a status, an address, a share button
    ("Agendas Minutes", "a row of page controls or tabs"), ("Agenda | Packet | Video", "a row of page controls or tabs"),
    ("No board meeting", "a page control or document link"), ("Cancellation", "a page control or document link"),
    ("Share on Facebook", "a page control or document link"),
    ("View recorded meeting", "a page control or document link"), ("Watch Livestream", "a page control or document link"),
    ("clerk@city.example.gov", "an e-mail or web address"), ("https://example.org/meetings", "an e-mail or web address"),
])
def test_what_is_not_a_title_is_named(text, problem):
    assert title_problem(text) == problem


@pytest.mark.parametrize("text", [
    "Board of Commissioners Regular Meeting", "SHRM Atlanta: HR Leaders Breakfast", "March Madness Mixer",
    "2026 Annual Conference", "Free Resume Review Clinic", "Agenda Setting for Product Managers",
    "Ethics CPE – CANCELLED / Online", "Board Meeting", "Meet the Minutes-Takers Guild",
    "Times Square Meetup", "Calendar Committee", "Schedule C Tax Workshop",
    "Minutes and Agendas Committee", "New Member Orientation", "Board and Committee Meetings", "Open House",
])
def test_real_titles_pass(text):
    assert title_problem(text) is None


def test_the_site_name_is_no_title_of_its_events():
    assert title_problem("Atlanta Marketing Association", site_name="atlanta marketing  association") \
        == "the site's own name"
    assert best_title(["Atlanta Marketing Association", "$10", "Brand Strategy Night"],
                      site_name="Atlanta Marketing Association") == "Brand Strategy Night"
    assert best_title(["Read more", None, "12 PM"]) == ""


def test_a_name_on_most_cards_is_the_sites_name():
    assert repeated_name(["Acme Chapter", "Acme Chapter", "Acme Chapter", "Spring Gala"]) == "Acme Chapter"
    assert repeated_name(["Acme Chapter", "Spring Gala", "Fall Mixer"]) is None
    assert repeated_name(["Acme Chapter", "Acme Chapter"]) is None


def test_a_shared_title_gives_way_only_to_a_better_one_in_the_same_record():
    from eventscout.scrapers.titles import distinct_titles

    # the site's name on every record, the event's own name one field over
    named = [["Atlanta AMA", "Content Lab"], ["Atlanta AMA", "SEO Hours"], ["Atlanta AMA", "Social"]]
    assert distinct_titles(named) == ["Content Lab", "SEO Hours", "Social"]
    # a monthly meeting is its name: with nothing better beside it, the shared title stays
    monthly = [["Monthly Chapter Meeting"], ["Monthly Chapter Meeting"], ["Monthly Chapter Meeting"]]
    assert distinct_titles(monthly) == ["Monthly Chapter Meeting"] * 3
    # prices and controls give way to the next candidate; the site's own name is refused
    assert distinct_titles([["$25", "Networking Night"], ["Read more", "Finance Forum"]]) == [
        "Networking Night", "Finance Forum"]
    assert distinct_titles([["Buckhead Guild"]], site_name="Buckhead Guild") == [""]


@pytest.mark.parametrize("url, title", [
    ("https://example.org/events/spring-networking-mixer/", "Spring Networking Mixer"),
    ("https://example.org/events/2026/3/5/cpa-ethics-cpe", "Cpa Ethics Cpe"),
    ("https://example.org/event-5012345", ""), ("https://example.org/events/?id=7", ""),
    ("https://example.org/events/read-more", ""),
])
def test_a_title_from_the_words_of_a_url(url, title):
    from eventscout.scrapers.titles import title_from_url

    assert title_from_url(url) == title


def test_a_calendar_row_of_numbers_is_checked_at_once():
    """A run of day numbers ending in a word once made the date check try every way to cut it."""
    row = " ".join(str(n) for n in range(1, 32)) + " Board meeting"
    assert title_problem(row) is None
    assert title_problem("Tuesday, Sept. 3rd, 2024 6:00pm–8:00pm") == "a date or time"
    assert title_problem("Thurs. Jan 1 at noon") == "a date or time"
