"""The fetcher against a real loopback server: bounded, polite, and guarded."""

from __future__ import annotations

import asyncio
import gzip
import time

import httpcore
import httpx
import pytest

from eventscout.flows.reading.fetch import BlockedAddress, Fetcher, FetchError, Limits
from tests.support import send


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


def test_robots_txt_wildcard_and_end_anchor_rules_are_obeyed(loopback):
    """`*` and `$` (RFC 9309), which urllib's robotparser reads as literal prefixes and so lets through."""
    loopback.serve("/robots.txt", "User-agent: *\nDisallow: /*.ics$\nDisallow: /private*\n", "text/plain")
    loopback.serve("/calendar/events.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    loopback.serve("/private-events", "<html>secret</html>")
    loopback.serve("/events", "<html>open</html>")
    for refused in ("/calendar/events.ics", "/private-events"):
        with pytest.raises(FetchError, match="robots.txt"):
            get(loopback.url + refused)
    assert get(loopback.url + "/events").body == b"<html>open</html>"
    assert "/calendar/events.ics" not in [p for p, _ in loopback.hits]
    assert "/private-events" not in [p for p, _ in loopback.hits]


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


def test_deflate_with_and_without_its_zlib_header_is_decoded(loopback):
    import zlib

    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    loopback.serve("/raw", raw.compress(b"<html>raw</html>") + raw.flush(), headers={"Content-Encoding": "deflate"})
    loopback.serve("/zlib", zlib.compress(b"<html>zlib</html>"), headers={"Content-Encoding": "deflate"})
    assert get(loopback.url + "/raw").body == b"<html>raw</html>"
    assert get(loopback.url + "/zlib").body == b"<html>zlib</html>"


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


# -- the SSRF guard, without traffic to the addresses it refuses ------------------------------

class Recorder(httpx.AsyncBaseTransport):
    """A transport that answers from a table and records every request that got past the guard."""

    def __init__(self, answers: dict[str, tuple[int, dict[str, str], bytes]]) -> None:
        self.answers = answers
        self.sent: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(str(request.url))
        status, headers, body = self.answers.get(str(request.url), (404, {}, b""))
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))


ADDRESSES = {"public.example": ["93.184.216.34"], "intranet.example": ["10.0.0.7"],
             "loop.example": ["127.0.0.1"], "ula.example": ["fd00::1"],
             "metadata.example": ["169.254.169.254"], "multicast.example": ["224.0.0.1"],
             "linklocal6.example": ["fe80::1"], "mixed.example": ["93.184.216.34", "192.168.1.1"]}


async def fake_resolver(host: str, port: int) -> list[str]:
    return ADDRESSES[host]


def guarded_get(url: str, transport: Recorder, *, allow_private: bool = False):
    async def go():
        async with Fetcher(Limits(backoff=0.01), allow_private=allow_private, resolver=fake_resolver,
                           respect_robots=False, transport=transport) as f:
            return await f.get(url, deadline=time.monotonic() + 5)

    return asyncio.run(go())


@pytest.mark.parametrize("host", ["intranet.example", "loop.example", "ula.example", "metadata.example",
                                  "multicast.example", "linklocal6.example", "mixed.example"])
def test_non_public_addresses_are_refused_before_any_request(host):
    transport = Recorder({})
    with pytest.raises(BlockedAddress, match=r"non-public \((private|loopback|link-local|multicast|cloud metadata)\)"):
        guarded_get(f"http://{host}/events", transport)
    assert transport.sent == []


def test_allowing_private_opens_loopback_and_private_but_never_link_local_or_multicast():
    transport = Recorder({"http://intranet.example/events": (200, {}, b"<html>in</html>")})
    assert guarded_get("http://intranet.example/events", transport, allow_private=True).body == b"<html>in</html>"
    for host in ("metadata.example", "multicast.example", "linklocal6.example"):
        with pytest.raises(BlockedAddress):
            guarded_get(f"http://{host}/events", transport, allow_private=True)
    assert transport.sent == ["http://intranet.example/events"]


def test_every_redirect_hop_passes_the_guard():
    transport = Recorder({"http://public.example/events": (
        302, {"Location": "http://metadata.example/latest/meta-data/"}, b"")})
    with pytest.raises(BlockedAddress, match="metadata.example"):
        guarded_get("http://public.example/events", transport)
    assert transport.sent == ["http://public.example/events"]


