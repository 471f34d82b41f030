"""What reading the real listing pages costs against parsing them (../shared/corpus/listings/pages).

usage: python benchmarks/listing_speed.py [ROUNDS] [auto|listing]

Each round, page by page, times a bare lexbor parse of the page's bytes (the tree
walked to its body, as every reader needs at least) and then `extract` on the same
bytes (`format: auto`, the default: every structured reader the page offers, then
the listing reader; or `listing` alone), each on a fresh Page so nothing is cached
between them. The two are interleaved in one process, so a busy machine slows both
alike; the best round of each is reported, by this process's CPU time (on a shared
machine the figure that says how fast the code is) and by wall clock, with the
ratio extract / parse. The issue's target: at most 6x.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from eventscout.scrapers import Page, extract_page


def _pages() -> Path:
    for folder in Path(__file__).resolve().parents[1].parents:
        candidate = folder / "shared" / "corpus" / "listings" / "pages"
        if candidate.is_dir():
            return candidate
    raise SystemExit("the listings corpus (../shared/corpus/listings/pages) is not present")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    mode = sys.argv[2] if len(sys.argv) > 2 else "auto"
    bodies = [(p.as_uri(), p.read_bytes()) for p in sorted(_pages().glob("*.html"))]
    mb = sum(len(b) for _, b in bodies) / 1e6
    best = {"parse": [float("inf")] * 2, "extract": [float("inf")] * 2}
    events = 0
    for _ in range(rounds):
        spent = {"parse": [0.0, 0.0], "extract": [0.0, 0.0]}
        events = 0
        for url, body in bodies:
            cpu, wall = time.process_time(), time.perf_counter()
            _ = LexborHTMLParser(body).body
            spent["parse"][0] += time.process_time() - cpu
            spent["parse"][1] += time.perf_counter() - wall
            cpu, wall = time.process_time(), time.perf_counter()
            events += len(extract_page(Page(body, url), mode, follow=False).events)
            spent["extract"][0] += time.process_time() - cpu
            spent["extract"][1] += time.perf_counter() - wall
        for name, (c, w) in spent.items():
            best[name] = [min(best[name][0], c), min(best[name][1], w)]
    (parse_cpu, parse_wall), (read_cpu, read_wall) = best["parse"], best["extract"]
    print(f"{len(bodies)} pages, {mb:.1f} MB, {events} events (format {mode}), best of {rounds} rounds")
    print(f"  bare parse:   CPU {parse_cpu:.2f} s = {mb / parse_cpu:.0f} MB/s; wall {parse_wall:.2f} s")
    print(f"  extract:      CPU {read_cpu:.2f} s = {mb / read_cpu:.1f} MB/s; wall {read_wall:.2f} s")
    print(f"  extract / parse: {read_cpu / parse_cpu:.1f}x by CPU time, {read_wall / parse_wall:.1f}x by wall clock")


if __name__ == "__main__":
    main()
