"""A loopback association host whose sixteen event pages each fail in their own way.

`FaultSite` serves `/<fault>/events` for every fault in `FAULTS`. With
`faults_on = False` each path is a good JSON-LD events page with two upcoming
events; with `faults_on = True` each misbehaves as its name says. All on one
host, as the worst case for per-host politeness. Run it by hand with
`python -m tests.faults` to point `eventscout run` at it.
"""

from __future__ import annotations

import json
import random
import socket
import struct
import threading
import zlib
from datetime import date, datetime, time, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from tests.support import send as reply

EASTERN = ZoneInfo("America/New_York")

#: fault -> what the run summary must say about it (a regular expression), or None when
#: the source should still be read (its events survive the fault).
FAULTS: dict[str, str | None] = {
    "hang": r"timed out",
    "reset": r"connection broken|cannot connect",
    "http-500": r"HTTP 500",
    "retry-after": r"HTTP 429.*Retry-After 3600s.*not this run",
    "truncated": r"cut short|connection broken",
    "gzip-bomb": r"10 MB cap \(after decompression\)",
    "huge-body": r"10 MB cap",
    "redirect-loop": r"redirect loop",
    "bad-bytes": None,
    "broken-jsonld": r"no events|no structured events",
    "empty": r"not an events page: the response was empty",
    "wrong-type": r"not an events page: the body is a PDF document",
    "deep-nesting": r"no events|no structured events",
    "binary-noise": r"not an events page: the body is binary",
    "slow-drip": r"timed out",
    "not-found": r"HTTP 404",
}

#: a title with non-ASCII letters, for the page served in the wrong encoding
CAFE = "Café Networking Night — Mid-town"


@cache
def gzip_bomb(inflated: int = 512 * 1024 * 1024) -> bytes:
    """About 500 kB of gzip that inflates to `inflated` bytes of zeros, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(inflated // len(block))]
    parts.append(packer.flush())
    return b"".join(parts)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up on a misbehaving page is the point here, not news."""


