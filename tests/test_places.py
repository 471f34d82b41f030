"""Place strings as sources write them, resolved offline to a city with coordinates."""

import json
import re
from pathlib import Path

import pytest

from eventscout.flows.knowledge.places import distance_km, geocode, looks_online, resolve_location
from eventscout.scrapers.event import Location

# ../shared/corpus from the project root (also found from a git worktree deeper down).
CORPUS = next((parent / "shared" / "corpus" for parent in Path(__file__).resolve().parents[1].parents
               if (parent / "shared" / "corpus").is_dir()), Path("/nonexistent"))

ATLANTA = ("Atlanta", "GA", "US", 33.749, -84.388)
CHICAGO = ("Chicago", "IL", "US", 41.850, -87.650)
PORTLAND = ("Portland", "OR", "US", 45.523, -122.676)
SAINT_PAUL = ("Saint Paul", "MN", "US", 44.944, -93.093)


@pytest.mark.parametrize("text, expected", [
    ("Atlanta, Georgia", ATLANTA),
    ("Atlanta, GA", ATLANTA),
    ("ATL", ATLANTA),
    ("Atlanta GA 30308", ATLANTA),
    ("Buckhead Club, 3344 Peachtree Rd, Atlanta, GA 30326", ATLANTA),
    ("atlanta, ga", ATLANTA),
    # iCalendar LOCATION lines (Calagator, Minneapolis-St Paul schools)
    ("1700 Summit Ave, St Paul, MN", SAINT_PAUL),
    ("Como Park Senior High, 740 Rose Ave W, St Paul, MN 55117, USA", SAINT_PAUL),
    ("Cube Space, 622 SE Grand Avenue, Portland, OR, 97214 ", PORTLAND),
    ("107 SE Washington St, Suite 520, Portland, Oregon", PORTLAND),
    ("PNCA room 205 (main building) in Portland, OR", PORTLAND),
    # City Scrapers listings: no comma between street and city, doubled streets, "CA." with a dot
    ("10th District Police Station 3315 W. Ogden Ave. Chicago, IL", CHICAGO),
    ("Board's Conference Room Suite 800, 69 West Washington Street, Chicago, Illinois", CHICAGO),
    ("QBG Foundation 806 East 78th Street, Chicago IL 60619", CHICAGO),
    ("BRT Office 601 Walnut St. Suite 325 East Philadelphia, PA 19106",
     ("Philadelphia", "PA", "US", 39.952, -75.164)),
    ("415 Leonard Street NW 415 Leonard Street NW, Grand Rapids, MI  49504",
     ("Grand Rapids", "MI", "US", 42.963, -85.668)),
    ("1260 Fulton Street (2nd Floor), Fresno, CA. 93721", ("Fresno", "CA", "US", 36.748, -119.772)),
    # Same name, different places: the region decides, else the most populous
    ("Portland", PORTLAND),
    ("Portland, ME", ("Portland", "ME", "US", 43.661, -70.255)),
    ("Dublin", ("Dublin", None, "IE", 53.333, -6.249)),
    ("Dublin, OH", ("Dublin", "OH", "US", 40.099, -83.114)),
    ("London, UK", ("London", None, "GB", 51.509, -0.126)),
    ("London, Ontario", ("London", "ON", "CA", 42.983, -81.233)),
    ("Toronto, ON M5V 2T6", ("Toronto", "ON", "CA", 43.706, -79.399)),
    ("Tbilisi, Georgia", ("Tbilisi", None, "GE", 41.691, 44.834)),     # Georgia the country
    ("Washington, D.C.", ("Washington", "DC", "US", 38.895, -77.036)),
    ("Seattle, Washington", ("Seattle", "WA", "US", 47.606, -122.332)),
    ("New York, NY 10001", ("New York City", "NY", "US", 40.714, -74.006)),
    ("NYC", ("New York City", "NY", "US", 40.714, -74.006)),
    ("LA", ("Los Angeles", "CA", "US", 34.052, -118.244)),
    ("Baton Rouge, LA", ("Baton Rouge", "LA", "US", 30.443, -91.187)),   # LA the state here
    ("Ft. Lauderdale, FL", ("Fort Lauderdale", "FL", "US", 26.122, -80.143)),
    ("Winston-Salem, NC", ("Winston-Salem", "NC", "US", 36.100, -80.244)),
    ("Montreal, QC", ("Montréal", "QC", "CA", 45.509, -73.588)),
])
def test_geocode_real_world_place_strings(text, expected):
    city, region, country, lat, lon = expected
    place = geocode(text)
    assert place is not None, text
    assert (place.city, place.region, place.country) == (city, region, country)
    assert distance_km(place.lat, place.lon, lat, lon) < 5


@pytest.mark.parametrize("text", [
    "Online", "Virtual", "Zoom", "Virtual Meeting", "TBD", "see website", "Germany", "Georgia",
    "1819 Farnam Street",                      # a street with no city
    "Hot Lips NW Pearl",                       # "Pearl" is a city in Mississippi, not here
    "Lincoln Ave",                             # nor is a street named after a city
    "Portland State University, Smith Memorial Center, Room 294",
    "", None, "x" * 5000,
])
def test_geocode_gives_none_when_no_city_is_named(text):
    assert geocode(text) is None


