"""`eventscout init`: from a directory of loopback associations to a sources file that a real run reads.

The done-when of the directory issue: two Atlanta associations (technology,
marketing), one in Denver, and a national one whose home page answers 404.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscout.flows.cli.commands import app
from eventscout.flows.config import load_config
from eventscout.flows.knowledge.places import geocode
from eventscout.flows.onboarding.chapters import find_chapter
from eventscout.scrapers import Page
from tests.directory_sites import (ATLANTA_MARKETING, ATLANTA_TECH, DENVER_TECH, directory_yaml, serve_chapter_list,
                                   serve_ical_site, serve_jsonld_site, servers)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(eventscout_home):
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env={"COLUMNS": "220"})


@pytest.fixture
def coach_directory(tmp_path):
    """The four associations on their own loopback servers, and a directory file naming them."""
    with servers("atlanta_tech", "atlanta_marketing", "denver_tech", "national_gone") as running:
        serve_jsonld_site(running["atlanta_tech"], "Peachtree Software Guild", ATLANTA_TECH)
        serve_ical_site(running["atlanta_marketing"], "Atlanta Marketing Circle", ATLANTA_MARKETING)
        serve_jsonld_site(running["denver_tech"], "Front Range Developers", DENVER_TECH)
        path = tmp_path / "coach.yaml"
        path.write_text(directory_yaml([
            {"name": "Peachtree Software Guild", "home": running["atlanta_tech"].url + "/", "scope": "regional",
             "industries": ["technology"], "region": "Atlanta, GA"},
            {"name": "Atlanta Marketing Circle", "home": running["atlanta_marketing"].url + "/",
             "scope": "regional", "industries": ["marketing"], "region": "Atlanta, GA"},
            {"name": "Front Range Developers", "home": running["denver_tech"].url + "/", "scope": "regional",
             "industries": ["technology"], "region": "Denver, CO"},
            {"name": "National Guild of Vanished Programmers", "home": running["national_gone"].url + "/",
             "scope": "national", "industries": ["technology", "marketing"]},
        ]))
        yield path, running


def _rows(output: str) -> dict[str, list[str]]:
    """The report's lines (one per association, never wrapped), by association name: its cells."""
    rows = {}
    for line in output.splitlines():
        cells = line.strip().split(" | ")
        if line.startswith("  ") and len(cells) == 4:
            rows[cells[0]] = cells
    return rows


def _run(sources: Path, output: Path, db: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, EVENTSCOUT_HOME=str(home), EVENTSCOUT_ALLOW_PRIVATE="1", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "eventscout.flows.cli", "run", "--sources", str(sources),
                           "--output", str(output), "--db", str(db)],
                          capture_output=True, text=True, env=env, timeout=300, cwd=REPO)


def test_init_builds_a_sources_file_that_a_run_reads_and_adding_an_industry_extends_it(
        cli, coach_directory, tmp_path, eventscout_home):
    directory, running = coach_directory
    out = tmp_path / "sources.yaml"
    result = cli("init", "--directory", str(directory), "--city", "Atlanta, GA", "--industries", "technology",
                 "--sources", str(out), "--yes")
    assert result.exit_code == 0, result.output
    config = load_config(out)
    assert [(s.id, s.name, s.scope, s.location) for s in config.sources] == [
        ("peachtree-software-guild", "Peachtree Software Guild", "regional", "Atlanta, GA")]
    assert config.sources[0].url == running["atlanta_tech"].url + "/events/"
    # the comment above the source says where it came from and what its probe found (the directory's check)
    assert (f"  # from the directory: home {running['atlanta_tech'].url}/; probed {date.today().isoformat()}: "
            "2 upcoming event(s)\n  - id: peachtree-software-guild\n") in out.read_text()
    assert [(f.id, f.city, f.industries, f.include_online) for f in config.feeds] == [
        ("atlanta-technology", "Atlanta, GA", ["technology"], True)]
    rows = _rows(result.output)
    assert rows["Peachtree Software Guild"][1:3] == ["regional", "added"]
    assert rows["Peachtree Software Guild"][3].startswith("2 upcoming event(s), read as jsonld from ")
    assert rows["National Guild of Vanished Programmers"][1:] == [
        "national", "unreachable", "the home page did not answer: HTTP 404"]
    assert "Front Range Developers" not in result.output  # Denver is out of reach
    assert "Atlanta Marketing Circle" not in result.output  # not of the industries asked for

    # A run of that file puts the association's events in the feed.
    run = _run(out, tmp_path / "feeds", tmp_path / "store.db", eventscout_home)
    assert run.returncode == 0, run.stdout + run.stderr
    feed = (tmp_path / "feeds" / "atlanta-technology.ics").read_text()
    assert "Cloud Native Builders Meetup" in feed and "Developer Careers Night" in feed

    # Adding marketing brings in the second Atlanta association; the first is not added twice.
    out.write_text("# My group's sources (kept by hand)\n" + out.read_text())
    again = cli("init", "--directory", str(directory), "--city", "Atlanta, GA", "--industries",
                "technology,marketing", "--sources", str(out), "--yes")
    assert again.exit_code == 0, again.output
    config = load_config(out)
    assert [s.id for s in config.sources] == ["peachtree-software-guild", "atlanta-marketing-circle"]
    assert config.sources[1].url == running["atlanta_marketing"].url + "/calendar.ics"
    assert [f.id for f in config.feeds] == ["atlanta-technology", "atlanta-technology-marketing"]
    text = out.read_text()
    assert text.startswith("# My group's sources (kept by hand)\n")
    assert text.count("# from the directory: home ") == 2
    rows = _rows(again.output)
    assert rows["Peachtree Software Guild"][2:] == ["already read", "already read as source 'peachtree-software-guild'"]
    assert rows["Atlanta Marketing Circle"][2] == "added" and "read as ical" in rows["Atlanta Marketing Circle"][3]
    assert rows["National Guild of Vanished Programmers"][2] == "unreachable"

    # The same again adds nothing, and says so without touching the file.
    before = out.read_text()
    third = cli("init", "--directory", str(directory), "--city", "Atlanta, GA", "--industries",
                "technology,marketing", "--sources", str(out), "--yes")
    assert third.exit_code == 1 and "nothing was written" in third.output
    assert out.read_text() == before


