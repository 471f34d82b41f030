"""A manual run during a scheduled one: two real `eventscout run` processes on one store at once.

The run lock makes the second wait for the first; the store stays intact
(SQLite's own integrity check), the feeds parse, and both runs exit 0.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from tests.faults import FAULTS, FaultSite

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_two_runs_at_once_leave_the_store_and_feeds_intact(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTSCOUT_")}
    env.update(EVENTSCOUT_HOME=str(tmp_path / "home"), COLUMNS="250")
    with FaultSite() as site:
        sources = site.write_sources(tmp_path / "sources.yaml")
        runs = [subprocess.Popen([sys.executable, "-m", "eventscout.flows.cli", "run", "--sources", str(sources),
                                  "--output", str(tmp_path / "out"), "--db", str(tmp_path / "store.db")],
                                 cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        results = [run.communicate(timeout=300) for run in runs]
    for run, (stdout, stderr) in zip(runs, results):
        assert run.returncode == 0, stdout + stderr
        assert f"{len(FAULTS)} of {len(FAULTS)} sources read" in stdout

    with sqlite3.connect(tmp_path / "store.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM runs WHERE finished IS NOT NULL").fetchone() == (2,)
        assert db.execute("SELECT COUNT(*) FROM events WHERE active=1").fetchone() == (2 * len(FAULTS),)
        assert db.execute("SELECT MAX(sequence) FROM events").fetchone() == (0,), "the second run changed nothing"

    feed = icalendar.Calendar.from_ical((tmp_path / "out" / "all.ics").read_bytes())
    assert len(feed.walk("VEVENT")) == 2 * len(FAULTS)
    assert not list((tmp_path / "out").glob(".*.tmp")), "no temporary feed file is left behind"