class FaultSite:
    """A threaded HTTP server on 127.0.0.1 serving one events page per fault."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or date.today()
        self.faults_on = False
        self.stopping = threading.Event()
        gzip_bomb()  # built now, so serving it costs the run under test nothing
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FaultSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    # -- pages -------------------------------------------------------------------

    def titles(self, fault: str) -> list[str]:
        first = CAFE if fault == "bad-bytes" else f"{fault} chapter breakfast"
        return [first, f"{fault} annual conference"]

    def events_page(self, fault: str) -> str:
        """A plain JSON-LD events page: what every path serves while faults are off."""
        offset = 5 + list(FAULTS).index(fault)
        events = []
        for n, title in enumerate(self.titles(fault)):
            start = datetime.combine(self.today + timedelta(days=offset + 20 * n), time(8 + n), EASTERN)
            events.append({
                "@context": "https://schema.org", "@type": "Event",
                "@id": f"{self.base_url}/{fault}/events#{n}", "name": title,
                "url": f"{self.base_url}/{fault}/events/{n}",
                "startDate": start.isoformat(), "endDate": (start + timedelta(hours=2)).isoformat(),
                "description": f"Members of the {fault} chapter meet.",
                "location": {"@type": "Place", "name": "Chapter House",
                             "address": {"@type": "PostalAddress", "streetAddress": "1 Peachtree St",
                                         "addressLocality": "Atlanta", "addressRegion": "GA"}}})
        blocks = "".join(f'<script type="application/ld+json">{json.dumps(e, ensure_ascii=False)}</script>'
                         for e in events)
        return (f'<!doctype html><html><head><meta charset="utf-8"><title>{fault} events</title>{blocks}'
                f"</head><body><h1>Events</h1><p>See below.</p></body></html>")

    def sources(self) -> dict:
        return {
            "settings": {"allow_private": True},
            "sources": [{"id": fault, "name": f"The {fault} association", "url": f"{self.base_url}/{fault}/events",
                         "location": "Atlanta, GA"} for fault in FAULTS],
            "feeds": [{"id": "all", "title": "Every event"}],
        }

    def write_sources(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(self.sources(), sort_keys=False, allow_unicode=True))
        return path

    # -- the handler -------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                parts = self.path.split("?")[0].strip("/").split("/")
                fault = parts[0]
                try:
                    if fault not in FAULTS:
                        self.send(404, b"not found", "text/plain")
                    elif not site.faults_on:
                        self.send(200, site.events_page(fault).encode(), "text/html; charset=utf-8")
                    else:
                        getattr(self, "fault_" + fault.replace("-", "_"))(parts)
                except (BrokenPipeError, ConnectionResetError, OSError, ValueError):
                    self.close_connection = True

            def finish(self) -> None:
                try:
                    super().finish()
                except (OSError, ValueError):
                    pass

            def send(self, status: int, body: bytes, content_type: str,
                     headers: dict[str, str] | None = None) -> None:
                reply(self, status, body, content_type, headers)

            def head_only(self, headers: dict[str, str]) -> None:
                self.send_response(200)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.flush()

            # one method per fault -------------------------------------------------

            def fault_hang(self, _parts: list[str]) -> None:
                site.stopping.wait(300)
                self.close_connection = True

            def fault_reset(self, _parts: list[str]) -> None:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True

            def fault_http_500(self, _parts: list[str]) -> None:
                self.send(500, b"<h1>Internal Server Error</h1>", "text/html")

            def fault_retry_after(self, _parts: list[str]) -> None:
                self.send(429, b"slow down", "text/plain", {"Retry-After": "3600"})

            def fault_truncated(self, _parts: list[str]) -> None:
                body = site.events_page("truncated").encode()
                self.head_only({"Content-Type": "text/html; charset=utf-8",
                                "Content-Length": str(len(body) + 5000)})
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True

            def fault_gzip_bomb(self, _parts: list[str]) -> None:
                self.send(200, gzip_bomb(), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})

            def fault_huge_body(self, _parts: list[str]) -> None:
                # no Content-Length: the body ends when the connection does, so only a cap stops it
                self.head_only({"Content-Type": "text/html", "Connection": "close"})
                line = b"<p>" + b"x" * 1020 + b"</p>\n"
                for _ in range(64 * 1024):  # 64 MB
                    self.wfile.write(line)
                self.close_connection = True

            def fault_redirect_loop(self, parts: list[str]) -> None:
                target = "/redirect-loop/elsewhere" if parts[-1] == "events" else "/redirect-loop/events"
                self.send(302, b"", "text/plain", {"Location": target})

            def fault_bad_bytes(self, _parts: list[str]) -> None:
                # cp1252 declared as UTF-8, plus bytes no encoding defines
                body = site.events_page("bad-bytes").encode("cp1252")
                body = body.replace(b"<h1>Events</h1>", b"<h1>Events \x81\x8d\xff\xfe</h1>")
                self.send(200, body, "text/html; charset=utf-8")

            def fault_broken_jsonld(self, _parts: list[str]) -> None:
                body = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
                        '"@type": "Event", "name": "Half an ev</script><script type="application/ld+json">'
                        '}}{{[[ "startDate": 2026-13-45 </script></head><body>Events soon.</body></html>')
                self.send(200, body.encode(), "text/html; charset=utf-8")

            def fault_empty(self, _parts: list[str]) -> None:
                self.send(200, b"", "text/html; charset=utf-8")

            def fault_wrong_type(self, _parts: list[str]) -> None:
                pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"
                self.send(200, pdf, "text/html; charset=utf-8")

            def fault_deep_nesting(self, _parts: list[str]) -> None:
                depth = 100_000
                body = ("<html><body>" + "<div><span>" * depth + "deep" + "</span></div>" * depth
                        + '<script type="application/ld+json">' + "[" * depth + "]" * depth + "</script>"
                        + "</body></html>")
                self.send(200, body.encode(), "text/html; charset=utf-8")

            def fault_binary_noise(self, _parts: list[str]) -> None:
                noise = b"\x07" + random.Random(7).randbytes(300_000)
                self.send(200, noise, "text/html; charset=utf-8")

            def fault_slow_drip(self, _parts: list[str]) -> None:
                self.head_only({"Content-Type": "text/html", "Content-Length": "100000"})
                self.wfile.write(b"<html>")
                while not site.stopping.wait(1.0):
                    self.wfile.write(b" ")
                    self.wfile.flush()

            def fault_not_found(self, _parts: list[str]) -> None:
                self.send(404, b"<h1>Not Found</h1>", "text/html")

            def log_message(self, *args: object) -> None:
                pass

        return Handler


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    with FaultSite() as fault_site:
        fault_site.faults_on = "--faults" in sys.argv
        target = fault_site.write_sources(Path("fault-sources.yaml"))
        print(f"serving on {fault_site.base_url}; sources in {target}; faults {'on' if fault_site.faults_on else 'off'}")
        try:
            fault_site.stopping.wait()
        except KeyboardInterrupt:
            pass
