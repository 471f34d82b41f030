"""`eventscout explain` tells people why each stored event is in a feed or not, without Prefect."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscout.flows.cli.commands import app
from eventscout.flows.config import load_config
from eventscout.flows.reading.enrich import enrich
from eventscout.flows.store import Store
from eventscout.scrapers.event import ONLINE, Event, Location

SOURCES = """\
sources:
  - {id: shrm, name: SHRM, url: "https://shrm.example.org/events/", scope: national, industries: [HR]}
  - {id: shrm-atlanta, name: SHRM Atlanta, url: "https://atl.example.org/events/", industries: [HR],
     location: "Atlanta, GA"}
feeds:
  - {id: atlanta-hr, title: Atlanta HR, industries: [HR], city: "Atlanta, GA", include_online: false}
"""
START = (datetime.now(timezone.utc) + timedelta(days=7)).replace(hour=13, minute=0, second=0, microsecond=0)
MARQUIS = Location(name="Atlanta Marriott Marquis", street="265 Peachtree Center Ave", city="Atlanta", region="GA")


def fill_store(tmp_path: Path) -> tuple[Path, Path]:
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES)
    config = load_config(sources)
    db = tmp_path / "store.db"
    with Store(db) as store:
        store.save_source_events("shrm", enrich(config.source("shrm"), [
            Event("SHRM Atlanta HR Leaders Breakfast", START, url="https://shrm.example.org/e/1", key="1",
                  location=MARQUIS),
            Event("SHRM Chicago Talent Forum", START + timedelta(days=1), url="https://shrm.example.org/e/2", key="2",
                  location=Location(name="Hyatt Regency", city="Chicago", region="IL")),
            Event("Employment Law Webinar", START + timedelta(days=2), key="3", online=ONLINE),
            Event("State Council Roundtable", START + timedelta(days=3), key="4", location=Location(name="TBA")),
        ]))
        store.save_source_events("shrm-atlanta", enrich(config.source("shrm-atlanta"), [
            Event("HR Leaders Breakfast (Atlanta)", START, url="https://atl.example.org/e/9", key="9",
                  location=MARQUIS)]))
    return sources, db


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[Path, Path]:
    return fill_store(tmp_path_factory.mktemp("explain"))


@pytest.fixture(scope="module")
def explained(stored) -> subprocess.CompletedProcess:
    """`eventscout explain` as a user runs it, with Python reporting every module it imports."""
    sources, db = stored
    env = dict(os.environ, EVENTSCOUT_HOME=str(sources.parent / "home"), COLUMNS="200")
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "eventscout.flows.cli", "explain", "--feed", "atlanta-hr",
                           "--sources", str(sources), "--db", str(db)], capture_output=True, text=True, env=env,
                          timeout=120, cwd=Path(__file__).resolve().parents[1])


def test_explain_says_which_filter_admitted_or_rejected_each_event(explained):
    assert explained.returncode == 0, explained.stderr[-2000:]
    text = explained.stdout
    assert "Feed atlanta-hr (Atlanta HR): industries human-resources; within 40 km of Atlanta, GA; " \
           "online events excluded" in text
    assert "1 of 4 upcoming event(s) shown are in the feed." in text
    assert text.count("IN   SHRM Atlanta HR Leaders Breakfast") == 1 and "IN   HR Leaders" not in text
    breakfast = text.split("IN   SHRM Atlanta HR Leaders Breakfast")[1].split("\n\n")[0]
    assert 'merged with SHRM Atlanta: "HR Leaders Breakfast (Atlanta)" · https://atl.example.org/e/9' in breakfast
    assert "✓ industry: human-resources (source shrm lists it)" in breakfast
    assert "✓ place: Atlanta is 0 km from Atlanta, GA (within 40 km)" in breakfast
    assert 'event types: meetup (title mentions "Breakfast")' in breakfast
    assert "OUT  SHRM Chicago Talent Forum" in text and "✗ place: Chicago is 945 km from Atlanta, GA" in text
    assert "✗ place: online event, and the feed excludes online events" in text
    assert "? place: TBA: no place that could be resolved to a city or coordinates" in text


def test_explain_never_imports_prefect(explained):
    modules = [line.rsplit("|", 1)[-1].strip() for line in explained.stderr.splitlines() if "import time:" in line]
    assert "eventscout.flows.publishing.filters" in modules
    assert not [m for m in modules if m == "prefect" or m.startswith("prefect.")]


def run_cli(stored, *args: str):
    sources, db = stored
    return CliRunner().invoke(app, ["explain", *args, "--sources", str(sources), "--db", str(db)],
                              env={"COLUMNS": "200"})


def test_explain_one_event_matched_by_any_source_title(stored):
    found = run_cli(stored, "--feed", "atlanta-hr", "--event", "(atlanta)")
    assert found.exit_code == 0 and "IN   SHRM Atlanta HR Leaders Breakfast" in found.output
    assert "Chicago" not in found.output
    none = run_cli(stored, "--feed", "atlanta-hr", "--event", "gala")
    assert none.exit_code == 1 and "No stored upcoming event matches 'gala'." in none.output


def test_an_unknown_feed_names_the_nearest(stored):
    result = run_cli(stored, "--feed", "atlanta-h")
    assert result.exit_code == 2 and "no feed 'atlanta-h'" in result.output and "'atlanta-hr'" in result.output


def test_the_run_summary_names_per_feed_the_events_it_could_not_place(capsys):
    from eventscout.flows.cli.commands import print_summary
    from eventscout.flows.orchestration.discover import RunSummary

    print_summary(RunSummary.from_dict({"sources": [{"source": "shrm", "status": "ok", "events": 4, "new": 4, "changed": 0,
                                "removed": 0, "reader": "tribe", "reason": None}],
                   "feeds": [{"feed": "atlanta-hr", "path": "out/atlanta-hr.ics", "events": 1, "written": True,
                              "unplaced": ["State Council Roundtable"]},
                             {"feed": "everywhere", "path": "out/everywhere.ics", "events": 4, "written": True,
                              "unplaced": []}],
                   "unplaced": ["State Council Roundtable"]}))
    printed = " ".join(capsys.readouterr().out.split())
    assert ("atlanta-hr: left out 1 in-person event(s) whose place could not be resolved "
            "(see `eventscout explain --feed atlanta-hr`): State Council Roundtable") in printed
    assert "everywhere: left out" not in printed


def test_a_large_run_summary_lists_only_the_sources_that_need_a_look(capsys):
    from eventscout.flows.cli.commands import print_summary
    from eventscout.flows.orchestration.discover import RunSummary

    sources = [{"source": f"chapter-{n}", "status": "ok", "events": 3, "new": 0, "changed": 0, "removed": 0,
                "reader": "jsonld", "reason": None} for n in range(60)]
    sources[7] = dict(sources[7], status="failed", events=0, reason="HTTP 404")
    print_summary(RunSummary.from_dict({"sources": sources, "feeds": [], "unplaced": []}))
    printed = capsys.readouterr().out
    assert "chapter-7" in printed and "HTTP 404" in printed
    assert "chapter-8" not in printed
    assert "59 more sources read with no change are not listed" in " ".join(printed.split())
    assert "59 of 60 sources read, 1 failed" in printed
