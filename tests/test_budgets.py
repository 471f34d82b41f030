"""Time budgets: a source's budget starts when its turn comes; the run's budget leaves the rest unreached."""

from __future__ import annotations

import asyncio
import time

from eventscout.flows.config import Source
from eventscout.flows.reading.fetch import Limits
from eventscout.flows.reading.read import FAILED, NOT_REACHED, read_sources, store_results
from eventscout.flows.store import Store


def slow_page(seconds: float, arrivals: dict[str, float] | None = None):
    """A route answering an empty page after `seconds`, noting when each request came."""
    def answer(handler):
        if arrivals is not None:
            arrivals[handler.path] = time.monotonic()
        time.sleep(seconds)
        body = b"<html><body>nothing here</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def test_sources_queued_past_the_run_budget_are_reported_not_reached(loopback, tmp_path):
    def hang(handler):
        time.sleep(3)

    loopback.routes["/hang"] = hang
    sources = [Source(id=f"slow-{n}", name=f"Slow {n}", url=f"{loopback.url}/hang?{n}") for n in range(6)]
    limits = Limits(per_host=1, request_timeout=0.4, source_budget=0.5, run_budget=1.5, retries=0)
    started = time.monotonic()
    results = asyncio.run(read_sources(sources, limits, {}, allow_private=True))
    assert time.monotonic() - started < 4
    statuses = [r.status for r in results]
    assert statuses[:3] == [FAILED] * 3, [(r.status, r.reason) for r in results]
    assert statuses[-2:] == [NOT_REACHED] * 2
    assert all("timed out" in r.reason for r in results[:3])
    assert all(r.reason.startswith("not reached: the run's") for r in results if r.status == NOT_REACHED)

    with Store(tmp_path / "store.db") as store:
        reports = store_results(store, results)
        assert [r.status for r in reports] == statuses
        assert store.health("slow-0").consecutive_failures == 1
        assert store.health("slow-5") is None, "not reached is not the source's failure"


def test_waiting_for_a_turn_does_not_eat_a_sources_budget(loopback):
    """Four sources on one host, one at a time, each taking 0.3 s within a 0.5 s budget: all read."""
    loopback.routes["/page"] = slow_page(0.3)
    sources = [Source(id=f"s-{n}", name=f"S {n}", url=f"{loopback.url}/page?{n}") for n in range(4)]
    limits = Limits(per_host=1, request_timeout=1.0, source_budget=0.5, run_budget=30, retries=0)
    results = asyncio.run(read_sources(sources, limits, {}, allow_private=True))
    reasons = [r.reason or "" for r in results]
    assert len(reasons) == 4 and not any("timed out" in r or "budget" in r for r in reasons), reasons


def test_a_busy_host_does_not_hold_other_hosts_back(loopback):
    """Sources queued behind their own host's limit must not take the run's global slots.

    Two slots in all, one per host: three slow sources on host A come first in
    the list, yet host B's source starts at once, beside A's first.
    """
    from tests.support import LoopbackServer

    arrivals: dict[str, float] = {}
    other = LoopbackServer()
    other.thread.start()
    try:
        for server in (loopback, other):
            server.routes["/page"] = slow_page(0.4, arrivals)
        sources = [Source(id=f"a-{n}", name=f"A {n}", url=f"{loopback.url}/page?a{n}") for n in range(3)]
        sources.append(Source(id="b-0", name="B 0", url=f"{other.url}/page?b0"))
        limits = Limits(concurrency=2, per_host=1, request_timeout=5, source_budget=5, run_budget=30, retries=0)
        started = time.monotonic()
        asyncio.run(read_sources(sources, limits, {}, allow_private=True))
    finally:
        other.httpd.shutdown()
        other.httpd.server_close()
    assert arrivals["/page?b0"] - started < 0.35, {k: round(v - started, 2) for k, v in arrivals.items()}