class ToLoopback(httpcore.AsyncNetworkBackend):
    """Opens every connection to the loopback server, whatever address it was asked for:
    a connection that lands elsewhere than the address that was checked (a NAT, a proxy)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.asked: list[tuple[str, int]] = []
        self.real = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.asked.append((host, port))
        return await self.real.connect_tcp("127.0.0.1", self.port, timeout, local_address, socket_options)

    async def sleep(self, seconds):
        await self.real.sleep(seconds)


class Refusing(httpcore.AsyncNetworkBackend):
    """Records where each connection was to go and opens none: no traffic leaves the test."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.asked.append((host, port))
        raise httpcore.ConnectError("no network in tests")

    async def sleep(self, seconds):
        await asyncio.sleep(seconds)


def test_the_connected_peer_is_checked_too(loopback):
    """The guard checked a public address, the connection landed on loopback: the answer is refused."""
    loopback.serve("/events", "<html>internal</html>")

    async def public_resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    backend = ToLoopback(int(loopback.url.rsplit(":", 1)[1]))

    async def go():
        async with Fetcher(Limits(retries=0), resolver=public_resolver, respect_robots=False,
                           network_backend=backend) as f:
            return await f.get("http://assoc.example/events", deadline=time.monotonic() + 5)

    with pytest.raises(BlockedAddress, match=r"connected to the non-public \(loopback\) address 127.0.0.1"):
        asyncio.run(go())
    assert backend.asked == [("93.184.216.34", 80)]


def test_dns_rebinding_gets_no_request_through(loopback):
    """The name answers the guard with a public address and any later lookup with loopback:
    the connection goes to the address that was checked, so nothing reaches the loopback server."""
    loopback.serve("/events", "<html>internal</html>")
    loopback.serve("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    port = int(loopback.url.rsplit(":", 1)[1])
    lookups: list[str] = []

    async def rebinding_resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["93.184.216.34"] if len(lookups) == 1 else ["127.0.0.1"]

    backend = Refusing()

    async def go():
        async with Fetcher(Limits(retries=0), resolver=rebinding_resolver, network_backend=backend) as f:
            async with f.turn(f"http://rebind.example:{port}/events") as deadline:
                return await f.get(f"http://rebind.example:{port}/events", deadline=deadline)

    with pytest.raises(FetchError):
        asyncio.run(go())
    assert loopback.hits == []
    assert backend.asked and all(address != "127.0.0.1" for address, _ in backend.asked)
    assert ("93.184.216.34", port) in backend.asked, "robots.txt and the page went to the checked address"


def test_a_private_site_is_read_at_the_checked_address_under_its_own_name(loopback):
    """With private addresses allowed, robots.txt and the page go to the resolved address, named by host."""
    loopback.serve("/events", "<html>chapter events</html>")
    port = int(loopback.url.rsplit(":", 1)[1])

    async def resolver(host: str, port: int) -> list[str]:
        return {"chapter.example": ["127.0.0.1"]}[host]

    async def go():
        async with Fetcher(Limits(retries=0), resolver=resolver, allow_private=True) as f:
            return await f.get(f"http://chapter.example:{port}/events", deadline=time.monotonic() + 5)

    assert asyncio.run(go()).body == b"<html>chapter events</html>"
    assert [path for path, _ in loopback.hits] == ["/robots.txt", "/events"]
    assert all(headers["Host"] == f"chapter.example:{port}" for _, headers in loopback.hits)


def test_a_host_is_looked_up_once_for_many_pages_and_again_after_a_failed_lookup(loopback):
    """One lookup serves the run's requests to a host, also requests made at once; a failed one is not kept."""
    for n in range(4):
        loopback.serve(f"/events/{n}", f"<html>page {n}</html>")
    port = int(loopback.url.rsplit(":", 1)[1])
    lookups: list[str] = []
    answers = iter([OSError("temporary failure in name resolution")])

    async def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        await asyncio.sleep(0.05)  # the requests made at once all wait on this one lookup
        failure = next(answers, None)
        if failure is not None:
            raise failure
        return ["127.0.0.1"]

    async def go():
        async with Fetcher(Limits(retries=0), resolver=resolver, allow_private=True) as f:
            deadline = time.monotonic() + 5
            with pytest.raises(FetchError, match="cannot resolve"):
                await f.get(f"http://chapter.example:{port}/events/0", deadline=deadline)
            pages = await asyncio.gather(*(f.get(f"http://chapter.example:{port}/events/{n}", deadline=deadline)
                                           for n in range(4)))
            return [p.body for p in pages]

    assert asyncio.run(go()) == [f"<html>page {n}</html>".encode() for n in range(4)]
    assert lookups == ["chapter.example", "chapter.example"]


# -- bounded in time and size ------------------------------------------------------------------

def test_a_slow_drip_is_cut_by_the_total_deadline(loopback):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.1)

    loopback.routes["/drip"] = drip
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        get(loopback.url + "/drip", Limits(request_timeout=1.0, retries=0))
    assert time.monotonic() - started < 3