@pytest.mark.parametrize("text, online", [
    ("Online", True), ("Virtual", True), ("Zoom webinar", True), ("Microsoft Teams", True),
    ("Virtual Meeting", True), ("Livestream on YouTube", True),
    ("Hybrid: Atlanta Tech Village and Zoom", False),
    ("In person or online", False),
    ("Zoom Room, 123 Main Street, Atlanta, GA", False),
    ("Buckhead Club, Atlanta", False), ("", False), (None, False),
])
def test_looks_online(text, online):
    assert looks_online(text) is online


def test_distance_km():
    assert distance_km(33.749, -84.388, 33.749, -84.388) == 0
    # Atlanta to Chicago is about 945 km
    assert 930 < distance_km(33.749, -84.388, 41.850, -87.650) < 960


def test_resolve_location_fills_from_city_and_region_and_keeps_source_coordinates():
    source = Location(name="Buckhead Club", city="Atlanta", region="Georgia", lat=33.85, lon=-84.36)
    resolved = resolve_location(source)
    assert resolved is not source
    assert (resolved.city, resolved.region, resolved.country) == ("Atlanta", "GA", "US")
    assert (resolved.lat, resolved.lon) == (33.85, -84.36)
    assert resolved.name == "Buckhead Club"
    assert source.region == "Georgia"          # the source's location is left as it was


def test_resolve_location_reads_the_street_when_no_city_is_given():
    source = Location(name="Buckhead Club", street="3344 Peachtree Rd, Atlanta, GA 30326")
    resolved = resolve_location(source)
    assert (resolved.city, resolved.region, resolved.country) == ("Atlanta", "GA", "US")
    assert distance_km(resolved.lat, resolved.lon, 33.749, -84.388) < 1


def test_resolve_location_uses_the_gazetteer_spelling():
    resolved = resolve_location(Location(city="St Paul", region="MN", postal_code="55102", country="USA"))
    assert (resolved.city, resolved.region, resolved.country, resolved.postal_code) == (
        "Saint Paul", "MN", "US", "55102")


def test_resolve_location_leaves_what_it_cannot_resolve():
    assert resolve_location(None) is None
    online = Location(name="Zoom")
    assert resolve_location(online) == online
    small_town = Location(city="Treuchtlingen", country="Deutschland")
    assert resolve_location(small_town) == small_town


def test_every_listing_location_with_a_state_resolves_in_that_state():
    labels = CORPUS / "listings" / "labels.jsonl"
    if not labels.exists():
        pytest.skip("shared corpus not present")
    locations = {event["location"] for line in labels.read_text().splitlines() if line.strip()
                 for event in json.loads(line)["events"] if event.get("location")}
    with_state = [(text, m.group(1)) for text in locations
                  if (m := re.search(r",\s*([A-Z]{2})\b", text))]
    assert len(with_state) > 50
    missed = [(text, geocode(text)) for text, state in with_state
              if not geocode(text) or geocode(text).region != state]
    assert missed == []


@pytest.mark.parametrize("text, city, region", [
    ("Blue Ridge, GA", "Blue Ridge", "GA"),
    ("Fellowship Hall, 12 Church St, Dahlonega, GA 30533", "Dahlonega", "GA"),
    ("Town Hall, Goddard, KS", "Goddard", "KS"),
    ("Goddard, MD", "Goddard", "MD"),
    ("Canmore, AB", "Canmore", "AB"),
])
def test_a_small_town_is_found_when_its_state_follows_it(text, city, region):
    place = geocode(text)
    assert (place.city, place.region) == (city, region), place


@pytest.mark.parametrize("text", ["Community Center, TX", "Main Street, MD"])
def test_a_venue_word_before_a_state_is_not_taken_for_a_small_town(text):
    place = geocode(text)
    assert place is None or place.city not in ("Center", "Main Street"), place


def test_the_gazetteer_index_is_kept_in_the_data_folder_and_rebuilt_when_broken(eventscout_home):
    """A run reads the index a run before it built; the other-names part only when a name needs it."""
    from eventscout.flows.knowledge import places

    places._gazetteer.cache_clear()
    places.geocode.cache_clear()
    try:
        assert places.geocode("Atlanta, GA").city == "Atlanta"  # built, then written
        core, other_names, towns = places._index_paths()
        assert core.parent == eventscout_home / "cache" and core.exists() and other_names.exists()
        assert not towns.exists(), "a city the core knows needs no towns"
        assert places.geocode("Blue Ridge, GA").city == "Blue Ridge" and towns.exists()

        places._gazetteer.cache_clear()
        places.geocode.cache_clear()
        assert places.geocode("Saint Paul, MN").city == "Saint Paul"
        assert places._gazetteer()._alternate is None, "a city's own name needs only the core"
        assert places.geocode("Muenchen").city == "Munich"  # an other name: that part is read now

        core.write_bytes(b"not an index")
        other_names.write_bytes(b"")
        places._gazetteer.cache_clear()
        places.geocode.cache_clear()
        assert places.geocode("Muenchen").city == "Munich"
    finally:
        places._gazetteer.cache_clear()
        places.geocode.cache_clear()
