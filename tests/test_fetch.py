"""The fetcher against a real loopback server: bounded, polite, and guarded."""

from __future__ import annotations

import asyncio
import gzip
import time

import pytest

from flows.fetch import BlockedAddress, Fetcher, FetchError, Limits
from tests.conftest import send


def get(url: str, limits: Limits | None = None, **kwargs):
    async def go():
        async with Fetcher(limits or Limits(backoff=0.05), allow_private=kwargs.pop("allow_private", True),
                           resolver=kwargs.pop("resolver", None)) as f:
            return await f.get(url, deadline=time.monotonic() + kwargs.pop("budget", 20), **kwargs)

    return asyncio.run(go())


def test_reads_a_page_and_sends_a_clear_user_agent(loopback):
    loopback.serve("/events", "<html>ok</html>")
    response = get(loopback.url + "/events")
    assert response.status == 200 and response.body == b"<html>ok</html>"
    ua = dict(loopback.hits[-1][1])["User-Agent"]
    assert ua.startswith("eventscout/")


def test_robots_txt_is_obeyed(loopback):
    loopback.serve("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    loopback.serve("/private/events", "<html>secret</html>")
    with pytest.raises(FetchError, match="robots.txt"):
        get(loopback.url + "/private/events")
    assert [p for p, _ in loopback.hits] == ["/robots.txt"]


def test_5xx_is_retried_and_4xx_is_not(loopback):
    calls = {"n": 0}

    def flaky(handler):
        calls["n"] += 1
        send(handler, 503 if calls["n"] < 2 else 200, b"<html>back</html>", "text/html")

    loopback.routes["/flaky"] = flaky
    assert get(loopback.url + "/flaky").body == b"<html>back</html>"
    loopback.serve("/gone", "nope", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        get(loopback.url + "/gone")
    assert sum(1 for p, _ in loopback.hits if p == "/gone") == 1


def test_a_retry_after_beyond_the_budget_means_not_this_run(loopback):
    loopback.serve("/busy", "slow down", status=429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    with pytest.raises(FetchError, match="not this run"):
        get(loopback.url + "/busy", budget=5)
    assert time.monotonic() - started < 3


def test_a_gzip_bomb_is_refused_at_the_cap_after_decompression(loopback):
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    loopback.serve("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="cap"):
        get(loopback.url + "/bomb", Limits(max_bytes=1024 * 1024))


def test_gzip_bodies_are_decoded(loopback):
    loopback.serve("/gz", gzip.compress(b"<html>zipped</html>"), headers={"Content-Encoding": "gzip"})
    assert get(loopback.url + "/gz").body == b"<html>zipped</html>"


def test_redirect_loops_are_cut(loopback):
    loopback.serve("/a", "", status=302, headers={"Location": "/b"})
    loopback.serve("/b", "", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        get(loopback.url + "/a")


def test_private_addresses_are_refused_after_resolution_without_traffic():
    async def resolver(host: str, port: int) -> list[str]:
        return {"intranet.example": ["10.0.0.7"], "metadata.example": ["169.254.169.254"],
                "mapped.example": ["::ffff:127.0.0.1"]}[host]

    for host in ("intranet.example", "metadata.example", "mapped.example"):
        with pytest.raises(BlockedAddress, match="non-public .* address"):
            get(f"http://{host}/events", allow_private=False, resolver=resolver)


def test_only_http_and_https(loopback):
    with pytest.raises(BlockedAddress, match="only http and https"):
        get("file:///etc/passwd")
