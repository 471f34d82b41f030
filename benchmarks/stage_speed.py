"""Speed of the per-event stages a large run leans on, against the limits the tests once timed.

usage: python -m benchmarks.stage_speed [ROUNDS]   (from the repo root: it reads the tests' hostile pages)
Each workload runs ROUNDS times (default 3) and its best round, in CPU seconds of
this process (every workload is single-threaded), is reported with its limit, so
load from elsewhere on the machine counts as little as it can.
Exits 1 when a workload is over its limit. The tests check what these stages
do; how fast they do it is measured here, by hand.
"""

from __future__ import annotations

import importlib
import random
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from eventscout.flows.knowledge.industries import infer_industries
from eventscout.flows.knowledge.places import geocode
from eventscout.flows.reading.dedup import merge_duplicates
from eventscout.scrapers import READERS, Page, extract_page
from eventscout.scrapers.event import IN_PERSON, ONLINE, Event, Location
from eventscout.scrapers.text import clean, html_to_text

ET = ZoneInfo("America/New_York")
SIX_PM = datetime(2026, 3, 12, 18, 0, tzinfo=ET)
BUCKHEAD = Location(name="Buckhead Club", street="3344 Peachtree Rd NE, Suite 2600", city="Atlanta", region="GA")


def _event(title: str, source: str, start: datetime = SIX_PM, **fields) -> Event:
    return Event(title=title, start=start, source_id=source, key=f"{source}:{title}:{start}",
                 url=f"https://{source}.example.org/events/{'-'.join(title.lower().split())}", **fields)


def twenty_thousand_events() -> list[Event]:
    """20,000 events over 120 days at 300 venues, plus 500 second readings of the first ones."""
    rng = random.Random(7)
    venues = [Location(name=f"Venue {n}", street=f"{100 + n} Peachtree St", city="Atlanta") for n in range(300)]
    titles = ["Networking Night", "Monthly Meetup", "Lunch and Learn", "Happy Hour", "Board Meeting",
              "Career Fair", "Workshop", "Speaker Series", "Breakfast", "Webinar"]
    base = datetime(2026, 1, 5, 8, 0, tzinfo=ET)
    events = []
    for n in range(20_000):
        start = base + timedelta(days=rng.randrange(120), minutes=30 * rng.randrange(24))
        events.append(_event(f"{rng.choice(titles)} {n % 50}", f"src{n % 40}", start=start,
                             location=rng.choice(venues), online=ONLINE if n % 10 == 0 else IN_PERSON))
    return events + [_event(e.title, "copy", start=e.start, location=e.location, online=e.online)
                     for e in events[:500]]


def one_hour_crowd() -> list[Event]:
    """3,000 readings of one online event and 3,000 numbered booths at one venue, all in one hour."""
    return ([_event("Networking Night", f"src{n}", online=ONLINE) for n in range(3000)]
            + [_event(f"Expo Booth {n}", "expo", location=BUCKHEAD) for n in range(3000)])


def best_of(rounds: int, run: Callable[[], object], prepare: Callable[[], object] | None = None) -> float:
    best = float("inf")
    for _ in range(rounds):
        argument = prepare() if prepare else None
        started = time.process_time()
        run() if prepare is None else run(argument)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results: list[tuple[str, float, float, str]] = []

    results.append(("dedup: 20,500 events", best_of(rounds, merge_duplicates, twenty_thousand_events), 10.0, "s"))
    results.append(("dedup: 6,000 events in one hour", best_of(rounds, merge_duplicates, one_hour_crowd), 3.0, "s"))

    geocode("Atlanta, GA")  # the gazetteer loads once per process
    streets = [f"{n} Peachtree St NE, Atlanta, GA 30308" for n in range(2000)]

    def geocode_all(texts: list[str]) -> None:
        for text in texts:
            geocode(text)

    # a new string each round: the first lookup of a string is the uncached one
    fresh = iter(range(rounds * 2000))
    uncached = best_of(rounds, geocode_all,
                       lambda: [f"{next(fresh)} Peachtree St NE, Atlanta, GA 30308" for _ in range(2000)])
    geocode_all(streets)
    cached = best_of(rounds, lambda: geocode_all(streets))
    results.append(("geocode: a new address", uncached / 2000 * 1e6, 200.0, "µs"))
    results.append(("geocode: a repeated address", cached / 2000 * 1e6, 5.0, "µs"))

    description = ("Join fellow professionals for an evening of conversation about growth, "
                   "leadership and community at 6 PM. Parking is free. ") * 20
    per_event = best_of(rounds, lambda: [infer_industries("Monthly Networking Night", description, ["Networking"])
                                         for _ in range(2000)]) / 2000
    results.append(("industries of one event", per_event * 1e3, 2.0, "ms"))

    for piece, times in (("<", 500_000), ("<script", 100_000), ("<a ", 300_000), ("&", 500_000),
                         ("<!--", 200_000)):
        text = piece * times
        took = best_of(rounds, lambda: (clean(text), html_to_text(text)))
        results.append((f"text cleaning: {piece!r} x {times:,}", took, 1.0, "s"))

    # the hostile pages tests/test_hostile.py feeds every reader (run from the repo root)
    from tests.test_hostile import HOSTILE_PAGES

    readers = {name: importlib.import_module(module).read for name, module in READERS.items()}
    for name, body in HOSTILE_PAGES.items():
        page = Page(body, "https://assoc.example/events", "text/html", since=date(2030, 1, 1), until=date(2030, 12, 31))
        slowest = max(best_of(1, lambda: read(page)) for read in readers.values())
        results.append((f"slowest reader on {name}", slowest, 10.0, "s"))
        results.append((f"extract_page on {name}", best_of(1, lambda: extract_page(Page(
            body, "https://assoc.example/events", "text/html", since=date(2030, 1, 1), until=date(2030, 12, 31)))),
            20.0, "s"))

    over = False
    for name, value, limit, unit in results:
        mark = "ok" if value <= limit else "OVER"
        over |= value > limit
        print(f"{name:45} {value:9.2f} {unit:3} (limit {limit:g} {unit}) {mark}")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
