"""eventscout run vs a Scrapy crawl of the same association pages.

Starts a loopback site of N association pages (JSON-LD, 20 events each)
spread over many 127.0.0.x hosts, each answer delayed by a set latency, in a
separate process; then times `eventscout run` (warm: a Prefect server already
up and PREFECT_API_URL set; cold: a new process and no server, after one
untimed run made Prefect's database) and, as the baseline, Scrapy reading the
same URLs with extruct and writing the feed with icalendar when the crawl
closes. Both at 64 requests at once and 4 per host, both reading robots.txt.
Prints wall times, ratios, peak memory (largest single process) and events
per feed.

    python benchmarks/crawl.py --pages 1000 --hosts 100 --latency 0.25

Needs scrapy and extruct (the `bench` extra) and Linux (127.0.0.2.. reach
this machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
PORT = 8471
CONCURRENCY, PER_HOST = 64, 4


def host(i: int, hosts: int) -> str:
    return f"127.0.0.{2 + i % hosts}"


def page_url(i: int, hosts: int) -> str:
    return f"http://{host(i, hosts)}:{PORT}/assoc-{i}/events/"


_WORDS = ("Peachtree", "Harbor", "Granite", "Summit", "Lakeside", "Pioneer", "Meridian", "Cedar", "Beacon",
          "Riverside", "Keystone", "Atlas", "Compass", "Frontier", "Horizon", "Liberty", "Magnolia", "Northgate",
          "Orchard", "Prairie", "Quarry", "Redwood", "Sterling", "Tidewater", "Union", "Valley", "Willow", "Yardley")
_KINDS = ("networking evening", "breakfast briefing", "annual conference", "panel on hiring", "workshop",
          "golf outing", "mentoring circle", "awards gala", "lunch and learn", "site tour")


# -- the site ----------------------------------------------------------------------------------

def page(i: int, hosts: int, events: int = 20) -> bytes:
    base = page_url(i, hosts)
    first = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=7)
    org = f"{_WORDS[i % len(_WORDS)]} {_WORDS[(i * 7 + 3) % len(_WORDS)]} Society {i}"
    items = []
    for n in range(events):
        # distinct titles, times and venues, so no two associations' events are one event
        start = first + timedelta(minutes=(i * 61) % 600, days=n * 7 + i % 5)
        items.append({"@context": "https://schema.org", "@type": "Event", "@id": f"{base}#event-{n}",
                      "name": f"{org}: {_KINDS[n % len(_KINDS)]} {n}", "url": f"{base}e{n}",
                      "startDate": start.isoformat(), "endDate": (start + timedelta(hours=2)).isoformat(),
                      "description": f"Members of association {i} meet for talks and drinks.",
                      "location": {"@type": "Place", "name": f"{org} hall {n}",
                                   "address": {"@type": "PostalAddress", "streetAddress": f"{i * 20 + n + 1} Main St",
                                               "addressLocality": "Atlanta", "addressRegion": "GA",
                                               "addressCountry": "US"}}})
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(item)}</script>' for item in items)
    return (f"<!doctype html><html><head><title>Association {i} events</title>{scripts}</head>"
            f"<body><h1>Events of association {i}</h1></body></html>").encode()


def serve(pages: int, hosts: int, latency: float) -> None:
    """The site: one asyncio HTTP/1.1 keep-alive responder on every host's address."""
    bodies = {f"/assoc-{i}/events/": page(i, hosts) for i in range(pages)}
    robots = b"User-agent: *\nAllow: /\n"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                await asyncio.sleep(latency)
                if path == "/robots.txt":
                    body, kind, status = robots, b"text/plain", b"200 OK"
                elif path in bodies:
                    body, kind, status = bodies[path], b"text/html; charset=utf-8", b"200 OK"
                else:
                    body, kind, status = b"not found", b"text/plain", b"404 Not Found"
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, f"127.0.0.{2 + h}", PORT, backlog=512)
                   for h in range(hosts)]
        print("ready", flush=True)
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


# -- measuring -----------------------------------------------------------------------------------

