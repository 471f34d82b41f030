"""Polite, bounded fetching: one Fetcher per run, a small httpx connection pool per host.

Every request is bounded in time (connect, read and a total deadline), in size
(counted after decompression, which is done here in bounded steps so a gzip
bomb never inflates in memory), in redirects, and in where it may go (only
http/https, and no private, loopback, link-local or multicast address unless
allowed; the connection goes to the very addresses that were checked, see
`eventscout.flows.reading.address_guard`). Politeness is built in: robots.txt with its Crawl-delay, a global and
a per-host concurrency limit, retries with backoff and jitter only where they
can help.
"""

from __future__ import annotations

import asyncio
import random
import time
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
import httpcore
import httpx
from protego import Protego

from eventscout.flows.reading.address_guard import PinnedBackend, Resolver, refuse, system_resolver
from eventscout.flows.reading.env_numbers import positive_number
from eventscout.flows.reading.errors import BlockedAddress, Cause, FetchError, NotReached

USER_AGENT = "eventscout/0.1 (+https://github.com/eventscout/eventscout; association event calendar reader)"
ROBOTS_AGENT = "eventscout"



@dataclass
class Limits:
    """The bounds of a run; defaults keep a run of sixteen failing sources under 150 s."""

    concurrency: int = 16
    per_host: int = 2
    #: the total deadline of one request, whatever the server drips
    request_timeout: float = 20.0
    connect_timeout: float = 10.0
    #: one source's reads, retries and backoff included; counted from when its turn comes
    source_budget: float = 40.0
    #: the whole run; sources whose turn has not come by then are reported as not reached
    run_budget: float = 1800.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 10
    retries: int = 2
    backoff: float = 1.0
    #: one source's events in a run; over it the soonest are kept (a feed of 20,000 events over
    #: twenty sources is 1,000 each: a source listing more is a runaway feed, not a calendar)
    max_events_per_source: int = 5_000

    @classmethod
    def from_env(cls) -> Limits:
        num = positive_number
        d = cls()
        return cls(
            concurrency=int(num("EVENTSCOUT_CONCURRENCY", d.concurrency, int)),
            per_host=int(num("EVENTSCOUT_PER_HOST", d.per_host, int)),
            request_timeout=num("EVENTSCOUT_REQUEST_TIMEOUT", d.request_timeout),
            source_budget=num("EVENTSCOUT_SOURCE_BUDGET", d.source_budget),
            run_budget=num("EVENTSCOUT_RUN_BUDGET", d.run_budget),
            max_bytes=int(num("EVENTSCOUT_MAX_BYTES", d.max_bytes, int)),
            max_events_per_source=int(num("EVENTSCOUT_SOURCE_MAX_EVENTS", d.max_events_per_source, int)),
        )


@dataclass
class Response:
    """A successful read: 2xx (or 304) with its body, bounded and decoded."""

    url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None = None
    last_modified: str | None = None
    elapsed: float = 0.0
    attempts: int = 1
    location: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def modified_on(self) -> date | None:
        """The day Last-Modified names, when it names one: the day the page's year-less
        dates are read near."""
        if not self.last_modified:
            return None
        try:
            return parsedate_to_datetime(self.last_modified).date()
        except (TypeError, ValueError, IndexError):
            return None


