"""`eventscout serve` facing the internet: bounded queries, paged JSON, honest links, a kept config, a clean stop.

A store of a few hundred events is written directly (no discovery run), its
feeds written as `run` writes them, and `eventscout serve` answers over a real
socket. The concurrency bound and the single-flight cache are also tried on
their own: the bound under a real uvicorn on loopback, whose app waits until
the test lets it go, so nothing depends on timing.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import signal
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import psutil
import pytest

from eventscout.flows.config import load_config
from eventscout.flows.publishing.publish import write_feeds
from eventscout.flows.store import Store
from eventscout.flows.web.feed_query import MAX_LIST_VALUES, MAX_PAGE, MAX_QUERY_LENGTH
from eventscout.flows.web.guards import RETRY_AFTER, ConcurrencyLimit
from eventscout.flows.web.server import MAX_JSON_BYTES
from eventscout.flows.web.single_flight import SingleFlight
from eventscout.scrapers.event import Event, Location
from tests.serving import Published, free_port, request, serve_process, shared_home

EVENTS = 250
SOURCES_YAML = """\
sources:
  - {id: chapter, name: The Chapter, url: "http://127.0.0.1:9/events/", timezone: America/New_York}
  - {id: essays, name: Long Essays, url: "http://127.0.0.1:9/essays/", timezone: America/New_York}
feeds:
  - {id: everything, title: Every event}
  - {id: atlanta, title: Atlanta events, city: "Atlanta, GA"}
