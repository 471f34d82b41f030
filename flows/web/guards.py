"""Bounds on what requests can cost the server, as middleware over the whole app.

`QueryLengthLimit` refuses an over-long query string at once, before it waits
for a turn or is parsed. `ConcurrencyLimit` takes a few requests at a time,
keeps a short queue, then answers a quick 503: on two cores, taking every
request at once makes every one of them slow and the process large. So at
most `active` requests are handled at once, at most `waiting` more wait (each
for at most `patience` seconds) for a turn, and any beyond that get an
immediate `503 Service Unavailable` with `Retry-After`, which feed readers
and browsers honour. Nothing queues without bound.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

#: what a client is told to wait before asking again, in seconds
RETRY_AFTER = 5


class QueryLengthLimit:
    """ASGI middleware: a query string longer than `limit` is a 400 naming the limit, answered at once."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        length = len(scope.get("query_string", b""))
        if scope["type"] == "http" and length > self.limit:
            await plain(send, 400, f"the query is {length:,} characters long; a query may be at most "
                                   f"{self.limit:,}: ask for fewer values")
            return
        await self.app(scope, receive, send)


class ConcurrencyLimit:
    """ASGI middleware over a whole app: `active` requests at once, `waiting` queued in turn, the rest refused.

    All of it runs on the event loop's one thread, so plain counters suffice.
    """

    def __init__(self, app: ASGIApp, *, active: int, waiting: int, patience: float = 5.0) -> None:
        self.app = app
        self.active = active
        self.waiting = waiting
        self.patience = patience
        self._running = 0
        #: one future per queued request: set to True when a turn passes to it, False when it waited too long
        self._queue: deque[asyncio.Future[bool]] = deque()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._running < self.active:
            self._running += 1
        elif len(self._queue) >= self.waiting:
            await busy(send, "the server is busy")
            return
        elif not await self._wait_for_turn():
            await busy(send, f"the server stayed busy for {self.patience:g} s")
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._pass_turn()

    async def _wait_for_turn(self) -> bool:
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[bool] = loop.create_future()
        self._queue.append(turn)
        timer = loop.call_later(self.patience, self._give_up, turn)
        try:
            return await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled() and turn.result():
                self._pass_turn()  # a turn reached a request that is gone: hand it on
            elif turn in self._queue:
                self._queue.remove(turn)
            raise
        finally:
            timer.cancel()

    def _give_up(self, turn: asyncio.Future[bool]) -> None:
        if not turn.done():
            self._queue.remove(turn)
            turn.set_result(False)

    def _pass_turn(self) -> None:
        """A request is done: its turn goes to the longest-waiting request, else the count drops."""
        while self._queue:
            turn = self._queue.popleft()
            if not turn.done():
                turn.set_result(True)
                return
        self._running -= 1


async def busy(send: Send, why: str) -> None:
    """503 with Retry-After, sent without touching the app."""
    await plain(send, 503, f"{why}; try again in {RETRY_AFTER} s", [(b"retry-after", str(RETRY_AFTER).encode())])


async def plain(send: Send, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    """A short text answer sent straight from middleware, never cached."""
    body = f"{message}\n".encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"),
                            (b"x-content-type-options", b"nosniff"), *headers]})
    await send({"type": "http.response.body", "body": body})
