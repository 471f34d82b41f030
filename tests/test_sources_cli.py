"""`eventscout probe`, `eventscout sources add` and `eventscout sources check`, as a person uses them.

Sources are added to a sources file that has comments and a feed, the file is
validated, and one real `eventscout run` reads every source that was added.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscout.flows.cli.commands import app
from eventscout.flows.config import ConfigError, load_config
from eventscout.flows.onboarding.sources_file import SourceExists, add_source, render_entry, with_source_added
from tests.probe_sites import running_sites

REPO = Path(__file__).resolve().parents[1]
SOURCES = """\
# My association calendars.
# (kept by hand; `eventscout sources add` appends below)

settings:
  allow_private: true   # the test sites are on loopback

sources:
  # --- added so far ---
  - id: existing
    name: Existing Association
    url: https://existing.example.org/events/
    enabled: false

feeds:
  - id: atlanta-all
    title: Everything in Atlanta   # the one feed
    city: Atlanta, GA
"""


def entry(**changes) -> dict:
    base = {"id": "new-one", "name": "New One", "url": "https://new.example.org/events/", "scope": "national",
            "format": "jsonld", "timezone": "America/Chicago", "industries": ["marketing"]}
    return {**base, **changes}


# --- the file edit ---------------------------------------------------------------

def test_appending_keeps_every_comment_and_the_order(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES)
    config = add_source(path, entry())
    text = path.read_text()
    assert [s.id for s in config.sources] == ["existing", "new-one"]
    assert text.startswith(SOURCES.split("\nfeeds:")[0].rstrip("\n") + "\n  - id: new-one\n")
    assert text.endswith("\nfeeds:\n" + SOURCES.split("\nfeeds:\n")[1])
    assert "    industries: [marketing]\n" in text


def test_the_shipped_sources_file_takes_a_new_entry_and_keeps_its_comments():
    text = (REPO / "sources.yaml").read_text()
    new_text, config = with_source_added(text, entry())
    assert config.sources[-1].id == "new-one"
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert comments == [line.strip() for line in new_text.splitlines() if line.strip().startswith("#")]
    assert len(new_text.splitlines()) == len(text.splitlines()) + 7


def test_a_duplicate_url_or_id_is_refused_and_the_file_is_left_alone(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES)
    with pytest.raises(SourceExists, match="already reads"):
        add_source(path, entry(url="http://EXISTING.example.org/events"))
    with pytest.raises(SourceExists, match="id 'existing'"):
        add_source(path, entry(id="existing"))
    with pytest.raises(ConfigError, match="unknown time zone"):
        add_source(path, entry(timezone="Atlanta/Georgia"))
    assert path.read_text() == SOURCES


def test_a_missing_sources_file_is_created():
    new_text, config = with_source_added("", entry())
    assert new_text.startswith("# eventscout sources")
    assert render_entry(entry()) in new_text
    assert [s.id for s in config.sources] == ["new-one"]


# --- the commands ----------------------------------------------------------------

@pytest.fixture
def cli(eventscout_home):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), env={"COLUMNS": "200"})

    return invoke


def test_probe_prints_a_ready_to_paste_entry(cli):
    with running_sites("linked") as servers:
        base = servers["linked"].url
        result = cli("probe", base + "/", "--location", "Atlanta, GA")
    assert result.exit_code == 0, result.output
    assert "Readings" in result.output and "Agile Delivery Lunch & Learn" in result.output
    assert result.output.endswith(
        "  - id: atlanta-project-management-association\n"
        "    name: Atlanta Project Management Association\n"
        f"    url: {base}/events/\n"
        "    scope: regional\n"
        "    format: jsonld\n"
        "    timezone: America/New_York\n"
        "    industries: [project-management]\n"
        "    location: Atlanta, GA\n")


def test_probe_says_what_to_try_when_nothing_works(cli):
    with running_sites("empty") as servers:
        result = cli("probe", servers["empty"].url)
    assert result.exit_code == 1
    assert "Nothing works" in result.output
    assert "li.post" in result.output and "format: recipe" in result.output


def test_probe_refuses_a_place_or_industry_it_does_not_know(cli):
    assert cli("probe", "http://127.0.0.1:9/", "--location", "Qwxzy").exit_code == 2
    result = cli("probe", "http://127.0.0.1:9/", "--industries", "basket weaving")
    assert result.exit_code == 2 and "did you mean" in result.output


def _eventscout(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, EVENTSCOUT_HOME=str(home), EVENTSCOUT_ALLOW_PRIVATE="1", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "eventscout.flows.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300, cwd=REPO)


def test_sources_added_one_command_each_validate_run_and_check(cli, tmp_path, eventscout_home):
    sites = ["linked", "tribe", "sitemap", "icalonly", "listing"]
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES)
    db = tmp_path / "store.db"
    with running_sites(*sites) as servers:
        for name in sites:
            result = cli("sources", "add", servers[name].url + "/", "--sources", str(sources),
                         "--location", "Atlanta, GA")
            assert result.exit_code == 0, result.output
            assert "Added source" in result.output
        # The same site again: refused, file unchanged.
        before = sources.read_text()
        again = cli("sources", "add", servers["linked"].url + "/", "--sources", str(sources), "--yes")
        assert again.exit_code == 2 and "already" in again.output
        assert sources.read_text() == before

        assert sources.read_text().startswith(SOURCES.split("\nfeeds:")[0].rstrip("\n"))
        config = load_config(sources)
        added = [s.id for s in config.sources][1:]
        assert len(added) == len(sites)
        assert cli("validate", "--sources", str(sources)).exit_code == 0

        run = _eventscout("run", "--sources", str(sources), "--output", str(tmp_path / "out"),
                          "--db", str(db), home=eventscout_home)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"{len(sites)} of {len(sites)} sources read" in run.stdout
        feed = (tmp_path / "out" / "atlanta-all.ics").read_text()
        for title in ("Agile Delivery Lunch & Learn", "Talent Acquisition Summit", "Engineering Mentoring Circle"):
            assert title in feed

        # `sources check`: every added source answers with as many events as the run stored...
        check = cli("sources", "check", *added, "--sources", str(sources), "--db", str(db))
        assert check.exit_code == 0, check.output
        assert f"{len(sites)} of {len(sites)} sources answer with events" in check.output
        assert "fewer" not in check.output
        # ...and when a site drops events, the check says so.
        servers["tribe"].serve("/wp-json/tribe/events/v1/events", '{"events": [], "total": 0}',
                               "application/json")
        check = cli("sources", "check", "--sources", str(sources), "--db", str(db))
    assert check.exit_code == 1
    lines = check.output.splitlines()
    assert not any(line.startswith("existing") for line in lines)  # disabled: checked only when named
    assert any(line.startswith("society-of-hr-professionals-of-georgia: fewer than the 3 last stored")
               for line in lines), lines
    assert f"{len(sites) - 1} of {len(sites)} sources answer with events" in check.output


def test_adding_a_site_on_a_private_network_warns_that_runs_refuse_it_until_allowed(cli, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES.replace("allow_private: true", "allow_private: false"))
    with running_sites("linked") as servers:
        refused = cli("sources", "add", servers["linked"].url + "/", "--sources", str(sources), "--yes")
        sources.write_text(SOURCES)
        allowed = cli("sources", "add", servers["linked"].url + "/", "--sources", str(sources), "--yes")
    assert refused.exit_code == 0 and allowed.exit_code == 0, refused.output + allowed.output
    warning = f"warning: {servers['linked'].url}/events/ is on a private network (127.0.0.1); runs refuse it"
    assert warning in refused.output and "add `allow_private: true`" in refused.output
    assert "private network" not in allowed.output


def test_a_source_that_does_not_answer_is_reported_unreachable(tmp_path):
    import asyncio

    from eventscout.flows.onboarding.check import check_sources
    from eventscout.flows.config import Source
    from eventscout.flows.reading.fetch import Limits

    gone = Source(id="gone", name="Gone", url="http://127.0.0.1:9/events/")
    [check] = asyncio.run(check_sources([gone], Limits(retries=0), allow_private=True, db=tmp_path / "none.db"))
    assert (check.reachable, check.events, check.before, check.ok) == (False, 0, None, False)
    assert check.reason.startswith("cannot connect")
    assert not (tmp_path / "none.db").exists()  # a check never creates or writes the store
