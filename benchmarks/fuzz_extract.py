"""Fuzz every reader: real corpus pages and our own seeds, mutated, through each `read(page)`.

    python benchmarks/fuzz_extract.py --inputs 20000 [--seed 1] [--corpus ../shared/corpus]

Counts, per reader, the inputs it read without raising; records the slowest
input (all readers together, as `extract_page` runs them) and the slowest per
reader, and stops an input after --hang seconds (counted as a hang). Corpus
pages are read from ../shared/corpus (never copied); the run still works
without it.

The listing reader gets listing seeds of its own (tables, cards, lists of
dated lines) and tokens that repeat them; the iCalendar expansion gets
recurring seeds and rule tokens (hourly since year one, a zone changing every
second, COUNTs walked from 1900, leap days, RDATE floods), and each input is
read over a random window from a century back to a century ahead, up to ten
years long; the most occurrences one input expanded to is reported.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import signal
import sys
import time
import traceback
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from eventscout.scrapers import READERS, Page, extract_page  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"

SEEDS: list[bytes] = [
    b'<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Event",'
    b'"@id":"#e1","name":"Chapter Breakfast","startDate":"2030-06-01T08:00:00-04:00","location":{"@type":"Place",'
    b'"name":"Club","address":{"@type":"PostalAddress","addressLocality":"Atlanta","addressRegion":"GA"}}}'
    b'</script></head><body><h1>Events</h1></body></html>',
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTART;TZID=America/New_York:20300601T180000\r\n"
    b"DTEND;TZID=America/New_York:20300601T200000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Meetup\r\n"
    b"LOCATION:Hall\\, Atlanta\\, GA\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Events</title><item><title>Gala</title>'
    b"<link>https://a.example/e/1</link><pubDate>Mon, 03 Jun 2030 18:00:00 GMT</pubDate>"
    b"<description>&lt;p&gt;Annual gala&lt;/p&gt;</description></item></channel></rss>",
    b'{"events":[{"id":1,"title":"Summit","start_date":"2030-06-01 09:00:00","end_date":"2030-06-01 17:00:00",'
    b'"timezone":"America/New_York","url":"https://a.example/e/1","venue":{"venue":"Hotel","city":"Atlanta"}}]}',
    b'<div itemscope itemtype="https://schema.org/Event"><span itemprop="name">Mixer</span>'
    b'<time itemprop="startDate" datetime="2030-06-02T18:00">June 2</time><div itemprop="location" itemscope '
    b'itemtype="https://schema.org/Place"><span itemprop="addressLocality">Atlanta</span></div></div>',
    b'<div class="vevent"><a class="url summary" href="/e/2">Lunch</a><abbr class="dtstart" '
    b'title="2030-06-03T12:00">June 3</abbr><span class="location">Atlanta</span></div>',
    b'<html><body><ul class="events"><li><a href="/e/3">Networking Night</a> June 4, 2030 6:00 pm, Atlanta</li>'
    b'<li><a href="/e/4">Board Meeting</a> 2030-06-05 10:00</li></ul></body></html>',
    # the listing reader: a table, cards, dated paragraphs
    b'<html><body><table><tr><th>Date</th><th>Event</th><th>Place</th></tr>'
    b'<tr><td>Tue, Jan 14, 2031</td><td><a href="/e/5">Chapter Dinner</a></td><td>Decatur, GA</td></tr>'
    b'<tr><td>Feb 11 2031 7:00 PM</td><td><a href="/e/6">Panel: Hiring in 2031</a></td><td>Online</td></tr>'
    b'</table></body></html>',
    b'<html><body><div class="cards"><article class="card"><h3><a href="/e/7">Golf Outing</a></h3>'
    b'<p class="date">March 3, 2031 &middot; 8:00 am - 2:00 pm</p><p>Stone Mountain, GA</p></article>'
    b'<article class="card"><h3><a href="/e/8">Awards Gala</a></h3><p class="date">04/18/2031</p></article>'
    b'</div></body></html>',
    b'<html><body><main><h2>Upcoming</h2><p><strong>May 6, 2031</strong> Lunch and Learn, 12 noon</p>'
    b'<p><strong>June 10, 2031</strong> Mentoring Circle at the Library, 6-8 pm</p></main></body></html>',
    # the iCalendar expansion: a zone with yearly rules, a series with overrides, exceptions and extra dates
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Springfield Local\r\nBEGIN:STANDARD\r\n"
    b"DTSTART:16011104T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\nTZOFFSETFROM:-0400\r\n"
    b"TZOFFSETTO:-0500\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010311T020000\r\n"
    b"RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\n"
    b"END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:s@b\r\nDTSTART;TZID=Springfield Local:19900102T180000\r\n"
    b"DURATION:PT2H\r\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH\r\nEXDATE;TZID=Springfield Local:"
    b"20300101T180000\r\nRDATE;TZID=Springfield Local:20300105T180000\r\nSUMMARY:Study Group\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:s@b\r\nRECURRENCE-ID;TZID=Springfield Local:20300103T180000\r\n"
    b"DTSTART;TZID=Springfield Local:20300103T190000\r\nSUMMARY:Study Group (moved)\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:h@b\r\nDTSTART:00010101T090000Z\r\n"
    b"DTEND:00010101T093000Z\r\nRRULE:FREQ=HOURLY\r\nSUMMARY:Stand-up\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
    b"UID:m@b\r\nDTSTART;VALUE=DATE:19920229\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Leap Day\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n",
]

TOKENS = [b"<", b">", b"</script>", b"<script>", b"{", b"}", b"[", b"]", b'"', b"\\", b"\x00", b"&#", b"&amp;",
          b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"BEGIN:VEVENT\r\n", b"END:VCALENDAR", b"<![CDATA[", b"<!--",
          b'"startDate":', b"@type", b"<div>" * 2000, b"[" * 5000, b"&lol;", b"\r\n ", b"T25:99:99",
          b"99999999T999999Z", b"RRULE:FREQ=SECONDLY\r\n", b'itemprop="startDate"', "\u2028".encode(),
          # recurrence rules and zones for the iCalendar expansion
          b"RRULE:FREQ=HOURLY\r\n", b"RRULE:FREQ=DAILY;BYHOUR=9;COUNT=100000000\r\n", b"DTSTART:00010101T000000Z\r\n",
          b"DTSTART:19000101T090000Z\r\n", b"RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29\r\n", b";INTERVAL=7",
          b"RRULE:FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=1\r\n", b"RRULE:FREQ=WEEKLY;UNTIL=99991231T000000Z\r\n",
          b"BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nRRULE:FREQ=SECONDLY\r\n"
          b"TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n", b";TZID=X:",
          b"RDATE:" + b",".join(b"19%02d0101T000000Z" % (i % 100) for i in range(3000)) + b"\r\n",
          b"EXDATE:20300101T000000Z\r\n", b"RECURRENCE-ID;RANGE=THISANDFUTURE:20300101T000000Z\r\n",
          # listings
          b"<li>March 3, 2031 6 pm Board meeting</li>" * 50, b"<tr><td>2031-04-05</td><td>Gala</td></tr>" * 50,
          b'<div class="event"><span class="date">Jan 1</span>' * 300]


def corpus_inputs(corpus: Path) -> list[bytes]:
    found: list[bytes] = []
    for folder in (corpus / "pages", corpus / "listings" / "pages"):
        if folder.is_dir():
            found += [p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()]
    return found


def mutate(rng: random.Random, pool: list[bytes], max_bytes: int) -> bytes:
    data = bytearray(rng.choice(pool)[:max_bytes])
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(7)
        at = rng.randrange(len(data) + 1)
        if kind == 0 and data:  # flip bytes
            for _ in range(rng.randint(1, 16)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:  # insert a hostile token
            data[at:at] = rng.choice(TOKENS)
        elif kind == 2:  # truncate
            del data[at:]
        elif kind == 3 and data:  # delete a slice
            del data[at:at + rng.randint(1, 2000)]
        elif kind == 4:  # splice in a slice of another input
            other = rng.choice(pool)
            start = rng.randrange(len(other) + 1)
            data[at:at] = other[start:start + rng.randint(1, 5000)]
        elif kind == 5 and data:  # repeat a slice
            piece = bytes(data[at:at + rng.randint(1, 200)])
            data[at:at] = piece * rng.randint(2, 200)
        else:  # random bytes
            data[at:at] = rng.randbytes(rng.randint(1, 512))
    return bytes(data[:max_bytes])


class Hang(BaseException):  # not an Exception: readers that catch those must not swallow it
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-bytes", type=int, default=300_000)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus folder (default ../shared/corpus)")
    parser.add_argument("--hang", type=int, default=30, help="seconds after which an input counts as a hang")
    args = parser.parse_args()

    readers = {name: importlib.import_module(module).read for name, module in READERS.items()}
    corpus = corpus_inputs(args.corpus)
    pool = corpus + SEEDS
    rng = random.Random(args.seed)
    print(f"readers: {', '.join(readers) or 'none'}; corpus files: {len(corpus)}; own seeds: {len(SEEDS)}",
          flush=True)

    readers_slowest: dict[str, tuple[float, str]] = {}
    most_occurrences = (0, "")
    ok = Counter()
    crashes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    hangs = crashed_inputs = 0
    slowest = (0.0, "")
    signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    content_types = [None, "text/html", "application/json", "text/calendar", "application/rss+xml", "image/png"]
    for n in range(args.inputs):
        body = pool[n] if n < len(pool) else mutate(rng, pool, args.max_bytes)
        content_type = rng.choice(content_types)
        since = date.today() + timedelta(days=rng.randint(-36_500, 36_500)) if rng.random() < 0.4 else None
        until = since + timedelta(days=rng.randint(0, 3_650)) if since else None
        page = Page(body, "https://assoc.example/events/", content_type, since=since, until=until)
        t0 = time.perf_counter()
        crashed = False
        signal.alarm(args.hang)
        try:
            for name, read in readers.items():
                try:
                    reader_started = time.perf_counter()
                    events = read(page)
                    reader_took = time.perf_counter() - reader_started
                    if not isinstance(events, list):
                        raise TypeError(f"read() returned {type(events).__name__}")
                    ok[name] += 1
                    if reader_took > readers_slowest.get(name, (0.0, ""))[0]:
                        readers_slowest[name] = (reader_took, f"input {n} ({len(body)} bytes)")
                    if name == "ical" and len(events) > most_occurrences[0]:
                        window = f", window {page.since}..{page.until}" if since else ""
                        most_occurrences = (len(events), f"input {n} ({len(body)} bytes{window})")
                except Hang:
                    raise
                except BaseException as exc:  # noqa: BLE001 - counting is the point
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    crashed = True
                    key = f"{name}: {type(exc).__name__}"
                    crashes[key] += 1
                    examples.setdefault(key, "".join(traceback.format_exception_only(exc)).strip()[:300])
            extract_page(page)
        except Hang:
            hangs += 1
        finally:
            signal.alarm(0)
        crashed_inputs += crashed
        took = time.perf_counter() - t0
        if took > slowest[0]:
            slowest = (took, f"input {n} ({len(body)} bytes)")
        if (n + 1) % 2000 == 0:
            print(f"  {n + 1} inputs, {time.perf_counter() - started:.0f}s", flush=True)

    total = time.perf_counter() - started
    print(json.dumps({
        "inputs": args.inputs, "seed": args.seed, "readers": list(readers),
        "ran_without_a_crash": {name: ok[name] for name in readers},
        "inputs_without_any_crash_or_hang": args.inputs - hangs - crashed_inputs,
        "crashes": dict(crashes), "crash_examples": examples, "hangs": hangs,
        "slowest_input_seconds": round(slowest[0], 3), "slowest_input": slowest[1],
        "slowest_per_reader_seconds": {name: round(t, 3) for name, (t, _) in sorted(readers_slowest.items())},
        "ical_most_occurrences": most_occurrences[0], "ical_most_occurrences_input": most_occurrences[1],
        "total_seconds": round(total, 1),
    }, indent=1))
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