"""
#: events with descriptions so long that a JSON page of them passes MAX_JSON_BYTES well before MAX_PAGE
ESSAYS, ESSAY_LENGTH = 40, 120_000


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Published:
    root = tmp_path_factory.mktemp("serve-limits")
    sources = root / "sources.yaml"
    sources.write_text(SOURCES_YAML)
    start = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    atlanta = Location(name="Hall", city="Atlanta", region="GA", country="US", lat=33.749, lon=-84.388)
    chapter = [Event(f"Mixer number {i}", start + timedelta(hours=i), key=f"m{i}", location=atlanta,
                     description=f"hiring and mentoring, evening {i}", industries=["technology"])
               for i in range(EVENTS)]
    essays = [Event(f"Essay evening {i}", start + timedelta(days=30, hours=i), key=f"e{i}", location=atlanta,
                    description=("essay " * (ESSAY_LENGTH // 6)).strip(), industries=["legal"])
              for i in range(ESSAYS)]
    with Store(root / "store.db") as store:
        run = store.start_run()
        store.save_source_events("chapter", chapter)
        store.save_source_events("essays", essays)
        store.finish_run(run, {})
        (root / "out").mkdir()
        write_feeds(load_config(sources), store, root / "out")
    return Published(root, sources, root / "out", root / "store.db")


@pytest.fixture(scope="module")
def server(published, tmp_path_factory):
    with serve_process(*published.args(), home=shared_home(tmp_path_factory)) as (_, base):
        yield base


# -- query bounds -------------------------------------------------------------------------------


def keyword_bomb() -> str:
    """50 parameters of 50 comma-separated words: 2,500 keywords."""
    return "&".join("keyword=" + ",".join(f"w{p}x{i}" for i in range(50)) for p in range(50))


@pytest.mark.parametrize("path", ["/feeds/custom.ics", "/events.json", "/"])
def test_a_query_of_2500_keywords_is_refused_naming_the_limit(server, path):
    reply = request(server, f"{path}?{keyword_bomb()}")
    assert reply.status == 400
    assert f"a query may be at most {MAX_QUERY_LENGTH:,}" in reply.text()


def test_lists_are_counted_after_splitting_on_commas(server):
    words = ",".join(f"w{i}" for i in range(MAX_LIST_VALUES + 1))
    assert len(f"keyword={words}") < MAX_QUERY_LENGTH, "short enough that only the list bound refuses it"
    for path in ("/feeds/custom.ics", "/events.json"):
        reply = request(server, f"{path}?keyword={words}")
        assert reply.status == 400 and f"keyword: more than {MAX_LIST_VALUES} values" in reply.text()
    split = "&".join("industry=technology,legal" for _ in range(MAX_LIST_VALUES // 2 + 1))
    assert request(server, f"/events.json?{split}").status == 400, "repeated parameters add up"
    fifty = ",".join(f"w{i}" for i in range(MAX_LIST_VALUES - 1)) + ",mentoring"
    reply = request(server, f"/events.json?keyword={fifty}&limit=1")
    assert reply.status == 200 and json.loads(reply.body)["count"] == EVENTS, "at the limit it still matches"


def vevents(calendar: bytes) -> set[bytes]:
    return set(re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", calendar, re.DOTALL))


def test_custom_feeds_reuse_each_event_s_text_and_say_the_same_as_the_written_feed(server, published):
    written = vevents((published.output / "everything.ics").read_bytes())
    assert len(written) == EVENTS + ESSAYS
    atlanta = vevents(request(server, "/feeds/custom.ics?city=Atlanta%2C+GA").body)
    everything = vevents(request(server, "/feeds/custom.ics").body)  # most texts were rendered for the first
    assert everything == written and atlanta == written


# -- /events.json pages --------------------------------------------------------------------------


def test_events_json_is_paged_and_the_pages_hold_every_event_once(server):
    seen: list[str] = []
    path = "/events.json?industry=technology&limit=100"
    pages = 0
    while path:
        reply = request(server, path)
        assert reply.status == 200
        page = json.loads(reply.body)
        assert page["count"] == EVENTS and len(page["events"]) <= 100
        seen += [e["uid"] for e in page["events"]]
        path, pages = page["next"], pages + 1
    assert pages == 3 and len(seen) == EVENTS == len(set(seen))
    default = json.loads(request(server, "/events.json").body)
    assert len(default["events"]) == 100 and default["next"].endswith("offset=100&limit=100")


@pytest.mark.parametrize("query", ["limit=0", f"limit={MAX_PAGE + 1}", "limit=ten", "offset=-1", "offset=1&offset=2"])
def test_a_bad_page_is_a_400_that_says_why(server, query):
    reply = request(server, f"/events.json?{query}")
    assert reply.status == 400
    assert re.match(r"(limit|offset): ", reply.text()), reply.text()


def test_a_page_of_long_events_stops_at_the_size_bound_and_says_where_to_go_on(server):
    reply = request(server, f"/events.json?industry=legal&limit={MAX_PAGE}")
    page = json.loads(reply.body)
    assert page["count"] == ESSAYS
    assert 0 < len(page["events"]) < ESSAYS, "the byte bound, not the count, ended the page"
    assert len(reply.body) <= MAX_JSON_BYTES + 2_000, "the events plus a small head"
    assert page["next"].endswith(f"offset={len(page['events'])}&limit={MAX_PAGE}")
    rest = json.loads(request(server, page["next"]).body)
    assert rest["offset"] == len(page["events"])
    assert rest["events"][0]["title"] == f"Essay evening {len(page['events'])}"


# -- subscribe links -----------------------------------------------------------------------------


def subscribe_links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|data-url)="((?:webcal|https?)://[^"]+)"', html)) - {
        link for link in re.findall(r'href="(https://calendar\.google\.com[^"]+)"', html)}


def test_links_name_the_listening_address_never_a_forged_host(server):
    port = server.rsplit(":", 1)[1]
    for headers in ({"Host": "attacker.example"}, {"Host": "attacker.example", "X-Forwarded-Host": "evil.example"},
                    {}):
        reply = request(server, "/", headers)
        assert reply.status == 200
        assert "attacker.example" not in reply.text() and "evil.example" not in reply.text()
        links = subscribe_links(reply.text())
        assert links and all(f"//127.0.0.1:{port}/feeds/" in link for link in links), links
        assert "max-age" in reply.headers["cache-control"]


def test_links_name_the_public_url_from_the_option_or_the_sources_file(published, tmp_path, tmp_path_factory):
    home = shared_home(tmp_path_factory)
    with serve_process(*published.args("--public-url", "https://feeds.example.org/"), home=home) as (_, base):
        links = subscribe_links(request(base, "/", {"Host": "attacker.example"}).text())
    assert links and all(link.split("://", 1)[1].startswith("feeds.example.org/feeds/") for link in links), links
    configured = tmp_path / "sources.yaml"
    configured.write_text("settings: {public_url: 'https://events.example.net/calendars'}\n" + SOURCES_YAML)
    with serve_process("--sources", str(configured), "--output", str(published.output), "--db", str(published.db),
                       home=home) as (_, base):
        links = subscribe_links(request(base, "/", {"Host": "attacker.example"}).text())
    assert links and all("://events.example.net/calendars/feeds/" in link for link in links), links


# -- a broken sources file, SIGTERM ----------------------------------------------------------------


def test_a_broken_sources_file_keeps_the_last_good_one_and_is_read_once(published, tmp_path, tmp_path_factory):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES_YAML)
    log = tmp_path / "serve.log"
    args = ("--sources", str(sources), "--output", str(published.output), "--db", str(published.db))
    with serve_process(*args, home=shared_home(tmp_path_factory), log=log) as (_, base):
        sources.write_text(SOURCES_YAML + "  - {id: broken, title: [unclosed\n")
        for _ in range(5):
            reply = request(base, "/")
            assert reply.status == 200 and "Atlanta events" in reply.text()
        assert log.read_text().count("the version read before is still served") == 1, log.read_text()
        sources.write_text(SOURCES_YAML + "  - {id: boston, title: Boston nights, city: 'Boston, MA'}\n")
        assert "Boston nights" in request(base, "/").text(), "a fixed file is read again"


def test_a_new_run_is_served_without_a_restart(published, tmp_path, tmp_path_factory):
    db = tmp_path / "store.db"
    shutil.copy(published.db, db)
    args = ("--sources", str(published.sources), "--output", str(published.output), "--db", str(db))
    with serve_process(*args, home=shared_home(tmp_path_factory)) as (_, base):
        assert json.loads(request(base, "/events.json?keyword=late+addition").body)["count"] == 0
        with Store(db) as store:
            finished = store.last_finished_run()
            while datetime.now(timezone.utc).replace(microsecond=0) <= finished:
                time.sleep(0.1)  # runs are told apart by the second they finished in
            run = store.start_run()
            store.save_source_events("chapter", [Event("Late addition", datetime.now(timezone.utc) + timedelta(days=3),
                                                       key="late")])
            store.finish_run(run, {})
        deadline = time.monotonic() + 60
        while json.loads(request(base, "/events.json?keyword=late+addition").body)["count"] != 1:
            assert time.monotonic() < deadline, "the new run's events were never served"
            time.sleep(0.2)
        assert json.loads(request(base, "/events.json?industry=technology&limit=1").body)["count"] == 0, \
            "the new run replaced the chapter's events, and every answer follows it"


def test_sigterm_stops_the_server_and_its_children_while_it_is_answering(published, tmp_path, tmp_path_factory):
    log = tmp_path / "serve.log"
    with serve_process(*published.args(), home=shared_home(tmp_path_factory), log=log) as (process, base):
        tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
        host, port = base.removeprefix("http://").split(":")
        pending = []
        for _ in range(20):  # requests still being answered when the signal comes
            connection = socket.create_connection((host, int(port)))
            connection.sendall(b"GET /feeds/everything.ics HTTP/1.1\r\nHost: x\r\n\r\n")
            pending.append(connection)
        process.send_signal(signal.SIGTERM)
        # uvicorn ends by raising the signal it caught again, so the exit status says "stopped by SIGTERM"
        assert process.wait(timeout=30) in (0, -signal.SIGTERM), "it stops by itself"
        for connection in pending:
            connection.close()
    assert not [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert "Exception in ASGI application" not in log.read_text(), "answers cut off on purpose are no errors"


# -- computed once ---------------------------------------------------------------------------------


def test_concurrent_callers_of_one_key_share_one_computation():
    cache: SingleFlight[str] = SingleFlight()
    entered, release = threading.Event(), threading.Event()
    computed: list[str] = []

    def slow() -> str:
        computed.append("slow")
        entered.set()
        assert release.wait(30)
        return "answer"

    def again() -> str:
        computed.append("again")
        return "a second answer"

    answers: list[str] = []
    first = threading.Thread(target=lambda: answers.append(cache.get("feed", slow)))
    first.start()
    assert entered.wait(30)
    others = [threading.Thread(target=lambda: answers.append(cache.get("feed", again))) for _ in range(10)]
    for thread in others:
        thread.start()
    time.sleep(0.2)  # let them reach the wait; were they computing instead, `computed` would show it
    release.set()
    for thread in [first, *others]:
        thread.join(30)
    assert computed == ["slow"] and answers == ["answer"] * 11


def test_a_failed_computation_is_not_kept_and_the_cache_stays_within_its_weight():
    cache: SingleFlight[bytes] = SingleFlight(items=10, weight=100, weigh=len)

    def broken() -> bytes:
        raise ValueError("store gone")

    with pytest.raises(ValueError):
        cache.get("a", broken)
    assert cache.get("a", lambda: b"x" * 40) == b"x" * 40, "the failure was not kept"
    cache.get("b", lambda: b"y" * 40)
    cache.get("a", lambda: b"not computed again")
    cache.get("c", lambda: b"z" * 40)  # 120 > 100: the least recently used (b) goes
    assert cache.get("b", lambda: b"computed again") == b"computed again"
    assert cache.get("huge", lambda: b"h" * 500) == b"h" * 500
    assert cache.get("huge", lambda: b"too heavy to keep") == b"too heavy to keep"


# -- the concurrency bound, under a real uvicorn -----------------------------------------------------


class Gate:
    """An app whose every request waits until the test opens the gate."""

    def __init__(self) -> None:
        self.entered = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.opened: asyncio.Event | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        if self.opened is None:
            self.loop, self.opened = asyncio.get_running_loop(), asyncio.Event()
        self.entered += 1
        await self.opened.wait()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})


def raw_get(port: int) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    return connection


def answer(connection: socket.socket) -> bytes:
    connection.settimeout(30)
    data = b""
    while chunk := connection.recv(65536):
        data += chunk
    connection.close()
    return data


def test_a_saturated_server_answers_503_with_retry_after_and_never_queues_without_bound():
    import uvicorn

    gate = Gate()
    port = free_port()
    config = uvicorn.Config(ConcurrencyLimit(gate, active=2, waiting=1, patience=600), host="127.0.0.1", port=port,
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        running = [raw_get(port), raw_get(port)]
        while gate.entered < 2:
            time.sleep(0.05)
        queued = raw_get(port)
        refused = [raw_get(port) for _ in range(3)]
        for connection in refused:
            reply = answer(connection)
            assert reply.startswith(b"HTTP/1.1 503") and f"retry-after: {RETRY_AFTER}".encode() in reply.lower()
        assert gate.entered == 2, "the queued request waits; the refused ones never reached the app"
        gate.loop.call_soon_threadsafe(gate.opened.set)
        for connection in [*running, queued]:
            assert answer(connection).startswith(b"HTTP/1.1 200")
        assert gate.entered == 3
    finally:
        server.should_exit = True
        thread.join(timeout=30)