def measure(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, the largest single process's peak RSS (MB) in the command's tree, exit code."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(process.pid)
    peaks: dict[int, int] = {}
    while process.poll() is None:
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    peaks[p.pid] = max(peaks.get(p.pid, 0), p.memory_info().rss)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.monotonic() - started
    if process.returncode:
        sys.stderr.write(process.stderr.read().decode(errors="replace")[-3000:])
    return seconds, max(peaks.values(), default=0) / 2**20, process.returncode


def count_events(ics: Path) -> int:
    try:
        return ics.read_bytes().count(b"BEGIN:VEVENT")
    except FileNotFoundError:
        return 0


SCRAPY_SPIDER = textwrap.dedent('''
    import json, sys
    import extruct, scrapy
    from dateutil.parser import isoparse
    from icalendar import Calendar, Event
    from scrapy.crawler import CrawlerProcess

    urls, out = json.load(open(sys.argv[1])), sys.argv[2]
    found = []

    class Associations(scrapy.Spider):
        name = "associations"
        custom_settings = {"CONCURRENT_REQUESTS": %(concurrency)d, "CONCURRENT_REQUESTS_PER_DOMAIN": %(per_host)d,
                           "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
                           "COOKIES_ENABLED": False, "RETRY_ENABLED": True, "DOWNLOAD_TIMEOUT": 30}

        async def start(self):
            for url in urls:
                yield scrapy.Request(url)

        def parse(self, response):
            for item in extruct.extract(response.text, base_url=response.url, syntaxes=["json-ld"])["json-ld"]:
                if item.get("@type") == "Event":
                    found.append(item)

        def closed(self, reason):
            cal = Calendar()
            cal.add("prodid", "-//baseline//scrapy//EN"); cal.add("version", "2.0")
            for item in found:
                event = Event()
                event.add("uid", item["@id"]); event.add("summary", item["name"])
                event.add("dtstart", isoparse(item["startDate"])); event.add("dtend", isoparse(item["endDate"]))
                event.add("dtstamp", isoparse(item["startDate"])); event.add("url", item["url"])
                address = item["location"]["address"]
                event.add("location", ", ".join((item["location"]["name"], address["streetAddress"],
                                                 address["addressLocality"])))
                event.add("description", item.get("description", ""))
                cal.add_component(event)
            open(out, "wb").write(cal.to_ical())

    process = CrawlerProcess()
    process.crawl(Associations)
    process.start()
''') % {"concurrency": CONCURRENCY, "per_host": PER_HOST}


def write_sources(path: Path, pages: int, hosts: int) -> None:
    lines = ["settings:\n  allow_private: true\n", "feeds:\n  - id: all\n    title: All association events\n",
             "sources:\n"]
    for i in range(pages):
        lines.append(f"  - id: assoc-{i}\n    name: Association {i}\n    url: {page_url(i, hosts)}\n"
                     f"    timezone: America/New_York\n    format: jsonld\n")
    path.write_text("".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--skip-scrapy", action="store_true")
    parser.add_argument("--modes", default="warm,cold", help="warm, cold or both")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eventscout-bench-"))
    site = subprocess.Popen([sys.executable, __file__, "--serve", str(args.pages), str(args.hosts),
                             str(args.latency)], stdout=subprocess.PIPE)
    assert site.stdout is not None and site.stdout.readline().strip() == b"ready"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    base_env.update({"EVENTSCOUT_CONCURRENCY": str(CONCURRENCY), "EVENTSCOUT_PER_HOST": str(PER_HOST),
                     "EVENTSCOUT_ALLOW_PRIVATE": "1", "EVENTSCOUT_HOME": str(work / "home")})
    rows = []
    try:
        urls = [page_url(i, args.hosts) for i in range(args.pages)]
        (work / "urls.json").write_text(json.dumps(urls))
        if not args.skip_scrapy:
            (work / "spider.py").write_text(SCRAPY_SPIDER)
            seconds, peak, code = measure([sys.executable, str(work / "spider.py"), str(work / "urls.json"),
                                           str(work / "scrapy.ics")], base_env, work)
            rows.append(("scrapy", seconds, peak, count_events(work / "scrapy.ics"), code))
        sources = work / "sources.yaml"
        write_sources(sources, args.pages, args.hosts)
        run = [sys.executable, "-m", "eventscout.flows.cli", "run", "--sources", str(sources)]
        modes = args.modes.split(",")
        if "cold" in modes:
            measure(run + ["--output", str(work / "prime"), "--db", str(work / "prime.db")], base_env, work)
            seconds, peak, code = measure(run + ["--output", str(work / "cold"), "--db", str(work / "cold.db")],
                                          base_env, work)
            rows.append(("eventscout cold", seconds, peak, count_events(work / "cold" / "all.ics"), code))
        if "warm" in modes:
            from eventscout.flows.orchestration.prefect_server import prefect_server

            with prefect_server(work / "server-home", ui=False) as api_url:
                env = dict(base_env, PREFECT_API_URL=api_url)
                measure(run + ["--output", str(work / "prime-w"), "--db", str(work / "prime-w.db")], env, work)
                seconds, peak, code = measure(run + ["--output", str(work / "warm"), "--db",
                                                     str(work / "warm.db")], env, work)
                rows.append(("eventscout warm", seconds, peak, count_events(work / "warm" / "all.ics"), code))
    finally:
        site.terminate()
        site.wait()
    baseline = next((r[1] for r in rows if r[0] == "scrapy"), None)
    print(f"{args.pages} pages on {args.hosts} hosts, {args.latency * 1000:.0f} ms latency, "
          f"{CONCURRENCY} at once / {PER_HOST} per host; work folder {work}")
    print(f"{'run':18} {'seconds':>8} {'ratio':>6} {'peak MB':>8} {'events':>7} exit")
    for name, seconds, peak, events, code in rows:
        ratio = f"{seconds / baseline:.2f}" if baseline else "-"
        print(f"{name:18} {seconds:8.2f} {ratio:>6} {peak:8.0f} {events:7d} {code}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    else:
        main()
