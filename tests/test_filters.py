"""Each feed filter admits and rejects the events a job seeker means, and says why.

Events are built as the pipeline leaves them (places resolved, industries and
types with reasons); each filter is tried alone, then the sources file rejects
bad values with their line and the nearest valid ones.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from eventscout.flows.config import ConfigError, Feed, Source, parse_config
from eventscout.flows.publishing.filters import BySource, explain, keyword_pattern, select, source_ids, unjudged
from eventscout.flows.knowledge.places import resolve_location
from eventscout.flows.store import StoredEvent
from eventscout.scrapers.event import HYBRID, ONLINE, Event, Location

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
SOURCES = [Source(id="shrm", name="SHRM", url="https://shrm.example.org/", scope="national"),
           Source(id="shrm-atlanta", name="SHRM Atlanta", url="https://atl.example.org/", scope="regional"),
           Source(id="tag", name="TAG", url="https://tag.example.org/", scope="regional")]


def stored(title: str = "HR Leaders Breakfast", *, days: float = 5, city: str | None = "Atlanta, GA",
           online: str = "in-person", source: str = "shrm-atlanta", description: str = "",
           industries: dict[str, str] | None = None, types: dict[str, str] | None = None,
           location: Location | None = None, duplicates: list[Event] | None = None) -> StoredEvent:
    if location is None and city:
        location = resolve_location(Location(name="Venue", city=city))
    industries = {"human-resources": f"source {source} lists it"} if industries is None else industries
    types = {"meetup": 'title mentions "Breakfast"'} if types is None else types
    event = Event(title=title, start=NOW + timedelta(days=days), description=description, location=location,
                  online=online, source_id=source, key=title, industries=list(industries),
                  industry_reasons=industries, event_types=list(types), event_type_reasons=types)
    return StoredEvent(event, 0, NOW, NOW, duplicates or [])


def verdict(feed: Feed, event: StoredEvent, check: str):
    return next(v for v in explain(feed, event, NOW, SOURCES) if v.check == check)


def feed(**filters) -> Feed:
    return Feed(id="f", title="F", **filters)


def test_a_feed_without_filters_holds_every_upcoming_event():
    events = [stored(), stored("Past", days=-2), stored("Online", city=None, online=ONLINE)]
    assert [s.event.title for s in select(feed(), events, NOW, SOURCES)] == ["HR Leaders Breakfast", "Online"]


@pytest.mark.parametrize(("filters", "check", "event", "admitted", "reason"), [
    ({"days_ahead": 7}, "days_ahead", stored(days=5), True, "starts in 5 days (within 7)"),
    ({"days_ahead": 7}, "days_ahead", stored(days=20), False, "starts in 20 days (beyond 7)"),
    ({"industries": ["HR"]}, "industry", stored(), True, "human-resources (source shrm-atlanta lists it)"),
    ({"industries": ["technology"]}, "industry", stored(), False, "industries (human-resources) are not any of technology"),
    ({"event_types": ["job fair", "meetup"]}, "event_types", stored(), True, 'meetup (title mentions "Breakfast")'),
    ({"event_types": ["webinar"]}, "event_types", stored(), False, "types (meetup) are not any of webinar"),
    ({"event_types": ["webinar"]}, "event_types", stored(types={}), False, "types (none recognised)"),
    ({"keywords": ["leaders", "AI"]}, "keywords", stored(), True, 'title mentions "Leaders"'),
    ({"keywords": ["payroll"]}, "keywords", stored(description="A talk on Payroll  tax."), True,
     'description mentions "Payroll"'),
    ({"keywords": ["lead"]}, "keywords", stored(), False, "mentions none of lead"),
    ({"exclude_keywords": ["breakfast"]}, "exclude_keywords", stored(), False, 'title mentions "Breakfast", an excluded keyword'),
    ({"exclude_keywords": ["lunch and learn"]}, "exclude_keywords", stored(description="lunch\nand learn"), False,
     'description mentions "lunch\nand learn"'),
    ({"exclude_keywords": ["webinar"]}, "exclude_keywords", stored(), True, "mentions no excluded keyword"),
    ({"scope": "regional"}, "scope", stored(), True, "shrm-atlanta is a regional source"),
    ({"scope": "national"}, "scope", stored(), False, "not from a national source (shrm-atlanta is regional)"),
    ({"sources": ["shrm-atlanta"]}, "sources", stored(), True, "posted by shrm-atlanta"),
    ({"sources": ["tag"]}, "sources", stored(), False, "posted by shrm-atlanta, which is not one of tag"),
    ({"exclude_sources": ["shrm-atlanta"]}, "sources", stored(), False, "which is excluded by shrm-atlanta"),
])
def test_each_filter_admits_or_rejects_with_its_reason(filters, check, event, admitted, reason):
    found = verdict(feed(**filters), event, check)
    assert found.admitted is admitted and reason in found.reason, found


def reference_match(words: list[str], text: str) -> str | None:
    """The earliest, then longest, whole-word match of any word: what keyword matching means, said plainly."""
    found = []
    for word in words:
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, word.split())) + r"(?!\w)"
        found += [(m.start(), -len(m.group(0)), m.group(0)) for m in re.finditer(pattern, text, re.IGNORECASE)]
    return min(found)[2] if found else None


@pytest.mark.parametrize("text", [
    "Intro to AI Ethics tonight", "data sciences and DATA", "Learn C# and .NET", "project\n  management 101",
    "FAIR play", "data-driven hiring", "word0042 and word2499", "word00 wordy word2500", "Straße party",
    "ai-ethics", "no keyword here", "worded word1",
])
def test_many_keywords_match_as_each_would_alone(text):
    words = ["AI", "ai ethics", "data", "data science", "C#", ".NET", "project management", "Straße",
             "word1", "word", *(f"word{i:04d}" for i in range(2500))]
    found = keyword_pattern(words).search(text)
    assert (found.group(0) if found else None) == reference_match(words, text)


def test_a_merged_event_is_from_every_source_that_posted_it():
    national_copy = stored(source="shrm").event
    merged = stored(source="shrm-atlanta", duplicates=[national_copy])
    assert verdict(feed(scope="national"), merged, "scope").admitted
    assert verdict(feed(scope="regional"), merged, "scope").admitted
    assert verdict(feed(exclude_sources=["shrm"]), merged, "sources").admitted, "the chapter posted it too"
    assert not verdict(feed(exclude_sources=["shrm", "shrm-atlanta"]), merged, "sources").admitted


def test_a_feed_of_listed_sources_is_judged_on_their_events_only_and_admits_the_same():
    """The pool of a feed with `sources:` holds every event one of them posted (merged ones too), in order."""
    national_copy = stored("Forum", source="shrm").event
    events = [stored("Summit", source="tag", days=1), stored("Forum", source="shrm-atlanta", days=2,
                                                             duplicates=[national_copy]),
              stored("Gala", source="shrm", days=3), stored("Mixer", source="tag", days=4)]
    by_source = BySource(events)
    for wanted in (["shrm"], ["tag"], ["shrm-atlanta", "tag"], ["unknown"]):
        chosen = feed(sources=wanted)
        pool = by_source.pool(chosen)
        assert select(chosen, pool, NOW, SOURCES) == select(chosen, events, NOW, SOURCES), wanted
        assert all(set(wanted) & set(source_ids(s)) for s in pool), wanted
    assert [s.event.title for s in by_source.pool(feed(sources=["shrm"]))] == ["Forum", "Gala"]
    assert [s.event.title for s in by_source.pool(feed(sources=["tag", "shrm"]))] == ["Summit", "Forum", "Gala",
                                                                                      "Mixer"]
    assert by_source.pool(feed()) is events


# -- place -----------------------------------------------------------------------------

DECATUR = stored("Decatur mixer", city="Decatur, GA")       # ~10 km from downtown Atlanta
ATHENS = stored("Athens mixer", city="Athens, GA")          # ~100 km
CHICAGO = stored("Chicago mixer", city="Chicago, IL")
TORONTO = stored("Toronto mixer", city="Toronto, Ontario")
WEBINAR = stored("Webinar", city=None, online=ONLINE)
HYBRID_CHICAGO = stored("Hybrid summit", city="Chicago, IL", online=HYBRID)
NOWHERE = stored("Roundtable", location=Location(name="Venue TBA"))
NO_PLACE = stored("Mystery", city=None)


@pytest.mark.parametrize(("filters", "inside", "outside"), [
    ({"city": "Atlanta, GA", "radius_km": 40}, [DECATUR, WEBINAR, HYBRID_CHICAGO], [ATHENS, CHICAGO]),
    ({"city": "Atlanta, GA", "radius_km": 150}, [DECATUR, ATHENS], [CHICAGO]),
    ({"cities": ["Decatur, GA", "Chicago"]}, [DECATUR, CHICAGO], [ATHENS, TORONTO]),
    ({"regions": ["Georgia"]}, [DECATUR, ATHENS], [CHICAGO, TORONTO]),
    ({"regions": ["ON", "IL"]}, [TORONTO, CHICAGO], [DECATUR]),
    ({"regions": ["Canada"]}, [TORONTO], [CHICAGO]),
    ({"city": "Atlanta, GA", "regions": ["IL"]}, [DECATUR, CHICAGO], [ATHENS, TORONTO]),
    # online and hybrid: online events match only when include_online; hybrid ones also by their place
    ({"city": "Atlanta, GA", "include_online": False}, [DECATUR], [WEBINAR, HYBRID_CHICAGO]),
    ({"city": "Chicago, IL", "include_online": False}, [HYBRID_CHICAGO, CHICAGO], [WEBINAR]),
    ({"include_online": False}, [DECATUR, NOWHERE], [WEBINAR]),
])
def test_place_filters(filters, inside, outside):
    chosen = {s.event.title for s in select(feed(**filters), [*inside, *outside], NOW, SOURCES)}
    assert chosen == {s.event.title for s in inside}


def test_place_reasons_name_the_distance_city_or_region():
    assert verdict(feed(city="Atlanta, GA"), DECATUR, "place").reason == \
        "Decatur is 9 km from Atlanta, GA (within 40 km)"
    assert verdict(feed(city="Atlanta, GA"), CHICAGO, "place").reason == \
        "Chicago is 945 km from Atlanta, GA (beyond 40 km)"
    assert verdict(feed(regions=["GA"]), ATHENS, "place").reason == "Athens is in GA"
    assert verdict(feed(cities=["Chicago"]), DECATUR, "place").reason == "Decatur is not one of the cities Chicago"


def test_events_without_a_resolvable_place_are_left_out_and_reported_not_silently_dropped():
    city_feed = feed(city="Atlanta, GA", industries=["human-resources"])
    for event in (NOWHERE, NO_PLACE):
        found = verdict(city_feed, event, "place")
        assert not found.admitted and found.undecided
    assert select(city_feed, [NOWHERE, NO_PLACE, DECATUR], NOW, SOURCES) == [DECATUR]
    assert unjudged(city_feed, [NOWHERE, NO_PLACE, DECATUR, WEBINAR], NOW, SOURCES) == [NOWHERE, NO_PLACE]
    # an event another filter rejects anyway is not reported as unjudged
    tech_feed = feed(city="Atlanta, GA", industries=["technology"])
    assert unjudged(tech_feed, [NOWHERE], NOW, SOURCES) == []
    # a feed without a place filter judges no place
    assert unjudged(feed(), [NOWHERE], NOW, SOURCES) == []


# -- the sources file --------------------------------------------------------------------

GOOD = """\
sources:
  - id: shrm
    name: SHRM
    url: https://shrm.example.org/events/
    scope: national
  - id: shrm-atlanta
    name: SHRM Atlanta
    url: https://atl.example.org/events/