def test_init_refuses_what_it_cannot_use_and_writes_nothing(cli, coach_directory, tmp_path):
    directory, _ = coach_directory
    out = tmp_path / "sources.yaml"
    unknown = cli("init", "--directory", str(directory), "--city", "Atlanta, GA", "--industries", "basket weaving",
                  "--sources", str(out), "--yes")
    assert unknown.exit_code == 2 and "did you mean" in unknown.output
    nowhere = cli("init", "--directory", str(directory), "--city", "Qwxzy", "--industries", "technology",
                  "--sources", str(out), "--yes")
    assert nowhere.exit_code == 2 and "cannot place --city" in nowhere.output
    # Only the unreachable national association is for Chicago: it is named, and nothing is written.
    lonely = cli("init", "--directory", str(directory), "--city", "Chicago, IL", "--industries", "technology",
                 "--sources", str(out), "--yes")
    assert lonely.exit_code == 1 and "HTTP 404" in lonely.output and "nothing was written" in lonely.output
    assert not out.exists()


# --- chapters -----------------------------------------------------------------------


def test_init_finds_the_city_chapter_on_a_national_chapter_list(cli, tmp_path):
    with servers("national", "atlanta_chapter", "portland_maine", "western") as running:
        serve_chapter_list(running["national"], {
            "Portland, ME": running["portland_maine"].url + "/",
            "Greater Atlanta": running["atlanta_chapter"].url + "/",
            "Denver, CO": "https://denver.testers.example.org/"})
        serve_jsonld_site(running["atlanta_chapter"], "Greater Atlanta Testers", ATLANTA_TECH)
        serve_jsonld_site(running["portland_maine"], "Casco Bay Testers", DENVER_TECH)
        serve_chapter_list(running["western"], {"Denver, CO": "https://denver.western.example.org/"})
        directory = tmp_path / "coach.yaml"
        directory.write_text(directory_yaml([
            {"name": "National Society of Testers (NST)", "home": running["national"].url + "/",
             "scope": "national", "industries": ["technology"], "chapters": running["national"].url + "/chapters/"},
            {"name": "Western Testers League", "home": running["western"].url + "/", "scope": "national",
             "industries": ["technology"], "chapters": running["western"].url + "/chapters/"}]))
        out = tmp_path / "sources.yaml"
        result = cli("init", "--directory", str(directory), "--city", "Atlanta, GA", "--industries", "technology",
                     "--sources", str(out), "--yes")
    assert result.exit_code == 0, result.output
    config = load_config(out)
    [chapter] = config.sources
    assert (chapter.name, chapter.scope, chapter.location) == ("NST Greater Atlanta", "regional", "Atlanta, GA")
    assert chapter.url == running["atlanta_chapter"].url + "/events/"
    assert "# chapter of National Society of Testers (NST), found on its chapter list: home " in out.read_text()
    rows = _rows(result.output)
    assert rows["National Society of Testers (NST)"][2] == "no events"  # its home lists none itself
    assert "names Atlanta" in result.output and "chapter of National Society of Testers" in result.output
    assert rows["Western Testers League chapter for Atlanta, GA"][2:] == [
        "no chapter", "the chapter list names no chapter within 80 km of Atlanta, GA"]


def _chapter_page(items: str) -> Page:
    return Page(f"<html><body><ul>{items}</ul></body></html>".encode(), "https://national.example.org/chapters/",
                "text/html")


