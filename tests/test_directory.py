"""The directory of associations: the shipped file as a whole, its checks, matching, and `eventscout directory`."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from eventscout.flows.cli.commands import app
from eventscout.flows.knowledge.directory import (DIRECTORY_FILE, DirectoryError, is_read_by, load_directory,
                                                  parse_directory)
from eventscout.flows.knowledge.industries import VOCABULARY
from eventscout.flows.knowledge.places import distance_km, geocode

#: the 25 largest US metropolitan statistical areas (2020 census), by their main city
LARGEST_METROS = ["New York, NY", "Los Angeles, CA", "Chicago, IL", "Dallas, TX", "Houston, TX", "Washington, DC",
                  "Philadelphia, PA", "Miami, FL", "Atlanta, GA", "Boston, MA", "Phoenix, AZ", "San Francisco, CA",
                  "Riverside, CA", "Detroit, MI", "Seattle, WA", "Minneapolis, MN", "San Diego, CA", "Tampa, FL",
                  "Denver, CO", "Baltimore, MD", "St. Louis, MO", "Orlando, FL", "Charlotte, NC", "San Antonio, TX",
                  "Portland, OR"]
REACH_KM = 80


@pytest.fixture(scope="module")
def shipped():
    return load_directory()


def test_the_shipped_directory_validates_and_is_large_enough(shipped):
    assert shipped.path == DIRECTORY_FILE
    assert len(shipped.associations) >= 150
    names = Counter(a.name for a in shipped.associations)
    assert [n for n, count in names.items() if count > 1] == []


def test_every_industry_of_the_vocabulary_has_three_national_associations(shipped):
    national = Counter(i for a in shipped.associations if a.scope == "national" for i in a.industries)
    assert {i: national[i] for i in VOCABULARY.ids if national[i] < 3} == {}
    assert set(national) <= set(VOCABULARY.ids)


def test_every_entry_is_well_formed_unverified_and_says_where_it_came_from(shipped):
    for a in shipped.associations:
        home = urlsplit(a.home)
        assert home.scheme == "https" and "." in (home.hostname or "") and not home.query, a.name
        assert a.chapters is None or urlsplit(a.chapters).scheme == "https", a.name
        assert a.verified is False and len(a.source) > 10, a.name
        if a.scope == "regional":
            assert a.place is not None, a.name


def test_each_of_the_25_largest_metros_has_its_chamber_and_a_technology_or_business_group(shipped):
    missing = []
    for metro in LARGEST_METROS:
        city = geocode(metro)
        assert city is not None, metro
        near = [a for a in shipped.associations if a.place is not None
                and distance_km(city.lat, city.lon, a.place.lat, a.place.lon) <= REACH_KM]
        chambers = [a for a in near if a.kind == "chamber"]
        groups = [a for a in near if a.kind != "chamber" and {"technology", "entrepreneurship"} & set(a.industries)]
        if not chambers or not groups:
            missing.append(metro)
    assert missing == []


BAD = """\
associations:
  - name: Good One
    home: https://good.example.org/
    scope: national
    industries: [technology]
    source: its site
  - name: Nowhere Club
    home: https://nowhere.example.org/
    scope: regional
    industries: [basket weaving]
    region: Qwxzy, ZZ
    source: its site
  - name: Twin of Good One
    home: http://GOOD.example.org
    scope: national
    industries: [tech]
    source: its site
  - name: No Region
    home: not a url
    scope: regional
    industries: [marketing]
    source: its site
    verified: maybe
