from datetime import date, datetime

from eventscout.scrapers import extract_page
from eventscout.scrapers.recipe import read as recipe_read
from tests.pages import by_title, page

RECIPE = {"event": ".ev", "title": "h3", "link": "a@href", "start": ".date", "end": ".end",
          "location": ".venue", "language": "en"}


def read(recipe, **kw):
    return extract_page(page("recipe_listing.html", recipe=recipe, **kw), format="recipe")


def test_free_text_dates_times_and_places():
    ev = by_title(read(RECIPE).events)
    lunch = ev["Monthly Luncheon"]
    assert (lunch.start, lunch.end) == (datetime(2024, 6, 5, 12, 0), datetime(2024, 6, 5, 13, 30))
    assert lunch.url == "https://assoc.example/lunch" and lunch.location.city == "Cleveland"
    assert ev["Golf Outing"].start == date(2024, 8, 19)
    assert "No date" not in ev


def test_source_zone_is_applied_to_floating_times():
    lunch = by_title(read(RECIPE, timezone="America/New_York").events)["Monthly Luncheon"]
    assert lunch.timezone == "America/New_York" and lunch.start.hour == 12


def test_date_format_and_language():
    german = dict(RECIPE, language="de")
    assert by_title(read(german).events)["Stammtisch"].start == datetime(2024, 6, 5, 19, 0)
    fixed = dict(RECIPE, date_format="%B %d, %Y")
    assert by_title(read(fixed).events)["Golf Outing"].start == date(2024, 8, 19)


def test_bad_or_missing_recipes_match_nothing_without_raising():
    for recipe in (None, {}, {"event": "[[["}, {"event": ".none", "title": "h3"}, {"event": ".ev", "title": ":::"}):
        assert recipe_read(page("recipe_listing.html", recipe=recipe)) == []