feeds:
  - id: hr
    title: HR near me
    cities: ["Atlanta, GA", Decatur GA]
    regions: [Georgia, "ON"]
    days_ahead: 30
    keywords: [HR, " talent   acquisition "]
    exclude_keywords: [webinar]
    scope: regional
    sources: [shrm-atlanta]
    exclude_sources: [shrm]
    event_types: [Meetup, job fair]
"""


def test_every_new_filter_loads_and_is_normalised():
    (hr,) = parse_config(GOOD).feeds
    assert hr.cities == ["Atlanta, GA", "Decatur GA"] and hr.regions == ["Georgia", "ON"]
    assert hr.days_ahead == 30 and hr.keywords == ["HR", "talent acquisition"]
    assert hr.scope == "regional" and hr.sources == ["shrm-atlanta"] and hr.exclude_sources == ["shrm"]
    assert hr.event_types == ["meetup", "career-fair"]


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "sources.yaml")
    return info.value.problems


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("scope: regional", "scope: regoinal", "sources.yaml:17: feeds[0].scope: unknown scope 'regoinal'; "
                                           "use 'regional'"),
    ("event_types: [Meetup, job fair]", "event_types: [Meetup, webinr]",
     "sources.yaml:20: feeds[0].event_types: unknown event type 'webinr'; did you mean: webinar"),
    ("regions: [Georgia, \"ON\"]", "regions: [Georgia, Ontaro]",
     "sources.yaml:13: feeds[0].regions: unknown region 'Ontaro'; use a state, province or country such as "
     "'ontario'"),
    ("sources: [shrm-atlanta]", "sources: [shrm-atl]",
     "sources.yaml:18: feeds[0].sources: unknown source 'shrm-atl'; did you mean 'shrm-atlanta'"),
    ("exclude_sources: [shrm]", "exclude_sources: [shrn]",
     "sources.yaml:19: feeds[0].exclude_sources: unknown source 'shrn'; did you mean 'shrm'"),
    ("cities: [\"Atlanta, GA\", Decatur GA]", "cities: [Atlanta, GA]",
     "sources.yaml:12: feeds[0].cities: cannot place 'GA'; write it as 'City, ST'"),
    ("regions: [Georgia, \"ON\"]", "regions: [Georgia, ON]",
     "sources.yaml:13: feeds[0].regions: YAML read an unquoted word as true"),
    ("days_ahead: 30", "days_ahead: -3", "sources.yaml:14: feeds[0].days_ahead: Input should be greater than 0"),
    ("days_ahead: 30", "days_ahead: soon", "sources.yaml:14: feeds[0].days_ahead: Input should be a valid integer"),
    ("exclude_keywords: [webinar]", "exclude_keywords: [webinar, '  ']",
     "feeds[0].exclude_keywords: an empty keyword matches everything"),
])
def test_bad_filter_values_name_their_line_and_the_nearest_valid_ones(old, new, expected):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    found = problems(text)
    assert any(expected in p for p in found), found
