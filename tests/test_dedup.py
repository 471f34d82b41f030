"""The same event from several sources becomes one; different events stay apart."""

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from eventscout.flows.reading.dedup import duplicate_groups, merge_duplicates
from eventscout.flows.knowledge.places import resolve_location
from eventscout.scrapers.event import HYBRID, ONLINE, Event, Location

ET = ZoneInfo("America/New_York")
SIX_PM = datetime(2026, 3, 12, 18, 0, tzinfo=ET)


def event(title: str, source: str, start=SIX_PM, **fields) -> Event:
    return Event(title=title, start=start, source_id=source, key=f"{source}:{title}:{start}",
                 url=f"https://{source}.example.org/events/{'-'.join(title.lower().split())}", **fields)


BUCKHEAD = Location(name="Buckhead Club", street="3344 Peachtree Rd NE, Suite 2600", city="Atlanta", region="GA")


MERGE = {
    "same venue, one title adds the city": (
        event("Networking Night", "ama", location=BUCKHEAD),
        event("Networking Night - Atlanta", "chamber", location=Location(name="The Buckhead Club", city="Atlanta"))),
    "same street address written differently, 15 minutes apart": (
        event("Spring Mixer", "ama", location=Location(street="3344 Peachtree Road", city="Atlanta")),
        event("Spring Mixer", "shrm", start=SIX_PM + timedelta(minutes=15),
              location=Location(name="Buckhead Club, 3344 Peachtree Rd NE, Atlanta, GA 30326"))),
    "coordinates 60 m apart, title with a typo": (
        event("Cybersecurity Roundtable", "issa", location=Location(name="Ponce City Market", lat=33.7726, lon=-84.3655)),
        event("Cyber-security Roundtable", "isaca",
              location=Location(name="PCM Rooftop", lat=33.7731, lon=-84.3653))),
    "both online, the same instant written in UTC": (
        event("Webinar: Pricing Strategy", "pma", online=ONLINE),
        event("Pricing Strategy", "meetup", start=datetime(2026, 3, 12, 22, 0, tzinfo=ZoneInfo("UTC")),
              location=Location(name="Zoom"))),
    "either side of a half hour, coordinates 45 m apart across a grid line": (
        event("Product Meetup", "pma", start=SIX_PM + timedelta(minutes=25),
              location=Location(name="Rooftop", lat=33.79990, lon=-84.3655)),
        event("Product Meetup", "meetup", start=SIX_PM + timedelta(minutes=35),
              location=Location(name="The Terrace", lat=33.80030, lon=-84.3655))),
    "all-day conference on the same date at the same venue": (
        event("DevOpsDays Atlanta", "devops", start=date(2026, 4, 20), location=Location(name="Georgia Aquarium")),
        event("DevOpsDays Atlanta 2026", "techweek", start=date(2026, 4, 20),
              location=Location(name="Georgia Aquarium", city="Atlanta"))),
}

KEEP_APART = {
    "same hour, same city, different venues": (
        event("Networking Night", "ama", location=BUCKHEAD),
        event("Networking Night", "pmi", location=Location(name="Atlanta Tech Village", street="3423 Piedmont Rd NE",
                                                            city="Atlanta"))),
    "same venue, 45 minutes apart": (
        event("Networking Night", "ama", location=BUCKHEAD),
        event("Networking Night", "pmi", start=SIX_PM + timedelta(minutes=45), location=BUCKHEAD)),
    "same venue and time, different titles": (
        event("Board Meeting", "ama", location=BUCKHEAD),
        event("Women in Tech Happy Hour", "wit", location=BUCKHEAD)),
    "parallel sessions": (
        event("Session 1: Marketing Analytics", "conf", location=BUCKHEAD),
        event("Session 2: Marketing Analytics", "conf", location=BUCKHEAD)),
    "same street number in different cities": (
        event("Spring Mixer", "ama", location=Location(street="100 Main St", city="Atlanta")),
        event("Spring Mixer", "ama2", location=Location(street="100 Main St", city="Decatur"))),
    "online and in person": (
        event("Pricing Strategy", "pma", online=ONLINE),
        event("Pricing Strategy", "meetup", location=BUCKHEAD)),
    "no place known for either": (
        event("Networking Night", "ama"),
        event("Networking Night", "pmi")),
    "city-centre coordinates filled in by the gazetteer are not a venue": (
        event("Networking Night", "ama", location=resolve_location(Location(name="Hotel A", city="Atlanta"))),
        event("Networking Night", "pmi", location=resolve_location(Location(name="Hotel B", city="Atlanta", region="GA")))),
}


