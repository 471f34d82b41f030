"""Fuzz every reader: real corpus pages and our own seeds, mutated, through each `read(page)`.

    python benchmarks/fuzz_extract.py --inputs 20000 [--seed 1] [--corpus ../shared/corpus]

Counts, per reader, the inputs it read without raising; records the slowest
input (all readers together, as `extract_page` runs them) and stops an input
after --hang seconds (counted as a hang). Corpus pages are read from
../shared/corpus (never copied); the run still works without it.
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
]

TOKENS = [b"<", b">", b"</script>", b"<script>", b"{", b"}", b"[", b"]", b'"', b"\\", b"\x00", b"&#", b"&amp;",
          b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"BEGIN:VEVENT\r\n", b"END:VCALENDAR", b"<![CDATA[", b"<!--",
          b'"startDate":', b"@type", b"<div>" * 2000, b"[" * 5000, b"&lol;", b"\r\n ", b"T25:99:99",
          b"99999999T999999Z", b"RRULE:FREQ=SECONDLY\r\n", b'itemprop="startDate"', "\u2028".encode()]


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


class Hang(Exception):
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
        page = Page(body, "https://assoc.example/events/", content_type)
        t0 = time.perf_counter()
        crashed = False
        signal.alarm(args.hang)
        try:
            for name, read in readers.items():
                try:
                    events = read(page)
                    if not isinstance(events, list):
                        raise TypeError(f"read() returned {type(events).__name__}")
                    ok[name] += 1
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
        "total_seconds": round(total, 1),
    }, indent=1))
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
