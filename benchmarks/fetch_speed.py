"""The fetching's CPU: httpcore's streams on asyncio's own against the same through anyio.

usage: python benchmarks/fetch_speed.py [ROUNDS]   (default 2)

Starts `crawl.py`'s loopback site (1,000 association pages on 100 hosts,
250 ms latency) and fetches every page with eventscout's Fetcher, 64 at once
and 4 per host as a run does, robots.txt included, once with each network
backend per round, alternated in one process. Prints wall and CPU seconds
of each and the CPU ratio; pages are only fetched, not read.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import httpcore

sys.path.insert(0, str(Path(__file__).resolve().parent))
import crawl  # noqa: E402

from eventscout.flows.reading.asyncio_streams import AsyncioBackend  # noqa: E402
from eventscout.flows.reading.fetch import Fetcher, Limits  # noqa: E402

PAGES, HOSTS, LATENCY = 1000, 100, 0.25


async def fetch_all(backend: httpcore.AsyncNetworkBackend) -> int:
    """Every page fetched once in its source's turn; the bytes read."""
    limits = Limits(concurrency=crawl.CONCURRENCY, per_host=crawl.PER_HOST)
    async with Fetcher(limits, allow_private=True, network_backend=backend) as fetcher:
        async def one(i: int) -> int:
            url = crawl.page_url(i, HOSTS)
            async with fetcher.turn(url, allow_private=True) as deadline:
                return len((await fetcher.get(url, deadline=deadline, allow_private=True)).body)

        return sum(await asyncio.gather(*(one(i) for i in range(PAGES))))


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    site = subprocess.Popen([sys.executable, crawl.__file__, "--serve", str(PAGES), str(HOSTS), str(LATENCY)],
                            stdout=subprocess.PIPE)
    try:
        assert site.stdout is not None and site.stdout.readline().strip() == b"ready"
        print(f"{PAGES} pages on {HOSTS} hosts, {LATENCY * 1000:.0f} ms latency, "
              f"{crawl.CONCURRENCY} at once / {crawl.PER_HOST} per host")
        print(f"{'round':>5} {'streams':8} {'wall s':>7} {'CPU s':>6} {'bytes':>10}")
        for n in range(rounds):
            cpu = {}
            for name, backend in (("anyio", httpcore.AnyIOBackend()), ("asyncio", AsyncioBackend())):
                started, used = time.monotonic(), time.process_time()
                read = asyncio.run(fetch_all(backend))
                cpu[name] = time.process_time() - used
                print(f"{n:5d} {name:8} {time.monotonic() - started:7.2f} {cpu[name]:6.2f} {read:10d}")
            print(f"      asyncio's streams use {cpu['asyncio'] / cpu['anyio']:.2f}x anyio's CPU")
    finally:
        site.terminate()
        site.wait()


if __name__ == "__main__":
    main()
