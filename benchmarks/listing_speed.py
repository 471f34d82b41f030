"""Throughput of the listing reader over the real listing pages (../shared/corpus/listings/pages).

usage: python benchmarks/listing_speed.py [ROUNDS] [listing|auto]
Each round parses every page afresh (a new Page, so the HTML tree is built
again) and runs the listing reader (`format: listing`, the default) or every
reader as `format: auto` does; reports MB/s of page bytes. The best round is reported, by wall clock and by this process's CPU
time: on a shared machine the CPU figure is the one that says how fast the
code is.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from eventscout.scrapers import Page, extract_page


def _pages() -> Path:
    for folder in Path(__file__).resolve().parents[1].parents:
        candidate = folder / "shared" / "corpus" / "listings" / "pages"
        if candidate.is_dir():
            return candidate
    raise SystemExit("the listings corpus (../shared/corpus/listings/pages) is not present")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    mode = sys.argv[2] if len(sys.argv) > 2 else "listing"
    bodies = [(p.as_uri(), p.read_bytes()) for p in sorted(_pages().glob("*.html"))]
    size = sum(len(b) for _, b in bodies)
    best = best_cpu = float("inf")
    events = 0
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        events = sum(len(extract_page(Page(body, url), mode, follow=False).events) for url, body in bodies)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
    mb = size / 1e6
    print(f"format {mode}: {len(bodies)} pages, {mb:.1f} MB, {events} events, best of {rounds} rounds: "
          f"wall {best:.2f} s = {mb / best:.1f} MB/s; CPU {best_cpu:.2f} s = {mb / best_cpu:.1f} MB/s")


if __name__ == "__main__":
    main()
