"""Six hostile iCalendar feeds beside two good sites: two `eventscout run`s must each end by themselves.

Serves, on 127.0.0.x loopback hosts, six feeds written to hurt a reader (a
zone changing every second since 1601, an event hourly since year one, series
that must be walked from 1900, a flood of RDATEs, 60,000 events, components
nested 20,000 deep) and two good association sites (a JSON-LD page, a plain
feed). Runs `eventscout run` twice on one store and prints, per run: wall
time, exit code, the peak memory of its whole process tree (summed at each
instant) and of its largest process, the good events in the feed, and which
hostile sources the run's output names.

    python benchmarks/chaos_feeds.py [--runs 2]

Linux only (127.0.0.2.. reach this machine).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//eventscout chaos//EN\r\n"
TAIL = "END:VCALENDAR\r\n"


def _vevent(uid: str, start: str, summary: str, extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART{start}\r\n"
            f"SUMMARY:{summary}\r\n{extra}END:VEVENT\r\n")


def hostile_feeds() -> dict[str, bytes]:
    soon = datetime.now(timezone.utc) + timedelta(days=10)
    stamp = soon.strftime("%Y%m%dT%H%M%SZ")
    zone = ("BEGIN:VTIMEZONE\r\nTZID:Ticking Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
            "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
            "DTSTART:16010101T000001\r\nRRULE:FREQ=SECONDLY;INTERVAL=2\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\n"
            "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
    rdates = ",".join((datetime(1900, 1, 1) + timedelta(hours=7 * i)).strftime("%Y%m%dT%H%M%SZ")
                      for i in range(150_000))
    nested = "BEGIN:VEVENT\r\n" * 20_000 + "UID:deep@chaos\r\nSUMMARY:Deep\r\n" + "END:VEVENT\r\n" * 20_000
    return {
        "zone-every-second": (HEAD + zone + _vevent("tick@chaos", f";TZID=Ticking Time:{stamp[:-1]}",
                                                    "Clockmakers Evening") + TAIL).encode(),
        "hourly-since-year-one": (HEAD + _vevent("hourly@chaos", ":00010101T090000Z", "Hourly Stand-up",
                                                 "RRULE:FREQ=HOURLY\r\n") + TAIL).encode(),
        "walk-from-1900": (HEAD + "".join(_vevent(f"walk{i}@chaos", ":19000101T090000Z", f"Walk {i}",
                                                  "RRULE:FREQ=DAILY;BYHOUR=9;COUNT=100000000\r\n")
                                          for i in range(2_000)) + TAIL).encode(),
        "rdate-flood": (HEAD + _vevent("flood@chaos", ":19000101T000000Z", "Flood", f"RDATE:{rdates}\r\n")
                        + TAIL).encode(),
        "sixty-thousand": (HEAD + "".join(_vevent(f"e{i}@chaos", f":{(soon + timedelta(minutes=i)).strftime('%Y%m%dT%H%M%SZ')}",
                                                  f"Meetup {i}") for i in range(60_000)) + TAIL).encode(),
        "nested-deep": (HEAD + nested + TAIL).encode(),
    }


def good_sites() -> dict[str, tuple[bytes, str]]:
    soon = datetime.now(timezone.utc).replace(hour=22, minute=0, second=0, microsecond=0) + timedelta(days=7)
    events = [{"@context": "https://schema.org", "@type": "Event", "name": f"Engineers Breakfast {i}",
               "startDate": (soon + timedelta(days=7 * i)).isoformat(), "url": f"/events/{i}",
               "location": {"@type": "Place", "name": "Union Hall",
                            "address": "100 Main St, Springfield, IL"}} for i in range(12)]
    page = ("<html><head><title>Springfield Engineers</title>"
            + "".join(f'<script type="application/ld+json">{json.dumps(e)}</script>' for e in events)
            + "</head><body><h1>Events</h1></body></html>").encode()
    feed = (HEAD + "".join(_vevent(f"mixer{i}@good", f":{(soon + timedelta(days=3 + 14 * i)).strftime('%Y%m%dT%H%M%SZ')}",
                                   f"Marketing Mixer {i}", "DURATION:PT2H\r\nLOCATION:Springfield\\, IL\r\n")
                           for i in range(6)) + TAIL).encode()
    return {"good-page": (page, "text/html; charset=utf-8"), "good-feed": (feed, "text/calendar")}


def serve(port: int) -> ThreadingHTTPServer:
    bodies = {f"/{name}.ics": (body, "text/calendar") for name, body in hostile_feeds().items()}
    bodies.update({f"/{name}": answer for name, answer in good_sites().items()})

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            body, kind = bodies.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in bodies else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def sources_file(path: Path, port: int) -> list[str]:
    names = list(hostile_feeds()) + list(good_sites())
    lines = ["settings:\n  allow_private: true\nsources:\n"]
    for i, name in enumerate(names):
        suffix = ".ics" if name in hostile_feeds() else ""
        lines.append(f"  - {{id: {name}, name: {name}, url: 'http://127.0.0.{2 + i}:{port}/{name}{suffix}'}}\n")
    lines.append("feeds:\n  - {id: all, title: All}\n")
    path.write_text("".join(lines))
    return names


def measure(command: list[str], env: dict[str, str]) -> dict:
    """Wall seconds, exit code, output, the peak of the whole tree's RSS and of its largest process."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()), daemon=True)
    reader.start()
    root = psutil.Process(process.pid)
    tree_peak = single_peak = 0
    while process.poll() is None:
        total = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                single_peak = max(single_peak, rss)
        except psutil.Error:
            pass
        tree_peak = max(tree_peak, total)
        if time.monotonic() - started > 300:
            process.kill()
        time.sleep(0.05)
    reader.join(10)
    return {"seconds": time.monotonic() - started, "code": process.returncode,
            "tree_mb": tree_peak / 2**20, "largest_mb": single_peak / 2**20,
            "output": b"".join(output).decode("utf-8", "replace")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--port", type=int, default=8472)
    args = parser.parse_args()
    httpd = serve(args.port)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        names = sources_file(root / "sources.yaml", args.port)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSCOUT_", "PREFECT_"))}
        env.update(EVENTSCOUT_HOME=str(root / "home"), COLUMNS="120")
        for run in range(1, args.runs + 1):
            result = measure([sys.executable, "-m", "eventscout.flows.cli", "run", "--sources",
                              str(root / "sources.yaml"), "--output", str(root / "out"), "--db",
                              str(root / "store.db")], env)
            feed = (root / "out" / "all.ics").read_bytes() if (root / "out" / "all.ics").exists() else b""
            good = feed.count(b"SUMMARY:Engineers Breakfast") + feed.count(b"SUMMARY:Marketing Mixer")
            plain = [line for line in result["output"].splitlines() if line.split(":", 1)[0] in
                     ("failed", "suspect", "not reached", "ok", "not modified")]
            named = sorted(n for n in names if n.startswith(("good",)) is False
                           and any(f": {n}:" in line for line in plain))
            print(f"run {run}: exit {result['code']} in {result['seconds']:.1f}s; peak memory {result['tree_mb']:.0f} MB "
                  f"for the whole tree, {result['largest_mb']:.0f} MB its largest process; {good} of 18 good "
                  f"events in the feed; hostile sources named {len(named)} of 6")
            for line in plain:
                print("   ", line)
    httpd.shutdown()


if __name__ == "__main__":
    main()