class _Decoder:
    """Content-Encoding undone in bounded steps: output is capped before it is produced."""

    def __init__(self, encoding: str, cap: int) -> None:
        encoding = encoding.strip().lower()
        self.cap = cap
        self._raw_deflate_possible = encoding == "deflate"
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")
        self.size = 0
        self.parts: list[bytes] = []

    def feed(self, data: bytes) -> None:
        if self._z is None:
            self._take(data)
            return
        try:
            while data:
                out = self._z.decompress(data, self.cap - self.size + 1)
                self._take(out)
                data = self._z.unconsumed_tail
        except zlib.error as exc:
            if self._raw_deflate_possible and not self.parts:
                # "deflate" sent without its zlib header, as some servers do: read it raw
                self._raw_deflate_possible = False
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self.feed(data)
                return
            raise FetchError(f"broken compressed body ({exc})") from None

    def _take(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise FetchError(f"body larger than the {self.cap // (1024 * 1024)} MB cap "
                             "(after decompression); refused")
        self.parts.append(data)

    @property
    def complete(self) -> bool:
        """False when a compressed body stopped before its end: a truncation no header reveals."""
        return self._z is None or self._z.eof

    def body(self) -> bytes:
        return b"".join(self.parts)


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
    robots: Protego | None = None
    robots_loaded: asyncio.Lock = field(default_factory=asyncio.Lock)
    crawl_delay: float = 0.0
    next_slot: float = 0.0
    client: httpx.AsyncClient | None = None


def _failed(lookup: asyncio.Future) -> bool:
    return lookup.done() and (lookup.cancelled() or lookup.exception() is not None)


#: how long one host's looked-up addresses are used (Scrapy's DNS cache keeps them for the crawl)
RESOLVED_FOR = 60.0


class Fetcher:
    """One shared client; use as `async with Fetcher(...) as f: await f.get(url, deadline=...)`."""

    def __init__(self, limits: Limits | None = None, *, allow_private: bool = False,
                 resolver: Resolver | None = None, respect_robots: bool = True,
                 transport: httpx.AsyncBaseTransport | None = None,
                 network_backend: httpcore.AsyncNetworkBackend | None = None) -> None:
        """`transport` replaces the network altogether (tests); `network_backend` is what opens
        the sockets to the checked addresses (tests inject one that records them)."""
        self.limits = limits or Limits()
        self.allow_private = allow_private
        self.resolver = resolver or system_resolver
        #: (host, port) -> its addresses' lookup, for RESOLVED_FOR seconds: one lookup per host, not per request
        self._resolved: dict[tuple[str, int], tuple[float, asyncio.Future[list[str]]]] = {}
        self.respect_robots = respect_robots
        self._transport = transport
        self._backend = PinnedBackend(network_backend)
        self._global = asyncio.Semaphore(self.limits.concurrency)
        self._hosts: dict[str, _Host] = {}
        self._client: httpx.AsyncClient | None = None
        self._sources = asyncio.Semaphore(self.limits.concurrency)
        self._source_turns: dict[str, asyncio.Semaphore] = {}
        #: sources whose turn is given up while their pages are read (`step_aside`)
        self._aside = 0
        self.run_deadline = time.monotonic() + self.limits.run_budget
        self._host_clients: list[httpx.AsyncClient] = []

    @asynccontextmanager
    async def turn(self, url: str, *, allow_private: bool = False) -> AsyncIterator[float]:
        """Wait for a source's turn (at most `per_host` sources of one host at once); yields its deadline.

        A source's budget starts when its turn comes, not while it queues behind
        slow neighbours on its host; a source still queued when the run's budget
        ends raises NotReached. The host's robots.txt is read before the turn,
        so the sources waiting for it hold none of the run's slots. While its
        page is read, a source may give its turn up (`step_aside`).
        """
        host = self._source_turns.setdefault(urlsplit(url).netloc.lower(),
                                             asyncio.Semaphore(self.limits.per_host))
        try:
            async with asyncio.timeout(max(0.0, self.run_deadline - time.monotonic())):
                await self._read_robots(url, allow_private)
                # host first: a source queued behind its own host must not hold one of
                # the run's global slots while other hosts' sources could use it
                await _acquire_both(host, self._sources)
        except TimeoutError:
            raise NotReached(f"not reached: the run's {self.limits.run_budget:.0f}s time budget "
                             "ran out before its turn") from None
        turn = _Turn(host)
        token = _CURRENT_TURN.set(turn)
        try:
            now = time.monotonic()
            if now >= self.run_deadline:
                raise NotReached(f"not reached: the run's {self.limits.run_budget:.0f}s time budget "
                                 "ran out before its turn")
            yield min(now + self.limits.source_budget, self.run_deadline)
        finally:
            _CURRENT_TURN.reset(token)
            if turn.held:
                host.release()
                self._sources.release()
            else:
                self._aside -= 1

    def step_aside(self) -> None:
        """Give up the current source's turn while its page waits for a reader and is read.

        Reading is not fetching: a source holding its slots meanwhile keeps
        other sources from being fetched, and on a large run the readers then
        wait for pages. At most `concurrency` sources stand aside at once, so
        the pages waiting to be read stay bounded; past that a source keeps its
        turn. `take_turn_back` before fetching again.
        """
        turn = _CURRENT_TURN.get()
        if turn is None or not turn.held or self._aside >= self.limits.concurrency:
            return
        turn.held = False
        self._aside += 1
        turn.host.release()
        self._sources.release()

    async def take_turn_back(self) -> None:
        """Wait for the slots the current source gave up (`step_aside`); at once when it kept them."""
        turn = _CURRENT_TURN.get()
        if turn is None or turn.held:
            return
        await _acquire_both(turn.host, self._sources)
        turn.held = True
        self._aside -= 1

    def _new_client(self, connections: int) -> httpx.AsyncClient:
        timeout = httpx.Timeout(self.limits.request_timeout, connect=self.limits.connect_timeout)
        pool = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        return httpx.AsyncClient(
            timeout=timeout, limits=pool, follow_redirects=False,
            transport=self._transport or self._pinned_transport(pool),
            verify=self._tls, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate",
                                       "Accept": "text/html,application/xhtml+xml,application/json,"
                                                 "text/calendar,application/ld+json,application/xml;q=0.9,*/*;q=0.8"},
            trust_env=False)

    def _pinned_transport(self, pool: httpx.Limits) -> httpx.AsyncHTTPTransport:
        """httpx's own transport, its connection pool opening connections through the pinned backend
        (httpx 0.28 takes no network backend itself; httpcore's pool does)."""
        transport = httpx.AsyncHTTPTransport(verify=self._tls, limits=pool, trust_env=False)
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=self._tls, max_connections=pool.max_connections,
            max_keepalive_connections=pool.max_keepalive_connections, keepalive_expiry=pool.keepalive_expiry,
            network_backend=self._backend)
        return transport

    async def __aenter__(self) -> Fetcher:
        import ssl

        self.run_deadline = time.monotonic() + self.limits.run_budget
        self._tls = ssl.create_default_context()  # one TLS context for every client
        self._client = self._new_client(self.limits.concurrency * 2)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for client in [self._client, *self._host_clients]:
            if client is not None:
                await client.aclose()

    def _client_for(self, host: _Host) -> httpx.AsyncClient:
        """A small connection pool per host: httpcore's pool scans every connection on every
        request, so one pool of hundreds of connections costs more CPU than the parsing.
        With an injected transport (tests) every host shares the one client."""
        assert self._client is not None, "use Fetcher as an async context manager"
        if self._transport is not None:
            return self._client
        if host.client is None:
            host.client = self._new_client(self.limits.per_host * 2)
            self._host_clients.append(host.client)
        return host.client

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(self.limits.per_host))
        return host

    async def _check_address(self, url: str, allow_private: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedAddress(f"refused {parts.scheme or 'relative'!s}: URL {url!r}: only http and https are fetched")
        if not parts.hostname:
            raise BlockedAddress(f"refused URL {url!r}: no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise BlockedAddress(f"refused URL {url!r}: bad port") from None
        try:
            addresses = await self._resolve(parts.hostname, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {parts.hostname} ({exc})", retryable=True,
                             cause=Cause.UNRESOLVED) from None
        if not addresses:
            raise FetchError(f"cannot resolve {parts.hostname} (no addresses)", retryable=True,
                             cause=Cause.UNRESOLVED)
        for address in addresses:
            refuse(parts.hostname, address, allow_private or self.allow_private, "resolves to")
        self._backend.pin(httpx.URL(url).raw_host.decode("ascii"), addresses)  # as httpcore will name it

    async def _resolve(self, host: str, port: int) -> list[str]:
        """`host`'s addresses, looked up once per RESOLVED_FOR seconds (requests at once share the lookup).

        A run reads many pages from one host; a lookup per request cost a thread
        hop each. Failures are not kept: the next request looks again.
        """
        now = time.monotonic()
        known = self._resolved.get((host, port))
        if known is None or now - known[0] > RESOLVED_FOR or _failed(known[1]):
            lookup = asyncio.ensure_future(self.resolver(host, port))
            self._resolved[host, port] = (now, lookup)
        else:
            lookup = known[1]
        return list(await asyncio.shield(lookup))

    async def get(self, url: str, *, deadline: float, etag: str | None = None,
                  last_modified: str | None = None, allow_private: bool = False) -> Response:
        """Read one URL with retries, all within `deadline` (a `time.monotonic()` instant)."""
        attempt = 0
        started = time.monotonic()
        while True:
            attempt += 1
            try:
                response = await self._attempt(url, deadline, etag, last_modified, allow_private)
                response.attempts = attempt
                response.elapsed = time.monotonic() - started
                return response
            except FetchError as exc:
                if not exc.retryable or attempt > self.limits.retries:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else (
                    self.limits.backoff * 2 ** (attempt - 1) * (0.5 + random.random()))
                remaining = deadline - time.monotonic()
                if wait >= remaining:
                    if exc.retry_after is not None:
                        raise FetchError(f"{exc.reason}; Retry-After {exc.retry_after:.0f}s is beyond this "
                                         "source's time budget: not this run", cause=exc.cause) from None
                    raise
                await asyncio.sleep(wait)

    async def _attempt(self, url: str, deadline: float, etag: str | None,
                       last_modified: str | None, allow_private: bool) -> Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("time budget for this source ran out", cause=Cause.TIMEOUT)
        try:
            async with asyncio.timeout(min(remaining, self.limits.request_timeout)):
                return await self._follow(url, etag, last_modified, allow_private)
        except TimeoutError:
            raise FetchError(f"timed out after {min(remaining, self.limits.request_timeout):.0f}s "
                             "(total deadline for the request)", retryable=True, cause=Cause.TIMEOUT) from None

    async def _follow(self, url: str, etag: str | None, last_modified: str | None,
                      allow_private: bool) -> Response:
        seen: list[str] = []
        current = url
        for _ in range(self.limits.max_redirects + 1):
            await self._check_address(current, allow_private)
            if self.respect_robots and not await self._robots_allow(current, allow_private):
                raise FetchError(f"robots.txt of {urlsplit(current).hostname} disallows {current}",
                                 cause=Cause.REFUSED)
            headers = {}
            if current == url and etag:
                headers["If-None-Match"] = etag
            if current == url and last_modified:
                headers["If-Modified-Since"] = last_modified
            response = await self._request(current, headers, allow_private)
            if response.status in (301, 302, 303, 307, 308):
                location = response.location
                if not location:
                    raise FetchError(f"HTTP {response.status} redirect without a Location header")
                seen.append(current)
                current = urljoin(current, location)
                if current in seen:
                    raise FetchError(f"redirect loop at {current}")
                continue
            return response
        raise FetchError(f"more than {self.limits.max_redirects} redirects")

    def _check_peer(self, r: httpx.Response, url: str, allow_private: bool) -> None:
        """The address actually connected to must pass the guard too (DNS may change in between)."""
        stream = r.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if peer:
            refuse(urlsplit(url).hostname or url, str(peer[0]), allow_private or self.allow_private,
                    "connected to")

    async def _request(self, url: str, headers: dict[str, str], allow_private: bool = False) -> Response:
        host = self._host(urlsplit(url).netloc.lower())
        client = self._client_for(host)
        async with host.semaphore:
            await self._wait_turn(host)  # a Crawl-delay wait holds the host's slot, not a global one
            async with self._global:
                return await self._send(client, url, headers, allow_private)

    async def _send(self, client: httpx.AsyncClient, url: str, headers: dict[str, str],
                    allow_private: bool) -> Response:
        try:
            async with client.stream("GET", url, headers=headers) as r:
                self._check_peer(r, url, allow_private)
                if r.status_code in (301, 302, 303, 307, 308):
                    return Response(url, r.status_code, b"", None, location=r.headers.get("location"))
                if r.status_code == 304:
                    return Response(url, 304, b"", r.headers.get("content-type"),
                                    r.headers.get("etag"), r.headers.get("last-modified"))
                if r.status_code == 429 or r.status_code >= 500:
                    raise FetchError(f"HTTP {r.status_code}", retryable=True, cause=Cause.HTTP,
                                     retry_after=_retry_after(r.headers.get("retry-after")))
                if not 200 <= r.status_code < 300:
                    raise FetchError(f"HTTP {r.status_code}", cause=Cause.HTTP)
                body = await self._read_body(r)
                return Response(str(r.url), r.status_code, body, r.headers.get("content-type"),
                                r.headers.get("etag"), r.headers.get("last-modified"))
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__})", retryable=True, cause=Cause.TIMEOUT) from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            what = str(exc) or type(exc).__name__
            if "complete message body" in what or "incomplete" in what.lower():
                raise FetchError(f"body cut short ({what})", retryable=True) from None
            raise FetchError(f"connection broken while reading ({what})", retryable=True) from None
        except httpx.ConnectError as exc:
            raise FetchError(f"cannot connect ({str(exc) or 'refused'})", retryable=True,
                             cause=Cause.UNREACHABLE) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"HTTP error ({str(exc) or type(exc).__name__})") from None

    async def _read_body(self, r: httpx.Response) -> bytes:
        cap = self.limits.max_bytes
        declared = r.headers.get("content-length")
        encoding = r.headers.get("content-encoding", "")
        if declared and declared.isdigit() and int(declared) > cap and encoding in ("", "identity"):
            raise FetchError(f"body of {int(declared) // (1024 * 1024)} MB exceeds the "
                             f"{cap // (1024 * 1024)} MB cap; refused")
        decoder = _Decoder(encoding, cap)
        async for chunk in r.aiter_raw():
            decoder.feed(chunk)
        if declared and declared.isdigit() and r.num_bytes_downloaded < int(declared):
            raise FetchError(f"body cut short ({r.num_bytes_downloaded} of {declared} bytes)",
                             retryable=True)
        if not decoder.complete:
            raise FetchError("body cut short (the compressed stream ends early)", retryable=True)
        return decoder.body()

    async def _wait_turn(self, host: _Host) -> None:
        if host.crawl_delay <= 0:
            return
        now = time.monotonic()
        slot = max(now, host.next_slot)
        host.next_slot = slot + host.crawl_delay
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _read_robots(self, url: str, allow_private: bool) -> None:
        """Load the host's robots.txt ahead of its sources; any problem is left for the read to report.

        Nothing is awaited before the host's lock, so a host's sources pass it,
        and then take their turns, in the order they were queued.
        """
        if not self.respect_robots:
            return
        parts = urlsplit(url)
        host = self._host(parts.netloc.lower())
        async with host.robots_loaded:
            if host.robots is not None:
                return
            try:
                await self._check_address(url, allow_private)
            except FetchError:
                return
            await self._load_host_robots(host, parts.scheme, parts.netloc, allow_private)

    async def _robots_allow(self, url: str, allow_private: bool) -> bool:
        parts = urlsplit(url)
        host = self._host(parts.netloc.lower())
        async with host.robots_loaded:
            if host.robots is None:
                await self._load_host_robots(host, parts.scheme, parts.netloc, allow_private)
        return host.robots.can_fetch(url, ROBOTS_AGENT)

    async def _load_host_robots(self, host: _Host, scheme: str, netloc: str, allow_private: bool) -> None:
        host.robots = await self._load_robots(f"{scheme}://{netloc}/robots.txt", allow_private)
        delay = host.robots.crawl_delay(ROBOTS_AGENT)
        host.crawl_delay = min(float(delay), 30.0) if delay else 0.0

    async def _load_robots(self, robots_url: str, allow_private: bool) -> Protego:
        """robots.txt, read once per host per run; a missing or broken one allows everything.

        Protego (Scrapy's parser) follows RFC 9309: `*` and `$` in rules, and the
        longest matching rule wins, where urllib's parser matches plain prefixes.
        """
        text = ""
        try:
            async with asyncio.timeout(min(10.0, self.limits.request_timeout)):
                response = await self._request(robots_url, {}, allow_private)
            if response.status == 200:
                text = response.body[:512_000].decode("utf-8", "replace")
        except (FetchError, TimeoutError):
            text = ""
        return Protego.parse(text)


class _Turn:
    """A source's hold on its host's slot and one of the run's: `held` unless it stepped aside."""

    __slots__ = ("host", "held")

    def __init__(self, host: asyncio.Semaphore) -> None:
        self.host = host
        self.held = True


#: the turn of the source the current task reads
_CURRENT_TURN: ContextVar[_Turn | None] = ContextVar("eventscout_turn", default=None)


async def _acquire_both(host: asyncio.Semaphore, run: asyncio.Semaphore) -> None:
    """The host's slot, then one of the run's; neither when cancelled on the way."""
    await host.acquire()
    try:
        await run.acquire()
    except BaseException:
        host.release()
        raise


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
