"""`eventscout serve` under a burst: 240 requests at once against a store of 20,000 events.

Builds a store of N events over forty sources (and writes its configured
feeds, one of which holds every event), starts `eventscout serve` on
loopback, then fires one burst of concurrent requests: configured feeds,
custom feeds (some asked for many times at once), /events.json pages, the
page (some with a foreign Host header), and a query of 2,500 keywords (50
parameters of 50 comma-separated words). Every request gives up after 30 s.
Then it times the 2,500-keyword query alone, fires a second burst and sends
SIGTERM into it, and times how long the server and its children take to go.

Prints status counts per kind of request, latencies, requests that got no
answer, subscribe links naming the foreign host, peak RSS of the server's
process tree, and the SIGTERM stop time.

    python benchmarks/serve_load.py --events 20000 --requests 240 [--baseline ../main/.venv/bin/python]

Loopback only; everything it writes lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
SOURCES = 40
FOREIGN_HOST = "attacker.example"
GIVE_UP = 30.0

_CITIES = [("Atlanta", "GA", 33.749, -84.388), ("Boston", "MA", 42.3601, -71.0589),
           ("Chicago", "IL", 41.8781, -87.6298), ("Denver", "CO", 39.7392, -104.9903),
           ("Seattle", "WA", 47.6062, -122.3321), ("Austin", "TX", 30.2672, -97.7431),
           ("Portland", "OR", 45.5152, -122.6784), ("Miami", "FL", 25.7617, -80.1918)]
_INDUSTRIES = ["technology", "marketing", "human-resources", "finance", "project-management", "healthcare",
               "legal", "engineering", "sales", "data"]
_TOPICS = ["hiring", "leadership", "cloud", "analytics", "budgeting", "mentoring", "branding", "compliance",
           "negotiation", "careers", "security", "design", "strategy", "payroll", "agile", "storytelling"]
_KINDS = ["networking evening", "breakfast briefing", "panel", "workshop", "lunch and learn", "conference"]


def build_store(root: Path, count: int) -> tuple[Path, Path, Path]:
    """A sources file, a store of `count` upcoming events and the feeds written from it."""
    from eventscout.flows.config import load_config
    from eventscout.flows.publishing.publish import write_feeds
    from eventscout.flows.store import Store
    from eventscout.scrapers.event import Event, Location

    lines = ["sources:"]
    for s in range(SOURCES):
        lines += [f"  - id: assoc-{s}", f"    name: Association {s}", f"    url: http://127.0.0.1:9/assoc-{s}/",
                  "    timezone: America/New_York"]
    lines += ["feeds:",
              "  - {id: everything, title: Every event}",
              "  - {id: atlanta-tech, title: Atlanta tech, industries: [technology], city: 'Atlanta, GA'}",
              "  - {id: hr-everywhere, title: HR anywhere, industries: [human-resources]}",
              "  - {id: boston-marketing, title: Boston marketing, industries: [marketing], city: 'Boston, MA',"
              " include_online: false}"]
    sources = root / "sources.yaml"
    sources.write_text("\n".join(lines) + "\n")
    db, output = root / "store.db", root / "out"
    output.mkdir()
    rng = random.Random(14)
    first = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    with Store(db) as store:
        run = store.start_run()
        per_source = count // SOURCES
        for s in range(SOURCES):
            events = []
            for i in range(per_source):
                city, region, lat, lon = _CITIES[(s + i) % len(_CITIES)]
                topic, kind = rng.choice(_TOPICS), rng.choice(_KINDS)
                industry = _INDUSTRIES[(s * 3 + i) % len(_INDUSTRIES)]
                description = " ".join(rng.choice(_TOPICS + _KINDS) for _ in range(60))
                events.append(Event(f"{topic.title()} {kind} #{i} of association {s}",
                                    first + timedelta(hours=(i * 7 + s) % (24 * 300)), key=f"e{i}",
                                    url=f"https://assoc-{s}.example/events/{i}", description=description,
                                    location=Location(name=f"{city} Hall {i % 17}", city=city, region=region,
                                                      country="US", lat=lat, lon=lon),
                                    industries=[industry], categories=[topic]))
            store.save_source_events(f"assoc-{s}", events)
        store.finish_run(run, {})
        write_feeds(load_config(sources), store, output)
    return sources, output, db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def keyword_bomb() -> str:
    """50 keyword parameters of 50 comma-separated words each: 2,500 keywords."""
    words = [f"word{i:04d}" for i in range(2500)]
    return "&".join("keyword=" + ",".join(words[p * 50:(p + 1) * 50]) for p in range(50))


def burst(total: int) -> list[tuple[str, str, dict[str, str]]]:
    """(kind, path, headers) for one burst, in a fixed mix of kinds."""
    customs = ["industry=technology&city=Atlanta%2C+GA", "industry=marketing", "keyword=hiring,cloud",
               "city=Chicago%2C+IL&radius_km=80", "industry=finance&online=false", "keyword=agile&industry=data",
               "industry=legal&days_ahead=30", "exclude_keywords=payroll"]
    bomb = keyword_bomb()
    plan: list[tuple[str, str, dict[str, str]]] = []
    for i in range(total):
        slot = i % 12
        if slot in (0, 1, 2):
            plan.append(("feed", f"/feeds/{['everything', 'atlanta-tech', 'hr-everywhere', 'boston-marketing'][i % 4]}"
                                 ".ics", {}))
        elif slot in (3, 4, 5):
            plan.append(("custom", f"/feeds/custom.ics?{customs[i % len(customs)]}", {}))
        elif slot in (6, 7, 8):
            offset = "" if i % 2 else "&offset=100"
            plan.append(("json", f"/events.json?{customs[i % len(customs)]}{offset}", {}))
        elif slot in (9, 10):
            host = {"Host": FOREIGN_HOST} if i % 2 else {}
            plan.append(("page", "/" if i % 3 else "/?industry=technology", host))
        else:
            plan.append(("bomb", f"/feeds/custom.ics?{bomb}" if i % 2 else f"/events.json?{bomb}", {}))
    return plan


class Watch:
    """Peak RSS of a process and its children, sampled every 50 ms on a thread."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def tree(self) -> list[psutil.Process]:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            rss = 0
            for process in self.tree():
                try:
                    rss += process.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.peak = max(self.peak, rss)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


