"""How far a run's reading has got, for a live display: `read_sources` reports here, a terminal may watch.

Reading runs in the flow's event loop or, with prefetch, in a thread of the
same process, so one process-wide tally, behind a lock, sees every source.
Reading on Dask workers happens elsewhere and is not tallied.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class Tally:
    """Sources done of total, events found, and when each source in flight began."""

    total: int = 0
    done: int = 0
    failed: int = 0
    events: int = 0
    in_flight: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def started(self, source_id: str) -> None:
        with self._lock:
            self.in_flight[source_id] = time.monotonic()

    def finished(self, source_id: str, events: int, ok: bool) -> None:
        with self._lock:
            self.in_flight.pop(source_id, None)
            self.done += 1
            self.events += events
            self.failed += not ok

    def slowest(self, count: int = 3) -> list[tuple[str, float]]:
        """The sources in flight longest, with their seconds so far."""
        now = time.monotonic()
        with self._lock:
            ordered = sorted(self.in_flight.items(), key=lambda item: item[1])[:count]
        return [(source_id, now - began) for source_id, began in ordered]


_current: Tally | None = None


def watch(total: int) -> Tally:
    """Start tallying a run of `total` sources; `read_sources` reports to it until `unwatch`."""
    global _current
    _current = Tally(total=total)
    return _current


def unwatch() -> None:
    global _current
    _current = None


def current() -> Tally | None:
    return _current