def test_the_chapter_finder_reads_links_rows_and_addresses_and_keeps_cities_apart():
    portland = geocode("Portland, OR")
    page = _chapter_page('<li>Portland, ME <a href="https://maine.example.org/">Visit website</a></li>'
                         '<li>Portland, OR <a href="https://oregon.example.org/">Visit website</a></li>')
    found = find_chapter(page, portland, 80)
    assert found is not None and found.url == "https://oregon.example.org/" and found.label == "Portland, OR"
    # the link's own words win over its row's; a chapter's address may name the city
    page = _chapter_page('<li><a href="/c/7">Chapter 7</a> serves Boston</li>'
                         '<li><a href="https://boston.example.org/">Boston Chapter</a></li>')
    assert find_chapter(page, geocode("Boston, MA"), 80).url == "https://boston.example.org/"
    page = _chapter_page('<li><a href="https://www.denverchapter.example.org/">Rocky Mountain Chapter</a></li>')
    assert find_chapter(page, geocode("Denver, CO"), 80).why.startswith("its address names Denver")
    # a nearby city within reach, when none names the city itself; nothing when none is near
    page = _chapter_page('<li><a href="https://m.example.org/">Marietta, GA</a></li>'
                         '<li><a href="https://s.example.org/">Savannah, GA</a></li>')
    near = find_chapter(page, geocode("Atlanta, GA"), 80)
    assert near is not None and near.url == "https://m.example.org/" and "km from Atlanta" in near.why
    assert find_chapter(page, geocode("Seattle, WA"), 80) is None


def test_a_national_source_already_read_still_yields_its_chapter_once(tmp_path):
    import asyncio

    from eventscout.flows.config import parse_config
    from eventscout.flows.knowledge.directory import parse_directory
    from eventscout.flows.onboarding.starter import survey

    with servers("national", "atlanta_chapter") as running:
        serve_chapter_list(running["national"], {"Atlanta, GA": running["atlanta_chapter"].url + "/about/"})
        serve_jsonld_site(running["atlanta_chapter"], "Testers of Atlanta", ATLANTA_TECH)
        national, chapter = running["national"].url, running["atlanta_chapter"].url
        directory = parse_directory(directory_yaml([
            {"name": "National Society of Testers", "home": national + "/", "scope": "national",
             "industries": ["technology"], "chapters": national + "/chapters/"},
            {"name": "Testers of Atlanta", "home": chapter + "/", "scope": "regional", "industries": ["technology"],
             "region": "Atlanta, GA"}]))
        existing = parse_config(f"sources:\n  - {{id: nst, name: NST, url: '{national}/events/'}}\n")
        atlanta = geocode("Atlanta, GA")
        result = asyncio.run(survey(directory.matching(["technology"], atlanta), "Atlanta, GA", atlanta,
                                    ["technology"], radius_km=80, existing=existing, allow_private=True))
    outcomes = [(f.name, f.outcome) for f in result.findings]
    assert outcomes == [("National Society of Testers", "no events"),
                        ("National Society of Testers Atlanta, GA", "already read"),
                        ("Testers of Atlanta", "added")], outcomes
    assert "in the directory for this city too" in result.findings[1].detail
    assert [e["url"] for e in result.entries] == [chapter + "/events/"]


def test_sites_on_one_server_under_their_own_paths_are_told_apart(cli, tmp_path):
    """As demo.py serves its sites: one origin, one path each; a national home at the root is its own site too."""
    with servers("shared") as running:
        base = running["shared"].url
        for prefix, name, events in (("/atl-tech", "Peachtree Software Guild", ATLANTA_TECH),
                                     ("/atl-marketing", "Atlanta Marketing Circle", ATLANTA_MARKETING)):
            assert serve_jsonld_site(running["shared"], name, events, prefix) == base + prefix + "/"
        directory = tmp_path / "coach.yaml"
        directory.write_text(directory_yaml([
            {"name": "Peachtree Software Guild", "home": base + "/atl-tech/", "scope": "regional",
             "industries": ["technology"], "region": "Atlanta, GA"},
            {"name": "Atlanta Marketing Circle", "home": base + "/atl-marketing/", "scope": "regional",
             "industries": ["marketing"], "region": "Atlanta, GA"},
            {"name": "Root National", "home": base + "/", "scope": "national", "industries": ["technology"]}]))
        out = tmp_path / "sources.yaml"
        args = ("init", "--directory", str(directory), "--city", "Atlanta, GA", "--sources", str(out), "--yes")
        first = cli(*args, "--industries", "technology")
        second = cli(*args, "--industries", "technology,marketing")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert [s.url for s in load_config(out).sources] == [base + "/atl-tech/events/", base + "/atl-marketing/events/"]
    for result in (first, second):
        assert _rows(result.output)["Root National"][2:] == ["unreachable", "the home page did not answer: HTTP 404"]
    assert _rows(second.output)["Peachtree Software Guild"][2] == "already read"