async def exchange(port: int, path: str, headers: dict[str, str], gate: asyncio.Event) -> tuple:
    """Connect, wait at the gate, send one GET, read the whole answer: (status, headers, body) or a failure."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
    try:
        await gate.wait()
        began = time.monotonic()
        lines = [f"GET {path} HTTP/1.1", f"Host: {headers.get('Host', f'127.0.0.1:{port}')}",
                 "Accept-Encoding: gzip", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in headers.items() if k != "Host"]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        body = await reader.read() if "content-length" not in fields else \
            await reader.readexactly(int(fields["content-length"]))
        if fields.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return status, fields, body, began
    finally:
        writer.close()


async def fire(port: int, plan: list[tuple[str, str, dict[str, str]]]) -> list[dict]:
    """Every request of the plan at once: all connections open first, then every request goes together.

    A plain asyncio client, so the client's own work stays small beside the server's; each request
    gives up after 30 s.
    """
    gate = asyncio.Event()
    opened = time.monotonic()

    async def one(kind: str, path: str, headers: dict[str, str]) -> dict:
        began = None
        try:
            status, fields, body, began = await asyncio.wait_for(exchange(port, path, headers, gate), GIVE_UP + 5)
        except (asyncio.TimeoutError, TimeoutError):
            status, fields, body = "no answer", {}, b""
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            status, fields, body = type(exc).__name__, {}, b""
        seconds = time.monotonic() - (began if began is not None else opened)
        if isinstance(status, int) and seconds > GIVE_UP:
            status = "no answer"
        return {"kind": kind, "status": status, "seconds": seconds, "body": body,
                "foreign": kind == "page" and FOREIGN_HOST.encode() in body,
                "retry_after": fields.get("retry-after")}

    tasks = [asyncio.create_task(one(*item)) for item in plan]
    await asyncio.sleep(1.0)  # every connection is open and waiting at the gate
    opened = time.monotonic()
    gate.set()
    return await asyncio.gather(*tasks)


def report(title: str, results: list[dict]) -> None:
    print(f"\n{title}: {len(results)} requests")
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_kind[r["kind"]].append(r)
    for kind, rows in by_kind.items():
        statuses = Counter(str(r["status"]) for r in rows)
        times = []
        for status in sorted(statuses):
            answered = sorted(r["seconds"] for r in rows if str(r["status"]) == status)
            times.append(f"{status}: median {statistics.median(answered):.2f} s, slowest {answered[-1]:.2f} s")
        print(f"  {kind:7} {dict(sorted(statuses.items()))}  ({'; '.join(times)})")
    everything = sorted(r["seconds"] for r in results if isinstance(r["status"], int))
    unanswered = sum(1 for r in results if not isinstance(r["status"], int))
    deliberate = Counter(r["status"] for r in results if r["status"] in (200, 304, 400, 429, 503))
    print(f"  answered {len(everything)}, no answer within {GIVE_UP:.0f} s: {unanswered}; "
          f"200/304/400/429/503: {dict(deliberate)}")
    if everything:
        cut = statistics.quantiles(everything, n=20) if len(everything) > 1 else everything * 19
        print(f"  latency p50 {cut[9]:.2f} s, p95 {cut[18]:.2f} s, max {everything[-1]:.2f} s")
    foreign = sum(1 for r in results if r["foreign"])
    print(f"  pages naming the foreign Host {FOREIGN_HOST!r}: {foreign}")
    missing = sum(1 for r in results if r["status"] == 503 and not r["retry_after"])
    if any(r["status"] == 503 for r in results) and not missing:
        print("  every 503 carries Retry-After")
    if missing:
        print(f"  503 answers without Retry-After: {missing}")


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def stop_time(process: subprocess.Popen, watch: Watch, limit: float = 30.0) -> float | None:
    """Seconds from SIGTERM until the server and every child are gone; None if still there after `limit`."""
    tree = watch.tree()
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    while time.monotonic() - began < limit:
        process.poll()
        if not any(_alive(p) for p in tree):
            return time.monotonic() - began
        time.sleep(0.05)
    for p in tree:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    return None


def scenario(python: str, label: str, root: Path, sources: Path, output: Path, db: Path, requests: int) -> None:
    """Start `eventscout serve` with `python`, fire the bursts, SIGTERM it, print what happened."""
    print(f"\n=== {label}: {python}")
    port = free_port()
    env = dict(os.environ, EVENTSCOUT_HOME=str(root / "home"))
    log_path = root / f"serve-{port}.log"
    log = log_path.open("w")
    launched = time.monotonic()
    process = subprocess.Popen([python, "-m", "eventscout.flows.cli", "serve", "--sources", str(sources),
                                "--output", str(output), "--db", str(db), "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:  # serve listens once it has read the store, so an open port means ready
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log_path.read_text()}") from None
            time.sleep(0.2)
    print(f"serve listening {time.monotonic() - launched:.1f} s after it was started")
    watch = Watch(process.pid)
    try:
        report("burst", asyncio.run(fire(port, burst(requests))))
        alone = asyncio.run(fire(port, [("bomb", f"/feeds/custom.ics?{keyword_bomb()}", {})]))[0]
        print(f"\n2,500-keyword query alone: {alone['status']} in {alone['seconds']:.2f} s: "
              f"{alone['body'][:160].decode('utf-8', 'replace').strip()!r}")

        async def burst_then_sigterm() -> tuple[float | None, list[dict]]:
            firing = asyncio.create_task(fire(port, burst(requests)))
            await asyncio.sleep(1.5)
            stopped = await asyncio.to_thread(stop_time, process, watch)
            return stopped, await firing

        stopped, cut = asyncio.run(burst_then_sigterm())
    finally:
        watch.stop()
        if process.poll() is None:
            process.kill()
    print(f"\npeak RSS of the server's process tree: {watch.peak / 2**20:.0f} MiB")
    print("SIGTERM 1.5 s into a second burst: " +
          (f"server and children gone in {stopped:.2f} s" if stopped is not None else
           "still running after 30 s (killed)"))
    print("  the second burst's requests: " + str(dict(Counter(str(r["status"]) for r in cut))))
    log.close()
    tail = log_path.read_text().strip().splitlines()[-5:]
    if any(re.search(r"Traceback|Error", line) for line in tail):
        print("server log ends with:\n  " + "\n  ".join(tail))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=240)
    parser.add_argument("--baseline", metavar="PYTHON",
                        help="first run the same against the eventscout that this Python has installed "
                             "(e.g. another checkout's .venv/bin/python)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="serve-load-") as tmp:
        root = Path(tmp)
        began = time.monotonic()
        sources, output, db = build_store(root, args.events)
        print(f"store of {args.events} events over {SOURCES} sources, feeds written, "
              f"in {time.monotonic() - began:.1f} s; largest feed "
              f"{max(p.stat().st_size for p in output.glob('*.ics')) / 1e6:.1f} MB")
        if args.baseline:
            scenario(args.baseline, "baseline", root, sources, output, db, args.requests)
        scenario(sys.executable, "this checkout", root, sources, output, db, args.requests)


if __name__ == "__main__":
    main()