def _close_delimited(handler, body: bytes, headers: dict[str, str]) -> None:
    handler.send_response(200)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)
    handler.close_connection = True


def test_a_truncated_gzip_body_without_content_length_is_noticed(loopback):
    whole = gzip.compress(b"<html>" + b"event " * 20000 + b"</html>")
    loopback.routes["/cut"] = lambda h: _close_delimited(h, whole[: len(whole) // 2], {"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="cut short"):
        get(loopback.url + "/cut", Limits(retries=0))


def test_a_body_without_length_is_streamed_and_refused_at_the_cap(loopback):
    def endless(handler):
        _close_delimited(handler, b"", {"Content-Type": "text/html"})
        for _ in range(8 * 1024):  # 8 MB, well past the 1 MB cap
            handler.wfile.write(b"y" * 1024)

    loopback.routes["/huge"] = endless
    with pytest.raises(FetchError, match="1 MB cap"):
        get(loopback.url + "/huge", Limits(max_bytes=1024 * 1024, retries=0))


def test_a_declared_length_above_the_cap_is_refused_unread(loopback):
    loopback.serve("/big", b"z" * (2 * 1024 * 1024))
    with pytest.raises(FetchError, match="exceeds the 1 MB cap"):
        get(loopback.url + "/big", Limits(max_bytes=1024 * 1024))


def test_a_short_retry_after_is_waited_for_and_then_read(loopback):
    calls = {"n": 0}

    def busy_once(handler):
        calls["n"] += 1
        if calls["n"] == 1:
            send(handler, 429, b"busy", "text/plain", {"Retry-After": "1"})
        else:
            send(handler, 200, b"<html>now</html>", "text/html")

    loopback.routes["/busy-once"] = busy_once
    response = get(loopback.url + "/busy-once")
    assert response.body == b"<html>now</html>" and response.attempts == 2 and response.elapsed >= 1


def test_redirects_are_followed_up_to_the_limit_and_no_further(loopback):
    for n in range(12):
        loopback.serve(f"/hop/{n}", "", status=302, headers={"Location": f"/hop/{n + 1}"})
    loopback.serve("/hop/10", "<html>arrived</html>")
    assert get(loopback.url + "/hop/0").body == b"<html>arrived</html>"
    with pytest.raises(FetchError, match="more than 9 redirects"):
        get(loopback.url + "/hop/0", Limits(max_redirects=9))


# -- addresses that carry other addresses, and cloud metadata ----------------------------------

UNSAFE_EVEN_WITH_PRIVATE = {"6to4-metadata.example": "2002:a9fe:a9fe::1", "nat64-metadata.example": "64:ff9b::a9fe:a9fe",
                            "nat64-local-metadata.example": "64:ff9b:1::a9fe:a9fe",
                            "site-local.example": "fec0::1", "aws6.example": "fd00:ec2::254",
                            "alibaba.example": "100.100.100.200", "azure.example": "168.63.129.16",
                            "ecs.example": "169.254.170.2", "compat-metadata.example": "::169.254.169.254"}
UNSAFE_UNLESS_PRIVATE = {"6to4-loop.example": "2002:7f00:1::", "nat64-loop.example": "64:ff9b::7f00:1",
                         "compat-loop.example": "::127.0.0.1", "nat64-private.example": "64:ff9b::a00:7",
                         "mapped-private.example": "::ffff:10.0.0.7"}


@pytest.mark.parametrize("host", [*UNSAFE_EVEN_WITH_PRIVATE, *UNSAFE_UNLESS_PRIVATE])
def test_embedded_site_local_and_metadata_addresses_are_refused_with_no_request(host):
    async def resolver(name: str, port: int) -> list[str]:
        return [{**UNSAFE_EVEN_WITH_PRIVATE, **UNSAFE_UNLESS_PRIVATE}[name]]

    async def go(allow_private: bool):
        async with Fetcher(Limits(retries=0), allow_private=allow_private, resolver=resolver,
                           network_backend=backend) as f:
            return await f.get(f"http://{host}/events", deadline=time.monotonic() + 5)

    backend = Refusing()
    with pytest.raises(BlockedAddress, match="non-public"):
        asyncio.run(go(False))
    if host in UNSAFE_EVEN_WITH_PRIVATE:
        with pytest.raises(BlockedAddress, match=r"\((cloud metadata|site-local|link-local)"):
            asyncio.run(go(True))
    assert backend.asked == []


@pytest.mark.parametrize(("address", "kind"), [
    ("2002:7f00:1::", "loopback, as 127.0.0.1 inside a 6to4 address"),
    ("64:ff9b::a9fe:a9fe", "cloud metadata, as 169.254.169.254 inside a NAT64 address"),
    ("::127.0.0.1", "loopback, as 127.0.0.1 inside an IPv4-compatible address"),
    ("::ffff:192.168.1.1", "private"),
    ("fec0::1", "site-local"),
    ("2002:5db8:d822::1", None),  # 6to4 of the public 93.184.216.34
    ("64:ff9b::5db8:d822", None),
    ("2606:2800:220:1:248:1893:25c8:1946", None),
])
def test_the_guard_judges_an_ipv6_address_by_the_ipv4_address_it_carries(address, kind):
    from eventscout.flows.reading.address_guard import address_refusal

    found = address_refusal(address)
    assert found == kind or (kind == "private" and found and found.startswith("private"))


def test_tls_names_the_host_while_connecting_to_the_checked_address(tmp_path, monkeypatch):
    """SNI and the certificate check use the URL's host although the socket goes to the pinned IP."""
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import trustme

    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    server_names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("chapter.example").configure_cert(context)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            send(self, 200, b"<html>secure chapter</html>", "text/html")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]

    async def resolver(host: str, port: int) -> list[str]:
        return {"chapter.example": ["127.0.0.1"], "impostor.example": ["127.0.0.1"]}[host]

    async def go(host: str):
        async with Fetcher(Limits(retries=0), resolver=resolver, allow_private=True, respect_robots=False) as f:
            return await f.get(f"https://{host}:{port}/events", deadline=time.monotonic() + 5)

    try:
        assert asyncio.run(go("chapter.example")).body == b"<html>secure chapter</html>"
        with pytest.raises(FetchError, match="certificate|CERTIFICATE|hostname"):
            asyncio.run(go("impostor.example"))
    finally:
        httpd.shutdown()
    assert server_names[:2] == ["chapter.example", "impostor.example"]


def test_an_international_host_name_connects_to_its_checked_address(loopback):
    loopback.serve("/events", "<html>Bücher events</html>")
    port = int(loopback.url.rsplit(":", 1)[1])

    async def resolver(host: str, port: int) -> list[str]:
        return {"bücher.example": ["127.0.0.1"]}[host]

    async def go():
        async with Fetcher(Limits(retries=0), resolver=resolver, allow_private=True, respect_robots=False) as f:
            return await f.get(f"http://Bücher.example:{port}/events", deadline=time.monotonic() + 5)

    assert asyncio.run(go()).body == "<html>Bücher events</html>".encode()
    assert loopback.hits[0][1]["Host"] == f"xn--bcher-kva.example:{port}"


def test_a_kept_alive_connection_the_server_closed_while_idle_is_not_sent_into():
    """The next page goes out on a new connection at once, not into the closed one and then again
    (httpcore asks the stream whether it turned readable while idle)."""
    connections: list[int] = []
    body = b"<html>chapter events</html>"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
        finally:
            writer.close()  # the server lets an idle connection go after one answer

    async def go() -> list[int]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, Fetcher(Limits(backoff=0.05), allow_private=True, respect_robots=False) as f:
            attempts = []
            for n in range(3):
                response = await f.get(f"http://127.0.0.1:{port}/events/{n}", deadline=time.monotonic() + 10)
                assert response.body == body
                attempts.append(response.attempts)
                await asyncio.sleep(0.1)  # the close reaches the client before the next page
            return attempts

    assert asyncio.run(go()) == [1, 1, 1]
    assert len(connections) == 3


def test_a_source_whose_page_is_being_read_lets_another_source_be_fetched(loopback):
    """One slot for the whole run: while the first source stands aside (its page with a reader),
    the second is fetched; the first takes its turn back afterwards, and the slot is never doubled."""
    loopback.serve("/a", "<html>a</html>")
    loopback.serve("/b", "<html>b</html>")
    order: list[str] = []

    async def go() -> None:
        async with Fetcher(Limits(concurrency=1, per_host=1, backoff=0.05), allow_private=True) as f:
            async def first() -> None:
                async with f.turn(loopback.url + "/a") as deadline:
                    await f.get(loopback.url + "/a", deadline=deadline)
                    f.step_aside()
                    order.append("a is read")
                    await asyncio.sleep(0.3)
                    await f.take_turn_back()
                    order.append("a has its turn back")

            async def second() -> None:
                await asyncio.sleep(0.05)
                async with f.turn(loopback.url + "/b") as deadline:
                    order.append("b has its turn")
                    await f.get(loopback.url + "/b", deadline=deadline)
                    await asyncio.sleep(0.1)
                    order.append("b is done")

            await asyncio.gather(first(), second())
            assert f._sources._value == 1 and f._aside == 0

    asyncio.run(go())
    assert order == ["a is read", "b has its turn", "b is done", "a has its turn back"]