@pytest.mark.parametrize("name", MERGE)
def test_duplicates_merge(name):
    first, second = MERGE[name]
    merged = merge_duplicates([first, second])
    assert len(merged) == 1, name
    assert set(merged[0].links) == {first.url, second.url}


@pytest.mark.parametrize("name", KEEP_APART)
def test_different_events_stay_apart(name):
    assert len(merge_duplicates(list(KEEP_APART[name]))) == 2, name


@pytest.mark.parametrize("name", MERGE)
def test_duplicates_are_found_among_many_events_with_places_of_their_own(name):
    """Events alone at their place that half hour are not compared; the pair still is."""
    crowd = [event(f"Evening {n}", f"src{n}", start=SIX_PM + timedelta(minutes=n),
                   location=Location(name=f"Hall {n}", lat=33.70 + n * 0.01, lon=-84.40)) for n in range(60)]
    groups = duplicate_groups(crowd[:30] + list(MERGE[name]) + crowd[30:])
    assert sorted(len(g) for g in groups) == [1] * 60 + [2], name


def test_merged_id_is_the_same_whatever_the_input_order():
    a = event("Networking Night", "ama", location=BUCKHEAD, description="")
    b = event("Networking Night - Atlanta", "chamber", location=Location(name="Buckhead Club", city="Atlanta"),
              description="Join us.", end=SIX_PM + timedelta(hours=2))
    c = event("Networking Night", "shrm", start=SIX_PM + timedelta(minutes=20),
              location=Location(name="Buckhead Club", lat=33.8485, lon=-84.3700))
    results = [merge_duplicates(list(order)) for order in itertools.permutations([a, b, c])]
    ids = {result[0].id for result in results}
    assert all(len(result) == 1 for result in results)
    assert ids == {min(a.id, b.id, c.id)}
    assert len({tuple(result[0].links) for result in results}) == 1
    merged = results[0][0]
    assert merged.end == SIX_PM + timedelta(hours=2)            # gaps filled from the others
    assert merged.description == "Join us."
    assert merged.location.lat == 33.8485


def test_groups_list_every_reading_with_the_representative_first():
    a, b = MERGE["same venue, one title adds the city"]
    lone = event("Other", "x", location=BUCKHEAD, start=SIX_PM + timedelta(days=1))
    groups = duplicate_groups([lone, a, b])
    assert [len(g) for g in groups] == [1, 2]
    assert groups[1][0].id == min(a.id, b.id)


def test_hybrid_event_merges_with_its_in_person_reading():
    a = event("Product Summit", "pm", location=BUCKHEAD, online=HYBRID)
    b = event("Product Summit", "meetup", location=Location(street="3344 Peachtree Rd", city="Atlanta"))
    assert len(merge_duplicates([a, b])) == 1


def test_many_readings_of_one_event_in_one_hour_merge_and_numbered_ones_stay_apart():
    """The crowded hour benchmarks/stage_speed.py times: every copy is one event, every booth its own."""
    copies = [event("Networking Night", f"src{n}", online=ONLINE) for n in range(3000)]
    numbered = [event(f"Expo Booth {n}", "expo", location=BUCKHEAD) for n in range(3000)]
    merged = merge_duplicates(copies + numbered)
    assert len(merged) == 1 + 3000
    assert len(merged[0].links) == 3000