"""


def test_a_bad_directory_file_names_every_problem_with_its_line():
    with pytest.raises(DirectoryError) as caught:
        parse_directory(BAD, "coach.yaml")
    problems = caught.value.problems
    assert any(p.startswith("coach.yaml:7: associations[1] (Nowhere Club): industries") and "did you mean" in p
               for p in problems), problems
    assert any(p.startswith("coach.yaml:7:") and "cannot place 'Qwxzy, ZZ'" in p for p in problems), problems
    assert any(p.startswith("coach.yaml:13:") and "is also associations[0]'s (Good One)" in p for p in problems)
    assert any(p.startswith("coach.yaml:18:") and "'not a url' is not an http(s) URL" in p for p in problems)
    assert any(p.startswith("coach.yaml:18:") and "verified" in p for p in problems)
    assert len(problems) == 5, problems


def test_an_unknown_key_is_ignored_with_a_warning_naming_the_key_it_may_mean(cli, tmp_path):
    text = ("associations:\n  - name: Alpha Guild\n    home: https://alpha.example.org/\n    scope: national\n"
            "    industries: [sales]\n    chapter: https://alpha.example.org/chapters/\n    colour: blue\n")
    directory = parse_directory(text, "coach.yaml")
    assert directory.associations[0].chapters is None and directory.associations[0].source == ""
    assert directory.warnings == (
        "coach.yaml:2: associations[0]: unknown key 'chapter' is ignored; did you mean 'chapters'?",
        "coach.yaml:2: associations[0]: unknown key 'colour' is ignored; an entry has name, home, scope, "
        "industries, region, kind, chapters, source, verified")
    path = tmp_path / "coach.yaml"
    path.write_text(text)
    result = cli("directory", "--directory", str(path))
    assert result.exit_code == 0 and f"warning: {path}:2: associations[0]: unknown key 'chapter'" in result.output
    assert load_directory().warnings == ()


def test_a_regional_entry_needs_a_region_and_a_national_one_has_none():
    text = ("associations:\n  - {name: Alpha, home: 'https://a.example.org/', scope: regional, industries: [sales],"
            " source: its site}\n  - {name: Beta, home: 'https://b.example.org/', scope: national, industries: [sales],"
            " region: 'Denver, CO', source: its site}\n")
    with pytest.raises(DirectoryError) as caught:
        parse_directory(text)
    assert "needs a region" in caught.value.problems[0] and "has no region" in caught.value.problems[1]


def test_matching_takes_national_entries_of_the_industries_and_regional_ones_within_reach(shipped):
    denver = geocode("Denver, CO")
    found = shipped.matching(["technology"], denver)
    national = [m for m in found if m.association.scope == "national"]
    regional = [m for m in found if m.association.scope == "regional"]
    assert national and all("technology" in m.association.industries for m in national)
    assert [m.association.name for m in regional] == ["Colorado Technology Association"]
    assert found.index(national[-1]) < found.index(regional[0])
    # A wider radius reaches further, nearest first; no city means every regional entry.
    wide = [m for m in shipped.matching(["technology"], denver, radius_km=1500) if m.distance_km is not None]
    assert len(wide) > 1 and [m.distance_km for m in wide] == sorted(m.distance_km for m in wide)
    assert len(shipped.matching()) == len(shipped.associations)


def test_an_entry_is_read_when_a_source_is_on_its_site(shipped):
    tag = next(a for a in shipped.associations if a.home == "https://www.tagonline.org/")
    assert is_read_by(tag, ["https://tagonline.org/events/"])
    assert not is_read_by(tag, ["https://www.tagonline.org.example.com/events/", "https://atlanta.tagonline.org/"])


@pytest.fixture
def cli(eventscout_home):
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_the_directory_command_lists_everything_as_json(cli, shipped):
    result = cli("directory", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert len(entries) == len(shipped.associations) >= 150
    national = Counter(i for e in entries if e["scope"] == "national" for i in e["industries"])
    assert min(national[i] for i in VOCABULARY.ids) >= 3
    assert {"name", "home", "scope", "industries", "source", "verified"} <= set(entries[0])


def test_the_directory_command_filters_by_industry_and_city(cli):
    result = cli("directory", "--industry", "marketing,human-resources", "--city", "Atlanta, GA", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    regional = {e["name"]: e["distance_km"] for e in entries if e["scope"] == "regional"}
    assert regional == {"AMA Atlanta": 0.0, "SHRM Atlanta": 0.0}
    assert all({"marketing", "human-resources"} & set(e["industries"]) for e in entries)
    table = cli("directory", "--industry", "marketing", "--city", "Atlanta, GA")
    assert table.exit_code == 0 and "AMA Atlanta" in table.output and "https://www.ama.org/" in table.output


def test_the_directory_command_refuses_what_it_cannot_use(cli, tmp_path):
    assert "did you mean" in cli("directory", "--industry", "basket weaving").output
    assert "cannot place --city" in cli("directory", "--city", "Qwxzy").output
    broken = tmp_path / "coach.yaml"
    broken.write_text(BAD)
    result = cli("directory", "--directory", str(broken))
    assert result.exit_code == 2 and "the directory has 5 problem(s)" in result.output
    missing = cli("directory", "--directory", str(tmp_path / "none.yaml"))
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_directory_check_fetches_each_home_page_and_names_the_ones_that_fail_or_moved(cli, tmp_path):
    from tests.directory_sites import directory_yaml, servers

    with servers("up", "moved", "gone") as running:
        running["up"].serve("/", "<html><head><title>Up Society</title></head><body>Hi</body></html>")
        running["moved"].serve("/", "", status=301, headers={"Location": running["moved"].url + "/new-home/"})
        running["moved"].serve("/new-home/", "<html><head><title>Moved Guild</title></head><body></body></html>")
        path = tmp_path / "coach.yaml"
        path.write_text(directory_yaml([
            {"name": name, "home": running[key].url + "/", "scope": "national", "industries": ["sales"]}
            for key, name in (("up", "Up Society"), ("moved", "Moved Guild"), ("gone", "Gone Club"))]))
        result = cli("directory", "--check", "--directory", str(path))
    assert result.exit_code == 1, result.output
    rows = {cells[0]: cells[2:] for line in result.output.splitlines() if len(cells := line.strip().split(" | ")) == 4}
    assert rows["Up Society"] == ["yes", "answers as 'Up Society'"]
    assert rows["Moved Guild"] == ["yes", f"answers as 'Moved Guild'; now at {running['moved'].url}/new-home/: "
                                          "update its home"]
    assert rows["Gone Club"] == ["no", "HTTP 404"]
    assert "2 of 3 home pages answer." in result.output
