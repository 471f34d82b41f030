"""Computed once, shared by everyone who asks: the server's caches.

When many people ask for the same custom feed at once, one request builds it
while the others wait for that answer instead of building it again (single
flight); the answer is then kept for later requests under the same key. Keys
carry their own freshness (the store's last run, the minute), so a new run
simply makes new keys and the old values age out. Request handlers run in
threads, so this is built on threading primitives.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    """Values by key, each computed once while concurrent callers of the same key wait for it.

    Keeps at most `items` values whose `weigh` (e.g. their size in bytes) adds
    up to at most `weight`, dropping the least recently used first; a value
    heavier than `weight` on its own is handed out but not kept. With
    `computing`, at most that many values are computed at once (the rest wait
    their turn), so CPU-bound work does not crowd out the thread that answers.
    """

    def __init__(self, items: int = 64, weight: int | None = None,
                 weigh: Callable[[T], int] = lambda value: 1, computing: int | None = None) -> None:
        self._turns = threading.BoundedSemaphore(computing) if computing else None
        self._items = items
        self._weight = weight
        self._weigh = weigh
        self._done: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self._pending: dict[Hashable, Future[T]] = {}
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under `key`: kept, being computed by another caller (wait for it), or computed now."""
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key][0]
            future = self._pending.get(key)
            if future is None:
                future = self._pending[key] = Future()
                owner = True
            else:
                owner = False
        if not owner:
            return future.result()
        try:
            if self._turns is None:
                value = compute()
            else:
                with self._turns:
                    value = compute()
        except BaseException as exc:
            with self._lock:
                del self._pending[key]
            future.set_exception(exc)
            raise
        with self._lock:
            del self._pending[key]
            self._keep(key, value)
        future.set_result(value)
        return value

    def _keep(self, key: Hashable, value: T) -> None:
        weight = self._weigh(value)
        if self._weight is not None and weight > self._weight:
            return
        self._done[key] = (value, weight)
        self._total += weight
        while len(self._done) > self._items or (self._weight is not None and self._total > self._weight):
            _, (_, dropped) = self._done.popitem(last=False)
            self._total -= dropped
