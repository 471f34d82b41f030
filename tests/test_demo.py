"""`eventscout demo` as a newcomer meets it: a folder to explore and next commands that run as printed.

The demo runs in a fresh folder; every command it prints is then run exactly
as printed (split as a shell would), from that same folder. Its `serve` must
serve the demo's own feeds, store and page, and the demo's event links must
lead to pages that served demo answers. `demo --keep-serving` stops with
every child on SIGTERM.
"""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit

import icalendar
import psutil
import pytest

from eventscout.flows.onboarding.demo import DemoSites
from eventscout.flows.reading.dedup import duplicate_groups
from eventscout.scrapers import extract
from tests.serving import environment, request, shared_home, wait_listening

pytestmark = pytest.mark.slow


def test_the_chapters_breakfast_merges_into_the_national_one_whatever_port_the_demo_is_served_on():
    """The demo's ids must not carry its server's port (a new one each run), or which reading
    represents the merged breakfast, and so its title, would change from run to run."""
    representatives = set()
    for _ in range(2):
        with DemoSites() as sites:
            readings = []
            for path, (source_id, content_type, body) in sites.pages().items():
                for event in extract(body, sites.base_url + path, content_type):
                    event.source_id = source_id
                    readings.append(event)
        (group,) = [g for g in duplicate_groups(readings) if len(g) > 1]
        representatives.add((group[0].source_id, group[0].title, tuple(sorted(e.id for e in group))))
    assert len(representatives) == 1, "the same ids on either port"
    (source_id, title, _), = representatives
    assert (source_id, title) == ("shrm", "SHRM Atlanta HR Leaders Breakfast")


def cli(words: list[str]) -> list[str]:
    """A printed `eventscout ...` command as this test runs it: the same words after the program."""
    assert words[0] == "eventscout"
    return [sys.executable, "-m", "eventscout.flows.cli", *words[1:]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    where = tmp_path_factory.mktemp("newcomer")
    env = environment(shared_home(tmp_path_factory))
    env.pop("EVENTSCOUT_ALLOW_PRIVATE")  # the printed commands must work without it
    env["COLUMNS"] = "60"  # a narrow terminal must not break a printed command
    done = subprocess.run(cli(["eventscout", "demo"]), cwd=where, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    commands = [shlex.split(line) for line in done.stdout.splitlines() if line.startswith("eventscout ")]
    return where, env, done.stdout, {words[1]: words for words in commands}


def test_the_demo_leaves_a_folder_with_its_sources_file_store_and_feeds(demo):
    where, _, printed, commands = demo
    folder = where / "eventscout-demo"
    assert (folder / "sources.yaml").is_file() and (folder / "eventscout.db").is_file()
    assert sorted(p.name for p in (folder / "output").glob("*.ics")) == [
        "atlanta-all.ics", "atlanta-tech.ics", "georgia-hr-meetups.ics", "hr-everywhere.ics", "pm-and-marketing.ics"]
    assert sorted(commands) == ["explain", "serve", "status"]
    assert "5 of 5 sources read, 0 failed" in printed


@pytest.mark.parametrize("command", ["explain", "status"])
def test_each_printed_command_runs_as_printed_from_the_demos_folder(demo, command):
    where, env, _, commands = demo
    done = subprocess.run(cli(commands[command]), cwd=where, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    if command == "explain":
        assert "PMI Atlanta Chapter Meeting" in done.stdout
    else:
        assert all(source in done.stdout for source in ("tag", "pmi-atlanta", "shrm", "ama-atlanta"))


def test_the_printed_serve_serves_the_demo_and_its_event_links_lead_to_it(demo):
    where, env, _, commands = demo
    words = commands["serve"]
    port = int(words[words.index("--port") + 1])
    server = subprocess.Popen(cli(words), cwd=where, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_listening(server, port)
        home = request(base, "/").text()
        assert "Atlanta professional events" in home and "Technology Association of Georgia" in home
        feed = request(base, "/feeds/atlanta-all.ics")
        assert feed.status == 200
        events = icalendar.Calendar.from_ical(feed.body).walk("VEVENT")
        assert len(events) == 10
        for event in events:
            link = urlsplit(str(event["URL"]))
            assert f"{link.scheme}://{link.netloc}" == base, "a link the served demo answers"
            page = request(base, f"{link.path}?{link.query}")
            assert page.status == 200
            title = str(event["SUMMARY"]).removeprefix("CANCELLED: ")
            assert title in page.text().replace("&amp;", "&"), title
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stdout.close()
        server.stderr.close()


def test_no_two_venues_at_different_street_addresses_share_one_geo_point(demo):
    where, *_ = demo
    streets_at: dict[str, set[str]] = {}
    for path in (where / "eventscout-demo" / "output").glob("*.ics"):
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            if "GEO" in event:
                point = event["GEO"].to_ical().decode()
                streets_at.setdefault(point, set()).add(str(event["LOCATION"]).split(", Atlanta")[0])
    assert all(len(streets) == 1 for streets in streets_at.values()), streets_at


def test_serve_with_an_output_folder_from_another_sources_file_says_so(demo, tmp_path):
    where, env, *_ = demo
    other = tmp_path / "sources.yaml"
    other.write_text("sources: []\nfeeds:\n  - id: my-feed\n    title: Mine\n")
    done = subprocess.run(cli(["eventscout", "serve", "--sources", str(other), "--output",
                               str(where / "eventscout-demo" / "output")]),
                          cwd=where, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert "holds other feeds (atlanta-all, atlanta-tech," in message and "none of those" in message
    assert "it looks written from eventscout-demo/sources.yaml: pass --sources eventscout-demo/sources.yaml" in message


def test_sigterm_stops_demo_keep_serving_with_every_child(tmp_path, tmp_path_factory):
    env = environment(shared_home(tmp_path_factory))
    demo = subprocess.Popen(cli(["eventscout", "demo", "--keep-serving"]), cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 240
        for line in demo.stdout:
            if line.startswith("Serving the demo's page and feeds on "):
                port = int(line.split("127.0.0.1:")[1].split("/")[0])
                break
            assert time.monotonic() < deadline, "the demo never started serving"
        else:
            raise AssertionError("the demo exited before serving")
        wait_listening(demo, port)
        children = psutil.Process(demo.pid).children(recursive=True)
        assert children, "the Prefect server, at least"
        assert request(f"http://127.0.0.1:{port}", "/events").status == 200
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=60) is not None
        gone, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, [p.cmdline() for p in alive]
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        demo.stdout.close()

