"""eventscout run vs a Scrapy crawl of the same association pages.

Starts a loopback site of N association pages (JSON-LD, 20 events each)
spread over many 127.0.0.x hosts, each answer delayed by a set latency, in a
separate process; then times `eventscout run` (warm: a Prefect server already
up and PREFECT_API_URL set; cold: a new process and no server, after one
untimed run made Prefect's database; dask: cold, reading on a Dask
LocalCluster) and, as the baseline, Scrapy reading the same URLs with extruct
and writing the same feeds with icalendar when the crawl closes. Both at 64
requests at once and 4 per host, both reading robots.txt.

Prints, per run: wall time and its ratio to Scrapy's in the same round; the
peak memory of the whole process tree (the run, its reading workers and its
own Prefect server, summed at each moment); the CPU seconds of the run's
process, of its reading workers and of its Prefect server; and the events in
all feeds. On a shared machine, wall times are noisy: compare ratios of one
round, repeat rounds (`--rounds`), and read the CPU seconds.

    python benchmarks/crawl.py --pages 1000 --hosts 100 --latency 0.25           # bars/pipeline-speed
    python benchmarks/crawl.py --pages 5000 --hosts 250 --feeds 20 --modes cold  # bars/pipeline-scale

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
from contextlib import ExitStack
from dataclasses import dataclass
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

@dataclass
class Measured:
    seconds: float
    #: the largest sum of the tree's resident memory at one moment, MB
    tree_peak: float
    #: CPU seconds (user + system) by role: "run" (the command's own process), "workers", "prefect"
    cpu: dict[str, float]
    code: int


def _role(process: psutil.Process, root: psutil.Process) -> str:
    if process.pid == root.pid:
        return "run"
    command = " ".join(process.cmdline())
    if "uvicorn" in command or "prefect" in command.split("-c")[0]:
        return "prefect"
    return "workers"


def measure(command: list[str], env: dict[str, str], cwd: Path) -> Measured:
    """Run `command`; its wall time, the peak of its whole process tree's memory, and its CPU by role.

    The tree is sampled every 20 ms; a process's CPU is its last sample (a
    short-lived child's last few milliseconds may be missed).
    """
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(process.pid)
    tree_peak = 0
    cpu: dict[int, tuple[str, float]] = {}
    roles: dict[int, str] = {}
    while process.poll() is None:
        total = 0
        try:
            members = [root, *root.children(recursive=True)]
        except psutil.Error:
            members = []
        for p in members:
            try:
                with p.oneshot():
                    total += p.memory_info().rss
                    times = p.cpu_times()
                    role = roles.get(p.pid) or roles.setdefault(p.pid, _role(p, root))
                    cpu[p.pid] = (role, times.user + times.system)
            except psutil.Error:
                pass
        tree_peak = max(tree_peak, total)
        time.sleep(0.02)
    seconds = time.monotonic() - started
    if process.returncode:
        sys.stderr.write(process.stderr.read().decode(errors="replace")[-3000:])
    by_role = {"run": 0.0, "workers": 0.0, "prefect": 0.0}
    for role, used in cpu.values():
        by_role[role] += used
    return Measured(seconds, tree_peak / 2**20, by_role, process.returncode)


def count_events(folder: Path) -> int:
    """Events in all the feeds written to `folder`."""
    return sum(ics.read_bytes().count(b"BEGIN:VEVENT") for ics in folder.glob("*.ics"))


def feed_groups(pages: int, feeds: int) -> list[list[int]]:
    """The pages of each feed: one feed of every page, or `feeds` feeds of consecutive pages."""
    if feeds <= 1:
        return [list(range(pages))]
    size = -(-pages // feeds)
    return [list(range(start, min(pages, start + size))) for start in range(0, pages, size)]


SCRAPY_SPIDER = textwrap.dedent('''
    import json, sys
    import extruct, scrapy
    from dateutil.parser import isoparse
    from icalendar import Calendar, Event
    from scrapy.crawler import CrawlerProcess

    urls, feeds, out = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
    found = {}

    class Associations(scrapy.Spider):
        name = "associations"
        custom_settings = {"CONCURRENT_REQUESTS": %(concurrency)d, "CONCURRENT_REQUESTS_PER_DOMAIN": %(per_host)d,
                           "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
                           "COOKIES_ENABLED": False, "RETRY_ENABLED": True, "DOWNLOAD_TIMEOUT": 30}

        async def start(self):
            for url in urls:
                yield scrapy.Request(url)

        def parse(self, response):
            found[response.url] = [
                item for item in extruct.extract(response.text, base_url=response.url,
                                                 syntaxes=["json-ld"])["json-ld"]
                if item.get("@type") == "Event"]

        def closed(self, reason):
            for feed, feed_urls in feeds.items():
                cal = Calendar()
                cal.add("prodid", "-//baseline//scrapy//EN"); cal.add("version", "2.0")
                for item in (item for url in feed_urls for item in found.get(url, [])):
                    event = Event()
                    event.add("uid", item["@id"]); event.add("summary", item["name"])
                    event.add("dtstart", isoparse(item["startDate"])); event.add("dtend", isoparse(item["endDate"]))
                    event.add("dtstamp", isoparse(item["startDate"])); event.add("url", item["url"])
                    address = item["location"]["address"]
                    event.add("location", ", ".join((item["location"]["name"], address["streetAddress"],
                                                     address["addressLocality"])))
                    event.add("description", item.get("description", ""))
                    cal.add_component(event)
                open(f"{out}/{feed}.ics", "wb").write(cal.to_ical())

    process = CrawlerProcess()
    process.crawl(Associations)
    process.start()
''') % {"concurrency": CONCURRENCY, "per_host": PER_HOST}


def write_sources(path: Path, pages: int, hosts: int, feeds: int) -> None:
    lines = ["settings:\n  allow_private: true\n", "feeds:\n"]
    if feeds <= 1:
        lines.append("  - id: all\n    title: All association events\n")
    else:
        for n, members in enumerate(feed_groups(pages, feeds)):
            listed = "".join(f"      - assoc-{i}\n" for i in members)
            lines.append(f"  - id: feed-{n}\n    title: Associations {members[0]} to {members[-1]}\n"
                         f"    sources:\n{listed}")
    lines.append("sources:\n")
    for i in range(pages):
        lines.append(f"  - id: assoc-{i}\n    name: Association {i}\n    url: {page_url(i, hosts)}\n"
                     f"    timezone: America/New_York\n    format: jsonld\n")
    path.write_text("".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--feeds", type=int, default=1,
                        help="1: one feed of every source; N: N feeds, each of its share of the sources")
    parser.add_argument("--skip-scrapy", action="store_true")
    parser.add_argument("--modes", default="warm,cold", help="any of warm, cold and dask, comma-separated")
    parser.add_argument("--rounds", type=int, default=1, help="measure every contender this many times")
    args = parser.parse_args()
    modes = args.modes.split(",")
    unknown = set(modes) - {"warm", "cold", "dask"}
    if unknown:
        parser.error(f"unknown modes {', '.join(sorted(unknown))}; use warm, cold or dask")
    work = Path(tempfile.mkdtemp(prefix="eventscout-bench-"))
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    base_env.update({"EVENTSCOUT_CONCURRENCY": str(CONCURRENCY), "EVENTSCOUT_PER_HOST": str(PER_HOST),
                     "EVENTSCOUT_ALLOW_PRIVATE": "1", "EVENTSCOUT_HOME": str(work / "home")})
    urls = [page_url(i, args.hosts) for i in range(args.pages)]
    groups = feed_groups(args.pages, args.feeds)
    names = ["all"] if args.feeds <= 1 else [f"feed-{n}" for n in range(len(groups))]
    (work / "urls.json").write_text(json.dumps(urls))
    (work / "feeds.json").write_text(json.dumps({name: [urls[i] for i in members]
                                                 for name, members in zip(names, groups)}))
    (work / "spider.py").write_text(SCRAPY_SPIDER)
    sources = work / "sources.yaml"
    write_sources(sources, args.pages, args.hosts, args.feeds)
    run = [sys.executable, "-m", "eventscout.flows.cli", "run", "--sources", str(sources)]
    rows: list[tuple[int, str, Measured, int]] = []

    def timed(round_: int, name: str, command: list[str], env: dict[str, str], output: Path) -> None:
        output.mkdir(parents=True, exist_ok=True)
        rows.append((round_, name, measure(command, env, work), count_events(output)))

    site = subprocess.Popen([sys.executable, __file__, "--serve", str(args.pages), str(args.hosts),
                             str(args.latency)], stdout=subprocess.PIPE)
    with ExitStack() as stack:
        stack.callback(site.wait)
        stack.callback(site.terminate)
        assert site.stdout is not None and site.stdout.readline().strip() == b"ready"
        if "cold" in modes or "dask" in modes:  # Prefect's database made once, untimed
            measure(run + ["--output", str(work / "prime"), "--db", str(work / "prime.db")], base_env, work)
        warm_env = base_env
        if "warm" in modes:
            from eventscout.flows.orchestration.prefect_server import prefect_server

            warm_env = dict(base_env, PREFECT_API_URL=stack.enter_context(
                prefect_server(work / "server-home", ui=False)))
            measure(run + ["--output", str(work / "prime-w"), "--db", str(work / "prime-w.db")], warm_env, work)
        for n in range(args.rounds):
            if not args.skip_scrapy:
                out = work / f"scrapy-{n}"
                timed(n, "scrapy", [sys.executable, str(work / "spider.py"), str(work / "urls.json"),
                                    str(work / "feeds.json"), str(out)], base_env, out)
            for mode in modes:
                out = work / f"{mode}-{n}"
                command = run + ["--output", str(out), "--db", str(work / f"{mode}-{n}.db")]
                timed(n, f"eventscout {mode}", command + (["--dask", "local"] if mode == "dask" else []),
                      warm_env if mode == "warm" else base_env, out)
    print(f"{args.pages} pages on {args.hosts} hosts, {args.latency * 1000:.0f} ms latency, {len(groups)} "
          f"feed(s), {CONCURRENCY} at once / {PER_HOST} per host; work folder {work}")
    print(f"{'round':>5} {'run':18} {'seconds':>8} {'ratio':>6} {'tree MB':>8} {'CPU run':>8} "
          f"{'workers':>8} {'prefect':>8} {'events':>7} exit")
    for n, name, m, events in rows:
        baseline = next((r[2].seconds for r in rows if r[0] == n and r[1] == "scrapy"), None)
        ratio = f"{m.seconds / baseline:.2f}" if baseline else "-"
        print(f"{n:5d} {name:18} {m.seconds:8.2f} {ratio:>6} {m.tree_peak:8.0f} {m.cpu['run']:8.1f} "
              f"{m.cpu['workers']:8.1f} {m.cpu['prefect']:8.1f} {events:7d} {m.code}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    else:
        main()
