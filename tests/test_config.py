"""A broken sources file is reported with file, line and fix, before anything is fetched."""

from __future__ import annotations

import re

import pytest

from eventscout.flows.config import ConfigError, load_config, parse_config

GOOD = """\
sources:
  - id: tag
    name: Technology Association of Georgia
    url: https://example.org/events/
    industries: [Technology]
    location: Atlanta, GA
    timezone: America/New_York
feeds:
  - id: atlanta-tech
    title: Atlanta tech
    industries: [technology]
    city: Atlanta, GA
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "sources.yaml")
    return info.value.problems


def test_a_good_file_loads_with_industries_normalised():
    config = parse_config(GOOD)
    assert config.sources[0].industries == ["technology"]
    assert config.feeds[0].radius_km == 40 and config.feeds[0].include_online is True


def test_an_unknown_key_names_its_line_and_the_fix():
    (problem,) = problems(GOOD.replace("    timezone: America/New_York\n",
                                       "    timezone: America/New_York\n    colour: blue\n"))
    assert problem.startswith("sources.yaml:8: sources[0].colour: unknown key 'colour'")
    assert "remove it" in problem


def test_a_duplicate_id_is_refused():
    text = GOOD.replace("feeds:", """\
  - id: tag
    name: Again
    url: https://example.org/other/
feeds:""")
    assert any("duplicate source id 'tag'" in p for p in problems(text))


BROKEN = """\
sources:
  - id: pmi-atlanta
    name: PMI Atlanta
    url: https://example.org/pmi/
    location: Atlantis, ZZ
  - id: ama
    name: AMA Atlanta
    url: https://example.org/ama/
    timezone: America/Atlanta
  - id: pmi-atlanta
    name: PMI Georgia
    url: https://example.org/pmi-ga/
    timezon: America/New_York
feeds:
  - id: all
    title: Everything
"""


def test_a_broken_file_gets_every_problem_in_one_pass_each_at_its_line_with_the_right_suggestion():
    assert problems(BROKEN) == [
        "sources.yaml:5: sources[0].location: cannot place 'Atlantis, ZZ': 'ZZ' is no state, province or country "
        "code (like it: 'AZ', 'AB', 'AK'); write it as 'City, ST' or 'City, Country', e.g. 'Atlanta, GA'",
        "sources.yaml:9: sources[1].timezone: unknown time zone 'America/Atlanta'; Atlanta is in "
        "America/New_York: write timezone: America/New_York",
        "sources.yaml:10: sources[2].id: duplicate source id 'pmi-atlanta' (first at line 2); give each source "
        "its own id",
        "sources.yaml:13: sources[2].timezon: unknown key 'timezon'; did you mean 'timezone'?",
    ]


@pytest.mark.parametrize(("zone", "suggested"), [
    ("America/Nwe_York", "use an IANA name such as America/New_York"),
    ("Europe/Munich", "Munich is in Europe/Berlin: write timezone: Europe/Berlin"),
    ("US/Chicago", "Chicago is in America/Chicago"),
])
def test_an_unknown_zone_is_answered_by_its_city_or_by_similar_names(zone, suggested):
    (problem,) = problems(GOOD.replace("America/New_York", zone))
    assert suggested in problem, problem


@pytest.mark.parametrize("place", ["Sydney, NSW", "London, UK", "Toronto, ON", "Atlanta, GA 30303", "Berlin, DE"])
def test_places_written_as_people_write_them_still_pass(place):
    assert parse_config(GOOD.replace("location: Atlanta, GA", f"location: {place}")).sources[0].location == place


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("url: https://example.org/events/", "url: ftp://example.org/events/", "sources.yaml:4: sources[0].url: 'ftp://"),
    ("timezone: America/New_York", "timezone: America/Atlanta", "unknown time zone 'America/Atlanta'"),
    ("location: Atlanta, GA", "location: Qzxwv, ZZ", "cannot place 'Qzxwv, ZZ'"),
    ("id: tag", "id: TAG Atlanta", "'TAG Atlanta' is not a valid id"),
    ("    industries: [technology]\n    city", "    industries: [tecnology]\n    city", "tecnology"),
])
def test_bad_values_are_reported_with_their_line(old, new, expected):
    found = problems(GOOD.replace(old, new, 1))
    assert any(expected in p for p in found), found
    assert all(p.startswith("sources.yaml:") for p in found)


def test_broken_yaml_names_the_line():
    (problem,) = problems(GOOD.replace("    name: Technology", "   name: [Technology"))
    assert problem.startswith("sources.yaml:") and "not valid YAML" in problem


def test_a_missing_file_says_how_to_fix_it(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml")
    assert "--sources" in str(info.value)


def test_the_shipped_sources_file_is_valid():
    from pathlib import Path

    config = load_config(Path(__file__).resolve().parents[1] / "sources.yaml")
    assert len(config.sources) >= 12 and config.feeds


def test_a_public_url_for_subscribe_links_is_checked():
    config = parse_config("settings: {public_url: 'https://feeds.example.org/events/'}\n")
    assert config.settings.public_url == "https://feeds.example.org/events"
    for bad, reason in (("javascript:alert(1)", "is not a public URL"), ("feeds.example.org", "is not a public URL"),
                        ("https://feeds.example.org/?x=1", "has no query, fragment or user name"),
                        ("https://user:pw@feeds.example.org", "has no query, fragment or user name")):
        with pytest.raises(ConfigError, match=re.escape(reason)):
            parse_config(f"settings: {{public_url: '{bad}'}}\n")


def test_a_keyword_is_at_most_200_characters():
    feeds = "feeds:\n  - {id: long, title: Long, keywords: ['%s']}\n"
    assert parse_config(feeds % ("k" * 200)).feeds[0].keywords == ["k" * 200]
    with pytest.raises(ConfigError, match="is 201 characters long; keep each keyword to 200 characters or fewer"):
        parse_config(feeds % ("k" * 201))
